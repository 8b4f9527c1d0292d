"""The party model as plain Mesa: one agent per member, one method per stage of the month.

This is the reference (teaching) version of :class:`simulation.model.party.PartyModel`: the same
monthly rules, written one member at a time, with ties held as lists on each member and
random numbers drawn from Python generators per purpose. It is slow, and meant to be read,
and to check the fast engine: ``tests/test_reference_agreement.py`` runs both over many seeds
and compares their outcome distributions.

One step is one month. In the fast engine's order:

1. events of the month (policy, campaigns, leader, shocks, amnesty);
2. reality drifts; members move toward private signals of it;
3. every member decides how much dissent to voice (Daymude, Axelrod & Forrest 2025);
4. debate: beliefs move by bounded confidence toward what ties said;
5. repression: detection, denunciation, false denunciation, dossiers, the punishment ladder,
   quota campaigns, guilt by association;
6. fear is learned from punished ties;
7. membership: prison, deaths, readmission, recruitment, promotion;
8. the leadership reads reality, hears the party, moves the line and may harden;
9. the month's outcomes are recorded.

The formulas and their sources are in each method's docstring and in ``docs/ODD.md``.
"""

from __future__ import annotations

import random
from collections import Counter
from functools import partial
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.agent import AgentSet

from benchmarks.reference import membership, sanctions
from benchmarks.reference.agents import Person
from benchmarks.reference.network import CompleteTies, SparseTies
from benchmarks.reference.outcomes import month_outcomes, outcome_columns
from benchmarks.reference.population import CandidateQueue, PersonDraws
from simulation.model.events import HANDLERS, RunningCampaign
from simulation.model.members import Status, Tier
from simulation.model.organisations import initial_blocks, largest_remainder
from simulation.model.party import read_outcome, standing_purge
from simulation.model.population import core_rows
from simulation.model.rules import leadership
from simulation.model.rules.experience import experienced_belief, hit_probabilities
from simulation.model.rules.fear import fear_decay, fear_gain, fear_learning
from simulation.model.rules.repression import (
    Sanction,
    dossier_decay,
    ladder_sanction,
    ladder_thresholds,
    stochastic_round,
)
from simulation.scenario import Scenario
from simulation.scenario.calendar import parse_month
from simulation.scenario.schema import CongressEvent, ExperienceEvent

#: Random streams, one per purpose, all derived from the run's seed.
STREAMS = (
    "population",
    "network",
    "reality",
    "signals",
    "debate",
    "repression",
    "membership",
    "pool",
)
#: What is counted each month.
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
    "recruit_shortfall",
    "speakers",
    "deviating",
    "seen",
    "voiced",
    "desired",
    "falsified",
    "hidden",
    "punished",
    "innocent",
    "opposed",
    "experienced",
)
TOTAL_KEYS = ("expelled", "imprisoned", "executed", "innocent", "opposed", "punished")

ACTIVE, EXPELLED, IMPRISONED = Status.ACTIVE, Status.EXPELLED, Status.IMPRISONED
#: The experience rule's one body, run as plain Python.
lived = experienced_belief.py_func


