"""Read an experiment directory from Python (notebooks): its manifest and its tidy runs."""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.experiment.store import MANIFEST, RUNNING, ExperimentStore, StoreError


class Experiment:
    """A finished or partly finished experiment on disk.

    The runs are read on first use of :attr:`runs`, so opening a large experiment to look at
    its definition costs nothing.

    Attributes:
        directory: The experiment directory.
        manifest: The manifest (definition, runs, resolved scenarios, provenance, status).
    """

    def __init__(self, directory: Path, manifest: dict[str, Any]) -> None:
        self.directory = directory
        self.manifest = manifest

    @property
    def definition(self) -> dict[str, Any]:
        """The experiment definition (kind, scenarios, design, replicates, seed, ...)."""
        return dict(self.manifest["definition"])

    @property
    def status(self) -> str:
        """``"running"`` (unfinished or interrupted) or ``"complete"``."""
        return str(self.manifest.get("status", RUNNING))

    @cached_property
    def runs(self) -> pd.DataFrame:
        """Every finished run: one row per (run, month), in the experiment's order.

        ``month`` is a pandas monthly period (``period[M]``); the run files store it as text.
        """
        return ExperimentStore(self.directory, self.manifest).load()

    def __repr__(self) -> str:
        kind = self.manifest.get("definition", {}).get("kind", "experiment")
        planned = len(self.manifest.get("runs") or [])
        return f"Experiment({str(self.directory)!r}, kind={kind!r}, runs={planned}, {self.status})"


def load_experiment(directory: str | Path) -> Experiment:
    """Open an experiment directory written by ``politburo compare``, ``sweep`` or the API.

    Args:
        directory: The directory holding ``manifest.json``.

    Returns:
        The experiment; its runs are loaded when first asked for.

    Raises:
        StoreError: If the directory holds no readable manifest.
    """
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise StoreError(f"{directory} holds no experiment ({MANIFEST} not found)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise StoreError(f"{path} cannot be read: {error}") from None
    return Experiment(Path(directory), manifest)
