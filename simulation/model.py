"""The party model: a Mesa model whose monthly rules run on columns of member state.

One step is one month. Within a month, in this order (each stage in one method below):

1. events scheduled for the month (policy changes, campaigns, leader change, shocks, amnesty);
2. reality drifts; members receive private signals and move toward them;
3. every active member decides how much dissent to voice (Daymude, Axelrod & Forrest 2025);
4. debate: beliefs change by bounded confidence from what neighbours said;
5. repression: detection, denunciation, the punishment ladder, campaign quotas, guilt by
   association;
6. fear is learned from punished ties;
7. membership: prison terms, deaths, releases, readmission, recruitment, promotion to
   vacancies at the top;
8. the leadership reads reality, hears the party, moves the line and may harden;
9. outcomes are recorded through Mesa's :class:`~mesa.DataCollector`.

The mathematics of each rule, with its source, is in the docstrings of :mod:`simulation.rules`
and in ``docs/ODD.md``.
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

from simulation.agents import Member
from simulation.calendar import format_month, parse_month
from simulation.events import HANDLERS, RunningCampaign
from simulation.network import build_network
from simulation.outcomes import OUTCOMES, MonthView, faction_sizes, measure
from simulation.population import build_members
from simulation.rng import make_streams
from simulation.rules import debate, fear, leadership, membership, repression, voice
from simulation.scenario import Scenario, load_scenario
from simulation.scenario.loader import apply_overrides, validate
from simulation.scenario.schema import CampaignEvent, Hardening
from simulation.state import Status, Tier

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
    "recruits",
    "deviating",
    "seen",
    "speakers",
    "voiced",
    "desired",
    "falsified",
    "innocent",
    "punished",
    "recruit_shortfall",
)
TOTAL_KEYS = ("expelled", "imprisoned", "executed", "innocent", "punished")


def read_outcome(model: PartyModel, name: str) -> Any:
    """Read one outcome of the month just measured (a picklable DataCollector reporter)."""
    return model.current_outcomes[name]


def resolve_config(
    config: Scenario | str | Path,
    overrides: Mapping[str, Any] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Scenario:
    """Turn a scenario, name or path plus overrides into a validated scenario.

    Args:
        config: A :class:`Scenario`, a shipped scenario name or a TOML path.
        overrides: Key paths to values, e.g. ``{"policy.tolerance": 0.3}``.
        parameters: Keyword parameters with ``__`` for dots, e.g. ``policy__tolerance=0.3``
            (the form :func:`mesa.batch_run` passes).

    Returns:
        The scenario with the overrides applied.
    """
    changes = dict(overrides or {})
    changes.update({key.replace("__", "."): value for key, value in (parameters or {}).items()})
    if isinstance(config, Scenario):
        if not changes:
            return config
        data = config.model_dump(mode="python")
        sources: dict[str, str] = {}
        data = apply_overrides(data, changes, sources)
        return validate(data, sources, f"scenario {config.name}")
    return load_scenario(config, changes)


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
            ``scenario``).
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
        self.config = resolve_config(config, overrides, parameters)
        self.streams = make_streams(self.seed)
        cfg = self.config
        self.start_month = cfg.start_index
        self.end_month = cfg.end_index
        self.month = self.start_month - 1
        self.members = build_members(cfg.population, self.start_month, self.streams["population"])
        self.network = build_network(cfg.network, self.members, self.streams["network"])
        self._live_size = 0
        self._refresh_live()
        self.policy = cfg.policy
        self.leader_name = cfg.leadership.leader
        self.line = cfg.leadership.initial_line
        self.reality = cfg.reality.initial
        self.reading = self.reality + self.leader.bias
        self.leader_error = float("nan")
        self.speakers = np.flatnonzero(self.members.status == Status.ACTIVE)
        self.campaigns: list[RunningCampaign] = []
        self.events_by_month: dict[int, list] = {}
        for event in cfg.events:
            self.events_by_month.setdefault(parse_month(event.month), []).append(event)
        self.tally = dict.fromkeys(TALLY_KEYS, 0)
        self.totals = dict.fromkeys(TOTAL_KEYS, 0)
        self._visibility = np.asarray(cfg.population.tiers.visibility, dtype=np.float64)
        self._influence = np.asarray(cfg.population.tiers.influence, dtype=np.float64)
        self._member_agents: dict[int, Member] = {}
        self.current_outcomes: dict[str, Any] = {}
        reporters = {name: partial(read_outcome, name=name) for name in self.outcome_columns()}
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self.running = True

    # ------------------------------------------------------------------ public helpers
    @property
    def leader(self) -> leadership.Leader:
        """The leader now in power."""
        return self.config.leadership.leaders[self.leader_name]

    def outcome_columns(self) -> list[str]:
        """Column names of the outcome table, in order."""
        names = list(OUTCOMES)
        return names + [f"faction_{name}" for name in self.members.faction_names]

    def run(self) -> pd.DataFrame:
        """Run to the scenario's last month and return the outcome table."""
        while self.running:
            self.step()
        return self.outcomes()

    def outcomes(self) -> pd.DataFrame:
        """The monthly outcome table so far: one row per simulated month."""
        frame = self.datacollector.get_model_vars_dataframe()
        return frame.reset_index(drop=True)[self.outcome_columns()]

    def member(self, index: int) -> Member:
        """The Mesa agent for row ``index`` of the column store (created on first use)."""
        if not 0 <= index < self.members.capacity:
            raise IndexError(f"no member {index}; rows run 0..{self.members.capacity - 1}")
        agent = self._member_agents.get(index)
        if agent is None:
            agent = Member(self, index)
            self._member_agents[index] = agent
        return agent

    def materialize_members(self) -> None:
        """Create a Mesa agent for everyone who has ever been a member (for ``model.agents``)."""
        for index in np.flatnonzero(self.members.status != Status.OUTSIDE):
            self.member(int(index))

    def iter_members(self, status: Status | None = Status.ACTIVE) -> Iterator[Member]:
        """Iterate over members as agents, by default the active ones."""
        mask = (
            self.members.status != Status.OUTSIDE
            if status is None
            else (self.members.status == status)
        )
        for index in np.flatnonzero(mask):
            yield self.member(int(index))

    def members_frame(self) -> pd.DataFrame:
        """Everyone who has ever been a member, one row each, with their current state."""
        m = self.members
        rows = np.flatnonzero(m.status != Status.OUTSIDE)
        return pd.DataFrame(
            {
                "member": rows,
                "status": pd.Categorical.from_codes(
                    m.status[rows], [s.name.lower() for s in Status]
                ),
                "faction": pd.Categorical.from_codes(m.faction[rows], list(m.faction_names)),
                "tier": pd.Categorical.from_codes(m.tier[rows], [t.name.lower() for t in Tier]),
                "belief": m.belief[rows],
                "expressed": m.expressed[rows],
                "dissent": m.dissent[rows],
                "boldness": m.boldness[rows],
                "fear": m.fear[rows],
                "dossier": m.dossier[rows],
                "prison_term_left": m.term[rows],
                "rehabilitated": m.rehabilitated[rows],
                "purged": m.purged[rows],
                "ever_deviated": m.ever_deviated[rows],
                "initial_cc": m.initial_cc[rows],
                "degree": self.network.degree[rows],
            }
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
        self.month += 1
        self.tally = dict.fromkeys(TALLY_KEYS, 0)
        for event in self.events_by_month.get(self.month, ()):
            HANDLERS[event.kind](self, event)
        self._refresh_live()
        active = np.flatnonzero(self.live.status == Status.ACTIVE)
        self._reality_and_signals(active)
        self._voice(active)
        self._debate(active)
        self._repress()
        self._membership()
        self._lead()
        view = MonthView(self)
        self.current_outcomes = measure(self) | faction_sizes(self, view)
        self.datacollector.collect(self)
        if self.month >= self.end_month:
            self.running = False

    def _refresh_live(self) -> None:
        """Point the rules at the rows that matter this month (see :meth:`Members.prefix`).

        The working prefix runs a little ahead of the frontier and grows geometrically, so the
        network among its rows is re-extracted a few dozen times in a run of growth rather than
        every month; the extra rows are outsiders, whom every rule ignores.
        """
        frontier = self.members.frontier
        if frontier > self._live_size or self._live_size == 0:
            self._live_size = min(self.members.capacity, int(frontier * 1.1) + 256)
            self.live_network = self.network.prefix(self._live_size)
        self.live = self.members.prefix(self._live_size)

    def _reality_and_signals(self, active: np.ndarray) -> None:
        cfg = self.config.reality
        rng = self.streams["reality"]
        drift = cfg.drift_sd * rng.standard_normal()
        self.reality = float(np.clip(self.reality * (1.0 - cfg.reversion) + drift, -1.0, 1.0))
        if cfg.signal_weight > 0 and active.size:
            noise = self.streams["signals"].standard_normal(active.size)
            signal = self.reality + cfg.signal_sd * noise
            debate.signal_step(self.live.belief, signal, active, cfg.signal_weight)
            # A signal can lie beyond the axis; beliefs may not.
            np.clip(self.live.belief, -1.0, 1.0, out=self.live.belief)

    def _voice(self, active: np.ndarray) -> None:
        m, cfg, policy = self.live, self.config.voice, self.policy
        belief = m.belief[active]
        delta = voice.desired_dissent(belief, self.line)
        if cfg.social_proof > 0 and m.deviated.any():
            present = m.status == Status.ACTIVE
            # Both neighbour sums in one pass over the network.
            both = np.column_stack((m.deviated & present, present)).astype(np.float64)
            sums = self.live_network.neighbour_sum(both)[active]
            open_ties, ties = sums[:, 0], sums[:, 1]
            open_share = np.divide(open_ties, ties, out=np.zeros_like(open_ties), where=ties > 0)
        else:
            open_share = 0.0
        severity = voice.perceived_severity(
            policy.severity, m.fear[active], cfg.fear_weight, open_share, cfg.social_proof
        )
        dissent = voice.optimal_dissent(
            delta,
            m.boldness[active],
            policy.tolerance,
            policy.surveillance,
            severity,
            cfg.punishment,
        )
        said = voice.expressed_position(belief, self.line, dissent)
        m.dissent[:] = 0.0
        m.dissent[active] = dissent
        m.expressed[active] = said
        m.deviated[:] = False
        deviating = active[dissent > policy.tolerance + 1e-12]
        m.deviated[deviating] = True
        m.ever_deviated[deviating] = True
        self.speakers = active
        t = self.tally
        t["speakers"] = int(active.size)
        t["deviating"] = int(deviating.size)
        t["voiced"] = float(dissent.sum())
        t["desired"] = float(delta.sum())
        t["falsified"] = float(np.abs(belief - said).sum())

    def _debate(self, active: np.ndarray) -> None:
        m, cfg = self.live, self.config.debate
        if cfg.model != "none" and active.size:
            speaking = m.status == Status.ACTIVE
            if cfg.model == "deffuant":
                # Partners are drawn among all of a member's ties, not only those inside the
                # working prefix, so the draw does not depend on how far the prefix runs ahead;
                # a tie outside it is not a member and says nothing.
                partners = self.network.random_neighbour(active, self.streams["debate"])
                partners[partners >= m.capacity] = -1
                m.belief[:] = debate.deffuant_step(
                    m.belief, m.expressed, active, partners, speaking, cfg.confidence, cfg.rate
                )
            else:
                means = self.live_network.confidence_mean(
                    m.belief, m.expressed, speaking, cfg.confidence
                )
                m.belief[:] = debate.hegselmann_krause_step(m.belief, means, active)
        debate.line_pull_step(m.belief, active, self.line, cfg.line_pull)
        debate.anchor_step(m.belief, m.conviction, active, cfg.anchor)
        np.clip(m.belief, -1.0, 1.0, out=m.belief)

    def _repress(self) -> None:
        """Marks, the ladder, campaigns, association (:mod:`simulation.rules.repression`)."""
        m, policy, rng = self.live, self.policy, self.streams["repression"]
        network = self.live_network
        is_active = m.status == Status.ACTIVE
        deviators = np.flatnonzero(m.deviated & is_active)
        # Detection of voiced deviations.
        p_seen = repression.detection_probability(
            m.dissent[deviators], policy.surveillance, self._visibility[m.tier[deviators]]
        )
        seen = deviators[rng.random(deviators.size) < p_seen]
        m.new_marks[seen] += 1.0
        self.tally["seen"] = int(seen.size)
        # Denunciation of heard deviations, and false denunciation of the silent.
        if policy.denunciation > 0 and deviators.size:
            weight = np.where(is_active, 1.0 + policy.denunciation_fear * m.fear, 0.0)
            heard_by = network.neighbour_sum(weight)[deviators]
            p = repression.denunciation_probability(heard_by, policy.denunciation)
            m.new_marks[deviators[rng.random(deviators.size) < p]] += 1.0
        if policy.false_denunciation > 0:
            silent = np.flatnonzero(is_active & ~m.deviated)
            afraid_ties = network.neighbour_sum(np.where(is_active, m.fear, 0.0))[silent]
            p = repression.denunciation_probability(afraid_ties, policy.false_denunciation)
            m.new_marks[silent[rng.random(silent.size) < p]] += 1.0
        m.dossier *= 1.0 - policy.dossier_decay
        m.dossier += m.new_marks
        punished = np.zeros(m.capacity, dtype=bool)
        arrested = np.zeros(m.capacity, dtype=bool)
        # The ladder, for active members with new marks who are reviewed this month.
        marked = np.flatnonzero(is_active & (m.new_marks > 0))
        reviewed = marked[rng.random(marked.size) < policy.review_rate]
        thresholds = repression.ladder_thresholds(policy.ladder, policy.severity)
        sanctions = repression.ladder_sanction(m.dossier[reviewed], thresholds)
        self._sanction(reviewed, sanctions, punished, arrested)
        # Campaigns with quotas.
        for campaign in list(self.campaigns):
            self._run_campaign(campaign, punished, arrested, rng)
            campaign.months_left -= 1
            if campaign.months_left <= 0:
                self.campaigns.remove(campaign)
        m.new_marks[:] = 0.0
        # Guilt by association: marks for ties of those arrested, reviewed next month.
        if policy.association > 0 and arrested.any():
            k = network.neighbour_sum(arrested.astype(np.float64))
            exposed = np.flatnonzero(
                (k > 0) & ((m.status == Status.ACTIVE) | (m.status == Status.EXPELLED))
            )
            p = repression.association_probability(k[exposed], policy.association)
            m.new_marks[exposed[rng.random(exposed.size) < p]] += 1.0
        # Fear from punished ties.
        cfg = self.config.voice
        if punished.any():
            ties_punished = network.neighbour_sum(punished.astype(np.float64))
            m.fear[:] = fear.update_fear(m.fear, ties_punished, cfg.fear_gain, cfg.fear_decay)
            # Fear is learned by people in the party's orbit, not by outsiders still in the pool.
            m.fear[m.status == Status.OUTSIDE] = 0.0
        else:  # nobody punished: fear only decays (the same rule with k = 0, without the product)
            m.fear *= 1.0 - cfg.fear_decay
        innocents = int(np.count_nonzero(punished & ~m.ever_deviated))
        self.tally["punished"] = int(np.count_nonzero(punished))
        self.tally["innocent"] = innocents
        for key in TOTAL_KEYS:
            self.totals[key] += self.tally[key]

    def _sanction(
        self,
        people: np.ndarray,
        sanctions: np.ndarray,
        punished: np.ndarray,
        arrested: np.ndarray,
    ) -> None:
        """Apply ladder sanctions; the one place where sanctions change member state."""
        m = self.live
        rng = self.streams["repression"]
        warned = people[sanctions == repression.Sanction.WARNING]
        self.tally["warned"] += int(warned.size)
        demoted = people[sanctions == repression.Sanction.DEMOTION]
        m.tier[demoted] = np.minimum(m.tier[demoted] + 1, Tier.RANK_AND_FILE)
        self.tally["demoted"] += int(demoted.size)
        self._expel(people[sanctions == repression.Sanction.EXPULSION], punished)
        jailed = people[sanctions == repression.Sanction.IMPRISONMENT]
        self._imprison(jailed, punished, arrested, rng)
        self._execute(people[sanctions == repression.Sanction.EXECUTION], punished, arrested)

    def _expel(self, people: np.ndarray, punished: np.ndarray) -> None:
        m = self.live
        m.status[people] = Status.EXPELLED
        m.purged[people] = True
        punished[people] = True
        self.tally["expelled"] += int(people.size)

    def _imprison(
        self,
        people: np.ndarray,
        punished: np.ndarray,
        arrested: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        m = self.live
        m.status[people] = Status.IMPRISONED
        m.term[people] = membership.prison_term(self.policy.prison_term, people.size, rng)
        m.purged[people] = True
        punished[people] = True
        arrested[people] = True
        self.tally["imprisoned"] += int(people.size)

    def _execute(self, people: np.ndarray, punished: np.ndarray, arrested: np.ndarray) -> None:
        m = self.live
        m.status[people] = Status.EXECUTED
        m.term[people] = 0
        m.purged[people] = True
        punished[people] = True
        arrested[people] = True
        self.tally["executed"] += int(people.size)

    def _run_campaign(
        self,
        campaign: RunningCampaign,
        punished: np.ndarray,
        arrested: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        event, m = campaign.event, self.live
        eligible = m.status == Status.ACTIVE
        if event.sanction == "arrest" and event.include_expelled:
            eligible |= m.status == Status.EXPELLED
        if event.faction is not None:
            eligible &= m.faction == m.faction_names.index(event.faction)
        eligible &= ~punished
        candidates = np.flatnonzero(eligible)
        quota = repression.stochastic_round(event.quota * candidates.size, rng)
        chosen, _ = repression.quota_targets(candidates, m.dossier, quota, event.random_share, rng)
        if event.sanction == "expulsion":
            self._expel(chosen, punished)
            return
        shot = rng.random(chosen.size) < event.execution_share
        self._execute(chosen[shot], punished, arrested)
        self._imprison(chosen[~shot], punished, arrested, rng)

    def _membership(self) -> None:
        """Prison terms, deaths, releases, readmission and recruitment."""
        m, policy, rng = self.live, self.policy, self.streams["membership"]
        population = self.config.population
        t = self.tally
        prisoners = np.flatnonzero(m.status == Status.IMPRISONED)
        died = prisoners[membership.bernoulli(policy.prison_mortality, prisoners.size, rng)]
        m.status[died] = Status.GONE
        t["died_in_prison"] = int(died.size)
        prisoners = np.flatnonzero(m.status == Status.IMPRISONED)
        m.term[prisoners] -= 1
        freed = prisoners[m.term[prisoners] <= 0]
        m.status[freed] = Status.EXPELLED
        m.term[freed] = 0
        t["released"] += int(freed.size)  # += : an amnesty earlier this month released some
        active = np.flatnonzero(m.status == Status.ACTIVE)
        m.status[active[membership.bernoulli(population.attrition, active.size, rng)]] = Status.GONE
        former = np.flatnonzero(m.status == Status.EXPELLED)
        gone = membership.bernoulli(population.outside_mortality, former.size, rng)
        m.status[former[gone]] = Status.GONE
        former = former[~gone]
        if policy.rehabilitation > 0:
            back = former[membership.bernoulli(policy.rehabilitation, former.size, rng)]
            self._readmit(back)
        if policy.recruitment > 0:
            active_count = int(np.count_nonzero(m.status == Status.ACTIVE))
            wanted = repression.stochastic_round(policy.recruitment * active_count, rng)
            store = self.members
            recruits, store.frontier = membership.screen_recruits(
                store.belief, store.frontier, self.line, wanted, policy.screening, rng
            )
            store.status[recruits] = Status.ACTIVE
            store.tier[recruits] = Tier.RANK_AND_FILE
            store.joined[recruits] = self.month
            t["recruits"] = int(recruits.size)
            t["recruit_shortfall"] = wanted - int(recruits.size)
        self._promote()

    def _promote(self) -> None:
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
        m = self.members.prefix()
        active = m.status == Status.ACTIVE
        targets = {
            Tier.POLITBURO: tiers.politburo,
            Tier.CENTRAL_COMMITTEE: tiers.central_committee,
            Tier.CADRE: round(tiers.cadre_share * int(active.sum())),
        }
        for tier, target in targets.items():
            present = int(np.count_nonzero(active & (m.tier == tier)))
            vacancies = target - present
            if vacancies <= 0:
                continue
            below = np.flatnonzero(active & (m.tier == tier + 1))
            if below.size == 0:
                continue
            loyalty = np.abs(m.expressed[below] - self.line)
            if vacancies < below.size:
                # The `vacancies` nearest the line, without sorting the whole tier.
                nearest = np.argpartition(loyalty, vacancies - 1)[:vacancies]
                below = below[nearest]
                loyalty = loyalty[nearest]
            order = np.lexsort((below, loyalty))  # nearest the line first; ties by row
            chosen = below[order[:vacancies]]
            m.tier[chosen] = tier

    def _readmit(self, people: np.ndarray) -> None:
        m = self.live
        m.status[people] = Status.ACTIVE
        m.rehabilitated[people] = True
        m.dossier[people] = 0.0
        m.tier[people] = Tier.RANK_AND_FILE
        self.tally["readmitted"] += int(people.size)

    def amnesty(self, release: float, readmit: float, clear_dossiers: bool) -> None:
        """Release a share of prisoners and readmit a share of former members.

        Args:
            release: Share of prisoners released now.
            readmit: Share of released and expelled people readmitted to the party.
            clear_dossiers: Forget every mark held against anyone.
        """
        self._refresh_live()
        m, rng = self.live, self.streams["membership"]
        prisoners = np.flatnonzero(m.status == Status.IMPRISONED)
        freed = prisoners[membership.bernoulli(release, prisoners.size, rng)]
        m.status[freed] = Status.EXPELLED
        m.term[freed] = 0
        m.rehabilitated[freed] = True
        self.tally["released"] += int(freed.size)
        former = np.flatnonzero(m.status == Status.EXPELLED)
        self._readmit(former[membership.bernoulli(readmit, former.size, rng)])
        if clear_dossiers:
            m.dossier[:] = 0.0
            m.new_marks[:] = 0.0

    def _lead(self) -> None:
        self._refresh_live()
        m, leader = self.live, self.leader
        # The leader hears those who spoke this month and are still members: not this month's
        # recruits, or members readmitted after the voice stage, who have said nothing yet.
        active = self.speakers[m.status[self.speakers] == Status.ACTIVE]
        weights = self._influence[m.tier[active]]
        heard = leadership.weighted_mean(m.expressed[active], weights)
        true_mean = leadership.weighted_mean(m.belief[active], weights)
        self.leader_error = abs(heard - true_mean)
        self.reading = leadership.update_reading(
            self.reading, self.reality, leader, self.streams["leadership"]
        )
        self.line = leadership.next_line(self.line, self.reading, heard, leader)
        seen_share = self.tally["seen"] / max(self.tally["speakers"], 1)
        self.policy = leadership.harden(self.policy, leader.hardening, seen_share)
        if leadership.purging(self.policy, leader.hardening):
            self.campaigns.append(RunningCampaign(standing_purge(leader.hardening, self.month), 1))

    def change_leader(self, successor: str) -> None:
        """Hand power to ``successor`` (a leader's name) or to the central committee's choice."""
        if successor == "cc_vote":
            m = self.members
            voters = np.flatnonzero(
                (m.status == Status.ACTIVE) & (m.tier <= Tier.CENTRAL_COMMITTEE)
            )
            successor = leadership.central_committee_choice(
                self.config.leadership.leaders, m.expressed[voters], self.leader_name
            )
        # The successor inherits the apparatus's reading of reality, seen through his own bias.
        leaders = self.config.leadership.leaders
        self.reading += leaders[successor].bias - leaders[self.leader_name].bias
        self.leader_name = successor
