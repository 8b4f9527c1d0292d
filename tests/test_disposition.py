"""Policy from the leader's disposition, security and threat (docs/ODD.md 7.8)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simulation.model.members import Status
from simulation.model.outcomes import DEMAND_PREFIX, LEADER_POLICY, kind_of, title_and_unit
from simulation.model.party import PartyModel
from simulation.model.passes.speech import FORESIGHT_BLOCK, foresee
from simulation.model.rules.disposition import (
    adamancy,
    demanded_tolerance,
    security,
    strongest_rival,
    threat,
)
from simulation.model.rules.voice import desired_dissent, deviates, member_dissent
from simulation.scenario import Scenario, load_scenario, resolve_scenario

SMALL = {"population.size": 600, "end": "1926-12"}
ORGANISATIONS = ("moscow", "leningrad", "ukraine", "belorussia", "red_army", "rest")

shares = st.floats(0.0, 1.0)
weights = st.tuples(st.floats(0.0, 10.0), st.floats(0.0, 10.0), st.floats(0.0, 10.0))


# ---------------------------------------------------------------- the rule
@given(st.floats(0.0, 5.0), shares, shares, st.floats(0.0, 3.0), st.floats(0.0, 3.0), weights)
def test_adamancy_rises_as_security_falls(base, s1, s2, threatened, years, k):
    secure, insecure = max(s1, s2), min(s1, s2)
    assert adamancy(base, insecure, threatened, years, k) >= adamancy(
        base, secure, threatened, years, k
    )


@given(st.floats(0.0, 5.0), shares, st.floats(0.0, 3.0), st.floats(0.0, 3.0), weights)
def test_adamancy_rises_with_threat(base, secure, t1, t2, k):
    low, high = min(t1, t2), max(t1, t2)
    assert adamancy(base, secure, high, 0.0, k) >= adamancy(base, secure, low, 0.0, k)


@given(st.floats(0.0, 5.0), shares, st.floats(0.0, 3.0), st.floats(0.0, 30.0), weights)
def test_adamancy_is_at_least_the_disposition(base, secure, threatened, years, k):
    assert adamancy(base, secure, threatened, years, k) >= base


def test_adamancy_pinned():
    # alpha_0 (1 + k_s (1 - S) + k_t T + k_d y) = 0.2 (1 + 2 * 0.5 + 2 * 0.3 + 0.1 * 2) = 0.56
    assert adamancy(0.2, 0.5, 0.3, 2.0, (2.0, 2.0, 0.1)) == pytest.approx(0.56)
    assert adamancy(0.2, 1.0, 0.0, 5.0, (2.0, 2.0, 0.0)) == 0.2


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_security_is_a_share(own, rival):
    s = security(own, rival)
    assert 0.0 <= s <= 1.0
    assert security(own, 0.0) == 1.0


def test_security_and_rival_pinned():
    power = np.array([0.5, 0.3, 0.2])
    assert strongest_rival(power, 0) == 0.3
    assert strongest_rival(power, 1) == 0.5
    assert security(0.5, 0.3) == pytest.approx(0.625)
    assert strongest_rival(np.array([1.0]), 0) == 0.0


def test_threat_halves_every_half_life():
    shocks = [(10, -0.3), (40, 0.4)]
    assert threat(shocks, 9, 12.0) == 0.0
    assert threat(shocks, 10, 12.0) == pytest.approx(0.3)
    assert threat(shocks, 22, 12.0) == pytest.approx(0.15)
    assert threat(shocks, 40, 12.0) == pytest.approx(0.4 + 0.3 * 2.0 ** (-30 / 12))


@given(st.floats(-1.0, 1.0), st.floats(-1.0, 1.0))
def test_the_demand_is_the_platforms_dissent(position, line):
    demand = demanded_tolerance(position, line)
    assert 0.0 <= demand <= 1.0
    assert demand == pytest.approx(abs(position - line) / 2)


# ---------------------------------------------------------------- the scenario
def test_every_disposition_is_a_guess_with_a_range():
    scenario = resolve_scenario("succession_policy")
    for name, contender in scenario.succession.contenders.items():
        for field in ("adamancy", "punishing_cost"):
            guess = scenario.guesses[f"succession.contenders.{name}.disposition.{field}"]
            assert guess.low <= getattr(contender.disposition, field) <= guess.high, name


def test_the_leaders_policy_needs_the_layer():
    data = load_scenario("base").model_dump()
    data["succession"]["policy"]["enabled"] = True
    with pytest.raises(ValidationError, match=r"policy\.enabled needs succession\.enabled"):
        Scenario.model_validate(data)


def test_off_the_dispositions_change_nothing():
    """With the switch off, other dispositions and weights leave every number as it was."""
    changed = {
        "succession.contenders.stalin.disposition": {"adamancy": 3.0, "punishing_cost": 0.1},
        "succession.policy.security_weight": 9.0,
        "succession.policy.threat_weight": 9.0,
        "succession.policy.hardening.search_step": 0.2,
    }
    plain = PartyModel("historical", seed=4, overrides=SMALL)
    frame = plain.run()
    other = PartyModel("historical", seed=4, overrides={**SMALL, **changed}).run()
    assert not plain.leader_decides
    assert not [c for c in frame.columns if c.startswith(DEMAND_PREFIX) or c in LEADER_POLICY]
    assert frame.equals(other)


def test_same_seed_same_numbers():
    first = PartyModel("succession_policy", seed=6, overrides=SMALL).run()
    again = PartyModel("succession_policy", seed=6, overrides=SMALL).run()
    assert first.equals(again)


def test_the_timeline_no_longer_sets_repression():
    """Neither the policy event of October 1926 nor the campaigns touch the leader's policy."""
    model = PartyModel("succession_policy", seed=6, overrides={**SMALL, "end": "1928-06"})
    frame = model.run()
    october = frame[frame.month.astype(str) == "1926-10"].iloc[0]
    assert october.tolerance != 0.12 and october.severity != 1.0
    assert model.policy.vote_marks == 0.0
    # The expulsions of the Left (November 1927) are a campaign: none is run.
    assert not [c for c in model.campaigns if c.event.note.startswith("expulsion")]
    # Admissions are the timeline's still: the Lenin Enrollment of 1924.
    assert frame[frame.month.astype(str) == "1924-03"].iloc[0].recruits > 0


