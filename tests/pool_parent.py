"""A parent process for tests/test_output_safety.py: starts a pool, says who is in it, waits.

Run as a script with a folder: two workers each write their process id there and sleep; the
parent then prints ``PIDS <worker> <worker> <resource tracker>`` and sleeps until killed.
"""

from __future__ import annotations

import multiprocessing.resource_tracker
import os
import sys
import time
from pathlib import Path


def wait_in_worker(folder: str) -> None:
    """Say this worker's process id, then wait far longer than any test."""
    (Path(folder) / f"worker-{os.getpid()}").write_text("", encoding="utf-8")
    time.sleep(3600)


if __name__ == "__main__":
    from simulation.experiment.executors import process_pool

    folder = Path(sys.argv[1])
    pool = process_pool(2)
    futures = [pool.submit(wait_in_worker, str(folder)) for _ in range(2)]
    while len(list(folder.glob("worker-*"))) < 2:
        time.sleep(0.05)
    workers = [path.name.split("-")[1] for path in folder.glob("worker-*")]
    tracker = multiprocessing.resource_tracker._resource_tracker._pid
    print("PIDS", *workers, tracker, flush=True)
    time.sleep(3600)
