"""Run the runs of an experiment: serially, in a local process pool, or on a Dask cluster.

Every :class:`~simulation.experiment.spec.RunSpec` carries its own seed, so a run's rows do not
depend on where, when or next to what it ran: the three executors give identical tables. Each
run is written to the store as soon as it finishes, in the calling process, so an interrupted
experiment loses only the runs in flight; runs whose file exists are skipped.

Nothing here starts a pool or a cluster until :func:`execute` is called with an executor that
needs one; the Python API's default is serial, so a notebook cell never forks workers unasked.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, Protocol

import pandas as pd

from simulation.experiment.errors import ExperimentError
from simulation.experiment.progress import ProgressSetting, progress_bar
from simulation.experiment.spec import KEY_COLUMNS, RunSpec
from simulation.model.party import PartyModel
from simulation.model.threads import on_one_thread, one_thread_per_worker

#: The executors :func:`execute` knows.
EXECUTORS = ("serial", "processes", "dask")
ExecutorName = Literal["serial", "processes", "dask"]

#: How to get the Dask executor when it is missing.
DASK_HINT = "pip install 'politburo[dask]' (or: pip install 'dask[distributed]')"


#: Seconds between a pool worker's checks that the process that started it is alive.
PARENT_CHECK_SECONDS = 0.5
#: Linux's prctl option that sends a signal to a process when its parent dies.
_PR_SET_PDEATHSIG = 1


class ExecutorError(ExperimentError):
    """An executor cannot be used as asked (reported as one line, exit code 2)."""


class RunSink(Protocol):
    """Where finished runs go: an :class:`~simulation.experiment.store.ExperimentStore`."""

    def finished(self) -> set[str]:
        """Keys of the runs already finished."""
        ...

    def write_run(self, spec: RunSpec, frame: pd.DataFrame) -> Any:
        """Keep one finished run's rows."""
        ...


class MemoryStore:
    """Keeps finished runs in memory: the store of an experiment that writes no directory."""

    def __init__(self) -> None:
        self.frames: dict[str, pd.DataFrame] = {}

    def finished(self) -> set[str]:
        """Keys of the runs kept so far."""
        return set(self.frames)

    def write_run(self, spec: RunSpec, frame: pd.DataFrame) -> None:
        """Keep one run's rows."""
        self.frames[spec.key] = frame

    def load(self, specs: Sequence[RunSpec]) -> pd.DataFrame:
        """The kept rows of ``specs``, concatenated in their order."""
        frames = [self.frames[spec.key] for spec in specs if spec.key in self.frames]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def run_spec(spec: RunSpec) -> pd.DataFrame:
    """Run one run and return its tidy rows (the picklable worker function).

    Args:
        spec: The run.

    Returns:
        One row per month: :data:`~simulation.experiment.spec.KEY_COLUMNS`, one column per
        design parameter, then the model's outcome columns.
    """
    model = PartyModel(spec.scenario, seed=spec.seed)
    outcomes = model.run()
    # Mesa's Model holds a bound method on itself (a reference cycle): without this a worker
    # running many models in a row keeps every finished one until the cyclic collector runs.
    del model
    gc.collect()
    labels: dict[str, Any] = dict(
        zip(
            KEY_COLUMNS,
            (spec.key, spec.scenario.name, spec.point, spec.replicate, spec.seed),
            strict=True,
        )
    )
    labels.update({name: float(value) for name, value in spec.parameters.items()})
    front = pd.DataFrame(labels, index=outcomes.index)
    return pd.concat([front, outcomes], axis=1)


def default_workers() -> int:
    """All cores."""
    return os.cpu_count() or 1


def execute(
    specs: Sequence[RunSpec],
    store: RunSink,
    executor: ExecutorName = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: ProgressSetting = False,
) -> int:
    """Run every unfinished run of an experiment, writing each to the store as it finishes.

    Args:
        specs: The runs, in table order.
        store: Where finished runs are written (and which runs are finished already).
        executor: ``"serial"`` (this process), ``"processes"`` (a local process pool) or
            ``"dask"`` (a Dask cluster: ``scheduler``, or a local cluster started here).
        workers: Processes of the pool or the local Dask cluster; all cores by default.
            Ignored when ``scheduler`` is given.
        scheduler: Address of a running Dask scheduler, e.g. ``"tcp://10.0.0.5:8786"``.
        progress: Draw a progress bar of runs (see
            :data:`simulation.experiment.progress.ProgressSetting`).

    Returns:
        How many runs were run now (finished runs are skipped).

    Raises:
        ExecutorError: If the executor is unknown, ``workers`` is below 1, a scheduler is given
            for another executor, or Dask is asked for but not installed.
    """
    if executor not in EXECUTORS:
        raise ExecutorError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise ExecutorError(f"workers must be at least 1, not {workers}")
    if scheduler is not None and executor != "dask":
        raise ExecutorError("--scheduler needs --executor dask")
    done = store.finished()
    pending = [spec for spec in specs if spec.key not in done]
    if not pending:
        return 0
    with progress_bar("runs", len(pending), "runs", progress) as bar:

        def keep(spec: RunSpec, frame: pd.DataFrame) -> None:
            store.write_run(spec, frame)
            bar.advance()

        if executor == "serial":
            _run_serial(pending, keep)
        elif executor == "processes":
            count = min(workers or default_workers(), len(pending))
            _run_processes(pending, keep, count)
        else:
            _run_dask(pending, keep, workers or default_workers(), scheduler)
    return len(pending)


