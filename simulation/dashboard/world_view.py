"""The dashboard's view of the world around the party: the map now, and a line on its state.

Shown only when a run on the page has the world layer on (docs/ODD.md, "The world around the
party"): one schematic map per such run (:func:`simulation.world.map.draw_world`), each country
coloured by who rules it at the start of the month the run has reached, wars hatched; and a line
per run with the communist states, whether a war is on, and the threat the world feeds to the
leader. Like :mod:`~simulation.dashboard.charts`, the figure is drawn server-side and sent as
an image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from simulation.world.data import STATES, load_world_data
from simulation.world.map import STATE_COLOURS, draw_world, states_at


@dataclass(frozen=True)
class WorldNow:
    """What the view shows of one run's world.

    Attributes:
        label: The run's label.
        history: The world's history so far (:meth:`~simulation.world.world.World.history`).
        threat: The threat the world fed to the leader in the month just simulated.
    """

    label: str
    history: pd.DataFrame
    threat: float

    @property
    def month(self) -> str:
        """The month whose start the map shows: the latest the world has recorded."""
        return str(self.history["month"].iloc[-1])

    def line(self) -> str:
        """One line on the world now: communist states, war, the threat."""
        states, at_war = states_at(self.history, self.month)
        communist = sum(state == "communist" for state in states.values())
        war = f"at war ({len(at_war)} countries)" if at_war else "at peace"
        return (
            f"{self.label}, {self.month}: {communist} communist states, {war}, threat to the "
            f"party {self.threat:.2f}"
        )


def world_figure(worlds: Sequence[WorldNow]) -> Figure:
    """One map panel per run with the world on, and the states' legend.

    Args:
        worlds: The runs' worlds, in page order.

    Returns:
        The figure (built without pyplot, so it draws under any backend, offline).
    """
    data = load_world_data()
    figure = Figure(figsize=(4.2 * max(len(worlds), 1), 3.2), layout="constrained")
    axes = figure.subplots(1, max(len(worlds), 1), squeeze=False)[0]
    for ax, world in zip(axes, worlds, strict=False):
        states, at_war = states_at(world.history, world.month)
        draw_world(ax, states, at_war=at_war, data=data, title=f"{world.label}: {world.month}")
    handles = [Patch(facecolor=STATE_COLOURS[s], label=s) for s in STATES]
    handles.append(Patch(facecolor="white", edgecolor="#b00000", hatch="///", label="at war"))
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=7)
    return figure
