"""A schematic map of the world layer: one hexagon per country, coloured by who rules it.

Drawn offline with matplotlib from ``data/world_map.csv`` (each country's tile) and
``data/neighbours.csv`` (frontiers as solid links, sea links dashed). The map is a schematic,
not a projection: interwar frontiers (Poland's eastern border, East Prussia, Czechoslovakia,
Greater Romania) differ from today's, and no source of interwar polygons is shipped, so each
state is one tile placed roughly where it lay about 1930 (data/README.md, "World map"). Links
across the whole map (the Atlantic, the Pacific) are left out of the drawing, not the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, RegularPolygon

from simulation.scenario.calendar import parse_month
from simulation.world.data import STATES, WorldData, load_world_data

#: Fill colour of each state.
STATE_COLOURS = {"communist": "#c0392b", "right": "#4a4a4a", "other": "#d9d9d9"}
#: Hexagons of radius 1/sqrt(3) touch on a unit grid whose rows lie sqrt(3)/2 apart.
RADIUS = 1 / np.sqrt(3)
ROW_HEIGHT = np.sqrt(3) / 2
#: Links longer than this many tiles (the Pacific, the Atlantic) are left out of the drawing:
#: across the whole map they would hide more than they show. The network keeps them.
LONGEST_LINK = 5.0


def tile_centre(col: int, row: int) -> tuple[float, float]:
    """The centre of the tile at ``(col, row)``; odd rows are shifted half a tile east."""
    return col + 0.5 * (row % 2), -row * ROW_HEIGHT


def draw_world(
    ax,
    states: Mapping[str, str],
    *,
    at_war: Iterable[str] = (),
    data: WorldData | None = None,
    title: str = "",
) -> None:
    """Draw the schematic map on ``ax``: tiles coloured by state, frontiers, wars hatched.

    Args:
        ax: A matplotlib axes.
        states: Each country's state (``communist``, ``right`` or ``other``); countries not
            given are drawn as ``other``.
        at_war: Countries at war with a communist state (hatched, with a heavy rim).
        data: The world data (default: the shipped files).
        title: The panel's title.

    Raises:
        ValueError: If a state is not one of ``communist``, ``right``, ``other``.
    """
    data = data or load_world_data()
    wrong = sorted(set(states.values()) - set(STATES))
    if wrong:
        raise ValueError(f"unknown state {wrong[0]!r}; allowed: {', '.join(STATES)}")
    centres = {tile.country: tile_centre(tile.col, tile.row) for tile in data.tiles}
    for edge in data.edges:
        (x0, y0), (x1, y1) = centres[edge.country], centres[edge.other]
        if np.hypot(x1 - x0, y1 - y0) > LONGEST_LINK:
            continue
        style = "-" if edge.kind == "land" else "--"
        ax.plot([x0, x1], [y0, y1], style, color="#8c8c8c", linewidth=0.6, zorder=1)
    fighting = set(at_war)
    for tile in data.tiles:
        state = states.get(tile.country, "other")
        war = tile.country in fighting
        ax.add_patch(
            RegularPolygon(
                centres[tile.country],
                numVertices=6,
                radius=RADIUS * 0.95,
                facecolor=STATE_COLOURS[state],
                edgecolor="#b00000" if war else "white",
                linewidth=2.0 if war else 1.0,
                linestyle=":" if tile.role == "outside_power" and not war else "-",
                hatch="///" if war else None,
                label=tile.country,
                gid=f"{tile.country}:{state}",
                zorder=2,
            )
        )
        colour = "white" if state != "other" else "black"
        ax.text(*centres[tile.country], tile.label, ha="center", va="center", fontsize=6,
                color=colour, zorder=3)  # fmt: skip
    xs = [x for x, _ in centres.values()]
    ys = [y for _, y in centres.values()]
    ax.set_xlim(min(xs) - 1, max(xs) + 1)
    ax.set_ylim(min(ys) - 1, max(ys) + 1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title, fontsize=9)


def states_at(history: pd.DataFrame, month: str) -> tuple[dict[str, str], set[str]]:
    """Each country's state and the countries at war at the start of ``month`` in a run.

    Args:
        history: :meth:`~simulation.world.world.World.history` of a run.
        month: ``"YYYY-MM"``, a month the run recorded.

    Returns:
        The states and the set of countries at war.

    Raises:
        ValueError: If the run did not record ``month``.
    """
    rows = history[history["month"].astype(str) == month]
    if rows.empty:
        first, last = history["month"].astype(str).min(), history["month"].astype(str).max()
        raise ValueError(f"month {month} is not in the run ({first} to {last})")
    return dict(zip(rows["country"], rows["state"], strict=True)), set(
        rows.loc[rows["at_war"], "country"]
    )


def recorded_states(data: WorldData, month: str) -> dict[str, str]:
    """Who ruled each country at ``month`` by the data's record (the historical map)."""
    index = parse_month(month)
    return {country: data.state(country, index) for country in data.countries}


def world_map_figure(
    history: pd.DataFrame, months: Sequence[str], data: WorldData | None = None
) -> Figure:
    """A figure with one map panel per month of a run, and a legend.

    Args:
        history: :meth:`~simulation.world.world.World.history` of a run.
        months: The months to draw (``"YYYY-MM"``), one panel each.
        data: The world data (default: the shipped files).

    Returns:
        The figure (not shown; save it with ``savefig``). Built without pyplot, so it draws
        under any backend, offline.
    """
    data = data or load_world_data()
    figure = Figure(figsize=(3.6 * len(months), 2.9), layout="constrained")
    axes = figure.subplots(1, len(months), squeeze=False)[0]
    for ax, month in zip(axes, months, strict=True):
        states, at_war = states_at(history, month)
        draw_world(ax, states, at_war=at_war, data=data, title=month)
    handles = [Patch(facecolor=STATE_COLOURS[s], label=s) for s in STATES]
    handles += [
        Patch(facecolor="white", edgecolor="#b00000", hatch="///", label="at war"),
        Line2D([], [], color="#8c8c8c", linestyle="-", label="frontier"),
        Line2D([], [], color="#8c8c8c", linestyle="--", label="sea link"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=7)
    return figure
