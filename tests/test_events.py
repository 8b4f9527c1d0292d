"""Every kind of scenario event does what it says, from its month on.

The party here is small and quiet: tolerance 1 means nobody deviates, so nothing but the
events under test punishes anyone, and every count can be predicted.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulation.model.events import HANDLERS, updated_policy
from simulation.model.members import Status, Tier
from simulation.model.party import PartyModel
from simulation.scenario import Scenario, load_scenario
from simulation.scenario.schema import Policy

QUIET = {
    "tolerance": 1.0,
    "surveillance": 0.0,
    "recruitment": 0.0,
    "rehabilitation": 0.0,
    "prison_term": 600.0,
    "prison_mortality": 0.0,
}
#: Event kinds with a test below; a new kind must get one (see test_every_kind_is_tested).
#: (congress: tests/test_congress.py; world: tests/test_world_wiring.py)
TESTED_KINDS = {
    "policy", "campaign", "leader", "shock", "amnesty", "stance", "congress", "experience",
    "office",
    "world",
}  # fmt: skip


def scenario_with(events, end="1925-12", size=400, **policy) -> Scenario:
    data = load_scenario("base").model_dump()
    data.update(name="events", end=end, events=events)
    data["population"].update(size=size, pool_factor=1.5, attrition=0.0, outside_mortality=0.0)
    data["policy"].update(QUIET | policy)
    return Scenario.model_validate(data)


def run(events, seed=1, **kwargs):
    model = PartyModel(scenario_with(events, **kwargs), seed=seed)
    return model, model.run().set_index("month")


def test_every_kind_is_tested():
    assert set(HANDLERS) == TESTED_KINDS
    # ... and every kind the schema knows has a handler.
    kinds = {cls.model_fields["kind"].annotation.__args__[0] for cls in _event_classes()}
    assert kinds == set(HANDLERS)


def _event_classes():
    from simulation.scenario.loader import _variants
    from simulation.scenario.schema import Event

    return set(_variants(Event).values())


# ---------------------------------------------------------------------------- policy
def test_policy_change_applies_from_its_month():
    events = [
        {
            "month": "1924-06",
            "kind": "policy",
            "set": {"tolerance": 0.05, "severity": 2.0, "ladder": {"execution": 8.0}},
        }
    ]
    model = PartyModel(scenario_with(events), seed=1)
    before = model.policy
    for _ in range(5):  # 1924-01 .. 1924-05
        model.step()
        assert model.policy == before
    model.step()  # 1924-06
    assert model.policy.tolerance == 0.05
    assert model.policy.severity == 2.0
    # The ladder table is merged field by field: only execution changes.
    assert model.policy.ladder.execution == 8.0
    for rung in ("warning", "demotion", "expulsion", "imprisonment"):
        assert getattr(model.policy.ladder, rung) == getattr(before.ladder, rung)
    assert model.policy.surveillance == before.surveillance  # untouched fields stay
    table = model.outcomes().set_index("month")
    assert table.loc["1924-05", "tolerance"] == 1.0
    assert table.loc["1924-06", "tolerance"] == 0.05
    assert table.loc["1924-06", "severity"] == 2.0


def test_updated_policy_merges_nested_ladder():
    policy = Policy()
    new = updated_policy(policy, {"ladder": {"imprisonment": 9.0}, "association": 0.2})
    assert new.ladder.imprisonment == 9.0
    assert new.ladder.expulsion == policy.ladder.expulsion
    assert new.association == 0.2
    assert policy.ladder.imprisonment == 5.0  # the original is frozen and unchanged


def test_policy_events_in_order_the_later_wins():
    events = [
        {"month": "1924-03", "kind": "policy", "set": {"severity": 2.0}},
        {"month": "1924-03", "kind": "policy", "set": {"severity": 3.0}},
    ]
    _, table = run(events, end="1924-04")
    assert table.loc["1924-03", "severity"] == 3.0


# ---------------------------------------------------------------------------- campaign
def test_arrest_campaign_runs_for_its_months_and_takes_its_quota():
    events = [{"month": "1924-03", "kind": "campaign", "months": 3, "quota": 0.05}]
    model, table = run(events, end="1924-09")
    taken = table["imprisoned"] + table["executed"]
    assert taken[["1924-01", "1924-02"]].sum() == 0
    assert taken[["1924-06", "1924-07", "1924-08", "1924-09"]].sum() == 0
    assert table["executed"].sum() == 0  # execution_share 0
    months = ["1924-03", "1924-04", "1924-05"]
    previous = table["members_active"].shift(1)
    for month in months:
        wanted = 0.05 * previous[month]  # candidates: everyone active at the start of the month
        assert taken[month] in (math.floor(wanted), math.ceil(wanted)), month
        assert taken[month] > 0
    # Nobody dies in prison here; a prisoner with a short (geometric) term may be out already.
    released = table.loc[:"1924-05", "released"].sum()
    assert table.loc["1924-05", "prisoners"] + released == taken[months].sum()
    assert model.campaigns == []  # finished campaigns are dropped


def test_campaign_with_executions_targets_only_its_faction():
    events = [
        {
            "month": "1924-02",
            "kind": "campaign",
            "months": 2,
            "quota": 0.2,
            "execution_share": 1.0,
            "faction": "left",
        }
    ]
    model, table = run(events, end="1924-04")
    m = model.members
    shot = m.status == Status.EXECUTED
    assert shot.sum() == table["executed"].sum() > 0
    assert table["imprisoned"].sum() == 0  # execution_share 1: everyone taken is shot
    assert set(np.unique(m.faction[shot])) == {m.faction_names.index("left")}
    left_before = table.loc["1924-01", "faction_left"]
    assert table.loc["1924-03", "faction_left"] < left_before
    assert table.loc["1924-03", "faction_centre"] == table.loc["1924-01", "faction_centre"]


def test_expulsion_campaign_and_include_expelled():
    events = [
        {"month": "1924-02", "kind": "campaign", "quota": 0.5, "sanction": "expulsion"},
        {
            "month": "1924-03",
            "kind": "campaign",
            "quota": 1.0,
            "include_expelled": True,
            "faction": "right",
        },
    ]
    model, table = run(events, end="1924-03")
    assert table.loc["1924-02", "expelled"] > 0
    assert table.loc["1924-02", "imprisoned"] == 0
    m = model.members
    right = m.faction == m.faction_names.index("right")
    ever = m.status != Status.OUTSIDE
    # A quota of 1 with former members included takes every right-winger, expelled or not.
    assert np.all(m.status[right & ever] == Status.IMPRISONED)
    assert table.loc["1924-03", "faction_right"] == 0


def test_campaign_prefers_the_highest_dossiers():
    events = [{"month": "1924-02", "kind": "campaign", "quota": 0.01}]
    model = PartyModel(scenario_with(events, end="1924-02"), seed=2)
    model.step()
    suspects = np.array([10, 20, 30])
    model.members.dossier[suspects] = [5.0, 4.0, 3.0]
    model.step()
    jailed = np.flatnonzero(model.members.status == Status.IMPRISONED)
    quota = model.outcomes()["imprisoned"].iloc[-1]
    assert quota in (3, 4)  # 1% of about 400
    assert set(suspects) <= set(jailed.tolist())


# ---------------------------------------------------------------------------- leader
def test_leader_event_names_the_successor():
    events = [{"month": "1924-05", "kind": "leader", "successor": "bukharin"}]
    model, table = run(events, end="1924-07")
    assert (table.loc[["1924-01", "1924-04"], "leader"] == "stalin").all()
    assert (table.loc[["1924-05", "1924-07"], "leader"] == "bukharin").all()
    assert model.leader.title == "N. I. Bukharin"


@pytest.mark.parametrize(
    ("said", "winner"), [(0.45, "bukharin"), (-0.4, "trotsky"), (0.1, "khrushchev")]
)
def test_leader_event_cc_vote_picks_the_platform_nearest_what_the_committee_says(said, winner):
    events = [{"month": "1924-03", "kind": "leader", "successor": "cc_vote"}]
    model = PartyModel(scenario_with(events, end="1924-03"), seed=3)
    model.step()
    model.step()
    m = model.members
    committee = (m.status == Status.ACTIVE) & (m.tier <= Tier.CENTRAL_COMMITTEE)
    # The vote is on what members said last month; the rank and file do not vote.
    m.expressed[committee] = said
    m.expressed[~committee] = -said
    model.step()
    assert model.leader_name == winner
    assert model.outcomes()["leader"].iloc[-1] == winner


def test_cc_vote_never_returns_the_outgoing_leader():
    events = [{"month": "1924-02", "kind": "leader", "successor": "cc_vote"}]
    model = PartyModel(scenario_with(events, end="1924-02"), seed=3)
    model.step()
    m = model.members
    m.expressed[:] = 0.0  # nearest to stalin's and khrushchev's platform (both 0.0)
    model.step()
    assert model.leader_name == "khrushchev"


# ---------------------------------------------------------------------------- office
def office_model(event, coalitions=True, end="1924-08"):
    data = load_scenario("historical").model_dump()
    data.update(end=end, events=[{"month": "1924-03", "kind": "office", **event}])
    data["population"].update(size=400)
    data["succession"]["coalitions"] = coalitions
    return PartyModel(Scenario.model_validate(data), seed=3)


def holders(model, office):
    return [a.name for a in model.succession.leaders if office in a.offices]


def test_office_event_moves_the_office_in_its_month():
    event = {"contender": "stalin", "office": "general_secretary", "to": "zinoviev"}
    model = office_model(event, coalitions=False)
    seen = []
    for _ in range(6):
        model.step()
        seen.append(holders(model, "general_secretary"))
    assert seen == [["stalin"]] * 2 + [["zinoviev"]] * 4
    # From then on the new holder appoints the secretaries: Stalin's men are replaced.
    zinoviev = model.succession.names.index("zinoviev")
    assert (model.succession.patron == zinoviev).sum() > 1


def test_a_vacated_office_is_never_taken_back_by_the_man_removed():
    """Stalin, the strongest, leads on, but the Secretariat goes to another of his coalition."""
    event = {"contender": "stalin", "office": "general_secretary", "to": ""}
    model = office_model(event, end="1925-06")
    seen = []
    while model.running:
        model.step()
        seen.append((model.leader_name, holders(model, "general_secretary")))
    assert seen[0] == ("stalin", ["stalin"])
    assert all("stalin" not in held for _, held in seen[2:])
    assert any(held for _, held in seen[2:])
    # In months when he still leads, the bar, not a fall, keeps the office from him.
    assert any(leader == "stalin" and held for leader, held in seen[2:])


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"contender": "lenon", "office": "pravda"},
            r"events\.\d+\.contender 'lenon' is not a contender",
        ),
        ({"contender": "stalin", "office": "pravda", "to": "x"}, r"events\.\d+\.to 'x' is not"),
        ({"contender": "stalin", "office": "pope"}, r"unknown office 'pope'"),
        ({"contender": "stalin", "office": "pravda", "to": "stalin"}, r"another contender"),
    ],
)
def test_bad_office_events_are_refused(event, message):
    with pytest.raises(ValueError, match=message):
        office_model(event)


def test_office_events_need_the_leaders_layer():
    event = {"month": "1924-03", "kind": "office", "contender": "stalin", "office": "pravda"}
    with pytest.raises(ValueError, match=r"an office event needs succession\.enabled"):
        scenario_with([event])


# ---------------------------------------------------------------------------- stance
def readings(events, months, seed=5):
    """The leader's reading of reality at the end of each of the first ``months`` months."""
    model = PartyModel(scenario_with(events, end="1925-12"), seed=seed)
    found = []
    for _ in range(months):
        model.step()
        found.append(model.reading)
    return model, np.array(found)


