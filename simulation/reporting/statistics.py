"""How a run's monthly series becomes one number: the statistics of reports and analyses.

A *statistic* names the reduction:

* ``"final"`` — the value in the run's last month;
* ``"at:YYYY-MM"`` — the value at the end of a chosen month;
* ``"mean"`` (or ``"run_mean"``) — the mean over the whole run, skipping months where the
  outcome is undefined (NaN);
* ``"mean:YYYY-MM:YYYY-MM"`` — the mean over a window, both months included.

Means are taken only of outcomes that may be averaged over months: stocks, levels and flows
(:func:`simulation.model.outcomes.averageable`). A cumulative count (``executed_total``) is
read at a date (``final`` or ``at:``), never averaged: its mean over months weighs early events
more than late ones and answers no question. Nor is a congress's vote (``votes_against``, the
hidden opposition, delegates; :func:`held_at_congresses`): it holds the latest congress's value
until the next, so its mean over months weighs each congress by how long its result stood; read
it at a date, or congress by congress.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from simulation.model.outcomes import (
    CONGRESS_OUTCOMES,
    ORGANISATION_PREFIX,
    averageable,
    kind_of,
)

__all__ = [
    "STATISTIC_WORDS",
    "Statistic",
    "check_averageable",
    "held_at_congresses",
    "parse_statistic",
    "reduce_groups",
    "statistic_words",
    "summarisable",
]

#: Statistic -> words for titles and tables (dates and windows are described by their months).
STATISTIC_WORDS: dict[str, str] = {
    "final": "final month",
    "mean": "mean over the run",
    "run_mean": "mean over the run",
}

# ASCII digits only: \d would also take other scripts' digits, which no month parser reads.
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
FORMS = "final, mean, at:YYYY-MM or mean:YYYY-MM:YYYY-MM"


class Statistic(NamedTuple):
    """A parsed statistic.

    Attributes:
        kind: ``"final"``, ``"at"`` or ``"mean"``.
        start: First month of a window, or the month of ``at``; ``None`` otherwise.
        end: Last month of a window (the month of ``at`` again); ``None`` otherwise.
    """

    kind: str
    start: str | None
    end: str | None


def first_month_where(outcomes: pd.DataFrame, hit: pd.Series) -> str | None:
    """The first month (``YYYY-MM``) of one run's table in which ``hit`` holds (None if never).

    Args:
        outcomes: One run's monthly table (any row order).
        hit: A boolean per row of ``outcomes`` (same index).
    """
    ordered = outcomes.sort_values("month", kind="stable")
    flags = hit.loc[ordered.index].to_numpy(dtype=bool)
    return str(ordered["month"].iloc[int(flags.argmax())]) if flags.any() else None


def parse_statistic(statistic: str) -> Statistic:
    """Check a statistic and split it into its kind and months.

    Args:
        statistic: One of the forms in the module docstring.

    Returns:
        The kind and months.

    Raises:
        ValueError: If the statistic is not one of these forms, or a window runs backwards.
    """
    if statistic == "final":
        return Statistic("final", None, None)
    if statistic in ("mean", "run_mean"):
        return Statistic("mean", None, None)
    parts = statistic.split(":")
    if len(parts) == 2 and parts[0] == "at" and _MONTH.match(parts[1]):
        return Statistic("at", parts[1], parts[1])
    if len(parts) == 3 and parts[0] == "mean" and all(_MONTH.match(p) for p in parts[1:]):
        if parts[1] > parts[2]:
            raise ValueError(f"statistic {statistic!r}: the window ends before it starts")
        return Statistic("mean", parts[1], parts[2])
    raise ValueError(
        f"unknown statistic {statistic!r}; use {FORMS} (e.g. at:1938-12, mean:1936-08:1938-11)"
    )


def statistic_words(statistic: str, heading: bool = False) -> str:
    """Words for a statistic: after an outcome's name, or in a table's heading.

    Args:
        statistic: One of the forms in the module docstring.
        heading: Words for a heading ("Outcomes in the final month") rather than a phrase
            ("fear, final month").

    Returns:
        E.g. ``"final month"``, ``"in 1938-12"``, ``"mean 1937-01 to 1938-12"``; as headings
        ``"in the final month"``, ``"averaged over the whole run"``.
    """
    kind, start, end = parse_statistic(statistic)
    if kind == "at":
        return f"in {start}"
    if kind == "final":
        return "in the final month" if heading else STATISTIC_WORDS["final"]
    if start is None:
        return "averaged over the whole run" if heading else STATISTIC_WORDS["mean"]
    return f"averaged over {start} to {end}" if heading else f"mean {start} to {end}"


def held_at_congresses(outcome: str) -> bool:
    """Whether an outcome holds the latest congress's result until the next (docs/ODD.md 7.9).

    The congress shares (``votes_against``, ``private_opposition``, ``hidden_opposition``,
    ``delegates_against``) and the votes against by organisation are measured at a congress
    and carried forward, as are the platforms with open support (``platforms_supported``,
    7.12); cumulative congress measures (``cc1924_purged_share``) are not.
    """
    if outcome in CONGRESS_OUTCOMES:
        return CONGRESS_OUTCOMES[outcome].kind == "level"
    if outcome == "platforms_supported":  # the democracy measure read at congresses (7.12)
        return True
    return outcome.startswith(ORGANISATION_PREFIX)


def _mean_allowed(outcome: str) -> bool:
    """Whether an outcome's mean over months is a quantity: no counts, labels or held votes."""
    return averageable(outcome) and not held_at_congresses(outcome)


