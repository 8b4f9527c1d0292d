"""Analysis of an experiment's tidy table, for notebooks and reports.

The input is an experiment's tidy table (see :mod:`simulation.experiment.spec`): one row per
run and month, with the key columns ``run``, ``scenario``, ``point``, ``replicate``, ``seed``,
then one column per design parameter named by its dotted key path (``policy.tolerance``), then
the model's outcomes with ``month`` first. A plain comparison's table (no ``run``/``point``,
no parameters) works too.

Each run is first reduced to one number per outcome by a *statistic*:

* ``"final"`` — the value in the run's last month;
* ``"mean"`` (or ``"run_mean"``) — the mean over the whole run, skipping months where the
  outcome is undefined;
* ``"mean:YYYY-MM:YYYY-MM"`` — the mean over a period, both months included.

Replicates of a design point are then the independent observations of a t-interval, as in
:mod:`simulation.reporting.summary`.

Figures of these tables are in :mod:`simulation.reporting.figures`. Nothing here starts a
process pool or touches the disk.

Example:
    >>> from simulation.experiment import load_experiment  # doctest: +SKIP
    >>> manifest, runs = load_experiment("results/sweep")  # doctest: +SKIP
    >>> summarise_points(runs, ["purges"], "final")  # doctest: +SKIP
    >>> figures.heatmap(runs, "policy.tolerance", "policy.severity", "fear")  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from simulation.reporting.summary import t_interval

__all__ = [
    "STATISTIC_WORDS",
    "parameter_columns",
    "parse_statistic",
    "reduce_runs",
    "summarise_points",
]

#: Statistic -> words for titles and tables (period means are described by their months).
STATISTIC_WORDS: dict[str, str] = {
    "final": "final month",
    "mean": "mean over the run",
    "run_mean": "mean over the run",
}

_KEYS = ("run", "scenario", "point", "replicate", "seed")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def parse_statistic(statistic: str) -> tuple[str, str | None, str | None]:
    """Check a statistic and split it into its kind and period.

    Args:
        statistic: ``"final"``, ``"mean"``, ``"run_mean"`` or ``"mean:YYYY-MM:YYYY-MM"``.

    Returns:
        ``(kind, start, end)`` with ``kind`` one of ``"final"``, ``"mean"``; ``start`` and
        ``end`` are ``None`` unless a period was given.

    Raises:
        ValueError: If the statistic is not one of these forms, or the period runs backwards.
    """
    if statistic == "final":
        return "final", None, None
    if statistic in ("mean", "run_mean"):
        return "mean", None, None
    parts = statistic.split(":")
    if len(parts) == 3 and parts[0] == "mean" and all(_MONTH.match(p) for p in parts[1:]):
        if parts[1] > parts[2]:
            raise ValueError(f"statistic {statistic!r}: the period ends before it starts")
        return "mean", parts[1], parts[2]
    raise ValueError(
        f"unknown statistic {statistic!r}; use final, mean or mean:YYYY-MM:YYYY-MM "
        "(e.g. mean:1936-08:1938-11)"
    )


def parameter_columns(table: pd.DataFrame) -> list[str]:
    """The design parameter columns of a table: those named by a dotted key path."""
    return [str(column) for column in table.columns if "." in str(column)]


def _id_columns(runs: pd.DataFrame) -> list[str]:
    return [c for c in _KEYS if c in runs.columns] + parameter_columns(runs)


def reduce_runs(
    runs: pd.DataFrame, outcomes: Sequence[str], statistic: str = "final"
) -> pd.DataFrame:
    """Reduce every run to one number per outcome.

    Args:
        runs: An experiment's tidy table (one row per run and month).
        outcomes: The outcome columns to reduce.
        statistic: How to reduce a run (see the module docstring).

    Returns:
        One row per run, in order of first appearance: the key and parameter columns present
        in ``runs``, then one column per outcome.

    Raises:
        ValueError: If the statistic is unknown, an outcome is not a column, or a period
            contains none of the table's months.
    """
    kind, start, end = parse_statistic(statistic)
    missing = [name for name in outcomes if name not in runs.columns]
    if missing:
        raise ValueError(f"no outcome column {missing[0]!r} in the table")
    ids = _id_columns(runs)
    ordered = runs.sort_values([*ids, "month"], kind="stable") if "month" in runs else runs
    if start is not None:
        ordered = ordered[(ordered["month"] >= start) & (ordered["month"] <= end)]
        if ordered.empty:
            raise ValueError(f"statistic {statistic!r}: no month of the runs falls in the period")
    # dropna=False keeps runs whose parameter is NaN (a design file may leave one blank).
    groups = ordered.groupby(ids, sort=False, dropna=False)
    if kind == "final":
        reduced = groups.tail(1).set_index(ids)[list(outcomes)]
    else:
        reduced = groups[list(outcomes)].mean()
    reduced = reduced.astype(np.float64).reset_index()
    # Back to the order runs first appear in, which sort_values above may have changed.
    first = runs.drop_duplicates(ids)[ids].reset_index(drop=True)
    return first.merge(reduced, on=ids, how="left", sort=False)


def summarise_points(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    statistic: str = "final",
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean and t-interval over replicates, per scenario and design point.

    Args:
        runs: An experiment's tidy table.
        outcomes: The outcome columns to summarise.
        statistic: How each run is reduced to one number (see the module docstring).
        level: Coverage of the intervals.

    Returns:
        Tidy table with columns ``scenario``, ``point`` (when ``runs`` has one), the parameter
        columns, then ``statistic``, ``outcome``, ``n``, ``mean``, ``sd``, ``low``, ``high``;
        points in order of first appearance, outcomes in the order given. ``n`` counts the
        replicates with a value (NaN values are left out of the interval).
    """
    values = reduce_runs(runs, outcomes, statistic)
    groups = [c for c in ("scenario", "point") if c in values.columns]
    groups += parameter_columns(values)
    rows = []
    for key, group in values.groupby(groups, sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            rows.append((*key, statistic, outcome, *t_interval(group[outcome].to_numpy(), level)))
    columns = [*groups, "statistic", "outcome", "n", "mean", "sd", "low", "high"]
    return pd.DataFrame(rows, columns=columns)
