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
def propagate(start, degree, arena, complete, j, d_open, d_active, open_ties, active_ties):
    """Add ``d_open`` and ``d_active`` to the counts of every tie of member ``j``.

    A kernel the passes call per member, so it takes plain arrays: handing it the bundles would
    copy every member column's descriptor into each call.
    """
    if complete:
        return
    for k in range(start[j], start[j] + degree[j]):
        i = arena[k]
        open_ties[i] += d_open
        active_ties[i] += d_active


@njit(cache=True)
def propagate_flips(flips, count, cols, net):
    """Update ties' open counts for members whose deviation changed this month."""
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    deviated, open_ties, active_ties = cols.deviated, cols.open_ties, cols.active_ties
    for f in range(count):
        j = flips[f]
        d_open = 1 if deviated[j] else -1
        propagate(start, degree, arena, complete, j, d_open, 0, open_ties, active_ties)


@njit(inline="always", cache=True)
def fall_silent(
    r, deviated, spoke, dissent, expressed, statement, start, degree, arena, complete, open_ties,
    active_ties,
):  # fmt: skip
    """Member ``r`` leaves the party: says nothing from now on, and stops counting as a tie."""
    d_open = -1 if deviated[r] else 0
    deviated[r] = False
    spoke[r] = False
    dissent[r] = 0.0
    expressed[r] = np.nan
    statement[r] = complex(np.nan, np.nan)
    propagate(start, degree, arena, complete, r, d_open, -1, open_ties, active_ties)


@njit(cache=True)
def set_status(rows, new_status, cols, net):
    """Give ``rows`` a new status, keeping every tie count right.

    A member who leaves the party stops counting as an active (and deviating) tie, and
    says nothing from now on (``expressed`` is NaN); one who joins or returns starts to count.
    """
    status, deviated, spoke = cols.status, cols.deviated, cols.spoke
    dissent, expressed, statement = cols.dissent, cols.expressed, cols.statement
    open_ties, active_ties = cols.open_ties, cols.active_ties
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    for r in rows:
        old = status[r]
        if old == Status.ACTIVE and new_status != Status.ACTIVE:
            fall_silent(
                r, deviated, spoke, dissent, expressed, statement, start, degree, arena, complete,
                open_ties, active_ties,
            )  # fmt: skip
        elif old != Status.ACTIVE and new_status == Status.ACTIVE:
            propagate(start, degree, arena, complete, r, 0, 1, open_ties, active_ties)
        status[r] = new_status


@njit(cache=True)
def recount(n, cols, net):
    """Count every member's open and active ties from scratch (start of a run, and tests)."""
    start, degree, arena = net.start, net.degree, net.arena
    status, deviated = cols.status, cols.deviated
    open_ties, active_ties = cols.open_ties, cols.active_ties
    for i in range(n):
        o = 0
        a = 0
        for k in range(start[i], start[i] + degree[i]):
            j = arena[k]
            if status[j] == Status.ACTIVE:
                a += 1
                if deviated[j]:
                    o += 1
        open_ties[i] = o
        active_ties[i] = a
