"""The world around the party: countries on a network of neighbours, stepped month by month.

A stylised mechanism (docs/ODD.md, "The world around the party"), not a prediction of the
Second World War: :class:`World` steps month by month, given exogenous conditions (crises and
openings for war, in :class:`~simulation.scenario.world.WorldParameters`) and the party's
foreign line (:class:`~simulation.scenario.world.ForeignLine`). It runs on its own, or inside a
:class:`~simulation.model.party.PartyModel` whose scenario has a ``[world]`` section, which
steps it and reads :meth:`World.summary` and :meth:`World.fighting`.

Order within a month (every country sees the same state of the others):

1. readiness moves: back toward its base, up with a crisis, up next door to a communist state
   by the export of revolution, plus news (:func:`~simulation.world.rules.next_readiness`);
2. one round of the revolutionary cascade (:func:`~simulation.world.cascade.cascade_round`);
   a country ruled by the right has a higher bar;
3. the right's strength moves, and it takes power where it crosses its bar, lowered by a
   divided left (:func:`~simulation.world.rules.right_takes_power`);
4. hostility toward the Soviet state moves: up everywhere with export and with each new
   revolution (:func:`~simulation.world.rules.next_hostility`);
5. war breaks out where a country bordering a communist state reaches the war threshold
   (:func:`~simulation.world.rules.war_score`).
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from simulation.scenario.calendar import format_month, parse_month
from simulation.scenario.world import ForeignLine, WorldParameters
from simulation.world.cascade import cascade_round
from simulation.world.country import Country
from simulation.world.data import WorldData, load_world_data
from simulation.world.rules import (
    next_hostility,
    next_readiness,
    next_right,
    relative_size,
    right_takes_power,
    war_score,
)

#: The columns of :meth:`World.history`, one row per country and month.
HISTORY_COLUMNS = (
    "month",
    "country",
    "state",
    "readiness",
    "right",
    "hostility",
    "at_war",
)
#: The country whose right's seizure of power is the central case (Germany 1930-33).
GERMANY = "germany"


@dataclass(frozen=True)
class WorldSummary:
    """The world as the party sees it at the end of a month.

    Attributes:
        hostility_mean: ``H``, the mean hostility toward the Soviet state of the countries
            communists do not rule.
        communist_states: How many countries communists rule, the Soviet state included.
        at_war: Whether any country is at war with a communist state.
        german_right: Whether the right rules Germany.
    """

    hostility_mean: float
    communist_states: int
    at_war: bool
    german_right: bool


class World(mesa.Model):
    """The countries, their neighbour network and their monthly step.

    Args:
        parameters: The rules' parameters (defaults: the shipped guesses).
        seed: Seed of the run's random numbers (thresholds and monthly news).
        start: The first month, ``"YYYY-MM"``; the countries start as the data records them
            then (who rules, the last vote, the guesses of 1923).
        data: The world data (default: the shipped files).

    Raises:
        ValueError: If a crisis or an opening for war names a country the data lacks.
    """

    def __init__(
        self,
        parameters: WorldParameters | None = None,
        seed: int = 0,
        start: str = "1923-01",
        data: WorldData | None = None,
    ) -> None:
        super().__init__(rng=int(seed))
        self.parameters = parameters or WorldParameters()
        self.data = data or load_world_data()
        self.month = parse_month(start)
        p = self.parameters
        for shock in (*p.crises, *p.opportunities):
            unknown = sorted(set(shock.countries) - set(self.data.countries))
            if unknown:
                raise ValueError(
                    f"a shock from {shock.start} names {unknown[0]!r}, not a country of the "
                    f"world; allowed: {', '.join(self.data.countries)}"
                )
        self.weights = self.data.weights(p.sea_weight)
        self.graph = nx.from_numpy_array(self.weights)
        nx.relabel_nodes(self.graph, dict(enumerate(self.data.countries)), copy=False)
        thresholds = p.threshold_mean + p.threshold_sd * self.rng.standard_normal(
            len(self.data.countries)
        )
        self.countries: list[Country] = []
        for tile, threshold in zip(self.data.tiles, thresholds, strict=True):
            self.countries.append(self._country(tile.country, tile.name, tile.role, threshold))
        self._records: list[tuple] = []
        self._record()

    def _country(self, code: str, name: str, role: str, threshold: float) -> Country:
        data, month, p = self.data, self.month, self.parameters
        strength = data.latest(code, ("communist_vote_pct", "communist_strength_pct"), month)
        right = data.latest(code, ("right_vote_pct", "right_strength_pct"), month)
        hostility = data.latest(code, ("hostility_pct",), month)
        state = data.state(code, month)
        return Country(
            self,
            code=code,
            name=name,
            role=role,
            population=float(data.latest(code, ("population_thousands",), month)),
            lon=float(data.latest(code, ("lon",), month)),
            lat=float(data.latest(code, ("lat",), month)),
            state=state,
            strength=strength / 100,
            readiness_base=min(1.0, p.readiness_scale * strength / 100),
            threshold=float(threshold),
            right=right / 100,
            hostility=0.0 if state == "communist" else hostility / 100,
        )

    # The state as vectors, in roster order.
    def _vector(self, attribute: str) -> np.ndarray:
        return np.array([getattr(country, attribute) for country in self.countries], dtype=float)

    def _set(self, attribute: str, values: np.ndarray) -> None:
        for country, value in zip(self.countries, values, strict=True):
            setattr(country, attribute, float(value))

    def communist(self) -> np.ndarray:
        """Boolean vector: which countries communists rule."""
        return np.array([country.communist for country in self.countries])

    def ruled_by_right(self) -> np.ndarray:
        """Boolean vector: which countries the right rules."""
        return np.array([country.state == "right" for country in self.countries])

    def next_door(self) -> np.ndarray:
        """Boolean vector: countries not communist that border (or face) a communist state."""
        communist = self.communist()
        return ((self.weights > 0).astype(float) @ communist > 0) & ~communist

    def _condition(self, shocks: tuple, month: int) -> np.ndarray:
        """Sum of the strengths of the shocks under way at ``month``, per country, at most 1."""
        total = np.zeros(len(self.countries))
        for shock in shocks:
            first = parse_month(shock.start)
            if first <= month < first + shock.months:
                struck = [c.code in shock.countries or not shock.countries for c in self.countries]
                total += shock.strength * np.array(struck, dtype=float)
        return np.minimum(total, 1.0)

    def step(self, line: ForeignLine | None = None) -> None:
        """Advance one month under the foreign line ``line`` (default: no export, a united left).

        Args:
            line: The leader's foreign line this month.
        """
        line = line or ForeignLine()
        p, month = self.parameters, self.month
        crisis = self._condition(p.crises, month)
        news = p.readiness_noise * self.rng.standard_normal(len(self.countries))
        communist, right_rule = self.communist(), self.ruled_by_right()
        free = ~communist

        readiness_base = self._vector("readiness_base")
        readiness = next_readiness(
            self._vector("readiness"),
            readiness_base,
            crisis,
            self.next_door().astype(float),
            news,
            rate=p.readiness_return,
            crisis_effect=p.crisis_readiness,
            export=line.export,
            export_effect=p.export_readiness,
        )
        readiness = np.where(free, readiness, self._vector("readiness"))
        self._set("readiness", readiness)

        bar = self._vector("threshold") + p.right_barrier * right_rule
        risen = cascade_round(communist, self.weights, readiness, bar, p.contagion) & free
        for country in np.array(self.countries)[risen]:
            country.state, country.changed, country.at_war = "communist", month, False
            country.hostility = country.hostility_base = 0.0
            country.right = country.right_base = 0.0

        right = next_right(
            self._vector("right"),
            self._vector("right_base"),
            crisis,
            readiness,
            readiness_base,
            rate=p.right_return,
            crisis_effect=p.crisis_right,
            fear=p.right_fear,
        )
        communist = self.communist()
        self._set("right", np.where(communist, 0.0, right))
        seizes = right_takes_power(right, p.right_threshold, line.left_division * p.division_weight)
        for country in np.array(self.countries)[seizes & ~communist & ~self.ruled_by_right()]:
            country.state, country.changed = "right", month
            country.hostility_base = min(1.0, country.hostility_base + p.right_hostility)

        hostility = next_hostility(
            self._vector("hostility"),
            self._vector("hostility_base"),
            rate=p.hostility_return,
            export=line.export,
            export_effect=p.export_hostility,
            revolutions=int(risen.sum()),
            revolution_effect=p.revolution_hostility,
        )
        self._set("hostility", np.where(communist, 0.0, hostility))

        opportunity = relative_size(self._vector("population"), self.weights, communist)
        opportunity = np.minimum(1.0, opportunity + self._condition(p.opportunities, month))
        score = war_score(
            self._vector("hostility"),
            self._vector("right"),
            opportunity,
            hostility_weight=p.war_hostility,
            right_weight=p.war_right,
            opportunity_weight=p.war_opportunity,
        )
        at_war = self._vector("at_war").astype(bool)
        onset = (score >= p.war_threshold) & self.next_door() & ~at_war
        for country in np.array(self.countries)[onset]:
            country.at_war, country.changed, country.war_began = True, month, month

        self.month += 1
        self._record()

    def summary(self) -> WorldSummary:
        """What the party sees of the world now (docs/ODD.md, world: feedback)."""
        communist = self.communist()
        hostility = self._vector("hostility")[~communist]
        germany = [c for c in self.countries if c.code == GERMANY]
        return WorldSummary(
            hostility_mean=float(hostility.mean()) if hostility.size else 0.0,
            communist_states=int(communist.sum()),
            at_war=bool(self._vector("at_war").any()),
            german_right=bool(germany) and germany[0].state == "right",
        )

    def fighting(self, months: int) -> bool:
        """Whether a war with a communist state begun in the last ``months`` months goes on.

        Called after :meth:`step`: a war that broke out in the month just stepped counts as
        begun one month ago.

        Args:
            months: How many months from its onset a war counts (0: never).
        """
        return any(
            country.at_war
            and country.war_began is not None
            and self.month - country.war_began <= months
            for country in self.countries
        )

    def run(self, end: str, line: ForeignLine | None = None) -> pd.DataFrame:
        """Step to the end of month ``end`` under one foreign line; return :meth:`history`.

        Args:
            end: The last month to simulate, ``"YYYY-MM"``.
            line: The foreign line every month (default: no export, a united left).

        Returns:
            The history of the whole run.
        """
        last = parse_month(end)
        while self.month <= last:
            self.step(line)
        return self.history()

    def _record(self) -> None:
        """Keep the state at the start of the current month (the end of the previous one)."""
        text = format_month(self.month)
        for country in self.countries:
            self._records.append(
                (
                    text,
                    country.code,
                    country.state,
                    country.readiness,
                    country.right,
                    country.hostility,
                    country.at_war,
                )
            )

    def history(self) -> pd.DataFrame:
        """One row per country and month: state, readiness, right, hostility, war.

        The row of month ``m`` holds the state at the start of ``m``; the first rows are the
        initial state.
        """
        return pd.DataFrame(self._records, columns=list(HISTORY_COLUMNS))
