"""The world around the party: countries, revolutions, the right, hostility and war.

A stylised mechanism (docs/ODD.md, "The world around the party"), self-contained: :class:`World`
steps by itself, given exogenous crises and a foreign line, and the party model steps it when
its scenario has a ``[world]`` section. The threshold cascade is :func:`cascade_round`; the map is
:func:`simulation.world.map.world_map_figure`.
"""

from simulation.scenario.world import Crisis, ForeignLine, Opportunity, WorldParameters
from simulation.world.cascade import cascade, cascade_round
from simulation.world.country import Country
from simulation.world.data import WorldData, WorldDataError, load_world_data
from simulation.world.world import World

__all__ = [
    "Country",
    "Crisis",
    "ForeignLine",
    "Opportunity",
    "World",
    "WorldData",
    "WorldDataError",
    "WorldParameters",
    "cascade",
    "cascade_round",
    "load_world_data",
]
