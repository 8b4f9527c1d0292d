"""Repression rules: detection, the ladder, quotas, association, rounding; fear."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.model.members import Members, Status
from simulation.model.network import CompleteNetwork, SparseNetwork
from simulation.model.passes.bundles import Columns, columns_of
from simulation.model.passes.sanctions import (
    associate,
    ladder_rungs,
    learn_fear,
    quota_choice,
    update_dossiers,
)
from simulation.model.rules import fear, repression
from simulation.model.rules.repression import Sanction
from simulation.scenario.schema import Ladder


def test_detection_probability_formula():
    # min(1, v (nu + (1 - nu) a)), with nu = 0.2
    cases = [(0.0, 1.0, 0.2), (0.25, 1.0, 0.4), (0.5, 2.0, 1.0), (1.0, 3.0, 1.0)]
    for dissent, visibility, expected in cases:
        p = repression.detection_probability(dissent, 0.2, visibility)
        assert p == pytest.approx(expected)  # 2 * 0.6 and 3 * 1 capped at 1
    assert repression.detection_probability(0.5, 0.0, 1.3) == pytest.approx(0.65)


@given(
    dissent=st.floats(0.0, 1.0),
    nu=st.floats(0.0, 1.0),
    visibility=st.floats(0.0, 5.0),
)
def test_detection_probability_is_a_probability_and_rises_with_dissent(dissent, nu, visibility):
    low = repression.detection_probability(dissent, nu, visibility)
    high = repression.detection_probability(min(1.0, dissent + 0.1), nu, visibility)
    assert 0.0 <= low <= high <= 1.0


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
    assert [repression.ladder_sanction(d, thresholds) for d in dossier] == expected
    # The pass gives each reviewed member the same rung, dossiers read from the float32 column.
    people = np.arange(dossier.size, dtype=np.int32)
    rungs = ladder_rungs(people, dossier.astype(np.float32), thresholds)
    assert rungs.tolist() == expected
    # A rung switched off (inf) is skipped: without execution 100 marks mean prison.
    off = repression.ladder_thresholds(ladder.model_copy(update={"execution": float("inf")}), 1.0)
    assert repression.ladder_sanction(100.0, off) == Sanction.IMPRISONMENT
    # Harsher severity: the same dossier climbs higher.
    harsh = repression.ladder_thresholds(ladder, 2.0)
    assert repression.ladder_sanction(3.0, harsh) == Sanction.IMPRISONMENT


def test_ladder_sanction_when_rungs_are_out_of_order():
    """If a scenario puts a lower rung above a higher one, the higher rung still wins."""
    thresholds = np.array([np.inf, 5.0, 1.0, np.inf, np.inf, np.inf])
    assert repression.ladder_sanction(6.0, thresholds) == Sanction.DEMOTION


def members_with(rows: int, **values) -> tuple[Members, Columns]:
    """A column store of ``rows`` members with some columns set, and its bundle for the passes."""
    members = Members(rows, ("one",))
    members.rows = rows
    for name, value in values.items():
        setattr(members, name, value)
    return members, columns_of(members)


def test_dossiers_fade_then_take_the_new_marks():
    members, cols = members_with(3, dossier=[4.0, 2.0, 0.0], new_marks=[0.0, 1.0, 2.0])
    update_dossiers(cols, np.array([1, 2], dtype=np.int32), 0.25)
    np.testing.assert_array_equal(members.dossier, [3.0, 2.5, 2.0])  # (1 - d) D + M
    assert repression.dossier_decay(4.0, 0.25) == 3.0


def take(candidates, dossier, quota, random_share, rng):
    """A campaign's choice as the model makes it: quota capped at the candidates."""
    quota = min(int(quota), candidates.size)
    if quota <= 0:
        return np.empty(0, dtype=np.int32), 0
    candidates = candidates.astype(np.int32)
    suspects = candidates[dossier[candidates] > 0]
    flags = np.zeros(dossier.size, dtype=np.uint8)
    key = np.uint64(rng.integers(2**63))
    chosen, at_random = quota_choice(
        candidates, suspects, dossier, flags, quota, random_share, rng, key
    )
    assert not flags.any()  # the scratch bit is cleared again
    return chosen, at_random


def test_dossier_places_round_half_to_even():
    assert repression.dossier_places(10, 0.3) == 7
    assert repression.dossier_places(5, 0.5) == 3  # round(2.5) == 2
    assert repression.dossier_places(4, 0.0) == 4


def test_quota_choice_takes_highest_dossiers_first():
    rng = np.random.default_rng(0)
    candidates = np.arange(10)
    dossier = np.array([0.0, 5.0, 1.0, 0.0, 3.0, 0.0, 4.0, 0.0, 2.0, 0.0])
    chosen, at_random = take(candidates, dossier, 3, 0.0, rng)
    assert sorted(chosen.tolist()) == [1, 4, 6]
    assert at_random == 0
    # Candidates outside the list are never taken, however high their dossier.
    chosen, _ = take(np.array([0, 2, 3, 8]), dossier, 2, 0.0, rng)
    assert sorted(chosen.tolist()) == [2, 8]


def test_quota_choice_fills_at_random_when_suspects_run_short():
    rng = np.random.default_rng(1)
    candidates = np.arange(100)
    dossier = np.zeros(100)
    dossier[[7, 50]] = [2.0, 1.0]
    chosen, at_random = take(candidates, dossier, 10, 0.0, rng)
    assert chosen.size == 10
    assert len(set(chosen.tolist())) == 10
    assert {7, 50} <= set(chosen.tolist())
    assert at_random == 8
    assert set(chosen.tolist()) <= set(candidates.tolist())