def _run_serial(specs: Sequence[RunSpec], keep: Callable[[RunSpec, pd.DataFrame], None]) -> None:
    for spec in specs:
        keep(spec, run_spec(spec))


def start_worker(parent: int, one_thread: bool) -> None:
    """Initializer of a pool worker: exit when ``parent`` dies; one compiled thread if asked.

    A parent killed outright (``kill -9``, out of memory) cannot stop its pool, so each worker
    watches it: on Linux the kernel kills the worker at once (``PR_SET_PDEATHSIG``); elsewhere,
    and as a second guard, a thread exits the worker when its parent process has changed. With
    the workers gone, multiprocessing's resource tracker sees its last user leave and exits too.

    Args:
        parent: The process id of the process that starts the pool.
        one_thread: Run compiled code on one thread (several workers share the cores).
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl here: the thread below is enough
    threading.Thread(
        target=_exit_when_orphaned, args=(parent,), name="parent-watch", daemon=True
    ).start()
    if one_thread:
        one_thread_per_worker()


def _exit_when_orphaned(parent: int) -> None:
    """Exit this process as soon as its parent is no longer ``parent``."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def process_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of fresh worker processes that exit when this process dies.

    Args:
        workers: Worker processes; several share the cores (one compiled thread each), a
            lone worker may use them all.

    Returns:
        The pool (the caller shuts it down).
    """
    # "spawn" starts clean interpreters: no inherited threads (the progress bar's refresh
    # thread) or locks, and the same behaviour on Linux, macOS and Windows.
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(os.getpid(), workers > 1),
    )


def _run_processes(
    specs: Sequence[RunSpec], keep: Callable[[RunSpec, pd.DataFrame], None], workers: int
) -> None:
    pool = process_pool(workers)
    try:
        futures = {pool.submit(run_spec, spec): spec for spec in specs}
        for future in concurrent.futures.as_completed(futures):
            keep(futures[future], future.result())
    except concurrent.futures.process.BrokenProcessPool:
        # A worker was killed (out of memory, a signal): a user's situation, not a bug.
        pool.shutdown(wait=False, cancel_futures=True)
        raise ExecutorError(
            "a worker process died; the finished runs are kept: "
            "run the same command again to resume"
        ) from None
    except BaseException:
        # Interrupted or failed: stop now rather than after every queued run. Before Python
        # 3.14 the executor has no public way to stop running workers, so its own processes
        # are terminated directly; finished runs are already on disk.
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def dask_distributed() -> Any:
    """Import :mod:`dask.distributed`, or say in one line how to install it."""
    try:
        import dask.distributed
    except ImportError:
        raise ExecutorError(f"the dask executor needs dask.distributed: {DASK_HINT}") from None
    return dask.distributed


@contextmanager
def dask_client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A Dask client: on ``scheduler`` if given, else on a local cluster closed at the end.

    Args:
        workers: Worker processes of a local cluster (one thread each, since a run holds the
            GIL most of the time).
        scheduler: Address of a running scheduler.

    Yields:
        The connected :class:`dask.distributed.Client`.
    """
    distributed = dask_distributed()
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as error:
            raise ExecutorError(f"cannot reach the Dask scheduler {scheduler}: {error}") from None
        with client:
            yield client
        return
    # Loopback only: a local cluster must not listen on the machine's network interfaces.
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def _run_dask(
    specs: Sequence[RunSpec],
    keep: Callable[[RunSpec, pd.DataFrame], None],
    workers: int,
    scheduler: str | None,
) -> None:
    distributed = dask_distributed()
    with dask_client(workers, scheduler) as client:
        # pure=False: two runs are never the same task even if their arguments hash alike.
        # One compiled thread per task: the workers share the cores already.
        futures = {client.submit(on_one_thread, run_spec, spec, pure=False): spec for spec in specs}
        try:
            for future in distributed.as_completed(list(futures)):
                keep(futures[future], future.result())
        except BaseException:
            client.cancel(list(futures))
            raise
