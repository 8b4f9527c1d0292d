"""The leaders as agents and the circular flow of power (docs/ODD.md 7.10)."""

from __future__ import annotations

import math

import mesa
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simulation.model.members import Status
from simulation.model.outcomes import FATE_PREFIX, OUTCOMES, POWER_PREFIX, kind_of, title_and_unit
from simulation.model.party import PartyModel
from simulation.model.rules.mortality import annual_hazard, monthly_death_probability
from simulation.model.rules.power import commanded_votes, following, power_shares, raw_power
from simulation.model.rules.repression import Sanction, ladder_sanction, ladder_thresholds
from simulation.model.succession import HARSHNESS, removal_fate
from simulation.scenario import Scenario, load_scenario

ON = {"population.size": 600, "succession.enabled": True}


def run(end="1926-12", seed=3, **changes):
    model = PartyModel("historical_fixed", seed=seed, overrides={**ON, "end": end, **changes})
    return model, model.run()


def powers(frame):
    return frame[[c for c in frame.columns if c.startswith(POWER_PREFIX)]]


# ---------------------------------------------------------------- rules
@given(st.floats(0.0, 100.0), st.floats(0.0, 30.0), st.floats(1e-4, 0.5), st.floats(1.0, 20.0))
def test_mortality_rises_with_age(age, older_by, at_60, doubling):
    young = monthly_death_probability(age, at_60, doubling)
    old = monthly_death_probability(age + older_by, at_60, doubling)
    assert 0.0 <= young <= old <= 1.0


def test_mortality_pinned():
    assert annual_hazard(60.0, 0.03, 8.0) == pytest.approx(0.03)
    assert annual_hazard(68.0, 0.03, 8.0) == pytest.approx(0.06)
    assert monthly_death_probability(60.0, 0.03, 8.0) == pytest.approx(1 - math.exp(-0.0025))


