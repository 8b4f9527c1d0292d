"""How many threads the compiled passes of one run use.

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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba

T = TypeVar("T")


def compiled_threads() -> int:
    """Threads the compiled passes use in this process."""
    return int(numba.get_num_threads())


def set_compiled_threads(count: int) -> None:
    """Use ``count`` threads (1 up to numba's ``NUMBA_NUM_THREADS``) in the compiled passes."""
    numba.set_num_threads(int(count))


def one_thread_per_worker() -> None:
    """Initializer of a worker process that runs one model at a time beside other workers."""
    set_compiled_threads(1)


def on_one_thread(function: Callable[..., T], *args: Any) -> T:
    """Call ``function(*args)`` with one compiled thread (a task beside other workers)."""
    set_compiled_threads(1)
    return function(*args)