def test_stance_moves_the_leaders_reading_by_the_change_from_its_month_on():
    before = load_scenario("base").leadership.leaders["stalin"].bias
    events = [{"month": "1924-04", "kind": "stance", "leader": "stalin", "bias": 0.2}]
    turned, with_stance = readings(events, 8)
    _, without = readings([], 8)
    gap = with_stance - without
    # Same seed, same signals: identical for three months, then apart by the change of bias
    # for good (the smoothing m r + (1 - m)(x + bias) keeps a constant offset).
    np.testing.assert_array_equal(gap[:3], 0.0)
    np.testing.assert_allclose(gap[3:], 0.2 - before, rtol=1e-12)
    assert turned.leader.bias == 0.2
    assert (
        turned.config.leadership.leaders["trotsky"]
        == load_scenario("base").leadership.leaders["trotsky"]
    )


def test_stance_of_a_leader_out_of_power_waits_for_his_succession():
    stance = {"month": "1924-02", "kind": "stance", "leader": "bukharin", "bias": -0.5}
    succession = {"month": "1924-04", "kind": "leader", "successor": "bukharin"}
    _, with_stance = readings([stance, succession], 6)
    _, without = readings([succession], 6)
    gap = with_stance - without
    np.testing.assert_array_equal(gap[:3], 0.0)
    # At the succession the reading moves by the new bias instead of the old one.
    old = load_scenario("base").leadership.leaders["bukharin"].bias
    np.testing.assert_allclose(gap[3:], -0.5 - old, rtol=1e-12)


