"""The leaders as Mesa agents: position, faction, offices, health, age and fate (ODD 2.3, 7.10).

Unlike members, who are rows of a column store (:mod:`simulation.model.agents`), the leaders
are a handful of ordinary Mesa agents that hold their own state. They are made only when
``succession.enabled`` is set, and live in ``model.succession.agents``, a
:class:`mesa.agent.AgentSet`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from simulation.scenario.calendar import parse_month
from simulation.scenario.schema import Contender

if TYPE_CHECKING:
    from simulation.model.party import PartyModel

#: Fates in which a contender still takes part in the struggle (his power may be above 0).
IN_PLAY = ("rising", "in_office", "demoted")
#: Fates in which he leads a following of members: not a rising man, who is still a client.
LEADING = ("in_office", "demoted")


class LeaderAgent(mesa.Agent):
    """One contender for the succession.

    Attributes:
        name: His key in ``succession.contenders``.
        title: A display name.
        born: Month of birth (index).
        position: Position on the policy axis now.
        faction: Name of the faction that follows him now.
        offices: Offices he holds now.
        health: 0-1; scales his power, recovers toward 1.
        fate: One of :data:`simulation.scenario.schema.FATES`.
        fate_month: Month index of his last change of fate.
        power: His share of power this month (0 out of play).
        barred: Offices an event took from him, which he may not take back when vacant.
    """

    def __init__(self, model: PartyModel, name: str, spec: Contender, month: int) -> None:
        super().__init__(model)
        self.name = name
        self.title = spec.title or name
        self.born = parse_month(spec.born)
        self.position = spec.position
        self.faction = spec.faction
        self.offices: set[str] = set(spec.offices)
        self.health = spec.health
        self.joins = None if spec.politburo is None else parse_month(spec.politburo)
        self.dies = None if spec.died is None else parse_month(spec.died)
        self.moves = {parse_month(move.month): move for move in spec.moves}
        self.fate = "in_office" if self.joins is not None and self.joins <= month else "rising"
        self.fate_month = month
        self.power = 0.0
        self.barred: set[str] = set()

    @property
    def in_play(self) -> bool:
        """Still in the struggle: rising, in the Politburo, or demoted from it."""
        return self.fate in IN_PLAY

    @property
    def leads(self) -> bool:
        """Leads a following of members (in the Politburo or demoted from it)."""
        return self.fate in LEADING

    def age(self, month: int) -> float:
        """Age in years at ``month``, counted in whole months from his month of birth."""
        return (month - self.born) / 12.0

    def move(self, month: int) -> None:
        """Take up the position (and faction) the scenario sets for ``month``, if any."""
        move = self.moves.get(month)
        if move is None:
            return
        self.position = move.position
        if move.faction is not None:
            self.faction = move.faction

    def recover(self, rate: float) -> None:
        """Regain a share ``rate`` of the health he has lost: ``h <- h + rate (1 - h)``."""
        self.health += rate * (1.0 - self.health)

    def change_fate(self, fate: str, month: int) -> None:
        """A new fate from ``month`` on; leaving the Politburo costs every office he holds."""
        self.fate = fate
        self.fate_month = month
        if fate not in ("rising", "in_office"):
            self.offices.clear()
        if fate not in IN_PLAY:
            self.power = 0.0

    def __repr__(self) -> str:
        offices = ", ".join(sorted(self.offices)) or "no office"
        return (
            f"LeaderAgent({self.name}: {self.fate}, {self.faction}, position={self.position:+.2f},"
            f" {offices}, health={self.health:.2f}, power={self.power:.3f})"
        )
