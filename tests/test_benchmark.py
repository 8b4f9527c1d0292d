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


def test_ensemble_reports_two_workers_over_both_one_worker_settings():
    """The ensemble lines: median times of each setting and the speed-ups, from repeats."""
    import re

    from benchmarks.bench import ENSEMBLE_SETTINGS, ensemble_lines, ensemble_speedup

    times = ensemble_speedup(2, 200, 2)
    assert set(times) == {label for label, _, _ in ENSEMBLE_SETTINGS}
    assert all(len(values) == 2 and min(values) > 0 for values in times.values())
    lines = ensemble_lines(2, 200, {"1 worker, every core": [4.0, 6.0],
                                    "1 worker, 1 thread": [5.0, 7.0],
                                    "2 workers, 1 thread each": [2.0, 4.0]})  # fmt: skip
    assert lines[0] == "ensemble of 2 runs at 200 members (median of 2):"
    assert re.fullmatch(
        r"  2 workers over 1 worker, every core: 1\.67x \(each time: 2\.00x, 1\.50x\)", lines[4]
    )
    assert re.fullmatch(
        r"  2 workers over 1 worker, 1 thread: 2\.00x \(each time: 2\.50x, 1\.75x\)", lines[5]
    )
