"""Helpers the commands share, each written once.

A user's mistake on the command line is a :class:`UsageError`; :mod:`simulation.cli.main`
reports it (and the scenario, output and experiment errors, each a ``ValueError`` of
their own) as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulation.cli.options import progress_setting
from simulation.experiment.errors import ExperimentError

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


def slug(text: str) -> str:
    """A name made safe as part of a folder name: letters, digits, ``_.-``; never empty."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "scenario"


def text_fingerprint(text: str) -> str:
    """A short hash of a text (a resolved scenario), so that an edited one is another run."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
