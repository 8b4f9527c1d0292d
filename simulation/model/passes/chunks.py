"""Fixed chunks of a roll, so that passes run on every core and still give the same numbers.

A parallel pass (``numba.prange``) splits its roll into chunks of :data:`CHUNK` members and
hands chunks to threads. Two things could make its results depend on how many threads ran:

* a floating-point sum taken in a different order (addition is not associative), and
* a list (of deviators, of leavers) filled in a different order.

So the chunk boundaries depend only on the roll, never on the thread count; each chunk keeps
its own partial sums and fills its own slice of the output list, and the chunks are then
combined one after another, in chunk order, on one thread (:func:`join_lists`). A run gives
the same numbers with one thread or many. (Random draws were already independent of the
order: :mod:`simulation.model.counter_rng`.)

Inside a parallel pass, numba turns every array expression (``np.zeros``, ``a += b``) into
a parallel loop of its own, which wakes the threads for a few numbers. So a parallel pass
takes its per-chunk tables from :func:`chunk_table` (compiled without ``parallel``) and
adds them up with :func:`add_chunks`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Members per chunk: big enough that a chunk's work (tens of microseconds) dwarfs handing it
#: to a thread, small enough that a month's roll gives both cores many chunks to share.
CHUNK = 8192


@njit(inline="always", cache=True)
def chunk_count(n):
    """How many chunks a roll of ``n`` members makes."""
    return (n + CHUNK - 1) // CHUNK


@njit(inline="always", cache=True)
def chunk_bounds(c, n):
    """The positions ``lo, hi`` of chunk ``c`` of a roll of ``n`` members."""
    lo = c * CHUNK
    return lo, min(n, lo + CHUNK)


@njit(cache=True)
def join_lists(buffer, counts):
    """Close up per-chunk lists, in chunk order, at the front of ``buffer``.

    Chunk ``c`` wrote ``counts[c]`` entries at ``buffer[c * CHUNK:]``; afterwards they follow
    one another from ``buffer[0]``. Moving entries only toward the front is safe in place.

    Returns:
        The total number of entries.
    """
    total = 0
    for c in range(counts.shape[0]):
        lo = c * CHUNK
        for k in range(counts[c]):
            buffer[total + k] = buffer[lo + k]
        total += counts[c]
    return total


@njit(cache=True)
def chunk_table(rows, columns, dtype):
    """A zeroed ``rows`` x ``columns`` table of ``dtype``, made outside any parallel region."""
    return np.zeros((rows, columns), dtype=dtype)


@njit(cache=True)
def add_chunks(table, total):
    """Add the rows of a per-chunk ``table`` into ``total``, in chunk order (any threads)."""
    for c in range(table.shape[0]):
        for k in range(table.shape[1]):
            total[k] += table[c, k]
