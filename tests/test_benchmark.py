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


def test_benchmark_times_another_scenario_beside_the_historical_reference(tmp_path):
    out = tmp_path / "records.json"
    done = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--quick", "--scenario", "historical",
         "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "scenario 'historical'" in done.stdout
    records = json.loads(out.read_text())
    # The window against the plain-Mesa model stays historical's; the timed run is the scenario's.
    assert records[0]["months"] == records[1]["months"] == 3
    assert records[2]["months"] == 396


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
    assert any("(model/party.py:" in row for row in rows)


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


def test_floor_kernel_moves_each_member_toward_one_drawn_tie():
    """The floor's kernel does the debate's reads: member i hears tie slot floor(u_i d_i)."""
    import numpy as np

    from benchmarks.floor import hear_one_tie, synthetic_party
    from simulation.model.counter_rng import uniform

    party = synthetic_party(500, 300, seed=2)
    before = party["belief"].copy()
    key = np.uint64(99)
    hear_one_tie(*(party[k] for k in ("active", "belief", "words", "start", "degree", "arena")),
                 key, 0.25)  # fmt: skip
    start, degree, arena, words = party["start"], party["degree"], party["arena"], party["words"]
    active = set(party["active"].tolist())
    assert party["active"].size == 300 and np.all(np.diff(party["active"]) > 0)
    for i in range(500):
        if i not in active or degree[i] == 0:
            assert party["belief"][i] == before[i]
            continue
        j = arena[start[i] + int(uniform(key, i) * degree[i])]
        want = np.float32(before[i] + np.float32(0.25) * (words[j] - before[i]))
        assert party["belief"][i] == want


def test_floor_prints_one_line_and_refuses_more_active_than_rows():
    done = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--floor", "5000", "3000", "--threads", "1"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith("memory floor: one random tie's words per active member, 5,000 rows")
    assert "3,000 active, 1 threads:" in line
    assert float(line.split(": ")[-1].split()[0]) > 0

    bad = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--floor", "10", "20"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert bad.returncode == 2
    last = bad.stderr.strip().splitlines()[-1]
    assert last.endswith("--floor: active must be between 1 and rows (10), not 20")
    assert "Traceback" not in bad.stderr


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (Linux's /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def busy_pids(line: str) -> list[int]:
    assert line.startswith("busy processes: "), line
    return [int(pid) for pid in line.removeprefix("busy processes: ").split()]


def test_busy_mode_times_both_settings_beside_busy_processes_and_stops_them():
    done = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--busy", "2", "--sizes", "200", "--repeats", "1"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    pids = busy_pids(lines[0])
    assert len(pids) == 2
    assert not any(running(pid) for pid in pids)
    assert lines[1].startswith("historical runs beside 2 busy processes on ")
    assert lines[1].endswith(" cores (median of 1):")
    assert lines[2].split() == ["members", "1", "thread", "s", "default", "s", "threads",
                                "default", "/", "1", "thread"]  # fmt: skip
    members, one, default, threads, ratio = lines[3].split()
    assert members == "200" and float(one) > 0 and float(default) > 0 and int(threads) >= 1
    assert ratio.endswith("x") and float(ratio.removesuffix("x")) > 0


def test_busy_processes_stop_when_the_benchmark_is_interrupted_or_killed():
    import signal
    import time

    command = [sys.executable, "benchmarks/bench.py", "--busy", "2", "--sizes", "20000"]
    for how in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        # Ctrl+C reaches the benchmark as it would from a terminal, even where this test runs
        # as a background job (whose children inherit SIGINT ignored).
        bench = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        pids = busy_pids(bench.stdout.readline().strip())
        assert len(pids) == 2 and all(running(pid) for pid in pids)
        if how != signal.SIGKILL:
            time.sleep(2)  # a measurement is under way: it is stopped too
        # (Killed outright, the benchmark cannot stop a measurement: kill it before one.)
        bench.send_signal(how)
        code = bench.wait(timeout=60)
        bench.stdout.close()
        assert code == {signal.SIGINT: 130, signal.SIGTERM: 128 + signal.SIGTERM}.get(how, -how)
        deadline = time.monotonic() + 10  # killed outright, the loops notice within moments
        while any(running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(running(pid) for pid in pids), how
