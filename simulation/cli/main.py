"""The ``politburo`` command line: the parser, the commands, and how errors are reported.

Each command lives in its own module of :mod:`simulation.cli` (``add_parser`` and ``command``),
a thin layer over the Python API. A user's mistake (a bad scenario or ``--set``, a bad number,
an existing output directory) is reported as one line, ``politburo: error: ...``, with exit
code 2, never as a traceback. :func:`main` returns the exit code instead of exiting, so it can
be called in-process (tests, notebooks).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import simulation
from simulation.cli import (
    compare,
    dashboard,
    history,
    report,
    run,
    scenarios,
    science,
    sensitivity,
    sweep,
)
from simulation.cli.common import OK, USAGE, Parser, UsageError
from simulation.output.folders import OutputError
from simulation.scenario import ScenarioError

# The modules that run, summarise and draw (Mesa, SciPy, Matplotlib) are imported inside the
# commands that need them, so that `politburo scenarios`, `show` and `--version` answer at once.

#: Command name -> the function that runs it.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": run.command,
    "compare": compare.command,
    "sweep": sweep.command,
    "sensitivity": sensitivity.command,
    "history": history.command,
    "report": report.command,
    "validate-science": science.command,
    "scenarios": scenarios.command_scenarios,
    "show": scenarios.command_show,
    "validate": scenarios.command_validate,
    "dashboard": dashboard.command,
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = Parser(
        prog="politburo",
        description="Run and compare scenarios of a ruling party's dissent and repression.",
    )
    parser.add_argument(
        "--version", action="version", version=f"politburo {simulation.__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (run, compare, sweep, sensitivity):
        module.add_parser(commands)
    scenarios.add_parsers(commands)
    for module in (science, dashboard, history, report):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``politburo`` command.

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns:
        The exit code: 0 on success, 1 when ``validate-science`` finds that a published
        result is not reproduced, 2 on a user's mistake (including a file that ``validate``
        finds invalid), 130 when interrupted.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    options: argparse.Namespace | None = None
    try:
        options = build_parser().parse_args(arguments)
        options.argv = ["politburo", *arguments]
        return COMMANDS[options.command](options)
    except SystemExit as done:  # --help and --version exit through argparse
        return done.code if isinstance(done.code, int) else OK
    except ScenarioError as error:
        every = getattr(options, "all_problems", False)
        return fail(*(error.lines() if every else [str(error)]))
    except (UsageError, OutputError) as error:
        return fail(str(error))
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        return fail(f"{where}{error.strerror or error}")
    except KeyboardInterrupt:
        kept = getattr(options, "experiment_directory", None)
        if kept is None:
            print("politburo: interrupted; nothing was written", file=sys.stderr)
        else:
            print(
                f"politburo: interrupted; finished runs are kept in {kept}: "
                "run the same command again (or add --resume) to finish",
                file=sys.stderr,
            )
        return 130


def fail(*messages: str) -> int:
    """Report a user's mistake as one line on stderr (one per problem); return exit code 2."""
    for message in messages:
        print(f"politburo: error: {' '.join(message.split())}", file=sys.stderr)
    return USAGE
