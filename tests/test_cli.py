"""The command line, run in-process through ``main([...])`` at a tiny size, and once for real."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation.cli.main import main
from simulation.output.folders import read_frame
from simulation.scenario import load_scenario

TINY_OVERRIDES = ["population.size=300", "population.pool_factor=2", "end=1926-12"]
TINY = [arg for override in TINY_OVERRIDES for arg in ("--set", override)]
MONTHS = 36  # 1924-01 .. 1926-12


def one_error_line(stderr: str) -> str:
    """The single error line a user's mistake must produce."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("politburo: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_run_writes_outcomes_scenario_provenance_and_figures(tmp_path, capsys):
    out = tmp_path / "run"
    members = tmp_path / "members.parquet"
    arguments = ["run", "historical", *TINY, "--seed", "3", "--out", str(out)]
    code = main([*arguments, "--members-out", str(members)])
    assert code == 0
    for name in ("outcomes.csv", "outcomes.parquet", "scenario.toml", "provenance.json"):
        assert (out / name).is_file(), name
    assert list((out / "figures").glob("*.png"))
    outcomes = pd.read_csv(out / "outcomes.csv")
    assert len(outcomes) == MONTHS
    assert outcomes["month"].iloc[-1] == "1926-12"
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "outcomes.parquet").reset_index(drop=True),
        outcomes,
        check_dtype=False,
        check_exact=False,
        rtol=1e-12,
    )
    # The resolved scenario reproduces the scenario that was run.
    assert load_scenario(out / "scenario.toml") == load_scenario("historical", TINY_OVERRIDES)
    record = json.loads((out / "provenance.json").read_text())
    assert record["seed"] == 3
    assert record["version"] == simulation.__version__
    assert record["command"][:3] == ["politburo", "run", "historical"]
    assert set(record["dependencies"]) >= {"numpy", "scipy", "pandas", "mesa", "pyarrow"}
    frame = pd.read_parquet(members)
    assert {"member", "status", "belief", "fear", "dossier"} <= set(frame.columns)
    printed = capsys.readouterr().out
    assert str(out) in printed and "active members" in printed


def test_run_default_directory_and_refusal_to_overwrite(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "trotsky", *TINY, "--seed", "7"]) == 0
    # The --set overrides are part of the default name, as a short hash of their text.
    (out,) = (tmp_path / "results").glob("run-trotsky-seed7-set-*")
    assert len(out.name) == len("run-trotsky-seed7-set-") + 8
    assert (out / "outcomes.csv").is_file()
    capsys.readouterr()

    assert main(["run", "trotsky", *TINY, "--seed", "7"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "already exists" in line and "--force" in line

    (out / "stale.txt").write_text("from an older run")
    assert main(["run", "trotsky", *TINY, "--seed", "7", "--force"]) == 0
    assert not (out / "stale.txt").exists()
    assert (out / "outcomes.csv").is_file()
    # No half-written siblings are left next to the result.
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
    # Other overrides, another folder: the two runs do not collide.
    assert main(["run", "trotsky", *TINY, "--set", "policy.tolerance=0.1", "--seed", "7"]) == 0
    assert len(list(out.parent.iterdir())) == 2


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["run", "historical", "--set", "policy.tolerans=0.3"], ["policy.tolerans", "tolerance"]),
        (["run", "historical", "--set", "policy.tolerance=3"], ["policy.tolerance", "<= 1"]),
        (["run", "no_such_scenario"], ["no_such_scenario", "no such scenario"]),
        (["run", "historical", "--set", "policy.tolerance"], ["KEY.PATH=VALUE"]),
        (["run", "historical", "--seed", "abc"], ["--seed", "'abc'"]),
        (["run", "historical", "--seed", "-1"], ["--seed", ">= 0"]),
        (["compare", "historical", "trotsky", "--replicates", "0"], ["--replicates"]),
        (["compare", "historical", "trotsky", "--workers", "x"], ["--workers"]),
        (["compare", "historical", "historical"], ["given twice"]),
        (["show", "historical", "--set", "network.kind=ring"], ["network.kind", "complete"]),
        (["run", "historical", "--members-out", "m.xlsx"], ["m.xlsx", ".csv"]),
        (["frobnicate"], ["frobnicate"]),
        ([], ["COMMAND"]),
    ],
)
def test_user_mistakes_are_one_line_with_exit_code_2(arguments, expected, tmp_path, capsys):
    arguments = (
        [*arguments, "--out", str(tmp_path / "out")] if arguments[:1] == ["run"] else arguments
    )
    assert main(arguments) == 2
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    for text in expected:
        assert text in line, line
    assert not (tmp_path / "out").exists()


