"""Counter-based random numbers for the monthly passes over members.

A draw is a pure function of a 64-bit key and a counter: ``uniform(key, counter)``. The key
names the seed, the purpose (signals, debate partners, attrition, ...) and the month; the
counter names the member and, when a member needs several draws, which one. So

* member ``i``'s draw for a purpose in a month does not depend on how many draws anyone else
  made: two scenarios run with one seed share each member's random numbers wherever their
  members coincide (common random numbers at the level of the person), and
* a pass can visit members in any order, or in parallel, and give the same numbers.

The hash is the output function of SplitMix64 (G. L. Steele, D. Lea & C. H. Flood 2014, "Fast
splittable pseudorandom number generators", OOPSLA; the constants are S. Vigna's), applied to
``key + (counter + 1) * golden``: for a fixed key, counters 0, 1, 2, ... give exactly the
SplitMix64 sequence started at ``key``, which passes BigCrush. Keys of different purposes and
months are themselves hashed from the seed's :class:`numpy.random.SeedSequence`, so their
sequences start at unrelated points of the 2^64 cycle.

Draws that are not one per member (the number of recruits and their screening, the review
of marked members, campaign quotas and the choice by dossier, prison terms, executions'
share, the total of false reports, the leader's signal) use the
model's :class:`numpy.random.Generator` streams (:mod:`simulation.model.rng`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_MASK = (1 << 64) - 1
_GOLDEN_INT, _MIX1_INT, _MIX2_INT = int(GOLDEN), int(_MIX1), int(_MIX2)
#: Counters per member: a member may use up to this many draws for one purpose in a month.
DRAWS_PER_MEMBER = 1 << 20


@njit(inline="always", cache=True)
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64's finaliser: a bijective avalanche hash of 64 bits."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(inline="always", cache=True)
def uniform(key: np.uint64, counter: int) -> float:
    """A uniform draw in [0, 1) with 53 random bits, for ``(key, counter)``."""
    z = mix64(key + (np.uint64(counter) + np.uint64(1)) * GOLDEN)
    return np.float64(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(inline="always", cache=True)
def draw(key: np.uint64, member: int, which: int) -> float:
    """Draw number ``which`` of ``member`` under ``key`` (``which < DRAWS_PER_MEMBER``)."""
    return uniform(key, member * DRAWS_PER_MEMBER + which)


@njit(inline="always", cache=True)
def poisson(lam: float, u: float) -> int:
    """Poisson(``lam``) by inversion of one uniform ``u`` (for the small rates used here)."""
    if lam <= 0.0:
        return 0
    p = np.exp(-lam)
    cdf = p
    k = 0
    while u > cdf and k < 100_000:
        k += 1
        p *= lam / k
        cdf += p
        if p == 0.0:
            break
    return k


class Keys:
    """The per-purpose, per-month keys of one run.

    Args:
        seed_sequence: The run's seed sequence (a child of the model's seed).
        purposes: Names of the purposes, in a fixed order (append, never reorder).
    """

    def __init__(self, seed_sequence: np.random.SeedSequence, purposes: tuple[str, ...]) -> None:
        state = seed_sequence.generate_state(len(purposes), dtype=np.uint64)
        self._base = {name: int(value) for name, value in zip(purposes, state, strict=True)}

    def __call__(self, purpose: str, month: int, index: int = 0) -> np.uint64:
        """The key of ``purpose`` in ``month`` (a month index).

        ``index`` tells apart several uses in one month (e.g. two campaigns).
        """
        z = (self._base[purpose] + ((month + 1) * 4096 + index) * _GOLDEN_INT) & _MASK
        return np.uint64(_mix64_int(z))


def _mix64_int(z: int) -> int:
    """:func:`mix64` on Python integers (for the few keys a month: no compiled call)."""
    z = ((z ^ (z >> 30)) * _MIX1_INT) & _MASK
    z = ((z ^ (z >> 27)) * _MIX2_INT) & _MASK
    return z ^ (z >> 31)
