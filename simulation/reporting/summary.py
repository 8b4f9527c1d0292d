"""Summaries of a replicate table: means with t-intervals, paired differences, end trends.

The input is the tidy table of :func:`simulation.experiment.runs.run_replicates` (one row per
scenario, replicate and month). Each replicate is first reduced to one number per outcome by a
*statistic* (:mod:`simulation.reporting.statistics`): its value in the final month
(``"final"``), at a chosen month (``"at:1938-12"``), its mean over the whole run
(``"run_mean"``) or over a window (``"mean:1937-01:1938-12"``); the replicates are then the
independent observations of a t-interval. Means leave out cumulative counts (their mean over
months answers no question; read them at a date). Differences are paired by replicate seed,
because replicate ``k`` of every scenario shares its random numbers: the paired interval is
narrower than comparing two separate means.

A final-month value is only as good as the end date is well chosen: :func:`end_trends` says
which outcomes are still moving when the runs stop (rule in :data:`TREND_MONTHS`,
:data:`TREND_SHARE`), and :func:`summarise` adds that to its final-month rows.

Replicates whose value is NaN (e.g. ``innocent_share_total`` when nobody was ever punished) are
dropped from that outcome's interval; ``n`` says how many were used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from simulation.reporting.statistics import held_at_congresses, reduce_groups, summarisable

#: The outcomes summarised by default, in report order.
MAIN_OUTCOMES = (
    "openness",
    "falsification",
    "hidden_disagreement",
    "fear",
    "policy_error",
    "leader_error",
    "votes_against",
    "hidden_opposition",
    "delegates_against",
    "innocent_share_total",
    "cc_purged_share",
    "cc1924_purged_share",
    "expelled_total",
    "imprisoned_total",
    "executed_total",
    "members_active",
)

#: The world's outcomes, summarised after the party's when the scenarios have the world layer on
#: (docs/ODD.md, "The world around the party"; the columns exist only then).
WORLD_MAIN_OUTCOMES = (
    "communist_states",
    "hostility_mean",
    "at_war",
    "german_right",
    "world_threat",
    "war_dead",
)

#: Would the party have become a form of democracy? (docs/ODD.md 7.12): summarised after
#: :data:`MAIN_OUTCOMES` in runs with the leaders (``succession.enabled``), the only ones
#: that record them.
DEMOCRACY_MEASURES = (
    "leader_changes_by_vote",
    "leader_changes_by_death",
    "leader_changes_by_purge",
    "platforms_supported",
    "congresses_held",
    "congresses_postponed",
    "losers_surviving",
)

#: The congress results a comparison lists congress by congress (docs/ODD.md 7.9).
CONGRESS_VOTE_OUTCOMES = ("votes_against", "hidden_opposition", "delegates_against")

#: The statistics of a comparison's tables unless others are asked for.
STATISTICS = ("final", "run_mean")

#: An outcome is *still moving* at the end date when a straight line fitted to each replicate's
#: last ``TREND_MONTHS`` months changes, over a year, by at least ``TREND_SHARE`` of the range
#: the outcome's replicate mean covers over the whole run, and the 95% interval of that yearly
#: change over replicates excludes zero (with one replicate, the first condition alone).
TREND_MONTHS = 12
TREND_SHARE = 0.05


def main_outcomes(runs: pd.DataFrame) -> tuple[str, ...]:
    """The main outcomes, the democracy measures and the world's a replicate table holds.

    :data:`MAIN_OUTCOMES`, then :data:`DEMOCRACY_MEASURES` (columns only of runs with the leaders,
    ``succession.enabled``), then :data:`WORLD_MAIN_OUTCOMES` (only of runs with the world layer
    on); the congress outcomes are columns only of runs whose scenario holds congresses.
    """
    chosen = MAIN_OUTCOMES + DEMOCRACY_MEASURES + WORLD_MAIN_OUTCOMES
    return tuple(name for name in chosen if name in runs.columns)


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


def wilson_interval(count: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval of a share ``count / n`` (Wilson 1927).

    Unlike a t-interval it stays within 0-1 and does not shrink to a point when every run
    agrees: 10 of 10 gives about [0.72, 1].

    With ``z`` the normal quantile of the level and ``p = count / n``::

        centre = (p + z^2 / 2n) / (1 + z^2 / n)
        half   = z sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n)

    Args:
        count: Replicates in which it happened.
        n: Replicates.
        level: Coverage of the interval.

    Returns:
        ``(low, high)``; NaN for both when ``n`` is 0.
    """
    if n <= 0:
        return math.nan, math.nan
    z = float(stats.norm.ppf(0.5 + level / 2))
    share = count / n
    scale = 1.0 + z * z / n
    centre = (share + z * z / (2 * n)) / scale
    half = z * math.sqrt(share * (1.0 - share) / n + z * z / (4 * n * n)) / scale
    # At 0 and n the bounds are 0 and 1 exactly; computed, they would miss by rounding.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


