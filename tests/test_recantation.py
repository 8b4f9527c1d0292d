"""Recantation (docs/ODD.md 7.6 step 5b): the voice rule outside the party, and readmission.

An expelled oppositionist keeps the platform unless

    beta delta > (nu + (1 - nu) delta) psi (1 + w_f f) + beta tau,

the expressive value of saying all one thinks against the expected punishment of saying it
and the tolerated voice a member keeps (Kuran 1995 on preference falsification; the voice rule
of Daymude, Axelrod & Forrest 2025). The rule is checked against that inequality written out
here, by hand and as a Hypothesis property; the model is checked to readmit exactly the
recanters it should, to keep the switch off a no-op, and to give the same numbers for a seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from simulation.model.members import Status, Tier
from simulation.model.party import PartyModel
from simulation.model.rules.voice import desired_dissent, recants
from simulation.scenario import Scenario, load_scenario

unit = st.floats(0.0, 1.0, allow_nan=False)
position = st.floats(-1.0, 1.0, allow_nan=False)
boldness = st.floats(0.0, 3.0, allow_nan=False)
severity = st.floats(0.0, 5.0, allow_nan=False)


def keeps_platform(belief, line, beta, fear, tau, nu, psi, fear_weight):
    """The inequality of the module docstring, written out (uniform punishment)."""
    delta = abs(belief - line) / 2.0
    perceived = psi * (1.0 + fear_weight * fear)
    return beta * delta > (nu + (1.0 - nu) * delta) * perceived + beta * tau


@given(
    belief=position, line=position, beta=boldness, fear=unit, tau=unit, nu=unit, psi=severity,
    fear_weight=st.floats(0.0, 5.0),
)  # fmt: skip
def test_recants_unless_keeping_the_platform_is_worth_more(
    belief, line, beta, fear, tau, nu, psi, fear_weight
):
    delta = desired_dissent(belief, line)
    perceived = psi * (1.0 + fear_weight * fear)
    margin = beta * delta - (nu + (1.0 - nu) * delta) * perceived - beta * tau
    assume(abs(margin) > 1e-9)  # not a tie, where round-off decides
    expected = not keeps_platform(belief, line, beta, fear, tau, nu, psi, fear_weight)
    assert recants(belief, line, beta, fear, tau, nu, psi, fear_weight, False) == expected


@given(
    belief=position, line=position, beta=boldness, fear=unit, tau=unit, nu=unit, psi=severity,
    more=st.floats(0.0, 5.0), punishment=st.booleans(),
)  # fmt: skip
def test_more_severity_or_fear_never_stops_a_recantation(
    belief, line, beta, fear, tau, nu, psi, more, punishment
):
    if recants(belief, line, beta, fear, tau, nu, psi, 1.0, punishment):
        assert recants(belief, line, beta, fear, tau, nu, psi + more, 1.0, punishment)
        assert recants(belief, line, beta, min(fear + more, 1.0), tau, nu, psi, 1.0, punishment)


def test_recantation_by_hand():
    # delta = 0.4, beta = 1, tau = 0.1, nu = 0.2: keeping is worth 0.4 - 0.52 psi against
    # the tolerated 0.1, so the member recants once psi >= 0.3 / 0.52 = 0.577.
    assert not recants(0.8, 0.0, 1.0, 0.0, 0.1, 0.2, 0.5, 0.0, False)
    assert recants(0.8, 0.0, 1.0, 0.0, 0.1, 0.2, 0.6, 0.0, False)
    # Fear doubles the perceived severity at w_f f = 1: 0.5 becomes 1.0, and the member recants.
    assert recants(0.8, 0.0, 1.0, 1.0, 0.1, 0.2, 0.5, 1.0, False)
    # Nothing to renounce: a view within tolerance (delta = 0.05 <= 0.1) costs nothing to drop.
    assert recants(0.1, 0.0, 3.0, 0.0, 0.1, 0.0, 0.0, 0.0, False)
    # The line moving toward the member's view makes the platform cheaper to give up.
    assert not recants(0.8, 0.0, 1.0, 0.0, 0.1, 0.2, 0.5, 0.0, False)
    assert recants(0.8, 0.5, 1.0, 0.0, 0.1, 0.2, 0.5, 0.0, False)


#: A quiet party (nobody deviates, nobody dies or leaves, no recruits) in which a campaign
#: expels a tenth of the left a month for three months.
QUIET = {
    "tolerance": 0.1,
    "surveillance": 0.2,
    "severity": 0.6,
    "recruitment": 0.0,
    "rehabilitation": 0.0,
}


def quiet_scenario(recantation: float, end: str = "1925-06") -> Scenario:
    data = load_scenario("base").model_dump()
    events = [
        {
            "month": "1924-03",
            "kind": "campaign",
            "months": 3,
            "quota": 0.1,
            "sanction": "expulsion",
            "faction": "left",
        },
        {
            "month": "1924-06",
            "kind": "campaign",
            "months": 1,
            "quota": 0.05,
            "sanction": "expulsion",
        },
    ]
    if recantation:
        events.append({"month": "1924-08", "kind": "policy", "set": {"recantation": recantation}})
    data.update(name="recantation", end=end, events=events)
    data["population"].update(size=400, pool_factor=1.5, attrition=0.0, outside_mortality=0.0)
    data["policy"].update(QUIET)
    return Scenario.model_validate(data)


class WatchedModel(PartyModel):
    """Records, each month, who could recant and what the rule said of each."""

    def _membership(self) -> None:
        m, policy, voice = self.members, self.policy, self.config.voice
        if self.holds_recantations:
            rows = self.rolls.expelled[m.expelled_as_opposition[self.rolls.expelled]]
            rows = rows[m.status[rows] == Status.EXPELLED]
            self.would_recant = {
                int(i)
                for i in rows
                if recants(
                    float(m.belief[i]), self.line, float(m.boldness[i]), float(m.fear[i]),
                    policy.tolerance, policy.surveillance, policy.severity, voice.fear_weight,
                    voice.punishment == "proportional",
                )
            }  # fmt: skip
            self.could_recant = {int(i) for i in rows}
        self.was_expelled = m.status == Status.EXPELLED
        super()._membership()


def test_with_certain_acceptance_exactly_the_rules_recanters_return():
    model = WatchedModel(quiet_scenario(recantation=1.0), seed=3)
    m = model.members
    returned_total = 0
    other_expelled = set()
    while model.running:
        model.step()
        now_active = m.status[: model.was_expelled.size] == Status.ACTIVE
        came_back = set(np.flatnonzero(model.was_expelled & now_active).tolist())
        table_row = model.current_outcomes
        if model.month < 8 + 1924 * 12 - 1:  # before the policy: nobody recants
            assert not came_back
            continue
        assert came_back == model.would_recant
        assert table_row["recanted"] == len(came_back) == table_row["readmitted"]
        for i in came_back:
            assert m.tier[i] == Tier.RANK_AND_FILE and m.dossier[i] == 0.0 and m.rehabilitated[i]
        returned_total += len(came_back)
        other_expelled |= set(np.flatnonzero(model.was_expelled).tolist()) - model.could_recant
    assert returned_total > 0  # the test saw recantations
    # Those the untargeted campaign expelled are not an opposition: none of them recanted.
    assert other_expelled
    assert not other_expelled & set(np.flatnonzero(m.status == Status.ACTIVE).tolist())


def test_recanters_who_keep_their_platform_stay_out():
    model = WatchedModel(quiet_scenario(recantation=1.0), seed=3)
    model.run()
    m = model.members
    out = model.could_recant - model.would_recant
    assert all(m.status[i] == Status.EXPELLED for i in out)


def test_switched_off_the_model_keeps_no_flag_and_nobody_recants():
    model = PartyModel(quiet_scenario(recantation=0.0), seed=3)
    table = model.run()
    assert not model.holds_recantations
    assert not model.members.keeps("expelled_as_opposition")
    assert (table["recanted"] == 0).all()
    assert table["readmitted"].sum() == 0


def test_same_seed_same_recantations():
    first = PartyModel(quiet_scenario(recantation=0.3), seed=5).run()
    second = PartyModel(quiet_scenario(recantation=0.3), seed=5).run()
    pd.testing.assert_frame_equal(first, second)
    assert first["recanted"].sum() > 0
    other = PartyModel(quiet_scenario(recantation=0.3), seed=6).run()
    assert not first["recanted"].equals(other["recanted"])


@pytest.mark.parametrize("rate", [0.0, 0.1667])
def test_historical_recantation_event_is_the_only_source_of_recanters(rate):
    scenario = load_scenario("historical")  # overrides number events as the files do
    index = next(
        i
        for i, e in enumerate(scenario.events)
        if e.kind == "policy" and e.set.get("recantation", 0.0) > 0
    )
    table = PartyModel(
        "historical",
        seed=2,
        overrides={
            "population.size": 1000,
            "end": "1931-06",
            f"events.{index}.set.recantation": rate,
        },
    ).run()
    recanting = table.loc[table["recanted"] > 0, "month"]
    if rate == 0.0:
        assert recanting.empty
        return
    assert recanting.min() >= pd.Period("1928-06", "M")
    assert recanting.max() <= pd.Period("1930-12", "M")
