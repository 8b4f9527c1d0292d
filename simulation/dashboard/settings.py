"""What the dashboard's controls set, and how that becomes a scenario.

The controls never touch a running model: they produce a :class:`DashboardSettings`, and a run
is built from it (:mod:`simulation.dashboard.runs`). Policy knobs are key paths of the
scenario schema, applied as overrides exactly as ``--set`` applies them on the command line,
so a knob can never set a value the schema forbids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from simulation.scenario import Scenario, load_scenario
from simulation.scenario.schema import CampaignEvent, PolicyEvent, field_label

#: Seeds are non-negative and fit numpy's SeedSequence and Mesa's generators.
MAX_SEED = 2**63 - 1
#: Party sizes at the start offered by the dashboard: small enough to step live.
SIZES = (300, 500, 1000, 2000, 5000, 20000)
DEFAULT_SIZE = 1000
#: Marks the leader-specific part of a knob's key path.
LEADER = "{leader}"
#: A knob without a key path: scales the quota of every campaign in the timeline.
QUOTA_SCALE = "quota_scale"
#: Environment variables through which ``politburo dashboard`` hands its arguments to the
#: page, which ``solara run`` starts in a process of its own.
ENV_SCENARIO = "POLITBURO_DASHBOARD_SCENARIO"
ENV_SIZE = "POLITBURO_DASHBOARD_SIZE"
ENV_SEED = "POLITBURO_DASHBOARD_SEED"


class SettingsError(ValueError):
    """A value typed into the dashboard that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Knob:
    """One policy control: a key path in the scenario, and its range on the page.

    Attributes:
        name: Short identifier (also the control's id on the page).
        key: Key path in the scenario; ``{leader}`` stands for the leader at the start.
            Empty for :data:`QUOTA_SCALE`, which is not one value of the scenario.
        low: Smallest value on the slider.
        high: Largest value on the slider.
        step: Slider step.
        kind: ``"float"`` for a slider, ``"bool"`` for a checkbox.
        own_label: What the page shows for a knob that is not a scenario field.
    """

    name: str
    key: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    kind: Literal["float", "bool"] = "float"
    own_label: str = ""

    @property
    def label(self) -> str:
        """What the page shows: the title the scenario schema declares for the field."""
        declared = field_label(self.key) if self.key else None
        return declared[0] if declared else self.own_label or self.name


#: The policy controls, in the order the page shows them. Ranges stay inside the schema's
#: bounds and cover the values the shipped scenarios use (e.g. severity 4 in 1937).
KNOBS: tuple[Knob, ...] = (
    Knob("tolerance", "policy.tolerance"),
    Knob("surveillance", "policy.surveillance"),
    Knob("severity", "policy.severity", 0.0, 10.0, 0.1),
    Knob("denunciation", "policy.denunciation", 0.0, 0.2, 0.005),
    Knob("false_denunciation", "policy.false_denunciation", 0.0, 0.02, 0.001),
    Knob("association", "policy.association", 0.0, 0.5, 0.01),
    Knob("responsiveness", f"leadership.leaders.{LEADER}.responsiveness"),
    Knob("hardening", f"leadership.leaders.{LEADER}.hardening.enabled", kind="bool"),
    Knob("tenure_drift", f"leadership.leaders.{LEADER}.hardening.tenure_drift", 0.0, 0.3, 0.01),
    Knob(QUOTA_SCALE, "", 0.0, 3.0, 0.1, own_label="Campaign quotas ×"),
)
KNOBS_BY_NAME = {knob.name: knob for knob in KNOBS}


@dataclass(frozen=True)
class DashboardSettings:
    """Everything a run on the dashboard is built from.

    Attributes:
        scenario: Scenario name or TOML path of the tweaked run.
        seed: The seed of both runs (common random numbers).
        size: Party members at the start (``population.size``), for both runs.
        tweaks: Knob name -> value, for every knob the user has set (even back to the
            scenario's own value).
        hold_policy: Ignore the scenario's policy events, so that the policy set here holds
            for the whole run (campaigns, successions, shocks and amnesties still happen).
        side_by_side: Also run a baseline next to the tweaked run.
        baseline: Scenario of the baseline; ``None`` means the same scenario, untweaked.
    """

    scenario: str = "historical"
    seed: int = 1
    size: int = DEFAULT_SIZE
    tweaks: tuple[tuple[str, float | bool], ...] = field(default=())
    hold_policy: bool = False
    side_by_side: bool = False
    baseline: str | None = None

    def tweak(self, name: str, value: float | bool) -> DashboardSettings:
        """These settings with one knob set (unknown names are a programming error)."""
        knob = KNOBS_BY_NAME[name]
        value = bool(value) if knob.kind == "bool" else float(value)
        tweaks = dict(self.tweaks) | {name: value}
        return replace(self, tweaks=tuple(sorted(tweaks.items())))

    def tweak_values(self) -> dict[str, float | bool]:
        """The tweaks as a dictionary."""
        return dict(self.tweaks)

    @property
    def baseline_name(self) -> str:
        """The scenario the baseline runs."""
        return self.baseline or self.scenario


