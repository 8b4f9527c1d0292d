"""Command-line options shared by every experiment command (compare, sweep, sensitivity).

``add_experiment_options(parser)`` adds ``--executor``, ``--workers``, ``--scheduler``,
``--out``, ``--resume``, ``--force`` and ``--progress/--no-progress``; :func:`open_experiment`
opens the result directory with their meaning; :func:`run_experiment` runs what is left.
Running the same command into the same directory resumes it; another experiment there is refused
unless ``--force`` replaces it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from simulation.experiment.errors import ExperimentError
from simulation.experiment.spec import RunSpec
from simulation.experiment.store import ExperimentStore, StoreError

#: The executors a command line may name (kept here so that building the parser imports no
#: model code).
EXECUTOR_CHOICES = ("serial", "processes", "dask")
#: The command line's default: use the machine (the Python API's default is serial).
CLI_EXECUTOR = "processes"


#: Seed used when none is given, so that a command repeated gives the same result.
DEFAULT_SEED = 0


def add_seed_option(parser: argparse.ArgumentParser, meaning: str) -> None:
    """Add ``--seed N`` (a whole number, default :data:`DEFAULT_SEED`)."""
    parser.add_argument(
        "--seed",
        type=whole_number(0),
        default=DEFAULT_SEED,
        metavar="N",
        help=f"{meaning} (default {DEFAULT_SEED})",
    )


def add_replicates_option(parser: argparse.ArgumentParser, default: int, meaning: str) -> None:
    """Add ``--replicates N`` (a whole number of at least 1)."""
    parser.add_argument(
        "--replicates",
        type=whole_number(1),
        default=default,
        metavar="N",
        help=f"{meaning} (default {default})",
    )


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text} is too small; it must be >= {minimum}")
        return value

    parse.__name__ = f"integer >= {minimum}"
    return parse


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is too small; it must be >= 1")
    return value


def _scheduler(text: str) -> str:
    if "://" not in text:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a scheduler address; give one like tcp://host:8786"
        )
    return text


def add_experiment_options(
    parser: argparse.ArgumentParser, default_out: str = "results/..."
) -> None:
    """Add the options every experiment command takes.

    Args:
        parser: The command's (sub)parser.
        default_out: How the default result directory is described in ``--help``.
    """
    group = parser.add_argument_group("running and storing")
    group.add_argument(
        "--executor",
        choices=EXECUTOR_CHOICES,
        default=CLI_EXECUTOR,
        help=f"where runs run (default {CLI_EXECUTOR}: a process pool on this machine)",
    )
    group.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="processes of the pool or the local Dask cluster (default: all cores)",
    )
    group.add_argument(
        "--scheduler",
        type=_scheduler,
        default=None,
        metavar="tcp://HOST:PORT",
        help="a running Dask scheduler to use (with --executor dask; default: a local cluster)",
    )
    group.add_argument(
        "--out", type=Path, metavar="DIR", help=f"experiment directory (default {default_out})"
    )
    group.add_argument(
        "--resume",
        action="store_true",
        help="finish the interrupted experiment in --out, skipping finished runs "
        "(running the same command again does the same)",
    )
    group.add_argument(
        "--force",
        action="store_true",
        help="replace whatever --out holds (another experiment, other files)",
    )
    group.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw a progress bar (default: when stderr is a terminal)",
    )


def progress_setting(options: argparse.Namespace) -> bool | str:
    """The progress setting of the options: ``True`` (if a terminal), ``"always"`` or off."""
    return {None: True, True: "always", False: False}[getattr(options, "progress", None)]


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
    if options.resume and options.force:
        raise StoreError("--resume keeps finished runs and --force discards them; give one")
    check_executor(options)
    directory = options.out or out
    if directory is None:
        raise StoreError("give the experiment directory with --out")
    return ExperimentStore.open(
        directory,
        definition,
        force=options.force,
        resume=options.resume,
        argv=getattr(options, "argv", None),
        scenarios=scenarios,
    )


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