@given(
    st.lists(st.floats(0.0, 5.0), min_size=1, max_size=12),
    st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_power_shares_sum_to_one(raw, in_play):
    raw = np.array(raw)
    counts = np.array(in_play[: raw.size])
    power = raw_power(raw, raw, raw, np.ones(raw.size), counts, 1.0, 1.0)
    shares = power_shares(power)
    assert np.all(shares >= 0)
    assert np.all(shares[~counts] == 0)
    if power.sum() > 0:
        assert shares.sum() == pytest.approx(1.0)
    else:
        assert shares.sum() == 0


@given(
    st.lists(st.integers(0, 500), min_size=1, max_size=8),
    st.lists(st.integers(-1, 3), min_size=8, max_size=8),
    st.floats(0.0, 1.0),
)
def test_commanded_votes_are_the_loyal_share_of_the_seats(seats, patrons, loyalty):
    seats = np.array(seats)
    patron = np.array(patrons[: seats.size])
    votes = commanded_votes(seats, patron, loyalty, 4)
    led = seats[patron >= 0].sum() / seats.sum() if seats.sum() else 0.0
    assert votes.sum() == pytest.approx(loyalty * led)
    assert np.all(votes >= 0)


def test_commanded_votes_pinned():
    votes = commanded_votes(np.array([10, 30, 60]), np.array([1, -1, 1]), 0.5, 3)
    np.testing.assert_allclose(votes, [0.0, 0.35, 0.0])


def test_following_splits_a_faction_among_its_leaders():
    members = np.array([20, 60, 20])  # left, centre, right
    faction = np.array([0, 0, 1, 2, 2])
    leads = np.array([True, True, True, True, False])
    np.testing.assert_allclose(following(members, faction, leads), [0.1, 0.1, 0.6, 0.2, 0.0])


# ---------------------------------------------------------------- the switch
def test_off_by_default_adds_nothing():
    overrides = {"population.size": 300, "end": "1924-03"}
    model = PartyModel("historical_fixed", seed=3, overrides=overrides)
    frame = model.run()
    assert model.succession is None
    assert not [c for c in frame.columns if c.startswith((POWER_PREFIX, FATE_PREFIX))]
    assert "strongest" not in frame.columns
    assert model.fates().empty


def test_the_layer_only_observes_the_party():
    """Steps 1-2 measure power and change no member's state: every other outcome is equal."""
    overrides = {"population.size": 400, "end": "1926-12"}
    off = PartyModel("historical_fixed", seed=5, overrides=overrides).run()
    switched = {**overrides, "succession.enabled": True}
    on = PartyModel("historical_fixed", seed=5, overrides=switched).run()
    for column in off.columns:
        assert on[column].equals(off[column]), column


# ---------------------------------------------------------------- agents
def test_leaders_are_mesa_agents():
    model = PartyModel("historical_fixed", seed=3, overrides={**ON, "end": "1924-02"})
    agents = model.succession.agents
    assert len(agents) == 17
    assert all(isinstance(agent, mesa.Agent) for agent in agents)
    assert {agent.name for agent in agents} >= {"stalin", "trotsky", "bukharin", "beria"}
    stalin = next(a for a in agents if a.name == "stalin")
    assert stalin.offices == {"general_secretary"}
    assert stalin.age(model.start_month) == pytest.approx(45 + 1 / 12)


def test_the_record_of_the_schedule():
    model, frame = run(end="1926-02")
    fates = model.fates()
    died = fates[(fates.leader == "lenin") & (fates.fate == "died")]
    assert list(died.month) == ["1924-01"]
    joined = fates[(fates.leader == "bukharin") & (fates.fate == "in_office")]
    assert list(joined.month) == ["1924-06"]
    by_month = frame.set_index(frame.month.astype(str))
    assert by_month.loc["1924-05", "fate_bukharin"] == "rising"
    assert by_month.loc["1924-06", "fate_bukharin"] == "in_office"
    zinoviev = next(a for a in model.succession.leaders if a.name == "zinoviev")
    assert (zinoviev.position, zinoviev.faction) == (-0.4, "left")
    assert kind_of("fate_stalin") == "label" and kind_of("power_stalin") == "level"
    assert title_and_unit("power_stalin")[0] == "Power, stalin"


def test_trotskys_health_recovers():
    model = PartyModel("historical_fixed", seed=3, overrides={**ON, "end": "1924-12"})
    trotsky = next(a for a in model.succession.leaders if a.name == "trotsky")
    for months in range(1, 13):
        model.step()
        assert trotsky.health == pytest.approx(1 - 0.5 * 0.9**months)


def test_power_shares_each_month():
    _, frame = run()
    total = powers(frame).sum(axis=1)
    np.testing.assert_allclose(total, 1.0)
    assert (frame.power_lenin == 0).all()  # dead at the start
    assert set(frame.strongest) <= {c[len(POWER_PREFIX) :] for c in powers(frame).columns}


def test_pinned_seeded_powers():
    """Same seed, same numbers (pinned; a change of the rules must say why these moved)."""
    _, frame = run(end="1924-01")
    first = frame.iloc[0]
    assert first.strongest == "stalin"
    assert first.power_stalin == pytest.approx(0.34023, abs=1e-5)
    assert first.power_zinoviev == pytest.approx(0.17559, abs=1e-5)
    assert first.power_trotsky == pytest.approx(0.07949, abs=1e-5)
    again = run(end="1924-01")[1]
    assert powers(again).equals(powers(frame))


def test_no_deaths_without_hazard_but_lenins():
    model, _ = run(end="1935-12", **{"succession.mortality_at_60": 0.0})
    deaths = model.fates().query("fate == 'died'")
    assert list(deaths.leader) == ["lenin"]


def test_a_high_hazard_kills_everyone():
    hazard = {"succession.mortality_at_60": 1.0, "succession.mortality_doubling": 50.0}
    model, frame = run(end="1940-12", **hazard)
    assert set(model.fates().query("fate == 'died'").leader) == set(model.succession.names)
    assert (powers(frame).iloc[-1] == 0).all()
    assert frame.strongest.iloc[-1] == ""


# ---------------------------------------------------------------- the circular flow
def test_the_general_secretary_takes_the_organisations():
    """Appointments become votes only at the congress that elects the central committee."""
    model, frame = run(end="1925-12", **{"succession.appointment_rate": 1.0})
    succession = model.succession
    stalin = succession.names.index("stalin")
    assert (succession.patron == stalin).all()
    # The 14th Congress (December 1925) elects the committee: all loyal delegates are his.
    assert succession.votes[stalin] == pytest.approx(0.5)
    assert succession.votes.sum() == pytest.approx(0.5)
    before = frame.set_index(frame.month.astype(str)).loc["1925-11"]
    after = frame.set_index(frame.month.astype(str)).loc["1925-12"]
    assert after.power_stalin > before.power_stalin
    assert after.power_zinoviev < before.power_zinoviev


def test_new_secretaries_are_the_patrons_men():
    model, _ = run(end="1924-01", **{"succession.appointment_rate": 1.0})
    m = model.members
    stalin = next(a for a in model.succession.leaders if a.name == "stalin")
    names = [o.name for o in model.config.population.organisations]
    replaced = [names.index(name) for name in ("moscow", "leningrad", "red_army")]
    for organisation in replaced:  # the others were Stalin's men already
        row = model.secretaries[organisation]
        assert m.organisation[row] == organisation
        # of the organisation's top tier, the member whose public position is nearest his
        same = (m.organisation == organisation) & (m.tier == m.tier[row])
        rows = np.flatnonzero(same & (m.status == Status.ACTIVE))
        nearest = np.abs(m.expressed[rows] - stalin.position).min()
        assert abs(m.expressed[row] - stalin.position) == nearest


# ---------------------------------------------------------------- bad input
def contenders_data(**change):
    data = load_scenario("base").model_dump()
    data["succession"]["enabled"] = True
    for key, value in change.items():
        data["succession"]["contenders"]["stalin"][key] = value
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"faction": "anarchists"}, "is not a faction"),
        ({"offices": ["tsar"]}, "unknown office 'tsar'"),
        ({"offices": ["war_commissar"]}, "already held by"),
        ({"moves": [{"month": "1930-01", "position": 0.1}, {"month": "1925-01", "position": 0.2}]},
         "in month order"),
    ],
)  # fmt: skip
def test_bad_contenders_are_refused(change, message):
    with pytest.raises(ValidationError, match=message):
        Scenario.model_validate(contenders_data(**change))


