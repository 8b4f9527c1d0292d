"""Figures: outcomes over time with replicate bands, a panel of one run, sweeps and sensitivity.

Figures are drawn on :class:`matplotlib.figure.Figure` objects rather than through
:mod:`matplotlib.pyplot`: nothing is registered with a GUI, nothing needs a backend switch at
import time, and a figure is freed as soon as it goes out of scope. Saving uses the Agg
renderer for PNG and matplotlib's SVG writer for SVG; every figure is written in both formats
by default (PNG for quick viewing, SVG for print and for the HTML reports). Lines and bars use
the Okabe & Ito (2008) palette, and heat maps the perceptually uniform *viridis* map; both stay
readable under the common forms of colour blindness. Each line also has its own line style and
marker (:func:`series_style`) and is drawn over every band, so that series stay apart in
greyscale and where their values coincide.

Each figure has one function, named after it (:func:`band`, :func:`purges`, :func:`run_panel`,
:func:`heatmap`, :func:`response_curve`, :func:`sensitivity_bars`), which returns the
:class:`Figure`: a notebook shows it as a cell's value, and :func:`save` writes it. Titles and
units come from where each outcome and parameter is defined (the outcome registry,
:mod:`simulation.model.outcomes`, and the scenario schema), never from a table of their own.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from scipy import stats

from simulation.model.outcomes import title_and_unit
from simulation.output import atomic
from simulation.reporting.analysis import reduce_runs
from simulation.reporting.statistics import statistic_words
from simulation.reporting.summary import decimals_for, format_number, t_interval
from simulation.scenario.calendar import month_periods
from simulation.scenario.schema import field_info, field_label

#: The formats every figure is written in unless a caller asks otherwise.
FORMATS = ("png", "svg")

#: Perceptually uniform and colour-blind-safe; viridis reads well in greyscale too.
HEATMAP_CMAP = "viridis"

#: Grids up to this many cells on each side get their values written in the cells.
ANNOTATE_UP_TO = 12
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


#: Line styles and markers cycled with the colours, so that series stay apart where their
#: values coincide (a counterfactual identical to another until it diverges) and in greyscale.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)), "-")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Markers drawn on a line (at most), each series' offset so that they do not cover each other.
MARKS_PER_LINE = 12


def series_style(number: int, count: int = 1, points: int = 0) -> dict[str, object]:
    """Colour, line style and marker of the ``number``-th of ``count`` series.

    Each series differs from the others in all three, so two series with the same values
    still show as two lines: the later one is drawn dashed over the earlier, and their markers
    fall on different months.

    Args:
        number: The series' place (0-based).
        count: How many series share the axes (spaces their markers apart).
        points: How many points the line has (0: no markers).

    Returns:
        Keyword arguments for :meth:`matplotlib.axes.Axes.plot`.
    """
    style: dict[str, object] = {
        "color": OKABE_ITO[number % len(OKABE_ITO)],
        "linestyle": LINESTYLES[number % len(LINESTYLES)],
    }
    if points:
        step = max(1, points // MARKS_PER_LINE)
        style |= {
            "marker": MARKERS[number % len(MARKERS)],
            "markevery": (number * step // max(count, 1) % step, step),
            "markersize": 4.5,
            "markeredgecolor": "white",
            "markeredgewidth": 0.6,
        }
    return style


def label(outcome: str) -> tuple[str, str]:
    """Title and axis label (its unit) of an outcome, as the outcome registry declares them."""
    return title_and_unit(outcome)


def parameter_label(name: str) -> str:
    """Axis label of a design parameter: its title and unit, then its dotted key path.

    Titles and units are those the scenario schema declares; a field without them is labelled
    with its description (shortened), so a sweep over any field gets a readable axis.
    """
    declared = field_label(name)
    if declared is not None:
        title, unit = declared
        return f"{title} ({unit})\n{name}" if unit else f"{title}\n{name}"
    field = field_info(name)
    if field is not None and field.description:
        return f"{textwrap.shorten(field.description, 48, placeholder='…')}\n{name}"
    return name


def outcome_label(outcome: str, statistic: str | None = None) -> str:
    """Colour-bar or axis label of an outcome: title, statistic and unit on two lines."""
    title, unit = label(outcome)
    words = f", {statistic_words(statistic)}" if statistic else ""
    return f"{title}{words}\n{unit}"


def month_dates(months: pd.Series | Sequence[str]) -> pd.DatetimeIndex:
    """Turn months (periods, or ``"YYYY-MM"`` text read from a file) into datetimes.

    Each month becomes the first day of it, for matplotlib's date axis.
    """
    return pd.DatetimeIndex(month_periods(pd.Series(months)).dt.to_timestamp())


def _date_axis(axes: Axes) -> None:
    locator = AutoDateLocator(minticks=4, maxticks=9)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.grid(True, color="0.9", linewidth=0.8)
    axes.set_axisbelow(True)


def save(
    figure: Figure,
    path: str | Path,
    formats: Sequence[str] = FORMATS,
    dpi: int = 120,
) -> Path:
    """Write a figure in several formats next to each other, each file atomically.

    ``path``'s suffix is replaced by each format's (``figures/fear.png`` gives
    ``figures/fear.png`` and ``figures/fear.svg``). Each file is drawn into a hidden sibling and
    renamed, so a reader never sees half a figure. The figure is cleared afterwards.

    Args:
        figure: The figure.
        path: Where to write; the suffix chooses which written file is returned.
        formats: Any of matplotlib's formats, ``("png", "svg")`` by default.
        dpi: Resolution of raster formats.

    Returns:
        The file whose suffix is ``path``'s, if that format was written; else the first.

    Raises:
        ValueError: If ``formats`` is empty.
    """
    if not formats:
        raise ValueError("save needs at least one format")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    # Text stays text in the SVG (searchable, small, crisp at any zoom); a fixed hash salt and
    # no date make the SVG the same bytes every time the same figure is drawn.
    settings = {"svg.fonttype": "none", "svg.hashsalt": "politburo"}
    with mpl.rc_context(settings):
        for fmt in formats:
            metadata = {"Date": None} if fmt in ("svg", "pdf") else None
            target = atomic.replace_atomically(
                path.with_suffix(f".{fmt}"),
                lambda partial, fmt=fmt, metadata=metadata: figure.savefig(
                    partial, dpi=dpi, format=fmt, metadata=metadata
                ),
            )
            written.append(target)
    figure.clear()  # free the artists now; the Figure is not registered with pyplot
    return next((p for p in written if p.suffix == path.suffix), written[0])


def band_table(runs: pd.DataFrame, outcome: str, level: float = 0.95) -> pd.DataFrame:
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
    """Draw one outcome's mean line and band per scenario on an axes.

    Every band is drawn first and every line on top of them, each scenario in its own colour,
    line style and marker (:func:`series_style`), so that a scenario whose values equal
    another's stays visible.
    """
    table = band_table(runs, outcome, level)
    series = list(table.groupby("scenario", sort=False))
    for number, (_, rows) in enumerate(series):
        colour = series_style(number)["color"]
        dates = month_dates(rows["month"])
        axes.fill_between(dates, rows["low"], rows["high"], color=colour, alpha=0.2, linewidth=0)
    for number, (name, rows) in enumerate(series):
        # Markers tell series apart; a lone series needs none.
        style = series_style(number, len(series), len(rows) if len(series) > 1 else 0)
        axes.plot(month_dates(rows["month"]), rows["mean"], linewidth=1.6, label=name, **style)
    title, ylabel = label(outcome)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.set_xlabel("month")
    _date_axis(axes)
    if legend:
        axes.legend(frameon=False, title="scenario", handlelength=3.2)


def replicates_in(runs: pd.DataFrame) -> int:
    """The smallest number of replicates of any scenario in a replicate table."""
    return int(runs.groupby("scenario", sort=False)["replicate"].nunique().min())


def band(runs: pd.DataFrame, outcome: str, level: float = 0.95, title: str | None = None) -> Figure:
    """One outcome over time: a mean line and a band per scenario.

    Args:
        runs: A replicate table (scenario, replicate, seed, month, outcomes...).
        outcome: The outcome column.
        level: Coverage of the band (a t-interval over replicates).
        title: Figure title; the outcome's title and the replicate count by default.

    Returns:
        The figure (write it with :func:`save`).
    """
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.add_subplot()
    draw_band(axes, runs, outcome, level)
    name, _ = label(outcome)
    axes.set_title(
        title or f"{name}\nmean and {level:.0%} interval over {replicates_in(runs)} replicates"
    )
    return figure


def purges(runs: pd.DataFrame, level: float = 0.95) -> Figure:
    """Cumulative expulsions, imprisonments and executions, one panel each, with bands.

    Args:
        runs: A replicate table.
        level: Coverage of the bands.

    Returns:
        The figure (write it with :func:`save`).
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
    return figure


