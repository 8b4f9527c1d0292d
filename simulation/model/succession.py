"""The fight for the succession: the leaders' month and the circular flow of power (ODD 7.10).

When ``succession.enabled`` is set, :class:`Succession` holds the contenders (Mesa agents,
:class:`~simulation.model.leaders.LeaderAgent`) and each organisation's secretary's patron, and
runs after the leadership stage of every month (stage 7b):

1. each contender takes up the position the scenario sets for the month (``moves``), enters
   the Politburo in his month (``politburo``) and regains health (``recovery``);
2. deaths: a contender in play dies with Gompertz's monthly probability for his age
   (:mod:`simulation.model.rules.mortality`), or in the month the scenario imposes (``died``);
3. appointments: the General Secretary replaces each other patron's secretary with his own man
   with probability ``appointment_rate``;
4. power: each contender's share from the central committee votes his secretaries command,
   his following and his offices (:mod:`simulation.model.rules.power`);
5. with ``succession.coalitions``, the fight (ODD 7.11): the ruling coalition of the Politburo
   (:func:`simulation.model.rules.bloc.ruling_coalition_with_blocs`: AES's rule with each bloc
   that holds one player, and without blocs AES's rule itself) removes each contender outside
   it with probability ``removal_rate``, his fate set by the policy's punishment ladder; the
   vacated offices go to the strongest member of the ruling coalition, who leads from next
   month (:meth:`~simulation.model.party.PartyModel.change_leader`).

A congress that elects a central committee counts its seats by patron (:meth:`Succession.elect`):
that is when a General Secretary's appointments turn into votes. The draws come from a generator
of their own (:func:`simulation.model.rng.succession_seed`), one uniform number per contender and
per organisation and again one per contender (for removals) every month, whatever happens, so
that two runs of one seed share them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from mesa.agent import AgentSet

from simulation.model.congress import Vote
from simulation.model.leaders import LeaderAgent
from simulation.model.organisations import appointee
from simulation.model.rng import succession_seed
from simulation.model.rules.bloc import ruling_coalition_with_blocs
from simulation.model.rules.disposition import adamancy, security, strongest_rival, threat
from simulation.model.rules.mortality import monthly_death_probability
from simulation.model.rules.power import commanded_votes, following, power_shares, raw_power
from simulation.model.rules.repression import Sanction, ladder_sanction, ladder_thresholds
from simulation.scenario.calendar import format_month, parse_month
from simulation.scenario.schema import Disposition, ShockEvent

if TYPE_CHECKING:
    from simulation.model.party import PartyModel

#: The office whose holder appoints the regional secretaries.
APPOINTING_OFFICE = "general_secretary"
#: How harsh each fate of a removed contender is: a removal never makes a fate milder.
HARSHNESS = {"rising": 0, "in_office": 0, "demoted": 1, "expelled": 2, "exiled": 3,
             "imprisoned": 4, "shot": 5, "died": 6}  # fmt: skip


#: Fates in which a contender outside the ruling coalition can still be removed further: out of
#: the Politburo, out of the party, into exile, prison or death (a rising man is not a rival).
TARGETS = ("in_office", "demoted", "expelled", "exiled", "imprisoned")


def removal_fate(current: str, sanction: int) -> str:
    """The fate of a contender removed now, from the ladder's sanction for his marks (ODD 7.11).

    Warning or demotion (or no rung): out of the Politburo (``demoted``); expulsion: expelled,
    or exiled if he was expelled already; imprisonment: imprisoned; execution: shot. A fate
    milder than his present one leaves him as he is.
    """
    if sanction >= Sanction.EXECUTION:
        fate = "shot"
    elif sanction == Sanction.IMPRISONMENT:
        fate = "imprisoned"
    elif sanction == Sanction.EXPULSION:
        fate = "exiled" if current in ("expelled", "exiled") else "expelled"
    else:
        fate = "demoted"
    return fate if HARSHNESS[fate] > HARSHNESS[current] else current


class Succession:
    """The contenders, the patrons of the secretaries, and each month's power (ODD 7.10).

    Attributes:
        agents: The contenders, a :class:`mesa.agent.AgentSet` in the scenario's order.
        patron: Each organisation's secretary's patron (contender index; -1: none).
        votes: ``C_j``, the central committee votes each contender commands (since the latest
            congress that elected one; at the start, counted by the organisations' shares).
        fates: Every change of fate so far: (contender, month index, fate), the start included.
    """

    def __init__(self, model: PartyModel) -> None:
        self.model = model
        self.settings = model.config.succession
        start = model.start_month
        contenders = self.settings.contenders
        self.names = list(contenders)
        self.leaders = [LeaderAgent(model, name, spec, start) for name, spec in contenders.items()]
        self.agents = AgentSet(self.leaders, random=model.random)
        self.rng = np.random.default_rng(succession_seed(model.seed))
        organisations = model.config.population.organisations
        index = {name: number for number, name in enumerate(self.names)}
        self.patron = np.array(
            [index.get(self.settings.patrons.get(o.name, ""), -1) for o in organisations],
            dtype=np.int64,
        )
        shares = np.array([o.share for o in organisations], dtype=np.float64)
        self.votes = commanded_votes(
            shares, self.patron, self.settings.delegate_loyalty, len(self.names)
        )
        self.fates: list[tuple[str, int, str]] = [(a.name, start, a.fate) for a in self.leaders]
        self._faction_index = {name: k for k, name in enumerate(model.members.faction_names)}
        #: The ruling coalition of this month (names), with ``succession.coalitions``.
        self.ruling: list[str] = []
        #: Each bloc (ODD 7.11): its members (mask), its first month, and the month it ended
        #: (None while it holds or before it starts).
        self.blocs = [
            (np.isin(self.names, bloc.members), parse_month(bloc.month))
            for bloc in self.settings.blocs
        ]
        self.bloc_ends: list[int | None] = [None] * len(self.blocs)
        self._weights = self.settings.weights
        #: Memos of values that depend only on their key, each computed once (the month's
        #: Python cost, ODD 7.10): the office weight O_j of a set of offices, and the monthly
        #: death probability of an age in months.
        self._office_weights: dict[frozenset[str], float] = {}
        self._death_chances: dict[int, float] = {}
        #: The timeline's shocks to reality, (month index, jump), for the threat (ODD 7.8).
        self._shocks = [
            (parse_month(event.month), event.size)
            for event in model.config.events
            if isinstance(event, ShockEvent)
        ]
        #: The leader's policy's terms this month (ODD 7.8; NaN until first computed).
        self.security = self.threat = self.adamancy = float("nan")

    # ------------------------------------------------------------------ the month
    def month(self) -> None:
        """Stage 7b of the month (the module docstring's steps 1-4)."""
        model, month = self.model, self.model.month
        deaths = self.rng.random(len(self.leaders))
        appointments = self.rng.random(self.patron.size)
        removals = self.rng.random(len(self.leaders))
        for leader in self.leaders:
            leader.move(month)
            if leader.fate == "rising" and leader.joins is not None and leader.joins <= month:
                self._change(leader, "in_office")
            leader.recover(self.settings.recovery)
        self._die(deaths, month)
        self._appoint(appointments, model)
        self._measure_power(model)
        if self.settings.coalitions:
            self._fight(removals, model)

    def _change(self, leader: LeaderAgent, fate: str) -> None:
        leader.change_fate(fate, self.model.month)
        self.fates.append((leader.name, self.model.month, fate))

    def _die(self, draws: np.ndarray, month: int) -> None:
        for leader, draw in zip(self.leaders, draws, strict=True):
            if leader.fate in ("shot", "died"):
                continue
            if leader.dies == month or draw < self._death_chance(leader, month):
                self._change(leader, "died")

    def _death_chance(self, leader: LeaderAgent, month: int) -> float:
        """Gompertz's monthly probability of death at his age (memoised by age in months)."""
        months = month - leader.born
        chance = self._death_chances.get(months)
        if chance is None:
            s = self.settings
            chance = float(
                monthly_death_probability(
                    leader.age(month), s.mortality_at_60, s.mortality_doubling
                )
            )
            self._death_chances[months] = chance
        return chance

    def general_secretary(self) -> int:
        """Index of the contender who holds the General Secretariat and is in play, else -1."""
        for number, leader in enumerate(self.leaders):
            if APPOINTING_OFFICE in leader.offices and leader.in_play:
                return number
        return -1

    def _appoint(self, draws: np.ndarray, model: PartyModel) -> None:
        """The General Secretary replaces others' secretaries with his own (rate ``r_a``)."""
        chief = self.general_secretary()
        if chief < 0:
            return
        m = model.members
        chosen = np.flatnonzero((self.patron != chief) & (draws < self.settings.appointment_rate))
        position = self.leaders[chief].position
        for organisation in chosen:
            self.patron[organisation] = chief
            row = appointee(
                int(organisation), m.organisation, m.tier, m.status, m.expressed, position
            )
            if row >= 0:
                model.secretaries[organisation] = row

    def _measure_power(self, model: PartyModel) -> None:
        leaders = self.leaders
        counts = np.array([leader.in_play for leader in leaders])
        leads = np.array([leader.leads for leader in leaders])
        faction = np.array([self._faction_index[leader.faction] for leader in leaders])
        follow = following(model.census["by_faction"], faction, leads)
        offices = np.array([self._office_weight(leader.offices) for leader in leaders])
        health = np.array([leader.health for leader in leaders])
        raw = raw_power(
            self.votes, follow, offices, health, counts,
            self._weights.central_committee, self._weights.following,
        )  # fmt: skip
        for leader, share in zip(leaders, power_shares(raw), strict=True):
            leader.power = float(share)

    def _office_weight(self, offices: set[str]) -> float:
        """``O_j``: the weights of the offices he holds, summed (memoised by the set)."""
        key = frozenset(offices)
        weight = self._office_weights.get(key)
        if weight is None:
            # Summed in a fixed order: a set of names iterates in an order that changes from
            # one process to the next (string hashing), and float sums depend on order.
            weight = sum(self._weights.offices.get(k, 0.0) for k in sorted(key))
            self._office_weights[key] = weight
        return weight

    # ------------------------------------------------------------------ the fight
    def _fight(self, draws: np.ndarray, model: PartyModel) -> None:
        """The ruling coalition removes others; its strongest member leads (ODD 7.11)."""
        power = np.array([leader.power for leader in self.leaders])
        politburo = np.array([leader.fate == "in_office" for leader in self.leaders])
        politburo &= power > 0
        blocs = self._holding_blocs()
        if not politburo.any():
            self.ruling = []
            self._fill_vacancy(model)
            return
        ruling = ruling_coalition_with_blocs(power, self.settings.alpha, politburo, blocs)
        self.ruling = [a.name for a, rules in zip(self.leaders, ruling, strict=True) if rules]
        policy = model.policy
        sanction = ladder_sanction(
            self.settings.leader_marks, ladder_thresholds(policy.ladder, policy.severity)
        )
        for leader, rules, draw in zip(self.leaders, ruling, draws, strict=True):
            if rules or leader.fate not in TARGETS or draw >= self.settings.removal_rate:
                continue
            fate = removal_fate(leader.fate, int(sanction))
            if fate != leader.fate:
                self._change(leader, fate)
        self._hand_power(ruling, power, model)

    def _holding_blocs(self) -> list[np.ndarray]:
        """The blocs that hold this month (ODD 7.11), each a mask over the contenders.

        A bloc holds from its month until the first month in which one of its members is not
        in the Politburo (demoted, fallen or dead, or not yet risen); then it ends for good.
        """
        month = self.model.month
        holding = []
        for number, (bloc, first) in enumerate(self.blocs):
            if month < first or self.bloc_ends[number] is not None:
                continue
            if not all(self.leaders[j].fate == "in_office" for j in np.flatnonzero(bloc)):
                self.bloc_ends[number] = month
                continue
            holding.append(bloc)
        return holding

    def _hand_power(self, ruling: np.ndarray, power: np.ndarray, model: PartyModel) -> None:
        """The strongest of the ruling coalition takes the vacant offices and the leadership.

        Only a contender with parameters in ``leadership.leaders`` can lead (the line needs
        them, ODD 7.8); if none of the ruling coalition has them, the leader stays.
        """
        known = model.config.leadership.leaders
        order = np.argsort(-power, kind="stable")
        # The ruling coalition's members who can lead, strongest first.
        able = [self.leaders[j] for j in order if ruling[j] and self.leaders[j].name in known]
        if not able:
            self._fill_vacancy(model)
            return
        chief = able[0]
        self._hand_vacant_offices(able)
        if chief.name != model.leader_name:
            model.change_leader(chief.name, chosen=True)

    def _fill_vacancy(self, model: PartyModel) -> None:
        """A dead or fallen leader whom no ruling coalition succeeds: the central committee chooses.

        When the leader in power is out of play (dead, expelled, exiled, imprisoned or shot) and
        no member of the ruling coalition can lead (nobody in the Politburo has power, as after
        a leader who ruled alone and removed the rest), the central committee chooses among the
        leaders still in play by its platform vote (ODD 7.8,
        :func:`simulation.model.rules.leadership.central_committee_choice`), as the Presidium
        chose in March 1953. With nobody to choose, the dead man's name stays.
        """
        index = {leader.name: leader for leader in self.leaders}
        current = index.get(model.leader_name)
        if current is None or current.in_play:
            return
        candidates = {
            name: leader
            for name, leader in model.config.leadership.leaders.items()
            if name not in index or index[name].in_play
        }
        successor = model.central_committee_successor(candidates)
        if successor is None:
            return
        if successor in index:
            self._hand_vacant_offices([index[successor]])
        model.change_leader(successor, chosen=True)

    def _hand_vacant_offices(self, candidates: list[LeaderAgent]) -> None:
        """Each vacant office goes to the first of ``candidates`` not barred from it.

        The candidates are the new leader alone, or the ruling coalition strongest first, so
        that unless an office event barred him (:meth:`move_office`) the leader takes them all.
        """
        held = {office for leader in self.leaders for office in leader.offices}
        for office in sorted(set(self._weights.offices) - held):
            taker = next((a for a in candidates if office not in a.barred), None)
            if taker is not None:
                taker.offices.add(office)

    # ------------------------------------------------------------------ levers
    def move_office(self, contender: str, office: str, to: str) -> None:
        """An office event (a lever, ODD 7.10): ``contender`` loses ``office`` for good.

        He is barred from taking it back when it falls vacant; ``to`` takes it if he is in the
        Politburo or rising (a man out of it holds no office) and nobody else holds it; ``""``
        leaves it vacant, for the ruling coalition to fill (ODD 7.11).
        """
        by_name = {leader.name: leader for leader in self.leaders}
        loser = by_name[contender]
        loser.offices.discard(office)
        loser.barred.add(office)
        taker = by_name.get(to)
        held = any(office in leader.offices for leader in self.leaders)
        if taker is not None and taker.fate in ("rising", "in_office") and not held:
            taker.offices.add(office)

    # ------------------------------------------------------------------ the leader's policy
    def authority_weights(
        self, leader: str, month: int, since: int, world_threat: float = 0.0
    ) -> tuple[float, float]:
        """(alpha_t, c) of the leader in power, from his disposition and position (ODD 7.8).

        His security S uses the shares of power last measured (last month's: power is measured
        after the leadership's stage); a leader who is not a contender has S = 1 and the
        default disposition.

        Args:
            leader: The leader in power.
            month: The month t.
            since: The month he took power.
            world_threat: The world's threat T_W this month (0 without the world layer), which
                adds to the threat of reality's shocks.
        """
        settings = self.settings.policy
        contender = self.settings.contenders.get(leader)
        disposition = contender.disposition if contender is not None else Disposition()
        self.security = self.leader_security(leader)
        self.threat = threat(self._shocks, month, settings.threat_half_life) + world_threat
        weights = (settings.security_weight, settings.threat_weight, settings.tenure_weight)
        years = (month - since) / 12.0
        self.adamancy = adamancy(disposition.adamancy, self.security, self.threat, years, weights)
        return self.adamancy, disposition.punishing_cost

    def leader_security(self, leader: str) -> float:
        """S of ``leader`` from the shares of power last measured (1 if he is no contender)."""
        if leader not in self.names:
            return 1.0
        power = np.array([agent.power for agent in self.leaders])
        index = self.names.index(leader)
        return security(float(power[index]), strongest_rival(power, index))

    # ------------------------------------------------------------------ congresses
    def elect(self, vote: Vote) -> None:
        """A congress elects the central committee: its seats are counted by patron now."""
        seats = vote.seats.sum(axis=1)
        self.votes = commanded_votes(
            seats, self.patron, self.settings.delegate_loyalty, len(self.names)
        )

    # ------------------------------------------------------------------ reading
    def fate_table(self) -> pd.DataFrame:
        """Every change of fate: contender, title, month (YYYY-MM), fate; the start included."""
        titles = {leader.name: leader.title for leader in self.leaders}
        return pd.DataFrame(
            {
                "leader": [name for name, _, _ in self.fates],
                "title": [titles[name] for name, _, _ in self.fates],
                "month": [format_month(month) for _, month, _ in self.fates],
                "fate": [fate for _, _, fate in self.fates],
            }
        )

    def strongest(self) -> str:
        """The contender with the largest share of power this month ("" if nobody has any)."""
        best = max(self.leaders, key=lambda leader: leader.power)
        return best.name if best.power > 0 else ""
