"""politburo: an agent-based model of a ruling party under different leaderships."""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public names -> the module that defines them. They are imported on first use, so that
#: ``import simulation`` stays light (the command line answers ``--version`` without Mesa).
_EXPORTS = {
    "PartyModel": "simulation.model.party",
    "RunResult": "simulation.experiment.runs",
    "Scenario": "simulation.scenario",
    "ScenarioError": "simulation.scenario",
    "differences": "simulation.reporting.summary",
    "list_scenarios": "simulation.scenario",
    "load_scenario": "simulation.scenario",
    "run_replicates": "simulation.experiment.runs",
    "run_scenario": "simulation.experiment.runs",
    "summarise": "simulation.reporting.summary",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
