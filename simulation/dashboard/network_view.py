"""The dashboard's network view: a sample of members and their ties, coloured by status or belief.

The sample is fixed when a run starts (:class:`~simulation.dashboard.runs.DashboardRun`), and
so is its layout, so that month after month the same person stays in the same place and only
the colours change: purges show as members turning from active to expelled, imprisoned or
executed; under terror, beliefs stay spread while speech collapses onto the line. In
side-by-side mode both runs are drawn with the same layout (one seed, the same people).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulation.model.party import NetworkSample
from simulation.reporting.figures import OKABE_ITO

ColourBy = Literal["status", "belief"]
#: Colour per status; members who left the party for good fade out.
STATUS_COLOURS = {
    "active": OKABE_ITO[2],
    "expelled": OKABE_ITO[0],
    "imprisoned": OKABE_ITO[3],
    "executed": OKABE_ITO[4],
    "gone": "#BBBBBB",
    "outside": "#DDDDDD",
}
#: Diverging map for beliefs on the [-1, 1] axis (left opposition blue, right red).
BELIEF_CMAP = "coolwarm"


def layout(sample: NetworkSample, seed: int = 0) -> np.ndarray:
    """Positions of the sampled members, one (x, y) row each, by a seeded spring layout."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(sample.members)))
    graph.add_edges_from(map(tuple, sample.ties.tolist()))
    spots = nx.spring_layout(graph, seed=seed)
    return np.array([spots[node] for node in range(len(sample.members))])


def network_figure(
    panels: Sequence[tuple[str, NetworkSample, np.ndarray]],
    colour_by: ColourBy = "status",
    dpi: int = 80,
) -> Figure:
    """Draw one panel per run: ties in grey, members as dots coloured by status or belief.

    Args:
        panels: (label, sample, positions) per run, positions holding one (x, y) row per
            sampled member (see :func:`layout`).
        colour_by: ``"status"`` or ``"belief"`` (private belief; members no longer active
            are drawn hollow).
        dpi: Resolution of the figure.

    Returns:
        The figure.
    """
    # One width whatever the number of panels: the page's panel is half the window wide.
    figure = Figure(figsize=(6.0, 4.4 if len(panels) == 1 else 3.4), dpi=dpi, layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(panels)))
    norm = Normalize(-1.0, 1.0)
    scatter = None
    for ax, (label, sample, positions) in zip(axes, panels, strict=True):
        ax.set_title(label, fontsize=10, loc="left")
        ax.set_axis_off()
        ties = LineCollection(positions[sample.ties], colors="#999999", lw=0.5, alpha=0.6)
        ax.add_collection(ties)
        if colour_by == "status":
            colours = [STATUS_COLOURS.get(status, "#000000") for status in sample.status]
            ax.scatter(*positions.T, c=colours, s=28, edgecolors="white", lw=0.4, zorder=2)
        else:
            active = np.array([status == "active" for status in sample.status])
            scatter = ax.scatter(
                *positions[active].T,
                c=sample.belief[active],
                cmap=BELIEF_CMAP,
                norm=norm,
                s=28,
                edgecolors="white",
                lw=0.4,
                zorder=2,
            )
            ax.scatter(
                *positions[~active].T,
                facecolors="none",
                edgecolors="#888888",
                s=28,
                lw=0.8,
                zorder=2,
            )
    if colour_by == "status":
        handles = [
            Line2D([], [], marker="o", ls="", color=colour, label=status)
            for status, colour in STATUS_COLOURS.items()
            if status != "outside"
        ]
        figure.legend(
            handles=handles,
            loc="outside lower center",
            ncols=5,
            fontsize=7,
            handletextpad=0.1,
            columnspacing=0.8,
        )
    elif scatter is not None:
        bar = figure.colorbar(scatter, ax=list(axes), shrink=0.7, pad=0.02)
        bar.set_label("private belief (hollow: no longer active)", fontsize=8)
    return figure