def replicate_values(
    runs: pd.DataFrame,
    outcomes: Sequence[str] = MAIN_OUTCOMES,
    statistics: Sequence[str] = STATISTICS,
) -> pd.DataFrame:
    """Reduce every replicate to one number per outcome and statistic.

    Args:
        runs: A replicate table (scenario, replicate, seed, month, outcomes...).
        outcomes: The outcome columns to reduce.
        statistics: How to reduce (see :mod:`simulation.reporting.statistics`); means leave
            out cumulative counts.

    Returns:
        Long table with columns ``scenario``, ``replicate``, ``seed``, ``statistic``,
        ``outcome``, ``value``; scenarios in the order they first appear, then statistics and
        outcomes in the order given.

    Raises:
        ValueError: If a statistic is unknown, or a date or window holds none of the months.
    """
    keys = ["scenario", "replicate", "seed"]
    ordered = runs.sort_values([*keys, "month"], kind="stable")
    frames = []
    for statistic in statistics:
        chosen = [name for name in outcomes if summarisable(name, statistic)]
        # A run mean skips NaN months (an outcome undefined in some months); all-NaN stays NaN.
        wide = reduce_groups(ordered, keys, chosen, statistic).reset_index()
        long = wide.melt(id_vars=keys, var_name="outcome", value_name="value")
        long.insert(3, "statistic", statistic)
        frames.append(long)
    table = pd.concat(frames, ignore_index=True)
    order = {name: number for number, name in enumerate(pd.unique(runs["scenario"]))}
    table["_order"] = table["scenario"].map(order)
    outcome_order = {name: number for number, name in enumerate(outcomes)}
    table["_outcome"] = table["outcome"].map(outcome_order)
    table["_statistic"] = table["statistic"].map({s: i for i, s in enumerate(statistics)})
    table = table.sort_values(["_order", "_statistic", "_outcome", "replicate"], kind="stable")
    return table.drop(columns=["_order", "_outcome", "_statistic"]).reset_index(drop=True)


def _yearly_change(values: np.ndarray) -> float:
    """Slope of a least-squares line through monthly values, times 12; NaN months skipped."""
    months = np.arange(values.size, dtype=np.float64)
    known = np.isfinite(values)
    if known.sum() < 3:
        return math.nan
    x, y = months[known], values[known]
    x = x - x.mean()
    return float(12.0 * (x @ (y - y.mean())) / (x @ x))


def end_trends(
    runs: pd.DataFrame,
    outcomes: Sequence[str] = MAIN_OUTCOMES,
    level: float = 0.95,
    months: int = TREND_MONTHS,
    share: float = TREND_SHARE,
) -> pd.DataFrame:
    """Whether each outcome is still moving when the runs end, per scenario.

    Args:
        runs: A replicate table.
        outcomes: The outcome columns.
        level: Coverage of the interval of the yearly change.
        months: How many final months the line is fitted to.
        share: The smallest yearly change, as a share of the outcome's range over the run,
            that counts as moving.

    Returns:
        Tidy table with columns ``scenario``, ``outcome``, ``end_change`` (the fitted change
        per year over the last ``months`` months, mean over replicates), ``end_change_low``,
        ``end_change_high`` (its interval), ``run_range`` (max − min of the replicate mean
        over the run) and ``still_moving`` (``"rising"``, ``"falling"`` or ``""``). A
        congress result held between congresses has no trend (NaN, ``""``).
    """
    keys = ["scenario", "replicate", "seed"]
    ordered = runs.sort_values([*keys, "month"], kind="stable")
    rows = []
    for scenario, group in ordered.groupby("scenario", sort=False):
        means = group.groupby("month", sort=True)[list(outcomes)].mean()
        tails = group.groupby(keys[1:], sort=False).tail(months)
        for outcome in outcomes:
            if held_at_congresses(outcome):
                # A congress's result changes only at congresses: no trend to read.
                rows.append((scenario, outcome, math.nan, math.nan, math.nan, math.nan, ""))
                continue
            changes = [
                _yearly_change(run[outcome].to_numpy(dtype=np.float64))
                for _, run in tails.groupby(keys[1:], sort=False)
            ]
            n, mean, _, low, high = t_interval(changes, level)
            series = means[outcome].to_numpy(dtype=np.float64)
            span = float(np.nanmax(series) - np.nanmin(series)) if np.isfinite(series).any() else 0
            clear = n == 1 or (math.isfinite(low) and (low > 0 or high < 0))
            moving = n > 0 and span > 0 and abs(mean) >= share * span and clear
            direction = ("rising" if mean > 0 else "falling") if moving else ""
            rows.append((scenario, outcome, mean, low, high, span, direction))
    columns = [
        "scenario",
        "outcome",
        "end_change",
        "end_change_low",
        "end_change_high",
        "run_range",
        "still_moving",
    ]
    return pd.DataFrame(rows, columns=columns)


