"""``politburo scenarios``, ``show`` and ``validate``: list, print and check scenario files."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simulation.cli.common import OK, USAGE
from simulation.cli.options import add_overrides_option
from simulation.scenario import ScenarioError, list_scenarios, load_scenario, resolved_toml


def add_parsers(commands: Any) -> None:
    """Add ``scenarios``, ``show`` and ``validate`` to the main parser's subparsers."""
    commands.add_parser("scenarios", help="list the shipped scenarios")
    show = commands.add_parser("show", help="print a scenario with every default explicit")
    show.add_argument("scenario", metavar="SCENARIO", help="scenario name or TOML file")
    add_overrides_option(show)
    validate = commands.add_parser(
        "validate", help="check scenario files; list every problem (exit code 2 if any)"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="scenario files")


def command_scenarios(options: argparse.Namespace) -> int:
    """``politburo scenarios``: shipped and local scenarios with their descriptions."""
    found = list_scenarios()
    width = max((len(name) for name, _, _ in found), default=0)
    for name, description, _ in found:
        print(f"{name:<{width}}  {description}")
    return OK


def command_show(options: argparse.Namespace) -> int:
    """``politburo show``: the resolved scenario as TOML."""
    scenario = load_scenario(options.scenario, options.overrides)
    sys.stdout.write(resolved_toml(scenario))
    return OK


def command_validate(options: argparse.Namespace) -> int:
    """``politburo validate``: "ok", or every problem of the file, one line each.

    Returns:
        0 if every file is valid, 2 (a mistake, as for every command) if any is not.
    """
    code = OK
    for name in options.files:
        try:
            load_scenario(name)
        except ScenarioError as error:
            for line in error.lines():
                print(" ".join(line.split()))
            code = USAGE
        else:
            print(f"{name}: ok")
    return code
