"""Relative agreement (Deffuant et al. 2002): the rule, its use in debate, hidden disagreement."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.model.party import PartyModel
from simulation.model.rules.agreement import conveyed_uncertainty, relative_agreement

positions = st.floats(-1.0, 1.0)
uncertainties = st.floats(0.01, 2.0)
rates = st.floats(0.0, 1.0)


def test_the_papers_update_by_hand():
    # Listener x = 0, u = 1; speaker s = 0.5, v = 0.5: h = min(1, 1) - max(0, -1) = 1,
    # relative agreement 1 / 0.5 - 1 = 1; with mu = 0.2 the belief moves 0.2 * 0.5 = 0.1 and
    # the uncertainty 0.2 * (0.5 - 1) = -0.1.
    belief, uncertainty = relative_agreement(0.0, 1.0, 0.5, 0.5, 0.2)
    assert belief == pytest.approx(0.1)
    assert uncertainty == pytest.approx(0.9)


def test_no_influence_unless_the_overlap_exceeds_the_speakers_uncertainty():
    # Segments [-0.1, 0.1] and [0.05, 0.25] overlap by 0.05 < v = 0.1: nothing moves.
    assert relative_agreement(0.0, 0.1, 0.15, 0.1, 0.5) == (0.0, 0.1)
    # Disjoint segments: nothing moves.
    assert relative_agreement(-0.9, 0.1, 0.9, 0.1, 0.5) == (-0.9, 0.1)


def test_confident_speakers_persuade_and_confident_listeners_resist():
    moved_by_sure = relative_agreement(0.0, 1.0, 0.4, 0.2, 0.2)[0]
    moved_by_unsure = relative_agreement(0.0, 1.0, 0.4, 0.9, 0.2)[0]
    assert moved_by_sure > moved_by_unsure > 0.0
    # An extremist (u = 0.1) hearing a moderate (v = 1) is not moved at all.
    assert relative_agreement(0.9, 0.1, 0.5, 1.0, 0.2) == (0.9, 0.1)


@given(positions, uncertainties, positions, uncertainties, rates)
def test_the_update_is_a_step_toward_the_speaker_within_bounds(b, u, s, v, rate):
    new_belief, new_uncertainty = relative_agreement(b, u, s, v, rate)
    # Relative agreement is at most 1 and mu at most 1: both moves are convex combinations.
    assert min(b, s) - 1e-12 <= new_belief <= max(b, s) + 1e-12
    assert min(u, v) - 1e-12 <= new_uncertainty <= max(u, v) + 1e-12


def test_a_statement_away_from_the_belief_is_heard_as_unsure():
    assert conveyed_uncertainty(0.1, 0.8, 0.2) == pytest.approx(0.7)
    assert conveyed_uncertainty(0.3, -0.2, -0.2) == pytest.approx(0.3)


def _run(overrides: dict[str, object]) -> PartyModel:
    model = PartyModel("historical", seed=3, overrides={"population.size": 400, **overrides})
    model.run()
    return model


def test_debate_under_relative_agreement_moves_uncertainty_and_keeps_confident_factions():
    end = {"end": "1930-12"}
    plain = _run({**end, "debate.model": "relative-agreement"})
    confident = _run(
        {
            **end,
            "debate.model": "relative-agreement",
            "population.factions.left.uncertainty": 0.1,
            "population.factions.right.uncertainty": 0.1,
        }
    )
    m = plain.members
    active = m.status == 1
    # Uncertainties move away from the factions' starting values of 1 in debate; under the
    # 1924-30 policy most statements are self-censored, heard as unsure, and raise them.
    assert np.median(m.uncertainty[active]) > 1.2
    # Confident factions keep their spread: the party stays more plural.
    assert confident.outcomes()["belief_sd"].iloc[-1] > plain.outcomes()["belief_sd"].iloc[-1]


def test_hidden_disagreement_counts_self_censoring_members():
    frame = _run({"end": "1925-12"}).outcomes()
    hidden = frame["hidden_disagreement"]
    assert ((hidden >= 0.0) & (hidden <= 1.0)).all()
    # The members above tolerance who do not deviate: never more than those above tolerance.
    assert (hidden + frame["deviating"] <= 1.0 + 1e-12).all()
    assert hidden.max() > 0.0


def test_hidden_disagreement_is_zero_when_everything_is_tolerated():
    frame = _run({"end": "1924-06", "policy.tolerance": 1.0}).outcomes()
    assert (frame["hidden_disagreement"] == 0.0).all()


def test_cores_are_the_factions_most_extreme_members_and_draw_nothing():
    core = {
        "population.factions.left.core.share": 0.1,
        "population.factions.left.core.uncertainty": 0.05,
    }
    no_core = {"population.factions.left.core.share": 0.0}
    plain = PartyModel("historical", seed=5, overrides={"population.size": 1000, **no_core})
    cored = PartyModel("historical", seed=5, overrides={"population.size": 1000, **core})
    m, c = plain.members, cored.members
    # The same people with the same beliefs: choosing a core draws no random numbers.
    np.testing.assert_array_equal(m.belief, c.belief)
    left = np.flatnonzero(c.faction == 0)
    chosen = np.flatnonzero(c.core & (c.faction == 0))
    assert chosen.size == round(0.1 * left.size)
    assert set(chosen) <= set(left)
    # The left's core holds its most leftward beliefs, with the core's uncertainty.
    assert c.belief[chosen].max() <= c.belief[np.setdiff1d(left, chosen)].min()
    np.testing.assert_array_equal(c.uncertainty[chosen], np.float32(0.05))
    assert not m.core[left].any()


def test_signal_trust_scales_with_uncertainty_up_to_one():
    from simulation.model.rules.agreement import signal_trust

    assert signal_trust(0.1) == pytest.approx(0.1)
    assert signal_trust(1.0) == 1.0
    assert signal_trust(1.7) == 1.0


def test_a_core_keeps_its_belief_against_reality_s_signal():
    overrides = {
        "end": "1925-06",
        "debate.model": "relative-agreement",
        "population.factions.left.core.share": 0.3,
        "population.factions.left.core.boldness": 1.5,
    }
    model = _run(overrides)
    m = model.members
    core = np.flatnonzero(m.core & (m.status == 1))
    assert core.size > 0
    # Conviction is the belief at the start; the core has hardly moved toward the middle.
    assert np.mean(np.abs(m.belief[core] - m.conviction[core])) < 0.1
    left_core = np.flatnonzero(m.core & (m.faction == 0))
    np.testing.assert_array_equal(m.boldness[left_core], np.float32(1.5))
