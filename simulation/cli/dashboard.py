"""``politburo dashboard``: serve the dashboard, or install its front-end files."""

from __future__ import annotations

import argparse
from typing import Any

from simulation.cli.common import OK, UsageError
from simulation.cli.options import whole_number
from simulation.dashboard.server import DEFAULT_HOST, DEFAULT_PORT
from simulation.dashboard.settings import DEFAULT_SIZE


def add_parser(commands: Any) -> None:
    """Add ``politburo dashboard`` to the main parser's subparsers."""
    dashboard = commands.add_parser(
        "dashboard",
        help="open the interactive dashboard (sliders, live charts, side-by-side runs)",
        description="Serve the dashboard on this machine and print its address. Move the "
        "policy sliders and watch a run unfold month by month, or run a baseline next to it.",
    )
    dashboard.add_argument(
        "scenario",
        nargs="?",
        default="historical",
        metavar="SCENARIO",
        help="scenario to start with (default historical)",
    )
    dashboard.add_argument(
        "--size",
        type=whole_number(10),
        default=DEFAULT_SIZE,
        help=f"party members at the start (default {DEFAULT_SIZE}; smaller steps faster)",
    )
    dashboard.add_argument(
        "--seed", type=whole_number(0), default=1, help="seed to start with (default 1)"
    )
    dashboard.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    dashboard.add_argument(
        "--port",
        type=whole_number(0),
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    dashboard.add_argument(
        "--install-assets",
        action="store_true",
        help="fetch the page's front-end files from the npm registry into Solara's cache "
        "(once, for working offline), then exit",
    )


def command(options: argparse.Namespace) -> int:
    """Run ``politburo dashboard``; return the exit code."""
    from simulation.dashboard.assets import AssetError
    from simulation.dashboard.server import DashboardError, install_assets, serve
    from simulation.dashboard.settings import SettingsError

    try:
        if options.install_assets:
            print(install_assets())
            return OK
        return serve(options.scenario, options.size, options.seed, options.host, options.port)
    except (DashboardError, AssetError, SettingsError) as error:
        raise UsageError(str(error)) from None
