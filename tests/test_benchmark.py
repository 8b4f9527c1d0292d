"""The benchmark script keeps working (at a tiny size; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_at_tiny_size_and_prints_its_table(tmp_path):
    out = tmp_path / "records.json"
    done = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("engine") and "member-months/s" in line for line in lines)
    assert any(line.startswith("reference") for line in lines)
    assert "fast / plain Mesa at 200 members over 3 months" in done.stdout

    records = json.loads(out.read_text())
    assert [r["engine"] for r in records] == ["reference", "fast", "fast"]
    assert records[2]["months"] == 396  # the whole historical run, 1924-1956
    for record in records:
        assert record["member_months"] > 0 and record["peak_bytes"] > 0


def test_profile_lists_where_the_time_goes():
    done = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--profile", "300"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("profile of one historical run at 300 members")
    rows = done.stdout.splitlines()[2:]
    assert len(rows) == 12
    assert any("(simulation/model.py:" in row for row in rows)


def test_ensemble_line_reports_the_median_of_alternating_repeats():
    done = subprocess.run(
        [
            sys.executable, "benchmarks/bench.py", "--sizes", "200", "--repeats", "2",
            "--reference-size", "200", "--reference-months", "3",
            "--ensemble-runs", "2", "--ensemble-size", "200",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = done.stdout.splitlines()[-1]
    assert line.startswith("ensemble of 2 runs at 200 members (median of 2): ")
    assert line.count("x") == 3  # the speed-up of the medians, then each repeat's
