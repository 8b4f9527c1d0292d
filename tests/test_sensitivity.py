"""Global sensitivity analysis: known indices of the Ishigami function, and on the model."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import TINY_RUN
from SALib.sample import sobol as sobol_sampling

from simulation.experiment import sensitivity
from simulation.experiment.design import DesignError, make_specs
from simulation.experiment.executors import MemoryStore, execute
from simulation.scenario import resolve_scenario

PI = math.pi
ISHIGAMI = {"x1": (-PI, PI), "x2": (-PI, PI), "x3": (-PI, PI)}


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami & Homma (1990): sin x1 + a sin^2 x2 + b x3^4 sin x1."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytic first-order and total Sobol indices (e.g. Saltelli et al. 2008, §4.6)."""
    v1 = 0.5 * (1 + b * PI**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * PI**8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / total, np.array([v1 + v13, v2, v13]) / total


def test_analytic_ishigami_values_are_the_literature_ones():
    first, total = ishigami_indices()
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-3)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-3)


def test_sobol_recovers_ishigami_indices():
    problem = sensitivity.problem(ISHIGAMI)
    x = sensitivity.sample(problem, "sobol", 1024, seed=1)
    assert x.shape == (1024 * 5, 3)
    table = sensitivity.analyse(problem, "sobol", x, ishigami(x), seed=1)
    assert list(table.columns) == ["parameter", "method", "S1", "S1_conf", "ST", "ST_conf"]
    assert list(table["parameter"]) == ["x1", "x2", "x3"]
    first, total = ishigami_indices()
    assert table["S1"].to_numpy() == pytest.approx(first, abs=0.05)
    assert table["ST"].to_numpy() == pytest.approx(total, abs=0.05)
    assert np.all(table[["S1_conf", "ST_conf"]].to_numpy() > 0)


def test_analyse_agrees_with_salib_sampler_directly():
    problem = sensitivity.problem(ISHIGAMI)
    x = sobol_sampling.sample(dict(problem), 512, calc_second_order=False, seed=3)
    table = sensitivity.analyse(problem, "sobol", x, ishigami(x), seed=3)
    first, total = ishigami_indices()
    assert table["S1"].to_numpy() == pytest.approx(first, abs=0.08)
    assert table["ST"].to_numpy() == pytest.approx(total, abs=0.08)


def test_morris_ranks_x1_and_x2_above_x3():
    problem = sensitivity.problem(ISHIGAMI)
    x = sensitivity.sample(problem, "morris", 50, seed=1)
    assert x.shape == (50 * 4, 3)
    table = sensitivity.analyse(problem, "morris", x, ishigami(x), seed=1)
    assert list(table.columns) == ["parameter", "method", "mu_star", "mu_star_conf", "sigma"]
    mu_star = dict(zip(table["parameter"], table["mu_star"], strict=True))
    assert min(mu_star["x1"], mu_star["x2"]) > mu_star["x3"]
    assert np.all(np.isfinite(table[["mu_star", "mu_star_conf", "sigma"]].to_numpy()))


def test_a_constant_output_has_zero_sobol_indices():
    problem = sensitivity.problem({"a": (0, 1), "b": (0, 1)})
    x = sensitivity.sample(problem, "sobol", 8, seed=0)
    table = sensitivity.analyse(problem, "sobol", x, np.ones(len(x)))
    assert np.all(table[["S1", "ST"]].to_numpy() == 0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sensitivity.problem({"a": (0, 1)}), "at least two parameters"),
        (lambda: sensitivity.problem({"a": (1, 0), "b": (0, 1)}), "must be below HIGH"),
        (
            lambda: sensitivity.sample(sensitivity.problem(ISHIGAMI), "sobol", 100, 0),
            r"power of two \(e.g. 64 or 128\), not 100",
        ),
        (
            lambda: sensitivity.sample(sensitivity.problem(ISHIGAMI), "fast", 8, 0),
            "unknown; allowed: morris, sobol",
        ),
        (
            lambda: sensitivity.analyse(
                sensitivity.problem({"a": (0, 1), "b": (0, 1)}),
                "morris",
                np.zeros((3, 2)),
                np.array([1.0, np.nan, 2.0]),
            ),
            r"undefined \(NaN\) at 1 of 3 points",
        ),
    ],
)
def test_sensitivity_errors(call, message):
    with pytest.raises(DesignError, match=message):
        call()


