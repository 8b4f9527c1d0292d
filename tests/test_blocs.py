"""Blocs: contenders committed to one another play the ruling-coalition game as one (ODD 7.11)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simulation.model.party import PartyModel
from simulation.model.rules.bloc import ruling_coalition_with_blocs
from simulation.model.rules.coalition import ruling_coalition
from simulation.scenario import Scenario, load_scenario

EVERYONE = np.ones(5, dtype=bool)
ALLIES = np.array([False, True, True, True, False])


def players(mask: np.ndarray) -> set[int]:
    return set(np.flatnonzero(mask).tolist())


# ---------------------------------------------------------------- the rule
def test_allies_picked_off_alone_rule_together():
    """Powers 2, 3, 2, 2, 1: without commitment players 0, 1 and 4 rule and the other two are
    removed; committed, 1, 2 and 3 (7 of 10) are one player winning alone, and rule alone."""
    power = np.array([2.0, 3.0, 2.0, 2.0, 1.0])
    assert players(ruling_coalition(power)) == {0, 1, 4}
    assert players(ruling_coalition_with_blocs(power, 0.5, EVERYONE, [ALLIES])) == {1, 2, 3}


def test_a_bloc_that_loses_loses_whole():
    """Powers 10, 1, 1, 1, 1: the strongest rules alone, and the bloc is out with every member."""
    power = np.array([10.0, 1.0, 1.0, 1.0, 1.0])
    assert players(ruling_coalition_with_blocs(power, 0.5, EVERYONE, [ALLIES])) == {0}


def test_a_bloc_is_never_split():
    """Powers 4, 3, 3, 1, 1: AES's ruling coalition takes one of the two players of 3 and leaves
    the other; committed to each other, they are both in it."""
    power = np.array([4.0, 3.0, 3.0, 1.0, 1.0])
    pair = np.array([False, True, True, False, False])
    assert players(ruling_coalition(power)) == {0, 1, 3}
    assert {1, 2} <= players(ruling_coalition_with_blocs(power, 0.5, EVERYONE, [pair]))


def test_only_the_members_in_the_coalition_play():
    """A bloc's member outside X (out of the Politburo) adds nothing; a bloc none of whose
    members are in X is ignored."""
    power = np.array([2.0, 3.0, 2.0, 2.0, 1.0])
    without_three = np.array([True, True, True, False, True])
    merged = np.array([2.0, 5.0, 0.0, 0.0, 1.0])
    expected = ruling_coalition(merged, 0.5, np.array([True, True, False, False, True]))
    expected[2] = expected[1]
    got = ruling_coalition_with_blocs(power, 0.5, without_three, [ALLIES])
    assert players(got) == players(expected)
    assert not got[3]
    nobody = np.array([False, False, False, True, False])
    assert np.array_equal(
        ruling_coalition_with_blocs(power, 0.5, without_three, [nobody]),
        ruling_coalition(power, 0.5, without_three),
    )


powers = st.lists(st.integers(0, 20), min_size=2, max_size=8).filter(lambda p: sum(p) > 0)


@given(powers, st.data(), st.sampled_from([0.5, 0.6, 2 / 3, 0.75]))
def test_a_bloc_is_one_player_of_its_members_power(power, data, alpha):
    """The rule equals AES's Phi over the powers with the bloc merged into its strongest member,
    and its members are all in the ruling coalition or all out of it."""
    power = np.array(power, dtype=np.float64)
    bloc = np.array(data.draw(st.lists(st.booleans(), min_size=power.size, max_size=power.size)))
    everyone = np.ones(power.size, dtype=bool)
    got = ruling_coalition_with_blocs(power, alpha, everyone, [bloc])
    if bloc.any():
        inside = np.flatnonzero(bloc)
        head = inside[np.argmax(power[inside])]
        merged, seats = power.copy(), everyone.copy()
        seats[inside] = False
        seats[head] = True
        merged[head] = power[inside].sum()
        expected = ruling_coalition(merged, alpha, seats)
        expected[inside] = expected[head]
        assert len(set(got[inside].tolist())) == 1
    else:
        expected = ruling_coalition(power, alpha, everyone)
    assert np.array_equal(got, expected)


# ---------------------------------------------------------------- in the model
SMALL = {"population.size": 400}
TRIO = ("trotsky", "zinoviev", "kamenev")


def stepped(scenario, end, seed=4, **changes):
    """The model stepped to ``end`` and each month's (ruling coalition, fates of the trio)."""
    model = PartyModel(scenario, seed=seed, overrides={**SMALL, "end": end, **changes})
    months = []
    while model.running:
        model.step()
        fates = {a.name: a.fate for a in model.succession.leaders}
        months.append((model.month, list(model.succession.ruling), fates))
    return model, months


def test_the_early_alliance_fights_as_one_until_a_member_falls():
    """The bloc's end is found at the next month's fight: a removal at the end of month m (or a
    death at the start of month m + 1) ends it in month m + 1."""
    model, months = stepped("succession_early_alliance", "1930-12")
    (end,) = model.succession.bloc_ends
    assert end is not None  # somebody of the three falls by 1930 in this seed
    fallen = {}
    for month, ruling, fates in months:
        fallen[month] = any(fates[name] != "in_office" for name in TRIO)
        if month < end:
            assert len({name in ruling for name in TRIO}) == 1  # all three in it or none
    assert not any(fallen[month] for month in fallen if month < end - 1)
    assert fallen[end - 1] or fallen[end]


def test_a_bloc_not_yet_formed_changes_nothing():
    """A bloc from a month after the run is today's fight, bit for bit."""
    plain = PartyModel("historical", seed=3, overrides={**SMALL, "end": "1927-12"}).run()
    later = [{"members": list(TRIO), "month": "1956-01"}]
    with_bloc = PartyModel(
        "historical", seed=3, overrides={**SMALL, "end": "1927-12", "succession.blocs": later}
    ).run()
    assert plain.equals(with_bloc)


def test_same_seed_same_alliance():
    first = stepped("succession_levers", "1927-12", seed=7)[1]
    again = stepped("succession_levers", "1927-12", seed=7)[1]
    assert first == again


def bad(blocs, coalitions=True):
    data = load_scenario("historical").model_dump()
    data["succession"]["blocs"] = blocs
    data["succession"]["coalitions"] = coalitions
    return data


@pytest.mark.parametrize(
    ("blocs", "coalitions", "message"),
    [
        ([{"members": ["trotsky", "nobody"], "month": "1924-01"}], True, "'nobody' is not a"),
        (
            [
                {"members": ["trotsky", "zinoviev"], "month": "1924-01"},
                {"members": ["kamenev", "zinoviev"], "month": "1924-01"},
            ],
            True,
            "'zinoviev' is already in a bloc",
        ),
        ([{"members": ["trotsky"], "month": "1924-01"}], True, "at least 2"),
        ([{"members": ["trotsky", "zinoviev"], "month": "1924-13"}], True, "1924-13"),
        ([{"members": ["trotsky", "zinoviev"], "month": "1924-01"}], False, "needs succession"),
    ],
)
def test_bad_blocs_are_refused(blocs, coalitions, message):
    with pytest.raises(ValidationError, match=message):
        Scenario.model_validate(bad(blocs, coalitions))
