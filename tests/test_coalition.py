"""The ruling coalition of Acemoglu, Egorov & Sonin (2008): cases, properties, bad input."""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.model.rules.coalition import MAX_PLAYERS, is_self_enforcing, ruling_coalition


def players(mask: np.ndarray) -> set[int]:
    """The players of a boolean mask."""
    return set(np.flatnonzero(mask).tolist())


def definition(power: tuple[float, ...], alpha: float) -> frozenset[int]:
    """Phi(N) written straight from AES's recursive definition, over sets (small N only)."""

    def power_of(group: frozenset[int]) -> float:
        return sum(power[i] for i in group)

    @cache
    def self_enforcing(group: frozenset[int]) -> bool:
        if power_of(group) <= 0:
            return False
        return not any(
            self_enforcing(frozenset(sub))
            for size in range(1, len(group))
            for sub in combinations(sorted(group), size)
            if power_of(frozenset(sub)) > alpha * power_of(group)
        )

    everyone = frozenset(range(len(power)))
    candidates = [
        frozenset(sub)
        for size in range(1, len(power) + 1)
        for sub in combinations(range(len(power)), size)
        if power_of(frozenset(sub)) > alpha * power_of(everyone) and self_enforcing(frozenset(sub))
    ]
    return min(candidates, key=power_of)


any_powers = st.lists(st.integers(0, 30), min_size=1, max_size=9).filter(lambda p: sum(p) > 0)
# Adding distinct powers of one half makes every subset sum distinct (AES's genericity),
# exactly in floating point.
generic_powers = any_powers.map(
    lambda power: np.array(power, dtype=np.float64) + 2.0 ** -np.arange(1, len(power) + 1)
)
alphas = st.sampled_from([0.5, 0.55, 0.6, 2 / 3, 0.75, 0.9])


def test_three_players_without_a_majority_all_rule_together():
    # With alpha = 1/2 every pair is winning but not self-enforcing (its stronger member is
    # winning alone), and no single player is winning: the three rule together.
    assert players(ruling_coalition(np.array([3.0, 4.0, 5.0]))) == {0, 1, 2}
    for pair in ([True, True, False], [True, False, True], [False, True, True]):
        assert not is_self_enforcing(np.array([3.0, 4.0, 5.0]), np.array(pair))


def test_a_player_with_more_than_alpha_of_the_power_rules_alone():
    assert players(ruling_coalition(np.array([1.0, 2.0, 4.0]))) == {2}
    # Not at a higher alpha: 4 of 7 is not more than 0.6 of 7.
    assert players(ruling_coalition(np.array([1.0, 2.0, 4.0]), alpha=0.6)) == {0, 1, 2}


def test_the_strongest_player_can_be_left_out():
    # 10 of 22 is no majority; {3, 4, 5} has 12 and is self-enforcing, while every winning
    # coalition with the strongest lets him win alone within it.
    assert players(ruling_coalition(np.array([3.0, 4.0, 5.0, 10.0]))) == {0, 1, 2}


def test_two_players_never_hold_together_under_majority_rule():
    assert players(ruling_coalition(np.array([3.0, 4.0]))) == {1}
    assert not is_self_enforcing(np.array([3.0, 4.0]), np.array([True, True]))


def test_members_restrict_the_game_and_the_result_is_over_all_players():
    power = np.array([3.0, 4.0, 5.0, 10.0, 7.0])
    members = np.array([True, False, True, True, False])
    result = ruling_coalition(power, members=members)
    assert result.shape == (5,)
    assert players(result) <= {0, 2, 3}
    assert players(result) == {3}  # 10 of 18 is a majority


def test_near_equal_powers_give_sizes_two_to_the_k_minus_one():
    sizes = []
    for count in range(1, 17):
        power = 1.0 + 1e-3 * np.random.default_rng(count).random(count)
        sizes.append(int(ruling_coalition(power).sum()))
    assert sizes == [1, 1, 3, 3, 3, 3, 7, 7, 7, 7, 7, 7, 7, 7, 15, 15]


