"""Run scenarios: one run, or replicates of several scenarios under common random numbers.

Replicate seeds are derived once from the experiment's seed (:func:`~simulation.model.rng.
replicate_seeds`) and shared by every scenario: replicate ``k`` of each scenario starts from the
same party, network and reality path, so a paired difference between scenarios measures the
policy rather than the luck (DESIGN §2, Common random numbers; §4).

Replicate ensembles are run by :func:`simulation.experiment.executors.execute` as
:class:`~simulation.experiment.spec.RunSpec` runs. Because every run carries its own seed, the
results do not depend on the executor, the number of workers or the order in which runs finish;
they are put back in scenario order, then replicate order. :func:`run_task` is the older worker
function on ``(scenario, replicate, seed)`` tuples, kept for callers of the Python API.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from simulation.model.party import PartyModel, resolve_config
from simulation.model.rng import replicate_seeds
from simulation.scenario import Scenario, load_scenario, parse_override

if TYPE_CHECKING:
    from simulation.experiment.spec import RunSpec

#: Columns that identify a run in a replicate table, before the outcome columns.
KEY_COLUMNS = ("scenario", "replicate", "seed")

#: ``True`` shows progress when stderr is a terminal, ``"always"`` shows it anyway.
ProgressSetting = bool | Literal["always"]


@dataclass(frozen=True)
class RunResult:
    """The result of one run.

    Attributes:
        scenario: The resolved scenario that was run.
        seed: The seed of every random stream.
        outcomes: The monthly outcome table (one row per month).
        members: Every member's final state, or ``None`` when not kept.
    """

    scenario: Scenario
    seed: int
    outcomes: pd.DataFrame
    members: pd.DataFrame | None


def resolve_scenario(
    config: Scenario | str | Path,
    overrides: Iterable[str] | Mapping[str, Any] = (),
) -> Scenario:
    """Turn a scenario, name or path plus overrides into a validated scenario.

    Args:
        config: A :class:`~simulation.scenario.Scenario`, a shipped name or a TOML path.
        overrides: ``"key.path=value"`` strings or a mapping of key paths to values.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: If the scenario or an override is wrong.
    """
    if not isinstance(config, Scenario):
        return load_scenario(config, overrides)
    pairs = overrides.items() if isinstance(overrides, Mapping) else map(parse_override, overrides)
    changes = dict(pairs)
    return resolve_config(config, changes)


def show_progress(setting: ProgressSetting) -> bool:
    """Whether to draw a progress bar: asked for always, or on and stderr is a terminal."""
    if setting == "always":
        return True
    return bool(setting) and sys.stderr.isatty()


class ProgressBar:
    """A rich progress bar on stderr: items done, rate and time left.

    Args:
        description: What is counted, e.g. ``"runs"``.
        total: How many items there are.
        unit: The unit of the rate, e.g. ``"runs"`` or ``"months"``.
        force: Draw even when stderr is not a terminal.
    """

    def __init__(self, description: str, total: int, unit: str, force: bool) -> None:
        # Forcing a terminal keeps the bar visible when stderr is a pipe but the user asked.
        console = Console(stderr=True, force_terminal=True if force else None)
        self.unit = unit
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=console,
            refresh_per_second=4,
        )
        self.task = self.progress.add_task(description, total=total, rate="")

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.stop()

    def advance(self) -> None:
        """Count one more item done and refresh the rate."""
        self.progress.advance(self.task)
        speed = self.progress.tasks[self.task].speed
        rate = ""
        if speed:
            # Full-size runs take seconds each, so a per-minute rate reads better then.
            rate = (
                f"{speed:.1f} {self.unit}/s" if speed >= 1 else f"{speed * 60:.1f} {self.unit}/min"
            )
        self.progress.update(self.task, rate=rate)


class _NoBar:
    """Stands in for :class:`ProgressBar` when nothing is drawn."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def advance(self) -> None:
        """Do nothing."""


def progress_bar(
    description: str, total: int, unit: str, setting: ProgressSetting
) -> ProgressBar | _NoBar:
    """A progress bar if :func:`show_progress` says so, else a silent stand-in."""
    if show_progress(setting):
        return ProgressBar(description, total, unit, force=setting == "always")
    return _NoBar()