class ReferenceModel(mesa.Model):
    """A ruling party's members, their dissent and the leadership's repression, member by member.

    Args:
        config: A validated scenario (see :func:`simulation.scenario.load_scenario`).
        seed: Seed of every random stream.

    Attributes:
        config: The scenario.
        people: Everyone who has ever been a member, in the order they joined.
        network: The ties between them.
        policy: The policy in force: tolerance (tau), surveillance (nu), severity (psi), ...
        line: The official line L_t.
        reality: The hidden correct line x_t.
        reading: The leader's reading r_t of reality.
        leader_name: Who leads.
        campaigns: Quota campaigns under way.
        datacollector: Mesa's collector of the monthly outcomes.
    """

    def __init__(self, config: Scenario, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self.config = config
        children = np.random.SeedSequence(seed).spawn(len(STREAMS) + 1)
        self.streams = {
            name: random.Random(int(child.generate_state(1, np.uint64)[0]))
            for name, child in zip(STREAMS, children, strict=False)
        }
        # The leader's signal uses the rule's own numpy draw.
        self.leader_rng = np.random.default_rng(children[-1])
        self.month = config.start_index - 1
        self.end_month = config.end_index
        self.faction_names = tuple(config.population.factions)
        self.faction_uncertainty = [f.uncertainty for f in config.population.factions.values()]
        self.people: list[Person] = []
        self._found_party()
        self.candidates = CandidateQueue(config.population, self.streams["pool"])
        self.policy = config.policy
        # The reference runs the timeline's policy and leaders: it has no succession layer
        # (ODD 7.8, 7.10), so the shared event handlers apply every policy and leader event.
        self.succession = None
        self.leader_decides = False
        self.leader_name = config.leadership.leader
        self.line = config.leadership.initial_line
        self.reality = config.reality.initial
        self.reading = self.reality + self.leader.bias
        self.leader_error = float("nan")
        self.authority: leadership.AuthoritySearch | None = None
        self.marked_dissent = np.zeros(0)
        self.campaigns: list[RunningCampaign] = []
        self.events_by_month: dict[int, list] = {}
        for event in config.events:
            self.events_by_month.setdefault(parse_month(event.month), []).append(event)
        self.marked: list[Person] = []
        self.members_now: list[Person] = list(self.people)
        self.tally = dict.fromkeys(TALLY_KEYS, 0)
        self.totals = dict.fromkeys(TOTAL_KEYS, 0)
        self.current_outcomes: dict[str, Any] = {}
        reporters = {name: partial(read_outcome, name=name) for name in outcome_columns(self)}
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self.running = True

    @property
    def leader(self) -> leadership.Leader:
        """The leader in power."""
        return self.config.leadership.leaders[self.leader_name]

    def outcomes(self) -> pd.DataFrame:
        """The monthly outcome table so far: one row per month."""
        frame = self.datacollector.get_model_vars_dataframe()
        return frame.reset_index(drop=True)[outcome_columns(self)]

    # ------------------------------------------------------------------ the start
    def _found_party(self) -> None:
        """The initial party (ODD 5.1) and its ties (ODD 5.2).

        Tiers are dealt out over a random order of the members: the first ``politburo`` to
        the politburo, the next ``central_committee`` to the central committee, the next
        ``round(cadre_share * size)`` to the cadres, everyone else to the rank and file.
        """
        population = self.config.population
        rng = self.streams["population"]
        draws = PersonDraws(population, recruits=False, rng=rng)
        for _ in range(population.size):
            faction, belief, boldness = draws.draw()
            self.people.append(
                Person(self, faction, belief, boldness, Tier.RANK_AND_FILE, self.month + 1)
            )
        order = list(self.people)
        rng.shuffle(order)
        tiers = population.tiers
        politburo = tiers.politburo
        committee = politburo + tiers.central_committee
        cadres = committee + round(tiers.cadre_share * population.size)
        for rank, person in enumerate(order[:cadres]):
            if rank < politburo:
                person.tier = Tier.POLITBURO
            elif rank < committee:
                person.tier = Tier.CENTRAL_COMMITTEE
            else:
                person.tier = Tier.CADRE
            person.initial_cc = person.tier <= Tier.CENTRAL_COMMITTEE
        # Each faction's core: its most extreme members, sure and bold (ODD 5.1 step 6).
        factions = list(population.factions.values())
        beliefs = np.array([p.belief for p in self.people], dtype=np.float32)
        in_core = core_rows(factions, np.array([p.faction for p in self.people]), beliefs)
        for person, index in zip(self.people, in_core, strict=True):
            if index >= 0:
                settings = factions[index].core
                person.core = True
                person.uncertainty = settings.uncertainty
                if settings.boldness is not None:
                    person.boldness = settings.boldness
        if population.organisations:  # blocks in joining order (ODD 5.1 step 7)
            blocks = initial_blocks(population.organisations, population.size)
            for person, organisation in zip(self.people, blocks, strict=True):
                person.organisation = int(organisation)
        self.central_committee = [p for p in self.people if p.initial_cc]
        self.cc_purged_before = 0
        self.vote: dict[str, Any] | None = None
        network = self.config.network
        self.network = CompleteTies(self.people) if network.kind == "complete" else SparseTies()
        self.network.tie_initial_party(self.people, network, self.streams["network"])

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """Simulate one month, stage by stage (see the module docstring)."""
        self.month += 1
        self.tally = dict.fromkeys(TALLY_KEYS, 0)
        self.expelled_now: list[Person] = []
        self.imprisoned_now: list[Person] = []
        self.executed_now: list[Person] = []
        for event in self.events_by_month.get(self.month, ()):
            if event.kind == "congress":
                self.hold_congress(event)
            else:
                HANDLERS[event.kind](self, event)
        self.call_the_roll()
        self.move_reality()
        self.voice()
        self.debate()
        self.watch()
        self.repress()
        self.learn_fear()
        self.membership()
        self.lead()
        self.current_outcomes = month_outcomes(self)
        self.datacollector.collect(self)
        if self.month >= self.end_month:
            self.running = False

    def call_the_roll(self) -> None:
        """List the month's members, former members at liberty and prisoners (after events)."""
        self.roll_active = [p for p in self.people if p.status == ACTIVE]
        self.roll_expelled = [p for p in self.people if p.status == EXPELLED]
        self.roll_prisoners = [p for p in self.people if p.status == IMPRISONED]
        self.speakers = AgentSet(self.roll_active, random=self.random)

    def move_reality(self) -> None:
        """Stage 2a. x_t = clip((1 - kappa) x_{t-1} + sigma_x xi_t, -1, 1), xi_t ~ Normal(0, 1).

        A random walk with mean reversion (ODD 7.1); private signals follow in stage 3.
        """
        cfg = self.config.reality
        drift = cfg.drift_sd * self.streams["reality"].gauss(0.0, 1.0)
        self.reality = min(1.0, max(-1.0, self.reality * (1.0 - cfg.reversion) + drift))

    def voice(self) -> None:
        """Stages 2b and 3: private signals, then the voice-or-conform decision (ODD 7.2).

        Everyone first senses last month's open dissent among their ties, then everyone
        speaks, so that the decisions of the month do not see each other.
        """
        if self.config.reality.signal_weight > 0:
            self.speakers.do("receive_signal")
        if self.config.voice.social_proof > 0:
            self.speakers.do("sense_open_dissent")
        self.speakers.do("speak")
        t = self.tally
        t["speakers"] = len(self.roll_active)
        self.deviators = [p for p in self.roll_active if p.deviated]
        t["deviating"] = len(self.deviators)
        t["voiced"] = sum(p.dissent for p in self.roll_active)
        t["desired"] = sum(p.desired for p in self.roll_active)
        t["falsified"] = sum(abs(p.belief - p.expressed) for p in self.roll_active)
        t["hidden"] = sum(
            1 for p in self.roll_active if p.desired > self.policy.tolerance and not p.deviated
        )

    def debate(self) -> None:
        """Stage 4: bounded-confidence debate on what ties said, line pull, anchor (ODD 7.3)."""
        self.speakers.do("debate")

    def watch(self) -> None:
        """Stage 5a-c: marks from the police, from informers, and from false informers (ODD 7.4).

        Marks from guilt by association, given last month, are already in ``marked``.
        """
        for deviator in self.deviators:
            deviator.face_police()
        if self.policy.false_denunciation > 0:
            for member in self.roll_active:
                if not member.deviated:
                    member.face_false_denunciation()

    def repress(self) -> None:
        """Stage 5d-g: dossiers, the ladder, quota campaigns, guilt by association (ODD 7.4).

        D_i <- (1 - decay) D_i + M_i; each active member with new marks is reviewed with
        probability ``review_rate`` and gets the highest sanction whose threshold
        theta_k = ladder_k / max(psi, 0.05) the dossier reaches; then each campaign takes its
        quota; then each arrest gives each of the arrested person's active or former-member
        ties a mark (reviewed next month) with probability p_a, once a month at most, so
        P = 1 - (1 - p_a)^k for k arrested ties (:mod:`simulation.model.rules.repression`).
        """
        policy, rng = self.policy, self.streams["repression"]
        for person in self.people:
            person.dossier = dossier_decay(person.dossier, policy.dossier_decay)
        for person in self.marked:
            person.dossier += person.new_marks
        thresholds = ladder_thresholds(policy.ladder, policy.severity)
        for person in self.marked:
            if person.status == ACTIVE and rng.random() < policy.review_rate:
                self.sanction(person, Sanction(ladder_sanction(person.dossier, thresholds)))
        for campaign in list(self.campaigns):
            self.run_campaign(campaign)
            campaign.months_left -= 1
            if campaign.months_left <= 0:
                self.campaigns.remove(campaign)
        for person in self.marked:
            person.new_marks = 0.0
        # What this month's marks cost an adaptive authority to punish ("daymude" hardening).
        self.marked_dissent = np.array([person.dissent for person in self.marked])
        self.marked = []
        # Guilt by association (imprisonment and execution are arrests; expulsion is not).
        arrested = self.imprisoned_now + self.executed_now
        if policy.association > 0 and arrested:
            for prisoner in arrested:
                for person in prisoner.neighbours():
                    if (
                        person.status in (ACTIVE, EXPELLED)
                        and person.new_marks == 0.0
                        and rng.random() < policy.association
                    ):
                        person.add_mark()

    def sanction(self, person: Person, rung: Sanction) -> None:
        """Apply a rung of the ladder to a member."""
        if rung == Sanction.WARNING:
            self.tally["warned"] += 1
        elif rung == Sanction.DEMOTION:
            person.tier = Tier(min(person.tier + 1, Tier.RANK_AND_FILE))
            self.tally["demoted"] += 1
        elif rung == Sanction.EXPULSION:
            self.expel(person)
        elif rung == Sanction.IMPRISONMENT:
            self.imprison(person)
        elif rung == Sanction.EXECUTION:
            self.execute(person)

    def _punish(self, person: Person, status: Status) -> None:
        person.leave_party(status)
        person.purged = True
        person.punished_now = True

    def expel(self, person: Person, opposition: bool = False) -> None:
        """Expel a member from the party (``opposition``: by a campaign on their faction)."""
        self._punish(person, Status.EXPELLED)
        person.expelled_as_opposition = opposition
        self.expelled_now.append(person)
        self.tally["expelled"] += 1

    def imprison(self, person: Person) -> None:
        """Imprison someone for a geometric term with the policy's mean."""
        self._punish(person, Status.IMPRISONED)
        person.term = sanctions.prison_term(self.policy.prison_term, self.streams["repression"])
        self.imprisoned_now.append(person)
        self.tally["imprisoned"] += 1

    def execute(self, person: Person) -> None:
        """Shoot someone."""
        self._punish(person, Status.EXECUTED)
        person.term = 0
        self.executed_now.append(person)
        self.tally["executed"] += 1

    def run_campaign(self, campaign: RunningCampaign) -> None:
        """One month of a quota campaign (Gregory 2009, *Terror by Quota*; ODD 7.4f).

        Eligible: active members, and former members if the campaign arrests and includes
        them, of the campaign's faction if it has one, not already punished this month. It
        takes n = stochastic_round(quota |E|) of them (see :func:`sanctions.quota_choice`)
        and expels them, or arrests them: each is shot with probability ``execution_share``,
        the others imprisoned.
        """
        event, rng = campaign.event, self.streams["repression"]
        faction = None if event.faction is None else self.faction_names.index(event.faction)
        groups = [(self.roll_active, ACTIVE)]
        if event.sanction == "arrest" and event.include_expelled:
            groups.append((self.roll_expelled, EXPELLED))
        eligible = [
            p
            for roll, status in groups
            for p in roll
            if p.status == status
            and not p.punished_now
            and (faction is None or p.faction == faction)
        ]
        quota = min(stochastic_round(event.quota * len(eligible), rng), len(eligible))
        if quota <= 0:
            return
        for person in sanctions.quota_choice(eligible, quota, event.random_share, rng):
            if event.sanction == "expulsion":
                self.expel(person, opposition=faction is not None)
            elif rng.random() < event.execution_share:
                self.execute(person)
            else:
                self.imprison(person)

    def learn_fear(self) -> None:
        """Stage 6: fear decays and is learned from ties punished this month (ODD 7.5).

        f_i <- (1 - d) f_i + (1 - (1 - d) f_i)(1 - exp(-g k_i)), k_i the number of i's ties
        expelled, imprisoned or shot this month (after Epstein 2002), by the functions of
        :mod:`simulation.model.rules.fear`.
        """
        voice = self.config.voice
        punished = self.expelled_now + self.imprisoned_now + self.executed_now
        punished_ties: Counter[Person] = Counter()
        for person in punished:
            punished_ties.update(person.neighbours())
        for person in self.people:
            fear = fear_decay(person.fear, voice.fear_decay)
            count = punished_ties.get(person, 0)
            if count:
                fear = fear_gain(fear, fear_learning(voice.fear_gain, count))
            person.fear = fear
        t = self.tally
        t["punished"] = len(punished)
        t["innocent"] = sum(1 for p in punished if not p.ever_deviated)
        t["opposed"] = sum(1 for p in punished if p.ever_deviated or p.ever_voted_against)
        for person in punished:
            person.punished_now = False
        for key in TOTAL_KEYS:
            self.totals[key] += t[key]

    def membership(self) -> None:
        """Stage 7: prison, deaths, readmission, recruitment and promotion (ODD 7.6).

        In order: each prisoner dies with ``prison_mortality`` or serves a month (the month of
        arrest counts) and goes free as a former member when the term is over; each active
        member dies or leaves with ``attrition``; each former member at liberty dies with
        ``outside_mortality`` or is readmitted with ``rehabilitation``, or, if expelled before
        this month by a campaign on their faction, recants when the voice rule has them
        renounce their platform and is readmitted with ``recantation`` (ODD 7.6 step 5b); then
        recruitment and promotion to vacancies.
        """
        policy, population = self.policy, self.config.population
        rng, t = self.streams["membership"], self.tally
        freed: list[Person] = []
        for prisoner in self.roll_prisoners + self.imprisoned_now:
            if prisoner.status != IMPRISONED:
                continue
            if rng.random() < policy.prison_mortality:
                prisoner.status = Status.GONE
                t["died_in_prison"] += 1
                continue
            prisoner.term -= 1
            if prisoner.term <= 0:
                prisoner.term = 0
                prisoner.status = EXPELLED
                freed.append(prisoner)
                t["released"] += 1
        for member in self.roll_active:
            if member.status == ACTIVE and rng.random() < population.attrition:
                member.leave_party(Status.GONE)
        readmitted: list[Person] = []
        out_all_month = set(self.roll_expelled)
        # dict.fromkeys: each former member once, in order, even if listed twice.
        for person in dict.fromkeys(self.roll_expelled + self.expelled_now + freed):
            if person.status != EXPELLED:
                continue
            if rng.random() < population.outside_mortality:
                person.status = Status.GONE
            elif policy.rehabilitation > 0 and rng.random() < policy.rehabilitation:
                person.rejoin()
                readmitted.append(person)
            elif (
                policy.recantation > 0
                and person in out_all_month
                and person.expelled_as_opposition
                and person.recants()
                and rng.random() < policy.recantation
            ):
                person.rejoin()
                readmitted.append(person)
                t["recanted"] += 1
        t["readmitted"] += len(readmitted)
        recruits = self.recruit(len(readmitted))
        self.members_now = [
            p for p in self.roll_active + readmitted + recruits if p.status == ACTIVE
        ]
        if population.tiers.promotion:
            membership.promote(self.members_now, population.tiers, self.line)

    def recruit(self, readmitted: int) -> list[Person]:
        """Screened recruitment: n = stochastic_round(recruitment A) wanted (ODD 7.6 step 6).

        A is the number of active members after deaths and readmission. Recruits join the
        rank and file and make their ties to the month's members.
        """
        policy, rng = self.policy, self.streams["membership"]
        if policy.recruitment <= 0:
            return []
        active = sum(1 for p in self.roll_active if p.status == ACTIVE) + readmitted
        wanted = stochastic_round(policy.recruitment * active, rng)
        accepted = membership.screen(self.candidates, self.line, wanted, policy.screening, rng)
        recruits = [
            Person(self, faction, belief, boldness, Tier.RANK_AND_FILE, self.month)
            for faction, belief, boldness in accepted
        ]
        organisations = self.config.population.organisations
        if organisations:  # each joins an organisation drawn by the shares (ODD 7.6 step 6)
            shares = [o.share for o in organisations]
            drawn = sorted(rng.choices(range(len(shares)), weights=shares, k=len(recruits)))
            for recruit, organisation in zip(recruits, drawn, strict=True):
                recruit.organisation = organisation  # the intake in organisation blocks (5.1)
        self.people.extend(recruits)
        self.tally["recruits"] = len(recruits)
        self.tally["recruit_shortfall"] = wanted - len(recruits)
        self.network.tie_recruits(
            recruits, self.roll_active, self.config.network, self.streams["network"]
        )
        return recruits

    def hold_congress(self, event: CongressEvent) -> None:
        """A congress's vote, counted by organisation; delegates; a new CC (ODD 7.9)."""
        organisations = max(len(self.config.population.organisations), 1)
        options = 1 + len(event.platforms)
        tally = [[0] * options for _ in range(organisations)]
        private = against = 0
        for person in [p for p in self.people if p.status == ACTIVE]:
            choice, open_vote = person.vote(event.platforms)
            private += choice >= 0
            tally[person.organisation][choice + 1 if open_vote else 0] += 1
            if open_vote:
                against += 1
                person.ever_voted_against = True
                if self.policy.vote_marks > 0:
                    if person.new_marks == 0.0:
                        self.marked.append(person)
                    person.new_marks += self.policy.vote_marks
        voters = [sum(row) for row in tally]
        shares = largest_remainder(np.array(voters), event.delegates)
        seats = [
            largest_remainder(np.array(row), int(share))
            for row, share in zip(tally, shares, strict=True)
        ]
        if event.elects_cc:
            self.central_committee = [
                p for p in self.people if p.status == ACTIVE and p.tier <= Tier.CENTRAL_COMMITTEE
            ]
            self.cc_purged_before = sum(p.purged for p in self.central_committee)
        self.vote = {
            "voters": sum(voters),
            "against": against,
            "private": private,
            "by_organisation": [(v, v - row[0]) for v, row in zip(voters, tally, strict=True)],
            "delegates_against": sum(int(s[1:].sum()) for s in seats) / event.delegates,
        }

    def lead(self) -> None:
        """Stage 8: the leader hears the party, reads reality, moves the line, may harden.

        h_t = sum w_k s_i / sum w_k over this month's speakers still active (w_k: influence of
        the tier), m_t the same mean of their beliefs, leader_error = |h_t - m_t|;
        r_t = m r_{t-1} + (1 - m)(x_t + bias + sigma_L eta_t);
        L_{t+1} = clip(L_t + alpha ((1 - rho) r_t + rho h_t - L_t), -1, 1) (the dictator's
        dilemma, Wintrobe 1998); then adaptive hardening under the leader's objective (the
        share seen deviating against a target, or the hill climb of Daymude, Axelrod & Forrest
        2025 on the cost of dissent and of punishing), and a standing purge next month if
        severe enough.
        """
        influence = self.config.population.tiers.influence
        said = believed = weight = 0.0
        for member in self.members_now:
            if member.spoke:
                w = influence[member.tier]
                said += w * member.expressed
                believed += w * member.belief
                weight += w
        heard = said / weight if weight > 0 else float("nan")
        self.leader_error = abs(heard - believed / weight) if weight > 0 else float("nan")
        leader = self.leader
        self.reading = leadership.update_reading(
            self.reading, self.reality, leader, self.leader_rng
        )
        self.line = leadership.next_line(self.line, self.reading, heard, leader)
        seen_share = self.tally["seen"] / max(self.tally["speakers"], 1)
        self.policy, self.authority = leadership.adapt(
            self.policy, leader.hardening, seen_share, self.authority, self.authority_month
        )
        if leadership.purging(self.policy, leader.hardening):
            purge = standing_purge(leader.hardening, self.month)
            self.campaigns.append(RunningCampaign(purge, 1))

    def authority_month(self) -> leadership.AuthorityMonth:
        """What DAF's adaptive authority observes: C_t and two draws (ODD 7.8, "daymude")."""
        policy, t = self.policy, self.tally
        punishing = leadership.punishment_cost(
            self.marked_dissent, policy.tolerance, policy.severity, self.config.voice.punishment
        )
        adamancy = self.leader.hardening.adamancy
        cost = leadership.authority_cost(t["voiced"], punishing, t["speakers"], adamancy)
        first, second = self.leader_rng.random(2)
        return leadership.AuthorityMonth(cost, (float(first), float(second)))

    # ------------------------------------------------------------------ event hooks
    def change_leader(self, successor: str) -> None:
        """Hand power to a named successor, or to the central committee's choice (ODD 7.8).

        With ``"cc_vote"`` each active politburo and central committee member votes for the
        candidate whose platform is nearest what they last said. The successor inherits the
        reading of reality, shifted by the difference of the two leaders' biases.
        """
        leaders = self.config.leadership.leaders
        if successor == "cc_vote":
            voters = [
                p.expressed
                for p in self.people
                if p.status == ACTIVE and p.tier <= Tier.CENTRAL_COMMITTEE
            ]
            successor = leadership.central_committee_choice(
                leaders, np.array(voters, dtype=np.float64), self.leader_name
            )
        self.reading += leaders[successor].bias - leaders[self.leader_name].bias
        self.leader_name = successor
        self.authority = None

    def experience(self, event: ExperienceEvent) -> None:
        """A shock lived through by part of the party (ODD 7.7, ``experience`` events).

        Each active member of the named organisations (everyone if none are named) is hit with
        probability share (times the organisation's rural share if ``rural``); those hit move
        belief and conviction by the shift (the engine's rule, run as plain Python).
        """
        chances = hit_probabilities(event, self.config.population.organisations)
        rng = self.streams["membership"]
        for person in self.people:
            if person.status == ACTIVE and rng.random() < chances[person.organisation]:
                person.belief = lived(person.belief, event.shift)
                person.conviction = lived(person.conviction, event.shift)
                self.tally["experienced"] += 1

    def amnesty(self, release: float, readmit: float, clear_dossiers: bool) -> None:
        """Release a share of prisoners, then readmit a share of former members (ODD 7.7)."""
        rng = self.streams["membership"]
        for prisoner in [p for p in self.people if p.status == IMPRISONED]:
            if rng.random() < release:
                prisoner.status = EXPELLED
                prisoner.term = 0
                prisoner.rehabilitated = True
                self.tally["released"] += 1
        for former in [p for p in self.people if p.status == EXPELLED]:
            if rng.random() < readmit:
                former.rejoin()
                self.tally["readmitted"] += 1
        if clear_dossiers:
            for person in self.people:
                person.dossier = 0.0
                person.new_marks = 0.0
            self.marked = []
