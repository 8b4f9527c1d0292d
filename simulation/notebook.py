"""Run sizes for the notebooks in ``notebooks/``: a researcher's size, or a small one for CI.

Every notebook starts with::

    from simulation.notebook import size_settings

    size = size_settings()

and takes its party sizes, replicates, grid levels and sample counts from ``size``. By default
these are sizes a researcher would use that still finish in a few minutes per notebook on two
cores. With the environment variable ``POLITBURO_NOTEBOOK_SMALL=1`` (which the tests set) they
shrink so that every notebook runs in seconds; the notebooks then run every step, but their
numbers are too noisy to read.

Runs are serial unless ``POLITBURO_NOTEBOOK_WORKERS=N`` (N > 1) asks for a pool of N processes:
a notebook never starts worker processes unasked.

The environment is read here, once, by the notebook's first cell, and nowhere in the model:
the settings become ordinary arguments (``overrides=``, ``replicates=``) of the API calls.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

__all__ = ["SMALL_VARIABLE", "WORKERS_VARIABLE", "NotebookSize", "size_settings"]

#: Set to ``1`` (or ``true``, ``yes``) for small runs.
SMALL_VARIABLE = "POLITBURO_NOTEBOOK_SMALL"
#: Set to a whole number above 1 for a pool of that many worker processes.
WORKERS_VARIABLE = "POLITBURO_NOTEBOOK_WORKERS"

_TRUE = ("1", "true", "yes", "on")

#: What a run belongs to, for :meth:`NotebookSize.overrides`.
Kind = Literal["single", "ensemble", "sweep"]


@dataclass(frozen=True)
class NotebookSize:
    """How large the notebooks' runs are.

    Attributes:
        small: Whether these are the small settings (for tests), not a researcher's.
        single_members: Party size at the start (``population.size``) of a single run; the
            shipped scenarios have 20,000.
        members: Party size at the start of every run of an ensemble of scenarios.
        replicates: Replicates per scenario in an ensemble.
        sweep_members: Party size at the start of every run of a sweep or sensitivity
            analysis (many more runs than an ensemble, so smaller).
        levels: Levels per parameter of a grid sweep.
        sweep_replicates: Replicates per point of a sweep.
        trajectories: Morris trajectories of a sensitivity analysis.
        workers: Worker processes; 1 runs everything in the notebook's own process.
    """

    small: bool
    single_members: int
    members: int
    replicates: int
    sweep_members: int
    levels: int
    sweep_replicates: int
    trajectories: int
    workers: int = 1

    @property
    def executor(self) -> str:
        """``"serial"`` for one worker, else ``"processes"`` (a local pool)."""
        return "serial" if self.workers == 1 else "processes"

    def overrides(self, kind: Kind = "ensemble") -> dict[str, Any]:
        """The scenario overrides of these sizes, for ``overrides=`` or ``load_scenario``.

        Args:
            kind: ``"single"`` (one run), ``"ensemble"`` (replicates of scenarios) or
                ``"sweep"`` (a sweep or a sensitivity analysis).

        Returns:
            ``{"population.size": ...}``.

        Raises:
            ValueError: If ``kind`` is none of these.
        """
        sizes = {"single": self.single_members, "ensemble": self.members}
        sizes["sweep"] = self.sweep_members
        if kind not in sizes:
            raise ValueError(f"kind must be one of {', '.join(sizes)}, not {kind!r}")
        return {"population.size": sizes[kind]}

    def describe(self) -> str:
        """One line saying which settings these are, for a notebook's output."""
        kind = f"small ({SMALL_VARIABLE}=1)" if self.small else "full"
        runs = "serial" if self.workers == 1 else f"a pool of {self.workers} processes"
        return (
            f"{kind} settings: a single run {self.single_members:,} members; ensembles "
            f"{self.members:,} members x {self.replicates} replicates; sweeps and sensitivity "
            f"{self.sweep_members:,} members, {self.levels} levels x {self.sweep_replicates} "
            f"replicates, {self.trajectories} Morris trajectories; runs {runs}"
        )


#: A researcher's sizes: each notebook finishes in a few minutes on two cores.
FULL = NotebookSize(
    small=False,
    single_members=20_000,
    members=5_000,
    replicates=10,
    sweep_members=2_000,
    levels=6,
    sweep_replicates=3,
    trajectories=12,
)
#: Sizes for tests: every step runs, in seconds, with numbers too noisy to read.
SMALL = NotebookSize(
    small=True,
    single_members=400,
    members=200,
    replicates=2,
    sweep_members=200,
    levels=2,
    sweep_replicates=1,
    trajectories=2,
)


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in _TRUE


def _workers(text: str | None) -> int:
    if text is None or not text.strip():
        return 1
    try:
        workers = int(text)
    except ValueError:
        raise ValueError(f"{WORKERS_VARIABLE} must be a whole number, not {text!r}") from None
    if workers < 1:
        raise ValueError(f"{WORKERS_VARIABLE} must be at least 1, not {workers}")
    return workers


def size_settings(
    small: bool | None = None,
    workers: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> NotebookSize:
    """The run sizes of the notebooks.

    Args:
        small: Small settings (``True``) or a researcher's (``False``); by default read from
            ``POLITBURO_NOTEBOOK_SMALL`` (``1``, ``true``, ``yes`` or ``on`` mean small).
        workers: Worker processes; by default read from ``POLITBURO_NOTEBOOK_WORKERS``, else 1
            (serial).
        environ: The environment to read; ``os.environ`` by default.

    Returns:
        The settings.

    Raises:
        ValueError: If ``workers`` (or the variable) is not a whole number of at least 1.
    """
    env = os.environ if environ is None else environ
    chosen = SMALL if (_flag(env.get(SMALL_VARIABLE)) if small is None else small) else FULL
    count = _workers(env.get(WORKERS_VARIABLE)) if workers is None else workers
    if count < 1:
        raise ValueError(f"workers must be at least 1, not {count}")
    return replace(chosen, workers=count)
