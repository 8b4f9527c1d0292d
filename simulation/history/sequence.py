"""The fight for the succession as targets: the record's sequence, read off each run's fates.

Where the targets of :mod:`~simulation.history.targets` are quantities, these are events: the
record says that Trotsky lost the War Commissariat in January 1925, that Zinoviev and Kamenev
were defeated at the 14th Congress in December 1925, and so on to Stalin in control by 1930. A
run of a scenario with the succession layer on (docs/ODD.md 7.10, 7.11) either reproduces an
event or does not: its value is 1 or 0, and the scorecard reports the share of runs that
reproduce it, with Wilson's interval. The share is a result, not a number the scenario was set
to reach (none of these targets is fitted); a target counts as met when most runs (at least
half) reproduce it, the "in most seeds but not by necessity" the record asks of a model in
which the succession is fought.

How an event is read (``fate_<name>``, ``leader`` and ``ruling_coalition`` of docs/ODD.md
4.11; a run without them does not measure the target):

- **Out of office** is the first month a contender's fate is ``demoted`` or harsher by a
  removal (``expelled``, ``exiled``, ``imprisoned``, ``shot``): in the model leaving the
  Politburo costs every office (ODD 7.10), so Trotsky losing the War Commissariat and leaving
  the Politburo are one step; a contender who dies first was not defeated.
- **Expelled** is the first month his fate is ``expelled`` or harsher; **exiled** the first
  month it is ``exiled`` or harsher.
- An event of several men falls in the month the last of them reaches his fate.
- An event is reproduced when it falls in the record's months widened by
  :data:`TOLERANCE_MONTHS` on each side.
- The model has no deportation abroad: Trotsky's deportation of February 1929 is read as his
  being in exile, alive and neither imprisoned nor shot, in that month.
- **Stalin in control** is Stalin leading with a ruling coalition of himself alone (ODD 7.11)
  at the end of December 1929, the 1 January 1930 stock.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from simulation.history.targets import SHARE_OF_RUNS, Target, row_at
from simulation.reporting.statistics import first_month_where

#: Months by which an event may come before the record's first month or after its last.
TOLERANCE_MONTHS = 6
#: Fates a removal gives (ODD 7.11), from out of the Politburo to death; ``died`` is not one.
REMOVED = ("demoted", "expelled", "exiled", "imprisoned", "shot")
EXPELLED = REMOVED[1:]
EXILED = REMOVED[2:]
#: The share of runs that counts as "most runs".
MOST = 0.5
#: The month of Trotsky's deportation and the month Stalin's control is read.
DEPORTED, IN_CONTROL = "1929-02", "1929-12"


def _shift(month: str, months: int) -> str:
    """``month`` (``YYYY-MM``) moved by a number of months."""
    return str(pd.Period(month, freq="M") + months)


def first_month(outcomes: pd.DataFrame, name: str, fates: Sequence[str]) -> str | None:
    """The first month whose ``fate_<name>`` is one of ``fates`` (None if never)."""
    return first_month_where(outcomes, outcomes[f"fate_{name}"].isin(fates))


def event_month(outcomes: pd.DataFrame, names: Sequence[str], fates: Sequence[str]) -> str | None:
    """The month the last of ``names`` has reached one of ``fates`` (None if one never does)."""
    months = [first_month(outcomes, name, fates) for name in names]
    return None if None in months else max(months)


def reproduced(month: str | None, first: str, last: str) -> float:
    """1.0 when ``month`` lies in ``first``..``last`` widened by the tolerance, else 0.0."""
    if month is None:
        return 0.0
    low, high = _shift(first, -TOLERANCE_MONTHS), _shift(last, TOLERANCE_MONTHS)
    return float(low <= month <= high)


def _fell(names: Sequence[str], fates: Sequence[str], first: str, last: str):
    """A target's compute: did ``names`` reach ``fates`` within the record's window?"""

    def compute(outcomes: pd.DataFrame, size: int) -> float:
        return reproduced(event_month(outcomes, names, fates), first, last)

    return compute


def _in_exile(outcomes: pd.DataFrame, size: int) -> float:
    return float(row_at(outcomes, DEPORTED)["fate_trotsky"] == "exiled")


def _stalin_in_control(outcomes: pd.DataFrame, size: int) -> float:
    row = row_at(outcomes, IN_CONTROL)
    return float(row["leader"] == "stalin" and row["ruling_coalition"] == "stalin")


def share_target(
    name: str,
    label: str,
    compute,
    source: str,
    measures: str,
    needs: tuple[str, ...],
) -> Target:
    """A target scored as the share of runs reproducing an event, met at :data:`MOST`."""
    return Target(
        name=name,
        label=label,
        value=1.0,
        low=MOST,
        high=1.0,
        tolerance=0.0,
        unit=SHARE_OF_RUNS,
        source=source,
        compute=compute,
        measures=measures,
        fitted=False,
        needs=needs,
        share_of_runs=True,
    )


def _window(first: str, last: str) -> str:
    return f"{_shift(first, -TOLERANCE_MONTHS)} to {_shift(last, TOLERANCE_MONTHS)}"


#: The sequence of the succession, in the order of the record.
SEQUENCE_TARGETS: tuple[Target, ...] = (
    share_target(
        "trotsky_out_1925",
        "Trotsky out of the War Commissariat, January 1925",
        _fell(("trotsky",), REMOVED, "1925-01", "1925-01"),
        "Piglix-Trotsky (War Commissar to 15 January 1925); Time1925 (the plenum removes him "
        "from the War Council) [V]; history.csv 1925 trotsky_out_of_war_commissariat_month",
        "share of runs in which Trotsky is first removed (fate demoted or harsher: out of the "
        f"Politburo and his offices) in {_window('1925-01', '1925-01')}",
        ("fate_trotsky",),
    ),
    share_target(
        "zinoviev_kamenev_1925",
        "Zinoviev and Kamenev defeated, December 1925 (out of the Politburo by July 1926)",
        _fell(("zinoviev", "kamenev"), REMOVED, "1925-12", "1926-07"),
        "Wiki14th (the New Opposition defeated, 18-31 December 1925) [V]; "
        "Liquisearch-Kamenev (Kamenev demoted to a candidate member at the congress) [V]; "
        "Zinoviev out of the Politburo July 1926 [U]; history.csv 1925 "
        "new_opposition_defeated_month, 1926 zinoviev_out_of_politburo_month",
        "share of runs in which the later of Zinoviev's and Kamenev's first removals falls in "
        f"{_window('1925-12', '1926-07')}",
        ("fate_zinoviev", "fate_kamenev"),
    ),
    share_target(
        "united_opposition_expelled_1927",
        "United Opposition expelled, November-December 1927",
        _fell(("trotsky", "zinoviev", "kamenev"), EXPELLED, "1927-11", "1927-12"),
        "Wiki15th (Trotsky and Zinoviev expelled in November 1927, the opposition by the "
        "15th Congress, 2-19 December 1927) [V]; history.csv 1927 united_opposition_expelled_month",
        "share of runs in which the last of Trotsky, Zinoviev and Kamenev is expelled (or worse) "
        f"in {_window('1927-11', '1927-12')}",
        ("fate_trotsky", "fate_zinoviev", "fate_kamenev"),
    ),
    share_target(
        "trotsky_exiled_1928",
        "Trotsky exiled, January 1928",
        _fell(("trotsky",), EXILED, "1928-01", "1928-01"),
        "Piglix-Trotsky, Rallypoint (exile to Alma-Ata ordered 10 January 1928) [V, weak]; "
        "history.csv 1928 trotsky_exiled_month",
        "share of runs in which Trotsky is first exiled (or worse) in "
        f"{_window('1928-01', '1928-01')}",
        ("fate_trotsky",),
    ),
    share_target(
        "trotsky_deported_1929",
        "Trotsky deported, February 1929 (read as: in exile then)",
        _in_exile,
        "Trotsky1930 (the GPU's ruling of 18 January 1929, served 20 January) [V]; "
        "Maviboncuk2021 (arrival in Turkey, 12 February 1929) [V, weak]; history.csv 1929 "
        "trotsky_deported_month",
        "share of runs in which fate_trotsky is exiled (alive, neither imprisoned nor shot) at "
        "the end of February 1929: the model has no deportation abroad",
        ("fate_trotsky",),
    ),
    share_target(
        "right_defeated_1929",
        "the Right defeated, 1929 (Bukharin out in November 1929, Rykov in December 1930)",
        _fell(("bukharin", "rykov", "tomsky"), REMOVED, "1929-11", "1930-12"),
        "Worddisk-Bukharin, Liquisearch-Bukharin (out of the Politburo 17 November 1929) [V]; "
        "Archontology-Rykov (chairman of Sovnarkom to 19 December 1930) [V]; Tomsky out of the "
        "Politburo 1930 [U]; history.csv 1929 "
        "bukharin_out_of_politburo_month, 1930 rykov_out_of_sovnarkom_month, "
        "tomsky_out_of_politburo_month",
        "share of runs in which the last of Bukharin's, Rykov's and Tomsky's first removals "
        f"falls in {_window('1929-11', '1930-12')}",
        ("fate_bukharin", "fate_rykov", "fate_tomsky"),
    ),
    share_target(
        "stalin_in_control_1930",
        "Stalin in control by 1930",
        _stalin_in_control,
        "the standard account of Stalin's victory over the Right by the end of 1929 [U: not "
        "read here]; history.csv 1929 stalin_in_control",
        "share of runs in which Stalin leads with a ruling coalition of himself alone at the end "
        "of December 1929",
        ("leader", "ruling_coalition"),
    ),
)
