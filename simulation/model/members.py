"""The members' state, held as columns (one numpy array per attribute; docs/ODD.md 2.1).

Row ``i`` of every column is one person who has ever been a member, in the order they joined:
the initial party first, then recruits month by month. Rows are never reused or reordered, so
a row number names a person for the whole run. Candidates who were considered for membership
and turned down are never stored (see :class:`simulation.model.population.CandidatePool`).

Columns are allocated with room to spare and grown geometrically as the party recruits;
:attr:`Members.rows` says how many rows are in use. Beliefs and other continuous state are
float32: the rules' increments are far above float32 resolution, and halving the bytes halves
the memory traffic of the monthly passes, which is what a large run spends its time on.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Status(IntEnum):
    """Where a person stands with respect to the party."""

    OUTSIDE = 0  # an unused row: never a member
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


#: Column name -> (dtype, meaning). The order is the order of :meth:`Members.columns`.
COLUMNS: dict[str, tuple[type, str]] = {
    "belief": (np.float32, "private position on the policy axis, in [-1, 1]"),
    "conviction": (np.float32, "belief on joining, which an anchored member returns toward"),
    "boldness": (np.float32, "Daymude et al.'s beta: value put on voicing one's view"),
    "uncertainty": (np.float32, "uncertainty u of the belief (relative agreement), > 0"),
    "core": (np.bool_, "in a faction's committed core at the start (docs/ODD.md 5.1)"),
    # Packed as one complex number so that a listener's one read fetches both (docs/ODD.md 7.3).
    "statement": (
        np.complex64,
        "this month's statement and the uncertainty heard in it, s + i v with v = u + |b - s| "
        "(written under relative agreement); NaN once the member is not active",
    ),
    "fear": (np.float32, "perceived risk learned from punished ties, in [0, 1]"),
    "faction": (np.int8, "index into the scenario's factions"),
    "tier": (np.int8, "a Tier value"),
    "status": (np.int8, "a Status value"),
    "rehabilitated": (np.bool_, "readmitted, or released by amnesty"),
    "dossier": (np.float32, "marks held against the person"),
    "new_marks": (np.float32, "marks added this month, reviewed this month"),
    "dissent": (np.float32, "dissent voiced this month, a in [0, delta] (DAF units)"),
    "expressed": (np.float32, "position said in public this month: the line moved by 2a"),
    "deviated": (np.bool_, "voiced dissent above tolerance this month, and still active"),
    "ever_deviated": (np.bool_, "has ever voiced dissent above tolerance (not innocent)"),
    "spoke": (np.bool_, "was an active member when members spoke this month"),
    "term": (np.int32, "months of prison left"),
    "joined": (np.int32, "month index of joining the party"),
    "initial_cc": (np.bool_, "in the politburo or central committee at the start"),
    "purged": (np.bool_, "has ever been expelled, imprisoned or executed"),
    "open_ties": (np.int32, "ties who deviated this month and are still active"),
    "active_ties": (np.int32, "ties who are active members now"),
    "flags": (np.uint8, "this month's scratch bits (see simulation.model.passes.flags)"),
}

#: Columns kept only when the scenario uses them (docs/ODD.md 2.1): a party without
#: organisations or congresses stores neither, so its runs read and write what they did before.
OPTIONAL_COLUMNS: dict[str, tuple[type, str]] = {
    "organisation": (np.int8, "index into the scenario's organisations"),
    "ever_voted_against": (np.bool_, "has ever voted against the line at a congress"),
    "expelled_as_opposition": (
        np.bool_,
        "last expelled by a campaign aimed at their faction (docs/ODD.md 7.6 step 5b)",
    ),
}


class Members:
    """Column store of everyone who has ever been a member.

    Each name in :data:`COLUMNS` is an attribute holding the used rows of that column (a view
    of the allocated array). The views are made again whenever rows are added, so code that
    keeps a column across months should keep the model and ask again: the arrays are
    reallocated when the party outgrows them.

    Args:
        capacity: Rows to allocate at first.
        faction_names: The scenario's faction names, in order.
        optional: Names of :data:`OPTIONAL_COLUMNS` to keep too (after the others).
    """

    def __init__(
        self, capacity: int, faction_names: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> None:
        self.faction_names = tuple(faction_names)
        self._rows = 0
        kinds = COLUMNS | {name: OPTIONAL_COLUMNS[name] for name in optional}
        self._data = {name: np.zeros(capacity, dtype=dtype) for name, (dtype, _) in kinds.items()}
        self._take_views()

    def _take_views(self) -> None:
        # The views live in the instance dictionary, so reading a column is a plain attribute
        # lookup (the passes read dozens of columns a month); assignment still goes through
        # __setattr__ below, which writes into the column.
        rows = self._rows
        self.__dict__.update({name: array[:rows] for name, array in self._data.items()})

    @property
    def rows(self) -> int:
        """Rows in use: everyone who has ever been a member."""
        return self._rows

    @rows.setter
    def rows(self, rows: int) -> None:
        if rows > self.capacity:
            raise ValueError(f"{rows} rows do not fit in {self.capacity}; reserve() first")
        self.__dict__["_rows"] = int(rows)
        self._take_views()

    def __setattr__(self, name: str, value: object) -> None:
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            # ``members.fear *= 0.9`` works in place and then assigns the view back: a no-op.
            # Any other assignment writes the values into the column.
            column = self.__dict__[name]
            if value is not column:
                column[...] = value
            return
        super().__setattr__(name, value)

    @property
    def capacity(self) -> int:
        """Rows allocated."""
        return int(self._data["status"].shape[0])

    def keeps(self, name: str) -> bool:
        """Whether the store has a column (the optional ones are kept only when used)."""
        return name in self._data

    def full(self, name: str) -> np.ndarray:
        """The whole allocated array of a column (for kernels that add rows)."""
        return self._data[name]

    def reserve(self, rows: int) -> None:
        """Make room for at least ``rows`` rows in every column, growing by a quarter at a time."""
        if rows <= self.capacity:
            return
        # Growth by a quarter: a large party's last growth leaves less unused room. Columns
        # are replaced one at a time, view included, so that only one old column is alive
        # beside its copy (a million-member run's columns are over a gigabyte together).
        new_capacity = max(rows, int(self.capacity * 1.25) + 1024)
        for name, array in self._data.items():
            grown = np.zeros(new_capacity, dtype=array.dtype)
            grown[: self.rows] = array[: self.rows]
            self._data[name] = grown
            self.__dict__[name] = grown[: self.rows]

    def columns(self) -> dict[str, np.ndarray]:
        """The used rows of every column, by name."""
        return {name: array[: self.rows] for name, array in self._data.items()}

    def active(self) -> np.ndarray:
        """Boolean mask of active members."""
        return self.status == Status.ACTIVE

    def count(self, status: Status) -> int:
        """Number of people with a status."""
        return int(np.count_nonzero(self.status == status))

    def nbytes(self) -> int:
        """Bytes allocated for the columns."""
        return sum(array.nbytes for array in self._data.values())