@pytest.fixture
def hand_made_runs() -> pd.DataFrame:
    """Two points, two replicates, three months; fear = 10 point + replicate + month."""
    rows = []
    for point in (0, 1):
        for replicate in (0, 1):
            for month_number, month in enumerate(("1924-01", "1924-02", "1924-03")):
                fear = 10 * point + replicate + month_number
                rows.append(
                    {
                        "run": f"s-p{point}-r{replicate}",
                        "scenario": "s",
                        "point": point,
                        "replicate": replicate,
                        "seed": replicate,
                        "policy.tolerance": 0.1 * point,
                        "month": month,
                        "fear": float(fear),
                        "openness": math.nan if month_number == 2 else 1.0,
                    }
                )
    return pd.DataFrame(rows)


def test_outcome_values_statistics(hand_made_runs):
    final = sensitivity.outcome_values(hand_made_runs, "fear", "final")
    assert list(final.index) == [0, 1]
    assert final.to_list() == [2.5, 12.5]  # month 2, replicates 0 and 1 averaged
    mean = sensitivity.outcome_values(hand_made_runs, "fear", "mean")
    assert mean.to_list() == [1.5, 11.5]
    period = sensitivity.outcome_values(hand_made_runs, "fear", "mean:1924-01:1924-02")
    assert period.to_list() == [1.0, 11.0]
    at = sensitivity.outcome_values(hand_made_runs, "fear", "at:1924-02")
    assert at.to_list() == [1.5, 11.5]  # month 2 of 3
    # A mean skips undefined months; a final value is the last month's, undefined or not.
    assert sensitivity.outcome_values(hand_made_runs, "openness", "mean").to_list() == [1, 1]
    assert sensitivity.outcome_values(hand_made_runs, "openness", "final").isna().all()


@pytest.mark.parametrize(
    ("outcome", "statistic", "message"),
    [
        ("fearr", "final", "unknown outcome; did you mean 'fear'"),
        ("fear", "median", "--statistic median"),
        ("fear", "mean:1924-03:1924-01", "ends before it starts"),
        ("fear", "mean:1930-01:1930-12", "no month"),
        ("executed_total", "mean", "cumulative count: its mean over months"),
        ("executed_total", "mean:1924-01:1924-02", "read it at a date"),
    ],
)
def test_outcome_values_errors(hand_made_runs, outcome, statistic, message):
    with pytest.raises(DesignError, match=message):
        sensitivity.outcome_values(hand_made_runs, outcome, statistic)


def test_check_outcome_knows_factions():
    assert sensitivity.check_outcome("faction_left", ("left", "right")) == "faction_left"
    with pytest.raises(DesignError, match="did you mean 'policy_error'"):
        sensitivity.check_outcome("policy_eror")
    with pytest.raises(DesignError, match="unknown outcome"):
        sensitivity.check_outcome("month")


def test_check_outcome_knows_the_layers_of_the_scenario():
    """With the succession on, each contender's power and the democracy measures may be
    analysed; his fate (a label) and a layer the scenario lacks may not."""
    columns = sensitivity.scenario_outcomes(resolve_scenario("trotsky"))
    assert sensitivity.check_outcome("power_trotsky", columns=columns) == "power_trotsky"
    assert sensitivity.check_outcome("leader_security", columns=columns) == "leader_security"
    assert "leader_changes_by_vote" in sensitivity.outcome_names(columns=columns)
    with pytest.raises(DesignError, match="unknown outcome"):
        sensitivity.check_outcome("fate_trotsky", columns=columns)
    fixed = sensitivity.scenario_outcomes(resolve_scenario("trotsky_fixed"))
    with pytest.raises(DesignError, match="unknown outcome"):
        sensitivity.check_outcome("power_trotsky", columns=fixed)


def test_morris_on_the_model_gives_finite_indices():
    scenario = resolve_scenario("historical", TINY_RUN)
    problem = sensitivity.problem({"policy.tolerance": (0.0, 0.5), "policy.surveillance": (0, 1)})
    x = sensitivity.sample(problem, "morris", 2, seed=0)
    points = [dict(zip(problem["names"], row, strict=True)) for row in x]
    specs = make_specs(scenario, points, replicates=1, seed=0)
    store = MemoryStore()
    execute(specs, store, executor="serial")
    runs = store.load(specs)
    for outcome in ("policy_error", "deviating"):
        y = sensitivity.outcome_values(runs, outcome, "mean").to_numpy()
        assert len(y) == len(x)
        table = sensitivity.analyse(problem, "morris", x, y, seed=0)
        assert np.all(np.isfinite(table[["mu_star", "mu_star_conf", "sigma"]].to_numpy()))
