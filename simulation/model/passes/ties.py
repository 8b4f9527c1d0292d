"""Status changes, and the tie counts the voice rule reads.

A member's voice rule needs the share of their ties who openly deviated last month and are
still members (social proof). Recounting it from the network every month costs a pass over
every tie; instead each member keeps two counts — ties who are active, and ties who are active
and deviated — and every change of a member's status or deviation updates the counts of their
ties. A month then costs work in proportion to the changes, not to the ties.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.model.members import Status


@njit(cache=True)
def propagate(cols, net, j, d_open, d_active):
    """Add ``d_open`` and ``d_active`` to the open and active tie counts of every tie of ``j``."""
    if net.complete:
        return
    for k in range(net.start[j], net.start[j] + net.degree[j]):
        i = net.arena[k]
        cols.open_ties[i] += d_open
        cols.active_ties[i] += d_active


@njit(cache=True)
def propagate_flips(flips, count, cols, net):
    """Update ties' open counts for members whose deviation changed this month."""
    for f in range(count):
        j = flips[f]
        propagate(cols, net, j, 1 if cols.deviated[j] else -1, 0)


@njit(inline="always", cache=True)
def fall_silent(r, cols, net):
    """Member ``r`` leaves the party: says nothing from now on, and stops counting as a tie."""
    d_open = -1 if cols.deviated[r] else 0
    cols.deviated[r] = False
    cols.spoke[r] = False
    cols.dissent[r] = 0.0
    cols.expressed[r] = np.nan
    propagate(cols, net, r, d_open, -1)


@njit(cache=True)
def set_status(rows, new_status, cols, net):
    """Give ``rows`` a new status, keeping every tie count right.

    A member who leaves the party stops counting as an active (and deviating) tie, and
    says nothing from now on (``expressed`` is NaN); one who joins or returns starts to count.
    """
    status = cols.status
    for r in rows:
        old = status[r]
        if old == Status.ACTIVE and new_status != Status.ACTIVE:
            fall_silent(r, cols, net)
        elif old != Status.ACTIVE and new_status == Status.ACTIVE:
            propagate(cols, net, r, 0, 1)
        status[r] = new_status


@njit(cache=True)
def recount(n, cols, net):
    """Count every member's open and active ties from scratch (start of a run, and tests)."""
    start, degree, arena = net.start, net.degree, net.arena
    status, deviated = cols.status, cols.deviated
    for i in range(n):
        o = 0
        a = 0
        for k in range(start[i], start[i] + degree[i]):
            j = arena[k]
            if status[j] == Status.ACTIVE:
                a += 1
                if deviated[j]:
                    o += 1
        cols.open_ties[i] = o
        cols.active_ties[i] = a
