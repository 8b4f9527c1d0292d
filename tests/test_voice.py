"""The voice-or-conform decision against Daymude, Axelrod & Forrest (2025), arXiv:2509.03731.

With the extensions off (fear_weight = 0, social_proof = 0) :func:`dissent_choice` must be the
paper's closed form, which in turn must be the maximiser of

    U(a) = beta a - (nu + (1 - nu) a) pi(a),   a in [0, delta],

with pi(a) = psi [a > tau] (uniform) or psi (a - tau)^+ (proportional). Both are checked: the
closed form is re-derived here independently, and a brute-force search over a fine grid of a
must not find anything better.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from simulation.model.rules import voice
from simulation.model.rules.voice import Regime

# Extreme parameters must not make numpy warn (overflow, 0/0): results are meant.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

GRID = 4001

unit = st.floats(0.0, 1.0, allow_nan=False)
edge_unit = st.one_of(st.just(0.0), st.just(1.0), unit)
boldness = st.one_of(st.just(0.0), st.floats(0.0, 3.0, allow_nan=False))
severity = st.one_of(st.just(0.0), st.floats(0.0, 5.0, allow_nan=False))
punishments = st.sampled_from(["uniform", "proportional"])


def utility(a, beta, tau, nu, psi, punishment):
    """DAF's utility of voicing dissent a (vectorised over a)."""
    a = np.asarray(a, dtype=np.float64)
    uniform = punishment == "uniform"
    pi = np.where(a > tau, psi, 0.0) if uniform else psi * np.maximum(a - tau, 0.0)
    return beta * a - (nu + (1.0 - nu) * a) * pi


def closed_form(delta, beta, tau, nu, psi, punishment):
    """The paper's regimes, written out case by case (scalar, independent of the package)."""
    if delta <= tau:
        return delta  # comply: everything one wants to say is tolerated
    if punishment == "uniform":
        slope = beta - (1.0 - nu) * psi
        if slope > 0 and delta > (beta * tau + nu * psi) / slope:
            return delta  # defy
        return tau  # self-censor
    if psi <= 0:
        return delta  # nothing to fear
    if nu >= 1.0:
        return delta if beta >= psi else tau  # U is linear beyond tau
    interior = (tau + (beta - nu * psi) / ((1.0 - nu) * psi)) / 2.0
    if interior <= tau:
        return tau
    return min(delta, interior)


def choose(delta, beta, tau, nu, psi, punishment):
    """The package's choice for one member: the rule the monthly pass calls."""
    return float(voice.dissent_choice(delta, beta, tau, nu, psi, punishment == "proportional"))


def choose_all(deltas, betas, tau, nu, psi, punishment):
    """:func:`choose` for each member of a list."""
    return np.array(
        [choose(d, b, tau, nu, psi, punishment) for d, b in zip(deltas, betas, strict=True)]
    )


# ---------------------------------------------------------------------------- closed forms
@given(delta=unit, beta=boldness, tau=edge_unit, nu=edge_unit, psi=severity, punishment=punishments)
def test_dissent_choice_is_the_papers_closed_form(delta, beta, tau, nu, psi, punishment):
    assert choose(delta, beta, tau, nu, psi, punishment) == closed_form(
        delta, beta, tau, nu, psi, punishment
    )


@given(delta=unit, beta=boldness, tau=edge_unit, nu=edge_unit, psi=severity, punishment=punishments)
def test_no_dissent_on_a_fine_grid_does_better(delta, beta, tau, nu, psi, punishment):
    chosen = choose(delta, beta, tau, nu, psi, punishment)
    assert 0.0 <= chosen <= delta
    grid = np.linspace(0.0, delta, GRID)
    grid = np.concatenate((grid, [min(tau, delta)]))  # the self-censoring point exactly
    best = utility(grid, beta, tau, nu, psi, punishment).max()
    achieved = float(utility(chosen, beta, tau, nu, psi, punishment))
    scale = 1.0 + beta + psi
    # Nothing on the grid beats the closed form (up to rounding) ...
    assert achieved >= best - 1e-12 * scale
    # ... and the closed form is no better than the grid can resolve: a concave quadratic
    # beyond tau loses at most (1 - nu) psi (h / 2)^2 between grid points.
    step = delta / (GRID - 1)
    assert achieved <= best + (1.0 - nu) * psi * step**2 + 1e-12 * scale


