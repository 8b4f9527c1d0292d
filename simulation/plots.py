"""Figures: outcomes over time with replicate bands, and a panel of one run.

Figures are drawn on :class:`matplotlib.figure.Figure` objects rather than through
:mod:`matplotlib.pyplot`: nothing is registered with a GUI, nothing needs a backend switch at
import time, and a figure is freed as soon as it goes out of scope. Saving a PNG uses the Agg
renderer. Colours are the Okabe & Ito (2008) palette, which stays distinguishable under the
common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from scipy import stats

#: Okabe & Ito's colour-blind-safe palette (black last, for an eighth series).
OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#F0E442",
    "#000000",
)

#: Outcome -> (title, y-axis label with units).
LABELS: dict[str, tuple[str, str]] = {
    "openness": ("Debate openness", "share of private disagreement voiced (0–1)"),
    "falsification": ("Preference falsification", "mean |belief − said| (policy axis, 0–2)"),
    "fear": ("Fear", "mean fear of active members (0–1)"),
    "policy_error": ("Policy error", "|line − correct line| (policy axis, 0–2)"),
    "leader_error": (
        "Leader's error about the party",
        "|heard − true mean belief| (policy axis, 0–2)",
    ),
    "innocent_share_total": ("Innocents among the punished", "share of all punished (0–1)"),
    "cc_purged_share": ("Central committee purged", "share of the 1924 CC (0–1)"),
    "expelled_total": ("Expulsions, cumulative", "model members"),
    "imprisoned_total": ("Imprisonments, cumulative", "model members"),
    "executed_total": ("Executions, cumulative", "model members"),
    "members_active": ("Party membership", "active model members"),
    "members_expelled": ("Expelled, living outside prison", "model members"),
    "prisoners": ("In prison", "model members"),
    "deviating": ("Open deviation", "share of active members (0–1)"),
}


def label(outcome: str) -> tuple[str, str]:
    """Title and y-axis label of an outcome (its name when it has none registered)."""
    return LABELS.get(outcome, (outcome.replace("_", " ").capitalize(), outcome))


def month_dates(months: pd.Series | Sequence[str]) -> pd.DatetimeIndex:
    """Turn ``"YYYY-MM"`` strings into datetimes (the first of each month)."""
    return pd.DatetimeIndex(pd.to_datetime(pd.Series(months), format="%Y-%m"))


def _date_axis(axes: Axes) -> None:
    locator = AutoDateLocator(minticks=4, maxticks=9)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.grid(True, color="0.9", linewidth=0.8)
    axes.set_axisbelow(True)


def _save(figure: Figure, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, format="png")
    figure.clear()  # free the artists now; the Figure is not registered with pyplot
    return path


def band(runs: pd.DataFrame, outcome: str, level: float = 0.95) -> pd.DataFrame:
    """Per scenario and month: replicate mean and t-interval of one outcome.

    Args:
        runs: A replicate table (scenario, replicate, seed, month, outcomes...).
        outcome: The outcome column.
        level: Coverage of the band.

    Returns:
        Columns ``scenario``, ``month``, ``n``, ``mean``, ``low``, ``high``; scenarios in their
        order of appearance, months in time order. NaN values are left out of each month.
    """
    grouped = runs.groupby(["scenario", "month"], sort=False)[outcome]
    table = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    n = table["n"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = stats.t.ppf(0.5 + level / 2, df=np.where(n > 1, n - 1, np.nan))
        half = quantile * table["sd"].to_numpy() / np.sqrt(n)
    table["low"] = table["mean"] - half
    table["high"] = table["mean"] + half
    order = {name: number for number, name in enumerate(pd.unique(runs["scenario"]))}
    table = table.assign(_order=table["scenario"].map(order))
    table = table.sort_values(["_order", "month"], kind="stable").drop(columns="_order")
    return table[["scenario", "month", "n", "mean", "low", "high"]].reset_index(drop=True)


def draw_band(
    axes: Axes, runs: pd.DataFrame, outcome: str, level: float = 0.95, legend: bool = True
) -> None:
    """Draw one outcome's mean line and band per scenario on an axes."""
    table = band(runs, outcome, level)
    for number, (name, rows) in enumerate(table.groupby("scenario", sort=False)):
        colour = OKABE_ITO[number % len(OKABE_ITO)]
        dates = month_dates(rows["month"])
        axes.plot(dates, rows["mean"], color=colour, linewidth=1.6, label=name)
        axes.fill_between(dates, rows["low"], rows["high"], color=colour, alpha=0.25, linewidth=0)
    title, ylabel = label(outcome)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.set_xlabel("month")
    _date_axis(axes)
    if legend:
        axes.legend(frameon=False, title="scenario")


