"""Helpers the commands share, each written once.

A user's mistake on the command line is a :class:`UsageError`; :mod:`simulation.cli.main`
reports it (and the scenario, output and experiment errors, each a ``ValueError`` of
their own) as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from simulation.cli.options import progress_setting
from simulation.experiment.errors import ExperimentError
from simulation.output.names import safe_name

if TYPE_CHECKING:
    import pandas as pd

    from simulation.experiment.spec import RunSpec
    from simulation.experiment.store import ExperimentStore
    from simulation.reporting.report import ExperimentInfo
    from simulation.scenario import Scenario

#: Exit codes: success; a scientific check that failed (``validate-science``); a user's
#: mistake, including a scenario file that ``validate`` finds invalid.
OK, FAILED, USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake on the command line, reported as one line with exit code 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        """Raise the parser's complaint as a :class:`UsageError`."""
        raise UsageError(message)


def default_out(
    kind: str, names: Sequence[str], overrides: Sequence[str] = (), suffix: str = ""
) -> Path:
    """The result folder of a command when ``--out`` is not given.

    ``results/KIND-NAME...[-SUFFIX][-set-HASH]``, made safe by
    :func:`~simulation.output.names.safe_name`. ``--set`` overrides add a short hash of
    their text, so that runs with different overrides do not share a folder.

    Args:
        kind: The command (``run``, ``compare``, ...).
        names: The scenarios' names.
        overrides: The ``--set`` overrides, as given.
        suffix: More of the name (``seed0``, the sensitivity method).

    Returns:
        A folder under ``results``.
    """
    parts = [kind, *names, *([suffix] if suffix else [])]
    if overrides:
        parts.append("set-" + text_fingerprint("\n".join(overrides))[:8])
    return Path("results") / safe_name("-".join(parts))


