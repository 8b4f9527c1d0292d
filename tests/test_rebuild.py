"""Results you can rebuild: ``politburo report DIR``, and a complete experiment run again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli.main import main

TINY = ["--set", "population.size=100", "--set", "population.pool_factor=2", "--set", "end=1924-08"]
SERIAL = ["--executor", "serial", "--no-progress"]
COMMANDS = {
    "compare": ["compare", "historical", "trotsky", *TINY, "--replicates", "2", *SERIAL],
    "sweep": [
        "sweep", "trotsky", *TINY, "--param", "policy.tolerance=0:0.5:2",
        "--param", "policy.severity=0.5,2", "--replicates", "1", *SERIAL,
    ],
    "sensitivity": [
        "sensitivity", "trotsky", *TINY, "--param", "policy.tolerance=0:0.5",
        "--param", "policy.severity=0:2", "--outcome", "fear", "--statistic", "mean",
        "--samples", "2", *SERIAL,
    ],
    "run": ["run", "trotsky", *TINY, "--seed", "3", "--no-progress"],
}  # fmt: skip
#: What each kind of folder is rebuilt from (kept) and what is deleted before rebuilding.
DERIVED = {
    "compare": ["summary.csv", "differences.csv", "report.md", "report.html", "figures"],
    "sweep": ["design.csv", "summary.csv", "report.md", "report.html", "figures"],
    "sensitivity": [
        "design.csv",
        "values.csv",
        "sensitivity.csv",
        "report.md",
        "report.html",
        "figures",
    ],
    "run": ["outcomes.csv", "figures"],
}


def contents(folder: Path, names: list[str]) -> dict[str, bytes]:
    """The bytes of every file among ``names`` (folders: their files), by relative path."""
    found = {}
    for name in names:
        path = folder / name
        paths = sorted(path.rglob("*")) if path.is_dir() else [path]
        for item in paths:
            found[item.relative_to(folder).as_posix()] = item.read_bytes()
    return found


def delete(folder: Path, names: list[str]) -> None:
    for name in names:
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_report_rebuilds_the_same_tables_and_report(tmp_path, capsys, kind):
    out = tmp_path / kind
    assert main([*COMMANDS[kind], "--out", str(out)]) == 0
    before = contents(out, DERIVED[kind])
    delete(out, DERIVED[kind])
    capsys.readouterr()
    assert main(["report", str(out)]) == 0
    assert f"rebuilt {out} ({kind})" in capsys.readouterr().out
    after = contents(out, DERIVED[kind])
    assert set(after) == set(before)
    tables = [name for name in before if name.endswith((".csv", ".md"))]
    assert tables and all(after[name] == before[name] for name in tables), tables
    if kind != "run":
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["status"] == "complete"
        assert manifest["report_command"] == ["politburo", *COMMANDS[kind], "--out", str(out)]


def test_report_rebuilds_a_history_scorecard(tmp_path):
    out = tmp_path / "history"
    assert main(["history", "--size", "100", "--replicates", "1", "--out", str(out)]) == 0
    derived = ["scorecard.csv", "scorecard.md", "figures"]
    before = contents(out, derived)
    delete(out, derived)
    assert main(["report", str(out)]) == 0
    after = contents(out, derived)
    assert set(after) == set(before)
    assert after["scorecard.csv"] == before["scorecard.csv"]
    assert after["scorecard.md"] == before["scorecard.md"]


def test_a_complete_comparison_run_again_rebuilds_what_is_missing(tmp_path, capsys):
    argv = [*COMMANDS["compare"], "--out", str(tmp_path / "c")]
    assert main(argv) == 0
    summary = (tmp_path / "c" / "summary.csv").read_bytes()
    delete(tmp_path / "c", ["report.md", "figures", "summary.csv"])
    capsys.readouterr()
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "is complete; rebuilding summary.csv, report.md, figures/" in printed
    assert (tmp_path / "c" / "summary.csv").read_bytes() == summary
    assert (tmp_path / "c" / "report.md").is_file()
    assert (tmp_path / "c" / "figures" / "openness.png").is_file()
    assert main(argv) == 0
    assert "is complete; nothing to do" in capsys.readouterr().out
    # A folder written before the manifest kept report_command: its sessions say the command.
    path = tmp_path / "c" / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["report_command"]
    path.write_text(json.dumps(manifest))
    delete(tmp_path / "c", ["summary.csv"])
    assert main(["report", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "summary.csv").read_bytes() == summary


def test_report_follows_the_last_sensitivity_command(tmp_path):
    out = tmp_path / "s"
    first = [*COMMANDS["sensitivity"], "--out", str(out)]
    assert main(first) == 0
    second = [part if part != "fear" else "openness" for part in first]
    assert main(second) == 0  # the same runs, another outcome
    delete(out, ["sensitivity.csv"])
    assert main(["report", str(out)]) == 0
    assert set(pd.read_csv(out / "sensitivity.csv")["outcome"]) == {"openness"}


def one_line(capsys) -> str:
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error
    return error


def test_report_refuses_unfinished_and_foreign_folders(tmp_path, capsys):
    out = tmp_path / "c"
    assert main([*COMMANDS["compare"], "--out", str(out)]) == 0
    next((out / "runs").glob("*.parquet")).unlink()
    capsys.readouterr()
    assert main(["report", str(out)]) == 2
    assert "not finished (3 of 4 runs)" in one_line(capsys)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert main(["report", str(foreign)]) == 2
    assert "holds no politburo result" in one_line(capsys)
    assert main(["report", str(tmp_path / "missing")]) == 2
    assert "is not a folder" in one_line(capsys)
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
