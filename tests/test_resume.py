"""Resuming experiments: after a crash or a kill, and re-running a command into its directory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import TINY_RUN_ARGS, tiny_specs

from simulation.cli.main import main
from simulation.experiment import ExperimentStore, load_experiment
from simulation.experiment.executors import MemoryStore, execute
from simulation.output.folders import read_frame

SEED = 11
DEFINITION = {"kind": "test", "seed": SEED}


def uninterrupted(specs):
    store = MemoryStore()
    execute(specs, store)
    return store.load(specs)


def mtimes(directory):
    return {path.name: path.stat().st_mtime_ns for path in directory.glob("*.parquet")}


class CrashingStore(ExperimentStore):
    """A store whose process "dies" after writing a few runs."""

    def __init__(self, directory, manifest, survive):
        super().__init__(directory, manifest)
        self.survive = survive

    def write_run(self, spec, frame):
        if self.survive == 0:
            raise RuntimeError("crash")
        self.survive -= 1
        return super().write_run(spec, frame)


def test_resume_after_a_crash_finishes_without_recomputing(tmp_path):
    specs = tiny_specs(3, SEED)
    opened = ExperimentStore.open(tmp_path / "exp", DEFINITION)
    crashing = CrashingStore(opened.directory, opened.manifest, survive=2)
    crashing.plan(specs)
    with pytest.raises(RuntimeError, match="crash"):
        execute(specs, crashing)
    before = mtimes(crashing.runs_directory)
    assert len(before) == 2
    store = ExperimentStore.open(tmp_path / "exp", DEFINITION, resume=True)
    remaining = store.plan(specs)
    assert len(remaining) == len(specs) - 2
    assert execute(remaining, store) == len(specs) - 2
    after = mtimes(store.runs_directory)
    assert {name: after[name] for name in before} == before  # finished runs were kept as is
    pd.testing.assert_frame_equal(store.load(), uninterrupted(specs))
    assert execute(specs, store) == 0


def test_leftover_temporary_files_are_ignored_and_removed(tmp_path):
    specs = tiny_specs(1, SEED)
    store = ExperimentStore.open(tmp_path / "exp", DEFINITION)
    store.plan(specs)
    execute(specs[:1], store)
    # What a kill in the middle of writing leaves: a half-written run and summary files.
    half = store.runs_directory / f".{specs[1].key}.parquet.partial-0123456789ab"
    half.write_bytes(b"PAR1 half a file")
    figures = store.directory / ".figures.partial-0123456789ab"
    figures.mkdir()
    (figures / "fear.png").write_bytes(b"half")
    assert store.finished() == {specs[0].key}
    pd.testing.assert_frame_equal(store.load(), uninterrupted(specs[:1]))
    again = ExperimentStore.open(tmp_path / "exp", DEFINITION)
    assert not half.exists() and not figures.exists()
    assert again.plan(specs) == specs[1:]
    execute(specs, again)
    pd.testing.assert_frame_equal(again.load(), uninterrupted(specs))


def test_killed_compare_resumes_to_the_uninterrupted_result(tmp_path):
    out = tmp_path / "exp"
    replicates = 6
    argv = ["compare", "historical", "trotsky", *TINY_RUN_ARGS, "--seed", str(SEED)]
    argv += ["--replicates", str(replicates), "--executor", "serial", "--no-progress"]
    argv += ["--out", str(out)]
    command = [sys.executable, "-m", "simulation", *argv]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    runs = out / "runs"
    deadline = time.monotonic() + 60
    while not (runs.is_dir() and any(runs.glob("*.parquet"))) and child.poll() is None:
        assert time.monotonic() < deadline, "no run finished in time"
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)  # no clean-up of any kind: as if the machine died
    child.wait()
    assert child.returncode == -signal.SIGKILL, child.stderr.read()
    child.stderr.close()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "running"
    before = mtimes(runs)
    assert len(before) >= 1
    assert main([*argv, "--resume"]) == 0
    after = mtimes(runs)
    assert len(after) == 2 * replicates
    assert {name: after[name] for name in before} == before
    expected = uninterrupted(tiny_specs(replicates, SEED))
    pd.testing.assert_frame_equal(read_frame(out / "runs.parquet"), expected)
    experiment = load_experiment(out)
    assert experiment.status == "complete"
    assert [s["command"][-1] for s in experiment.manifest["sessions"]] == [str(out), "--resume"]


def test_compare_on_dask_then_rerun_does_nothing_new(tmp_path, capsys):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "exp"
    common = [
        "compare",
        "historical",
        "trotsky",
        *TINY_RUN_ARGS,
        "--seed",
        str(SEED),
        "--no-progress",
    ]
    argv = [*common, "--replicates", "2", "--out", str(out)]
    assert main([*argv, "--executor", "dask", "--workers", "2"]) == 0
    capsys.readouterr()
    expected = uninterrupted(tiny_specs(2, SEED))
    pd.testing.assert_frame_equal(read_frame(out / "runs.parquet"), expected)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["provenance"]["command"] == [
        "politburo",
        *argv,
        "--executor",
        "dask",
        "--workers",
        "2",
    ]
    assert [run["seed"] for run in manifest["runs"]] == list(
        expected.drop_duplicates("run")["seed"]
    )
    stamps = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    # Same experiment, other executor: resumed, and there is nothing left to do.
    assert main([*argv, "--executor", "serial", "--resume"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    unchanged = {p: t for p, t in stamps.items() if p.name != "manifest.json"}
    assert {p: p.stat().st_mtime_ns for p in unchanged} == unchanged
    # Another experiment in the same directory is refused, then replaced with --force.
    other = [*common, "--replicates", "1", "--out", str(out), "--executor", "serial"]
    assert main(other) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("politburo: error:") and "different experiment" in error
    assert "\n" not in error and "--force" in error
    assert main([*other, "--resume"]) == 2
    assert main([*other, "--resume", "--force"]) == 2
    assert "give one" in capsys.readouterr().err
    assert main([*other, "--force"]) == 0
    assert len(list((out / "runs").glob("*.parquet"))) == 2
    assert load_experiment(out).definition["replicates"] == 1
