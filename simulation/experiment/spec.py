"""What one run of an experiment is, and the layout of an experiment's tables.

An experiment is a list of :class:`RunSpec`: a resolved scenario, the design point it belongs
to (its parameter values) and a seed. Seeds are assigned when the specs are made, before any
work is dispatched, so results do not depend on the executor, the number of workers or the
order in which runs finish.

Every experiment's tidy table has one row per (run, month) with these columns, in this order:
:data:`KEY_COLUMNS`, then one column per design parameter (named by its dotted key path, e.g.
``policy.tolerance``), then the model's outcome columns (``month`` first).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simulation.output.names import safe_name
from simulation.scenario import Scenario

#: Columns that identify a run, before parameter and outcome columns.
KEY_COLUMNS = ("run", "scenario", "point", "replicate", "seed")


@dataclass(frozen=True)
class RunSpec:
    """One run of an experiment.

    Attributes:
        scenario: The resolved scenario, with this run's parameter values already applied.
        seed: The seed of every random stream.
        replicate: Replicate number within the design point (0-based).
        point: Design point number (0-based; 0 for a plain comparison of scenarios).
        parameters: The design point's parameter values by dotted key path (empty for a
            plain comparison).
    """

    scenario: Scenario
    seed: int
    replicate: int
    point: int = 0
    parameters: Mapping[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A stable, file-name-safe identifier, unique within an experiment."""
        return f"{safe_name(self.scenario.name)}-p{self.point:05d}-r{self.replicate:05d}"


def definition_hash(definition: Mapping[str, Any]) -> str:
    """A short fingerprint of an experiment definition (JSON with sorted keys, SHA-256)."""
    text = json.dumps(definition, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