def test_quota_choice_random_share_and_caps():
    rng = np.random.default_rng(2)
    candidates = np.arange(50)
    dossier = np.arange(50, dtype=float)  # everyone but 0 is a suspect; 49 the worst
    chosen, at_random = take(candidates, dossier, 10, 0.3, rng)
    # 7 by dossier (the top seven), 3 at random from the rest.
    assert at_random == 3
    assert set(range(43, 50)) <= set(chosen.tolist())
    assert len(set(chosen.tolist())) == 10
    # The quota is capped at the candidates; a zero quota takes nobody.
    chosen, at_random = take(np.arange(5), dossier, 99, 0.0, rng)
    assert sorted(chosen.tolist()) == [0, 1, 2, 3, 4]
    assert at_random == 1  # member 0 has no marks: taken at random
    chosen, at_random = take(candidates, dossier, 0, 0.0, rng)
    assert chosen.size == 0
    assert at_random == 0


@given(
    n=st.integers(1, 60),
    quota=st.integers(0, 80),
    random_share=st.floats(0.0, 1.0),
    marked=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_quota_choice_properties(n, quota, random_share, marked, seed):
    rng = np.random.default_rng(seed)
    candidates = np.sort(rng.choice(200, size=n, replace=False))
    dossier = np.where(rng.random(200) < marked, rng.integers(1, 5, size=200), 0).astype(float)
    chosen, at_random = take(candidates, dossier, quota, random_share, rng)
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


@pytest.mark.parametrize("arrested_ties", [1, 2, 5])
def test_association_marks_with_one_minus_the_chance_of_escaping_every_arrest(arrested_ties):
    """A member with k arrested ties is marked with P = 1 - (1 - p)^k, once at most."""
    per_tie, trials = 0.2, 4000
    network = SparseNetwork.from_pairs(
        arrested_ties + 1, np.zeros(arrested_ties), np.arange(1, arrested_ties + 1)
    )
    arrested = np.arange(1, arrested_ties + 1, dtype=np.int32)
    status = np.full(arrested_ties + 1, Status.ACTIVE, dtype=np.int8)
    status[arrested] = Status.IMPRISONED
    members, cols = members_with(arrested_ties + 1, status=status)
    marked = 0
    for trial in range(trials):
        members.new_marks = 0.0
        pending = np.zeros(arrested_ties + 1, dtype=np.int32)
        count = associate(
            arrested, arrested_ties + 1, cols, network.ties(), pending, 0, per_tie,
            np.uint64(1_000_003 * trial + 17),
        )  # fmt: skip
        assert count == int(members.new_marks[0])  # at most one mark, for the free member only
        marked += count
    expected = 1.0 - (1.0 - per_tie) ** arrested_ties
    sd = np.sqrt(expected * (1.0 - expected) / trials)
    assert abs(marked / trials - expected) < 5 * sd


def test_denunciation_probability_formula():
    for weight in (0.0, 1.0, 3.0):
        expected = 1 - np.exp(-0.2 * weight)
        assert repression.denunciation_probability(weight, 0.2) == pytest.approx(expected)
    # Each hearer counts 1 + f fear: the afraid report more.
    assert repression.hearer_weight(0.5, 2.0) == 2.0
    assert repression.false_report_rate(0.1, 0.5, 4) == pytest.approx(0.2)


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
    # fear <- (1 - d) f + (1 - (1 - d) f)(1 - exp(-g k)), with d = 0.1 and g = 0.7
    for f, k in ((0.0, 0), (0.5, 0), (0.5, 2), (1.0, 1)):
        kept = fear.fear_decay(f, 0.1)
        new = fear.fear_gain(kept, fear.fear_learning(0.7, k))
        kept_exactly = float(np.float32(0.9)) * f  # the factor is the column's float32
        assert new == pytest.approx(kept_exactly + (1 - kept_exactly) * (1 - np.exp(-0.7 * k)))
    assert fear.fear_gain(fear.fear_decay(0.0, 0.1), fear.fear_learning(0.7, 0)) == 0.0
    assert fear.fear_decay(0.5, 0.1) == pytest.approx(0.45)  # decay only


@given(
    f=st.floats(0.0, 1.0),
    k=st.integers(0, 50),
    gain=st.floats(0.0, 10.0),
    decay=st.floats(0.0, 1.0),
)
def test_fear_stays_in_unit_interval(f, k, gain, decay):
    kept = fear.fear_decay(f, decay)
    new = fear.fear_gain(kept, fear.fear_learning(gain, k))
    assert 0.0 <= new <= 1.0
    if k > 0 and gain > 0:
        assert new >= kept


@pytest.mark.parametrize("complete", [False, True])
def test_learning_from_ties_one_by_one_is_learning_from_them_at_once(complete):
    """The pass: a member with k punished ties ends at the rule's fear for k (to float32)."""
    # Member 0 is tied to 1, 2 and 3 (on the complete network, to everyone).
    network = (
        CompleteNetwork(4) if complete else SparseNetwork.from_pairs(4, np.zeros(3), [1, 2, 3])
    )
    members, cols = members_with(4, fear=[0.5, 0.0, 0.2, 0.0])
    fear_column = members.fear
    punished = np.array([1, 2, 3], dtype=np.int32)
    learn_fear(punished, 4, cols, network.ties(), 0.1, 0.7)
    kept = fear.fear_decay(np.float32(0.5), 0.1)
    expected = fear.fear_gain(kept, fear.fear_learning(0.7, 3))
    assert fear_column[0] == pytest.approx(expected, rel=1e-6)
    # The punished: on the sparse network they have no punished ties (only decay) ...
    if not complete:
        np.testing.assert_array_equal(
            fear_column[1:], np.float32([0.0, 0.2 * np.float32(0.9), 0.0])
        )
