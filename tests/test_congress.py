"""Congresses vote: the voice rule decides open votes; delegates, marks and the CC cohort."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulation.model.members import Status, Tier
from simulation.model.party import PartyModel
from simulation.model.passes.congress import cast_votes
from simulation.model.rules.voice import dissent_choice
from simulation.scenario import Scenario, load_scenario

ORGANISATIONS = [{"name": "moscow", "share": 0.3}, {"name": "rest", "share": 0.7}]


def vote(belief, *, fear=0.0, boldness=1.0, platforms=(-0.6,), line=0.0, tolerance=0.1,
         surveillance=0.0, severity=0.0, fear_weight=1.0, social_proof=0.0, open_ties=0,
         active_ties=0, proportional=False):  # fmt: skip
    """One voter's (private choice, open vote against)."""
    supports = np.empty(1, dtype=np.int64)
    against = np.empty(1, dtype=np.bool_)
    cast_votes(
        np.zeros(1, dtype=np.int32), np.array([belief], np.float32), np.array([fear], np.float32),
        np.array([boldness], np.float32), np.zeros(1, np.bool_),
        np.array([open_ties], np.int32), np.array([active_ties], np.int32), False, 0, line,
        np.asarray(platforms, dtype=np.float64), tolerance, surveillance, severity,
        fear_weight, social_proof, proportional, supports, against,
    )  # fmt: skip
    return int(supports[0]), bool(against[0])


def test_a_member_nearer_the_line_supports_the_line():
    assert vote(-0.2) == (-1, False)  # 0.2 from the line, 0.4 from the platform
    assert vote(0.9, platforms=(-0.6, 0.6)) == (1, True)  # the nearer of two platforms


def test_a_supporter_within_tolerance_votes_against_without_risk():
    # delta = 0.25 <= tau = 0.3: DAF's comply, whatever the severity.
    assert vote(-0.5, tolerance=0.3, severity=50.0, surveillance=0.9) == (0, True)


def test_a_fearless_bold_supporter_defies_and_votes_against():
    # No severity: the tipping point is tau, and delta = 0.25 lies beyond it.
    assert vote(-0.5, tolerance=0.1) == (0, True)


def test_a_supporter_who_would_self_censor_votes_for_the_line():
    # beta = 0.5 < (1 - nu) psi = 2: nobody defies; delta = 0.25 > tau: self-censor.
    assert vote(-0.5, boldness=0.5, tolerance=0.1, severity=2.0) == (0, False)


def test_fear_turns_an_open_vote_into_a_hidden_one():
    # beta = 1, psi = 0.5: tipping point (0.1 + 0) / (1 - 0.5) = 0.2 < delta = 0.25: defies.
    assert vote(-0.5, severity=0.5) == (0, True)
    # Fear 1 doubles the perceived severity to 1: slope 0, nobody defies.
    assert vote(-0.5, severity=0.5, fear=1.0) == (0, False)


def test_safety_in_numbers_brings_the_open_vote_back():
    hidden = vote(-0.5, severity=1.0, social_proof=1.0, open_ties=0, active_ties=10)
    assert hidden == (0, False)
    # Half of one's ties deviated last month: perceived severity 0.5, as above: defies.
    assert vote(-0.5, severity=1.0, social_proof=1.0, open_ties=5, active_ties=10) == (0, True)


@pytest.mark.parametrize("belief", np.linspace(-1, 1, 41))
@pytest.mark.parametrize("severity", [0.0, 0.3, 1.0, 3.0])
@pytest.mark.parametrize("proportional", [False, True])
def test_open_vote_is_saying_all_one_thinks_by_the_voice_rule(belief, severity, proportional):
    supports, against = vote(belief, severity=severity, surveillance=0.2, proportional=proportional)
    delta = 0.5 * abs(np.float32(belief))
    said = dissent_choice(delta, 1.0, 0.1, 0.2, severity, proportional)
    assert against == (supports >= 0 and said >= delta - 1e-12)


def scenario(events, organisations=ORGANISATIONS, end="1927-12", size=600, **policy) -> Scenario:
    data = load_scenario("base").model_dump()
    data.update(name="congress", end=end, events=events)
    data["population"].update(size=size, pool_factor=2.0, organisations=organisations)
    data["policy"].update(policy)
    return Scenario.model_validate(data)


def congress(month, platforms=(-0.6,), delegates=101, elects_cc=False, name="congress"):
    return {
        "kind": "congress", "month": month, "name": name, "platforms": list(platforms),
        "delegates": delegates, "elects_cc": elects_cc,
    }  # fmt: skip


def test_outcomes_are_nan_before_the_first_vote_and_held_until_the_next():
    model = PartyModel(scenario([congress("1924-06"), congress("1925-06")]), seed=1)
    table = model.run().set_index("month")
    assert table.loc[:"1924-05", "votes_against"].isna().all()
    held = table.loc["1924-06":"1925-05"]
    for column in ("votes_against", "private_opposition", "hidden_opposition",
                   "delegates_against", "votes_against_moscow"):  # fmt: skip
        assert held[column].nunique() == 1, column
    first = held.iloc[0]
    assert first.private_opposition > 0.05  # the left faction stands near -0.55
    assert first.private_opposition == pytest.approx(first.votes_against + first.hidden_opposition)
    assert table.loc["1925-06", "votes_against"] != first.votes_against


