"""The month's rolls: members by status, listed once a month in row order."""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.state import Status


@njit(cache=True)
def _roll_call(status, n):
    counts = np.zeros(8, dtype=np.int64)
    for i in range(n):
        counts[status[i]] += 1
    active = np.empty(counts[Status.ACTIVE], dtype=np.int32)
    expelled = np.empty(counts[Status.EXPELLED], dtype=np.int32)
    prisoners = np.empty(counts[Status.IMPRISONED], dtype=np.int32)
    a = e = p = 0
    for i in range(n):
        s = status[i]
        if s == Status.ACTIVE:
            active[a] = i
            a += 1
        elif s == Status.EXPELLED:
            expelled[e] = i
            e += 1
        elif s == Status.IMPRISONED:
            prisoners[p] = i
            p += 1
    return active, expelled, prisoners


class Rolls:
    """Row numbers of active members, former members at liberty, and prisoners.

    Taken at the start of each month (after its events); the passes of the month visit these
    lists rather than every row ever used, and check a member's status where it may have
    changed since.
    """

    def __init__(self, status: np.ndarray) -> None:
        self.active, self.expelled, self.prisoners = _roll_call(status, status.shape[0])