def replicates_in(runs: pd.DataFrame) -> int:
    """The smallest number of replicates of any scenario in a replicate table."""
    return int(runs.groupby("scenario", sort=False)["replicate"].nunique().min())


def band_figure(
    runs: pd.DataFrame,
    outcome: str,
    path: str | Path,
    level: float = 0.95,
    title: str | None = None,
) -> Path:
    """Save one outcome over time: a mean line and a band per scenario.

    Args:
        runs: A replicate table.
        outcome: The outcome column.
        path: Where to write the PNG.
        level: Coverage of the band (a t-interval over replicates).
        title: Figure title; the outcome's title and the replicate count by default.

    Returns:
        The path written.
    """
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.add_subplot()
    draw_band(axes, runs, outcome, level)
    name, _ = label(outcome)
    axes.set_title(
        title or f"{name}: mean and {level:.0%} interval over {replicates_in(runs)} replicates"
    )
    return _save(figure, Path(path))


def purges_figure(runs: pd.DataFrame, path: str | Path, level: float = 0.95) -> Path:
    """Save cumulative expulsions, imprisonments and executions, one panel each, with bands.

    Args:
        runs: A replicate table.
        path: Where to write the PNG.
        level: Coverage of the bands.

    Returns:
        The path written.
    """
    kinds = ("expelled_total", "imprisoned_total", "executed_total")
    figure = Figure(figsize=(12, 4), layout="constrained")
    panels = figure.subplots(1, len(kinds), sharey=False)
    for number, (axes, outcome) in enumerate(zip(panels, kinds, strict=True)):
        draw_band(axes, runs, outcome, level, legend=number == 0)
    figure.suptitle(
        f"Purges since the start: mean and {level:.0%} interval over "
        f"{replicates_in(runs)} replicates"
    )
    return _save(figure, Path(path))


def run_panel(outcomes: pd.DataFrame, path: str | Path, title: str) -> Path:
    """Save a panel of one run's main outcomes.

    Panels: purges per month by kind, openness, falsification, fear, policy and leader error,
    and membership.

    Args:
        outcomes: One run's monthly outcome table.
        path: Where to write the PNG.
        title: Figure title (e.g. scenario and seed).

    Returns:
        The path written.
    """
    dates = month_dates(outcomes["month"])
    figure = Figure(figsize=(13, 8), layout="constrained")
    grid = figure.subplots(2, 3).ravel()

    def lines(axes: Axes, columns: dict[str, str], name: str, ylabel: str) -> None:
        for number, (column, legend) in enumerate(columns.items()):
            axes.plot(dates, outcomes[column], color=OKABE_ITO[number], lw=1.4, label=legend)
        axes.set_title(name)
        axes.set_ylabel(ylabel)
        _date_axis(axes)
        if len(columns) > 1:
            axes.legend(frameon=False, fontsize="small")

    purges = {"expelled": "expulsions", "imprisoned": "imprisonments", "executed": "executions"}
    lines(grid[0], purges, "Purges per month, by kind", "model members per month")
    for axes, outcome in zip(grid[1:4], ("openness", "falsification", "fear"), strict=True):
        lines(axes, {outcome: outcome}, *label(outcome))
    errors = {"policy_error": "policy error", "leader_error": "leader's error"}
    lines(grid[4], errors, "Policy error and leader's error", "distance on the policy axis (0–2)")
    members = {
        "members_active": "active members",
        "members_expelled": "expelled, outside prison",
        "prisoners": "in prison",
    }
    lines(grid[5], members, "Membership", "model members")
    for axes in grid[3:]:
        axes.set_xlabel("month")
    figure.suptitle(title)
    return _save(figure, Path(path))
