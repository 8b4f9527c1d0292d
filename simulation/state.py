"""The members' state, held as columns (one numpy array per attribute, DESIGN §6).

Index ``i`` in every array is one person of the party's social world. People outside the party
(status ``OUTSIDE``) are the pool recruits come from; the network already ties them to members.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np


class Status(IntEnum):
    """Where a person stands with respect to the party."""

    OUTSIDE = 0  # never a member (yet): the recruitment pool
    ACTIVE = 1
    EXPELLED = 2  # expelled, or released from prison without readmission
    IMPRISONED = 3
    EXECUTED = 4
    GONE = 5  # died or left


class Tier(IntEnum):
    """Rank in the party hierarchy; lower numbers are nearer the top."""

    POLITBURO = 0
    CENTRAL_COMMITTEE = 1
    CADRE = 2
    RANK_AND_FILE = 3


@dataclass
class Members:
    """Column store of everyone in the party's social world.

    Attributes:
        belief: Private position on the policy axis, in [-1, 1].
        conviction: Belief on joining the party, which an anchored member returns toward.
        boldness: Daymude et al.'s beta: value put on voicing one's view.
        fear: Perceived risk learned from punished neighbours, in [0, 1].
        faction: Index into the scenario's factions.
        tier: A :class:`Tier` value.
        status: A :class:`Status` value.
        rehabilitated: Whether the person was readmitted or released by amnesty.
        dossier: Marks held against the person.
        new_marks: Marks added this month (cleared each month).
        dissent: Dissent voiced this month, a in [0, delta] (DAF units).
        expressed: Position said in public this month: the line moved toward the belief by
            twice the voiced dissent (at most the tolerance's width for self-censors).
        deviated: Voiced dissent above tolerance this month.
        ever_deviated: Has ever voiced dissent above tolerance (not innocent).
        term: Months of prison left.
        joined: Month index at which the person joined the party (-1: never).
        initial_cc: In the politburo or central committee at the start of the run.
        purged: Has ever been expelled, imprisoned or executed.
        frontier: Rows below it have been considered for membership (see :meth:`prefix`).
    """

    belief: np.ndarray
    conviction: np.ndarray
    boldness: np.ndarray
    fear: np.ndarray
    faction: np.ndarray
    tier: np.ndarray
    status: np.ndarray
    rehabilitated: np.ndarray
    dossier: np.ndarray
    new_marks: np.ndarray
    dissent: np.ndarray
    expressed: np.ndarray
    deviated: np.ndarray
    ever_deviated: np.ndarray
    term: np.ndarray
    joined: np.ndarray
    initial_cc: np.ndarray
    purged: np.ndarray
    faction_names: tuple[str, ...] = field(default=())
    frontier: int = 0

    def __post_init__(self) -> None:
        if not self.frontier:
            self.frontier = int(np.count_nonzero(self.status != Status.OUTSIDE))

    @property
    def capacity(self) -> int:
        """Number of people, members or not."""
        return int(self.status.shape[0])

    def active(self) -> np.ndarray:
        """Boolean mask of active members."""
        return self.status == Status.ACTIVE

    def count(self, status: Status) -> int:
        """Number of people with a status."""
        return int(np.count_nonzero(self.status == status))

    def columns(self) -> dict[str, np.ndarray]:
        """The state as named columns (for tables and inspection)."""
        return {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("faction_names", "frontier")
        }

    def prefix(self, size: int | None = None) -> Members:
        """A view of the first ``size`` rows (default: the frontier).

        Everyone ever considered for membership lies below the frontier.

        The recruitment pool is an ordered queue: candidates are considered in index order and
        the frontier moves past each one considered, so every member, former member and
        rejected candidate lies below it and the monthly rules need never touch the rest.
        The arrays of the view share memory with this store: writes go through. A ``size``
        beyond the frontier adds rows of people not yet considered (status ``OUTSIDE``),
        which every rule ignores.
        """
        f = self.frontier if size is None else max(self.frontier, min(size, self.capacity))
        sliced = {name: array[:f] for name, array in self.columns().items()}
        return Members(**sliced, faction_names=self.faction_names, frontier=f)
