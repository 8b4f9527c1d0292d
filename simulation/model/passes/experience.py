"""Experience of the line: a shock that moves the beliefs of those it hits (docs/ODD.md 7.7)."""

from __future__ import annotations

from numba import njit

from simulation.model.counter_rng import draw
from simulation.model.rules.experience import experienced_belief


@njit(cache=True)
def live_through(active, organisation, hit_probability, shift, belief, conviction, key):
    """Each active member is hit with their organisation's probability; the hit move by ``shift``.

    ``hit_probability[g]`` is the chance for organisation ``g``; one keyed draw per member, so
    who is hit does not depend on the order or the threads. Belief and conviction both move
    (:func:`simulation.model.rules.experience.experienced_belief`): what was lived through is
    kept, and the anchor pulls back toward it, not toward the old conviction.

    Returns:
        How many members were hit.
    """
    hit = 0
    for i in active:
        if draw(key, i, 0) < hit_probability[organisation[i]]:
            belief[i] = experienced_belief(belief[i], shift)
            conviction[i] = experienced_belief(conviction[i], shift)
            hit += 1
    return hit