@given(delta=unit, beta=boldness, tau=unit, nu=unit, psi=severity)
def test_uniform_regime_agrees_with_brute_force_when_not_a_tie(delta, beta, tau, nu, psi):
    """The brute-force argmax names the same regime unless two regimes are nearly as good."""
    grid = np.concatenate((np.linspace(0.0, delta, GRID), [min(tau, delta)]))
    values = utility(grid, beta, tau, nu, psi, "uniform")
    comply_or_censor = float(utility(min(tau, delta), beta, tau, nu, psi, "uniform"))
    defy = float(utility(delta, beta, tau, nu, psi, "uniform"))
    assume(delta <= tau or abs(defy - comply_or_censor) > 1e-9)
    brute = grid[int(np.argmax(values))]
    chosen = choose(delta, beta, tau, nu, psi, "uniform")
    if delta <= tau:
        assert chosen == delta
    elif defy > comply_or_censor:
        assert chosen == delta
        assert brute == pytest.approx(delta)
    else:
        # Self-censor: the best the grid finds lies within tolerance (with beta = 0 every
        # a <= tau is equally good, so the argmax itself need not be tau).
        assert chosen == tau
        assert brute <= tau


# ---------------------------------------------------------------------------- uniform regimes
def test_uniform_three_regimes_by_hand():
    # beta = 0.5, tau = 0.2, nu = 0.1, psi = 0.3: slope 0.23, tipping point 0.13 / 0.23.
    tipping = (0.5 * 0.2 + 0.1 * 0.3) / (0.5 - 0.9 * 0.3)
    assert tipping == pytest.approx(0.5652173913043478)
    delta = np.array([0.0, 0.1, 0.2, 0.3, 0.5, 0.56, 0.57, 0.8, 1.0])
    a = choose_all(delta, np.full(delta.size, 0.5), 0.2, 0.1, 0.3, "uniform")
    np.testing.assert_array_equal(a, [0.0, 0.1, 0.2, 0.2, 0.2, 0.2, 0.57, 0.8, 1.0])
    regimes = voice.classify(delta, a, 0.2)
    assert list(regimes) == [Regime.COMPLY] * 3 + [Regime.SELF_CENSOR] * 3 + [Regime.DEFY] * 3


@given(
    beta=st.floats(0.05, 3.0),
    tau=st.floats(0.0, 0.9),
    nu=st.floats(0.0, 0.99),
    where=st.floats(0.01, 0.99),
)
def test_uniform_jump_at_the_tipping_point(beta, tau, nu, where):
    """Dissent jumps from tau to the tipping point: there is no voice in between."""
    # Choose the severity that puts the tipping point a share `where` of the way from tau to 1.
    target = tau + where * (1.0 - tau)
    psi = beta * (target - tau) / (target * (1.0 - nu) + nu)
    slope = beta - (1.0 - nu) * psi
    assume(slope > 1e-6)
    tipping = (beta * tau + nu * psi) / slope
    assume(tau + 1e-6 < tipping < 1.0 - 1e-6)
    below = np.nextafter(tipping, -np.inf)
    above = np.nextafter(tipping, np.inf)
    assert choose(below, beta, tau, nu, psi, "uniform") == tau
    assert choose(tipping, beta, tau, nu, psi, "uniform") == tau  # a tie self-censors
    assert choose(above, beta, tau, nu, psi, "uniform") == above
    jump = above - tau
    assert jump == pytest.approx(tipping - tau)
    assert jump > 0
    # At the tipping point the member is indifferent between censoring and defying.
    u_censor = utility(tau, beta, tau, nu, psi, "uniform")
    u_defy = utility(tipping, beta, tau, nu, psi, "uniform")
    assert u_defy == pytest.approx(u_censor, abs=1e-9 * (1 + beta + psi))
    # No member of any desired dissent says anything strictly between tau and the tipping point.
    deltas = np.linspace(0.0, 1.0, 2001)
    said = choose_all(deltas, np.full(deltas.size, beta), tau, nu, psi, "uniform")
    assert not np.any((said > tau) & (said < tipping - 1e-12))


@given(beta=boldness, tau=st.floats(0.0, 0.9), nu=st.floats(0.0, 0.99), psi=st.floats(0.01, 5.0))
def test_uniform_severity_above_beta_over_one_minus_nu_silences_everyone(beta, tau, nu, psi):
    assume(psi >= beta / (1.0 - nu))
    deltas = np.linspace(0.0, 1.0, 101)
    said = choose_all(deltas, np.full(deltas.size, beta), tau, nu, psi, "uniform")
    np.testing.assert_array_equal(said, np.minimum(deltas, tau))