def summarise(
    runs: pd.DataFrame,
    outcomes: Sequence[str] = MAIN_OUTCOMES,
    level: float = 0.95,
    statistics: Sequence[str] = STATISTICS,
) -> pd.DataFrame:
    """Mean and t-interval over replicates, per scenario, statistic and outcome.

    Args:
        runs: A replicate table.
        outcomes: The outcome columns to summarise.
        level: Coverage of the intervals.
        statistics: How each replicate is reduced: ``"final"``, ``"run_mean"``,
            ``"at:YYYY-MM"``, ``"mean:YYYY-MM:YYYY-MM"`` (see
            :mod:`simulation.reporting.statistics`). Means leave out cumulative counts.

    Returns:
        Tidy table with columns ``scenario``, ``statistic``, ``outcome``, ``n``, ``mean``,
        ``sd``, ``low``, ``high``, then :func:`end_trends`' ``end_change`` and
        ``still_moving`` on the final-month rows (empty on the others).

    Raises:
        ValueError: If a statistic is unknown, or a date or window holds none of the months.
    """
    values = replicate_values(runs, outcomes, statistics)
    rows = [
        (scenario, statistic, outcome, *t_interval(group["value"].to_numpy(), level))
        for (scenario, statistic, outcome), group in values.groupby(
            ["scenario", "statistic", "outcome"], sort=False
        )
    ]
    columns = ["scenario", "statistic", "outcome", "n", "mean", "sd", "low", "high"]
    table = pd.DataFrame(rows, columns=columns)
    trends = end_trends(runs, outcomes, level)
    trends = trends[["scenario", "outcome", "end_change", "still_moving"]].assign(statistic="final")
    table = table.merge(trends, how="left", sort=False)
    table["still_moving"] = table["still_moving"].fillna("")
    return table


def differences(
    runs: pd.DataFrame,
    outcomes: Sequence[str] = MAIN_OUTCOMES,
    level: float = 0.95,
    baseline: str | None = None,
    statistics: Sequence[str] = STATISTICS,
) -> pd.DataFrame:
    """Paired differences of every scenario from a baseline, with t-intervals.

    Replicates are paired by seed; a pair is dropped when either value is NaN.

    Args:
        runs: A replicate table.
        outcomes: The outcome columns to compare.
        level: Coverage of the intervals.
        baseline: The scenario compared against; the first one in ``runs`` by default.
        statistics: How each replicate is reduced (as in :func:`summarise`).

    Returns:
        Tidy table with columns ``scenario``, ``baseline``, ``statistic``, ``outcome``, ``n``,
        ``mean`` (scenario minus baseline), ``sd``, ``low``, ``high``; empty when there is
        only one scenario.

    Raises:
        ValueError: If ``baseline`` is not a scenario in ``runs``.
    """
    values = replicate_values(runs, outcomes, statistics)
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


def congress_votes(
    runs: pd.DataFrame,
    congresses: Mapping[str, Sequence[str]],
    outcomes: Sequence[str] = CONGRESS_VOTE_OUTCOMES,
    level: float = 0.95,
) -> pd.DataFrame:
    """Each congress's results per scenario: mean and t-interval over replicates.

    A congress outcome holds the latest congress's result until the next, so each is read in
    the month of a congress the scenario holds (its row carries that congress's vote), never
    averaged over months.

    Args:
        runs: A replicate table.
        congresses: Scenario -> the months (``YYYY-MM``) of the congresses it holds.
        outcomes: The congress outcome columns; those the table lacks are left out.
        level: Coverage of the intervals.

    Returns:
        Tidy table with columns ``scenario``, ``month``, ``outcome``, ``n``, ``mean``, ``sd``,
        ``low``, ``high``: scenarios in the order of ``runs``, months in time order; empty when
        the runs hold no congress outcome.
    """
    present = [name for name in outcomes if name in runs.columns]
    rows = []
    for scenario, group in runs.groupby("scenario", sort=False):
        months = group["month"].astype(str)
        for month in sorted(congresses.get(scenario, ())):
            chosen = group[months == month]
            for outcome in present:
                values = chosen[outcome].to_numpy(dtype=np.float64)
                rows.append((scenario, month, outcome, *t_interval(values, level)))
    columns = ["scenario", "month", "outcome", "n", "mean", "sd", "low", "high"]
    return pd.DataFrame(rows, columns=columns)


