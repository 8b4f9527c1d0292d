"""The dashboard's outcome charts: one figure of six panels, the month on every x axis.

Panels: purges this month by kind (expulsions, imprisonments, executions), debate openness,
preference falsification, fear, policy error and party membership. In side-by-side mode each
panel carries both runs: the tweaked run in solid lines, the baseline dashed. The figure is a
:class:`matplotlib.figure.Figure` drawn server-side and sent as an image, so the page needs no
charting library in the browser (and nothing fetched from a CDN).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

from simulation.reporting import figures
from simulation.reporting.figures import OKABE_ITO

#: Purge columns of the outcome table and their colours.
PURGES = {"expelled": OKABE_ITO[0], "imprisoned": OKABE_ITO[3], "executed": OKABE_ITO[4]}
#: The single-line panels, in order after the purges panel.
LINES = ("openness", "falsification", "fear", "policy_error", "members_active")
#: Line style per run: the tweaked run solid, the baseline dashed.
STYLES = ("-", "--")
#: Colour of a single-line outcome per run.
RUN_COLOURS = (OKABE_ITO[3], OKABE_ITO[7])


def months(frame: pd.DataFrame) -> pd.DatetimeIndex:
    """The ``month`` column as dates, for a date axis."""
    return figures.month_dates(frame["month"])


def outcome_figure(runs: Sequence[tuple[str, pd.DataFrame]], dpi: int = 80) -> Figure:
    """Draw the outcome panels for one or two runs.

    Args:
        runs: (label, monthly outcome table) per run; the first is the tweaked run.
        dpi: Resolution of the figure (the page shows it at its pixel size).

    Returns:
        The figure. With no months simulated yet, its panels are empty and say so.
    """
    # Fixed margins rather than a layout engine: the figure is redrawn every month, and
    # constrained layout measures every tick label of every panel each time (most of the cost).
    figure = Figure(figsize=(6.0, 4.9), dpi=dpi)
    figure.subplots_adjust(left=0.09, right=0.98, top=0.95, bottom=0.06, hspace=0.38, wspace=0.24)
    axes = figure.subplots(3, 2, sharex=True).ravel()
    titles = ["Purges this month", *(figures.label(name)[0] for name in LINES)]
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(title, fontsize=9, loc="left")
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    drawn = [(label, frame) for label, frame in runs if len(frame)]
    if not drawn:
        for ax in axes:
            ax.text(0.5, 0.5, "press Step or ▶", ha="center", va="center", color="grey")
            ax.set_xticks([])
            ax.set_yticks([])
        return figure
    for number, (label, frame) in enumerate(drawn):
        when, style = months(frame), STYLES[number % len(STYLES)]
        for column, colour in PURGES.items():
            # Kinds are told apart by colour, runs by line style (legend of the next panel).
            kind = column if number == 0 else None
            axes[0].plot(when, frame[column], style, color=colour, lw=1.2, label=kind)
        for ax, column in zip(axes[1:], LINES, strict=True):
            ax.plot(when, frame[column], style, color=RUN_COLOURS[number % 2], lw=1.4, label=label)
    axes[0].legend(fontsize=7, loc="upper left", frameon=False)
    axes[1].legend(fontsize=7, loc="best", frameon=False)
    # One locator for the shared axis.
    date_axis(axes[0], max(len(frame) for _, frame in drawn))
    return figure


def date_axis(ax: Axes, span: int) -> None:
    """A few date ticks: years over a run of more than three years, months in its first ones."""
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=6))
    ax.xaxis.set_major_formatter(DateFormatter("%Y" if span > 36 else "%Y-%m"))