# ---------------------------------------------------------------------------- proportional
def test_proportional_interior_optimum_by_hand():
    # a* = (tau + (beta - nu psi) / ((1 - nu) psi)) / 2 = (0.2 + 0.5 / 1.0) / 2 = 0.35
    # for beta = 0.5, tau = 0.2, nu = 0, psi = 1.
    delta = np.array([0.1, 0.2, 0.3, 0.35, 0.6, 1.0])
    a = choose_all(delta, np.full(delta.size, 0.5), 0.2, 0.0, 1.0, "proportional")
    np.testing.assert_allclose(a, [0.1, 0.2, 0.3, 0.35, 0.35, 0.35], rtol=0, atol=1e-15)
    regimes = voice.classify(delta, a, 0.2)
    assert list(regimes[:2]) == [Regime.COMPLY, Regime.COMPLY]
    assert list(regimes[2:4]) == [Regime.DEFY, Regime.DEFY]  # says all of a small dissent
    assert list(regimes[4:]) == [Regime.SELF_CENSOR, Regime.SELF_CENSOR]


def test_proportional_edge_cases():
    delta = np.array([0.1, 0.5, 0.9])
    beta = np.full(3, 0.4)
    # a* at or below tau: self-censor at tau (beta - nu psi < 0 here).
    a = choose_all(delta, beta, 0.2, 0.5, 2.0, "proportional")
    np.testing.assert_array_equal(a, [0.1, 0.2, 0.2])
    # No severity: say everything.
    a = choose_all(delta, beta, 0.2, 0.5, 0.0, "proportional")
    np.testing.assert_array_equal(a, delta)
    # Perfect surveillance: U is linear beyond tau with slope beta - psi.
    a = choose_all(delta, beta, 0.2, 1.0, 0.3, "proportional")
    np.testing.assert_array_equal(a, delta)
    a = choose_all(delta, beta, 0.2, 1.0, 0.5, "proportional")
    np.testing.assert_array_equal(a, [0.1, 0.2, 0.2])


@given(beta=boldness, tau=unit, nu=st.floats(0.0, 0.99), psi=severity)
def test_proportional_choice_is_continuous_in_desired_dissent(beta, tau, nu, psi):
    """Unlike uniform punishment, proportional punishment has no jump (DAF 2025)."""
    deltas = np.linspace(0.0, 1.0, 1001)
    said = choose_all(deltas, np.full(deltas.size, beta), tau, nu, psi, "proportional")
    assert np.all(np.abs(np.diff(said)) <= np.diff(deltas) + 1e-12)


@given(
    delta=unit,
    beta=boldness,
    tau=unit,
    nu=unit,
    psi=severity,
    more=st.floats(0.0, 5.0),
    punishment=punishments,
)
def test_dissent_never_rises_with_severity(delta, beta, tau, nu, psi, more, punishment):
    assert choose(delta, beta, tau, nu, psi + more, punishment) <= choose(
        delta, beta, tau, nu, psi, punishment
    )


# ---------------------------------------------------------------------------- perceived severity
@given(
    psi=severity,
    fear=st.lists(unit, min_size=1, max_size=20),
    open_share=unit,
)
def test_perceived_severity_with_weights_zero_is_the_announced_severity(psi, fear, open_share):
    for f in fear:
        assert voice.perceived_severity(psi, f, 0.0, open_share, 0.0) == psi


def test_perceived_severity_by_hand():
    # Fear raises it: psi (1 + w_f fear).
    assert [voice.perceived_severity(2.0, f, 1.0, 0.0, 0.0) for f in (0.0, 0.5, 1.0)] == [
        2.0,
        3.0,
        4.0,
    ]
    # Social proof lowers it: psi max(0, 1 - w_s open_share), never below zero.
    assert [voice.perceived_severity(2.0, 0.0, 0.0, o, 2.0) for o in (0.0, 0.25, 0.75)] == [
        2.0,
        1.0,
        0.0,
    ]
    # Both: (1 + 1 * 0.5) * (1 - 2 * 0.25) * 2 = 1.5.
    assert voice.perceived_severity(2.0, 0.5, 1.0, 0.25, 2.0) == pytest.approx(1.5)


@given(
    psi=st.floats(0.01, 5.0),
    fear=st.floats(0.01, 1.0),
    weight=st.floats(0.01, 5.0),
    open_share=st.floats(0.01, 1.0),
    proof=st.floats(0.01, 5.0),
)
def test_fear_raises_and_social_proof_lowers_perceived_severity(
    psi, fear, weight, open_share, proof
):
    announced = voice.perceived_severity(psi, 0.0, 0.0, 0.0, 0.0)
    assert voice.perceived_severity(psi, fear, weight, 0.0, 0.0) > announced
    assert voice.perceived_severity(psi, 0.0, 0.0, open_share, proof) < announced