def test_the_outcomes_of_the_leaders_policy():
    model = PartyModel("succession_policy", seed=6, overrides={**SMALL, "end": "1925-06"})
    frame = model.run()
    assert frame.leader_security.between(0.0, 1.0).all()
    assert (frame.threat == 0.0).all()  # the first shock is December 1927
    dispositions = model.config.succession.contenders["stalin"].disposition
    assert (frame.leader_adamancy >= dispositions.adamancy).all()
    last = frame.iloc[-1]
    assert math.isnan(last[f"{DEMAND_PREFIX}stalin"])  # the leader demands nothing
    assert math.isnan(last[f"{DEMAND_PREFIX}lenin"])  # nor the dead
    trotsky = model.succession.leaders[model.succession.names.index("trotsky")]
    assert last[f"{DEMAND_PREFIX}trotsky"] == pytest.approx(abs(trotsky.position - last.line) / 2)


def test_threat_follows_the_shocks():
    frame = PartyModel("succession_policy", seed=6, overrides={**SMALL, "end": "1929-01"}).run()
    months = frame.month.astype(str)
    assert frame.threat[months == "1927-11"].iloc[0] == 0.0
    assert frame.threat[months == "1927-12"].iloc[0] == pytest.approx(0.3)
    assert frame.threat[months == "1928-12"].iloc[0] == pytest.approx(0.15)


# ---------------------------------------------------------------- secure and insecure
def _fixed_leader(seed: int, secure: bool):
    """Stalin leads 1924-27 with one disposition; only his rivals' strength differs."""
    names = resolve_scenario("historical").succession.contenders
    overrides = {
        "population.size": 1000,
        "end": "1927-12",
        "succession.coalitions": False,
        "succession.contenders.stalin.disposition": {"adamancy": 0.05, "punishing_cost": 1.0},
        "succession.policy.security_weight": 20.0,
    }
    if secure:  # no rival lives: S = 1
        overrides |= {f"succession.contenders.{n}.died": "1924-01" for n in names if n != "stalin"}
    else:  # every secretary is Trotsky's man, and Trotsky is well
        overrides |= {
            "succession.patrons": dict.fromkeys(ORGANISATIONS, "trotsky"),
            "succession.contenders.trotsky.health": 1.0,
        }
    return PartyModel("succession_policy", seed=seed, overrides=overrides).run()


def test_a_secure_leader_loosens_and_an_insecure_one_hardens():
    """Same man, same seed, same start (tolerance 0.2): security alone decides the direction."""
    secure, insecure = _fixed_leader(3, True), _fixed_leader(3, False)
    assert (secure.leader_security == 1.0).all()
    assert insecure.leader_security.iloc[1:].mean() < 0.6
    start = resolve_scenario("succession_policy").policy.tolerance
    assert secure.tolerance.iloc[-1] > start
    assert insecure.tolerance.iloc[-1] < start / 2
    assert secure.openness.iloc[-1] > insecure.openness.iloc[-1]


