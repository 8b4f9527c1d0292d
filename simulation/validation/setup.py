"""Where the validation scenarios live, and how a check builds a model from one.

The set-ups of the published results are scenario files: the classic special cases in
``scenarios/`` (``daymude``, ``deffuant``, ``hegselmann_krause``) and the others in
``scenarios/validation/``, each saying in comments what it switches off and why. A check
loads one by path (files in the sub-folder are not found by bare name) and varies it with
``--set``-style overrides, so what the check runs is what a user can run with
``politburo run scenarios/validation/NAME.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from simulation.model.party import PartyModel
from simulation.scenario import Scenario, load_scenario
from simulation.shipped import shipped_folder


def scenario_file(name: str) -> Path:
    """The file of a validation set-up: ``scenarios/validation/NAME.toml``, else a classic."""
    scenarios = shipped_folder("scenarios")
    own = scenarios / "validation" / f"{name}.toml"
    return own if own.is_file() else scenarios / f"{name}.toml"


def load(name: str, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load a validation set-up by name with overrides applied."""
    return load_scenario(scenario_file(name), dict(overrides or {}))


def build(name: str, seed: int, overrides: Mapping[str, Any] | None = None) -> PartyModel:
    """A model of a validation set-up, not yet run."""
    return PartyModel(load(name, overrides), seed=seed)
