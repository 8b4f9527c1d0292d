"""The historical targets of the Stalin path, and how each is read off a run.

Each :class:`Target` is one shape of the record in ``data/history.csv`` (sources in
``data/README.md``): its historical value, the range the sources span, a tolerance, and a
function that computes the same quantity from one run's monthly outcome table
(:mod:`simulation.model.outcomes`, one row per month, stocks measured at the end of the month).

The mapping from model to history, stated once here and in docs/VALIDATION.md:

- **Scale.** A model member stands for :func:`scale_factor` real ones: the initial party
  (``population.size``) is the party of January 1924, 494,290 full members and candidates
  (GSE1979: 735,881 at the 13th Congress less the 241,591 of the Lenin Enrolment). Only the
  1945 and 1956 levels use it; the other membership targets are ratios, which do not
  depend on it.
- **Members.** ``members_active`` is the party (full members plus candidates). A "1 January
  Y" stock is the model's stock at the end of December of Y - 1; a congress figure is the stock
  at the end of the congress month.
- **Expelled in a purge.** The model's ``expelled`` column (active members expelled this
  month, by campaigns and by the punishment ladder) summed over the purge's months, as a
  share of ``members_active`` in the month before it began. Arrests of members are *not*
  counted: the purge shares of the record count expulsions, and the arrests of
  oppositionists that overlap the 1929 purge are a separate series. Everyone active is
  "checked", whereas the 1933-35 purge checked 1.9 million of about 3.5 million.
- **Lethal phase.** ``executed`` counts executions of members and former members. The record's
  timing is the share of 1921-53 political death sentences passed in 1937-38.
- **Releases.** ``prisoners`` (everyone held for dissent or by a quota: all political) stands
  for the country's "counter-revolutionary" prisoners, whose number fell from 309,088 on
  1 January 1955 to 113,735 on 1 January 1956.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

#: Real members (full and candidate) in January 1924 that the initial party stands for:
#: 735,881 at the 13th Congress, May 1924, less the Lenin Enrolment's 241,591 candidates
#: (GSE1979; data/history.csv).
PARTY_JANUARY_1924 = 735_881 - 241_591

#: The lethal phase: the first Moscow show trial to the decree ending the mass operations.
LETHAL_START, LETHAL_END = "1936-08", "1938-11"


def scale_factor(size: int) -> float:
    """Real members that one model member stands for.

    Args:
        size: The model's initial party (``population.size``).

    Returns:
        ``PARTY_JANUARY_1924 / size``; about 24.7 at the default 20,000.
    """
    return PARTY_JANUARY_1924 / size


Compute = Callable[[pd.DataFrame, int], float]


@dataclass(frozen=True)
class Target:
    """One historical shape a run of the Stalin path should show.

    A run's value is *within tolerance* when it lies in
    ``[low - tolerance, high + tolerance]``: the sources' range widened by a margin for what a
    coarse model of the party cannot be expected to match.

    Attributes:
        name: Short identifier (a column of tables and a key of calibration results).
        label: What is measured, in words.
        value: The historical value.
        low: Lowest value the sources give (``value`` if only one).
        high: Highest value the sources give (``value`` if only one).
        tolerance: Margin added on each side of ``[low, high]``, in the target's units.
        unit: The unit, for display (``"x"`` for a ratio, ``"%"``, ``"million"``, ...).
        source: Where the value comes from (keys of data/README.md and the data rows used).
        compute: ``compute(outcomes, size)``: the quantity from one run's monthly table and
            its initial party size; NaN when the run does not define it.
    """

    name: str
    label: str
    value: float
    low: float
    high: float
    tolerance: float
    unit: str
    source: str
    compute: Compute

    def within(self, x: float) -> bool:
        """Whether ``x`` lies in the sources' range widened by the tolerance (NaN is not)."""
        return not math.isnan(x) and self.low - self.tolerance <= x <= self.high + self.tolerance

    def miss(self, x: float) -> float:
        """How far ``x`` lies outside the sources' range, in tolerances (0 inside it).

        NaN counts as a miss of 10 tolerances, so an optimiser is steered away from runs that
        do not define a target.
        """
        if math.isnan(x):
            return 10.0
        return max(self.low - x, 0.0, x - self.high) / self.tolerance


