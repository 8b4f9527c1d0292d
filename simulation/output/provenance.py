"""Provenance: what produced a result (versions, platform, command, seeds, time).

Written as ``provenance.json`` next to every result so that a run can be traced and repeated.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import simulation
from simulation.output import atomic

#: Distributions whose versions are recorded: every library that shapes a result. The model's
#: numbers depend on numpy, numba and llvmlite (numba's compiler, which picks the machine
#: instructions), Mesa and the scenario checks (pydantic); the tables on pandas, scipy (the
#: t-intervals) and pyarrow; sensitivity indices on SALib; figures and reports on matplotlib
#: and markdown-it-py; rich draws progress only but is listed as a dependency all the same.
#: ``tests/test_output.py`` checks that every dependency in ``pyproject.toml`` is here.
DEPENDENCIES = (
    "numpy",
    "numba",
    "llvmlite",
    "scipy",
    "pandas",
    "mesa",
    "networkx",
    "pydantic",
    "pyarrow",
    "SALib",
    "matplotlib",
    "markdown-it-py",
    "rich",
    # Optional (the Dask executor); recorded as null when not installed.
    "dask",
    "distributed",
)


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def collect(
    seeds: Mapping[str, Any] | None = None,
    argv: Sequence[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Describe the environment and command that produce a result.

    Args:
        seeds: The seed(s), e.g. ``{"seed": 0, "replicate_seeds": [...]}``.
        argv: The command line; ``sys.argv`` by default.
        extra: More entries to record (e.g. scenario names, replicate count).

    Returns:
        A JSON-serialisable dictionary.
    """
    return {
        "package": "politburo",
        "version": simulation.__version__,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "command": list(sys.argv if argv is None else argv),
        **dict(seeds or {}),
        **dict(extra or {}),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write(provenance: Mapping[str, Any], path: str | Path, *, durable: bool = False) -> Path:
    """Write a provenance dictionary as indented JSON, atomically.

    Args:
        provenance: The output of :func:`collect`.
        path: The file to write.
        durable: Also flush it to disk (see :func:`simulation.output.atomic.replace_atomically`).

    Returns:
        The path written.
    """
    text = json.dumps(provenance, indent=2, default=str) + "\n"
    return atomic.write_text(path, text, durable=durable)