def test_stance_of_an_unknown_leader_is_refused():
    with pytest.raises(ValueError, match="is not a leader"):
        scenario_with([{"month": "1924-04", "kind": "stance", "leader": "lenin", "bias": 0.1}])


# ---------------------------------------------------------------------------- shock
def test_shock_moves_reality_by_its_size():
    size = 0.3
    events = [{"month": "1924-06", "kind": "shock", "size": size}]
    _, shocked = run(events, end="1925-06", seed=4)
    _, calm = run([], end="1925-06", seed=4)
    gap = shocked["reality"] - calm["reality"]
    before = gap.loc[:"1924-05"]
    assert (before == 0).all()  # same seed, same drift: identical until the shock
    reversion = load_scenario("base").reality.reversion
    # The shock lands before the month's drift and then decays with the pull toward 0.
    months_since = np.arange(len(gap.loc["1924-06":]))
    expected = size * (1 - reversion) ** (months_since + 1)
    np.testing.assert_allclose(gap.loc["1924-06":].to_numpy(), expected, rtol=1e-9)


def test_shock_is_clipped_to_the_axis():
    events = [{"month": "1924-02", "kind": "shock", "size": 2.0}]
    model = PartyModel(scenario_with(events, end="1924-02"), seed=4)
    model.step()
    model.step()
    assert model.reality <= 1.0
    assert model.reality > 0.9


