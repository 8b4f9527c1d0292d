"""The dashboard's server: start the page, or install its front-end files.

The page runs under ``solara run`` in a child process, on 127.0.0.1 by default; the command
prints the address and stops the server on Ctrl+C. Its arguments reach the page through
environment variables (:mod:`simulation.dashboard.app` reads them when a tab opens).
Everything a user can get wrong (a scenario, an empty ``--host``, a port in use, missing
front-end files, Solara not installed) is checked before the server starts and reported as one
line; an address beyond loopback is allowed with a warning.
"""

from __future__ import annotations

import errno
import importlib.util
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Any

from simulation.dashboard.settings import (
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


def check_host(host: str) -> str | None:
    """Refuse an empty address; say so when the page would be reachable from elsewhere.

    Args:
        host: The address to listen on (an IP address or a host name).

    Returns:
        A warning when ``host`` is not a loopback address (the page has no password, and
        anyone who reaches it runs models on this machine), else ``None``.

    Raises:
        DashboardError: If ``host`` is empty (which would listen on every interface).
    """
    if not host.strip():
        raise DashboardError(
            "--host is empty, which would listen on every network interface; give an "
            f"address, e.g. {DEFAULT_HOST} (this machine only)"
        )
    if _is_loopback(host):
        return None
    return (
        f"politburo dashboard: warning: listening on {host} makes the page reachable from "
        "other machines; it has no password, and anyone who reaches it runs models here"
    )


def _is_loopback(host: str) -> bool:
    """Whether every address ``host`` names is this machine's loopback."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass  # a host name: look at what it resolves to
    try:
        found = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    addresses = {entry[4][0] for entry in found}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


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


def install_assets() -> str:
    """Fetch the page's front-end files into Solara's cache (once); say what was done."""
    check_dependencies()
    from simulation.dashboard import assets

    cache, installed = assets.install()
    if installed:
        names = ", ".join(package.spec for package in installed)
        return f"installed {names} into {cache}"
    return f"the dashboard's front-end files are already in {cache}"


def serve(scenario: str, size: int | str, seed: int | str, host: str, port: int) -> int:
    """Serve the page until Ctrl+C or SIGTERM; return the server's exit code.

    Everything is checked before the server starts, each mistake as a one-line error:
    the dependencies, the front-end files, the size, the seed, the scenario, the host (a
    warning if beyond loopback) and the port.

    Args:
        scenario: Scenario name or TOML path to start with.
        size: Party size to start with.
        seed: Seed to start with.
        host: Address to listen on.
        port: Port (0 picks a free one).
    """
    warning = check_host(host)
    check_dependencies()
    from simulation.dashboard import assets

    assets.check_installed()
    size = parse_size(size)
    seed = parse_seed(seed)
    load_scenario(scenario, {"population.size": size})  # one-line error if it fails
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)
    port = port or free_port(host)
    check_port(host, port)
    address = f"http://{host}:{port}/"
    print(f"politburo dashboard: open {address} in a browser (Ctrl+C stops it)", flush=True)
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) stops the server as Ctrl+C does, rather than orphaning it.
        signal.signal(signal.SIGTERM, _interrupt)
    server = subprocess.Popen(
        server_command(host, port), env=server_environment(scenario, size, seed)
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