def run_panel(outcomes: pd.DataFrame, title: str = "") -> Figure:
    """A panel of one run's main outcomes.

    Panels: purges per month by kind, openness, falsification, fear, policy and leader error,
    and membership.

    Args:
        outcomes: One run's monthly outcome table.
        title: Figure title (e.g. scenario and seed).

    Returns:
        The figure (write it with :func:`save`).
    """
    dates = month_dates(outcomes["month"])
    figure = Figure(figsize=(13, 8), layout="constrained")
    grid = figure.subplots(2, 3).ravel()

    def lines(axes: Axes, columns: dict[str, str], name: str, ylabel: str) -> None:
        for number, (column, legend) in enumerate(columns.items()):
            style = series_style(number, len(columns), len(dates) if len(columns) > 1 else 0)
            axes.plot(dates, outcomes[column], lw=1.4, label=legend, **style)
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
    if title:
        figure.suptitle(title)
    return figure


# --- Sweeps and sensitivity ------------------------------------------------------------------


def _is_run_table(table: pd.DataFrame) -> bool:
    """Whether a table holds runs month by month (rather than a per-point summary)."""
    return "month" in table.columns


def _cell_means(
    table: pd.DataFrame, keys: Sequence[str], value: str, statistic: str
) -> pd.DataFrame:
    """Mean of an outcome per scenario and combination of ``keys``, with its run count.

    Accepts an experiment's tidy run table (each run reduced by ``statistic`` first), a
    per-point summary from :func:`simulation.reporting.analysis.summarise_points` (rows of
    ``value``'s outcome), or any table with a ``value`` column. Parameters not in ``keys`` are
    averaged over, each row weighing the same.
    """
    if _is_run_table(table):
        rows = reduce_runs(table, [value], statistic)
    elif {"outcome", "mean"} <= set(table.columns):
        rows = table[table["outcome"] == value]
        if "statistic" in rows.columns and statistic in set(rows["statistic"]):
            rows = rows[rows["statistic"] == statistic]
        rows = rows.rename(columns={"mean": value})
    else:
        rows = table
    missing = [name for name in (*keys, value) if name not in rows.columns]
    if missing or rows.empty:
        raise ValueError(f"cannot plot {value!r}: no column or rows for {missing or value!r}")
    if "scenario" not in rows.columns:
        rows = rows.assign(scenario="")
    grouped = rows.groupby(["scenario", *keys], sort=False)[value]
    return grouped.agg(mean="mean", runs="count").reset_index()


