"""The party model: a Mesa model whose monthly rules run as compiled passes over columns.

One step is one month. Within a month, in this order (each stage is one method below, which
calls the compiled passes of :mod:`simulation.model.passes`):

1. events scheduled for the month (policy changes, campaigns, leader change, shocks, amnesty);
   each January the tie lists are laid out again in row order (speed only);
2. the month's rolls: active members, former members at liberty, prisoners (row order);
3. reality drifts; active members receive private signals and move toward them, then decide
   how much dissent to voice (Daymude, Axelrod & Forrest 2025) -- ``_speak``;
4. debate: beliefs change by bounded confidence from what a tie said; the police and the
   informers mark this month's deviators; false denunciations -- ``_listen_and_watch``;
5. repression: dossiers, the punishment ladder, campaign quotas, guilt by association, fear
   learned from punished ties -- ``_repress``;
6. membership: prison terms, deaths, releases, readmission (rehabilitation, recantation),
   recruitment (recruits make their ties), the end-of-month census, promotion to vacancies at
   the top -- ``_membership``;
7. the leadership hears the party, reads reality, moves the line and may harden -- ``_lead``;
   with ``succession.enabled``, the contenders' month follows: moves, deaths, the General
   Secretary's appointments, power (:mod:`simulation.model.succession`; docs/ODD.md 7.10);
8. outcomes are recorded through Mesa's :class:`~mesa.DataCollector`.

The mathematics of each rule, with its source, is in the docstrings of :mod:`simulation.model.rules`
and :mod:`simulation.model.passes`, and in ``docs/ODD.md``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from simulation.model.agents import Member
from simulation.model.congress import CentralCommittee, Vote
from simulation.model.counter_rng import Keys, uniform
from simulation.model.democracy import DemocracyRecord
from simulation.model.events import HANDLERS, RunningCampaign, convene
from simulation.model.members import OPTIONAL_COLUMNS, Status, Tier
from simulation.model.network import MIN_ROOM, build_network
from simulation.model.organisations import secretaries
from simulation.model.outcomes import (
    OUTCOMES,
    congress_columns,
    congress_measures,
    democracy_columns,
    democracy_measures,
    faction_columns,
    faction_sizes,
    leader_columns,
    leader_measures,
    measure,
    world_columns,
    world_measures,
)
from simulation.model.passes import flags as flag_bits
from simulation.model.passes.bundles import (
    Columns,
    Debate,
    Departures,
    Recruiting,
    Speech,
    Watch,
    columns_of,
)
from simulation.model.passes.experience import live_through
from simulation.model.passes.freshness import forget_stale_compilations
from simulation.model.passes.listening import (
    confidence_means,
    debate,
    false_report_rates,
    false_reports,
    watch,
)
from simulation.model.passes.membership import (
    attach_recruits,
    census,
    choose_partners,
    leave,
    nearest_the_line,
    readmit,
    recruit_pools,
    serve_terms,
)
from simulation.model.passes.organisations import localise_partners, recruit_organisations
from simulation.model.passes.rolls import Rolls, active_rows
from simulation.model.passes.sanctions import (
    associate,
    campaign_pool,
    ladder_rungs,
    learn_fear,
    quota_choice,
    update_dossiers,
)
from simulation.model.passes.speech import foresee, speak
from simulation.model.passes.ties import propagate_flips, recount, set_status
from simulation.model.population import (
    CandidatePool,
    build_members,
    faction_uncertainty,
    screen_candidates,
)
from simulation.model.rng import PURPOSES, counter_seed, make_streams, world_seed
from simulation.model.rules import leadership, membership, repression
from simulation.model.rules.experience import hit_probabilities
from simulation.model.succession import Succession
from simulation.model.threads import threads_for_rows
from simulation.scenario import Scenario, resolve_scenario
from simulation.scenario.calendar import format_month, parse_month, with_month_periods
from simulation.scenario.schema import CampaignEvent, ExperienceEvent, Hardening
from simulation.scenario.world import LineTurn, leader_line
from simulation.world import World
from simulation.world.rules import world_threat

# The passes were compiled with the rules they call: forget them if a rule has changed since.
forget_stale_compilations()

#: Tallies kept per month; outcome measures read them.
TALLY_KEYS = (
    "expelled",
    "imprisoned",
    "executed",
    "warned",
    "demoted",
    "died_in_prison",
    "released",
    "readmitted",
    "recanted",
    "recruits",
    "deviating",
    "seen",
    "speakers",
    "voiced",
    "desired",
    "falsified",
    "hidden",
    "innocent",
    "opposed",
    "experienced",
    "punished",
    "recruit_shortfall",
    "war_dead",
)
#: Debate models as the compiled pass numbers them.
DEBATE_MODELS = {"none": 0, "deffuant": 1, "hegselmann-krause": 2, "relative-agreement": 3}
TOTAL_KEYS = ("expelled", "imprisoned", "executed", "innocent", "opposed", "punished")


def read_outcome(model: PartyModel, name: str) -> Any:
    """Read one outcome of the month just measured (a picklable DataCollector reporter)."""
    return model.current_outcomes[name]


class OutcomeCollector(mesa.DataCollector):
    """Mesa's collector of model-level outcomes, without a deep copy of every value.

    :meth:`mesa.DataCollector.collect` deep-copies each reported value in case it is a
    mutable object that later changes. Every outcome here is a number or a string, which
    cannot change, and the copies cost a tenth of a small run's time.
    """

    def collect(self, model: mesa.Model) -> None:
        """Append this month's outcomes (the reporters are :func:`read_outcome` partials)."""
        if self.agent_reporters or self.agenttype_reporters:
            super().collect(model)
            return
        for name, reporter in self.model_reporters.items():
            self.model_vars[name].append(reporter(model))


def standing_purge(hardening: Hardening, month: int) -> CampaignEvent:
    """The one-month arrest campaign a hardened leader runs next month."""
    return CampaignEvent(
        month=format_month(month + 1),
        kind="campaign",
        months=1,
        quota=hardening.purge_quota,
        sanction="arrest",
        execution_share=hardening.purge_execution_share,
        include_expelled=True,
        note="standing purge of a hardened leader",
    )