def _row(outcomes: pd.DataFrame, month: str) -> pd.Series:
    """The outcome row of ``month`` (``YYYY-MM``)."""
    rows = outcomes.loc[outcomes["month"] == month]
    if rows.empty:
        raise KeyError(f"the run has no month {month}")
    return rows.iloc[0]


def members(outcomes: pd.DataFrame, month: str) -> float:
    """Active members at the end of ``month``."""
    return float(_row(outcomes, month)["members_active"])


def january(year: int) -> str:
    """The month whose end-of-month stock is the 1 January stock of ``year``."""
    return f"{year - 1}-12"


def window_sum(outcomes: pd.DataFrame, column: str, first: str, last: str) -> float:
    """Sum of a monthly count over the months ``first`` to ``last``, both included."""
    months = outcomes["month"]
    return float(outcomes.loc[(months >= first) & (months <= last), column].sum())


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def purge_share(outcomes: pd.DataFrame, first: str, last: str, before: str) -> float:
    """Expulsions over ``first``..``last`` as a percentage of the members of month ``before``."""
    expelled = window_sum(outcomes, "expelled", first, last)
    return 100.0 * _ratio(expelled, members(outcomes, before))


def _lenin(outcomes: pd.DataFrame, size: int) -> float:
    return members(outcomes, "1924-05") / size


def _growth(outcomes: pd.DataFrame, size: int) -> float:
    return _ratio(members(outcomes, january(1933)), members(outcomes, "1924-05"))


def _fall(outcomes: pd.DataFrame, size: int) -> float:
    kept = _ratio(members(outcomes, january(1938)), members(outcomes, january(1933)))
    return 100.0 * (1.0 - kept)


def _recovery(outcomes: pd.DataFrame, size: int) -> float:
    return _ratio(members(outcomes, january(1941)), members(outcomes, january(1938)))


def _members_1945(outcomes: pd.DataFrame, size: int) -> float:
    return members(outcomes, january(1945)) * scale_factor(size) / 1e6


def _members_1956(outcomes: pd.DataFrame, size: int) -> float:
    return members(outcomes, "1956-02") * scale_factor(size) / 1e6


def _purge_1929(outcomes: pd.DataFrame, size: int) -> float:
    return purge_share(outcomes, "1929-05", "1929-12", "1929-04")


def _purge_1933(outcomes: pd.DataFrame, size: int) -> float:
    return purge_share(outcomes, "1933-05", "1934-12", "1933-04")


def _lethal(outcomes: pd.DataFrame, size: int) -> float:
    inside = window_sum(outcomes, "executed", LETHAL_START, LETHAL_END)
    return _ratio(inside, float(outcomes["executed"].sum()))


def _releases(outcomes: pd.DataFrame, size: int) -> float:
    held = _row(outcomes, january(1955))["prisoners"]
    return _ratio(float(_row(outcomes, january(1956))["prisoners"]), float(held))


