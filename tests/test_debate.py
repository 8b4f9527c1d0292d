"""Debate: the bounded-confidence rules by hand, and the classic cluster results.

Classic results, on a complete graph with everything but debate switched off
(scenarios/deffuant.toml, scenarios/hegselmann_krause.toml), beliefs uniform on [-1, 1]. A bound
eps on this axis is d = eps / 2 on the unit interval of the papers.

* Deffuant, Neau, Amblard & Weisbuch (2000): about floor(1 / (2 d)) major clusters, one
  (consensus) for d >= 0.3, more as d falls.
* Hegselmann & Krause (2002): consensus above a critical d of about 0.2, fragmentation below.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from simulation.model.network import CompleteNetwork, SparseNetwork
from simulation.model.rules import debate

SEEDS = (1, 2, 3)  # Hegselmann-Krause: its results hold on every seed


# ---------------------------------------------------------------------------- rules by hand
def test_deffuant_update_by_hand():
    # Gap 0.25 < 0.5: move half of it; a member who says something else is heard as said.
    assert debate.deffuant_update(0.0, 0.25, 0.5, 0.5) == 0.125
    assert debate.deffuant_update(0.25, 0.125, 0.5, 0.5) == 0.1875
    # Gap 1.0: no change; a gap of exactly the bound is not within it (strict, as in the paper).
    assert debate.deffuant_update(1.0, 0.0, 0.5, 0.5) == 1.0
    assert debate.deffuant_update(0.5, 0.0, 0.5, 0.5) == 0.5
    # Rate 1: all the way.
    assert debate.deffuant_update(0.5, 0.0, 1.0, 1.0) == 0.0


def test_deffuant_update_ignores_silence():
    """NaN is what someone not active says: nobody moves toward it."""
    assert debate.deffuant_update(0.25, np.nan, 2.0, 0.5) == 0.25


def test_within_confidence_includes_the_bound_and_never_nan():
    assert debate.within_confidence(0.0, 0.25, 0.25)
    assert debate.within_confidence(0.0, -0.25, 0.25)
    assert not debate.within_confidence(0.0, 0.2500001, 0.25)
    assert not debate.within_confidence(0.0, np.nan, 2.0)


def test_signal_pull_by_hand():
    # b + w (x + sigma eps - b): 0 + 0.25 (1 - 0) ...
    assert debate.signal_pull(0.0, 1.0, 0.0, 0.0, 0.25) == 0.25
    assert debate.signal_pull(-1.0, 0.0, 0.0, 0.0, 0.25) == -0.75
    # ... with noise, and clipped to the axis.
    assert debate.signal_pull(0.0, 0.0, 0.5, 1.0, 0.5) == 0.25
    assert debate.signal_pull(0.9, 1.0, 1.0, 2.0, 1.0) == 1.0


def test_signal_noise_has_mean_zero_and_sd_one():
    u = (np.arange(100_000) + 0.5) / 100_000  # uniform quantiles
    noise = np.array([debate.signal_noise(x) for x in u])
    assert abs(noise.mean()) < 1e-12
    assert noise.std() == pytest.approx(1.0, rel=1e-6)
    assert debate.signal_noise(0.0) == -np.sqrt(3.0)


def test_anchor_and_line_pull_by_hand():
    assert debate.anchor_pull(0.0, 1.0, 0.25) == 0.25
    assert debate.anchor_pull(0.5, 0.0, 0.25) == 0.375
    assert debate.anchor_pull(0.5, 0.0, 0.0) == 0.5  # off at 0
    assert debate.line_pull(-1.0, 0.0, 0.5) == -0.5
    assert debate.line_pull(-1.0, 1.0, 0.0) == -1.0  # off at 0


def complete_as_sparse(n: int) -> SparseNetwork:
    """The complete graph on n nodes, stored explicitly as a sparse matrix."""
    source, target = np.triu_indices(n, k=1)
    return SparseNetwork.from_pairs(n, source, target)


def reference_confidence_mean(belief, said, speaking, bound):
    """O(N^2) Hegselmann-Krause mean on the complete graph, straight from the definition.

    "Within the bound" is b - eps <= s <= b + eps in floating point, the package's definition.
    """
    n = belief.size
    out = np.empty(n)
    for i in range(n):
        heard = [
            said[j]
            for j in range(n)
            if j != i and speaking[j] and belief[i] - bound <= said[j] <= belief[i] + bound
        ]
        out[i] = (belief[i] + sum(heard)) / (1 + len(heard))
    return out


def test_confidence_mean_by_hand():
    belief = np.array([0.0, 0.25, 0.5, 1.0])
    said = belief.copy()
    speaking = np.ones(4, dtype=bool)
    expected = [0.125, 0.25, 0.375, 1.0]  # e.g. member 1: (0.25 + 0 + 0.5) / 3
    for network in (CompleteNetwork(4), complete_as_sparse(4)):
        np.testing.assert_allclose(network.confidence_mean(belief, said, speaking, 0.3), expected)
    # What is said counts, not what is thought; the silent are not heard.
    said = np.array([0.5, 0.25, 0.5, 1.0])
    speaking = np.array([True, True, False, True])
    # member 0: hears 0.25 (member 1) -> 0.125; member 1: hears 0.5 (member 0) -> 0.375;
    # member 2: hears 0.5 and 0.25 -> (0.5 + 0.75) / 3; member 3: nobody -> 1.0.
    expected = [0.125, 0.375, 1.25 / 3, 1.0]
    for network in (CompleteNetwork(4), complete_as_sparse(4)):
        np.testing.assert_allclose(network.confidence_mean(belief, said, speaking, 0.3), expected)


def grid_values(n):
    # Values on a grid of 1/16 make ties and exact-bound distances likely.
    return hnp.arrays(
        np.float64,
        n,
        elements=st.one_of(
            st.integers(-16, 16).map(lambda k: k / 16),
            st.floats(-1.0, 1.0, allow_nan=False),
        ),
    )


@st.composite
def debate_state(draw):
    n = draw(st.integers(1, 25))
    belief = draw(grid_values(n))
    said = np.where(draw(hnp.arrays(bool, n)), belief, draw(grid_values(n)))
    speaking = draw(hnp.arrays(bool, n))
    bound = draw(st.one_of(st.sampled_from([0.0, 0.125, 0.25, 0.5, 2.0]), st.floats(0.0, 2.0)))
    return belief, said, speaking, bound


@given(debate_state())
def test_complete_and_sparse_confidence_mean_agree_on_a_complete_graph(state):
    belief, said, speaking, bound = state
    n = belief.size
    complete = CompleteNetwork(n).confidence_mean(belief, said, speaking, bound)
    reference = reference_confidence_mean(belief, said, speaking, bound)
    np.testing.assert_allclose(complete, reference, rtol=0, atol=1e-12)
    if n > 1:
        explicit = complete_as_sparse(n).confidence_mean(belief, said, speaking, bound)
        np.testing.assert_allclose(complete, explicit, rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------- classic results
def final_clusters(make_model, clusters, beliefs_of, scenario, bound, seed, size, end):
    model = make_model(
        scenario, seed=seed, size=size, pool_factor=1.0, debate__confidence=bound, end=end
    )
    model.run()
    return clusters(beliefs_of(model))[0]


DEFFUANT_SEEDS = (1, 2, 3, 4, 5)
#: Confidence bound on [-1, 1] -> expected major clusters, floor(1 / (2 d)) with d = eps / 2
#: (Deffuant et al. 2000; one major cluster for d >= 0.3).
DEFFUANT_EXPECTED = {1.0: 1, 0.6: 1, 0.4: 2, 0.3: 3, 0.2: 5}


@pytest.fixture(scope="module")
def deffuant_counts(make_model, clusters, beliefs_of):
    """Major clusters after nine years of Deffuant debate, per bound and seed (1,000 members)."""
    return {
        bound: [
            final_clusters(
                make_model, clusters, beliefs_of, "deffuant", bound, seed, 1000, "1932-12"
            )
            for seed in DEFFUANT_SEEDS
        ]
        for bound in DEFFUANT_EXPECTED
    }


@pytest.mark.parametrize("bound", [1.0, 0.6])
def test_deffuant_consensus_for_large_bounds_on_every_seed(deffuant_counts, bound):
    assert deffuant_counts[bound] == [1] * len(DEFFUANT_SEEDS)


@pytest.mark.parametrize("bound", [0.4, 0.3])
def test_deffuant_cluster_count_for_small_bounds(deffuant_counts, bound):
    """The median run has floor(1 / (2 d)) major clusters; single runs may be one off."""
    counts = deffuant_counts[bound]
    expected = DEFFUANT_EXPECTED[bound]
    assert np.median(counts) == expected
    assert all(abs(count - expected) <= 1 for count in counts)


def test_deffuant_clusters_multiply_as_the_bound_falls(deffuant_counts):
    medians = [float(np.median(deffuant_counts[bound])) for bound in DEFFUANT_EXPECTED]
    assert medians == sorted(medians)
    assert medians[0] < medians[-1]
    # d = 0.1: about floor(1 / 0.2) = 5 major clusters; finite runs give 4 or 5.
    assert 4 <= medians[-1] <= 5


@pytest.mark.parametrize("bound", [0.6, 0.5])  # d = 0.3, 0.25: above the critical 0.2
def test_hegselmann_krause_consensus_above_the_critical_bound(
    make_model, clusters, beliefs_of, bound
):
    for seed in SEEDS:
        model = make_model(
            "hegselmann_krause", seed=seed, size=1000, pool_factor=1.0, debate__confidence=bound
        )
        model.run()
        count, found = clusters(beliefs_of(model))
        assert count == 1
        assert len(found) == 1  # not even a minor cluster is left
        # Averaging conserves nothing exactly, but consensus lies near the uniform mean.
        assert abs(found[0][0]) < 0.1


@pytest.mark.parametrize(("bound", "at_least"), [(0.35, 2), (0.3, 2), (0.2, 3)])
def test_hegselmann_krause_fragments_below_the_critical_bound(
    make_model, clusters, beliefs_of, bound, at_least
):
    counts = [
        final_clusters(
            make_model, clusters, beliefs_of, "hegselmann_krause", bound, seed, 1000, "1927-12"
        )
        for seed in SEEDS
    ]
    assert min(counts) >= at_least


def test_hegselmann_krause_clusters_multiply_as_the_bound_falls(make_model, clusters, beliefs_of):
    medians = [
        np.median(
            [
                final_clusters(
                    make_model,
                    clusters,
                    beliefs_of,
                    "hegselmann_krause",
                    bound,
                    seed,
                    1000,
                    "1927-12",
                )
                for seed in SEEDS
            ]
        )
        for bound in (0.6, 0.35, 0.2, 0.1)
    ]
    assert list(medians) == sorted(medians)
    assert medians[0] == 1
    assert medians[-1] >= 5  # d = 0.05


def test_hegselmann_krause_freezes(make_model):
    """HK reaches a fixed point in finitely many rounds (Hegselmann & Krause 2002, Sec. 3)."""
    model = make_model(
        "hegselmann_krause", seed=1, size=500, pool_factor=1.0, debate__confidence=0.3
    )
    model.run()
    before = model.members.belief.copy()
    model.running = True
    model.step()
    np.testing.assert_allclose(model.members.belief, before, atol=1e-12)


def test_debate_off_leaves_beliefs_alone(make_model):
    """Model 'none' with signals, pull and anchor off: nothing changes a private belief."""
    model = make_model("deffuant", size=200, pool_factor=1.0, debate__model="none", end="1924-12")
    before = model.members.belief.copy()
    model.run()
    np.testing.assert_array_equal(model.members.belief, before)