def _tick_text(values: Sequence[float]) -> list[str]:
    decimals = max(decimals_for(values, 3), 0)
    # Grid values such as 0.1, 0.2 need no more decimals than they have.
    texts = [format_number(float(v), decimals) for v in values]
    while decimals > 0 and all(t.endswith("0") for t in texts if "." in t):
        decimals -= 1
        texts = [format_number(float(v), decimals) for v in values]
    return texts


def _text_colour(rgba: Sequence[float]) -> str:
    """Black on light cells and white on dark ones (relative luminance, ITU-R BT.709)."""
    red, green, blue = rgba[:3]
    return "black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45 else "white"


def heatmap(
    table: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    *,
    statistic: str = "final",
    scenario: str | None = None,
    title: str | None = None,
    annotate: bool | None = None,
    cmap: str = HEATMAP_CMAP,
) -> Figure:
    """A heat map of an outcome's per-point mean over two design parameters.

    Args:
        table: An experiment's tidy run table, a per-point summary from
            :func:`simulation.reporting.analysis.summarise_points`, or any table with columns
            ``x``, ``y`` and ``value``. Parameters other than ``x`` and ``y`` are averaged over.
        x: Parameter on the horizontal axis (dotted key path).
        y: Parameter on the vertical axis.
        value: The outcome.
        statistic: How a run is reduced to one number (``final``, ``mean``,
            ``mean:YYYY-MM:YYYY-MM``); used for run tables and to pick summary rows.
        scenario: Draw only this scenario; by default one panel per scenario.
        title: Figure title; the outcome and parameters by default.
        annotate: Write each cell's value in it; by default when the grid is at most 12 × 12.
        cmap: A perceptually uniform colour map (``viridis`` or ``cividis`` keep it
            colour-blind safe).

    Returns:
        The figure: one panel per scenario, sharing one colour scale and colour bar. Each
        panel's :class:`~matplotlib.collections.QuadMesh` holds the cell means (rows ``y``,
        columns ``x``, both ascending); designs that are not grids (Latin hypercube samples)
        are drawn as coloured points instead.
    """
    cells = _cell_means(table, [x, y], value, statistic)
    if scenario is not None:
        cells = cells[cells["scenario"] == scenario]
        if cells.empty:
            raise ValueError(f"no scenario {scenario!r} in the table")
    scenarios = list(pd.unique(cells["scenario"]))
    norm = Normalize(float(np.nanmin(cells["mean"])), float(np.nanmax(cells["mean"])))
    figure = Figure(figsize=(5.2 * len(scenarios) + 1.6, 5.0), layout="constrained")
    panels = np.atleast_1d(figure.subplots(1, len(scenarios), squeeze=False).ravel())
    colours = mpl.colormaps[cmap]
    mappable = None
    for axes, name in zip(panels, scenarios, strict=True):
        rows = cells[cells["scenario"] == name]
        xs = np.sort(pd.unique(rows[x]))
        ys = np.sort(pd.unique(rows[y]))
        grid = rows.pivot_table(index=y, columns=x, values="mean", aggfunc="mean")
        grid = grid.reindex(index=ys, columns=xs)
        filled = np.isfinite(grid.to_numpy()).mean()
        axes.set_facecolor("0.85")  # cells without a value show as grey, not as a colour
        if filled < 0.5 and len(rows) > 4:
            mappable = axes.scatter(
                rows[x], rows[y], c=rows["mean"], cmap=colours, norm=norm, s=36, edgecolor="none"
            )
        else:
            matrix = np.ma.masked_invalid(grid.to_numpy(dtype=np.float64))
            edges_x = np.arange(len(xs) + 1) - 0.5
            edges_y = np.arange(len(ys) + 1) - 0.5
            mappable = axes.pcolormesh(edges_x, edges_y, matrix, cmap=colours, norm=norm)
            step_x = max(1, math.ceil(len(xs) / 12))
            step_y = max(1, math.ceil(len(ys) / 12))
            axes.set_xticks(np.arange(len(xs))[::step_x], _tick_text(xs)[::step_x])
            axes.set_yticks(np.arange(len(ys))[::step_y], _tick_text(ys)[::step_y])
            small = len(xs) <= ANNOTATE_UP_TO and len(ys) <= ANNOTATE_UP_TO
            if annotate if annotate is not None else small:
                decimals = decimals_for(matrix.compressed(), 3)
                for row, column in zip(*np.nonzero(~matrix.mask), strict=True):
                    number = float(matrix[row, column])
                    axes.text(
                        column,
                        row,
                        format_number(number, decimals),
                        ha="center",
                        va="center",
                        fontsize="x-small" if max(len(xs), len(ys)) > 8 else "small",
                        color=_text_colour(colours(norm(number))),
                    )
        axes.set_xlabel(parameter_label(x))
        axes.set_ylabel(parameter_label(y))
        if len(scenarios) > 1 or name:
            axes.set_title(f"scenario: {name}" if name else "")
    figure.colorbar(mappable, ax=list(panels), label=outcome_label(value, statistic), shrink=0.9)
    runs = int(cells["runs"].min())
    per_cell = f"mean of {runs} runs per cell" if _is_run_table(table) else "mean per cell"
    figure.suptitle(title or f"{label(value)[0]} by {x} and {y}\n{per_cell}")
    return figure


