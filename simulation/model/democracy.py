"""Would the party have become a form of democracy? Four measures and one rule (ODD 7.12).

With ``succession.enabled``, :class:`DemocracyRecord` keeps, for the outcome table:

1. how each change of leader came about (:func:`change_cause`): by *vote* when the successor
   was chosen (the ruling coalition's weighted majority of 7.11, or the central committee's
   choice of a ``cc_vote`` event) while the man he replaces is alive and a party member at
   liberty (in the Politburo or demoted from it); by *death* when the man replaced has died; by
   *purge* when he has been expelled, exiled, imprisoned or shot; otherwise by the *timeline*
   (a ``leader`` event naming the successor);
2. which contenders have lost (:meth:`DemocracyRecord.month`): a man who led and no longer
   leads, or, while the fight runs, a man outside the month's ruling coalition who is not a
   rising man and has not died; and of these, who survives losing (alive and in the party at
   liberty);
3. the congresses due, postponed and held: with ``succession.policy`` and
   ``postpone_below = theta_S > 0``, a leader alive and at liberty whose security ``S`` (7.8,
   from the shares of power at the end of last month) is below ``theta_S`` postpones a
   congress in the month it falls due and holds it in the first month ``S >= theta_S``
   (:meth:`DemocracyRecord.convenes`, :meth:`DemocracyRecord.late_congress`); a congress that
   falls due while another waits replaces it (one congress, the latest agenda). Without the
   rule every congress is held on schedule by construction.

The fourth measure, the platforms whose open vote exceeds ``platform_threshold`` at the latest
congress, is read from the vote itself (:func:`platforms_supported`). Nothing here draws a
random number.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simulation.scenario.schema import CongressEvent

if TYPE_CHECKING:
    from simulation.model.congress import Vote
    from simulation.model.party import PartyModel

#: How a change of leader came about, in the order of the outcome columns.
CAUSES = ("vote", "death", "purge", "timeline")
#: Fates of a man outside the party or its liberty: a change that removes him is a purge.
PURGED = ("expelled", "exiled", "imprisoned", "shot")
#: Fates of a man alive and a party member at liberty.
AT_LIBERTY = ("rising", "in_office", "demoted")


def change_cause(fate: str | None, chosen: bool) -> str:
    """How a change of leader came about (one of :data:`CAUSES`; ODD 7.12).

    Args:
        fate: The fate, at the change, of the leader replaced (None: he is no contender, and
            taken to be alive and at liberty).
        chosen: Whether the successor was chosen by a vote (the ruling coalition, or the
            central committee of a ``cc_vote`` event) rather than named by the timeline.
    """
    if fate == "died":
        return "death"
    if fate in PURGED:
        return "purge"
    return "vote" if chosen else "timeline"


def platforms_supported(vote: Vote | None, threshold: float) -> float:
    """Platforms whose open vote exceeds ``threshold`` of the voters (NaN before a congress)."""
    if vote is None or vote.voters == 0:
        return math.nan
    return float(sum(count > threshold * vote.voters for count in vote.by_platform))


class DemocracyRecord:
    """The democracy measures of one run, kept month by month (ODD 7.12).

    Attributes:
        changes: Changes of leader so far, by cause (:data:`CAUSES`).
        lost: The contenders who have lost so far.
        due: Congresses that have fallen due.
        postponed: Congresses not held in the month they fell due.
        held: Congresses held, on schedule or late.
        waiting: A postponed congress not yet held (None: none waits).
    """

    def __init__(self, model: PartyModel) -> None:
        self.model = model
        policy = model.config.succession.policy
        self.postpone_below = policy.postpone_below if policy.enabled else 0.0
        self.changes = dict.fromkeys(CAUSES, 0)
        self.lost: set[str] = set()
        self.due = self.postponed = self.held = 0
        self.waiting: CongressEvent | None = None

    # ------------------------------------------------------------------ leaders
    def record_change(self, replaced: str, chosen: bool) -> None:
        """Count a change of leader away from ``replaced``; he has lost."""
        succession = self.model.succession
        fates = {leader.name: leader.fate for leader in succession.leaders} if succession else {}
        self.changes[change_cause(fates.get(replaced), chosen)] += 1
        self.lost.add(replaced)

    def month(self) -> None:
        """After the contenders' month: those outside the ruling coalition have lost."""
        succession = self.model.succession
        if succession is None or not succession.ruling:
            return
        for leader in succession.leaders:
            if leader.name not in succession.ruling and leader.fate not in ("rising", "died"):
                self.lost.add(leader.name)

    def survivors(self) -> int:
        """Contenders who have lost and are alive and party members at liberty now."""
        succession = self.model.succession
        if succession is None:
            return 0
        return sum(
            leader.name in self.lost and leader.fate in AT_LIBERTY for leader in succession.leaders
        )

    # ------------------------------------------------------------------ congresses
    def _fears_congress(self) -> bool:
        """Whether the leader in power, alive and at liberty, has security S below ``theta_S``.

        S is that of the leader in power now, from the shares of power measured at the end of
        last month (7.8): at the start of the month, when congresses meet, the newest known. A
        leader who has died (or been removed) while nobody took his place fears nothing: the
        congress meets.
        """
        model = self.model
        if self.postpone_below <= 0 or not model.leader_decides:
            return False
        fates = {leader.name: leader.fate for leader in model.succession.leaders}
        if fates.get(model.leader_name, "in_office") not in AT_LIBERTY:
            return False
        return model.succession.leader_security(model.leader_name) < self.postpone_below

    def convenes(self, event: CongressEvent) -> bool:
        """A congress falls due: whether it meets now, or waits (replacing one waiting)."""
        self.due += 1
        if self._fears_congress():
            self.postponed += 1
            self.waiting = event
            return False
        self.held += 1
        self.waiting = None
        return True

    def late_congress(self) -> CongressEvent | None:
        """The postponed congress to hold this month, if one waits and the leader dares."""
        if self.waiting is None or self._fears_congress():
            return None
        event, self.waiting = self.waiting, None
        self.held += 1
        return event
