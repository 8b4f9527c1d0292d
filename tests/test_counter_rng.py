"""The counter-based draws of the monthly passes (simulation.model.counter_rng)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from simulation.model.counter_rng import GOLDEN, Keys, _mix64_int, mix64, uniform

#: The first five outputs of SplitMix64 seeded with 1234567, as published by the Rosetta Code
#: task "Pseudo-random numbers/Splitmix64".
SPLITMIX64_1234567 = (
    6457827717110365317,
    3203168211198807973,
    9817491932198370423,
    4593380528125082431,
    16408922859458223821,
)


def test_counters_follow_the_published_splitmix64_sequence():
    """Counter c under key k is SplitMix64's output number c + 1 from state k."""
    key = 1234567
    for counter, expected in enumerate(SPLITMIX64_1234567):
        state = (key + (counter + 1) * int(GOLDEN)) % 2**64
        assert int(mix64(np.uint64(state))) == expected
        assert uniform(np.uint64(key), counter) == (expected >> 11) / 2.0**53


@given(st.integers(0, 2**64 - 1))
def test_python_hash_of_keys_equals_the_compiled_hash(z):
    assert _mix64_int(z) == int(mix64(np.uint64(z)))


def test_keys_differ_by_purpose_month_and_index():
    keys = Keys(np.random.SeedSequence(5), ("signal", "partner"))
    drawn = {
        int(keys(p, month, i)) for p in ("signal", "partner") for month in range(24) for i in (0, 1)
    }
    assert len(drawn) == 2 * 24 * 2
    again = Keys(np.random.SeedSequence(5), ("signal", "partner"))
    assert again("partner", 7, 1) == keys("partner", 7, 1)


def test_draws_are_uniform():
    key = Keys(np.random.SeedSequence(11), ("signal",))("signal", 3)
    draws = np.array([uniform(key, i) for i in range(20_000)])
    assert draws.min() >= 0.0 and draws.max() < 1.0
    assert stats.kstest(draws, "uniform").pvalue > 1e-3