def text_fingerprint(text: str) -> str:
    """A short hash of a text (a resolved scenario), so that an edited one is another run."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def summary_statistics(
    options: argparse.Namespace, scenarios: Sequence[Scenario]
) -> tuple[str, ...]:
    """The statistics of a comparison's tables: final month, whole run, then ``--at``/``--window``.

    Raises:
        UsageError: If a chosen month lies outside a scenario's period.
    """
    chosen = [f"at:{month}" for month in getattr(options, "at", None) or ()]
    chosen += [f"mean:{window}" for window in getattr(options, "window", None) or ()]
    for statistic in chosen:
        for month in statistic.split(":")[1:]:
            outside = [s.name for s in scenarios if not s.start <= month <= s.end]
            if outside:
                scenario = next(s for s in scenarios if s.name == outside[0])
                raise UsageError(
                    f"{statistic.replace('mean:', '--window ').replace('at:', '--at ')}: "
                    f"{month} lies outside {scenario.name}'s period "
                    f"{scenario.start}..{scenario.end}"
                )
    return ("final", "run_mean", *dict.fromkeys(chosen))


def check_executor(options: argparse.Namespace) -> None:
    """Refuse executor options that cannot work, before anything is written.

    Raises:
        ExperimentError: If ``--scheduler`` is given without ``--executor dask``, or Dask is
            asked for but not installed.
    """
    executor = getattr(options, "executor", "serial")
    if getattr(options, "scheduler", None) is not None and executor != "dask":
        raise ExperimentError("--scheduler needs --executor dask")
    if executor == "dask":
        from simulation.experiment.executors import dask_distributed

        dask_distributed()


def open_experiment(
    options: argparse.Namespace,
    definition: Mapping[str, Any],
    out: str | Path | None = None,
    scenarios: Mapping[str, str] | None = None,
) -> ExperimentStore:
    """Open the experiment directory of a command, with ``--resume``/``--force`` semantics.

    Args:
        options: Parsed options holding ``out``, ``resume``, ``force`` and (optionally)
            ``argv``, the command line to record.
        definition: The experiment definition (see
            :meth:`~simulation.experiment.store.ExperimentStore.open`).
        out: The directory when ``--out`` is not given.
        scenarios: Resolved scenarios as TOML text by name, for the manifest.

    Returns:
        The store: empty for a new experiment, holding the finished runs of the same one.

    Raises:
        ExperimentError: If ``--resume`` and ``--force`` are both given, no directory is known,
            the executor options cannot work (see :func:`check_executor`), or the directory
            may not be used (see :meth:`ExperimentStore.open`).
    """
    from simulation.experiment.store import ExperimentStore, StoreError

    if options.resume and options.force:
        raise StoreError("--resume keeps finished runs and --force discards them; give one")
    check_executor(options)
    directory = options.out or out
    if directory is None:
        raise StoreError("give the experiment directory with --out")
    store = ExperimentStore.open(
        directory,
        definition,
        force=options.force,
        resume=options.resume,
        argv=getattr(options, "argv", None),
        scenarios=scenarios,
    )
    # Kept for the message after an interruption: where the finished runs are.
    options.experiment_directory = store.directory
    return store


def run_experiment(
    options: argparse.Namespace, store: ExperimentStore, specs: Sequence[RunSpec]
) -> tuple[int, int]:
    """Plan the runs in the store and run those left, with the command's executor options.

    Args:
        options: Parsed options holding ``executor``, ``workers``, ``scheduler``, ``progress``.
        store: The opened experiment directory.
        specs: Every run of the experiment, in table order.

    Returns:
        ``(runs already finished, runs run now)``.
    """
    from simulation.experiment.executors import execute

    remaining = store.plan(specs)
    ran = execute(
        remaining,
        store,
        executor=options.executor,
        workers=options.workers,
        scheduler=options.scheduler,
        progress=progress_setting(options),
    )
    return len(specs) - len(remaining), ran


def check_size(
    options: argparse.Namespace,
    scenarios: Sequence[Scenario],
    replicates: int = 1,
    points: int = 1,
) -> None:
    """Refuse work beyond the machine before it starts, unless ``--allow-large`` is given.

    Args:
        options: Parsed options; ``executor`` and ``workers`` say how many runs go at once
            (one for ``run`` and the serial executor), ``allow_large`` lifts the limits.
        scenarios: The scenarios run.
        replicates: Runs per scenario and design point.
        points: Design points.

    Raises:
        WorkTooLargeError: With the estimate, if the work exceeds the machine's memory or a day.
    """
    from simulation.experiment import size

    serial = getattr(options, "executor", None) == "serial"
    workers = 1 if serial else getattr(options, "workers", None)
    estimate = size.estimate(scenarios, replicates, points, workers)
    size.check(estimate, getattr(options, "allow_large", False))
    if estimate.seconds > size.NOTICE_AFTER:
        # Long work says so before it starts, so that a quiet terminal is not taken for a hang.
        print(f"politburo: {estimate.describe()}", file=sys.stderr)


def write_and_say(frame: pd.DataFrame, path: Path) -> Path:
    """Write a table (CSV or Parquet by suffix, atomically) and say so."""
    from simulation.output.folders import write_frame

    written = write_frame(frame, path)
    print(f"wrote {written}")
    return written


def experiment_info(
    store: ExperimentStore,
    scenario: Scenario,
    parameters: dict[str, Any],
    design: str,
    options: argparse.Namespace,
    points: int,
    outcomes: Sequence[str] = (),
    statistic: str = "final",
) -> ExperimentInfo:
    """What a report says about how the results were made, from the store's manifest."""
    from simulation.reporting.report import ExperimentInfo

    provenance = store.manifest.get("provenance", {})
    versions = {"politburo": str(provenance.get("version", "")), "Python": provenance.get("python")}
    versions.update(provenance.get("dependencies") or {})
    workers = options.workers or "all"
    return ExperimentInfo(
        scenarios=[scenario.name],
        parameters=parameters,
        design=design,
        replicates=options.replicates,
        seed=options.seed,
        command=list(getattr(options, "argv", None) or provenance.get("command") or ()),
        points=points,
        runs=points * options.replicates,
        outcomes=list(outcomes),
        statistic=statistic,
        period=f"{scenario.start} to {scenario.end} ({scenario.months} months)",
        versions={k: str(v) for k, v in versions.items() if v},
        fingerprint=store.definition_hash,
        executor=f"{options.executor}, {workers} workers",
    )
