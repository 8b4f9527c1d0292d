"""Command-line options shared by the commands, each defined once.

Seeds, replicates, ``--set`` overrides, the output folder and ``--force``, the progress bar,
and the options of every experiment command (``--executor``, ``--workers``, ``--scheduler``,
``--out``, ``--resume``, ``--force``, ``--progress``). Building the parser imports no model
code, so that ``politburo --help`` answers at once.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from simulation.scenario.checks import ascii_whole

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
            value = ascii_whole(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number written in digits 0-9"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text} is too small; it must be >= {minimum}")
        return value

    parse.__name__ = f"integer >= {minimum}"
    return parse


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
        type=whole_number(1),
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
        help="replace the politburo result --out holds (another experiment, a run); "
        "a folder of other files is refused even so",
    )
    add_allow_large_option(group)
    add_progress_option(group)


def add_allow_large_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add ``--allow-large``: run work estimated beyond this machine's memory or a day."""
    parser.add_argument(
        "--allow-large",
        action="store_true",
        help="run work whose estimate exceeds this machine's memory or a day of its time "
        "(refused otherwise, with the estimate)",
    )


def add_all_problems_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--all``: list every problem of a scenario, not only the first."""
    parser.add_argument(
        "--all",
        dest="all_problems",
        action="store_true",
        help="list every problem of a bad scenario, one per line (default: the first)",
    )


def add_overrides_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--set KEY=VALUE`` (repeatable; dest ``overrides``)."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario value, e.g. --set policy.tolerance=0.4 (repeatable)",
    )
    add_all_problems_option(parser)


def add_output_options(parser: argparse.ArgumentParser, default: str) -> None:
    """Add ``--out DIR`` and ``--force`` for a command that writes one result folder."""
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help=f"result directory (default {default})"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing result directory (only a politburo result)",
    )


def add_progress_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add ``--progress/--no-progress`` (default: a bar when stderr is a terminal)."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw a progress bar (default: when stderr is a terminal)",
    )


def progress_setting(options: argparse.Namespace) -> bool | str:
    """The progress setting of the options: ``True`` (if a terminal), ``"always"`` or off."""
    return {None: True, True: "always", False: False}[getattr(options, "progress", None)]


#: A month on the command line: four ASCII digits, a dash, 01 to 12.
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


def _month(text: str) -> str:
    if not _MONTH.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a month; write it as YYYY-MM")
    return text


def _window(text: str) -> str:
    first, colon, last = text.partition(":")
    if not (colon and _MONTH.match(first) and _MONTH.match(last)):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a window; write it as FIRST:LAST, e.g. 1937-01:1938-12"
        )
    if first > last:
        raise argparse.ArgumentTypeError(f"window {text} ends before it starts")
    return text


def add_summary_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--at YYYY-MM`` and ``--window FIRST:LAST``: more dates for the summary tables."""
    group = parser.add_argument_group("summary tables")
    group.add_argument(
        "--at",
        action="append",
        default=[],
        type=_month,
        metavar="YYYY-MM",
        help="also summarise every outcome at the end of this month (repeatable)",
    )
    group.add_argument(
        "--window",
        action="append",
        default=[],
        type=_window,
        metavar="FIRST:LAST",
        help="also summarise the mean over these months, both included, e.g. 1937-01:1938-12; "
        "cumulative measures are left out of means (repeatable)",
    )
