"""Invariants over random policies (Hypothesis): conservation, ranges, determinism.

Each example runs a small party (150 members) through two years of a timeline with a quota
terror, executions, short prison terms, an amnesty and recruitment, so that every status and
every flow occurs, under a policy drawn by Hypothesis.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.model.members import Status
from simulation.model.party import PartyModel
from simulation.model.passes.rolls import active_rows
from simulation.scenario import Scenario, load_scenario

# Extreme parameters must not make numpy warn (overflow, 0/0): results are meant.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

SIZE = 150
EVENTS = [
    {"month": "1924-03", "kind": "campaign", "months": 6, "quota": 0.03, "execution_share": 0.4,
     "include_expelled": True, "random_share": 0.3},
    {"month": "1924-06", "kind": "campaign", "months": 2, "quota": 0.05, "sanction": "expulsion",
     "faction": "left"},
    {"month": "1924-09", "kind": "shock", "size": -0.4},
    {"month": "1924-10", "kind": "leader", "successor": "cc_vote"},
    {"month": "1925-01", "kind": "amnesty", "release": 0.5, "readmit": 0.3},
    {"month": "1925-03", "kind": "policy", "set": {"severity": 3.0, "ladder": {"execution": 5.0}}},
]  # fmt: skip


@pytest.fixture(scope="module")
def timeline() -> Scenario:
    data = load_scenario("base").model_dump()
    data.update(name="properties", end="1925-12", events=EVENTS)
    data["population"].update(size=SIZE, pool_factor=2.0)
    data["policy"].update(prison_term=4.0, rehabilitation=0.01, recruitment=0.02)
    return Scenario.model_validate(data)


policies = st.fixed_dictionaries(
    {
        "policy.tolerance": st.floats(0.0, 1.0),
        "policy.surveillance": st.floats(0.0, 1.0),
        "policy.severity": st.floats(0.0, 10.0),
        "policy.denunciation": st.floats(0.0, 0.5),
        "policy.false_denunciation": st.floats(0.0, 0.05),
        "policy.association": st.floats(0.0, 1.0),
        "policy.review_rate": st.floats(0.0, 1.0),
        "policy.ladder.execution": st.sampled_from([math.inf, 4.0, 1.0]),
        "voice.punishment": st.sampled_from(["uniform", "proportional"]),
        "voice.social_proof": st.floats(0.0, 2.0),
        "debate.model": st.sampled_from(["deffuant", "hegselmann-krause", "none"]),
    }
)


class Probe(PartyModel):
    """Checks the voice decision of every month as it is made (beliefs move afterwards)."""

    def _speak(self) -> None:
        super()._speak()
        m, active = self.members, self.rolls.active
        delta = 0.5 * np.abs(m.belief[active] - self.line)
        dissent = m.dissent[active]
        assert np.all(dissent >= 0.0)
        assert np.all(dissent <= delta + 1e-6)
        silent = np.ones(m.rows, dtype=bool)
        silent[active] = False
        assert np.all(m.dissent[silent] == 0.0)
        # Member state is float32: what was said agrees with the rule to float32 precision.
        said = self.line + np.sign(m.belief[active] - self.line) * 2.0 * dissent
        np.testing.assert_allclose(m.expressed[active], said, atol=1e-6)


def check_month(model: PartyModel, row: pd.Series, previous: pd.Series | None) -> None:
    m = model.members
    counts = np.bincount(m.status, minlength=len(Status))
    # Everyone is somewhere, and the table's stocks are the state's.
    assert counts.sum() == m.rows
    assert row["members_active"] == counts[Status.ACTIVE]
    assert row["members_expelled"] == counts[Status.EXPELLED]
    assert row["prisoners"] == counts[Status.IMPRISONED]
    assert row["executed_total"] == counts[Status.EXECUTED]
    assert (
        row["members_active"] + row["members_expelled"] + row["prisoners"] + row["executed_total"]
        + counts[Status.GONE]
    ) == m.rows  # fmt: skip
    # Ranges of state.
    assert np.all((m.belief >= -1.0) & (m.belief <= 1.0))
    assert np.all((m.fear >= 0.0) & (m.fear <= 1.0))
    assert np.all(m.dossier >= 0.0)
    assert np.all(m.term[m.status == Status.IMPRISONED] >= 1) or row["prisoners"] == 0
    # Ranges of outcomes (NaN only where documented: nobody to measure).
    for column in ("deviating", "seen_deviating", "openness", "innocent_share",
                   "innocent_share_total", "cc_purged_share", "fear"):  # fmt: skip
        value = row[column]
        assert math.isnan(value) or 0.0 <= value <= 1.0 + 1e-12, column
    # Falsification is NaN only in a month when nobody was left to speak.
    assert math.isnan(row["falsification"]) == math.isnan(row["deviating"])
    assert math.isnan(row["falsification"]) or row["falsification"] >= 0.0
    assert -1.0 <= row["line"] <= 1.0 and -1.0 <= row["reality"] <= 1.0
    punished = row["expelled"] + row["imprisoned"] + row["executed"]
    assert math.isnan(row["innocent_share"]) == (punished == 0)
    if previous is not None:
        # Flows add up to the change in stocks.
        assert row["executed_total"] == previous["executed_total"] + row["executed"]
        assert row["expelled_total"] == previous["expelled_total"] + row["expelled"]
        assert row["imprisoned_total"] == previous["imprisoned_total"] + row["imprisoned"]
        assert row["prisoners"] == (
            previous["prisoners"] + row["imprisoned"] - row["released"] - row["died_in_prison"]
        )
        # The dead stay dead and the purged stay purged.
        assert row["cc_purged_share"] >= previous["cc_purged_share"]


def run_checked(scenario: Scenario, policy: dict, seed: int) -> pd.DataFrame:
    model = Probe(scenario, seed=seed, overrides=policy)
    previous = None
    gone = rows = None
    while model.running:
        model.step()
        row = model.outcomes().iloc[-1]
        check_month(model, row, previous)
        now_gone = model.members.count(Status.GONE)
        now_rows = model.members.rows
        if gone is not None:
            assert now_gone >= gone  # death and leaving are for good
            assert now_rows == rows + row["recruits"]  # a row is added only by recruitment
        gone, rows, previous = now_gone, now_rows, row
    return model.outcomes()


@given(policy=policies, seed=st.integers(0, 2**32 - 1))
def test_conservation_ranges_and_voice_bounds(timeline, policy, seed):
    table = run_checked(timeline, policy, seed)
    assert len(table) == 24


@given(policy=policies, seed=st.integers(0, 2**32 - 1))
def test_same_seed_same_table(timeline, policy, seed):
    first = PartyModel(timeline, seed=seed, overrides=policy).run()
    second = PartyModel(timeline, seed=seed, overrides=policy).run()
    pd.testing.assert_frame_equal(first, second)


def test_the_timeline_exercises_every_status(timeline):
    """The fixed timeline does produce expulsions, prisons, executions, releases, readmission."""
    table = run_checked(timeline, {"policy.ladder.execution": 4.0}, seed=3)
    for column in ("expelled", "imprisoned", "executed", "released", "readmitted", "recruits"):
        assert table[column].sum() > 0, column


@given(st.lists(st.sampled_from([int(s) for s in Status]), max_size=300))
def test_the_mid_month_roll_lists_the_active_rows_in_order(statuses):
    status = np.array(statuses, dtype=np.int8)
    rows = active_rows(status)
    assert rows.dtype == np.int32
    assert rows.tolist() == np.flatnonzero(status == Status.ACTIVE).tolist()