def summarisable(outcome: str, statistic: str) -> bool:
    """Whether a statistic applies to an outcome: every outcome at a date, means not of counts.

    Nor of congress results held between congresses (:func:`held_at_congresses`).
    """
    return parse_statistic(statistic).kind != "mean" or _mean_allowed(outcome)


def check_averageable(outcomes: Sequence[str], statistic: str) -> None:
    """Refuse a mean of an outcome that may not be averaged over months.

    Raises:
        ValueError: Naming the outcome, its kind and the statistics that apply.
    """
    for outcome in outcomes:
        if summarisable(outcome, statistic):
            continue
        if kind_of(outcome) == "label":
            raise ValueError(f"{outcome} is a label, not a number: it has no mean")
        if held_at_congresses(outcome):
            raise ValueError(
                f"{outcome} holds the latest congress's result until the next: its mean over "
                "months weighs each congress by how long its result stood; read it at a date "
                "(final or at:YYYY-MM, a congress's month)"
            )
        raise ValueError(
            f"{outcome} is a cumulative count: its mean over months weighs early events more "
            "than late ones; read it at a date (final or at:YYYY-MM)"
        )


def reduce_groups(
    ordered: pd.DataFrame, ids: Sequence[str], outcomes: Sequence[str], statistic: str
) -> pd.DataFrame:
    """Reduce every run of a table, ordered by month within each run, to one row.

    Args:
        ordered: One row per run and month, months in time order within each run.
        ids: The columns that identify a run.
        outcomes: The outcome columns to reduce.
        statistic: How to reduce (see the module docstring).

    Returns:
        One row per run (indexed by ``ids``), one float column per outcome; a run with no month
        in the window or at the date is left out.

    Raises:
        ValueError: If the statistic is unknown, or no month of the table falls in it.
    """
    kind, start, end = parse_statistic(statistic)
    if start is not None:
        months = ordered["month"]
        ordered = ordered[(months >= start) & (months <= end)]
        if ordered.empty:
            raise ValueError(f"statistic {statistic!r}: no month of the runs falls in it")
    # dropna=False keeps runs whose parameter is NaN (a design file may leave one blank).
    groups = ordered.groupby(list(ids), sort=False, dropna=False)
    if kind == "mean":
        reduced = groups[list(outcomes)].mean()
    else:
        reduced = groups.tail(1).set_index(list(ids))[list(outcomes)]
    return reduced.astype(np.float64)
