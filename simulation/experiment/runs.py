"""Run scenarios: one run, or replicates of several scenarios under common random numbers.

Replicate seeds are derived once from the experiment's seed (:func:`~simulation.model.rng.
replicate_seeds`) and shared by every scenario: replicate ``k`` of each scenario starts from the
same party, network and reality path, so a paired difference between scenarios measures the
policy rather than the luck (docs/ODD.md, 4.9 Stochasticity).

Replicate ensembles are run by :func:`simulation.experiment.executors.execute` as
:class:`~simulation.experiment.spec.RunSpec` runs. Because every run carries its own seed, the
results do not depend on the executor, the number of workers or the order in which runs finish;
they are put back in scenario order, then replicate order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.experiment.executors import MemoryStore, execute
from simulation.experiment.guesses import with_drawn_guesses
from simulation.experiment.progress import ProgressSetting, progress_bar, show_progress
from simulation.experiment.spec import RunSpec
from simulation.model.party import PartyModel
from simulation.model.rng import replicate_seeds
from simulation.scenario import Scenario, resolve_scenario


@dataclass(frozen=True)
class RunResult:
    """The result of one run.

    Attributes:
        scenario: The resolved scenario that was run.
        seed: The seed of every random stream.
        outcomes: The monthly outcome table (one row per month).
        members: Every member's final state, or ``None`` when not kept.
        fates: The leaders' fate table (docs/ODD.md 7.10), or ``None`` when
            ``succession.enabled`` is off.
    """

    scenario: Scenario
    seed: int
    outcomes: pd.DataFrame
    members: pd.DataFrame | None
    fates: pd.DataFrame | None = None


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
        The run's scenario, seed, monthly outcomes, (optionally) members and the leaders' fates.

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
    fates = model.fates() if model.succession is not None else None
    return RunResult(
        scenario=scenario, seed=model.seed, outcomes=outcomes, members=members, fates=fates
    )


def replicate_specs(
    scenarios: Sequence[Scenario], replicates: int, seed: int, draw_guesses: bool = False
) -> list[RunSpec]:
    """The runs of a comparison: every scenario over the same replicate seeds.

    Seeds are derived before anything is dispatched, and replicate ``k`` of every scenario gets
    the same one (common random numbers).

    Args:
        scenarios: Resolved scenarios with different names.
        replicates: Replicates per scenario.
        seed: The experiment's seed.
        draw_guesses: Draw each scenario's guesses per replicate
            (:func:`~simulation.experiment.guesses.with_drawn_guesses`); the values drawn are
            the runs' parameters.

    Returns:
        The runs, by scenario as given, then replicate (all at design point 0).
    """
    seeds = replicate_seeds(seed, replicates)
    specs = []
    for scenario in scenarios:
        for replicate, replicate_seed in enumerate(seeds):
            run_scenario, values = (
                with_drawn_guesses(scenario, seed, replicate) if draw_guesses else (scenario, {})
            )
            specs.append(
                RunSpec(run_scenario, seed=replicate_seed, replicate=replicate, parameters=values)
            )
    return specs


def run_replicates(
    scenarios: Sequence[Scenario | str | Path],
    replicates: int,
    seed: int,
    workers: int = 1,
    progress: ProgressSetting = True,
    *,
    executor: str | None = None,
    scheduler: str | None = None,
    draw_guesses: bool = False,
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
        draw_guesses: Draw each scenario's guesses per replicate (docs/ODD.md 5.6).

    Returns:
        A tidy table, one row per (scenario, replicate, month): ``scenario``, ``replicate``,
        ``seed``, then the outcome columns; ordered by scenario as given, replicate, month.
        With ``draw_guesses``, the drawn values come first, one column per guess.

    Raises:
        ValueError: If ``replicates`` or ``workers`` is below 1, no scenario is given, or two
            scenarios share a name.
    """
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
    specs = replicate_specs(resolved, replicates, seed, draw_guesses)
    chosen = executor or ("serial" if workers == 1 or len(specs) == 1 else "processes")
    store = MemoryStore()
    execute(specs, store, executor=chosen, workers=workers, scheduler=scheduler, progress=progress)
    # This table predates the experiment layout: no run key or design point.
    return store.load(specs).drop(columns=["run", "point"])