def test_open_share_by_hand():
    assert voice.open_share(1, 4) == 0.25
    assert voice.open_share(0, 0) == 0.0  # no active ties: nobody to take heart from


# ---------------------------------------------------------------------------- helpers
def test_desired_dissent_and_expressed_position():
    belief = [-1.0, -0.5, 0.0, 0.5, 1.0]
    delta = [voice.desired_dissent(b, 0.0) for b in belief]
    assert delta == [0.5, 0.25, 0.0, 0.25, 0.5]
    # Saying all of one's dissent is saying one's belief; saying none is saying the line.
    said = voice.expressed_position
    assert [said(0.0, b, d) for b, d in zip(belief, delta, strict=True)] == belief
    assert [said(0.0, b, 0.0) for b in belief] == [0.0] * 5
    assert [said(0.0, b, min(d, 0.1)) for b, d in zip(belief, delta, strict=True)] == [
        -0.2,
        -0.2,
        0.0,
        0.2,
        0.2,
    ]


def test_deviation_is_dissent_above_tolerance():
    assert voice.deviates(0.3, 0.2)
    assert not voice.deviates(0.2, 0.2)
    assert not voice.deviates(0.2 + 1e-13, 0.2)  # round-off is not a deviation


# ---------------------------------------------------------------------------- in the model
def test_daymude_scenario_members_choose_the_closed_form(make_model):
    """In daymude.toml every member plays DAF's one-shot game; shares match the paper's regimes."""
    model = make_model("daymude", size=2000, pool_factor=1.0, end="1924-03")
    model.step()
    m = model.members
    delta = np.array([voice.desired_dissent(b, model.line) for b in m.belief])
    expected = np.array(
        [
            closed_form(d, b, 0.2, 0.1, 0.3, "uniform")
            for d, b in zip(delta, m.boldness, strict=True)
        ]
    )
    # Dissent is stored in float32: the closed form, rounded to float32.
    np.testing.assert_allclose(m.dissent, expected, rtol=1e-6, atol=1e-7)
    tipping = 0.13 / 0.23
    regimes = voice.classify(delta, m.dissent, 0.2)
    shares = np.bincount(regimes, minlength=3) / regimes.size
    # Desired dissent is uniform on [0, 1]: shares 0.2, tipping - 0.2, 1 - tipping.
    np.testing.assert_allclose(shares, [0.2, tipping - 0.2, 1.0 - tipping], atol=0.04)
    assert model.current_outcomes["deviating"] == pytest.approx(shares[Regime.DEFY])
    # The jump: nobody says anything strictly between tau and the tipping point.
    assert not np.any((m.dissent > np.float32(0.2)) & (m.dissent <= tipping))
    # Beliefs and the line never move, so every month is the same game.
    before = m.dissent.copy()
    model.step()
    np.testing.assert_array_equal(m.dissent, before)


def test_fear_silences_defiers_in_the_model(make_model):
    """With fear_weight 1 and everyone at fear 1, perceived psi = 0.6 > beta / (1 - nu)."""
    model = make_model("daymude", size=500, pool_factor=1.0, voice__fear_weight=1.0)
    model.members.fear[:] = 1.0
    model.step()
    assert model.current_outcomes["deviating"] == 0.0
    assert np.all(model.members.dissent <= 0.2)


def test_social_proof_makes_defiance_spread(make_model):
    """Open dissent last month lowers perceived risk this month: a Granovetter cascade."""
    model = make_model("daymude", size=1000, pool_factor=1.0, voice__social_proof=1.0)
    model.step()
    first = model.current_outcomes["deviating"]
    model.step()
    second = model.current_outcomes["deviating"]
    # Month 1: nobody was open before, so the share is DAF's (about 1 - 0.565).
    assert first == pytest.approx(1.0 - 0.13 / 0.23, abs=0.05)
    # Month 2: psi is perceived as 0.3 (1 - open share), the tipping point falls, more defy.
    share = first * 1000 / 999  # a member's open neighbours exclude themselves (about)
    psi = 0.3 * (1.0 - share)
    tipping = (0.5 * 0.2 + 0.1 * psi) / (0.5 - 0.9 * psi)
    assert second > first
    assert second == pytest.approx(1.0 - tipping, abs=0.05)
    assert math.isfinite(second)
