"""The leader's adaptive policy: the "target" controller and DAF's adaptive authority (ODD 7.8).

The "daymude" objective is Daymude, Axelrod & Forrest's (2025) random mutation hill climb on
tolerance, surveillance and severity against alpha x voiced dissent + the cost of punishing;
these tests pin its step, its acceptance rule, its bounds, its cost and its dispatch. Its
published result (bold early dissent deters hardening) is checked in
tests/test_validation_science.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.model.party import PartyModel
from simulation.model.rules import leadership
from simulation.model.rules.leadership import AuthorityMonth, AuthoritySearch
from simulation.scenario.schema import Hardening, Policy
from simulation.validation.setup import load

POLICY = Policy(tolerance=0.25, surveillance=0.1, severity=0.1)
DAYMUDE = Hardening(enabled=True, objective="daymude", max_surveillance=1.0, max_severity=100.0)


def point(policy: Policy) -> tuple[float, float, float]:
    return (policy.tolerance, policy.surveillance, policy.severity)


def test_first_month_keeps_the_policy_in_force_and_moves_one_instrument():
    # draws (0.0, 1.0): tolerance moves to the top of [tau - eps, tau + eps].
    policy, search = leadership.search_policy(
        POLICY, DAYMUDE, None, AuthorityMonth(0.4, (0.0, 1.0))
    )
    assert search.kept == (0.25, 0.1, 0.1)
    assert point(policy) == pytest.approx((0.30, 0.1, 0.1))
    assert search.tried == point(policy) and search.cost == 0.4
    # draws (0.5, 0.0): surveillance moves to the bottom of its window.
    policy, _ = leadership.search_policy(POLICY, DAYMUDE, None, AuthorityMonth(0.4, (0.5, 0.0)))
    assert point(policy) == pytest.approx((0.25, 0.05, 0.1))
    # draws (0.99, 0.0): severity moves to the bottom of its window, 0.1 - 0.05.
    policy, _ = leadership.search_policy(POLICY, DAYMUDE, None, AuthorityMonth(0.4, (0.99, 0.0)))
    assert point(policy) == pytest.approx((0.25, 0.1, 0.05))


def test_a_step_is_kept_unless_the_cost_rose_and_then_undone():
    _, search = leadership.search_policy(POLICY, DAYMUDE, None, AuthorityMonth(0.4, (0.0, 1.0)))
    tried = POLICY.model_copy(
        update=dict(zip(("tolerance", "surveillance", "severity"), search.tried, strict=True))
    )
    # Cost fell (0.3 <= 0.4): the step is kept; the next step starts from it.
    _, kept = leadership.search_policy(tried, DAYMUDE, search, AuthorityMonth(0.3, (0.5, 0.5)))
    assert kept.kept == pytest.approx((0.30, 0.1, 0.1))
    # Cost equal: kept too (DAF keep a step unless it is strictly worse).
    _, equal = leadership.search_policy(tried, DAYMUDE, search, AuthorityMonth(0.4, (0.5, 0.5)))
    assert equal.kept == pytest.approx((0.30, 0.1, 0.1))
    # Cost rose: back to the policy kept before, and the next step is taken from there.
    policy, undone = leadership.search_policy(
        tried, DAYMUDE, search, AuthorityMonth(0.5, (0.5, 0.5))
    )
    assert undone.kept == (0.25, 0.1, 0.1)
    assert point(policy) == pytest.approx((0.25, 0.1, 0.1))
    # The comparison is with last month's cost, whatever was kept (as DAF's rounds).
    assert undone.cost == 0.5


def test_an_event_that_moved_the_policy_restarts_the_search_from_it():
    _, search = leadership.search_policy(POLICY, DAYMUDE, None, AuthorityMonth(0.4, (0.0, 1.0)))
    decreed = POLICY.model_copy(update={"tolerance": 0.05})
    _, after = leadership.search_policy(decreed, DAYMUDE, search, AuthorityMonth(9.0, (0.5, 0.5)))
    assert after.kept == (0.05, 0.1, 0.1)


@given(
    tolerance=st.floats(0.0, 1.0),
    surveillance=st.floats(0.0, 1.0),
    severity=st.floats(0.0, 20.0),
    which=st.floats(0.0, 0.999999),
    where=st.floats(0.0, 0.999999),
)
def test_one_instrument_moves_at_most_epsilon_and_stays_in_bounds(
    tolerance, surveillance, severity, which, where
):
    bounded = Hardening(
        enabled=True,
        objective="daymude",
        min_tolerance=0.1,
        max_surveillance=0.9,
        max_severity=10.0,
    )
    policy = Policy(tolerance=tolerance, surveillance=surveillance, severity=severity)
    new, _ = leadership.search_policy(policy, bounded, None, AuthorityMonth(0.0, (which, where)))
    before, after = point(policy), point(new)
    moved = [i for i in range(3) if after[i] != before[i]]
    assert len(moved) <= 1
    for i in moved:
        assert abs(after[i] - before[i]) <= bounded.search_step + 1e-12
        low, high = (0.1, 0.0, 0.0)[i], (1.0, 0.9, 10.0)[i]
        assert low - 1e-12 <= after[i] <= high + 1e-12


def test_the_search_loosens_as_well_as_tightens():
    # Draw 0.0 for the value: the bottom of the window, i.e. lower tolerance (tighter) ...
    tighter, _ = leadership.search_policy(POLICY, DAYMUDE, None, AuthorityMonth(0.0, (0.0, 0.0)))
    # ... and the top: higher tolerance (looser); severity and surveillance likewise.
    looser, _ = leadership.search_policy(POLICY, DAYMUDE, None, AuthorityMonth(0.0, (0.0, 1.0)))
    milder, _ = leadership.search_policy(POLICY, DAYMUDE, None, AuthorityMonth(0.0, (0.9, 0.0)))
    assert tighter.tolerance < 0.25 < looser.tolerance
    assert milder.severity < 0.1


def test_punishment_and_authority_cost():
    dissent = np.array([0.3, 0.5, 0.2], dtype=np.float32)
    assert leadership.punishment_cost(dissent, 0.25, 2.0, "uniform") == 6.0
    # Proportional: psi (a - tau) for those above tau, nothing for the one below.
    assert leadership.punishment_cost(dissent, 0.25, 2.0, "proportional") == pytest.approx(
        2 * 0.3, rel=1e-6
    )
    # C = (alpha sum a + punishing) / speakers.
    assert leadership.authority_cost(40.0, 6.0, 100, 0.5) == pytest.approx(0.26)
    assert leadership.authority_cost(0.0, 0.0, 0, 1.0) == 0.0


def test_adapt_dispatches_on_the_objective():
    def never() -> AuthorityMonth:
        raise AssertionError("the target controller observes no cost")

    target = Hardening(enabled=True)
    policy, search = leadership.adapt(POLICY, target, 0.5, None, never)
    assert policy == leadership.harden(POLICY, target, 0.5) and search is None
    off = Hardening(enabled=False, objective="daymude")
    assert leadership.adapt(POLICY, off, 0.5, None, never) == (POLICY, None)
    policy, search = leadership.adapt(
        POLICY, DAYMUDE, 0.5, None, lambda: AuthorityMonth(1.0, (0.0, 1.0))
    )
    assert isinstance(search, AuthoritySearch) and policy.tolerance == pytest.approx(0.3)


def test_daymude_objective_in_the_running_model_is_seeded_and_observed():
    overrides = {"population.size": 300, "end": "1933-12"}
    runs = []
    for _ in range(2):
        model = PartyModel(load("daymude_authority", overrides), seed=3)
        model.run()
        runs.append((point(model.policy), model.authority))
    assert runs[0] == runs[1]
    (tolerance, surveillance, severity), search = runs[0]
    assert search.tried == (tolerance, surveillance, severity)
    assert math.isfinite(search.cost) and search.cost > 0
    # The policy moved from where it started.
    assert (tolerance, surveillance, severity) != (0.25, 0.1, 0.1)


@pytest.mark.parametrize(("boldness", "silenced"), [(0.25, True), (3.0, False)])
def test_proportional_punishment_timid_silenced_bold_loosen(boldness, silenced):
    """As DAF's proportional trials (mean boldness 1 suppressed, 3 not), on this model's game."""
    overrides = {
        "voice.punishment": "proportional",
        "population.size": 500,
        "population.boldness_mean": boldness,
        "population.boldness_sd": boldness,
        "end": "1957-12",
    }
    model = PartyModel(load("daymude_authority", overrides), seed=1)
    voiced = desired = 0.0
    for month in range(408):
        model.step()
        if month >= 396:
            voiced += model.tally["voiced"]
            desired += model.tally["desired"]
    if silenced:
        assert voiced / desired < 0.25
        assert model.policy.tolerance < 0.1
    else:
        assert voiced / desired > 0.9
        assert model.policy.tolerance > 0.5
