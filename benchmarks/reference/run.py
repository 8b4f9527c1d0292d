"""Run the reference model: the entry point for tests and benchmarks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.reference.model import ReferenceModel
from simulation.scenario import Scenario, resolve_scenario


def run_reference(
    scenario: Scenario | str | Path,
    seed: int,
    months: int | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Run the reference model and return its monthly outcomes.

    Args:
        scenario: A :class:`~simulation.scenario.Scenario`, a shipped scenario name (e.g.
            ``"historical"``) or a path to a TOML file.
        seed: Seed of the run's random streams.
        months: Stop after this many months (``None``: run to the scenario's end).
        overrides: Key paths to values applied before validation, e.g.
            ``{"population.size": 300}``.

    Returns:
        One row per simulated month, with the fast engine's outcome columns
        (:data:`simulation.model.outcomes.OUTCOMES` and one ``faction_<name>`` column per faction).
    """
    model = ReferenceModel(resolve_scenario(scenario, overrides), seed=seed)
    steps = 0
    while model.running and (months is None or steps < months):
        model.step()
        steps += 1
    return model.outcomes()
