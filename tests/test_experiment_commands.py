"""The sweep and sensitivity commands, in-process at a tiny size."""

from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest

from simulation.cli import sensitivity, sweep
from simulation.experiment.design import DesignError
from simulation.scenario import ScenarioError

TINY = ["--set", "population.size=200", "--set", "population.pool_factor=2", "--set", "end=1925-03"]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="politburo")
    commands = parser.add_subparsers(dest="command", required=True)
    sweep.add_parser(commands)
    sensitivity.add_parser(commands)
    return parser.parse_args(argv)


def run(argv: list[str]) -> int:
    options = parse(argv)
    options.argv = ["politburo", *argv]
    handler = {"sweep": sweep.command, "sensitivity": sensitivity.command}[options.command]
    return handler(options)


def test_sweep_grid_writes_summary_figures_report_and_resumes(tmp_path, capsys):
    out = tmp_path / "sweep"
    argv = [
        "sweep", "historical", *TINY, "--param", "policy.tolerance=0:0.5:2",
        "--param", "policy.surveillance=0.1,0.9", "--replicates", "2",
        "--executor", "serial", "--out", str(out),
    ]  # fmt: skip
    assert run(argv) == 0
    design = pd.read_csv(out / "design.csv")
    assert list(design.columns) == ["point", "policy.tolerance", "policy.surveillance"]
    assert len(design) == 4
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["statistic"]) == {"final", "mean"}
    assert set(summary["point"]) == {0, 1, 2, 3}
    assert (summary.loc[summary["outcome"] == "policy_error", "n"] == 2).all()
    assert {"policy.tolerance", "policy.surveillance", "mean", "low", "high"} <= set(summary)
    assert (out / "report.md").is_file() and (out / "report.html").is_file()
    assert (out / "figures" / "heatmap-policy_error.png").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert len(manifest["runs"]) == 8
    capsys.readouterr()
    assert run(argv) == 0  # the same command again: nothing left to run
    assert "8 already finished, 0 run now" in capsys.readouterr().out


def test_sweep_lhs_and_design_file(tmp_path):
    out = tmp_path / "lhs"
    argv = [
        "sweep", "historical", *TINY, "--param", "policy.tolerance=0:0.5",
        "--lhs", "3", "--replicates", "1", "--executor", "serial", "--out", str(out),
    ]  # fmt: skip
    assert run(argv) == 0
    assert len(pd.read_csv(out / "design.csv")) == 3
    design = tmp_path / "points.csv"
    design.write_text("policy.severity\n0.5\n2\n")
    out = tmp_path / "file"
    argv = [
        "sweep", "historical", *TINY, "--design", str(design), "--replicates", "1",
        "--executor", "serial", "--out", str(out),
    ]  # fmt: skip
    assert run(argv) == 0
    assert pd.read_csv(out / "design.csv")["policy.severity"].to_list() == [0.5, 2.0]
    assert (out / "figures" / "response-policy_error.png").is_file()


def test_sensitivity_morris_writes_indices(tmp_path, capsys):
    out = tmp_path / "morris"
    argv = [
        "sensitivity", "historical", *TINY, "--method", "morris",
        "--param", "policy.tolerance=0:0.5", "--param", "policy.surveillance=0:1",
        "--outcome", "policy_error", "--outcome", "deviating", "--statistic", "mean",
        "--samples", "2", "--executor", "serial", "--out", str(out),
    ]  # fmt: skip
    assert run(argv) == 0
    indices = pd.read_csv(out / "sensitivity.csv")
    assert list(indices.columns) == [
        "outcome", "statistic", "parameter", "method", "mu_star", "mu_star_conf", "sigma",
    ]  # fmt: skip
    assert len(indices) == 4
    assert indices[["mu_star", "sigma"]].notna().all().all()
    assert len(pd.read_csv(out / "design.csv")) == 6  # 2 trajectories x (2 + 1) points
    assert (out / "report.html").is_file()
    assert "policy_error (mean), by mu_star" in capsys.readouterr().out


#: A sensitivity command with two valid parameter ranges, for the error cases to extend.
SENSITIVITY_TWO_PARAMS = [
    "sensitivity", "historical",
    "--param", "policy.tolerance=0:1", "--param", "policy.severity=0:1",
]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sweep", "historical", "--param", "policy.tolerance=0:2:3"], "out of range"),
        (["sweep", "historical", "--param", "policy.tolerance=0:1"], "--lhs N"),
        (["sweep", "historical"], "at least one parameter"),
        (
            ["sweep", "historical", "--design", "d.csv", "--param", "policy.tolerance=0,1"],
            "leave out --param",
        ),
        (
            ["sensitivity", "historical", "--param", "policy.tolerance=0:1", "--outcome", "fear"],
            "at least two parameters",
        ),
        (
            [*SENSITIVITY_TWO_PARAMS, "--outcome", "fer"],
            "did you mean 'fear'",
        ),
        (
            [*SENSITIVITY_TWO_PARAMS, "--method", "sobol", "--samples", "10", "--outcome", "fear"],
            "power of two",
        ),
        (
            [
                "sensitivity",
                "historical",
                "--param",
                "policy.tolerance=0:1:3",
                "--param",
                "policy.severity=0:1",
                "--outcome",
                "fear",
            ],
            "give a range NAME=LOW:HIGH",
        ),
        (["sensitivity", "historical", "--param", "policy.tolerance=0:1"], "at least one outcome"),
        (
            [*SENSITIVITY_TWO_PARAMS, "--outcome", "fear", "--statistic", "median"],
            "unknown statistic",
        ),
        (
            [*SENSITIVITY_TWO_PARAMS, "--outcome", "executed_total", "--statistic", "mean"],
            "executed_total is a cumulative count",
        ),
    ],
)
def test_user_mistakes_are_one_line_scenario_errors(tmp_path, argv, message):
    with pytest.raises(DesignError, match=message) as raised:
        run([*argv, "--out", str(tmp_path / "x")])
    assert isinstance(raised.value, ScenarioError)  # the command line reports it, exit code 2
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "x").exists()  # nothing is written before the design is checked
