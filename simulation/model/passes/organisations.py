"""Recruits' organisations and ties inside organisations (docs/ODD.md 5.2, 7.6)."""

from __future__ import annotations

from numba import njit, prange

from simulation.model.counter_rng import draw
from simulation.model.members import Status
from simulation.model.passes.chunks import chunk_bounds, chunk_count


@njit(cache=True)
def recruit_organisations(first, last, cumulative, organisation, key):
    """Recruits ``first .. last - 1`` join an organisation drawn by the shares.

    ``cumulative`` holds the running sums of the organisation shares; one keyed draw per
    recruit. The caller sorts the intake's draws into organisation blocks (docs/ODD.md 7.6).
    """
    top = cumulative.shape[0] - 1
    for r in range(first, last):
        u = draw(key, r, 0) * cumulative[top]
        g = 0
        while g < top and u >= cumulative[g]:
            g += 1
        organisation[r] = g


@njit(cache=True, parallel=True)
def localise_partners(
    first, last, offsets, partners, patronage, grouped, bucket_start, status, organisation,
    locality, key,
):  # fmt: skip
    """Redraw a share ``locality`` of recruits' chosen ties inside their own organisation.

    ``offsets`` and ``partners`` are :func:`~simulation.model.passes.membership.choose_partners`'
    choice; the patron tie (the last of each recruit's, when ``patronage`` is 1) is kept. Each
    other tie is, with probability ``locality``, replaced by an active member of the recruit's
    organisation drawn uniformly from ``grouped`` (the roll grouped by organisation, as
    :func:`~simulation.model.passes.membership.recruit_pools` groups it), redrawn up to 64 times
    if the draw has left the party since the roll was taken (-1 if none is found). The draws
    are keyed by recruit, so the result does not depend on the order or the threads.
    """
    count = last - first
    for c in prange(chunk_count(count)):
        lo, hi = chunk_bounds(c, count)
        for rr in range(lo, hi):
            r = first + rr
            g = organisation[r]
            own = bucket_start[g + 1] - bucket_start[g]
            chosen = offsets[rr + 1] - offsets[rr] - patronage
            for t in range(chosen):
                if draw(key, r, 2 * 64 * t) >= locality:
                    continue
                partners[offsets[rr] + t] = -1
                if own == 0:
                    continue
                for attempt in range(64):
                    u = draw(key, r, 1 + 2 * (64 * t + attempt))
                    j = grouped[bucket_start[g] + int(u * own)]
                    if status[j] == Status.ACTIVE and j != r:
                        partners[offsets[rr] + t] = j
                        break