def response_points(
    table: pd.DataFrame, x: str, value: str, statistic: str = "final", level: float = 0.95
) -> pd.DataFrame:
    """Per scenario and value of ``x``: mean and t-interval of an outcome.

    From a run table the interval is over all runs at that value (replicates, and the values
    of any other parameter); from a per-point summary the summary's own interval is kept when
    one row stands for each value.

    Returns:
        Columns ``scenario``, ``x`` (named as the parameter), ``n``, ``mean``, ``low``,
        ``high``; values of ``x`` ascending within each scenario.
    """
    if _is_run_table(table):
        values = reduce_runs(table, [value], statistic)
        rows = [
            (name, at, *t_interval(group[value].to_numpy(), level))
            for (name, at), group in values.groupby(["scenario", x], sort=False)
        ]
        frame = pd.DataFrame(rows, columns=["scenario", x, "n", "mean", "sd", "low", "high"])
    else:
        chosen = table[table["outcome"] == value] if "outcome" in table.columns else table
        if "statistic" in chosen.columns and statistic in set(chosen["statistic"]):
            chosen = chosen[chosen["statistic"] == statistic]
        if "scenario" not in chosen.columns:
            chosen = chosen.assign(scenario="")
        if "mean" not in chosen.columns:
            chosen = chosen.rename(columns={value: "mean"})
        frame = chosen.groupby(["scenario", x], sort=False).agg(
            n=("mean", "size"),
            mean=("mean", "mean"),
            low=("low", "mean") if "low" in chosen else ("mean", lambda v: math.nan),
            high=("high", "mean") if "high" in chosen else ("mean", lambda v: math.nan),
        )
        frame = frame.reset_index()
    order = {name: number for number, name in enumerate(pd.unique(frame["scenario"]))}
    frame = frame.assign(_order=frame["scenario"].map(order))
    frame = frame.sort_values(["_order", x], kind="stable").drop(columns="_order")
    return frame[["scenario", x, "n", "mean", "low", "high"]].reset_index(drop=True)


