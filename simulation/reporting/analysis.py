"""Analysis of an experiment's tidy table, for notebooks and reports.

The input is an experiment's tidy table (see :mod:`simulation.experiment.spec`): one row per
run and month, with the key columns ``run``, ``scenario``, ``point``, ``replicate``, ``seed``,
then one column per design parameter named by its dotted key path (``policy.tolerance``), then
the model's outcomes with ``month`` first. A plain comparison's table (no ``run``/``point``,
no parameters) works too.

Each run is first reduced to one number per outcome by a *statistic*
(:mod:`simulation.reporting.statistics`): ``"final"``, ``"at:YYYY-MM"``, ``"mean"`` over the
whole run or ``"mean:YYYY-MM:YYYY-MM"`` over a window. Means are not taken of cumulative counts.

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

from collections.abc import Sequence

import pandas as pd

from simulation.reporting.statistics import (
    STATISTIC_WORDS,
    check_averageable,
    parse_statistic,
    reduce_groups,
    summarisable,
)
from simulation.reporting.summary import t_interval

__all__ = [
    "STATISTIC_WORDS",
    "parameter_columns",
    "parse_statistic",
    "reduce_runs",
    "summarise_points",
]

_KEYS = ("run", "scenario", "point", "replicate", "seed")


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
        ValueError: If the statistic is unknown or a mean of a cumulative measure, an outcome
            is not a column, or a window or date holds none of the table's months.
    """
    missing = [name for name in outcomes if name not in runs.columns]
    if missing:
        raise ValueError(f"no outcome column {missing[0]!r} in the table")
    check_averageable(outcomes, statistic)
    ids = _id_columns(runs)
    ordered = runs.sort_values([*ids, "month"], kind="stable") if "month" in runs else runs
    reduced = reduce_groups(ordered, ids, outcomes, statistic).reset_index()
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
        replicates with a value (NaN values are left out of the interval). A mean statistic
        leaves out cumulative counts (:func:`simulation.reporting.statistics.summarisable`).
    """
    # Means of cumulative counts are no quantity of interest: such rows are left out.
    outcomes = [name for name in outcomes if summarisable(name, statistic)]
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