def test_ties_go_to_fewer_members_then_earlier_players():
    # Powers 1, 1, 2, 2 (total 6): {2, 3}, {0, 1, 2} and {0, 1, 3} all have power 4, are
    # winning and self-enforcing (two equal players: neither is more than half); fewer wins.
    assert players(ruling_coalition(np.array([1.0, 1.0, 2.0, 2.0]))) == {2, 3}
    # Powers 1, 2, 2, 2: the three equal pairs tie; the earliest players take it.
    assert players(ruling_coalition(np.array([1.0, 2.0, 2.0, 2.0]))) == {1, 2}
    # Equal powers are not generic: an equal pair holds, so four equal players hold too.
    assert players(ruling_coalition(np.ones(4))) == {0, 1, 2, 3}
    # A zero-power player adds nothing: the coalition without him is as strong and smaller.
    assert players(ruling_coalition(np.array([3.0, 4.0, 5.0, 0.0]))) == {0, 1, 2}
    assert not is_self_enforcing(np.array([3.0, 4.0, 5.0, 0.0]), np.ones(4, dtype=bool))


@pytest.mark.parametrize(
    ("power", "alpha", "members", "message"),
    [
        (np.array([1.0, -1.0]), 0.5, None, "non-negative"),
        (np.array([1.0, np.nan]), 0.5, None, "finite"),
        (np.array([1.0, 2.0]), 0.49, None, "alpha"),
        (np.array([1.0, 2.0]), 1.0, None, "alpha"),
        (np.zeros(3), 0.5, None, "no power"),
        (np.ones(MAX_PLAYERS + 1), 0.5, None, "at most"),
        (np.ones(3), 0.5, np.array([1, 0, 1]), "boolean mask"),
        (np.ones(3), 0.5, np.array([True, False]), "boolean mask"),
        (np.ones((2, 2)), 0.5, None, "one-dimensional"),
    ],
)
def test_bad_input_is_refused_in_one_line(power, alpha, members, message):
    with pytest.raises(ValueError, match=message):
        ruling_coalition(power, alpha, members)


def test_many_players_are_fine_when_only_a_few_are_members():
    power = np.arange(1.0, 41.0)
    members = np.zeros(40, dtype=bool)
    members[[0, 1, 2]] = True
    assert players(ruling_coalition(power, members=members)) == {0, 1, 2}


@settings(max_examples=150, deadline=None)
@given(any_powers, alphas)
def test_the_rule_matches_the_definition_written_over_sets(power, alpha):
    gamma = np.array(power, dtype=np.float64)
    expected = definition(tuple(power), alpha)
    result = players(ruling_coalition(gamma, alpha))
    # With ties the definition leaves the choice open: the power must match, the set only
    # when the powers are generic.
    assert sum(power[i] for i in result) == sum(power[i] for i in expected)
    assert is_self_enforcing(gamma, ruling_coalition(gamma, alpha), alpha)


@settings(max_examples=150, deadline=None)
@given(generic_powers, alphas)
def test_generic_powers_give_the_definitions_unique_coalition(gamma, alpha):
    assert players(ruling_coalition(gamma, alpha)) == set(definition(tuple(gamma), alpha))


@settings(max_examples=200, deadline=None)
@given(any_powers, alphas)
def test_the_result_is_winning_self_enforcing_and_stable(power, alpha):
    gamma = np.array(power, dtype=np.float64)
    result = ruling_coalition(gamma, alpha)
    assert result.any()
    assert gamma[result].sum() > alpha * gamma.sum()
    assert is_self_enforcing(gamma, result, alpha)
    # Phi(Phi(N)) = Phi(N): the ruling coalition does not break up further.
    assert np.array_equal(ruling_coalition(gamma, alpha, members=result), result)
    # Nobody with zero power shares rule.
    assert result.sum() == 1 or np.all(gamma[result] > 0)


@settings(max_examples=150, deadline=None)
@given(any_powers, alphas)
def test_a_player_above_alpha_of_the_total_rules_alone(power, alpha):
    gamma = np.array(power, dtype=np.float64)
    strongest = int(np.argmax(gamma))
    gamma[strongest] = alpha / (1 - alpha) * (gamma.sum() - gamma[strongest]) + 1.0
    assert players(ruling_coalition(gamma, alpha)) == {strongest}


@settings(max_examples=150, deadline=None)
@given(generic_powers)
def test_no_two_player_coalition_is_self_enforcing_under_majority_rule(gamma):
    for pair in combinations(range(gamma.size), 2):
        mask = np.zeros(gamma.size, dtype=bool)
        mask[list(pair)] = True
        assert not is_self_enforcing(gamma, mask)


@settings(max_examples=100, deadline=None)
@given(generic_powers, alphas, st.randoms(use_true_random=False))
def test_the_order_of_players_does_not_matter_for_generic_power(gamma, alpha, shuffle):
    order = list(range(gamma.size))
    shuffle.shuffle(order)
    result = ruling_coalition(gamma, alpha)
    permuted = ruling_coalition(gamma[order], alpha)
    assert players(result) == {order[i] for i in players(permuted)}