#: The targets, in the order of the record.
TARGETS: tuple[Target, ...] = (
    Target(
        name="lenin_enrolment",
        label="Lenin Enrolment: members May 1924 / January 1924",
        value=735_881 / PARTY_JANUARY_1924,
        low=735_881 / PARTY_JANUARY_1924,
        high=(735_881 + 250_000 - 241_591) / PARTY_JANUARY_1924,
        tolerance=0.1,
        unit="x",
        source="GSE1979 13th Congress (735,881); Lenin Enrolment 241,591-250,000 "
        "(GSE1979; FRUS1947)",
        compute=_lenin,
    ),
    Target(
        name="growth_1924_1933",
        label="growth: members 1 Jan 1933 / May 1924",
        value=3_555_338 / 735_881,
        low=3_200_000 / 735_881,
        high=3_555_338 / 735_881,
        tolerance=0.5,
        unit="x",
        source="FRUS1947, Kotkin2017 (3,555,338, 1 Jan 1933); ForeignAffairs1939 "
        "(3.2 million, Dec 1932); GSE1979 (May 1924)",
        compute=_growth,
    ),
    Target(
        name="fall_1933_1938",
        label="fall: members lost 1 Jan 1933 to 1 Jan 1938",
        value=100.0 * (1 - 1_920_002 / 3_555_338),
        low=100.0 * (1 - 1_920_002 / 3_555_338),
        high=100.0 * (1 - 1_920_000 / 3_555_338),
        tolerance=5.0,
        unit="%",
        source="FRUS1947, Kotkin2017 (1933); Columbia (1,920,000, 1938)",
        compute=_fall,
    ),
    Target(
        name="recovery_1938_1941",
        label="recovery: members 1 Jan 1941 / 1 Jan 1938",
        value=3_872_465 / 1_920_002,
        low=3_872_465 / 1_920_002,
        high=3_872_465 / 1_920_002,
        tolerance=0.25,
        unit="x",
        source="SovArmEnc (3,872,465, 1941); Columbia (1938)",
        compute=_recovery,
    ),
    Target(
        name="members_1945",
        label="members 1 Jan 1945 (scaled)",
        value=5_760_369 / 1e6,
        low=5_760_369 / 1e6,
        high=5_760_369 / 1e6,
        tolerance=0.6,
        unit="million",
        source="SovArmEnc (5,760,369, 1 Jan 1945)",
        compute=_members_1945,
    ),
    Target(
        name="members_1956",
        label="members at the 20th Congress, Feb 1956 (scaled)",
        value=7_215_505 / 1e6,
        low=7_215_505 / 1e6,
        high=7_215_505 / 1e6,
        tolerance=0.7,
        unit="million",
        source="GSE1979 20th Congress (6,795,896 + 419,609); Congress21",
        compute=_members_1956,
    ),
    Target(
        name="purge_1929",
        label="1929 purge: expelled, % of members",
        value=11.0,
        low=10.0,
        high=11.0,
        tolerance=2.0,
        unit="%",
        source="WikiPurges (over 10%); Szymanski1984 (11%)",
        compute=_purge_1929,
    ),
    Target(
        name="purge_1933_35",
        label="1933-35 purge: expelled, % of those checked",
        value=18.3,
        low=17.0,
        high=18.3,
        tolerance=3.0,
        unit="%",
        source="Rogovin3 (18.3% of 1,916,500); Szymanski1984 (17%)",
        compute=_purge_1933,
    ),
    Target(
        name="lethal_phase",
        label="share of executions 1924-56 in Aug 1936 - Nov 1938",
        value=681_692 / 799_455,
        low=681_692 / 799_455,
        # Applebaum's 1954 memo counts 642,980 executions 1921-53, fewer than Kurashvili's
        # 681,692 for 1937-38 alone: on that count the whole of them fall in the window.
        high=1.0,
        tolerance=0.05,
        unit="share",
        source="Kurashvili1996 (353,074 + 328,618 death sentences 1937-38 of 799,455 "
        "1921-53); Applebaum2003 (642,980)",
        compute=_lethal,
    ),
    Target(
        name="releases_1955",
        label="political prisoners 1 Jan 1956 / 1 Jan 1955",
        value=113_735 / 309_088,
        low=113_735 / 309_088,
        high=113_735 / 309_088,
        tolerance=0.12,
        unit="x",
        source="Zevako (309,088 and 113,735 counter-revolutionary prisoners)",
        compute=_releases,
    ),
)


def target_names() -> list[str]:
    """Names of the targets, in order."""
    return [target.name for target in TARGETS]


def evaluate(
    outcomes: pd.DataFrame, size: int, targets: Sequence[Target] = TARGETS
) -> dict[str, float]:
    """Compute every target on one run.

    Args:
        outcomes: One run's monthly outcome table (it must span 1924-01 to 1956-02).
        size: The run's initial party size (``population.size``).
        targets: The targets to compute.

    Returns:
        Target name -> the run's value (NaN where the run does not define it).
    """
    return {target.name: float(target.compute(outcomes, size)) for target in targets}
