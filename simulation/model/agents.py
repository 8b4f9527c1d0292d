"""Members as Mesa agents: a view onto one row of the column store.

The monthly rules work on whole columns (numpy arrays) for speed, so a :class:`Member` holds
no state of its own: it reads and writes its row of
:class:`~simulation.model.members.Members`. Members
are created on demand by :meth:`simulation.model.party.PartyModel.member` (and all at once by
:meth:`~simulation.model.party.PartyModel.materialize_members`), so a million-member party does not
pay for a million Python objects it never looks at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from simulation.model.members import Status, Tier

if TYPE_CHECKING:
    from simulation.model.party import PartyModel


class Member(mesa.Agent):
    """One person who has ever been a member, inspected one by one.

    Attributes:
        index: Row in the model's column store.
    """

    def __init__(self, model: PartyModel, index: int) -> None:
        super().__init__(model)
        self.index = int(index)

    @property
    def _columns(self):
        return self.model.members

    @property
    def belief(self) -> float:
        """Private position on the policy axis, in [-1, 1]."""
        return float(self._columns.belief[self.index])

    @belief.setter
    def belief(self, value: float) -> None:
        self._columns.belief[self.index] = np.clip(value, -1.0, 1.0)

    @property
    def boldness(self) -> float:
        """Boldness beta."""
        return float(self._columns.boldness[self.index])

    @property
    def fear(self) -> float:
        """Perceived risk learned from punished ties, in [0, 1]."""
        return float(self._columns.fear[self.index])

    @property
    def faction(self) -> str:
        """Faction name."""
        return self._columns.faction_names[self._columns.faction[self.index]]

    @property
    def tier(self) -> str:
        """Tier name, e.g. ``"central_committee"``."""
        return Tier(self._columns.tier[self.index]).name.lower()

    @property
    def status(self) -> str:
        """Status name, e.g. ``"active"`` or ``"imprisoned"``."""
        return Status(self._columns.status[self.index]).name.lower()

    @property
    def rehabilitated(self) -> bool:
        """Readmitted or amnestied at some point."""
        return bool(self._columns.rehabilitated[self.index])

    @property
    def dossier(self) -> float:
        """Marks held against the member."""
        return float(self._columns.dossier[self.index])

    @property
    def dissent(self) -> float:
        """Dissent voiced this month (DAF units, in [0, delta])."""
        return float(self._columns.dissent[self.index])

    @property
    def expressed(self) -> float:
        """Position said in public this month."""
        return float(self._columns.expressed[self.index])

    @property
    def prison_term_left(self) -> int:
        """Months of prison left (0 when not in prison)."""
        return int(self._columns.term[self.index])

    def neighbours(self) -> list[int]:
        """Row indices of this member's ties."""
        return [int(i) for i in self.model.network.neighbours(self.index)]

    def __repr__(self) -> str:
        return (
            f"Member({self.index}: {self.status}, {self.faction}, {self.tier}, "
            f"belief={self.belief:+.2f}, said={self.expressed:+.2f}, fear={self.fear:.2f}, "
            f"dossier={self.dossier:.1f})"
        )
