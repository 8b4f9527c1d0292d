"""A party member as a plain Mesa agent: its state, and what it does each month.

Each method below is one member's part in one stage of the month (see
:mod:`benchmarks.reference.model` for the order). Each rule is the fast engine's own: a
compiled scalar function of :mod:`simulation.model.rules`, which the engine's passes call for
every member too; what is written here is only how the reference finds the numbers it passes
(ties as lists, Python random numbers).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from simulation.model.members import Status, Tier
from simulation.model.rules import voice as voice_rules
from simulation.model.rules.agreement import (
    conveyed_uncertainty,
    relative_agreement,
    signal_trust,
)
from simulation.model.rules.debate import (
    anchor_pull,
    deffuant_update,
    line_pull,
    signal_noise,
    signal_pull,
    within_confidence,
)
from simulation.model.rules.repression import (
    denunciation_probability,
    detection_probability,
    hearer_weight,
)

if TYPE_CHECKING:
    from benchmarks.reference.model import ReferenceModel

#: Looked up once: status tests run in every member's inner loops.
ACTIVE = Status.ACTIVE


class Person(mesa.Agent):
    """Someone who is, or has been, a member of the party.

    Args:
        model: The reference model.
        faction: Index of the person's faction in the scenario.
        belief: Private position on the policy axis, b_i in [-1, 1].
        boldness: beta_i, the value the person puts on saying what they think.
        tier: A :class:`~simulation.model.members.Tier`.
        joined: Month index of joining the party.

    Attributes:
        conviction: b0_i, the belief on joining (the Friedkin-Johnsen anchor).
        fear: f_i in [0, 1], learned from punished ties.
        status: A :class:`~simulation.model.members.Status`.
        dossier: D_i, marks held against the person.
        new_marks: M_i, marks added since the last review.
        dissent: a_i, dissent voiced this month (Daymude et al.'s units).
        desired: delta_i = |b_i - L_t| / 2, dissent the person would voice if free.
        expressed: s_i, the position last stated in public (the belief, before the first word).
        deviated: voiced dissent above tolerance this month (cleared on leaving the party).
        ever_deviated: has ever voiced dissent above tolerance (so is not "innocent").
        uncertainty: u_i, the uncertainty of the belief (relative agreement), from the faction.
        conveyed: v_i = u_i + |b_i - s_i|, the uncertainty heard in this month's statement.
        spoke: spoke as an active member this month and has stayed one.
        open_share: share of active ties who deviated last month (social proof).
        term: months of prison left.
        ties: The person's ties in the social network.
    """

    def __init__(
        self,
        model: ReferenceModel,
        faction: int,
        belief: float,
        boldness: float,
        tier: Tier,
        joined: int,
    ) -> None:
        super().__init__(model)
        self.faction = faction
        self.belief = belief
        self.conviction = belief
        self.boldness = boldness
        self.tier = tier
        self.joined = joined
        self.status = ACTIVE
        self.initial_cc = False
        self.organisation = 0
        self.ever_voted_against = False
        self.rehabilitated = False
        self.expelled_as_opposition = False  # last expelled by a campaign on the faction
        self.purged = False
        self.fear = 0.0
        self.dossier = 0.0
        self.new_marks = 0.0
        self.dissent = 0.0
        self.desired = 0.0
        self.expressed = belief
        self.deviated = False
        self.ever_deviated = False
        self.uncertainty = model.faction_uncertainty[faction]
        self.core = False
        self.conveyed = self.uncertainty
        self.spoke = False
        self.open_share = 0.0
        self.term = 0
        self.punished_now = False
        self.falsely_denounced = False
        self.ties: list[Person] = []

    @property
    def active(self) -> bool:
        """Whether the person is a member now."""
        return self.status == ACTIVE

    def neighbours(self) -> list[Person]:
        """The person's ties (everyone else on a complete network)."""
        return self.model.network.ties_of(self)

    # ------------------------------------------------------------ stage 2: reality
    def receive_signal(self) -> None:
        """Move toward a private noisy signal of reality (ODD 7.1).

        b_i <- clip(b_i + w_x (x_t + sigma_s eps_i - b_i), -1, 1), eps_i uniform on
        [-sqrt 3, sqrt 3], mean 0 and sd 1: :func:`~simulation.model.rules.debate.signal_pull`.
        Under relative agreement the weight is scaled by min(1, u_i)
        (:func:`simulation.model.rules.agreement.signal_trust`).
        """
        cfg = self.model.config.reality
        noise = signal_noise(self.model.streams["signals"].random())
        weight = cfg.signal_weight
        if self.model.config.debate.model == "relative-agreement":
            weight *= signal_trust(self.uncertainty)  # the sure hardly revise (ODD 7.1)
        self.belief = signal_pull(self.belief, self.model.reality, cfg.signal_sd, noise, weight)

    # ------------------------------------------------------------ stage 3: voice
    def sense_open_dissent(self) -> None:
        """Count the ties who deviated openly last month among those active now.

        o_i = #{j in N(i): j active, j deviated} / #{j in N(i): j active}, 0 without active
        ties (social proof, after Kuran 1989 and Granovetter 1978). Run for every speaker
        before anyone speaks, so that all decide on last month's statements.
        """
        active_ties = open_ties = 0
        for tie in self.neighbours():
            if tie.status == ACTIVE:
                active_ties += 1
                open_ties += tie.deviated
        self.open_share = voice_rules.open_share(open_ties, active_ties)

    def speak(self) -> None:
        """Choose how much dissent to voice, and say it (Daymude, Axelrod & Forrest 2025).

        delta_i = |b_i - L_t| / 2; perceived severity psi_i = psi (1 + w_f f_i)
        max(0, 1 - w_s o_i); a_i maximises beta_i a - (nu + (1 - nu) a) pi_i(a) on
        [0, delta_i] (comply, self-censor at tau, or defy); the statement is
        s_i = L_t + sign(b_i - L_t) 2 a_i, a deviation when a_i > tau.
        """
        model = self.model
        policy, line = model.policy, model.line
        self.desired = voice_rules.desired_dissent(self.belief, line)
        self.dissent = self.chosen_dissent(self.desired)
        self.expressed = voice_rules.expressed_position(line, self.belief, self.dissent)
        self.deviated = voice_rules.deviates(self.dissent, policy.tolerance)
        self.ever_deviated = self.ever_deviated or self.deviated
        self.conveyed = conveyed_uncertainty(self.uncertainty, self.belief, self.expressed)
        self.spoke = True

    def chosen_dissent(self, desired: float) -> float:
        """The dissent a_i the voice rule has the person voice, wanting to voice ``desired``."""
        model = self.model
        policy, voice = model.policy, model.config.voice
        perceived = voice_rules.perceived_severity(
            policy.severity, self.fear, voice.fear_weight, self.open_share, voice.social_proof
        )
        return voice_rules.dissent_choice(
            desired,
            self.boldness,
            policy.tolerance,
            policy.surveillance,
            perceived,
            voice.punishment == "proportional",
        )

    def vote(self, platforms: tuple[float, ...]) -> tuple[int, bool]:
        """Vote at a congress (ODD 7.9): ``(platform supported or -1, votes against openly)``.

        The person supports the platform nearest their belief if it is nearer than the line,
        and votes for it openly if the voice rule has them say all they think (a_i = delta_i),
        with last month's open dissent among their ties.
        """
        line = self.model.line
        nearest, choice = abs(self.belief - line), -1
        for index, platform in enumerate(platforms):
            if abs(self.belief - platform) < nearest:
                nearest, choice = abs(self.belief - platform), index
        if choice < 0:
            return -1, False
        self.sense_open_dissent()
        desired = 0.5 * abs(self.belief - line)
        return choice, self.chosen_dissent(desired) >= desired - 1e-12

    # ------------------------------------------------------------ stage 4: debate
    def debate(self) -> None:
        """Update the private belief from what ties said, then the line's pull and the anchor.

        Deffuant et al. (2000), one-sided: meet one random tie j; if j is active and
        |s_j - b_i| < eps, b_i <- b_i + mu (s_j - b_i). Hegselmann & Krause (2002):
        b_i <- (b_i + sum of s_j of active ties within eps) / (1 + their number). Then
        b_i <- b_i + p_L (L_t - b_i) and b_i <- b_i + g_FJ (b0_i - b_i) (Friedkin & Johnsen
        1990). Relative agreement (Deffuant et al. 2002): meet one random tie j; if j is
        active, belief and uncertainty move by the rule of
        :func:`simulation.model.rules.agreement.relative_agreement` on s_j and v_j. The rules
        are those of :mod:`simulation.model.rules.debate` and
        :mod:`simulation.model.rules.agreement`. Only the member's own state and others'
        statements are read, so updating in place equals the engine's synchronous update.
        """
        cfg = self.model.config.debate
        belief = self.belief
        if cfg.model == "deffuant":
            ties = self.neighbours()
            if ties:
                partner = ties[int(self.model.streams["debate"].random() * len(ties))]
                # Someone not active says nothing: NaN, which no bound admits.
                said = partner.expressed if partner.status == ACTIVE else math.nan
                belief = deffuant_update(belief, said, cfg.confidence, cfg.rate)
        elif cfg.model == "relative-agreement":
            ties = self.neighbours()
            if ties:
                partner = ties[int(self.model.streams["debate"].random() * len(ties))]
                if partner.status == ACTIVE:
                    belief, self.uncertainty = relative_agreement(
                        belief, self.uncertainty, partner.expressed, partner.conveyed, cfg.rate
                    )
        elif cfg.model == "hegselmann-krause":
            total, count = belief, 1
            for tie in self.neighbours():
                if tie.status == ACTIVE and within_confidence(
                    belief, tie.expressed, cfg.confidence
                ):
                    total += tie.expressed
                    count += 1
            belief = total / count
        belief = line_pull(belief, self.model.line, cfg.line_pull)
        self.belief = anchor_pull(belief, self.conviction, cfg.anchor)

    # ------------------------------------------------------------ stage 5: marks
    def add_mark(self) -> None:
        """One new mark in the dossier, reviewed this month (or next, for association)."""
        if self.new_marks == 0.0:
            self.model.marked.append(self)
        self.new_marks += 1.0

    def face_police(self) -> None:
        """A deviator may be seen by the police and denounced by those who heard them.

        Seen with P = min(1, v_k (nu + (1 - nu) a_i)) (Daymude et al.'s observation chance
        times the tier's visibility); denounced with P = 1 - exp(-r_d sum_j (1 + c_f f_j))
        over active ties j (:mod:`simulation.model.rules.repression`). Each gives one mark.
        """
        model, policy = self.model, self.model.policy
        rng = model.streams["repression"]
        visibility = model.config.population.tiers.visibility[self.tier]
        seen = detection_probability(self.dissent, policy.surveillance, visibility)
        if rng.random() < seen:
            self.add_mark()
            model.tally["seen"] += 1
        if policy.denunciation > 0.0:
            heard_by = 0.0
            for tie in self.neighbours():
                if tie.status == ACTIVE:
                    heard_by += hearer_weight(tie.fear, policy.denunciation_fear)
            if rng.random() < denunciation_probability(heard_by, policy.denunciation):
                self.add_mark()

    def face_false_denunciation(self) -> None:
        """A member who said nothing above tolerance may be denounced all the same.

        P = 1 - exp(-r_f sum_j f_j) over active ties j: afraid people denounce to prove
        their loyalty (Centola, Willer & Macy 2005, "The Emperor's Dilemma").
        """
        rate = self.model.policy.false_denunciation
        afraid = sum(tie.fear for tie in self.neighbours() if tie.status == ACTIVE)
        if self.model.streams["repression"].random() < denunciation_probability(afraid, rate):
            self.add_mark()

    # ------------------------------------------------------------ leaving and returning
    def leave_party(self, status: Status) -> None:
        """Stop being a member: say nothing, and stop counting as an open dissenter."""
        self.status = status
        self.deviated = False
        self.spoke = False
        self.dissent = 0.0

    def recants(self) -> bool:
        """Whether this expelled person renounces their platform to return (ODD 7.6 step 5b).

        The voice rule outside the party (:func:`simulation.model.rules.voice.recants`): keep
        the platform unless beta delta > (nu + (1 - nu) delta) psi (1 + w_f f) + beta tau.
        """
        model = self.model
        policy, voice = model.policy, model.config.voice
        return voice_rules.recants(
            self.belief,
            model.line,
            self.boldness,
            self.fear,
            policy.tolerance,
            policy.surveillance,
            policy.severity,
            voice.fear_weight,
            voice.punishment == "proportional",
        )

    def rejoin(self) -> None:
        """Readmission: back in the rank and file with a clean dossier (ODD 7.6 steps 5-5b)."""
        self.status = ACTIVE
        self.rehabilitated = True
        self.dossier = 0.0
        self.tier = Tier.RANK_AND_FILE
        self.expressed = self.belief

    def __repr__(self) -> str:
        return (
            f"Person({self.unique_id}: {self.status.name.lower()}, {self.tier.name.lower()}, "
            f"belief={self.belief:+.2f}, said={self.expressed:+.2f}, fear={self.fear:.2f}, "
            f"dossier={self.dossier:.1f})"
        )