def test_bad_scenario_file_error_names_file_and_key(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text('extends = "historical"\n\n[policy]\nseverity = -1\n')
    assert main(["run", str(path)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert str(path) in line and "policy.severity" in line and ">= 0" in line


def test_compare_writes_tables_report_and_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["compare", "historical", "trotsky", *TINY, "--replicates", "2", "--workers", "1"])
    assert code == 0
    (out,) = (tmp_path / "results").glob("compare-historical-trotsky-set-*")
    runs = pd.read_parquet(out / "runs.parquet")
    # The experiment layout: run key columns (simulation.experiment.spec), then outcomes.
    assert list(runs.columns[:6]) == ["run", "scenario", "point", "replicate", "seed", "month"]
    assert len(runs) == 2 * 2 * MONTHS
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["scenario"]) == {"historical", "trotsky"}
    assert {"n", "mean", "low", "high"} <= set(summary.columns)
    contrasts = pd.read_csv(out / "differences.csv")
    assert set(contrasts["scenario"]) == {"trotsky"}
    assert set(contrasts["baseline"]) == {"historical"}
    for name in ("historical", "trotsky"):
        assert (out / "scenarios" / f"{name}.toml").is_file()
    record = json.loads((out / "provenance.json").read_text())
    assert record["seed"] == 0 and len(record["replicate_seeds"]) == 2
    report = (out / "report.md").read_text()
    assert report.startswith("# Comparison: historical vs trotsky")
    assert "What the model cannot tell" in report and "trotsky − historical" in report
    links = [part.split(")")[0] for part in report.split("](")[1:]]
    assert len(links) >= 7
    for link in links:
        assert (out / link).is_file(), link
    printed = capsys.readouterr().out
    assert "Outcomes in the final month" in printed and "openness" in printed
    assert "still moving at the end" in printed
    # Whole-run means leave out cumulative measures, and the report says so.
    means = summary[summary["statistic"] == "run_mean"]
    assert "fear" in set(means["outcome"]) and "executed_total" not in set(means["outcome"])
    assert "Cumulative measures (`innocent_share_total`" in report
    # The congresses of 1924-01 and 1925-12, read in their months with intervals, not averaged.
    assert "Congress results (`votes_against`, `hidden_opposition`" in report
    votes = report.split("## Congress votes")[1].split("## Over time")[0]
    assert "| 1924-01 13th Conference |" in votes and "| 1925-12 14th Congress |" in votes
    assert "### Hidden opposition (`hidden_opposition`)" in votes
    assert "hidden_disagreement" in set(means["outcome"])
    assert "votes_against" not in set(means["outcome"])
    assert (out / "figures" / "votes_against.png").is_file()
    assert (out / "figures" / "hidden_disagreement.png").is_file()
    assert "still moving at the end" in report
    # Dates and windows asked of the finished experiment add their tables.
    code = main(
        [
            "compare",
            "historical",
            "trotsky",
            *TINY,
            "--replicates",
            "2",
            "--workers",
            "1",
            "--at",
            "1925-06",
            "--window",
            "1925-01:1925-12",
        ]
    )
    assert code == 0
    summary = pd.read_csv(out / "summary.csv")
    assert list(pd.unique(summary["statistic"])) == [
        "final",
        "run_mean",
        "at:1925-06",
        "mean:1925-01:1925-12",
    ]
    at = summary[(summary["statistic"] == "at:1925-06") & (summary["outcome"] == "fear")]
    runs = read_frame(out / "runs.parquet")
    june = runs[(runs["month"] == "1925-06")].groupby("scenario", sort=False)["fear"].mean()
    np.testing.assert_allclose(at["mean"].to_numpy(), june.to_numpy())
    report = (out / "report.md").read_text()
    assert "### Outcomes in 1925-06" in report
    assert "### Outcomes averaged over 1925-01 to 1925-12" in report
    assert "Outcomes in 1925-06" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--at", "1930-01"], "--at 1930-01: 1930-01 lies outside historical's period"),
        (["--window", "1925-06:1925-01"], "ends before it starts"),
        (["--at", "1925-\u0661\u0662"], "is not a month"),
    ],
)
def test_compare_refuses_dates_outside_the_runs(tmp_path, capsys, option, message):
    code = main(["compare", "historical", "trotsky", *TINY, "--out", str(tmp_path / "x"), *option])
    error = capsys.readouterr().err
    assert code == 2 and message in error and error.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_scenarios_lists_shipped_names_with_descriptions(capsys):
    assert main(["scenarios"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = {line.split()[0]: line for line in lines}
    assert {"base", "historical", "trotsky", "trotsky_hardens"} <= set(names)
    assert "Stalin" in names["historical"]


def test_show_prints_resolved_toml_with_overrides(capsys):
    assert main(["show", "trotsky_fixed", "--set", "policy.tolerance=0.33"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["name"] == "trotsky_fixed"
    assert data["policy"]["tolerance"] == 0.33
    assert data["leadership"]["leader"] == "trotsky"


def test_validate_reports_each_file(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text('extends = "trotsky"\nname = "good"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "trotsky"\n[policy]\ntolerence = 0.1\n')
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out.strip() == f"{good}: ok"
    assert main(["validate", str(good), str(bad)]) == 2  # a mistake, as for every command
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == f"{good}: ok"
    assert str(bad) in lines[1] and "policy.tolerence" in lines[1] and "tolerance" in lines[1]


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"politburo {simulation.__version__}"
    assert main(["--help"]) == 0
    assert "compare" in capsys.readouterr().out


def test_python_dash_m_end_to_end(tmp_path):
    out = tmp_path / "e2e"
    command = [sys.executable, "-m", "simulation", "run", "historical", *TINY, "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert (out / "outcomes.parquet").is_file() and (out / "figures" / "overview.png").is_file()

    bad = [sys.executable, "-m", "simulation", "compare", "historical", "nowhere"]
    done = subprocess.run(bad, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "nowhere" in one_error_line(done.stderr)


def test_scenario_script_runs(tmp_path):
    script = Path(__file__).resolve().parents[1] / "scenarios" / "stalin_vs_trotsky.py"
    out = tmp_path / "script"
    options = ["--size", "300", "--replicates", "2", "--end", "1927-12", "--out", str(out)]
    command = [sys.executable, str(script), *options]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["scenario"]) == {"historical_fixed", "trotsky_fixed"}
    assert list(out.glob("*.png"))
