"""Repression rules: detection, the ladder, quotas, association, rounding; fear."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.model.rules import fear, repression
from simulation.model.rules.repression import Sanction
from simulation.scenario.schema import Ladder


def test_detection_probability_formula():
    dissent = np.array([0.0, 0.25, 0.5, 1.0])
    visibility = np.array([1.0, 1.0, 2.0, 3.0])
    p = repression.detection_probability(dissent, 0.2, visibility)
    # min(1, v (nu + (1 - nu) a))
    np.testing.assert_allclose(p, [0.2, 0.4, 1.0, 1.0])  # 2 * 0.6 and 3 * 1 capped at 1
    np.testing.assert_allclose(
        repression.detection_probability(np.array([0.5]), 0.0, np.array([1.3])), [0.65]
    )


@given(
    dissent=st.floats(0.0, 1.0),
    nu=st.floats(0.0, 1.0),
    visibility=st.floats(0.0, 5.0),
)
def test_detection_probability_is_a_probability_and_rises_with_dissent(dissent, nu, visibility):
    p = repression.detection_probability(
        np.array([dissent, min(1.0, dissent + 0.1)]), nu, np.full(2, visibility)
    )
    assert np.all((p >= 0) & (p <= 1))
    assert p[1] >= p[0]


def test_ladder_thresholds_divide_by_severity():
    ladder = Ladder(
        warning=1.0, demotion=2.0, expulsion=3.0, imprisonment=6.0, execution=float("inf")
    )
    np.testing.assert_array_equal(
        repression.ladder_thresholds(ladder, 1.0), [np.inf, 1.0, 2.0, 3.0, 6.0, np.inf]
    )
    np.testing.assert_array_equal(
        repression.ladder_thresholds(ladder, 2.0), [np.inf, 0.5, 1.0, 1.5, 3.0, np.inf]
    )
    np.testing.assert_array_equal(
        repression.ladder_thresholds(ladder, 0.5), [np.inf, 2.0, 4.0, 6.0, 12.0, np.inf]
    )
    # Below the floor the ladder stops loosening (no division by zero).
    floor = repression.MIN_SEVERITY_FOR_LADDER
    np.testing.assert_array_equal(
        repression.ladder_thresholds(ladder, 0.0), repression.ladder_thresholds(ladder, floor)
    )
    assert repression.ladder_thresholds(ladder, 0.0)[Sanction.WARNING] == pytest.approx(1 / floor)


def test_ladder_sanction_picks_the_highest_rung_reached():
    ladder = Ladder(warning=1.0, demotion=2.0, expulsion=3.0, imprisonment=6.0, execution=8.0)
    thresholds = repression.ladder_thresholds(ladder, 1.0)
    dossier = np.array([0.0, 0.99, 1.0, 2.5, 3.0, 5.9, 6.0, 7.99, 8.0, 100.0])
    expected = [
        Sanction.NONE,
        Sanction.NONE,
        Sanction.WARNING,
        Sanction.DEMOTION,
        Sanction.EXPULSION,
        Sanction.EXPULSION,
        Sanction.IMPRISONMENT,
        Sanction.IMPRISONMENT,
        Sanction.EXECUTION,
        Sanction.EXECUTION,
    ]
    np.testing.assert_array_equal(repression.ladder_sanction(dossier, thresholds), expected)
    # A rung switched off (inf) is skipped: without execution 100 marks mean prison.
    off = repression.ladder_thresholds(ladder.model_copy(update={"execution": float("inf")}), 1.0)
    assert repression.ladder_sanction(np.array([100.0]), off)[0] == Sanction.IMPRISONMENT
    # Harsher severity: the same dossier climbs higher.
    harsh = repression.ladder_thresholds(ladder, 2.0)
    assert repression.ladder_sanction(np.array([3.0]), harsh)[0] == Sanction.IMPRISONMENT


def test_ladder_sanction_when_rungs_are_out_of_order():
    """If a scenario puts a lower rung above a higher one, the higher rung still wins."""
    thresholds = np.array([np.inf, 5.0, 1.0, np.inf, np.inf, np.inf])
    assert repression.ladder_sanction(np.array([6.0]), thresholds)[0] == Sanction.DEMOTION


def test_quota_targets_takes_highest_dossiers_first():
    rng = np.random.default_rng(0)
    candidates = np.arange(10)
    dossier = np.array([0.0, 5.0, 1.0, 0.0, 3.0, 0.0, 4.0, 0.0, 2.0, 0.0])
    chosen, at_random = repression.quota_targets(candidates, dossier, 3, 0.0, rng)
    assert sorted(chosen.tolist()) == [1, 4, 6]
    assert at_random == 0
    # Candidates outside the list are never taken, however high their dossier.
    chosen, _ = repression.quota_targets(np.array([0, 2, 3, 8]), dossier, 2, 0.0, rng)
    assert sorted(chosen.tolist()) == [2, 8]


def test_quota_targets_fills_at_random_when_suspects_run_short():
    rng = np.random.default_rng(1)
    candidates = np.arange(100)
    dossier = np.zeros(100)
    dossier[[7, 50]] = [2.0, 1.0]
    chosen, at_random = repression.quota_targets(candidates, dossier, 10, 0.0, rng)
    assert chosen.size == 10
    assert len(set(chosen.tolist())) == 10
    assert {7, 50} <= set(chosen.tolist())
    assert at_random == 8
    assert set(chosen.tolist()) <= set(candidates.tolist())


def test_quota_targets_random_share_and_caps():
    rng = np.random.default_rng(2)
    candidates = np.arange(50)
    dossier = np.arange(50, dtype=float)  # everyone but 0 is a suspect; 49 the worst
    chosen, at_random = repression.quota_targets(candidates, dossier, 10, 0.3, rng)
    # 7 by dossier (the top seven), 3 at random from the rest.
    assert at_random == 3
    assert set(range(43, 50)) <= set(chosen.tolist())
    assert len(set(chosen.tolist())) == 10
    # The quota is capped at the candidates; a zero quota takes nobody.
    chosen, at_random = repression.quota_targets(np.arange(5), dossier, 99, 0.0, rng)
    assert sorted(chosen.tolist()) == [0, 1, 2, 3, 4]
    assert at_random == 1  # member 0 has no marks: taken at random
    chosen, at_random = repression.quota_targets(candidates, dossier, 0, 0.0, rng)
    assert chosen.size == 0
    assert at_random == 0


@given(
    n=st.integers(1, 60),
    quota=st.integers(0, 80),
    random_share=st.floats(0.0, 1.0),
    marked=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_quota_targets_properties(n, quota, random_share, marked, seed):
    rng = np.random.default_rng(seed)
    candidates = np.sort(rng.choice(200, size=n, replace=False))
    dossier = np.where(rng.random(200) < marked, rng.integers(1, 5, size=200), 0).astype(float)
    chosen, at_random = repression.quota_targets(candidates, dossier, quota, random_share, rng)
    assert chosen.size == min(quota, n)
    assert len(set(chosen.tolist())) == chosen.size
    assert set(chosen.tolist()) <= set(candidates.tolist())
    assert 0 <= at_random <= chosen.size
    # The k taken by dossier are the k worst suspects: anyone with more marks than the k-th
    # worst is taken; and when k covers every suspect, every suspect is taken.
    suspects = candidates[dossier[candidates] > 0]
    k = chosen.size - at_random
    assert k <= suspects.size
    taken = set(chosen.tolist())
    if k == suspects.size:
        assert set(suspects.tolist()) <= taken
    elif k > 0:
        kth = np.sort(dossier[suspects])[::-1][k - 1]
        assert set(suspects[dossier[suspects] > kth].tolist()) <= taken
    # The share drawn at random is honoured (up to rounding) when there are suspects enough.
    if suspects.size >= chosen.size:
        assert at_random == round(random_share * chosen.size)


def test_association_probability_formula():
    k = np.array([0.0, 1.0, 2.0, 5.0])
    np.testing.assert_allclose(
        repression.association_probability(k, 0.1), 1 - (1 - 0.1) ** k, rtol=1e-12
    )
    np.testing.assert_array_equal(repression.association_probability(k, 0.0), 0.0)
    np.testing.assert_array_equal(repression.association_probability(k, 1.0), [0, 1, 1, 1])


def test_denunciation_probability_formula():
    weight = np.array([0.0, 1.0, 3.0])
    np.testing.assert_allclose(
        repression.denunciation_probability(weight, 0.2), 1 - np.exp(-0.2 * weight), rtol=1e-12
    )


@pytest.mark.parametrize("value", [0.0, 0.3, 2.5, 7.99])
def test_stochastic_round_is_unbiased(value):
    rng = np.random.default_rng(3)
    draws = np.array([repression.stochastic_round(value, rng) for _ in range(20_000)])
    assert set(np.unique(draws)) <= {int(np.floor(value)), int(np.floor(value)) + 1}
    fraction = value - np.floor(value)
    sd = np.sqrt(fraction * (1 - fraction) / draws.size)
    assert abs(draws.mean() - value) <= 5 * sd + 1e-12


def test_stochastic_round_of_integers_is_exact():
    rng = np.random.default_rng(4)
    assert [repression.stochastic_round(v, rng) for v in (0.0, 1.0, 12.0)] == [0, 1, 12]


def test_fear_update_by_hand():
    # fear <- (1 - d) f + (1 - (1 - d) f)(1 - exp(-g k))
    current = np.array([0.0, 0.5, 0.5, 1.0])
    ties = np.array([0.0, 0.0, 2.0, 1.0])
    new = fear.update_fear(current, ties, 0.7, 0.1)
    kept = 0.9 * current
    expected = kept + (1 - kept) * (1 - np.exp(-0.7 * ties))
    np.testing.assert_allclose(new, expected)
    assert new[0] == 0.0
    assert new[1] == pytest.approx(0.45)  # decay only


@given(
    f=st.floats(0.0, 1.0),
    k=st.integers(0, 50),
    gain=st.floats(0.0, 10.0),
    decay=st.floats(0.0, 1.0),
)
def test_fear_stays_in_unit_interval(f, k, gain, decay):
    new = fear.update_fear(np.array([f]), np.array([float(k)]), gain, decay)[0]
    assert 0.0 <= new <= 1.0
    if k > 0 and gain > 0:
        assert new >= (1 - decay) * f
