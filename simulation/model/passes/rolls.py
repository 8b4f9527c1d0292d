"""The month's rolls: members by status, listed once a month in row order."""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.model.members import Status


@njit(cache=True)
def _roll_call(status, n):
    # One pass without branches on the status: every row is written to all three lists and
    # only the right list's length grows (statuses are mixed, so branches would mispredict).
    active = np.empty(n, dtype=np.int32)
    expelled = np.empty(n, dtype=np.int32)
    prisoners = np.empty(n, dtype=np.int32)
    a = e = p = 0
    for i in range(n):
        s = status[i]
        active[a] = i
        expelled[e] = i
        prisoners[p] = i
        a += s == Status.ACTIVE
        e += s == Status.EXPELLED
        p += s == Status.IMPRISONED
    return active[:a].copy(), expelled[:e].copy(), prisoners[:p].copy()


@njit(cache=True)
def active_rows(status):
    """The rows of active members now, in row order, as int32 (a roll taken mid-month).

    What ``np.flatnonzero(status == Status.ACTIVE).astype(np.int32)`` gives, in one pass
    without branches and without the mask and the int64 list between.
    """
    n = status.shape[0]
    rows = np.empty(n, dtype=np.int32)
    a = 0
    for i in range(n):
        rows[a] = i
        a += status[i] == Status.ACTIVE
    return rows[:a]


class Rolls:
    """Row numbers of active members, former members at liberty, and prisoners.

    Taken at the start of each month (after its events); the passes of the month visit these
    lists rather than every row ever used, and check a member's status where it may have
    changed since.
    """

    def __init__(self, status: np.ndarray) -> None:
        self.active, self.expelled, self.prisoners = _roll_call(status, status.shape[0])
