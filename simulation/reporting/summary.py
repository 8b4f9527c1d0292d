"""Summaries of a replicate table: means with t-intervals, and paired differences.

The input is the tidy table of :func:`simulation.experiment.runs.run_replicates` (one row per
scenario,
replicate and month). Each replicate is first reduced to one number per outcome, either its
value in the final month (``statistic == "final"``) or its mean over the whole run
(``statistic == "run_mean"``); the replicates are then the independent observations of a
t-interval. Differences are paired by replicate seed, because replicate ``k`` of every scenario
shares its random numbers: the paired interval is narrower than comparing two separate means.

Replicates whose value is NaN (e.g. ``innocent_share_total`` when nobody was ever punished) are
dropped from that outcome's interval; ``n`` says how many were used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

#: The outcomes summarised by default, in report order.
MAIN_OUTCOMES = (
    "openness",
    "falsification",
    "fear",
    "policy_error",
    "leader_error",
    "innocent_share_total",
    "cc_purged_share",
    "expelled_total",
    "imprisoned_total",
    "executed_total",
    "members_active",
)

#: How a replicate's monthly series is reduced to one number.
STATISTICS = ("final", "run_mean")


def t_interval(values: Sequence[float] | np.ndarray, level: float = 0.95) -> tuple[float, ...]:
    """Mean and two-sided t-interval of independent values, ignoring NaN.

    Args:
        values: The observations (one per replicate).
        level: Coverage of the interval.

    Returns:
        ``(n, mean, sd, low, high)``; the bounds are NaN when fewer than two values remain,
        and equal the mean when all values are equal.
    """
    data = np.asarray(values, dtype=np.float64)
    data = data[~np.isnan(data)]
    n = int(data.size)
    if n == 0:
        return 0, math.nan, math.nan, math.nan, math.nan
    mean = float(data.mean())
    if n == 1:
        return 1, mean, math.nan, math.nan, math.nan
    sd = float(data.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, df=n - 1)) * sd / math.sqrt(n)
    return n, mean, sd, mean - half, mean + half


def replicate_values(runs: pd.DataFrame, outcomes: Sequence[str] = MAIN_OUTCOMES) -> pd.DataFrame:
    """Reduce every replicate to one number per outcome and statistic.

    Args:
        runs: A replicate table (scenario, replicate, seed, month, outcomes...).
        outcomes: The outcome columns to reduce.

    Returns:
        Long table with columns ``scenario``, ``replicate``, ``seed``, ``statistic``,
        ``outcome``, ``value``; scenarios in the order they first appear.
    """
    keys = ["scenario", "replicate", "seed"]
    ordered = runs.sort_values([*keys, "month"], kind="stable")
    groups = ordered.groupby(keys, sort=False)
    final = groups.tail(1).set_index(keys)[list(outcomes)]
    # A run mean skips NaN months (an outcome undefined in some months); all-NaN stays NaN.
    reduced = {"final": final, "run_mean": groups[list(outcomes)].mean()}
    frames = []
    for statistic in STATISTICS:
        wide = reduced[statistic].astype(np.float64).reset_index()
        long = wide.melt(id_vars=keys, var_name="outcome", value_name="value")
        long.insert(3, "statistic", statistic)
        frames.append(long)
    table = pd.concat(frames, ignore_index=True)
    order = {name: number for number, name in enumerate(pd.unique(runs["scenario"]))}
    table["_order"] = table["scenario"].map(order)
    outcome_order = {name: number for number, name in enumerate(outcomes)}
    table["_outcome"] = table["outcome"].map(outcome_order)
    table["_statistic"] = table["statistic"].map({s: i for i, s in enumerate(STATISTICS)})
    table = table.sort_values(["_order", "_statistic", "_outcome", "replicate"], kind="stable")
    return table.drop(columns=["_order", "_outcome", "_statistic"]).reset_index(drop=True)


def summarise(
    runs: pd.DataFrame, outcomes: Sequence[str] = MAIN_OUTCOMES, level: float = 0.95
) -> pd.DataFrame:
    """Mean and t-interval over replicates, per scenario, statistic and outcome.

    Args:
        runs: A replicate table.
        outcomes: The outcome columns to summarise.
        level: Coverage of the intervals.

    Returns:
        Tidy table with columns ``scenario``, ``statistic``, ``outcome``, ``n``, ``mean``,
        ``sd``, ``low``, ``high``.
    """
    values = replicate_values(runs, outcomes)
    rows = [
        (scenario, statistic, outcome, *t_interval(group["value"].to_numpy(), level))
        for (scenario, statistic, outcome), group in values.groupby(
            ["scenario", "statistic", "outcome"], sort=False
        )
    ]
    columns = ["scenario", "statistic", "outcome", "n", "mean", "sd", "low", "high"]
    return pd.DataFrame(rows, columns=columns)


def differences(
    runs: pd.DataFrame,
    outcomes: Sequence[str] = MAIN_OUTCOMES,
    level: float = 0.95,
    baseline: str | None = None,
) -> pd.DataFrame:
    """Paired differences of every scenario from a baseline, with t-intervals.

    Replicates are paired by seed; a pair is dropped when either value is NaN.

    Args:
        runs: A replicate table.
        outcomes: The outcome columns to compare.
        level: Coverage of the intervals.
        baseline: The scenario compared against; the first one in ``runs`` by default.

    Returns:
        Tidy table with columns ``scenario``, ``baseline``, ``statistic``, ``outcome``, ``n``,
        ``mean`` (scenario minus baseline), ``sd``, ``low``, ``high``; empty when there is
        only one scenario.

    Raises:
        ValueError: If ``baseline`` is not a scenario in ``runs``.
    """
    values = replicate_values(runs, outcomes)
    names = list(pd.unique(values["scenario"]))
    baseline = names[0] if baseline is None else baseline
    if baseline not in names:
        raise ValueError(f"baseline {baseline!r} is not among the scenarios: {names}")
    keys = ["seed", "statistic", "outcome"]
    base = values[values["scenario"] == baseline].set_index(keys)["value"]
    rows = []
    for name in names:
        if name == baseline:
            continue
        other = values[values["scenario"] == name].set_index(keys)["value"]
        paired = pd.concat({"other": other, "base": base}, axis=1, join="inner")
        paired["difference"] = paired["other"] - paired["base"]
        for (statistic, outcome), group in paired.groupby(
            level=["statistic", "outcome"], sort=False
        ):
            interval = t_interval(group["difference"].to_numpy(), level)
            rows.append((name, baseline, statistic, outcome, *interval))
    columns = ["scenario", "baseline", "statistic", "outcome", "n", "mean", "sd", "low", "high"]
    return pd.DataFrame(rows, columns=columns)


def decimals_for(values: Sequence[float] | np.ndarray, digits: int = 3) -> int:
    """Decimals that show the largest of some values to ``digits`` significant digits.

    One precision per table row keeps a row's cells comparable, and rounds floating-point
    noise (1e-18 where the answer is 0) to zero.
    """
    data = np.abs(np.asarray(values, dtype=np.float64))
    data = data[np.isfinite(data) & (data > 0)]
    if data.size == 0:
        return 0
    return int(np.clip(digits - 1 - math.floor(math.log10(data.max())), 0, 6))


def format_number(value: float, decimals: int = 3) -> str:
    """Format a number with thousands separators; NaN as a dash."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    # "-0.000" would suggest a sign the rounded value does not have.
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def format_interval(mean: float, low: float, high: float, decimals: int = 3) -> str:
    """Format ``mean [low, high]``, or the mean alone when there is no interval."""
    if math.isnan(low):
        return format_number(mean, decimals)
    numbers = (format_number(value, decimals) for value in (mean, low, high))
    return "{} [{}, {}]".format(*numbers)