def test_the_new_columns_have_titles_and_are_levels():
    for column in (*LEADER_POLICY, f"{DEMAND_PREFIX}trotsky"):
        title, unit = title_and_unit(column)
        assert unit and title != column.replace("_", " ").capitalize()
        assert kind_of(column) == "level"


def test_foresight_without_risk_is_everyone_saying_all():
    """Under no severity, or a tolerance of 1, nobody holds back and nobody is punished."""
    model = PartyModel("succession_policy", seed=2, overrides={**SMALL, "end": "1924-06"})
    model.run()
    m = model.members
    active = np.flatnonzero(m.status == Status.ACTIVE).astype(np.int32)
    desired = (np.abs(m.belief[active].astype(np.float64) - model.line) / 2).sum()
    cols, net = model._cols(), model.network.ties()
    for policy in ((0.0, 0.5, 0.0), (1.0, 0.9, 5.0)):
        voiced, punishing = foresee(active, cols, net, (model._speech(active, policy),))
        assert voiced[0] == pytest.approx(desired)
        assert punishing[0] == 0.0
    harsh = model._speech(active, (0.0, 0.5, 50.0))
    voiced, punishing = foresee(active, cols, net, (harsh,))
    assert voiced[0] < desired / 2 and punishing[0] >= 0.0
    # Two policies costed in one pass: each exactly as costed alone.
    mild = model._speech(active, (0.2, 0.1, 0.5))
    both = foresee(active, cols, net, (harsh, mild))
    alone = foresee(active, cols, net, (mild,))
    assert (both[0][0], both[1][0]) == (voiced[0], punishing[0])
    assert (both[0][1], both[1][1]) == (alone[0][0], alone[1][0])


def _foreseen_one_by_one(model, active, policy):
    """The foresight's sums taken member by member, in the roll's order, by the voice rule."""
    m, cols = model.members, model._cols()
    voiced = punishing = 0.0
    for i in active:
        if model.network.complete:
            o, t = policy.total_open - (1 if m.deviated[i] else 0), active.size - 1
        else:
            o, t = int(cols.open_ties[i]), int(cols.active_ties[i])
        delta = desired_dissent(np.float64(m.belief[i]), policy.line)
        a = member_dissent(
            delta, np.float64(m.boldness[i]), m.fear[i], o, t, policy.tolerance,
            policy.surveillance, policy.severity, policy.fear_weight, policy.social_proof,
            policy.proportional,
        )  # fmt: skip
        voiced += a
        if deviates(a, policy.tolerance):
            harm = (
                policy.severity * (a - policy.tolerance) if policy.proportional else policy.severity
            )
            punishing += (policy.surveillance + (1.0 - policy.surveillance) * a) * harm
    return voiced, punishing


@pytest.mark.parametrize(
    ("network", "punishment"),
    [("homophily", "uniform"), ("homophily", "proportional"), ("complete", "uniform")],
)
def test_foresight_in_blocks_adds_member_by_member(network, punishment):
    """The blocked pass gives the member-by-member sums to the last bit, deviators included.

    A roll longer than two blocks and not a multiple of one, ties and a complete network, both
    kinds of punishment.
    """
    overrides = {
        "population.size": 1500, "end": "1924-06", "network.kind": network,
        "voice.punishment": punishment,
    }  # fmt: skip
    model = PartyModel("succession_policy", seed=4, overrides=overrides)
    model.run()
    m = model.members
    active = np.flatnonzero(m.status == Status.ACTIVE).astype(np.int32)
    assert active.size > 2 * FORESIGHT_BLOCK and active.size % FORESIGHT_BLOCK
    cols, net = model._cols(), model.network.ties()
    policies = tuple(
        model._speech(active, policy) for policy in ((0.02, 0.3, 0.4), (0.1, 0.05, 2.0))
    )
    voiced, punishing = foresee(active, cols, net, policies)
    assert punishing[0] > 0  # some deviate under the first policy
    for k, policy in enumerate(policies):
        assert (voiced[k], punishing[k]) == _foreseen_one_by_one(model, active, policy)


def test_the_worlds_threat_adds_to_the_leaders_threat():
    overrides = {
        "population.size": 300, "end": "1929-12", "succession.enabled": True,
        "succession.coalitions": True, "succession.policy.enabled": True,
    }  # fmt: skip
    table = PartyModel("historical_world", seed=1, overrides=overrides).run()
    assert (table["world_threat"] > 0.5).all()
    before_the_grain_crisis = table["month"] < "1927-12"  # the first shock of reality
    assert np.allclose(
        table["threat"][before_the_grain_crisis], table["world_threat"][before_the_grain_crisis]
    )
    assert (
        table["threat"][~before_the_grain_crisis] > table["world_threat"][~before_the_grain_crisis]
    ).all()