# ---------------------------------------------------------------------------- amnesty
def test_amnesty_releases_and_readmits():
    events = [
        {"month": "1924-02", "kind": "campaign", "months": 2, "quota": 0.1},
        {"month": "1924-02", "kind": "campaign", "quota": 0.05, "sanction": "expulsion"},
        {
            "month": "1924-06",
            "kind": "amnesty",
            "release": 1.0,
            "readmit": 1.0,
            "clear_dossiers": True,
        },
    ]
    model = PartyModel(scenario_with(events, end="1924-06"), seed=5)
    for _ in range(5):
        model.step()
    m = model.members
    jailed = np.flatnonzero(m.status == Status.IMPRISONED)
    expelled = np.flatnonzero(m.status == Status.EXPELLED)
    assert jailed.size > 0 and expelled.size > 0
    m.dossier[jailed] = 2.0
    model.step()
    row = model.outcomes().iloc[-1]
    assert row["prisoners"] == 0
    assert row["released"] == jailed.size
    assert row["readmitted"] == jailed.size + expelled.size
    assert row["members_expelled"] == 0
    back = np.concatenate((jailed, expelled))
    assert np.all(m.status[back] == Status.ACTIVE)
    assert np.all(m.rehabilitated[back])
    assert np.all(m.dossier == 0.0)
    assert np.all(m.purged[back])  # rehabilitation does not undo the record of the purge


