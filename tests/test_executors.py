"""Executors: serial, process pool and Dask give the same table, run by run."""

from __future__ import annotations

import pickle
import sys

import pandas as pd
import pytest
from conftest import TINY_RUN_ARGS, tiny_specs

from simulation.cli.main import main
from simulation.experiment import ExperimentStore
from simulation.experiment.executors import ExecutorError, MemoryStore, execute, run_spec
from simulation.experiment.spec import KEY_COLUMNS, RunSpec

MONTHS = 24


@pytest.fixture(scope="module")
def specs():
    return tiny_specs(replicates=2, seed=7)


@pytest.fixture(scope="module")
def serial_table(specs):
    store = MemoryStore()
    assert execute(specs, store) == len(specs)  # the API's default executor is serial
    return store.load(specs)


def stored_table(directory, specs, **how):
    store = ExperimentStore.open(directory, {"kind": "test", "seed": 7})
    store.plan(specs)
    assert execute(specs, store, **how) == len(specs)
    return store.load()


def test_worker_function_pickles_and_labels_rows(specs):
    spec = RunSpec(
        scenario=specs[0].scenario, seed=5, replicate=1, point=3, parameters={"policy.tolerance": 1}
    )
    assert pickle.loads(pickle.dumps(spec)) == spec
    frame = run_spec(spec)
    assert list(frame.columns[:7]) == [*KEY_COLUMNS, "policy.tolerance", "month"]
    assert len(frame) == MONTHS
    first = frame.iloc[0]
    assert (first["run"], first["scenario"], first["point"]) == (spec.key, "historical", 3)
    assert (first["replicate"], first["seed"], first["policy.tolerance"]) == (1, 5, 1.0)


@pytest.mark.parametrize("workers", [1, 2])
def test_process_pool_gives_the_serial_table(tmp_path, specs, serial_table, workers):
    table = stored_table(tmp_path / "exp", specs, executor="processes", workers=workers)
    pd.testing.assert_frame_equal(table, serial_table)


def test_serial_store_gives_the_in_memory_table(tmp_path, specs, serial_table):
    pd.testing.assert_frame_equal(stored_table(tmp_path / "exp", specs), serial_table)


def test_dask_local_cluster_gives_the_serial_table(tmp_path, specs, serial_table):
    pytest.importorskip("dask.distributed")
    table = stored_table(tmp_path / "exp", specs, executor="dask", workers=2)
    pd.testing.assert_frame_equal(table, serial_table)


def test_dask_tasks_use_one_compiled_thread_each():
    """numba's thread count is per thread: it is set inside each task, not on the worker."""
    pytest.importorskip("dask.distributed")
    from simulation.experiment.executors import dask_client
    from simulation.model.threads import compiled_threads, on_one_thread

    with dask_client(2, None) as client:
        counts = client.gather(
            [client.submit(on_one_thread, compiled_threads, pure=False) for _ in range(4)]
        )
    assert counts == [1, 1, 1, 1]


def test_bad_executor_requests_are_one_line_errors(tmp_path, specs, monkeypatch, capsys):
    with pytest.raises(ExecutorError, match="unknown executor 'threads'"):
        execute(specs, MemoryStore(), executor="threads")
    with pytest.raises(ExecutorError, match="workers"):
        execute(specs, MemoryStore(), executor="processes", workers=0)
    with pytest.raises(ExecutorError, match="--executor dask"):
        execute(specs, MemoryStore(), scheduler="tcp://127.0.0.1:8786")
    # A machine without Dask: the error says how to install it.
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ExecutorError, match=r"pip install 'politburo\[dask\]'"):
        execute(specs, MemoryStore(), executor="dask")
    out = tmp_path / "exp"
    argv = ["compare", "historical", *TINY_RUN_ARGS, "--executor", "dask", "--out", str(out)]
    assert main(argv) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("politburo: error: the dask executor needs") and "\n" not in error
    assert not out.exists()  # refused before anything was written
    assert main([*argv[:-4], "--scheduler", "tcp://127.0.0.1:1", "--out", str(out)]) == 2
    assert "--executor dask" in capsys.readouterr().err


def test_nothing_left_runs_nothing_and_progress_can_be_forced(specs, capsys):
    store = MemoryStore()
    assert execute(specs[:1], store, progress="always") == 1
    assert "runs" in capsys.readouterr().err
    assert execute(specs[:1], store, executor="processes") == 0  # no pool for nothing
