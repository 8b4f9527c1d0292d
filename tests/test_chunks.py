"""Chunked passes: the same numbers on one thread or several (simulation.model.passes.chunks)."""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.model.party import PartyModel
from simulation.model.passes.chunks import CHUNK, chunk_bounds, chunk_count, join_lists
from simulation.model.threads import compiled_threads, set_compiled_threads


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, CHUNK), min_size=1, max_size=5), st.integers(0, 2**31 - 1))
def test_join_lists_is_the_concatenation_of_the_chunks_lists(counts, seed):
    rng = np.random.default_rng(seed)
    buffer = rng.integers(0, 10**6, size=len(counts) * CHUNK).astype(np.int32)
    expected = np.concatenate([buffer[c * CHUNK : c * CHUNK + k] for c, k in enumerate(counts)])
    total = join_lists(buffer, np.asarray(counts, dtype=np.int64))
    assert total == sum(counts)
    np.testing.assert_array_equal(buffer[:total], expected)


@given(st.integers(0, 5 * CHUNK))
def test_chunks_cover_a_roll_once(n):
    covered = [chunk_bounds(c, n) for c in range(chunk_count(n))]
    positions = np.concatenate([np.arange(lo, hi) for lo, hi in covered] or [np.empty(0)])
    np.testing.assert_array_equal(positions, np.arange(n))
    assert all(hi - lo <= CHUNK for lo, hi in covered)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba allows one thread here")
def test_one_thread_and_two_give_the_same_table():
    # 30,000 members: rolls of several chunks, so the threads really split the work.
    overrides = {"population.size": 30_000, "end": "1925-06"}
    before = compiled_threads()
    tables = []
    try:
        for threads in (1, 2):
            set_compiled_threads(threads)
            tables.append(PartyModel("historical", seed=5, overrides=overrides).run())
    finally:
        set_compiled_threads(before)
    pd.testing.assert_frame_equal(tables[0], tables[1], check_exact=True)