def test_partial_amnesty_releases_about_its_share():
    events = [
        {"month": "1924-02", "kind": "campaign", "quota": 0.5},
        {"month": "1924-03", "kind": "amnesty", "release": 0.5},
    ]
    model, table = run(events, end="1924-03", size=1000)
    jailed = table.loc["1924-02", "prisoners"]
    released = table.loc["1924-03", "released"]
    assert abs(released - jailed / 2) < 4 * math.sqrt(jailed / 4)
    assert table.loc["1924-03", "readmitted"] == 0  # readmit 0: released, not members
    # Everyone released is outside the party now (a few served a one-month term instead).
    change = table.loc["1924-03", "members_expelled"] - table.loc["1924-02", "members_expelled"]
    assert change == released
    amnestied = model.members.rehabilitated & (model.members.status == Status.EXPELLED)
    assert released - 3 <= amnestied.sum() <= released


# ---------------------------------------------------------------------------- experience
def _experienced(events, seed=5):
    model = PartyModel(scenario_with(events, end="1924-03"), seed=seed)
    model.step()  # January: no event
    before = model.members.belief.copy(), model.members.conviction.copy()
    model.step()  # February: the shock
    return model, before


def test_experience_moves_belief_and_conviction_of_those_hit_in_the_named_organisations():
    shock = {"month": "1924-02", "kind": "experience", "shift": 0.3, "share": 0.5}
    model, (belief, conviction) = _experienced([{**shock, "organisations": ["ukraine"]}])
    m = model.members
    moved = np.flatnonzero(m.conviction != conviction)
    # Belief moves with the conviction (and then by the month's debate and signals).
    assert np.mean(m.belief[moved] - belief[moved]) > 0.2
    names = [o.name for o in model.config.population.organisations]
    assert moved.size > 0
    assert set(m.organisation[moved]) == {names.index("ukraine")}
    np.testing.assert_allclose(
        m.conviction[moved], np.clip(conviction[moved] + 0.3, -1, 1), atol=1e-6
    )
    ukraine = np.flatnonzero((m.organisation == names.index("ukraine")) & (m.status == 1))
    # About half of Ukraine's members are hit (binomial, 400 members: a loose band).
    assert 0.3 < moved.size / ukraine.size < 0.7
    assert model.outcomes()["experienced"].iloc[-1] == moved.size


def test_rural_experience_hits_by_the_rural_share_and_is_seeded():
    shock = {"month": "1924-02", "kind": "experience", "shift": -0.2, "share": 1.0, "rural": True}
    first, (_, conviction) = _experienced([shock], seed=8)
    again, _ = _experienced([shock], seed=8)
    m = first.members
    hit = m.conviction != conviction
    np.testing.assert_array_equal(hit, again.members.conviction != conviction)
    shares = {o.name: o.rural_share or 0.0 for o in first.config.population.organisations}
    names = list(shares)
    for name, share in shares.items():
        rows = m.organisation[: conviction.size] == names.index(name)
        if share == 0.0:
            assert not hit[rows].any()


def test_experience_names_only_organisations_the_scenario_has():
    from simulation.scenario.loader import ScenarioError

    with pytest.raises((ScenarioError, ValueError), match="not an organisation"):
        scenario_with([{"month": "1924-02", "kind": "experience", "shift": 0.1, "share": 0.5,
                        "organisations": ["atlantis"]}])  # fmt: skip
