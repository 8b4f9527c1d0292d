"""How many threads the compiled passes of one run use, and how idle threads wait.

The largest monthly passes (signals and voice, debate, the census, the draws of who leaves,
recruits' pools and partners, the yearly relayout of the ties) run chunk by chunk on every
core (:mod:`simulation.model.passes.chunks`); a run gives the same numbers with any number of
threads. When several runs go at once, each in its own worker process, those processes
already share the cores: each should then use one thread, or the threads of two workers
would fight over the same two cores.

numba sets the default from ``NUMBA_NUM_THREADS`` (all cores when it is unset). The setting
belongs to the thread that makes it: a pool's initializer sets it for the thread that will
run the tasks, but a Dask worker runs tasks on threads of its own, so a Dask task sets it
itself (:func:`on_one_thread`).

Two settings keep the threads from fighting other programs for the cores
(``benchmarks/README.md`` has the measurements):

* :func:`wait_passively`: OpenMP's idle threads sleep instead of spinning. A spinning thread
  holds a core that another process needs, and a pass's threads wait for the slowest one, so
  beside a busy process a run took fifty times as long as on one thread.
* :func:`threads_for_rows`: a party whose rows fit in one chunk runs its passes on one thread,
  since the second would have no chunk to work on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

# numba and the passes are imported where they are used: simulation.model imports this module
# on import (wait_passively), and simulation.model.members must stay light.

T = TypeVar("T")

#: The OpenMP setting of how idle threads wait (read once, when OpenMP starts).
WAIT_POLICY = "OMP_WAIT_POLICY"


def wait_passively() -> None:
    """Let OpenMP's idle threads sleep at once, unless the user chose otherwise.

    OpenMP reads ``OMP_WAIT_POLICY`` once, when numba first loads it (the first parallel pass),
    so this must run before: :mod:`simulation.model` calls it on import. The variable is set
    in this process's environment, so that worker processes inherit it, and is left alone
    when it is already set (``OMP_WAIT_POLICY=ACTIVE`` restores spinning).
    """
    os.environ.setdefault(WAIT_POLICY, "PASSIVE")


def compiled_threads() -> int:
    """Threads the compiled passes use in this process."""
    import numba

    return int(numba.get_num_threads())


def set_compiled_threads(count: int) -> None:
    """Use ``count`` threads (1 up to numba's ``NUMBA_NUM_THREADS``) in the compiled passes."""
    import numba

    numba.set_num_threads(int(count))


@contextmanager
def threads_for_rows(rows: int) -> Iterator[None]:
    """Run the block on one compiled thread if a roll of ``rows`` members fits in one chunk.

    Larger rolls keep the threads set before (never more).
    """
    from simulation.model.passes.chunks import CHUNK

    if rows > CHUNK:
        yield
        return
    previous = compiled_threads()
    set_compiled_threads(1)
    try:
        yield
    finally:
        set_compiled_threads(previous)


def one_thread_per_worker() -> None:
    """Initializer of a worker process that runs one model at a time beside other workers."""
    set_compiled_threads(1)


def on_one_thread(function: Callable[..., T], *args: Any) -> T:
    """Call ``function(*args)`` with one compiled thread (a task beside other workers)."""
    set_compiled_threads(1)
    return function(*args)
