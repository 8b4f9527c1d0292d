"""The scorecard: each historical target beside an ensemble's mean and interval.

A target counts as *within tolerance* when the ensemble's mean lies in the sources' range
widened by the target's tolerance (:meth:`~simulation.history.targets.Target.within`). The
interval is a 95% t-interval over replicates, shown so that a reader can tell a near miss
from a clear one; it does not enter the verdict. The targets of the succession's sequence
(:mod:`~simulation.history.sequence`) are events a run reproduces or not: their mean is the
share of runs that reproduce them and their interval Wilson's score interval for that share;
so are the world's (:mod:`~simulation.history.world_targets`).
A target whose outcome the runs do not have is *not measured*: its row says which outcome is
absent, and it is counted neither as met nor as missed. The last line says how many of the
met targets the scenario was not fitted to.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from simulation.history.sequence import SEQUENCE_TARGETS
from simulation.history.targets import SHARE_OF_RUNS, TARGETS, Target, evaluate
from simulation.history.world_targets import WORLD_TARGETS
from simulation.reporting.summary import t_interval, wilson_interval

#: The targets of the card: the record's quantities, the succession's sequence, the world.
CARD_TARGETS: tuple[Target, ...] = TARGETS + SEQUENCE_TARGETS + WORLD_TARGETS

#: Columns of a scorecard, in order.
COLUMNS = (
    "target",
    "label",
    "unit",
    "record",
    "low",
    "high",
    "tolerance",
    "n",
    "model_mean",
    "model_low",
    "model_high",
    "within",
    "measured",
    "fitted",
    "measures",
    "source",
)


def run_values(
    runs: pd.DataFrame, size: int, targets: Sequence[Target] = CARD_TARGETS
) -> pd.DataFrame:
    """Every target on every run of a replicate table.

    Args:
        runs: A tidy replicate table (``replicate``, ``month``, outcome columns), one scenario.
        size: The runs' initial party size.
        targets: The targets.

    Returns:
        One row per replicate (indexed by replicate), one column per target.
    """
    values = {
        replicate: evaluate(rows.sort_values("month"), size, measurable(targets, rows.columns))
        for replicate, rows in runs.groupby("replicate", sort=True)
    }
    return pd.DataFrame.from_dict(values, orient="index").reindex(
        columns=[target.name for target in targets]
    )


def measurable(targets: Sequence[Target], columns: Collection[str]) -> list[Target]:
    """The targets whose outcomes are all among ``columns`` (the others are not measured)."""
    return [target for target in targets if not target.absent(columns)]


def _interval(target: Target, values: np.ndarray) -> tuple[int, float, float, float]:
    """(n, mean, low, high) of a target over runs: Wilson's for a share of runs, else t."""
    if not target.share_of_runs:
        n, mean, _, low, high = t_interval(values)
        return n, mean, low, high
    values = values[~np.isnan(values)]
    n = int(values.size)
    low, high = wilson_interval(int(values.sum()), n)
    return n, (float(values.mean()) if n else math.nan), low, high


def scorecard(
    values: pd.DataFrame,
    targets: Sequence[Target] = CARD_TARGETS,
    outcomes: Collection[str] | None = None,
) -> pd.DataFrame:
    """Set each target's historical value beside the runs' mean and interval.

    Args:
        values: One row per run, one column per target (see :func:`run_values`).
        targets: The targets, in the order of the card.
        outcomes: The outcome columns the runs have; a target that needs one they lack is
            not measured (``measured`` names the absent outcome). ``None``: all are there.

    Returns:
        One row per target with the columns :data:`COLUMNS`; ``measured`` is ``""`` for a
        measured target.
    """
    rows = []
    for target in targets:
        absent = [] if outcomes is None else target.absent(outcomes)
        measured = "" if not absent else f"outcome {', '.join(absent)} absent"
        n, mean, low, high = _interval(target, values[target.name].to_numpy(dtype=float))
        rows.append(
            {
                "target": target.name,
                "label": target.label,
                "unit": target.unit,
                "record": target.value,
                "low": target.low,
                "high": target.high,
                "tolerance": target.tolerance,
                "n": n,
                "model_mean": mean,
                "model_low": low,
                "model_high": high,
                "within": not absent and target.within(mean),
                "measured": measured,
                "fitted": target.fitted,
                "measures": target.measures,
                "source": target.source,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def count_within(card: pd.DataFrame) -> tuple[int, int]:
    """How many measured targets of a scorecard are within tolerance, and how many there are."""
    measured = card["measured"] == ""
    return int(card.loc[measured, "within"].sum()), int(measured.sum())


def final_line(card: pd.DataFrame) -> str:
    """The scorecard's last line.

    ``N of M targets within tolerance (K of them not fitted)``, followed, when some targets
    were not measured, by ``; U not measured (outcome X absent)``.
    """
    within, total = count_within(card)
    unfitted = int((card["within"] & ~card["fitted"].astype(bool)).sum())
    line = f"{within} of {total} targets within tolerance ({unfitted} of them not fitted)"
    missing = card.loc[card["measured"] != "", "measured"]
    if len(missing):
        absent = sorted({name for text in missing for name in _absent_names(text)})
        line += f"; {len(missing)} not measured (outcome {', '.join(absent)} absent)"
    return line


def _absent_names(measured: str) -> list[str]:
    """The outcome names of a ``measured`` cell (``outcome a, b absent``)."""
    return measured.removeprefix("outcome ").removesuffix(" absent").split(", ")


def _number(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.1f}"


def display_rows(card: pd.DataFrame) -> list[tuple[str, str, str, str, str, str]]:
    """Text cells of each row: target, record, sources' range, band, model, verdict."""
    rows = []
    for row in card.itertuples(index=False):
        # Ratios and shares carry no unit; percentages and millions say so.
        label = row.label if row.unit in ("x", "share") else f"{row.label} ({row.unit})"
        low, high = _number(row.low), _number(row.high)
        span = low if low == high else f"{low}-{high}"
        record = _number(row.record)
        if row.unit == SHARE_OF_RUNS:  # an event: it happened; met when most runs show it
            record, span = "happened", f"{span} (most runs)"
        band = f"{_number(row.low - row.tolerance)}-{_number(row.high + row.tolerance)}"
        model = f"{_number(row.model_mean)} [{_number(row.model_low)}, {_number(row.model_high)}]"
        if row.measured:
            verdict = f"not measured: {row.measured}"
        else:
            verdict = ("yes" if row.within else "no") + ("" if row.fitted else " (not fitted)")
        rows.append((label, record, span, band, model, verdict))
    return rows


#: Headings of :func:`display_rows`.
HEADINGS = ("target", "record", "sources' range", "tolerance band", "model mean [95%]", "within")


def markdown(card: pd.DataFrame) -> str:
    """The scorecard as a Markdown table, followed by its final line."""
    lines = [
        "| " + " | ".join(HEADINGS) + " |",
        "|" + "---|" * len(HEADINGS),
    ]
    lines += ["| " + " | ".join(cells) + " |" for cells in display_rows(card)]
    return "\n".join(lines) + f"\n\n{final_line(card)}\n"