def run_scenario(
    config: Scenario | str | Path,
    seed: int,
    overrides: Iterable[str] | Mapping[str, Any] = (),
    *,
    keep_members: bool = True,
    progress: ProgressSetting = False,
) -> RunResult:
    """Run one scenario once.

    Args:
        config: A :class:`~simulation.scenario.Scenario`, a shipped name or a TOML path.
        seed: The seed of every random stream.
        overrides: ``"key.path=value"`` strings or a mapping, applied before the run.
        keep_members: Keep every member's final state in :attr:`RunResult.members`.
        progress: Draw a bar over the months (see :data:`ProgressSetting`).

    Returns:
        The run's scenario, seed, monthly outcomes and (optionally) members.

    Raises:
        ScenarioError: If the scenario or an override is wrong.
    """
    scenario = resolve_scenario(config, overrides)
    model = PartyModel(scenario, seed=seed)
    if show_progress(progress):
        # Step month by month only to move the bar; model.run() is the same loop.
        with progress_bar(scenario.name, scenario.months, "months", progress) as bar:
            while model.running:
                model.step()
                bar.advance()
        outcomes = model.outcomes()
    else:
        outcomes = model.run()
    members = model.members_frame() if keep_members else None
    return RunResult(scenario=scenario, seed=model.seed, outcomes=outcomes, members=members)


def run_task(task: tuple[Scenario, int, int]) -> pd.DataFrame:
    """Run one replicate and label its outcome rows (the picklable worker function).

    Args:
        task: ``(scenario, replicate number, seed)``.

    Returns:
        The outcome table with ``scenario``, ``replicate`` and ``seed`` columns in front.
    """
    scenario, replicate, seed = task
    model = PartyModel(scenario, seed=seed)
    outcomes = model.run()
    # Mesa's Model keeps a bound method on itself (a reference cycle), so a finished model and
    # its arrays live until the cyclic collector runs; a worker running many models in a row
    # would pile them up. Free each one now.
    del model
    gc.collect()
    values = (scenario.name, replicate, seed)
    labels = pd.DataFrame(dict(zip(KEY_COLUMNS, values, strict=True)), index=outcomes.index)
    return pd.concat([labels, outcomes], axis=1)


def replicate_specs(scenarios: Sequence[Scenario], replicates: int, seed: int) -> list[RunSpec]:
    """The runs of a comparison: every scenario over the same replicate seeds.

    Seeds are derived before anything is dispatched, and replicate ``k`` of every scenario gets
    the same one (common random numbers).

    Args:
        scenarios: Resolved scenarios with different names.
        replicates: Replicates per scenario.
        seed: The experiment's seed.

    Returns:
        The runs, by scenario as given, then replicate (all at design point 0).
    """
    from simulation.experiment.spec import RunSpec

    seeds = replicate_seeds(seed, replicates)
    return [
        RunSpec(scenario=scenario, seed=replicate_seed, replicate=replicate)
        for scenario in scenarios
        for replicate, replicate_seed in enumerate(seeds)
    ]


def run_replicates(
    scenarios: Sequence[Scenario | str | Path],
    replicates: int,
    seed: int,
    workers: int = 1,
    progress: ProgressSetting = True,
    *,
    executor: str | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Run every scenario over the same replicate seeds (common random numbers), in memory.

    Nothing is written; :mod:`simulation.experiment` stores an experiment run by run instead.
    The default runs in this process; ``workers > 1`` (or ``executor="processes"``) uses fresh
    ("spawn") worker processes, which import the calling script again: a script must then
    start its work under ``if __name__ == "__main__":``.

    Args:
        scenarios: Resolved scenarios (names or paths are loaded without overrides). Their
            names must differ, because they label the rows.
        replicates: Replicates per scenario.
        seed: The experiment's seed; replicate seeds are derived from it.
        workers: Processes to use; 1 runs in this process unless ``executor`` says otherwise.
        progress: Draw a progress bar (see :data:`ProgressSetting`).
        executor: ``"serial"``, ``"processes"`` or ``"dask"``; by default serial for one worker,
            processes for more.
        scheduler: A Dask scheduler address (with ``executor="dask"``).

    Returns:
        A tidy table, one row per (scenario, replicate, month): ``scenario``, ``replicate``,
        ``seed``, then the outcome columns; ordered by scenario as given, replicate, month.

    Raises:
        ValueError: If ``replicates`` or ``workers`` is below 1, no scenario is given, or two
            scenarios share a name.
    """
    from simulation.experiment.executors import MemoryStore, execute

    if replicates < 1:
        raise ValueError(f"replicates must be at least 1, not {replicates}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    resolved = [resolve_scenario(s) for s in scenarios]
    if not resolved:
        raise ValueError("no scenario to run")
    names = [s.name for s in resolved]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"scenario names must differ; repeated: {', '.join(repeated)}")
    specs = replicate_specs(resolved, replicates, seed)
    chosen = executor or ("serial" if workers == 1 or len(specs) == 1 else "processes")
    store = MemoryStore()
    execute(specs, store, executor=chosen, workers=workers, scheduler=scheduler, progress=progress)
    # This table predates the experiment layout: no run key or design point.
    return store.load(specs).drop(columns=["run", "point"])
