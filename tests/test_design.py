"""Experimental designs: --param specs, grids, Latin hypercubes, CSV designs and run specs."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.experiment.design import (
    DesignError,
    bounds_of,
    grid,
    latin_hypercube,
    make_specs,
    parse_param,
    read_design,
)
from simulation.model.rng import replicate_seeds
from simulation.scenario import ScenarioError, resolve_scenario


@pytest.fixture(scope="module")
def scenario():
    return resolve_scenario("historical")


def test_grid_spec_list_and_range(scenario):
    tolerance = parse_param("policy.tolerance=0:1:11", scenario)
    assert tolerance.levels == pytest.approx(np.linspace(0, 1, 11))
    assert tolerance.bounds == (0.0, 1.0)
    listed = parse_param("policy.severity=0.5, 2,1", scenario)
    assert listed.levels == (0.5, 2.0, 1.0) and listed.bounds == (0.5, 2.0)
    ranged = parse_param("policy.tolerance=0.1:0.4", scenario)
    assert ranged.levels is None and ranged.bounds == (0.1, 0.4)


def test_grid_points_and_order_last_parameter_fastest(scenario):
    a = parse_param("policy.tolerance=0:1:3", scenario)
    b = parse_param("policy.severity=1,2", scenario)
    points = grid([a, b])
    assert points == [
        {"policy.tolerance": 0.0, "policy.severity": 1.0},
        {"policy.tolerance": 0.0, "policy.severity": 2.0},
        {"policy.tolerance": 0.5, "policy.severity": 1.0},
        {"policy.tolerance": 0.5, "policy.severity": 2.0},
        {"policy.tolerance": 1.0, "policy.severity": 1.0},
        {"policy.tolerance": 1.0, "policy.severity": 2.0},
    ]


def test_grid_refuses_a_bare_range_and_a_repeated_key(scenario):
    with pytest.raises(DesignError, match="--lhs"):
        grid([parse_param("policy.tolerance=0:1", scenario)])
    twice = [parse_param("policy.tolerance=0:1:2"), parse_param("policy.tolerance=0,1")]
    with pytest.raises(DesignError, match="more than once"):
        grid(twice)


def test_latin_hypercube_one_point_per_stratum_and_deterministic():
    ranges = {"policy.tolerance": (0.0, 0.5), "policy.severity": (1.0, 4.0), "x.y": (-1.0, 1.0)}
    n = 20
    points = latin_hypercube(ranges, n, seed=7)
    assert len(points) == n
    for key, (low, high) in ranges.items():
        values = np.array([point[key] for point in points])
        assert np.all((values >= low) & (values <= high))
        strata = np.floor((values - low) / (high - low) * n).astype(int)
        assert sorted(strata) == list(range(n))
    assert latin_hypercube(ranges, n, seed=7) == points
    assert latin_hypercube(ranges, n, seed=8) != points


def test_read_design(tmp_path, scenario):
    path = tmp_path / "design.csv"
    path.write_text("policy.tolerance, policy.severity\n0.1,1\n0.3,2.5\n")
    assert read_design(path, scenario) == [
        {"policy.tolerance": 0.1, "policy.severity": 1.0},
        {"policy.tolerance": 0.3, "policy.severity": 2.5},
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such design file"),
        ("", "is empty"),
        ("policy.tolerance\n", "no rows"),
        ("policy.tolerance\n0.1\nlots\n", "line 3: policy.tolerance: 'lots' is not a number"),
        ("policy.tolerance,policy.severity\n0.1,\n", "an empty cell is not a number"),
        ("policy.tolerence\n0.1\n", "unknown key; did you mean 'tolerance'"),
        ("policy.tolerance\n2\n", "out of range"),
    ],
)
def test_read_design_errors(tmp_path, scenario, content, message):
    path = tmp_path / "design.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(DesignError, match=message) as raised:
        read_design(path, scenario)
    assert "\n" not in str(raised.value)
    assert str(path) in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("policy.tolerance", "write KEY=LOW:HIGH:COUNT"),
        ("=0:1", "write KEY=LOW:HIGH:COUNT"),
        ("policy.tolerance=", "write KEY=LOW:HIGH:COUNT"),
        ("policy.tolerance=a:1", "'a' is not a finite number"),
        ("policy.tolerance=0.1,x", "'x' is not a finite number"),
        ("policy.tolerance=0.1,٠.5", "not a finite number in digits 0-9"),
        ("policy.tolerance=0:1:٣", "COUNT"),
        ("policy.tolerance=1:0", r"LOW \(1\) must be below HIGH \(0\)"),
        ("policy.tolerance=0.5:0.5", "must be below HIGH"),
        ("policy.tolerance=0:1:1", "COUNT '1' must be a whole number of at least 2"),
        ("policy.tolerance=0:1:2.5", "COUNT '2.5' must be a whole number"),
        ("policy.tolerance=0:1:3:4", "too many ':'"),
        ("policy.tolerance=0.1,0.1", "must not repeat"),
        ("policy.tolerance=inf,1", "finite"),
        ("policy.tolerence=0:1", "unknown key; did you mean 'tolerance'"),
        ("policy.tolerance=0:2", r"2.0 is out of range; allowed: <= 1"),
        ("policy.severity=-1,1", "out of range"),
    ],
)
def test_malformed_param_specs_give_one_line_errors(scenario, text, message):
    with pytest.raises(DesignError, match=message) as raised:
        parse_param(text, scenario)
    error = raised.value
    assert isinstance(error, ScenarioError) and isinstance(error, ValueError)
    assert str(error).startswith(f"--param {text}")
    assert "\n" not in str(error)


def test_integer_settings_are_rounded(scenario):
    size = parse_param("population.size=100,250.4", scenario)
    assert size.levels == (100, 250)
    specs = make_specs(scenario, [{"population.size": 412.7}], replicates=1, seed=0)
    assert specs[0].scenario.population.size == 413


def test_make_specs_shares_seeds_across_points(scenario):
    points = grid([parse_param("policy.tolerance=0.1,0.3,0.5", scenario)])
    specs = make_specs(scenario, points, replicates=4, seed=11)
    assert len(specs) == 12
    seeds = replicate_seeds(11, 4)
    for number, point in enumerate(points):
        block = specs[number * 4 : (number + 1) * 4]
        assert [s.point for s in block] == [number] * 4
        assert [s.replicate for s in block] == [0, 1, 2, 3]
        assert [s.seed for s in block] == seeds
        assert all(s.scenario.policy.tolerance == point["policy.tolerance"] for s in block)
        assert all(dict(s.parameters) == point for s in block)
    assert len({s.key for s in specs}) == len(specs)


def test_make_specs_names_the_bad_point(scenario):
    points = [{"policy.tolerance": 0.2}, {"policy.tolerance": 1.5}]
    with pytest.raises(DesignError, match=r"design point 1 \(policy.tolerance=1.5\)"):
        make_specs(scenario, points, replicates=1, seed=0)
    with pytest.raises(DesignError, match="at least 1"):
        make_specs(scenario, points, replicates=0, seed=0)


def test_bounds_of_keeps_order(scenario):
    params = [parse_param("policy.severity=0:4"), parse_param("policy.tolerance=0:1:3")]
    assert bounds_of(params) == {"policy.severity": (0.0, 4.0), "policy.tolerance": (0.0, 1.0)}
