"""The memory floor of a month: what one random tie's words per member cost on this machine.

Every month each active member hears one tie drawn at random (the Deffuant debate): a read of
the member's tie list at a random place, then a read of that tie's words, which sit anywhere
in memory. However the rest of the month is written, these reads remain. This module times a
kernel that does only them, plus the belief write, on a synthetic party of a given size, with
the same chunked, staged loops as :func:`simulation.model.passes.listening.debate` (the fastest
form measured). Its time per member is a floor for the debate pass, and so for a month.

The synthetic party has ``rows`` people, ``active`` of them active (spread over the rows, as
the dead and the expelled are in a long run), Poisson(10) ties each to people anywhere,
and tie lists in row order with a little slack, as after the yearly relayout.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from numba import njit, prange

from simulation.model.counter_rng import uniform
from simulation.model.network import MIN_ROOM
from simulation.model.passes.chunks import chunk_bounds, chunk_count
from simulation.model.passes.listening import tie_slot

MEAN_DEGREE = 10.0


def synthetic_party(rows: int, active: int, seed: int = 1) -> dict[str, np.ndarray]:
    """A party of ``rows`` people, ``active`` of them active, with random tie lists.

    Raises:
        ValueError: If ``active`` is not between 1 and ``rows``.
    """
    if not 1 <= active <= rows:
        raise ValueError(f"active must be between 1 and rows ({rows}), not {active}")
    rng = np.random.default_rng(seed)
    degree = rng.poisson(MEAN_DEGREE, rows).astype(np.int32)
    start = np.zeros(rows, dtype=np.int64)
    np.cumsum(degree[:-1] + MIN_ROOM, out=start[1:])
    arena = rng.integers(0, rows, int(start[-1]) + int(degree[-1]) + MIN_ROOM, dtype=np.int32)
    words = rng.uniform(-1.0, 1.0, rows).astype(np.float32)
    return {
        "active": np.sort(rng.choice(rows, active, replace=False)).astype(np.int32),
        "belief": words.copy(),
        "words": words,
        "start": start,
        "degree": degree,
        "arena": arena,
    }


@njit(cache=True, parallel=True)
def hear_one_tie(active, belief, words, start, degree, arena, key, rate):
    """Each active member moves toward one random tie's words: the debate's reads, no more."""
    n = active.shape[0]
    for c in prange(chunk_count(n)):
        lo, hi = chunk_bounds(c, n)
        slot = np.empty(hi - lo, dtype=np.int64)
        heard = np.empty(hi - lo, dtype=np.float32)
        for idx in range(lo, hi):
            i = active[idx]
            slot[idx - lo] = tie_slot(start, degree, i, uniform(key, i))
        for k in range(hi - lo):
            s = slot[k]
            heard[k] = words[arena[s]] if s >= 0 else np.nan
        for idx in range(lo, hi):
            i = active[idx]
            h = heard[idx - lo]
            if h == h:  # not NaN: the member has a tie
                belief[i] += rate * (h - belief[i])


def memory_floor(rows: int, active: int, repeats: int = 7) -> float:
    """Median nanoseconds per active member of :func:`hear_one_tie` on a synthetic party."""
    party = synthetic_party(rows, active)
    args = [party[name] for name in ("active", "belief", "words", "start", "degree", "arena")]
    hear_one_tie(*args, np.uint64(0), 0.1)  # compile
    times = []
    for month in range(1, repeats + 1):
        started = time.perf_counter()
        hear_one_tie(*args, np.uint64(month), 0.1)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e9 / active