def test_votes_are_counted_by_organisation_and_delegates_sum():
    model = PartyModel(scenario([congress("1924-03", delegates=101)]), seed=2)
    model.run()
    vote = model.vote
    assert vote.seats.sum() == 101
    voters = vote.by_organisation[:, 0]
    assert voters.sum() == vote.voters
    assert vote.by_organisation[:, 1].sum() == vote.against
    # Seats by size (largest remainder), then within an organisation by its open vote.
    moscow = round(101 * voters[0] / voters.sum())
    assert vote.seats.sum(axis=1).tolist() == [moscow, 101 - moscow]
    _, left = vote.seats[1]
    against = vote.by_organisation[1, 1]
    assert left == round(vote.seats[1].sum() * against / voters[1])
    assert model.members.ever_voted_against.sum() == vote.against


def test_no_congress_no_columns():
    model = PartyModel(scenario([]), seed=1)
    table = model.run()
    assert "votes_against" not in table and "cc1924_purged_share" not in table
    assert not model.members.keeps("ever_voted_against")


def test_an_open_vote_against_goes_into_the_dossier_with_vote_marks():
    events = [congress("1924-03")]
    quiet = {"surveillance": 0.0, "review_rate": 0.0, "dossier_decay": 0.0}
    marked = PartyModel(scenario(events, vote_marks=2.0, **quiet), seed=3)
    unmarked = PartyModel(scenario(events, **quiet), seed=3)
    for model in (marked, unmarked):
        while model.month < parse("1924-03"):
            model.step()
    voted = np.flatnonzero(marked.members.ever_voted_against)
    assert voted.size > 0
    # Nobody is reviewed, so the marks change nothing else: the dossiers differ by the votes.
    extra = marked.members.dossier - unmarked.members.dossier
    assert np.allclose(extra, 2.0 * marked.members.ever_voted_against)


def parse(month: str) -> int:
    from simulation.scenario.calendar import parse_month

    return parse_month(month)


def test_a_congress_that_elects_a_cc_starts_a_new_cohort():
    events = [congress("1925-12", elects_cc=True)]
    model = PartyModel(scenario(events, end="1926-06"), seed=4)
    while model.month < parse("1925-12"):
        model.step()
    m = model.members
    cohort = model.central_committee.rows
    top = np.flatnonzero((m.status == Status.ACTIVE) & (m.tier <= Tier.CENTRAL_COMMITTEE))
    assert np.array_equal(cohort, top)
    # Purge half of the new cohort: cc_purged_share follows the cohort, not the 1924 CC.
    model._expel(cohort[::2].astype(np.int32))
    model.step()
    row = model.outcomes().iloc[-1]
    assert row.cc_purged_share == pytest.approx(cohort[::2].size / cohort.size)
    initial = np.flatnonzero(m.initial_cc)
    assert row.cc1924_purged_share == pytest.approx(m.purged[initial].mean())
    assert not math.isnan(row.cc1924_purged_share)


def test_with_tolerance_above_everyone_every_supporter_votes_against_on_a_complete_graph():
    # The Deffuant case: tolerance 1, so every desired dissent fits under it (DAF's comply):
    # nobody hides, and the open vote equals the private support.
    data = load_scenario("deffuant").model_dump()
    data["events"] = [congress(data["start"], platforms=(-0.6, 0.6), delegates=100)]
    model = PartyModel(Scenario.model_validate(data), seed=5, overrides={"end": data["start"]})
    row = model.run().iloc[-1]
    assert model.network.complete
    assert row.private_opposition > 0.3  # uniform beliefs: a good share lies beyond +-0.3
    assert row.votes_against == row.private_opposition
    assert row.hidden_opposition == 0.0
    assert row.delegates_against == pytest.approx(row.votes_against, abs=0.01)


def test_opposed_share_counts_speech_and_open_votes_against():
    """Beside the innocent share: victims on record against the line, by speech or vote."""
    from simulation.model.party import PartyModel

    overrides = {"population.size": 600, "end": "1928-12", "policy.vote_marks": 3.0}
    frame = PartyModel("historical", seed=2, overrides=overrides).run()
    punished = frame["opposed_share_total"].notna() & frame["innocent_share_total"].notna()
    opposed = frame.loc[punished, "opposed_share_total"]
    spoke = 1.0 - frame.loc[punished, "innocent_share_total"]
    # Speaking above tolerance is one way to be on record; voting against openly the other.
    assert (opposed >= spoke - 1e-12).all()
    assert opposed.iloc[-1] > spoke.iloc[-1]


def test_without_congresses_the_opposed_are_those_who_spoke():
    from simulation.model.party import PartyModel
    from simulation.scenario import Scenario, load_scenario

    data = load_scenario("historical").model_dump()
    terror = {"month": "1924-03", "kind": "campaign", "months": 6, "quota": 0.01}
    data.update(end="1924-12", events=[terror])
    data["population"]["size"] = 500
    frame = PartyModel(Scenario.model_validate(data), seed=1).run()
    both = frame["opposed_share_total"].notna()
    assert both.sum() >= 6  # months with punishments to compare
    assert "votes_against" not in frame  # no congress: nobody ever voted
    np.testing.assert_allclose(
        frame.loc[both, "opposed_share_total"], 1.0 - frame.loc[both, "innocent_share_total"]
    )