def interval_table(table: pd.DataFrame, statistic: str = "final") -> pd.DataFrame:
    """Pivot a summary or differences table to outcomes by scenario, cells ``mean [low, high]``.

    Args:
        table: The output of :func:`summarise` or :func:`differences`.
        statistic: ``"final"`` or ``"run_mean"``.

    Returns:
        A table of strings indexed by outcome, one column per scenario; a cell notes ``(n=k)``
        when fewer replicates than the most in the table were usable.
    """
    chosen = table[table["statistic"] == statistic]
    most = int(chosen["n"].max()) if len(chosen) else 0
    decimals = {
        outcome: decimals_for(rows[["mean", "low", "high"]].to_numpy().ravel())
        for outcome, rows in chosen.groupby("outcome", sort=False)
    }
    cells = chosen.assign(
        cell=[
            format_interval(row.mean, row.low, row.high, decimals[row.outcome])
            + (f" (n={row.n})" if row.n < most else "")
            for row in chosen.itertuples()
        ]
    )
    wide = cells.pivot(index="outcome", columns="scenario", values="cell")
    outcomes = list(pd.unique(chosen["outcome"]))
    scenarios = list(pd.unique(chosen["scenario"]))
    return wide.loc[outcomes, scenarios].rename_axis(index="outcome", columns=None)
