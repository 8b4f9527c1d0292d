"""A country of the world layer as a Mesa agent (docs/ODD.md, world: entities)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from simulation.world.world import World


class Country(mesa.Agent):
    """A state of Europe 1923-1956, the Soviet state, or an outside power.

    Attributes:
        code: Its code in data/world_map.csv (``germany``).
        name: Its name for reports.
        role: ``soviet``, ``europe`` or ``outside_power``.
        population: Population in thousands (about 1930).
        lon: Longitude of its centroid (degrees east).
        lat: Latitude of its centroid (degrees north).
        state: ``communist``, ``right`` or ``other``: who rules it.
        strength: Strength ``c`` of its communist party, a share in [0, 1] (its vote).
        readiness: Revolutionary readiness ``rho`` in [0, 1].
        readiness_base: The readiness ``rho*`` it returns to (kappa times ``strength``).
        threshold: Its revolutionary threshold ``theta``, drawn once per run.
        right: Strength ``r`` of its fascist or authoritarian right in [0, 1].
        right_base: The strength ``r*`` the right returns to.
        hostility: Hostility ``h`` toward the Soviet state in [0, 1].
        hostility_base: The hostility ``h*`` it returns to.
        at_war: Whether it is at war with a communist state.
        war_began: The month (index) its war with a communist state began, or ``None``.
        changed: The month (index) of its last change of state or of war onset, or ``None``.
        war_ended: The month (index) its last war with a communist state ended, or ``None``.
        occupier: The code of the state occupying it, or ``None``.
        hostility_first: Its hostility in the data at the start (its base again if a communist
            government it had falls).
    """

    def __init__(
        self,
        model: World,
        *,
        code: str,
        name: str,
        role: str,
        population: float,
        lon: float,
        lat: float,
        state: str,
        strength: float,
        readiness_base: float,
        threshold: float,
        right: float,
        hostility: float,
    ) -> None:
        super().__init__(model)
        self.code, self.name, self.role = code, name, role
        self.population, self.lon, self.lat = population, lon, lat
        self.state = state
        self.strength = strength
        self.readiness = self.readiness_base = readiness_base
        self.threshold = threshold
        self.right = self.right_base = right
        self.hostility = self.hostility_base = hostility
        self.at_war = False
        self.war_began: int | None = None
        self.changed: int | None = None
        self.war_ended: int | None = None
        self.occupier: str | None = None
        self.hostility_first = hostility

    @property
    def communist(self) -> bool:
        """Whether a communist party rules it."""
        return self.state == "communist"

    def __repr__(self) -> str:
        return f"Country({self.code}, {self.state}, readiness={self.readiness:.2f})"