def test_patrons_must_be_known():
    data = contenders_data()
    data["succession"]["patrons"]["siberia"] = "stalin"
    with pytest.raises(ValidationError, match="siberia is not an organisation"):
        Scenario.model_validate(data)
    data = contenders_data()
    data["succession"]["patrons"]["moscow"] = "lenin_junior"
    with pytest.raises(ValidationError, match="is not a contender"):
        Scenario.model_validate(data)


def test_an_unused_layer_is_not_checked_against_other_organisations():
    data = load_scenario("base").model_dump()
    data["population"]["organisations"] = [{"name": "all", "share": 1.0}]
    Scenario.model_validate(data)  # the base contenders' patrons name other organisations
    data["succession"]["enabled"] = True
    with pytest.raises(ValidationError, match="is not an organisation"):
        Scenario.model_validate(data)


def test_registered_outcomes_untouched():
    assert not [name for name in OUTCOMES if name.startswith((POWER_PREFIX, FATE_PREFIX))]


# ---------------------------------------------------------------- the fight (ODD 7.11)
FOUGHT = {"population.size": 600, "succession.enabled": True, "succession.coalitions": True}


@pytest.mark.parametrize(
    ("current", "sanction", "fate"),
    [
        ("in_office", Sanction.NONE, "demoted"),
        ("in_office", Sanction.DEMOTION, "demoted"),
        ("in_office", Sanction.EXPULSION, "expelled"),
        ("expelled", Sanction.EXPULSION, "exiled"),
        ("exiled", Sanction.EXPULSION, "exiled"),
        ("demoted", Sanction.IMPRISONMENT, "imprisoned"),
        ("imprisoned", Sanction.DEMOTION, "imprisoned"),  # never milder
        ("exiled", Sanction.EXECUTION, "shot"),
    ],
)
def test_removal_fate(current, sanction, fate):
    assert removal_fate(current, int(sanction)) == fate


def test_historical_severities_give_the_records_sequence_of_fates():
    """3 marks on the historical ladder: demoted at 0.6, expelled at 1, prison at 2, shot at 4."""
    ladder = load_scenario("historical").policy.ladder
    with_executions = ladder.model_copy(update={"execution": 8.0})
    fates = [
        removal_fate("in_office", ladder_sanction(3.0, ladder_thresholds(ladder, 0.6))),
        removal_fate("in_office", ladder_sanction(3.0, ladder_thresholds(ladder, 1.0))),
        removal_fate("expelled", ladder_sanction(3.0, ladder_thresholds(ladder, 1.3))),
        removal_fate("exiled", ladder_sanction(3.0, ladder_thresholds(ladder, 2.0))),
        removal_fate("imprisoned", ladder_sanction(3.0, ladder_thresholds(with_executions, 4.0))),
    ]
    assert fates == ["demoted", "expelled", "exiled", "imprisoned", "shot"]


def fought_run(end="1929-12", seed=3, **changes):
    model = PartyModel("historical", seed=seed, overrides={**FOUGHT, "end": end, **changes})
    return model, model.run()


def test_the_leader_is_the_strongest_of_the_ruling_coalition():
    """He takes over at the end of the month (stage 8b): the month's row shows him leading."""
    model, frame = fought_run()
    known = set(model.config.leadership.leaders)
    for _, row in frame.iterrows():
        members = row.ruling_coalition.split("+")
        chief = max(
            (name for name in members if name in known), key=lambda name: row[f"power_{name}"]
        )
        assert row.leader == chief