def parse_seed(text: str | int | None) -> int:
    """Read a seed typed into the page.

    Args:
        text: What was typed (a text input gives a string), or an int.

    Returns:
        The seed as an int.

    Raises:
        SettingsError: If it is not a whole number from 0 to 2**63 - 1.
    """
    allowed = f"a whole number from 0 to {MAX_SEED}"
    raw = "" if text is None else str(text).strip().replace("_", "")
    if not (raw.isascii() and raw.isdigit()):  # isdigit alone accepts "²", which int() refuses
        raise SettingsError(f"seed {str(text or '').strip()!r} is not {allowed}")
    seed = int(raw)
    if seed > MAX_SEED:
        raise SettingsError(f"seed {seed} is too large; allowed: {allowed}")
    return seed


def parse_size(value: str | int) -> int:
    """Read a party size chosen on the page (one of :data:`SIZES` or another positive int)."""
    text = str(value).strip().replace(",", "").replace("_", "")
    if not (text.isascii() and text.isdigit()) or not 10 <= int(text) <= 50_000_000:
        raise SettingsError(f"party size {value!r} is not a whole number from 10 to 50000000")
    return int(text)


def startup_settings(environ: Mapping[str, str]) -> DashboardSettings:
    """The settings a new tab starts with: those of the command line, else the defaults.

    Args:
        environ: The process environment (see :data:`ENV_SCENARIO`, :data:`ENV_SIZE`,
            :data:`ENV_SEED`).

    Raises:
        SettingsError: If the size or seed is not a whole number in range.
    """
    defaults = DashboardSettings()
    return DashboardSettings(
        scenario=environ.get(ENV_SCENARIO) or defaults.scenario,
        size=parse_size(environ.get(ENV_SIZE) or defaults.size),
        seed=parse_seed(environ.get(ENV_SEED) or defaults.seed),
    )


@lru_cache(maxsize=32)
def base_scenario(name: str, size: int) -> Scenario:
    """The scenario as written, at the dashboard's party size (cached: loading reads files).

    Raises:
        ScenarioError: If the scenario cannot be loaded (one line, for the page to show).
    """
    return load_scenario(name, {"population.size": size})


def leader_key(key: str, scenario: Scenario) -> str:
    """A knob's key path with the starting leader's name filled in."""
    return key.replace(LEADER, scenario.leadership.leader)


def scenario_value(scenario: Scenario, knob: Knob) -> float | bool:
    """The value a knob has in a scenario as written (the quota scale is 1 there)."""
    if knob.name == QUOTA_SCALE:
        return 1.0
    node: Any = scenario
    for part in leader_key(knob.key, scenario).split("."):
        node = node[part] if isinstance(node, Mapping) else getattr(node, part)
    return bool(node) if knob.kind == "bool" else float(node)


def knob_overrides(scenario: Scenario, tweaks: Mapping[str, float | bool]) -> dict[str, Any]:
    """Key-path overrides that put the tweaks into a scenario.

    The quota scale multiplies the quota of every campaign event (capped at 1, the whole
    target group); other knobs set their key path.
    """
    overrides: dict[str, Any] = {}
    for name, value in tweaks.items():
        knob = KNOBS_BY_NAME[name]
        if knob.name == QUOTA_SCALE:
            for number, event in enumerate(scenario.events):
                if isinstance(event, CampaignEvent):
                    overrides[f"events.{number}.quota"] = min(1.0, event.quota * float(value))
        else:
            overrides[leader_key(knob.key, scenario)] = value
    return overrides


def policy_event_count(scenario: Scenario) -> int:
    """How many policy events the scenario's timeline has (what "hold the policy" drops)."""
    return sum(isinstance(event, PolicyEvent) for event in scenario.events)


def campaign_count(scenario: Scenario) -> int:
    """How many campaigns the scenario's timeline has (what the quota scale acts on)."""
    return sum(isinstance(event, CampaignEvent) for event in scenario.events)


def tweaked_scenario(settings: DashboardSettings) -> Scenario:
    """The scenario of the tweaked run: the chosen scenario with the tweaks applied.

    Raises:
        ScenarioError: If the scenario cannot be loaded.
    """
    base = base_scenario(settings.scenario, settings.size)
    overrides = {"population.size": settings.size} | knob_overrides(base, settings.tweak_values())
    scenario = load_scenario(settings.scenario, overrides)
    if settings.hold_policy:
        # Dropping events keeps a valid scenario valid, so no second validation is needed.
        kept = tuple(e for e in scenario.events if not isinstance(e, PolicyEvent))
        scenario = scenario.model_copy(update={"events": kept})
    return scenario


def baseline_scenario(settings: DashboardSettings) -> Scenario:
    """The scenario of the baseline run: as written, at the same party size."""
    return base_scenario(settings.baseline_name, settings.size)
