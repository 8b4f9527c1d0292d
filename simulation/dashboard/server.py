"""``politburo dashboard``: start the page's server, or install its front-end files.

The page runs under ``solara run`` in a child process, on 127.0.0.1 by default; the command
prints the address and stops the server on Ctrl+C. Its arguments reach the page through
environment variables (:mod:`simulation.dashboard.app` reads them when a tab opens).
Everything a user can get wrong (a scenario, a port in use, missing front-end files, Solara
not installed) is checked before the server starts and reported as one line.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Any

from simulation.cli.options import whole_number
from simulation.dashboard.settings import (
    DEFAULT_SIZE,
    ENV_SCENARIO,
    ENV_SEED,
    ENV_SIZE,
    parse_seed,
    parse_size,
)
from simulation.scenario import load_scenario

#: The module ``solara run`` serves.
APP_MODULE = "simulation.dashboard.app"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: Packages the page needs beyond the model's own dependencies (the ``dashboard`` extra).
NEEDED = ("solara", "altair", "ipyvuetify")


class DashboardError(Exception):
    """A reason the dashboard cannot start, reported as one line."""


def add_dashboard_parser(commands: Any) -> argparse.ArgumentParser:
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
    return dashboard


def check_dependencies() -> None:
    """Make sure the ``dashboard`` extra is installed.

    Raises:
        DashboardError: Naming what is missing and how to install it.
    """
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        raise DashboardError(
            f"the dashboard needs {', '.join(missing)}: pip install 'politburo[dashboard]' "
            "(or pip install -e '.[dashboard]' in a checkout)"
        )


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port on ``host`` that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def check_port(host: str, port: int) -> None:
    """Make sure the server can listen on ``host:port``.

    Raises:
        DashboardError: If the port is in use or the address is not this machine's.
    """
    if not 1 <= port <= 65535:
        raise DashboardError(f"port {port} is out of range; allowed: 1 to 65535, or 0")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            in_use = error.errno == errno.EADDRINUSE
            reason = "is in use" if in_use else f"cannot be used ({error.strerror})"
            raise DashboardError(
                f"{host}:{port} {reason}; choose another with --port (0 picks a free one)"
            ) from None


def server_command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line that serves the page."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",  # minified front-end files, no auto-reload
        "--no-open",
    ]


def server_environment(scenario: str, size: int, seed: int) -> dict[str, str]:
    """The environment of the server process: the page's start settings, no telemetry."""
    return os.environ | {
        ENV_SCENARIO: scenario,
        ENV_SIZE: str(size),
        ENV_SEED: str(seed),
        # Solara reports usage to a web service by default; the page works offline and
        # sends nothing anywhere.
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    }


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def command_dashboard(options: argparse.Namespace) -> int:
    """``politburo dashboard``: serve the page until Ctrl+C (or install its assets)."""
    check_dependencies()
    from simulation.dashboard import assets

    if options.install_assets:
        cache, installed = assets.install()
        if installed:
            names = ", ".join(package.spec for package in installed)
            print(f"installed {names} into {cache}")
        else:
            print(f"the dashboard's front-end files are already in {cache}")
        return 0
    assets.check_installed()
    size = parse_size(options.size)
    parse_seed(options.seed)  # one-line error if it is out of range
    load_scenario(options.scenario, {"population.size": size})  # one-line error if it fails
    port = options.port or free_port(options.host)
    check_port(options.host, port)
    address = f"http://{options.host}:{port}/"
    print(f"politburo dashboard: open {address} in a browser (Ctrl+C stops it)", flush=True)
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) stops the server as Ctrl+C does, rather than orphaning it.
        signal.signal(signal.SIGTERM, _interrupt)
    server = subprocess.Popen(
        server_command(options.host, port),
        env=server_environment(options.scenario, size, options.seed),
    )
    try:
        return server.wait()
    except KeyboardInterrupt:
        _stop(server)
        print("politburo dashboard: stopped", file=sys.stderr)
        return 0
    finally:
        if server.poll() is None:
            _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """Ask the server to stop; kill it if it has not stopped within ten seconds."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
