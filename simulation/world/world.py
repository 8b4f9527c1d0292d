"""The world around the party: countries on a network of neighbours, stepped month by month.

A stylised mechanism (docs/ODD.md, "The world around the party"), not a prediction of the
Second World War: :class:`World` steps month by month, given exogenous conditions (crises and
openings for war, in :class:`~simulation.scenario.world.WorldParameters`) and the party's
foreign line (:class:`~simulation.scenario.world.ForeignLine`). It runs on its own, or inside a
:class:`~simulation.model.party.PartyModel` whose scenario has a ``[world]`` section, which
steps it and reads :meth:`World.summary` and :meth:`World.fighting`.

Order within a month (every country sees the same state of the others):

0. occupations that begin this month move frontiers (``occupations``; an occupied state rises
   in no revolution, falls to no right and starts no war);
1. readiness moves: back toward its base, up with a crisis, up next door to a communist state
   by the export of revolution, plus news (:func:`~simulation.world.rules.next_readiness`);
2. one round of the revolutionary cascade (:func:`~simulation.world.cascade.cascade_round`);
   a country ruled by the right has a higher bar;
3. the right's strength moves, and it takes power where it crosses its bar, lowered by a
   divided left (:func:`~simulation.world.rules.right_takes_power`); with ``right_holds``, a
   right that takes power returns from then on to its strength at the seizure, not to its
   base in opposition;
4. hostility toward the Soviet state moves: up everywhere with export and with each new
   revolution (:func:`~simulation.world.rules.next_hostility`);
5. war breaks out where a country bordering a communist state reaches the war threshold
   (:func:`~simulation.world.rules.war_score`), lowered by a pact with the Soviet state and,
   for a state the right rules, by collective security (the line's ``pacts`` and
   ``collective_security``);
6. with ``war_end``, each war begun in an earlier month ends with a probability growing in
   its length and the imbalance of the sides
   (:func:`~simulation.world.rules.war_end_probability`); the winner is drawn by the sides'
   strength (:func:`~simulation.world.rules.victory_chance`) and occupies the beaten side: a
   state the Soviet side occupies gets a communist government with a chance growing in its
   party's strength (:func:`~simulation.world.rules.government_chance`), and each such
   government raises every other state's hostility (the blocs).
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
    government_chance,
    next_hostility,
    next_readiness,
    next_right,
    relative_size,
    right_takes_power,
    victory_chance,
    war_end_probability,
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
#: Mixed into the seed of the draws of wars' ends, so that they are a stream of their own and
#: switching ``war_end`` on shifts none of the world's other draws.
WAR_END_STREAM = 0x656E64  # "end"


@dataclass(frozen=True)
class WorldSummary:
    """The world as the party sees it at the end of a month.

    Attributes:
        hostility_mean: ``H``, the mean hostility toward the Soviet state of the countries
            communists do not rule.
        communist_states: How many countries communists rule, the Soviet state included.
        at_war: Whether any country is at war with a communist state.
        german_right: Whether the right rules Germany.
        wars_ended: How many wars with a communist state have ended so far (``war_end``).
        wars_won: How many of them the communist side won.
        postwar_governments: How many communist governments a war's end has made so far.
    """

    hostility_mean: float
    communist_states: int
    at_war: bool
    german_right: bool
    wars_ended: int = 0
    wars_won: int = 0
    postwar_governments: int = 0


@dataclass(frozen=True)
class WarEnd:
    """A war's end: month (index), the state that fought the communist side, who won, and after.

    ``outcome`` is what became of the beaten side: ``communist`` or ``other`` for a state the
    Soviet side occupied, ``peace`` when the communist side lost (the Soviet state is never
    occupied) or beat a state it has no land frontier with. A state the beaten side occupied
    and the Soviet side liberates has a record of its own, ``liberated``.
    """

    month: int
    country: str
    communist_side_won: bool
    outcome: str
    liberated: bool = False


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
        for shock in (*p.crises, *p.opportunities, *p.occupations):
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
        #: Each country's place in the roster, by code.
        self.position = {country.code: i for i, country in enumerate(self.countries)}
        self._end_rng = np.random.default_rng([int(seed), WAR_END_STREAM])
        #: Every war's end so far, in order (with ``war_end``), and every liberation.
        self.war_ends: list[WarEnd] = []
        #: The occupations (indices into ``parameters.occupations``) that have begun.
        self._occupations_begun: set[int] = set()
        self._records: list[tuple] = []
        self._record()

    def _country(self, code: str, name: str, role: str, threshold: float) -> Country:
        data, month, p = self.data, self.month, self.parameters
        strength = data.latest(code, ("communist_vote_pct", "communist_strength_pct"), month)
        right = data.latest(code, ("right_vote_pct", "right_strength_pct"), month)
        hostility = data.latest(code, ("hostility_pct",), month)
        state = data.state(code, month)
        country = Country(
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
        # A communist state that falls returns to the hostility its data give.
        country.hostility_first = hostility / 100
        return country

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
        if p.occupations:
            self._occupy(month)
        held = self.held()
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
        risen = cascade_round(communist, self.weights, readiness, bar, p.contagion) & free & ~held
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
        for country in np.array(self.countries)[
            seizes & ~communist & ~self.ruled_by_right() & ~held
        ]:
            country.state, country.changed = "right", month
            country.hostility_base = min(1.0, country.hostility_base + p.right_hostility)
            if p.right_holds:
                country.right_base = max(country.right_base, country.right)

        hostility = next_hostility(
            self._vector("hostility"),
            self._vector("hostility_base"),
            rate=p.hostility_return,
            export=line.export,
            export_effect=p.export_hostility,
            revolutions=int(risen.sum()),
            revolution_effect=p.revolution_hostility,
        )
        if line.collective_security > 0:
            calm = p.alliance_hostility * line.collective_security
            hostility = np.maximum(hostility - calm * ~self.ruled_by_right(), 0.0)
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
        score = score - self._restraint(line)
        at_war = self._vector("at_war").astype(bool)
        onset = (score >= p.war_threshold) & self.next_door() & ~at_war & ~held
        if p.war_end:
            onset &= ~self._at_peace(month)
        for country in np.array(self.countries)[onset]:
            country.at_war, country.changed, country.war_began = True, month, month
        if p.war_end:
            self._end_wars(month)

        self.month += 1
        self._record()

    def held(self) -> np.ndarray:
        """Boolean vector: which states another occupies."""
        return np.array([country.occupier is not None for country in self.countries])

    def _occupy(self, month: int) -> None:
        """Occupations that begin by this month: the occupier takes the state's land frontiers.

        The occupied state's own government falls if communist, and its war ends.
        """
        for number, occupation in enumerate(self.parameters.occupations):
            if number in self._occupations_begun or parse_month(occupation.start) > month:
                continue
            self._occupations_begun.add(number)
            held, occupier = self.position[occupation.country], self.position[occupation.by]
            country = self.countries[held]
            country.occupier, country.changed, country.at_war = occupation.by, month, False
            if country.communist:
                country.state = "other"
            land = np.flatnonzero(self.weights[held] == 1.0)
            for other in land[land != occupier]:
                self.weights[occupier, other] = self.weights[other, occupier] = 1.0
                self.graph.add_edge(occupation.by, self.countries[other].code, weight=1.0)

    def _restraint(self, line: ForeignLine) -> np.ndarray | float:
        """What the line's pacts and collective security take off each state's war score."""
        if not line.pacts and line.collective_security == 0:
            return 0.0
        p = self.parameters
        pact = np.array([country.code in line.pacts for country in self.countries])
        deterred = line.collective_security * self.ruled_by_right()
        return p.pact_effect * pact + p.alliance_deterrence * deterred

    def _at_peace(self, month: int) -> np.ndarray:
        """Boolean vector: states whose last war ended less than ``peace_months`` ago."""
        last = [country.war_ended for country in self.countries]
        return np.array([m is not None and month - m < self.parameters.peace_months for m in last])

    def _end_wars(self, month: int) -> None:
        """Step 6: wars begun before this month end, the winner occupies the beaten side.

        Three uniform draws per state every month, used or not, from a stream of their own, so
        that two runs of one seed share them.
        """
        p = self.parameters
        ends, wins, governments = self._end_rng.random((3, len(self.countries)))
        size = self._vector("population")
        communist = self.communist()
        bloc = float(size[communist].sum())
        share = size / (size + bloc)
        years = np.array(
            [(month - c.war_began) / 12 if c.war_began is not None else 0.0 for c in self.countries]
        )
        ending = war_end_probability(
            years, np.abs(1.0 - 2.0 * share), base=p.end_base, length=p.end_length,
            lopsided=p.end_lopsided,
        )  # fmt: skip
        won = wins < victory_chance(np.full_like(size, bloc), size, p.decisiveness)
        chance = government_chance(self._vector("strength"), p.government_base, p.government_slope)
        fought = [
            c.at_war and c.war_began is not None and c.war_began < month for c in self.countries
        ]
        # Armies occupy across land: a state with no land frontier to a communist state makes
        # peace when beaten (an outside power across the sea).
        reached = (self.weights == 1.0).astype(float) @ communist > 0
        for i, country in enumerate(self.countries):
            if not fought[i] or ends[i] >= ending[i]:
                continue
            country.at_war, country.war_ended, country.changed = False, month, month
            if won[i] and not reached[i]:
                outcome = "peace"
            elif won[i]:
                outcome = self._occupied(country, governments[i] < chance[i])
            else:
                outcome = self._beats_communists(country, month)
            self.war_ends.append(WarEnd(month, country.code, bool(won[i]), outcome))
            if won[i] and reached[i]:
                self._liberate(country, month, governments < chance)

    def _liberate(self, beaten: Country, month: int, governments: np.ndarray) -> None:
        """The states the beaten occupier held are liberated by the Soviet side (1944-45)."""
        for held, country in enumerate(self.countries):
            if country.occupier != beaten.code:
                continue
            country.occupier, country.changed = None, month
            outcome = self._occupied(country, bool(governments[held]))
            self.war_ends.append(WarEnd(month, country.code, True, outcome, liberated=True))

    def _occupied(self, country: Country, communist_government: bool) -> str:
        """The Soviet side occupies a beaten state: a communist government, or the right's fall."""
        country.right = country.right_base = 0.0
        if not communist_government:
            country.state = "other"
            return "other"
        country.state = "communist"
        country.hostility = country.hostility_base = 0.0
        bloc = self.parameters.bloc_hostility
        for other in self.countries:
            if not other.communist:
                other.hostility_base = min(1.0, other.hostility_base + bloc)
        return "communist"

    def _beats_communists(self, winner: Country, month: int) -> str:
        """A state beats the communist side: the communist states it borders by land fall.

        All but the Soviet state, which makes peace (as at Brest-Litovsk, March 1918).
        """
        borders = self.weights[self.position[winner.code]] == 1.0
        for country, near in zip(self.countries, borders, strict=True):
            if near and country.communist and country.role != "soviet":
                country.state, country.changed = "other", month
                country.hostility = country.hostility_base = country.hostility_first
        return "peace"

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
            wars_ended=sum(not end.liberated for end in self.war_ends),
            wars_won=sum(end.communist_side_won and not end.liberated for end in self.war_ends),
            postwar_governments=sum(end.outcome == "communist" for end in self.war_ends),
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
