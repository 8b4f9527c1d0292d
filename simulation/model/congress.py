"""Congresses and conferences: the vote, delegates by organisation, the central committee.

docs/ODD.md 7.9. A congress event (``kind = "congress"``) is held at the start of its month,
before members speak: every active member votes for the line or for an opposition platform
(:func:`simulation.model.passes.congress.cast_votes`); votes are counted by organisation;
delegates are allocated to organisations by their active members and, within an organisation,
to the line and the platforms by its open vote, both by largest remainder; an open vote
against puts ``policy.vote_marks`` marks in the voter's dossier; a congress with
``elects_cc`` elects a new central committee, whose later losses ``cc_purged_share`` measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.model.members import Status, Tier
from simulation.model.organisations import largest_remainder
from simulation.model.passes.congress import cast_votes
from simulation.scenario.schema import CongressEvent

if TYPE_CHECKING:
    from simulation.model.party import PartyModel


@dataclass(frozen=True)
class Vote:
    """What one congress's vote came to (the congress outcomes hold it until the next).

    Attributes:
        name: The congress.
        month: Its month index.
        voters: Active members who voted.
        against: Voters who voted openly for an opposition platform.
        private: Voters whose belief is nearer a platform than the line.
        by_organisation: Per organisation: voters, and votes against.
        seats: Delegates per organisation (rows) for the line (column 0) and each platform.
        by_platform: Open votes for each platform, in the event's order.
    """

    name: str
    month: int
    voters: int
    against: int
    private: int
    by_organisation: np.ndarray
    seats: np.ndarray
    by_platform: np.ndarray

    @property
    def hidden(self) -> int:
        """Voters who support a platform in private but voted for the line."""
        return self.private - self.against


@dataclass
class CentralCommittee:
    """The central committee cohort last elected, whose losses ``cc_purged_share`` measures.

    Attributes:
        rows: Its members (the politburo and central committee when elected).
        purged_before: How many of them had been purged before they were elected (readmitted
            members), so that only later purges count.
    """

    rows: np.ndarray
    purged_before: int

    @classmethod
    def elect(cls, status: np.ndarray, tier: np.ndarray, purged: np.ndarray) -> CentralCommittee:
        """The active members of the politburo and central committee now."""
        rows = np.flatnonzero((status == Status.ACTIVE) & (tier <= Tier.CENTRAL_COMMITTEE))
        return cls(rows, int(np.count_nonzero(purged[rows])))

    def purged_since(self, purged: np.ndarray) -> int:
        """Members of the cohort purged since it was elected."""
        return int(np.count_nonzero(purged[self.rows])) - self.purged_before


def hold_congress(model: PartyModel, event: CongressEvent) -> Vote:
    """Hold the vote of ``event`` in ``model`` now (docs/ODD.md 7.9).

    Returns:
        The vote, which is also kept as ``model.vote``.
    """
    m, policy, voice = model.members, model.policy, model.config.voice
    voters = np.flatnonzero(m.status == Status.ACTIVE).astype(np.int32)
    supports = np.empty(voters.shape[0], dtype=np.int64)
    against = np.empty(voters.shape[0], dtype=np.bool_)
    complete = model.network.complete
    total_open = int(np.count_nonzero(m.deviated[voters])) if complete else 0
    cast_votes(
        voters, m.belief, m.fear, m.boldness, m.deviated, m.open_ties, m.active_ties,
        complete, total_open, model.line, np.asarray(event.platforms, dtype=np.float64),
        policy.tolerance, policy.surveillance, policy.severity, voice.fear_weight,
        voice.social_proof, voice.punishment == "proportional", supports, against,
    )  # fmt: skip
    opposed = voters[against]
    if m.keeps("ever_voted_against"):
        m.ever_voted_against[opposed] = True
    if policy.vote_marks > 0 and opposed.size:
        model.add_marks(opposed, policy.vote_marks)
    organisations = max(len(model.config.population.organisations), 1)
    where = (
        m.organisation[voters].astype(np.int64)
        if m.keeps("organisation")
        else np.zeros(voters.size, dtype=np.int64)
    )
    # Open votes per organisation: column 0 for the line, 1 + p for platform p.
    options = 1 + len(event.platforms)
    choice = np.where(against, supports + 1, 0)
    tally = np.bincount(where * options + choice, minlength=organisations * options)
    tally = tally.reshape(organisations, options)
    seats = np.zeros_like(tally)
    for index, share in enumerate(largest_remainder(tally.sum(axis=1), event.delegates)):
        seats[index] = largest_remainder(tally[index], int(share))
    by_organisation = np.stack([tally.sum(axis=1), tally[:, 1:].sum(axis=1)], axis=1)
    if event.elects_cc:
        model.central_committee = CentralCommittee.elect(m.status, m.tier, m.purged)
    model.vote = Vote(
        name=event.name,
        month=model.month,
        voters=int(voters.size),
        against=int(opposed.size),
        private=int(np.count_nonzero(supports >= 0)),
        by_organisation=by_organisation,
        seats=seats,
        by_platform=tally[:, 1:].sum(axis=0),
    )
    return model.vote
