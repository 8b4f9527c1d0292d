"""Outcome measures: every registered one is recorded, and the key ones equal a hand count."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from simulation.model.members import Status
from simulation.model.outcomes import CONGRESS_OUTCOMES, OUTCOMES
from simulation.model.party import PartyModel

TEXT = {"month", "leader"}
#: Outcomes that may be NaN, and when (the documented "nobody to measure" cases). Any other
#: outcome must be finite every month; a new measure that can be NaN must be listed here.
NAN_WHEN = {
    "innocent_share": "nobody was punished this month",
    "innocent_share_total": "nobody has been punished yet",
    "opposed_share": "nobody was punished this month",
    "opposed_share_total": "nobody has been punished yet",
    "deviating": "nobody spoke (no active members)",
    "seen_deviating": "nobody spoke",
    "openness": "nobody wanted to dissent (sum of desired dissent is 0)",
    "falsification": "nobody spoke",
    "fear": "no active members",
    "leader_error": "no active members who spoke",
    "belief_mean": "no active members",
    "belief_sd": "no active members",
    "said_sd": "no active members",
}


@pytest.fixture(scope="module")
def terror_run():
    """A small historical party through the Great Terror: every kind of outcome occurs (the
    leader fixed: the succession's and the democracy measures' columns are tested with them)."""
    model = PartyModel(
        "historical_fixed",
        seed=2,
        overrides={"population.size": 400, "population.pool_factor": 4.0, "end": "1939-06"},
    )
    return model, model.run()


def test_every_registered_outcome_is_a_column(terror_run):
    model, table = terror_run
    assert list(table.columns[: len(OUTCOMES)]) == list(OUTCOMES)
    faction_columns = [f"faction_{name}" for name in model.members.faction_names]
    # The shipped calendar holds congresses: their measures, then one column per organisation.
    organisations = [o.name for o in model.config.population.organisations]
    congress_columns = list(CONGRESS_OUTCOMES) + [f"votes_against_{o}" for o in organisations]
    assert list(table.columns[len(OUTCOMES) :]) == faction_columns + congress_columns
    for name, entry in (OUTCOMES | CONGRESS_OUTCOMES).items():
        assert entry.description, f"{name} has no description"


def test_congress_measures_are_nan_only_before_the_first_congress(terror_run):
    _, table = terror_run
    first = table.index[table["month"] == "1924-01"][0]  # the 13th Conference
    for name in ["votes_against", "private_opposition", "hidden_opposition", "delegates_against"]:
        assert table[name].iloc[first:].notna().all(), name
        assert table[name].between(0, 1).all(), name


def test_every_outcome_is_finite_or_a_documented_nan(terror_run):
    _, table = terror_run
    for name in OUTCOMES:
        column = table[name]
        if name == "month":
            assert column.dtype == pd.PeriodDtype("M")
            assert column.is_monotonic_increasing and column.notna().all()
            continue
        if name in TEXT:
            assert column.map(lambda v: isinstance(v, str) and v != "").all(), name
            continue
        values = column.to_numpy(dtype=np.float64)
        assert not np.isinf(values).any(), name
        if name not in NAN_WHEN:
            assert np.isfinite(values).all(), f"{name} is NaN but NaN is not documented for it"
    # The documented NaNs happen exactly when their condition holds.
    punished = table["expelled"] + table["imprisoned"] + table["executed"]
    np.testing.assert_array_equal(table["innocent_share"].isna(), punished == 0)
    np.testing.assert_array_equal(table["innocent_share_total"].isna(), punished.cumsum() == 0)
    np.testing.assert_array_equal(table["opposed_share"].isna(), punished == 0)
    np.testing.assert_array_equal(table["opposed_share_total"].isna(), punished.cumsum() == 0)
    assert table["members_active"].min() > 0
    for name in ("deviating", "openness", "falsification", "fear", "belief_mean", "leader_error"):
        assert table[name].notna().all(), name
    # The run does exercise the measures: punishment, innocents, a purged committee.
    assert punished.sum() > 0
    assert table["innocent_share"].notna().any()
    # The committee elected in 1934 loses members before the next is elected in March 1939.
    assert table["cc_purged_share"].max() > 0
    assert table["cc1924_purged_share"].iloc[-1] > 0


def test_counts_are_integers_and_shares_are_shares(terror_run):
    _, table = terror_run
    counts = [
        "members_active", "members_expelled", "prisoners", "expelled", "imprisoned", "executed",
        "warnings", "demotions", "expelled_total", "imprisoned_total", "executed_total",
        "purges_total",
        "died_in_prison", "released", "readmitted", "recruits",
    ]  # fmt: skip
    for name in counts:
        values = table[name].to_numpy()
        assert np.issubdtype(values.dtype, np.integer), name
        assert (values >= 0).all(), name
    for name in ("deviating", "seen_deviating", "openness", "innocent_share", "cc_purged_share"):
        values = table[name].dropna()
        assert ((values >= 0) & (values <= 1)).all(), name
    np.testing.assert_array_equal(table["executed_total"], table["executed"].cumsum())
    purges = table["expelled"] + table["imprisoned"] + table["executed"]
    np.testing.assert_array_equal(table["purges_total"], purges.cumsum())
    np.testing.assert_array_equal(table["expelled_total"], table["expelled"].cumsum())
    np.testing.assert_allclose(table["policy_error"], (table["line"] - table["reality"]).abs())


# ---------------------------------------------------------------------------- by hand
#: Beliefs given to members in turn; with line 0, tau 0.2, nu 0.1, psi 0.2, beta 0.5 the
#: tipping point is (0.1 + 0.02) / (0.5 - 0.18) = 0.375, so, with delta = |b| / 2:
BELIEFS = np.array([0.0, 0.2, -0.3, 0.6, -0.8, 1.0, 0.5, -1.0])
DELTA = np.array([0.0, 0.1, 0.15, 0.3, 0.4, 0.5, 0.25, 0.5])
VOICED = np.array([0.0, 0.1, 0.15, 0.2, 0.4, 0.5, 0.2, 0.5])  # comply x3, censor, defy x2 ...
SAID = np.array([0.0, 0.2, -0.3, 0.4, -0.8, 1.0, 0.4, -1.0])
SIZE = 80  # ten rounds of the eight beliefs


@pytest.fixture
def controlled():
    """A quiet party of 80 with hand-set beliefs and no debate, signals, fear or social proof."""
    model = PartyModel(
        "base",
        seed=9,
        overrides={
            "population.size": SIZE,
            "population.pool_factor": 1.0,
            "population.boldness_sd": 0.0,
            "population.boldness_mean": 0.5,
            "population.attrition": 0.0,
            "debate.model": "none",
            "debate.anchor": 0.0,
            "reality.signal_weight": 0.0,
            "voice.fear_weight": 0.0,
            "voice.social_proof": 0.0,
            "leadership.initial_line": 0.0,
            "policy.tolerance": 0.2,
            "policy.surveillance": 0.1,
            "policy.severity": 0.2,
            "policy.review_rate": 1.0,
            "policy.recruitment": 0.0,
            "policy.ladder.imprisonment": float("inf"),
            "end": "1924-03",
        },
    )
    model.members.belief[:SIZE] = np.tile(BELIEFS, SIZE // BELIEFS.size)
    return model


def test_openness_and_falsification_by_hand(controlled):
    model = controlled
    assert model.line == 0.0
    model.step()
    m = model.members
    np.testing.assert_allclose(m.dissent[:SIZE], np.tile(VOICED, 10), atol=1e-7)
    np.testing.assert_allclose(m.expressed[:SIZE], np.tile(SAID, 10), atol=1e-7)
    openness = VOICED.sum() / DELTA.sum()  # 2.05 / 2.2
    falsification = np.abs(BELIEFS - SAID).mean()  # (0.2 + 0.1) / 8
    assert openness == pytest.approx(0.9318181818181818)
    assert falsification == pytest.approx(0.0375)
    row = model.outcomes().iloc[-1]
    # Member state is float32, so the measures agree with the hand count to float32 precision.
    assert row["openness"] == pytest.approx(openness, rel=1e-6)
    assert row["falsification"] == pytest.approx(falsification, rel=1e-6)
    assert row["deviating"] == pytest.approx(3 / 8)  # delta 0.4, 0.5, 0.5 defy
    assert math.isnan(row["innocent_share"])  # nobody punished
    assert row["cc_purged_share"] == 0.0


def test_cc_purged_share_and_innocent_share_by_hand(controlled):
    model = controlled
    model.step()
    m = model.members
    committee = np.flatnonzero(m.initial_cc & (m.status == Status.ACTIVE))
    assert committee.size == 7 + 53  # politburo and central committee of base.toml
    chosen = committee[:3]
    # Three committee members are doomed: marks enough for expulsion (3 / psi = 15), new marks
    # so that they are reviewed; they say the line, so they do not deviate now; one of them
    # deviated before.
    m.dossier[chosen] = 100.0
    model.add_marks(chosen)
    m.belief[chosen] = model.line
    m.ever_deviated[chosen] = [False, False, True]
    model.step()
    row = model.outcomes().iloc[-1]
    assert np.all(m.status[chosen] == Status.EXPELLED)
    assert row["expelled"] == 3
    assert row["cc_purged_share"] == pytest.approx(3 / 60, rel=1e-12)
    assert row["innocent_share"] == pytest.approx(2 / 3, rel=1e-12)
    assert row["innocent_share_total"] == pytest.approx(2 / 3, rel=1e-12)
    # Next month nobody is punished: this month's share is undefined, the total stays.
    model.step()
    row = model.outcomes().iloc[-1]
    assert math.isnan(row["innocent_share"])
    assert row["innocent_share_total"] == pytest.approx(2 / 3)
    assert row["cc_purged_share"] == pytest.approx(3 / 60)


def test_openness_and_falsification_match_a_count_every_month(make_probe):
    """On a run with repression, the recorded measures equal a count at the moment of voice."""
    model = make_probe("historical", seed=3, size=300, pool_factor=3.0, end="1937-12")
    while model.running:
        model.step()
        voiced = model.voiced
        active = voiced["active"]
        delta = 0.5 * np.abs(voiced["belief"] - voiced["line"])
        dissent = voiced["dissent"][active]
        row = model.current_outcomes
        assert row["openness"] == pytest.approx(dissent.sum() / delta.sum(), rel=1e-5)
        gap = np.abs(voiced["belief"] - voiced["expressed"])
        assert row["falsification"] == pytest.approx(gap.mean(), rel=1e-5)
        deviating = np.count_nonzero(dissent > voiced["tolerance"] + 1e-12) / active.size
        assert row["deviating"] == pytest.approx(deviating)
        m = model.members
        live = m.status == Status.ACTIVE
        assert row["fear"] == pytest.approx(m.fear[live].mean())
        assert row["belief_sd"] == pytest.approx(m.belief[live].std())
        cc = m.initial_cc
        purged_1924 = np.count_nonzero(m.purged & cc) / cc.sum()
        assert row["cc1924_purged_share"] == pytest.approx(purged_1924)
        # cc_purged_share follows the committee elected last (the 1925 congress elects one).
        cohort = np.zeros(m.rows, dtype=bool)
        cohort[model.central_committee.rows] = True
        since = np.count_nonzero(m.purged & cohort) - model.central_committee.purged_before
        assert row["cc_purged_share"] == pytest.approx(since / cohort.sum())