def test_a_fought_succession_can_change_the_leader():
    """Stalin dead in March 1924 (an imposed death): the strongest of the rest leads."""
    model, frame = fought_run(end="1924-06", **{"succession.contenders.stalin.died": "1924-03"})
    by_month = frame.set_index(frame.month.astype(str))
    assert by_month.loc["1924-02", "leader"] == "stalin"
    assert by_month.loc["1924-03", "leader"] != "stalin"
    assert by_month.loc["1924-03", "leader"] == by_month.loc["1924-03", "strongest"] or (
        by_month.loc["1924-03", "leader"] in by_month.loc["1924-03", "ruling_coalition"]
    )
    secretary = [a for a in model.succession.leaders if "general_secretary" in a.offices]
    assert [a.name for a in secretary] == [by_month.loc["1924-06", "leader"]]


def test_fates_never_soften():
    model, _ = fought_run(end="1931-12")
    for _, changes in model.fates().groupby("leader", sort=False):
        ranks = [HARSHNESS[fate] for fate in changes.fate]
        assert ranks == sorted(ranks)


def test_no_removals_at_rate_zero():
    model, frame = fought_run(**{"succession.removal_rate": 0.0})
    assert set(model.fates().fate) <= {"rising", "in_office", "died"}
    assert frame.ruling_coalition.str.len().min() > 0


def test_a_fought_succession_ignores_scheduled_leaders():
    data = load_scenario("historical").model_dump()
    data.update(end="1924-06")
    data["population"]["size"] = 400
    data["events"] = [
        {"month": "1924-03", "kind": "leader", "successor": "khrushchev", "note": "test"}
    ]
    frame = PartyModel(Scenario.model_validate(data), seed=2).run()
    assert "khrushchev" not in set(frame.leader)
    data["succession"]["coalitions"] = False
    frame = PartyModel(Scenario.model_validate(data), seed=2).run()
    assert frame.leader.iloc[-1] == "khrushchev"


def test_coalitions_need_the_layer():
    data = load_scenario("base").model_dump()
    data["succession"]["coalitions"] = True
    with pytest.raises(ValidationError, match=r"coalitions needs succession\.enabled"):
        Scenario.model_validate(data)


def test_same_seed_same_fight():
    first = fought_run(end="1927-12", seed=11)[1]
    again = fought_run(end="1927-12", seed=11)[1]
    assert first.equals(again)


def test_the_fallen_fall_further():
    """An expelled contender removed again, at the severity of 1926-30, goes into exile."""
    model, _ = fought_run(end="1930-12")
    fates = model.fates()
    exiled = fates[fates.fate == "exiled"]
    assert not exiled.empty
    for _, row in exiled.iterrows():
        before = fates[(fates.leader == row.leader) & (fates.month <= row.month)]
        assert "expelled" in set(before.fate)


def test_politburo_run_writes_the_fate_table(tmp_path):
    from simulation.cli.main import main

    out = tmp_path / "run"
    settings = ["population.size=300", "population.pool_factor=2", "end=1925-12"]
    arguments = ["run", "historical", "--seed", "3", "--out", str(out)]
    assert main([*arguments, *[a for s in settings for a in ("--set", s)]]) == 0
    fates = pd.read_csv(out / "fates.csv")
    assert list(fates.columns) == ["leader", "title", "month", "fate"]
    assert {"lenin", "stalin", "trotsky"} <= set(fates.leader)
    assert "fate_stalin" in pd.read_csv(out / "outcomes.csv").columns


def test_a_vacancy_no_coalition_fills_goes_to_the_central_committees_choice():
    """The leader dead, nobody in the Politburo with power: the CC chooses among those in play."""
    model = PartyModel("historical", seed=3, overrides={**FOUGHT, "end": "1924-03"})
    model.step()
    succession = model.succession
    agents = {agent.name: agent for agent in succession.agents}
    for name, agent in agents.items():
        if name != "kirov":  # still rising: in play, outside the Politburo
            succession._change(agent, "died" if name == "stalin" else "shot")
    succession._fill_vacancy(model)
    assert model.leader_name == "kirov"  # the only leader still in play
    assert "general_secretary" in agents["kirov"].offices  # a vacant office taken up
    succession._change(agents["kirov"], "died")
    succession._fill_vacancy(model)
    assert model.leader_name == "kirov"  # nobody left in play: the dead man's name stays