def response_curve(
    table: pd.DataFrame,
    x: str,
    value: str,
    *,
    statistic: str = "final",
    level: float = 0.95,
    title: str | None = None,
) -> Figure:
    """A 1-D sweep's response curve: mean and interval band, one line per scenario.

    Args:
        table: An experiment's tidy run table or a per-point summary (see :func:`heatmap`).
        x: The swept parameter (dotted key path).
        value: The outcome.
        statistic: How a run is reduced to one number.
        level: Coverage of the band (a t-interval over runs at each value).
        title: Figure title; the outcome and parameter by default.

    Returns:
        The figure (write it with :func:`save`).
    """
    points = response_points(table, x, value, statistic, level)
    figure = Figure(figsize=(8, 4.8), layout="constrained")
    axes = figure.add_subplot()
    scenarios = list(pd.unique(points["scenario"]))
    for number, name in enumerate(scenarios):
        rows = points[points["scenario"] == name]
        if rows["low"].notna().any():
            colour = series_style(number)["color"]
            axes.fill_between(
                rows[x], rows["low"], rows["high"], color=colour, alpha=0.2, linewidth=0
            )
    # Lines over every band, each scenario in its own colour, line style and marker.
    for number, name in enumerate(scenarios):
        rows = points[points["scenario"] == name]
        style = series_style(number, len(scenarios), len(rows))
        axes.plot(rows[x], rows["mean"], lw=1.6, label=name, **style)
    axes.set_xlabel(parameter_label(x))
    axes.set_ylabel(outcome_label(value, statistic))
    axes.grid(True, color="0.9", linewidth=0.8)
    axes.set_axisbelow(True)
    if len(scenarios) > 1 or scenarios[0]:
        axes.legend(frameon=False, title="scenario")
    band = f"mean and {level:.0%} interval" if points["low"].notna().any() else "mean"
    if _is_run_table(table):
        band += f" over at least {int(points['n'].min())} runs per value"
    axes.set_title(title or f"{label(value)[0]} against {x}\n{band}")
    return figure


#: Index -> (bar label, colour); the first of each method ranks the parameters.
SENSITIVITY_MEASURES: dict[str, dict[str, tuple[str, str]]] = {
    "sobol": {"ST": ("total (ST)", OKABE_ITO[3]), "S1": ("first order (S1)", OKABE_ITO[0])},
    "morris": {"mu_star": ("μ* (mean |elementary effect|)", OKABE_ITO[3])},
}


