"""Single runs and replicate ensembles: seeds, common random numbers, workers, order."""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.experiment.runs import RunResult, run_replicates, run_scenario
from simulation.model.rng import replicate_seeds
from simulation.scenario import ScenarioError, load_scenario

TINY = {"population.size": 300, "population.pool_factor": 2, "end": "1926-06"}
MONTHS = 30


@pytest.fixture(scope="module")
def scenarios():
    return [load_scenario(name, TINY) for name in ("historical", "trotsky")]


def test_run_scenario_returns_outcomes_and_members(scenarios):
    result = run_scenario(scenarios[0], seed=5)
    assert isinstance(result, RunResult)
    assert result.seed == 5 and result.scenario == scenarios[0]
    assert len(result.outcomes) == MONTHS
    assert result.outcomes["month"].iloc[0] == pd.Period("1924-01", "M")
    assert result.members is not None and len(result.members) >= 300
    assert run_scenario(scenarios[0], seed=5, keep_members=False).members is None


def test_run_scenario_same_seed_same_result_and_overrides_apply(scenarios):
    by_name = run_scenario("historical", 11, [f"{k}={v}" for k, v in TINY.items()])
    by_object = run_scenario(scenarios[0], 11)
    assert by_name.scenario == by_object.scenario
    pd.testing.assert_frame_equal(by_name.outcomes, by_object.outcomes)
    tighter = run_scenario(scenarios[0], 11, ["policy.tolerance=0.01"])
    assert tighter.scenario.policy.tolerance == 0.01
    assert tighter.outcomes["tolerance"].iloc[0] == pytest.approx(0.01)


def test_run_scenario_bad_override_is_a_scenario_error(scenarios):
    with pytest.raises(ScenarioError, match=r"policy\.tolerance"):
        run_scenario(scenarios[0], 1, ["policy.tolerance=7"])


def test_replicate_table_is_tidy_ordered_and_shares_seeds(scenarios):
    runs = run_replicates(scenarios, replicates=3, seed=42, workers=1, progress=False)
    assert list(runs.columns[:4]) == ["scenario", "replicate", "seed", "month"]
    assert runs["month"].dtype == pd.PeriodDtype("M")
    assert len(runs) == 2 * 3 * MONTHS
    firsts = runs.drop_duplicates(["scenario", "replicate"])
    assert list(firsts["scenario"]) == ["historical"] * 3 + ["trotsky"] * 3
    assert list(firsts["replicate"]) == [0, 1, 2, 0, 1, 2]
    seeds = replicate_seeds(42, 3)
    # Common random numbers: replicate k of every scenario uses the same seed.
    assert list(firsts["seed"]) == seeds + seeds
    # A replicate is exactly the single run with its seed.
    alone = run_scenario(scenarios[1], seeds[2]).outcomes
    chosen = runs[(runs["scenario"] == "trotsky") & (runs["replicate"] == 2)]
    # The table holds every scenario's columns (trotsky's leader columns after historical's):
    # the replicate's own columns, in its own order, are the single run.
    table = chosen.drop(columns=["scenario", "replicate", "seed"]).reset_index(drop=True)
    assert set(alone.columns) <= set(table.columns)
    pd.testing.assert_frame_equal(table[list(alone.columns)], alone)


def test_process_pool_gives_the_serial_result(scenarios):
    serial = run_replicates(scenarios, replicates=2, seed=9, workers=1, progress=False)
    pooled = run_replicates(scenarios, replicates=2, seed=9, workers=2, progress=False)
    pd.testing.assert_frame_equal(serial, pooled)


def test_progress_can_be_forced(scenarios, capsys):
    run_replicates(scenarios[:1], replicates=1, seed=0, progress="always")
    assert "runs" in capsys.readouterr().err


def test_bad_ensembles_are_refused(scenarios):
    with pytest.raises(ValueError, match="replicates"):
        run_replicates(scenarios, replicates=0, seed=1, progress=False)
    with pytest.raises(ValueError, match="workers"):
        run_replicates(scenarios, replicates=1, seed=1, workers=0, progress=False)
    with pytest.raises(ValueError, match="repeated: historical"):
        run_replicates([scenarios[0], scenarios[0]], replicates=1, seed=1, progress=False)