def congress_table(votes: pd.DataFrame, outcome: str, names: Mapping[str, str]) -> pd.DataFrame:
    """One congress outcome as a table: a row per congress month, a column per scenario.

    Args:
        votes: Output of :func:`congress_votes`.
        outcome: The outcome.
        names: Month -> the congress's name, for the row labels.

    Returns:
        Cells ``mean [low, high]`` (``(n=k)`` when fewer replicates than the most had a
        value); a dash where a scenario holds no congress that month.
    """
    chosen = votes[votes["outcome"] == outcome]
    decimals = decimals_for(chosen[["mean", "low", "high"]].to_numpy().ravel())
    cells = chosen.assign(cell=interval_cells(chosen, [decimals] * len(chosen)))
    wide = cells.pivot(index="month", columns="scenario", values="cell")
    wide = wide.reindex(columns=list(pd.unique(chosen["scenario"]))).sort_index().fillna("–")
    wide.index = [f"{month} {names.get(month, '')}".strip() for month in wide.index]
    wide.columns = [str(name) for name in wide.columns]
    return wide


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


def interval_cells(rows: pd.DataFrame, decimals: Sequence[int]) -> list[str]:
    """Cells ``mean [low, high]`` of summary rows, with ``(n=k)`` where replicates are missing.

    A row notes its ``n`` when it has fewer replicates than the most of any row.

    Args:
        rows: Summary rows (``n``, ``mean``, ``low``, ``high``).
        decimals: The decimals of each row.
    """
    most = int(rows["n"].max()) if len(rows) else 0
    return [
        format_interval(row.mean, row.low, row.high, int(places))
        + (f" (n={row.n})" if row.n < most else "")
        for row, places in zip(rows.itertuples(), decimals, strict=True)
    ]


#: Heading of the column that says which outcomes are still moving at the end date.
MOVING_COLUMN = "still moving at the end"


def moving_words(rows: pd.DataFrame) -> str:
    """Which scenarios an outcome is still moving in, e.g. ``"rising: trotsky"`` or ``"no"``.

    Args:
        rows: One outcome's final-month summary rows (``scenario``, ``still_moving``).
    """
    moving = rows[rows["still_moving"].astype(bool)]
    if moving.empty:
        return "no"
    if rows["scenario"].nunique() == 1:
        return str(moving["still_moving"].iloc[0])
    parts = []
    for direction in ("rising", "falling"):
        names = moving.loc[moving["still_moving"] == direction, "scenario"]
        if len(names):
            parts.append(f"{direction}: {', '.join(map(str, names))}")
    return "; ".join(parts)


def interval_table(table: pd.DataFrame, statistic: str = "final") -> pd.DataFrame:
    """Pivot a summary or differences table to outcomes by scenario, cells ``mean [low, high]``.

    Args:
        table: The output of :func:`summarise` or :func:`differences`.
        statistic: ``"final"``, ``"run_mean"``, ``"at:YYYY-MM"`` or ``"mean:YYYY-MM:YYYY-MM"``.

    Returns:
        A table of strings indexed by outcome, one column per scenario; a cell notes ``(n=k)``
        when fewer replicates than the most in the table were usable. A summary's final-month
        table ends with a column (:data:`MOVING_COLUMN`) naming the scenarios in which the
        outcome is still rising or falling at the end date (see :func:`end_trends`).
    """
    chosen = table[table["statistic"] == statistic]
    decimals = {
        outcome: decimals_for(rows[["mean", "low", "high"]].to_numpy().ravel())
        for outcome, rows in chosen.groupby("outcome", sort=False)
    }
    cells = chosen.assign(cell=interval_cells(chosen, chosen["outcome"].map(decimals)))
    wide = cells.pivot(index="outcome", columns="scenario", values="cell")
    outcomes = list(pd.unique(chosen["outcome"]))
    scenarios = list(pd.unique(chosen["scenario"]))
    wide = wide.loc[outcomes, scenarios].rename_axis(index="outcome", columns=None)
    if statistic == "final" and "still_moving" in chosen.columns and "baseline" not in chosen:
        groups = chosen.groupby("outcome", sort=False)
        wide[MOVING_COLUMN] = [moving_words(groups.get_group(name)) for name in outcomes]
    return wide