@dataclass(frozen=True)
class NetworkSample:
    """Some members, their state now and the ties among them (:meth:`PartyModel.network_sample`).

    Attributes:
        members: Member ids (rows of the column store, as in :meth:`PartyModel.member`).
        status: Each one's status now: active, expelled, imprisoned, executed, gone.
        belief: Each one's private belief now, in [-1, 1].
        ties: Pairs of positions in ``members`` (not ids), one row per tie, first < second.
    """

    members: np.ndarray
    status: tuple[str, ...]
    belief: np.ndarray
    ties: np.ndarray


class PartyModel(mesa.Model):
    """A ruling party's members, their dissent, and the leadership's repression.

    Args:
        config: A :class:`~simulation.scenario.Scenario`, a shipped scenario name (e.g.
            ``"historical"``) or a path to a TOML file.
        seed: The seed of every random stream (common random numbers: two scenarios run with
            one seed share their initial party, network and reality path). ``None`` draws one
            from the operating system and records it in :attr:`seed`.
        overrides: Key paths to values, applied to the scenario before validation.
        rng: Another name for ``seed``, the one newer Mesa's ``batch_run`` uses.
        **parameters: More overrides, with ``__`` standing for ``.`` (``policy__tolerance``),
            so that :func:`mesa.batch_run` can vary any parameter.

    Attributes:
        config: The resolved scenario (named ``config`` because newer Mesa reserves
            ``scenario``); a ``stance`` event replaces it with a copy carrying a leader's new
            bias.
        seed: The integer seed used.
        members: The column store of member state.
        network: The social network.
        policy: The policy now in force (changes through events and hardening).
        line: The official line L_t.
        reality: The hidden correct line x_t.
        leader_name: Who leads now.
        datacollector: Mesa's collector of the monthly outcomes.
    """

    def __init__(
        self,
        config: Scenario | str | Path = "base",
        seed: int | None = None,
        overrides: Mapping[str, Any] | None = None,
        *,
        rng: int | None = None,
        **parameters: Any,
    ) -> None:
        if seed is None and rng is not None:
            # Newer Mesa's batch_run passes the replicate's seed as ``rng``.
            seed = int(rng)
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % (2**63))
        super().__init__(rng=int(seed))
        self.seed = int(seed)
        changes = dict(overrides or {})
        # mesa.batch_run passes parameters as keywords, with ``__`` for the dots of a key path.
        changes.update({key.replace("__", "."): value for key, value in parameters.items()})
        self.config = resolve_scenario(config, changes)
        self.streams = make_streams(self.seed)
        cfg = self.config
        self.start_month = cfg.start_index
        self.end_month = cfg.end_index
        self.month = self.start_month - 1
        self.keys = Keys(counter_seed(self.seed), PURPOSES)
        self._uncertainty = faction_uncertainty(list(cfg.population.factions.values()))
        #: Whether the timeline holds congresses (their outcomes and column exist only then).
        self.holds_congresses = any(event.kind == "congress" for event in cfg.events)
        optional = ("organisation",) if cfg.population.organisations else ()
        optional += ("ever_voted_against",) if self.holds_congresses else ()
        #: Whether the timeline ever readmits recanters (ODD 7.6 step 5b): only then is it kept
        #: whether a former member was expelled as an opposition.
        self.holds_recantations = cfg.policy.recantation > 0 or any(
            event.kind == "policy" and (event.set or {}).get("recantation", 0) > 0
            for event in cfg.events
        )
        optional += ("expelled_as_opposition",) if self.holds_recantations else ()
        self.members = build_members(
            cfg.population, self.start_month, self.streams["population"], optional
        )
        self.network = build_network(cfg.network, self.members, self.streams["network"])
        self.pool = CandidatePool(cfg.population, self.streams["pool"])
        m = self.members
        self._columns: Columns | None = None
        self._columns_shape = (-1, -1)
        if not self.network.complete:
            recount(m.rows, self._cols(), self.network.ties())
        # Marks waiting for review: this month's, and guilt by association from last month.
        self._marked = np.zeros(m.capacity, dtype=np.int32)
        self._pending = 0
        self._initial_cc = np.flatnonzero(m.initial_cc)
        #: The central committee cohort last elected (at first the initial one; ODD 7.9).
        self.central_committee = CentralCommittee(self._initial_cc, 0)
        #: The latest congress's vote (None before the first).
        self.vote: Vote | None = None
        #: Each organisation's secretary, a member row chosen at the start (ODD 5.1).
        self.secretaries = (
            secretaries(m.organisation, m.tier, m.status, len(cfg.population.organisations))
            if m.keeps("organisation")
            else np.empty(0, dtype=np.int64)
        )
        #: The contenders and the circular flow of power, when switched on (ODD 7.10).
        self.succession = Succession(self) if cfg.succession.enabled else None
        #: How leaders change, who survives losing, the congresses held (ODD 7.12).
        self.democracy = DemocracyRecord(self) if cfg.succession.enabled else None
        self.rolls = Rolls(m.status)
        self.census: dict[str, Any] = {}
        self.heard = float("nan")
        self.true_mean = float("nan")
        self.policy = cfg.policy
        self.leader_name = cfg.leadership.leader
        #: The month the leader in power took it (his tenure counts from there).
        self.leader_since = self.start_month
        #: With ``succession.policy.enabled`` the leader in power sets repression (ODD 7.8).
        self.leader_decides = self.succession is not None and cfg.succession.policy.enabled
        self._decided_hardening = cfg.succession.policy.hardening.model_copy(
            update={"enabled": True, "objective": "daymude"}
        )
        self.line = cfg.leadership.initial_line
        self.reality = cfg.reality.initial
        self.reading = self.reality + self.leader.bias
        self.leader_error = float("nan")
        #: DAF's adaptive authority's memory ("daymude" hardening), None before its first month.
        self.authority: leadership.AuthoritySearch | None = None
        self.campaigns: list[RunningCampaign] = []
        self.events_by_month: dict[int, list] = {}
        for event in cfg.events:
            self.events_by_month.setdefault(parse_month(event.month), []).append(event)
        self.tally = dict.fromkeys(TALLY_KEYS, 0)
        self.totals = dict.fromkeys(TOTAL_KEYS, 0)
        self._start_world()
        self._visibility = np.asarray(cfg.population.tiers.visibility, dtype=np.float64)
        self._influence = np.asarray(cfg.population.tiers.influence, dtype=np.float64)
        self._member_agents: dict[int, Member] = {}
        self.current_outcomes: dict[str, Any] = {}
        reporters = {name: partial(read_outcome, name=name) for name in self.outcome_columns()}
        self.datacollector = OutcomeCollector(model_reporters=reporters)
        self.running = True

    # ------------------------------------------------------------------ public helpers
    @property
    def leader(self) -> leadership.Leader:
        """The leader now in power."""
        return self.config.leadership.leaders[self.leader_name]

    def outcome_columns(self) -> list[str]:
        """Column names of the outcome table, in order."""
        names = list(OUTCOMES) + faction_columns(self.members.faction_names)
        columns = names + congress_columns(self) + leader_columns(self) + world_columns(self)
        return columns + democracy_columns(self)

    def run(self) -> pd.DataFrame:
        """Run to the scenario's last month and return the outcome table."""
        while self.running:
            self.step()
        return self.outcomes()

    def outcomes(self) -> pd.DataFrame:
        """The monthly outcome table so far: one row per simulated month.

        ``month`` is a pandas monthly period (``period[M]``), so the table plots against time.
        """
        frame = self.datacollector.get_model_vars_dataframe()
        return with_month_periods(frame.reset_index(drop=True)[self.outcome_columns()])

    def fates(self) -> pd.DataFrame:
        """The leaders' fate table: every change of fate with its month (ODD 7.10).

        Empty (with its columns) when ``succession.enabled`` is off.
        """
        if self.succession is None:
            return pd.DataFrame(columns=["leader", "title", "month", "fate"])
        return self.succession.fate_table()

    def member(self, index: int) -> Member:
        """The Mesa agent for row ``index`` of the column store (created on first use)."""
        if not 0 <= index < self.members.rows:
            raise IndexError(f"no member {index}; rows run 0..{self.members.rows - 1}")
        agent = self._member_agents.get(index)
        if agent is None:
            agent = Member(self, index)
            self._member_agents[index] = agent
        return agent

    def materialize_members(self) -> None:
        """Create a Mesa agent for everyone who has ever been a member (for ``model.agents``)."""
        for index in range(self.members.rows):
            self.member(index)

    def iter_members(self, status: Status | None = Status.ACTIVE) -> Iterator[Member]:
        """Iterate over members as agents, by default the active ones (``None``: everyone)."""
        rows = (
            np.arange(self.members.rows)
            if status is None
            else np.flatnonzero(self.members.status == status)
        )
        for index in rows:
            yield self.member(int(index))

    def add_marks(self, rows: np.ndarray, marks: float = 1.0) -> None:
        """Put marks against members, reviewed with this coming month's marks.

        This is how a user (or a test) stages a denunciation by hand: the marks go into the
        dossiers in the next month's repression stage, and the members are reviewed then.

        Args:
            rows: Member rows.
            marks: Marks against each.
        """
        m = self.members
        rows = np.unique(np.asarray(rows, dtype=np.int32))
        if rows.size and not (rows[0] >= 0 and rows[-1] < m.rows):
            raise IndexError(f"member rows run 0..{m.rows - 1}")
        if self._marked.shape[0] < m.rows:
            self._grow_marked()
        for i in rows[m.new_marks[rows] == 0.0]:
            self._marked[self._pending] = i
            self._pending += 1
        m.new_marks[rows] += np.float32(marks)

    def _grow_marked(self) -> None:
        grown = np.zeros(self.members.capacity, dtype=np.int32)
        grown[: self._pending] = self._marked[: self._pending]
        self._marked = grown

    def members_frame(self) -> pd.DataFrame:
        """Everyone who has ever been a member, one row each, with their current state."""
        m = self.members
        return pd.DataFrame(
            {
                "member": np.arange(m.rows),
                "status": pd.Categorical.from_codes(m.status, [s.name.lower() for s in Status]),
                "faction": pd.Categorical.from_codes(m.faction, list(m.faction_names)),
                "tier": pd.Categorical.from_codes(m.tier, [t.name.lower() for t in Tier]),
                "belief": m.belief,
                "expressed": m.expressed,
                "dissent": m.dissent,
                "boldness": m.boldness,
                "fear": m.fear,
                "dossier": m.dossier,
                "prison_term_left": m.term,
                "joined": m.joined,
                "rehabilitated": m.rehabilitated,
                "purged": m.purged,
                "ever_deviated": m.ever_deviated,
                "initial_cc": m.initial_cc,
                "degree": self.network.degree,
            }
            | {name: m.full(name)[: m.rows] for name in OPTIONAL_COLUMNS if m.keeps(name)}
        )

    def network_sample(
        self, size: int = 120, *, members: Sequence[int] | None = None, seed: int = 0
    ) -> NetworkSample:
        """A small piece of the social network, for drawing (the dashboard's network view).

        Without ``members``, a snowball sample is drawn: breadth-first along ties from a
        randomly chosen active member, through everyone who is or was a member, restarting
        from another active member when a component runs out, until ``size`` people are
        found. A snowball keeps the ties that a uniform sample of a sparse network would
        lose. With ``members``, the same people are read again (their state changes from
        month to month; their ties do not).

        The draw uses its own generator seeded by ``seed``, never the model's streams, so
        looking at the network does not change the run.

        Args:
            size: How many people to draw (ignored when ``members`` is given).
            members: Member ids (rows, as in :meth:`member`) to read instead of drawing.
            seed: Seed of the draw.

        Returns:
            The people, their status and private belief now, and the ties among them.
        """
        m = self.members
        if members is None:
            chosen = self._snowball(size, np.random.default_rng(seed))
        else:
            chosen = np.asarray(members, dtype=np.int64)
        position = {int(person): place for place, person in enumerate(chosen)}
        ties = [
            (place, position[int(other)])
            for place, person in enumerate(chosen)
            for other in self.network.neighbours(int(person))
            if position.get(int(other), -1) > place
        ]
        names = [s.name.lower() for s in Status]
        return NetworkSample(
            members=chosen.copy(),
            status=tuple(names[code] for code in m.status[chosen]),
            belief=m.belief[chosen].astype(np.float64),
            ties=np.asarray(ties, dtype=np.int64).reshape(-1, 2),
        )

    def _snowball(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Up to ``size`` people reached breadth-first along ties from random active members."""
        m = self.members
        member = m.status != Status.OUTSIDE
        starts = rng.permutation(np.flatnonzero(m.status == Status.ACTIVE))
        found: dict[int, None] = {}  # insertion-ordered set
        for start in starts:
            if len(found) >= size:
                break
            if int(start) in found:
                continue
            queue = deque([int(start)])
            found[int(start)] = None
            while queue and len(found) < size:
                ties = self.network.neighbours(queue.popleft())
                for other in rng.permutation(ties[member[ties]]):
                    if int(other) not in found:
                        found[int(other)] = None
                        queue.append(int(other))
                        if len(found) >= size:
                            break
        return np.fromiter(found, dtype=np.int64, count=len(found))

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """Simulate one month (see the module docstring for the order of stages)."""
        with threads_for_rows(self.members.rows):
            self._month()

    def _month(self) -> None:
        self.month += 1
        self.tally = dict.fromkeys(TALLY_KEYS, 0)
        self._expelled_now: list[np.ndarray] = []
        self._jailed_now: list[np.ndarray] = []
        self._executed_now: list[np.ndarray] = []
        self._experiences = 0  # experience events so far this month (each draws on its own key)
        for event in self.events_by_month.get(self.month, ()):
            HANDLERS[event.kind](self, event)
        self._world()
        late = self.democracy.late_congress() if self.democracy is not None else None
        if late is not None:
            convene(self, late)
        if self.month % 12 == 0 and not self.network.complete:
            # Each January: lists back in row order, for locality. The dead gain no more ties.
            status = self.members.status  # the rows in use
            self.network.relayout((status == Status.GONE) | (status == Status.EXECUTED))
        self.rolls = Rolls(self.members.status)
        self._reality()
        self._speak()
        self._listen_and_watch()
        self._repress()
        self._membership()
        self._lead()
        if self.succession is not None:
            self.succession.month()
            self.democracy.month()
        self.current_outcomes = (
            measure(self) | faction_sizes(self) | congress_measures(self) | leader_measures(self)
        )
        self.current_outcomes |= world_measures(self) | democracy_measures(self)
        self.datacollector.collect(self)
        if self.month >= self.end_month:
            self.running = False

    def _start_world(self) -> None:
        """The world layer, run from its start to the party's (docs/ODD.md, world).

        With the layer off ``world`` is None and its threat 0. The world draws from a seed of
        its own (:func:`~simulation.model.rng.world_seed`), so it shifts none of the party's.
        """
        section = self.config.world
        #: The world around the party, or None with the layer off.
        self.world: World | None = None
        #: The world's threat T_W this month, fed to the leader's hardening (0 with no world).
        self.world_threat = 0.0
        if section is None or not section.enabled:
            return
        countries, casualties = world_seed(self.seed).spawn(2)
        self.world = World(section.rules, int(countries.generate_state(1)[0]), section.start)
        self._war_rng = np.random.default_rng(casualties)
        #: The foreign line in force (``world`` events change it).
        self.foreign_line = section.line
        #: The line the world stepped under this month: the leader's with line_from_leader.
        self.line_in_force = section.line
        while self.world.month < self.start_month:
            self.world.step(self.foreign_line)
        self.world_summary = self.world.summary()

    def _world(self) -> None:
        """The world steps a month; its threat reaches the leader, its war kills members."""
        if self.world is None:
            return
        section = self.config.world
        if not section.line_from_leader:
            self.line_in_force = self.foreign_line
        else:
            turns, month = self._leader_turns(), self.month
            self.line_in_force = leader_line(self.foreign_line, turns, month, self.line_in_force)
        self.world.step(self.line_in_force)
        seen = self.world_summary = self.world.summary()
        self.world_threat = world_threat(
            seen.hostility_mean,
            seen.at_war,
            seen.communist_states - 1,
            hostility_weight=section.threat_hostility,
            war_weight=section.threat_war,
            ally_weight=section.threat_ally,
        )
        if self.world.fighting(section.war_months):
            # A stylised death toll (a guess, docs/ODD.md world): every active member alike.
            active = np.flatnonzero(self.members.status == Status.ACTIVE)
            dead = active[membership.bernoulli(section.war_deaths, active.size, self._war_rng)]
            self._set_status(dead, Status.GONE)
            self.tally["war_dead"] = int(dead.size)

    def _leader_turns(self) -> tuple[LineTurn, ...]:
        """The foreign turns of the leader in power (none if he is no contender)."""
        contender = self.config.succession.contenders.get(self.leader_name)
        return () if contender is None else contender.disposition.foreign

    def _cols(self) -> Columns:
        """The members' columns bundled for the passes, made anew when rows are added or grown."""
        m = self.members
        shape = (m.rows, m.capacity)
        if self._columns is None or shape != self._columns_shape:
            self._columns = columns_of(m)
            self._columns_shape = shape
        return self._columns

    def _set_status(self, rows: np.ndarray, status: Status) -> None:
        """Change the status of ``rows``, keeping the tie counts of the voice rule right."""
        set_status(rows.astype(np.int32), np.int8(status), self._cols(), self.network.ties())

    def _reality(self) -> None:
        cfg = self.config.reality
        drift = cfg.drift_sd * self.streams["reality"].standard_normal()
        self.reality = float(np.clip(self.reality * (1.0 - cfg.reversion) + drift, -1.0, 1.0))

    def _speak(self) -> None:
        """Signals and the voice decision (:mod:`simulation.model.passes.speech`)."""
        policy, active = self.policy, self.rolls.active
        flips = np.empty(active.shape[0], dtype=np.int32)
        deviators = np.empty(active.shape[0], dtype=np.int32)
        settings = self._speech(active, (policy.tolerance, policy.surveillance, policy.severity))
        cols, net = self._cols(), self.network.ties()
        n_flips, deviating, voiced, desired, falsified, hidden = speak(
            active, cols, net, flips, deviators, settings
        )
        propagate_flips(flips, n_flips, cols, net)
        self.deviators = deviators[:deviating]
        t = self.tally
        t["speakers"] = int(active.size)
        t["deviating"] = int(deviating)
        t["voiced"] = float(voiced)
        t["desired"] = float(desired)
        t["falsified"] = float(falsified)
        t["hidden"] = int(hidden)

    def _speech(self, active: np.ndarray, policy: tuple[float, float, float]) -> Speech:
        """The voice pass's settings this month under (tolerance, surveillance, severity)."""
        m, cfg = self.members, self.config
        total_open = int(np.count_nonzero(m.deviated[active])) if self.network.complete else 0
        tolerance, surveillance, severity = policy
        return Speech(
            signal_key=self.keys("signal", self.month),
            reality=float(self.reality),
            signal_sd=float(cfg.reality.signal_sd),
            signal_weight=float(cfg.reality.signal_weight),
            line=float(self.line),
            tolerance=float(tolerance),
            surveillance=float(surveillance),
            severity=float(severity),
            fear_weight=float(cfg.voice.fear_weight),
            social_proof=float(cfg.voice.social_proof),
            proportional=cfg.voice.punishment == "proportional",
            total_open=total_open,
            relative=cfg.debate.model == "relative-agreement",
        )

    def _listen_and_watch(self) -> None:
        """Debate, detection and denunciation (:mod:`simulation.model.passes.listening`)."""
        m, cfg, policy, active = self.members, self.config.debate, self.policy, self.rolls.active
        model = DEBATE_MODELS[cfg.model]
        net = self.network.ties()
        hk_means = np.zeros(1)
        if model == 2:
            if net.complete:
                hk_means = self.network.confidence_mean(
                    m.belief, m.expressed, m.status == Status.ACTIVE, cfg.confidence
                )
            else:
                hk_means = np.zeros(m.rows)
                confidence_means(active, m.belief, m.expressed, net, cfg.confidence, hk_means)
        if self._marked.shape[0] < m.rows:
            self._grow_marked()
        cols = self._cols()
        debating = Debate(
            model=model,
            bound=float(cfg.confidence),
            rate=float(cfg.rate),
            line=float(self.line),
            pull=float(cfg.line_pull),
            anchor=float(cfg.anchor),
            partner_key=self.keys("partner", self.month),
        )
        debate(active, m.rows, cols, net, debating, hk_means)
        watching = Watch(
            visibility=self._visibility,
            surveillance=float(policy.surveillance),
            denunciation=float(policy.denunciation),
            denunciation_fear=float(policy.denunciation_fear),
            detect_key=self.keys("detect", self.month),
            denounce_key=self.keys("denounce", self.month),
        )
        n_marked, seen = watch(
            self.deviators, m.rows, cols, net, self._marked, self._pending, watching
        )
        if policy.false_denunciation > 0 and active.size:
            cumulative = false_report_rates(
                active, m.rows, cols, net, float(policy.false_denunciation)
            )
            reports = int(self.streams["repression"].poisson(cumulative[-1]))
            key = self.keys("false_denounce", self.month)
            n_marked = false_reports(
                reports, active, cumulative, m.rows, cols, net, self._marked, n_marked, key
            )
        self._pending = 0
        self.marked = np.sort(self._marked[:n_marked])
        self.tally["seen"] = int(seen)

    def _repress(self) -> None:
        """Dossiers, the ladder, campaigns, association, fear (rules: ``repression``)."""
        m, policy, rng = self.members, self.policy, self.streams["repression"]
        marked = self.marked
        cols = self._cols()
        update_dossiers(cols, marked, policy.dossier_decay)
        # The ladder, for active members with new marks who are reviewed this month.
        candidates = marked[m.status[marked] == Status.ACTIVE]
        reviewed = candidates[rng.random(candidates.size) < policy.review_rate]
        thresholds = repression.ladder_thresholds(policy.ladder, policy.severity)
        self._sanction(reviewed, ladder_rungs(reviewed, m.dossier, thresholds))
        # Campaigns with quotas.
        for index, campaign in enumerate(list(self.campaigns)):
            self._run_campaign(campaign, index, rng)
            campaign.months_left -= 1
            if campaign.months_left <= 0:
                self.campaigns.remove(campaign)
        m.new_marks[marked] = 0.0
        m.flags[marked] &= np.uint8(~flag_bits.FALSELY_DENOUNCED & 0xFF)
        punished = _joined(self._expelled_now + self._jailed_now + self._executed_now)
        punished = np.unique(punished)
        # Arrested: imprisoned or executed this month (not expelled); their ties are suspects.
        arrested = _joined(self._jailed_now + self._executed_now)
        cols, net = self._cols(), self.network.ties()
        # Guilt by association: marks for ties of those arrested, reviewed next month.
        if policy.association > 0 and arrested.size:
            per_tie, key = float(policy.association), self.keys("association", self.month)
            self._pending = associate(arrested, m.rows, cols, net, self._marked, 0, per_tie, key)
        # Fear: everyone's decays; ties of the punished learn.
        voice = self.config.voice
        learn_fear(punished, m.rows, cols, net, voice.fear_decay, voice.fear_gain)
        m.flags[punished] = 0
        self.tally["punished"] = int(punished.size)
        self.tally["innocent"] = int(np.count_nonzero(~m.ever_deviated[punished]))
        # Victims on record against the line: spoke above tolerance, or voted against openly.
        opposed = m.ever_deviated[punished]
        if self.holds_congresses:
            opposed = opposed | m.ever_voted_against[punished]
        self.tally["opposed"] = int(np.count_nonzero(opposed))
        for key in TOTAL_KEYS:
            self.totals[key] += self.tally[key]

    def _sanction(self, people: np.ndarray, sanctions: np.ndarray) -> None:
        """Apply ladder sanctions; the one place where ladder sanctions change member state."""
        if people.size == 0:  # most months: no compiled call for nobody
            return
        m = self.members
        warned = people[sanctions == repression.Sanction.WARNING]
        self.tally["warned"] += int(warned.size)
        demoted = people[sanctions == repression.Sanction.DEMOTION]
        m.tier[demoted] = np.minimum(m.tier[demoted] + 1, Tier.RANK_AND_FILE)
        self.tally["demoted"] += int(demoted.size)
        self._expel(people[sanctions == repression.Sanction.EXPULSION])
        self._imprison(people[sanctions == repression.Sanction.IMPRISONMENT])
        self._execute(people[sanctions == repression.Sanction.EXECUTION])

    def _punish(self, people: np.ndarray, status: Status) -> None:
        if people.size == 0:
            return
        m = self.members
        self._set_status(people, status)
        m.purged[people] = True
        m.flags[people] |= np.uint8(flag_bits.PUNISHED)

    def _expel(self, people: np.ndarray, opposition: bool = False) -> None:
        self._punish(people, Status.EXPELLED)
        if self.holds_recantations:  # expelled as an opposition: by a campaign on a faction
            self.members.expelled_as_opposition[people] = opposition
        self._expelled_now.append(people)
        self.tally["expelled"] += int(people.size)

    def _imprison(self, people: np.ndarray) -> None:
        m = self.members
        self._punish(people, Status.IMPRISONED)
        m.term[people] = membership.prison_term(
            self.policy.prison_term, people.size, self.streams["repression"]
        )
        self._jailed_now.append(people)
        self.tally["imprisoned"] += int(people.size)

    def _execute(self, people: np.ndarray) -> None:
        self._punish(people, Status.EXECUTED)
        self.members.term[people] = 0
        self._executed_now.append(people)
        self.tally["executed"] += int(people.size)

    def _run_campaign(
        self, campaign: RunningCampaign, index: int, rng: np.random.Generator
    ) -> None:
        """Fill a campaign's quota: highest dossiers first, then at random (Gregory 2009)."""
        event, m = campaign.event, self.members
        include_expelled = event.sanction == "arrest" and event.include_expelled
        faction = -1 if event.faction is None else m.faction_names.index(event.faction)
        eligible, suspects = campaign_pool(
            self.rolls.active, self.rolls.expelled, include_expelled, faction, self._cols()
        )
        quota = min(repression.stochastic_round(event.quota * eligible.size, rng), eligible.size)
        if quota <= 0:
            return
        key = self.keys("campaign", self.month, index)
        chosen, _ = quota_choice(
            eligible, suspects, m.dossier, m.flags, quota, event.random_share, rng, key
        )
        if event.sanction == "expulsion":
            self._expel(chosen, opposition=faction >= 0)
            return
        shot = rng.random(chosen.size) < event.execution_share
        self._execute(chosen[shot])
        self._imprison(chosen[~shot])

    def _membership(self) -> None:
        """Prison terms, deaths, releases, readmission, recruitment, census and promotion."""
        policy = self.policy
        population = self.config.population
        t = self.tally
        prisoners = _joined([self.rolls.prisoners, *self._jailed_now])
        expelled = _joined([self.rolls.expelled, *self._expelled_now])
        settings = Departures(
            prison_mortality=float(policy.prison_mortality),
            attrition=float(population.attrition),
            outside_mortality=float(population.outside_mortality),
            rehabilitation=float(policy.rehabilitation),
            key=self.keys("membership", self.month),
            out_before=int(self.rolls.expelled.size),
            jailed_before=int(self.rolls.prisoners.size),
            recantation=float(policy.recantation),
            line=float(self.line),
            tolerance=float(policy.tolerance),
            surveillance=float(policy.surveillance),
            severity=float(policy.severity),
            fear_weight=float(self.config.voice.fear_weight),
            proportional=self.config.voice.punishment == "proportional",
        )
        cols, net = self._cols(), self.network.ties()
        died, released, prisoners_left = serve_terms(prisoners, cols, settings)
        stayed = leave(self.rolls.active, cols, net, settings)
        # Who was expelled as an opposition is kept only when recanters may be readmitted.
        opposition = (
            self.members.expelled_as_opposition
            if self.holds_recantations
            else np.zeros(0, dtype=np.bool_)
        )
        readmitted, expelled_left, recanted = readmit(
            expelled, prisoners, cols, net, settings, opposition
        )
        t["died_in_prison"] = int(died)
        t["released"] += int(released)  # += : an amnesty earlier this month released some
        t["readmitted"] += int(readmitted.size)
        t["recanted"] = int(recanted)
        recruits = self._recruit(int(stayed) + readmitted.size)
        groups = (self.rolls.active, readmitted, recruits)
        self._census(groups, prisoners_left, expelled_left)
        self._promote(groups)

    def _recruit(self, active_count: int) -> np.ndarray:
        """Screened recruitment from the candidate queue; recruits make their ties.

        Args:
            active_count: Active members now, before the recruits (the quota's base).
        """
        m, policy, rng = self.members, self.policy, self.streams["membership"]
        if policy.recruitment <= 0:
            return np.empty(0, dtype=np.int32)
        wanted = repression.stochastic_round(policy.recruitment * active_count, rng)
        faction, belief, boldness = screen_candidates(
            self.pool, self.line, wanted, policy.screening, rng
        )
        count = int(belief.size)
        self.tally["recruits"] = count
        self.tally["recruit_shortfall"] = wanted - count
        first = m.rows
        m.reserve(first + count)
        m.rows = first + count
        rows = np.arange(first, first + count, dtype=np.int32)
        m.belief[rows] = belief
        m.conviction[rows] = belief
        m.expressed[rows] = belief
        m.boldness[rows] = boldness
        m.uncertainty[rows] = self._uncertainty[faction]
        m.faction[rows] = faction
        m.tier[rows] = Tier.RANK_AND_FILE
        m.status[rows] = Status.ACTIVE
        m.joined[rows] = self.month
        if m.keeps("organisation"):
            shares = np.cumsum([o.share for o in self.config.population.organisations])
            recruit_organisations(
                first, first + count, shares, m.organisation, self.keys("organisation", self.month)
            )
            # The intake in organisation blocks (ODD 5.1): recruits' other columns are drawn
            # independently of their order, so sorting the draws is still a random assignment.
            m.organisation[first : first + count].sort()
        self.network.add_nodes(count)
        if count and not self.network.complete:
            self._attach(first, first + count)
        return rows

    def _attach(self, first: int, last: int) -> None:
        """Recruits ``first .. last - 1`` make their ties (:func:`attach_recruits`)."""
        m, config, network = self.members, self.config.network, self.network
        active = self.rolls.active
        random_ties = max(config.mean_degree - 2 * float(config.patronage), 0.0) / 2.0
        # Ties inside organisations need the roll grouped by organisation too: one pass
        # groups it both ways (a recruit's faction column stands in when it is not needed).
        local = config.locality > 0 and m.keeps("organisation")
        organisation = m.organisation if local else m.faction
        n_organisations = len(self.config.population.organisations) if local else 0
        by_faction, bucket_start, patrons, by_organisation, organisation_start = recruit_pools(
            active, m.faction, m.tier, len(m.faction_names), organisation, n_organisations
        )
        recruiting = Recruiting(
            random_ties=float(random_ties),
            homophily=float(config.homophily),
            patronage=int(config.patronage),
            key=self.keys("recruit_ties", self.month),
        )
        cols = self._cols()
        pools = (by_faction, bucket_start, patrons)
        offsets, partners = choose_partners(first, last, active, pools, cols, recruiting)
        if local:
            localise_partners(
                first, last, offsets, partners, int(config.patronage), by_organisation,
                organisation_start,
                m.status, m.organisation, config.locality, self.keys("local_ties", self.month),
            )  # fmt: skip
        done = first
        while done < last:
            network.make_room((last - done) * 4 * MIN_ROOM + 4096)
            done, network.used = attach_recruits(
                first, done, last, offsets, partners, cols, network.ties(), network.used
            )
            if done < last:  # the arena was full: make more room than last time
                network.make_room(network.arena.shape[0] // 2)

    def _census(self, groups: tuple, prisoners: int, expelled: int) -> None:
        """End-of-month sums for the outcomes and the leadership (:func:`census`)."""
        m = self.members
        by_tier, by_faction, sums = census(
            groups, self._cols(), self._influence, len(m.faction_names)
        )
        n = sums[0]
        self.census = {
            "active": int(n),
            "expelled": int(expelled),
            "prisoners": int(prisoners),
            "by_tier": by_tier,
            "by_faction": by_faction,
            "belief_mean": sums[1] / n if n else float("nan"),
            "belief_sd": _sd(sums[1], sums[2], n),
            "said_sd": _sd(sums[3], sums[4], n),
            "fear_mean": sums[5] / n if n else float("nan"),
            "cc_purged": self.central_committee.purged_since(m.purged),
            "cc_initial": int(self.central_committee.rows.size),
            "cc1924_purged": int(np.count_nonzero(m.purged[self._initial_cc])),
            "cc1924": int(self._initial_cc.size),
        }
        self._heard_sums = sums[6:9].copy()

    def _promote(self, groups: tuple) -> None:
        """Fill vacancies in the politburo, central committee and cadres from the tier below.

        Purges and deaths empty the top of the party; the vacancies are filled by co-optation
        of the members of the tier below whose public statements are nearest the line (the
        loyal promotees, the vydvizhentsy of S. Fitzpatrick 1979, "Stalin and the making of a
        new elite, 1928-1939", Slavic Review 38(3)). Targets are the starting sizes of the
        politburo and central committee and the cadre share of active members.
        """
        tiers = self.config.population.tiers
        if not tiers.promotion:
            return
        m = self.members
        by_tier = self.census["by_tier"]
        targets = {
            Tier.POLITBURO: tiers.politburo,
            Tier.CENTRAL_COMMITTEE: tiers.central_committee,
            Tier.CADRE: round(tiers.cadre_share * self.census["active"]),
        }
        for tier, target in targets.items():
            vacancies = target - int(by_tier[tier])
            if vacancies <= 0:
                continue
            chosen = nearest_the_line(groups, self._cols(), np.int8(tier + 1), vacancies, self.line)
            m.tier[chosen] = tier
            by_tier[tier] += chosen.size
            by_tier[tier + 1] -= chosen.size
            # What the leader hears is weighted by rank: the promoted now weigh more.
            spoke = chosen[m.spoke[chosen]]
            dw = self._influence[tier] - self._influence[tier + 1]
            self._heard_sums += dw * np.array(
                [m.expressed[spoke].astype(np.float64).sum(),
                 m.belief[spoke].astype(np.float64).sum(), float(spoke.size)]
            )  # fmt: skip

    def experience(self, event: ExperienceEvent) -> int:
        """Part of the party lives through a shock (docs/ODD.md 7.7, ``experience`` events).

        Active members of the event's organisations (everyone's if none are named) are hit with
        probability ``share``, times the organisation's ``rural_share`` if ``rural``; those hit
        move belief and conviction by ``shift`` (:mod:`simulation.model.passes.experience`).

        Returns:
            How many members were hit (also added to the month's tally).
        """
        m = self.members
        probability = hit_probabilities(event, self.config.population.organisations)
        organisation = (
            m.organisation
            if self.config.population.organisations
            else np.zeros(m.rows, dtype=np.int8)
        )
        active = np.flatnonzero(m.status == Status.ACTIVE).astype(np.int32)
        # One key per experience event of the month: two in one month draw independently.
        key = self.keys("experience", self.month, self._experiences)
        self._experiences += 1
        hit = int(
            live_through(
                active, organisation, probability, event.shift, m.belief, m.conviction, key
            )
        )
        self.tally["experienced"] += hit
        return hit

    def amnesty(self, release: float, readmit: float, clear_dossiers: bool) -> None:
        """Release a share of prisoners and readmit a share of former members.

        Args:
            release: Share of prisoners released now.
            readmit: Share of released and expelled people readmitted to the party.
            clear_dossiers: Forget every mark held against anyone.
        """
        m, rng = self.members, self.streams["membership"]
        prisoners = np.flatnonzero(m.status == Status.IMPRISONED)
        freed = prisoners[membership.bernoulli(release, prisoners.size, rng)]
        self._set_status(freed, Status.EXPELLED)
        m.term[freed] = 0
        m.rehabilitated[freed] = True
        self.tally["released"] += int(freed.size)
        former = np.flatnonzero(m.status == Status.EXPELLED)
        back = former[membership.bernoulli(readmit, former.size, rng)]
        self._set_status(back, Status.ACTIVE)
        m.rehabilitated[back] = True
        m.dossier[back] = 0.0
        m.tier[back] = Tier.RANK_AND_FILE
        m.expressed[back] = m.belief[back]
        self.tally["readmitted"] += int(back.size)
        if clear_dossiers:
            m.dossier[:] = 0.0
            m.new_marks[:] = 0.0
            self._pending = 0

    def _lead(self) -> None:
        leader = self.leader
        # The leader hears those who spoke this month and are still members: not this month's
        # recruits, or members readmitted after the voice stage, who have said nothing yet.
        said, believed, weight = self._heard_sums
        heard = said / weight if weight > 0 else float("nan")
        true_mean = believed / weight if weight > 0 else float("nan")
        self.leader_error = abs(heard - true_mean)
        self.reading = leadership.update_reading(
            self.reading, self.reality, leader, self.streams["leadership"]
        )
        self.line = leadership.next_line(self.line, self.reading, heard, leader)
        seen_share = self.tally["seen"] / max(self.tally["speakers"], 1)
        hardening = self.hardening
        self.policy, self.authority = leadership.adapt(
            self.policy,
            hardening,
            seen_share,
            self.authority,
            self._authority_month,
            world_threat=self.world_threat,
        )
        if leadership.purging(self.policy, hardening):
            self.campaigns.append(RunningCampaign(standing_purge(hardening, self.month), 1))

    @property
    def hardening(self) -> Hardening:
        """The hardening in force: the leader's own, or the leader's policy's (ODD 7.8)."""
        return self._decided_hardening if self.leader_decides else self.leader.hardening

    def _authority_month(self) -> leadership.AuthorityMonth:
        """What DAF's adaptive authority observes this month: its cost C_t and two draws."""
        key = self.keys("authority", self.month)
        draws = (uniform(key, 0), uniform(key, 1))
        succession = self.succession
        if self.leader_decides and succession is not None:
            weights = succession.authority_weights(
                self.leader_name, self.month, self.leader_since, self.world_threat
            )
            return self._foreseen_month(weights, draws)
        policy, t = self.policy, self.tally
        punishing = leadership.punishment_cost(
            self.members.dissent[self.marked],
            policy.tolerance,
            policy.severity,
            self.config.voice.punishment,
        )
        adamancy = self.leader.hardening.adamancy
        cost = leadership.authority_cost(t["voiced"], punishing, t["speakers"], adamancy)
        return leadership.AuthorityMonth(cost, draws)

    def _foreseen_month(
        self, weights: tuple[float, float], draws: tuple[float, float]
    ) -> leadership.AuthorityMonth:
        """The leader's policy's month (ODD 7.8): the step tried and the policy kept, costed.

        Both are costed on the party as it stands now (:func:`foresee`), at this month's
        adamancy and cost of punishing, so the comparison is not drowned by how the party
        itself changed from one month to the next.
        """
        active = active_rows(self.members.status)
        cols, net = self._cols(), self.network.ties()
        adamancy, punishing_cost = weights

        in_force = (self.policy.tolerance, self.policy.surveillance, self.policy.severity)
        search = self.authority
        policies = [in_force]
        if search is not None and search.tried == in_force:
            policies.append(search.kept)
        # Both policies costed in one pass over the members.
        voiced, punishing = foresee(
            active, cols, net, tuple(self._speech(active, policy) for policy in policies)
        )
        costs = (adamancy * voiced + punishing_cost * punishing) / max(active.size, 1)
        kept = float(costs[1]) if len(policies) > 1 else None
        return leadership.AuthorityMonth(float(costs[0]), draws, kept)

    def central_committee_successor(
        self, candidates: Mapping[str, leadership.Leader]
    ) -> str | None:
        """The central committee's choice of a new leader among ``candidates`` (ODD 7.8).

        The active politburo and central committee members vote with what they say
        (:func:`~simulation.model.rules.leadership.central_committee_choice`); the leader now
        in power is not a candidate. None when nobody else may be chosen.
        """
        m = self.members
        voters = np.flatnonzero((m.status == Status.ACTIVE) & (m.tier <= Tier.CENTRAL_COMMITTEE))
        choice = leadership.central_committee_choice(
            candidates, m.expressed[voters], self.leader_name
        )
        return None if choice == self.leader_name else choice

    def change_leader(self, successor: str, *, chosen: bool = False) -> None:
        """Hand power to ``successor`` (a leader's name) or to the central committee's choice.

        Args:
            successor: A leader's name, or ``"cc_vote"``.
            chosen: Whether a vote chose him (the ruling coalition, 7.11), which with
                ``"cc_vote"`` the central committee's choice is too (ODD 7.12).
        """
        chosen = chosen or successor == "cc_vote"
        if successor == "cc_vote":
            successor = self.central_committee_successor(self.config.leadership.leaders)
            if successor is None:
                successor = self.leader_name
        # The successor inherits the apparatus's reading of reality, seen through his own bias.
        leaders = self.config.leadership.leaders
        if self.democracy is not None and successor != self.leader_name:
            self.democracy.record_change(self.leader_name, chosen)
        self.reading += leaders[successor].bias - leaders[self.leader_name].bias
        self.leader_name = successor
        self.leader_since = self.month
        # A new leader searches afresh from the policy he inherits.
        self.authority = None


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """Concatenate row lists as int32 (empty when there are none)."""
    if not parts:
        return np.empty(0, dtype=np.int32)
    return np.concatenate(parts).astype(np.int32)


def _sd(total: float, squares: float, n: float) -> float:
    """Population standard deviation from a sum and a sum of squares."""
    if n <= 0:
        return float("nan")
    mean = total / n
    return float(np.sqrt(max(squares / n - mean * mean, 0.0)))
