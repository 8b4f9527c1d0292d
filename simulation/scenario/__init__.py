"""Scenario files: schema, loading, overrides and errors."""

from simulation.scenario.loader import (
    ScenarioError,
    apply_overrides,
    find_scenario,
    list_scenarios,
    load_scenario,
    parse_override,
    resolve_scenario,
    resolved_toml,
)
from simulation.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "find_scenario",
    "list_scenarios",
    "load_scenario",
    "parse_override",
    "resolve_scenario",
    "resolved_toml",
]
