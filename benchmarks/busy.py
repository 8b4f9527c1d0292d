"""Runs timed beside busy processes: how the compiled passes' threads behave on a shared machine.

``python benchmarks/bench.py --busy N --sizes 300 20000`` starts ``N`` processes that do
nothing but loop (each keeps one core busy, as another user's job would), then times the
historical run at each size on one compiled thread and on the default threads, alternately,
and prints the ratio of the two. The busy processes are always stopped: when the timings end,
fail or are interrupted (Ctrl+C or a termination signal), and each also stops by itself when
the process that started it is gone.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: A busy process: loop, checking every few milliseconds that its parent is still there (so
#: that it cannot outlive a benchmark killed outright). Ctrl+C is left to the parent, which
#: stops it.
BUSY_LOOP = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
parent = int(sys.argv[1])
while os.getppid() == parent:
    for _ in range(100_000):
        pass
"""

#: One measurement: ``measure(size, seed, threads)`` returns a record with the run's
#: ``wall_s`` and ``threads`` (``threads`` 0: the default threads).
Measure = Callable[[int, int, int], dict]


@contextmanager
def busy_processes(count: int) -> Iterator[list[int]]:
    """Keep ``count`` busy-loop processes running for the duration of the block.

    Args:
        count: How many to start (0: none).

    Yields:
        Their process ids.
    """
    processes: list[subprocess.Popen] = []
    previous = signal.getsignal(signal.SIGTERM)
    # A termination signal becomes an exception, so that the block's exit stops the loops.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        for _ in range(count):
            command = [sys.executable, "-c", BUSY_LOOP, str(os.getpid())]
            processes.append(subprocess.Popen(command, stdin=subprocess.DEVNULL))
        yield [process.pid for process in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def busy_times(
    measure: Measure, sizes: list[int], busy: int, repeats: int, announce: Callable = print
) -> dict[int, dict[str, list[float]]]:
    """Wall times of one-thread and default-thread runs beside ``busy`` busy processes.

    The two settings alternate for each seed, so that a slow spell of the machine falls on
    both.

    Args:
        measure: Times one run (see :data:`Measure`).
        sizes: Party sizes.
        busy: Busy processes to run beside the runs.
        repeats: Runs per size and setting (seeds 1, 2, ...).
        announce: Called with a line naming the busy processes, once they run.

    Returns:
        Size -> ``{"1": [seconds, ...], "default": [...], "threads": [default thread count]}``.
    """
    times: dict[int, dict[str, list[float]]] = {}
    with busy_processes(busy) as pids:
        announce(f"busy processes: {' '.join(map(str, pids)) or 'none'}")
        time.sleep(0.5 if busy else 0.0)  # let the loops reach the cores
        for size in sizes:
            runs: dict[str, list[float]] = {"1": [], "default": [], "threads": []}
            for seed in range(1, repeats + 1):
                runs["1"].append(measure(size, seed, 1)["wall_s"])
                record = measure(size, seed, 0)
                runs["default"].append(record["wall_s"])
                runs["threads"].append(record["threads"])
            times[size] = runs
    return times


def busy_lines(times: dict[int, dict[str, list[float]]], busy: int, cores: int) -> list[str]:
    """The printed table: median times on one thread and the default threads, and their ratio."""
    repeats = len(next(iter(times.values()))["1"]) if times else 0
    beside = f"beside {busy} busy process{'es' if busy != 1 else ''}" if busy else "idle"
    lines = [
        f"historical runs {beside} on {cores} cores (median of {repeats}):",
        f"{'members':>10} {'1 thread s':>11} {'default s':>10} {'threads':>7} "
        f"{'default / 1 thread':>19}",
    ]
    for size, runs in times.items():
        one, default = statistics.median(runs["1"]), statistics.median(runs["default"])
        threads = max(runs["threads"])
        lines.append(
            f"{size:>10,} {one:>11.2f} {default:>10.2f} {threads:>7.0f} {default / one:>18.2f}x"
        )
    return lines
