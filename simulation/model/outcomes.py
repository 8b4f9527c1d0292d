"""Outcome measures recorded every month (DESIGN §2, Outcomes).

Each measure is a small function of a :class:`MonthView` registered with :func:`outcome`; the
registry's order is the column order of the outcome table. Adding a measure is one function
here; ``tests/test_outcomes.py`` checks every registered measure on a seeded run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulation.scenario.calendar import format_month

if TYPE_CHECKING:
    from simulation.model.party import PartyModel


@dataclass(frozen=True)
class Outcome:
    """One recorded measure: its column name, meaning and function."""

    name: str
    description: str
    function: Callable[[MonthView], float | int | str]


#: Column name -> measure, in column order.
OUTCOMES: dict[str, Outcome] = {}


def outcome(name: str, description: str) -> Callable:
    """Register a measure under a column name."""

    def register(function: Callable[[MonthView], float | int | str]) -> Callable:
        OUTCOMES[name] = Outcome(name, description, function)
        return function

    return register


class MonthView:
    """Read-only view of a model at the end of a month: its tallies and census."""

    def __init__(self, model: PartyModel) -> None:
        self.model = model
        self.tally = model.tally
        self.census = model.census


def measure(model: PartyModel) -> dict[str, float | int | str]:
    """Compute every registered outcome for the month just simulated."""
    view = MonthView(model)
    return {name: entry.function(view) for name, entry in OUTCOMES.items()}


def _share(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else float("nan")


@outcome("month", "the month, YYYY-MM")
def _month(v: MonthView) -> str:
    return format_month(v.model.month)


@outcome("leader", "who leads")
def _leader(v: MonthView) -> str:
    return v.model.leader_name


@outcome("members_active", "active party members (stock)")
def _members_active(v: MonthView) -> int:
    return v.census["active"]


@outcome("members_expelled", "living former members outside prison (stock)")
def _members_expelled(v: MonthView) -> int:
    return v.census["expelled"]


@outcome("prisoners", "people in prison (stock)")
def _prisoners(v: MonthView) -> int:
    return v.census["prisoners"]


@outcome("expelled", "expulsions this month")
def _expelled(v: MonthView) -> int:
    return v.tally["expelled"]


@outcome("imprisoned", "imprisonments this month")
def _imprisoned(v: MonthView) -> int:
    return v.tally["imprisoned"]


@outcome("executed", "executions this month")
def _executed(v: MonthView) -> int:
    return v.tally["executed"]


@outcome("warnings", "warnings this month")
def _warnings(v: MonthView) -> int:
    return v.tally["warned"]


@outcome("demotions", "demotions this month")
def _demotions(v: MonthView) -> int:
    return v.tally["demoted"]


@outcome("expelled_total", "expulsions since the start")
def _expelled_total(v: MonthView) -> int:
    return v.model.totals["expelled"]


@outcome("imprisoned_total", "imprisonments since the start")
def _imprisoned_total(v: MonthView) -> int:
    return v.model.totals["imprisoned"]


@outcome("executed_total", "executions since the start")
def _executed_total(v: MonthView) -> int:
    return v.model.totals["executed"]


@outcome(
    "purges_total",
    "expulsions, imprisonments and executions since the start (sanctions, not people: one "
    "person expelled and later arrested counts twice)",
)
def _purges_total(v: MonthView) -> int:
    totals = v.model.totals
    return totals["expelled"] + totals["imprisoned"] + totals["executed"]


@outcome("died_in_prison", "deaths in prison this month")
def _died_in_prison(v: MonthView) -> int:
    return v.tally["died_in_prison"]


@outcome("released", "prisoners released this month (term served or amnesty)")
def _released(v: MonthView) -> int:
    return v.tally["released"]


@outcome("readmitted", "former members readmitted this month (rehabilitation, amnesty)")
def _readmitted(v: MonthView) -> int:
    return v.tally["readmitted"]


@outcome("recruits", "new members this month")
def _recruits(v: MonthView) -> int:
    return v.tally["recruits"]


@outcome("recruit_shortfall", "recruits wanted this month but not found (pool exhausted)")
def _recruit_shortfall(v: MonthView) -> int:
    return v.tally["recruit_shortfall"]


@outcome("deviating", "share of active members voicing dissent above tolerance")
def _deviating(v: MonthView) -> float:
    return _share(v.tally["deviating"], v.tally["speakers"])


@outcome("seen_deviating", "share of active members seen deviating by the police")
def _seen_deviating(v: MonthView) -> float:
    return _share(v.tally["seen"], v.tally["speakers"])


@outcome("openness", "share of private disagreement said in public: sum a / sum delta")
def _openness(v: MonthView) -> float:
    return _share(v.tally["voiced"], v.tally["desired"])


@outcome("falsification", "mean gap |belief - said| over active members (preference falsification)")
def _falsification(v: MonthView) -> float:
    return _share(v.tally["falsified"], v.tally["speakers"])


@outcome("fear", "mean fear of active members")
def _fear(v: MonthView) -> float:
    return float(v.census["fear_mean"])


@outcome("policy_error", "|line - correct line|")
def _policy_error(v: MonthView) -> float:
    return abs(v.model.line - v.model.reality)


@outcome("leader_error", "|what the leader hears - members' true weighted mean belief|")
def _leader_error(v: MonthView) -> float:
    return v.model.leader_error


@outcome(
    "innocent_share", "share of this month's punished who never voiced dissent above tolerance"
)
def _innocent_share(v: MonthView) -> float:
    return _share(v.tally["innocent"], v.tally["punished"])


@outcome("innocent_share_total", "share of all punished so far who never voiced dissent")
def _innocent_share_total(v: MonthView) -> float:
    return _share(v.model.totals["innocent"], v.model.totals["punished"])


@outcome("cc_purged_share", "share of the starting central committee since purged")
def _cc_purged_share(v: MonthView) -> float:
    return _share(v.census["cc_purged"], v.census["cc_initial"])


@outcome("belief_mean", "mean private belief of active members")
def _belief_mean(v: MonthView) -> float:
    return float(v.census["belief_mean"])


@outcome("belief_sd", "spread of private beliefs (private opinion diversity)")
def _belief_sd(v: MonthView) -> float:
    return float(v.census["belief_sd"])


@outcome("said_sd", "spread of what is said (public opinion diversity)")
def _said_sd(v: MonthView) -> float:
    return float(v.census["said_sd"])


@outcome("line", "the official line")
def _line(v: MonthView) -> float:
    return v.model.line


@outcome("reality", "the hidden correct line x_t")
def _reality(v: MonthView) -> float:
    return v.model.reality


@outcome("tolerance", "policy tolerance tau")
def _tolerance(v: MonthView) -> float:
    return v.model.policy.tolerance


@outcome("surveillance", "policy surveillance nu")
def _surveillance(v: MonthView) -> float:
    return v.model.policy.surveillance


@outcome("severity", "policy severity psi")
def _severity(v: MonthView) -> float:
    return v.model.policy.severity


def faction_columns(names: tuple[str, ...]) -> list[str]:
    """Column names of faction sizes, one per faction."""
    return [f"faction_{name}" for name in names]


def faction_sizes(model: PartyModel) -> dict[str, int]:
    """Active members per faction, keyed by column name."""
    counts = model.census["by_faction"]
    names = model.members.faction_names
    return dict(zip(faction_columns(names), map(int, counts), strict=True))