def sensitivity_frame(indices: pd.DataFrame | Mapping[str, object]) -> pd.DataFrame:
    """Normalise sensitivity indices to one row per outcome and parameter.

    Accepts a wide table in SALib's naming (``parameter`` or ``names``, ``ST``, ``ST_conf``,
    ``S1``, ``S1_conf``, or ``mu_star``, ``mu_star_conf``, ``sigma``), optionally with an
    ``outcome`` column; a long table with columns ``outcome``, ``parameter``, ``index`` (the
    index's name, e.g. ``ST``), ``value`` and optionally ``conf``; or a SALib result dict.

    Returns:
        Wide table with ``outcome``, ``parameter`` and the index columns present.
    """
    frame = pd.DataFrame(dict(indices)) if isinstance(indices, Mapping) else indices.copy()
    frame = frame.rename(columns={"names": "parameter", "name": "parameter"})
    if "index" in frame.columns and "value" in frame.columns:
        keys = [c for c in ("outcome", "parameter") if c in frame.columns]
        wide = frame.pivot_table(index=keys, columns="index", values="value", sort=False)
        if "conf" in frame.columns:
            conf = frame.pivot_table(index=keys, columns="index", values="conf", sort=False)
            wide = wide.join(conf.add_suffix("_conf"))
        frame = wide.reset_index()
        frame.columns.name = None
    if "outcome" not in frame.columns:
        frame.insert(0, "outcome", "")
    if "parameter" not in frame.columns:
        raise ValueError("sensitivity indices need a parameter column (or SALib's names)")
    return frame


def sensitivity_method(frame: pd.DataFrame) -> str:
    """``"sobol"`` or ``"morris"``, from the index columns present."""
    if "ST" in frame.columns:
        return "sobol"
    if "mu_star" in frame.columns:
        return "morris"
    raise ValueError("sensitivity indices need ST (Sobol) or mu_star (Morris) columns")


def sensitivity_bars(
    indices: pd.DataFrame | Mapping[str, object],
    *,
    title: str | None = None,
    outcomes: Sequence[str] | None = None,
) -> Figure:
    """Sensitivity indices as horizontal bars with confidence intervals.

    Sobol: total (ST) and first-order (S1) indices side by side; Morris: μ*. Error bars are
    the indices' confidence intervals (SALib's ``*_conf`` half-widths). Parameters are sorted
    by ST or μ*, the most important at the top; one panel per outcome.

    Args:
        indices: The indices (see :func:`sensitivity_frame` for accepted layouts).
        title: Figure title.
        outcomes: Outcomes to draw, in panel order; all by default.

    Returns:
        The figure (write it with :func:`save`).
    """
    frame = sensitivity_frame(indices)
    method = sensitivity_method(frame)
    measures = {k: v for k, v in SENSITIVITY_MEASURES[method].items() if k in frame.columns}
    rank = next(iter(measures))
    names = list(outcomes) if outcomes is not None else list(pd.unique(frame["outcome"]))
    columns = min(len(names), 3)
    rows = math.ceil(len(names) / columns)
    parameters = int(frame.groupby("outcome")["parameter"].nunique().max())
    height = 1.6 + rows * (0.5 + 0.32 * parameters * (len(measures) if method == "sobol" else 1))
    figure = Figure(figsize=(4.6 * columns + 1.4, height), layout="constrained")
    panels = np.atleast_1d(figure.subplots(rows, columns, squeeze=False).ravel())
    width = 0.8 / len(measures)
    for axes, outcome in zip(panels, names, strict=False):
        chosen = frame[frame["outcome"] == outcome].sort_values(rank, ascending=False)
        positions = np.arange(len(chosen))
        for number, (measure, (words, colour)) in enumerate(measures.items()):
            conf = chosen.get(f"{measure}_conf")
            axes.barh(
                positions + (number - (len(measures) - 1) / 2) * width,
                chosen[measure],
                height=width,
                xerr=None if conf is None else np.abs(conf.to_numpy(dtype=np.float64)),
                color=colour,
                ecolor="0.2",
                capsize=2,
                label=words,
            )
        axes.set_yticks(positions, [str(name) for name in chosen["parameter"]])
        axes.invert_yaxis()  # most important at the top
        axes.axvline(0, color="0.3", linewidth=0.8)
        axes.grid(True, axis="x", color="0.9", linewidth=0.8)
        axes.set_axisbelow(True)
        if method == "sobol":
            axes.set_xlabel("Sobol index (share of output variance)")
        else:
            axes.set_xlabel(f"μ* ({label(outcome)[1] if outcome else 'outcome units'})")
        axes.set_title(label(outcome)[0] if outcome else "")
        axes.legend(frameon=False, fontsize="small", loc="lower right")
    for axes in panels[len(names) :]:
        axes.set_visible(False)
    default = (
        "Sobol sensitivity indices with 95% intervals"
        if method == "sobol"
        else "Morris screening: μ* with 95% intervals"
    )
    figure.suptitle(title or default)
    return figure
