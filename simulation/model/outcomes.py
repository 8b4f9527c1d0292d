"""Outcome measures recorded every month (docs/ODD.md, 4.11 Observation).

Each measure is a small function of a :class:`MonthView` registered with :func:`outcome`; the
registry's order is the column order of the outcome table. Each measure's title, unit and kind
are declared here, once; figures, reports, the dashboard and the docs read them from here. Adding
a measure is one function here; ``tests/test_outcomes.py`` checks every registered measure on a
seeded run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from simulation.model.democracy import CAUSES, platforms_supported
from simulation.model.rules.disposition import demanded_tolerance
from simulation.scenario.calendar import format_month

#: Faction size columns are named with this prefix and the faction's name.
FACTION_PREFIX = "faction_"

if TYPE_CHECKING:
    from simulation.model.congress import Vote
    from simulation.model.party import PartyModel
    from simulation.scenario.world import WorldSection


#: What kind of quantity an outcome is, which decides how it may be summarised over a run:
#: a stock (people in a state) or a level (a share, a mean, a position) may be averaged over
#: months; a flow (per month) is summed or averaged; a cumulative count is read at a date,
#: never averaged; a label (the month, the leader) is not a number.
KINDS = ("stock", "level", "flow", "cumulative", "label")


@dataclass(frozen=True)
class Outcome:
    """One recorded measure: its column name, meaning, title, unit, kind and function.

    Attributes:
        name: The column name.
        description: What it measures, in a sentence.
        title: A short title for figures and tables.
        unit: Its unit, for axis labels ("" for labels).
        kind: One of :data:`KINDS`.
        function: Computes it from a :class:`MonthView`.
    """

    name: str
    description: str
    title: str
    unit: str
    kind: str
    function: Callable[[MonthView], float | int | str]


#: Column name -> measure, in column order.
OUTCOMES: dict[str, Outcome] = {}
#: Measures of congress votes, recorded only in scenarios that hold congresses (after the
#: faction sizes, then one ``votes_against_<organisation>`` column per organisation).
CONGRESS_OUTCOMES: dict[str, Outcome] = {}
#: Measures of the world around the party, recorded only when the scenario's world layer is on
#: (after the congress columns; docs/ODD.md, "The world around the party").
WORLD_OUTCOMES: dict[str, Outcome] = {}
#: The democracy measures (ODD 7.12), recorded only with ``succession.enabled``, after the
#: leaders' and the world's columns; those of :data:`CONGRESS_DEMOCRACY` only with congresses.
DEMOCRACY_OUTCOMES: dict[str, Outcome] = {}
CONGRESS_DEMOCRACY = (
    "platforms_supported", "congresses_due", "congresses_postponed", "congresses_held"
)  # fmt: skip
#: Per-organisation vote columns are named with this prefix and the organisation's name.
ORGANISATION_PREFIX = "votes_against_"
#: With the leaders switched on (``succession.enabled``; ODD 7.10), each contender's share of
#: power and his fate are columns named with these prefixes and his name, after ``strongest``.
POWER_PREFIX = "power_"
FATE_PREFIX = "fate_"
STRONGEST = "strongest"
#: With ``succession.coalitions`` (ODD 7.11): the members of the ruling coalition, joined by "+".
RULING = "ruling_coalition"
#: With ``succession.policy`` (ODD 7.8): the leader's security S, the threat T and his adamancy
#: alpha_t this month, and what each contender out of power demands.
LEADER_POLICY = ("leader_security", "threat", "leader_adamancy")
DEMAND_PREFIX = "demanded_tolerance_"
LEADER_TITLES = {
    "leader_security": ("Leader's security S", "his power over his and his rival's (0–1)"),
    "threat": ("Threat T", "decayed jumps of reality"),
    "leader_adamancy": ("Leader's adamancy α", "weight of voiced dissent"),
}


def outcome(
    name: str,
    description: str,
    *,
    title: str,
    unit: str,
    kind: str,
    registry: dict[str, Outcome] = OUTCOMES,
) -> Callable:
    """Register a measure under a column name, with its title, unit and kind (once, here)."""
    if kind not in KINDS:
        raise ValueError(f"outcome {name!r}: kind {kind!r} is not one of {KINDS}")

    def register(function: Callable[[MonthView], float | int | str]) -> Callable:
        registry[name] = Outcome(name, description, title, unit, kind, function)
        return function

    return register


def title_and_unit(column: str) -> tuple[str, str]:
    """The title and unit of an outcome column, faction sizes included.

    Columns that are not registered (a table from elsewhere) get their name as a title.
    """
    for registry in (OUTCOMES, CONGRESS_OUTCOMES, WORLD_OUTCOMES, DEMOCRACY_OUTCOMES):
        if column in registry:
            return registry[column].title, registry[column].unit
    if column.startswith(ORGANISATION_PREFIX):
        name = column[len(ORGANISATION_PREFIX) :]
        return f"Votes against, {name}", "share of the organisation's voters (0–1)"
    if column.startswith(POWER_PREFIX):
        return f"Power, {column[len(POWER_PREFIX) :]}", "share of the contenders' power (0–1)"
    if column.startswith(FATE_PREFIX):
        return f"Fate, {column[len(FATE_PREFIX) :]}", ""
    if column == STRONGEST:
        return "Strongest contender", ""
    if column == RULING:
        return "Ruling coalition", ""
    if column in LEADER_TITLES:
        return LEADER_TITLES[column]
    if column.startswith(DEMAND_PREFIX):
        name = column[len(DEMAND_PREFIX) :]
        return f"Tolerance demanded, {name}", "dissent units, 0–1"
    if column.startswith(FACTION_PREFIX):
        return f"Faction {column[len(FACTION_PREFIX) :]}", "active model members"
    return column.replace("_", " ").capitalize(), column


def kind_of(column: str) -> str:
    """The kind (one of :data:`KINDS`) of an outcome column, faction sizes and congresses included.

    Faction sizes are stocks (active members); a column that is not registered is taken as a
    level, the kind whose every summary is allowed.
    """
    for registry in (OUTCOMES, CONGRESS_OUTCOMES, WORLD_OUTCOMES, DEMOCRACY_OUTCOMES):
        if column in registry:
            return registry[column].kind
    if column in (STRONGEST, RULING) or column.startswith(FATE_PREFIX):
        return "label"
    return "stock" if column.startswith(FACTION_PREFIX) else "level"


def averageable(column: str) -> bool:
    """Whether an outcome may be averaged over months: stocks, levels and flows may.

    A cumulative count's mean over months is no quantity of interest (it weighs early events
    more than late ones), and a label is not a number.
    """
    return kind_of(column) in ("stock", "level", "flow")


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


@outcome(
    "month",
    "the month, YYYY-MM",
    title="Month",
    unit="",
    kind="label",
)
def _month(v: MonthView) -> str:
    return format_month(v.model.month)


@outcome(
    "leader",
    "who leads",
    title="Leader",
    unit="",
    kind="label",
)
def _leader(v: MonthView) -> str:
    return v.model.leader_name


@outcome(
    "members_active",
    "active party members (stock)",
    title="Party membership",
    unit="active model members",
    kind="stock",
)
def _members_active(v: MonthView) -> int:
    return v.census["active"]


@outcome(
    "members_expelled",
    "living former members outside prison (stock)",
    title="Expelled, living outside prison",
    unit="model members",
    kind="stock",
)
def _members_expelled(v: MonthView) -> int:
    return v.census["expelled"]


@outcome(
    "prisoners",
    "people in prison (stock)",
    title="In prison",
    unit="model members",
    kind="stock",
)
def _prisoners(v: MonthView) -> int:
    return v.census["prisoners"]


@outcome(
    "expelled",
    "expulsions this month",
    title="Expulsions",
    unit="model members per month",
    kind="flow",
)
def _expelled(v: MonthView) -> int:
    return v.tally["expelled"]


@outcome(
    "imprisoned",
    "imprisonments this month",
    title="Imprisonments",
    unit="model members per month",
    kind="flow",
)
def _imprisoned(v: MonthView) -> int:
    return v.tally["imprisoned"]


@outcome(
    "executed",
    "executions this month",
    title="Executions",
    unit="model members per month",
    kind="flow",
)
def _executed(v: MonthView) -> int:
    return v.tally["executed"]


@outcome(
    "warnings",
    "warnings this month",
    title="Warnings",
    unit="model members per month",
    kind="flow",
)
def _warnings(v: MonthView) -> int:
    return v.tally["warned"]


@outcome(
    "demotions",
    "demotions this month",
    title="Demotions",
    unit="model members per month",
    kind="flow",
)
def _demotions(v: MonthView) -> int:
    return v.tally["demoted"]


@outcome(
    "expelled_total",
    "expulsions since the start",
    title="Expulsions, cumulative",
    unit="model members",
    kind="cumulative",
)
def _expelled_total(v: MonthView) -> int:
    return v.model.totals["expelled"]


@outcome(
    "imprisoned_total",
    "imprisonments since the start",
    title="Imprisonments, cumulative",
    unit="model members",
    kind="cumulative",
)
def _imprisoned_total(v: MonthView) -> int:
    return v.model.totals["imprisoned"]


@outcome(
    "executed_total",
    "executions since the start",
    title="Executions, cumulative",
    unit="model members",
    kind="cumulative",
)
def _executed_total(v: MonthView) -> int:
    return v.model.totals["executed"]


@outcome(
    "purges_total",
    "expulsions, imprisonments and executions since the start (sanctions, not people: one "
    "person expelled and later arrested counts twice)",
    title="Sanctions, cumulative",
    unit="sanctions",
    kind="cumulative",
)
def _purges_total(v: MonthView) -> int:
    totals = v.model.totals
    return totals["expelled"] + totals["imprisoned"] + totals["executed"]


@outcome(
    "died_in_prison",
    "deaths in prison this month",
    title="Deaths in prison",
    unit="model members per month",
    kind="flow",
)
def _died_in_prison(v: MonthView) -> int:
    return v.tally["died_in_prison"]


@outcome(
    "released",
    "prisoners released this month (term served or amnesty)",
    title="Releases from prison",
    unit="model members per month",
    kind="flow",
)
def _released(v: MonthView) -> int:
    return v.tally["released"]


@outcome(
    "readmitted",
    "former members readmitted this month (rehabilitation, amnesty)",
    title="Readmissions",
    unit="model members per month",
    kind="flow",
)
def _readmitted(v: MonthView) -> int:
    return v.tally["readmitted"]


@outcome(
    "recanted",
    "members expelled as an opposition who renounced their platform this month and were "
    "readmitted (ODD 7.6 step 5b; counted among the readmitted too)",
    title="Recantations",
    unit="model members per month",
    kind="flow",
)
def _recanted(v: MonthView) -> int:
    return v.tally["recanted"]


@outcome(
    "recruits",
    "new members this month",
    title="Recruits",
    unit="model members per month",
    kind="flow",
)
def _recruits(v: MonthView) -> int:
    return v.tally["recruits"]


@outcome(
    "recruit_shortfall",
    "recruits wanted this month but not found (pool exhausted)",
    title="Recruits not found",
    unit="model members per month",
    kind="flow",
)
def _recruit_shortfall(v: MonthView) -> int:
    return v.tally["recruit_shortfall"]


@outcome(
    "deviating",
    "share of active members voicing dissent above tolerance",
    title="Open deviation",
    unit="share of active members (0–1)",
    kind="level",
)
def _deviating(v: MonthView) -> float:
    return _share(v.tally["deviating"], v.tally["speakers"])


@outcome(
    "seen_deviating",
    "share of active members seen deviating by the police",
    title="Deviation seen by the police",
    unit="share of active members (0–1)",
    kind="level",
)
def _seen_deviating(v: MonthView) -> float:
    return _share(v.tally["seen"], v.tally["speakers"])


@outcome(
    "openness",
    "share of private disagreement said in public: sum a / sum delta",
    title="Debate openness",
    unit="share of private disagreement voiced (0–1)",
    kind="level",
)
def _openness(v: MonthView) -> float:
    return _share(v.tally["voiced"], v.tally["desired"])


@outcome(
    "falsification",
    "mean gap |belief - said| over active members (preference falsification)",
    title="Preference falsification",
    unit="mean |belief − said| (policy axis, 0–2)",
    kind="level",
)
def _falsification(v: MonthView) -> float:
    return _share(v.tally["falsified"], v.tally["speakers"])


@outcome(
    "hidden_disagreement",
    "share of active members who disagree beyond tolerance but voice no more than it "
    "(self-censoring: delta > tau, a <= tau)",
    title="Hidden disagreement",
    unit="share of active members",
    kind="level",
)
def _hidden_disagreement(v: MonthView) -> float:
    return _share(v.tally["hidden"], v.tally["speakers"])


@outcome(
    "fear",
    "mean fear of active members",
    title="Fear",
    unit="mean fear of active members (0–1)",
    kind="level",
)
def _fear(v: MonthView) -> float:
    return float(v.census["fear_mean"])


@outcome(
    "policy_error",
    "|line - correct line|",
    title="Policy error",
    unit="|line − correct line| (policy axis, 0–2)",
    kind="level",
)
def _policy_error(v: MonthView) -> float:
    return abs(v.model.line - v.model.reality)


@outcome(
    "leader_error",
    "|what the leader hears - members' true weighted mean belief|",
    title="Leader's error about the party",
    unit="|heard − true mean belief| (policy axis, 0–2)",
    kind="level",
)
def _leader_error(v: MonthView) -> float:
    return v.model.leader_error


@outcome(
    "innocent_share",
    "share of this month's punished who never voiced dissent above tolerance",
    title="Innocents among this month's punished",
    unit="share of the month's punished (0–1)",
    kind="level",
)
def _innocent_share(v: MonthView) -> float:
    return _share(v.tally["innocent"], v.tally["punished"])


@outcome(
    "innocent_share_total",
    "share of all punished so far who never voiced dissent",
    title="Innocents among the punished",
    unit="share of all punished (0–1)",
    kind="cumulative",
)
def _innocent_share_total(v: MonthView) -> float:
    return _share(v.model.totals["innocent"], v.model.totals["punished"])


@outcome(
    "opposed_share",
    "share of this month's punished who had ever spoken above tolerance or voted against the "
    "line openly (beside innocent_share: whom the police found on the record)",
    title="Punished who had opposed",
    unit="share of this month's punished",
    kind="level",
)
def _opposed_share(v: MonthView) -> float:
    return _share(v.tally["opposed"], v.tally["punished"])


@outcome(
    "opposed_share_total",
    "share of everyone punished so far who had ever spoken above tolerance or voted against "
    "the line openly",
    title="Punished who had opposed, so far",
    unit="share of the punished",
    kind="cumulative",
)
def _opposed_share_total(v: MonthView) -> float:
    return _share(v.model.totals["opposed"], v.model.totals["punished"])


@outcome(
    "experienced",
    "members hit this month by a shock they lived through (experience events)",
    title="Members hit by experience",
    unit="members this month",
    kind="flow",
)
def _experienced(v: MonthView) -> int:
    return int(v.tally["experienced"])


@outcome(
    "cc_purged_share",
    "share of the central committee last elected (at the start, or by the latest congress "
    "that elects one) purged since its election",
    title="Central committee purged",
    unit="share of the CC last elected (0–1)",
    kind="cumulative",
)
def _cc_purged_share(v: MonthView) -> float:
    return _share(v.census["cc_purged"], v.census["cc_initial"])


@outcome(
    "belief_mean",
    "mean private belief of active members",
    title="Mean private belief",
    unit="policy axis (−1 to 1)",
    kind="level",
)
def _belief_mean(v: MonthView) -> float:
    return float(v.census["belief_mean"])


@outcome(
    "belief_sd",
    "spread of private beliefs (private opinion diversity)",
    title="Spread of private beliefs",
    unit="standard deviation (policy axis)",
    kind="level",
)
def _belief_sd(v: MonthView) -> float:
    return float(v.census["belief_sd"])


@outcome(
    "said_sd",
    "spread of what is said (public opinion diversity)",
    title="Spread of what is said",
    unit="standard deviation (policy axis)",
    kind="level",
)
def _said_sd(v: MonthView) -> float:
    return float(v.census["said_sd"])


@outcome(
    "line",
    "the official line",
    title="Official line",
    unit="policy axis (−1 to 1)",
    kind="level",
)
def _line(v: MonthView) -> float:
    return v.model.line


@outcome(
    "reality",
    "the hidden correct line x_t",
    title="Correct line",
    unit="policy axis (−1 to 1)",
    kind="level",
)
def _reality(v: MonthView) -> float:
    return v.model.reality


@outcome(
    "tolerance",
    "policy tolerance tau",
    title="Tolerance τ",
    unit="dissent units (0–1)",
    kind="level",
)
def _tolerance(v: MonthView) -> float:
    return v.model.policy.tolerance


@outcome(
    "surveillance",
    "policy surveillance nu",
    title="Surveillance ν",
    unit="chance a deviation is recorded (0–1)",
    kind="level",
)
def _surveillance(v: MonthView) -> float:
    return v.model.policy.surveillance


@outcome(
    "severity",
    "policy severity psi",
    title="Severity ψ",
    unit="expected cost of an observed deviation",
    kind="level",
)
def _severity(v: MonthView) -> float:
    return v.model.policy.severity


def faction_columns(names: tuple[str, ...]) -> list[str]:
    """Column names of faction sizes, one per faction."""
    return [f"{FACTION_PREFIX}{name}" for name in names]


def faction_sizes(model: PartyModel) -> dict[str, int]:
    """Active members per faction, keyed by column name."""
    counts = model.census["by_faction"]
    names = model.members.faction_names
    return dict(zip(faction_columns(names), map(int, counts), strict=True))


def _vote_share(v: MonthView, count: Callable[[Vote], float]) -> float:
    """A share of the latest congress's voters; NaN before the first congress."""
    vote = v.model.vote
    return float("nan") if vote is None else _share(count(vote), vote.voters)


#: The shares of the latest congress's voters, held until the next: name, description, title,
#: and what is counted.
VOTE_SHARES = (
    (
        "votes_against",
        "share of voters who voted openly for an opposition platform at the latest congress "
        "(held until the next; NaN before the first)",
        "Votes against the line",
        lambda vote: vote.against,
    ),
    (
        "private_opposition",
        "share of voters at the latest congress whose belief is nearer an opposition platform "
        "than the line",
        "Opposition in private",
        lambda vote: vote.private,
    ),
    (
        "hidden_opposition",
        "share of voters at the latest congress who support a platform in private but voted "
        "for the line",
        "Hidden opposition",
        lambda vote: vote.hidden,
    ),
)


def register_family(
    entries: Iterable[tuple[str, str, str, Callable[[MonthView], float | int | str]]],
    *,
    unit: str,
    kind: str,
    registry: dict[str, Outcome],
) -> None:
    """Register measures that share a unit and a kind: (name, description, title, function)."""
    for name, description, title, function in entries:
        outcome(name, description, title=title, unit=unit, kind=kind, registry=registry)(function)


register_family(
    (
        (name, text, title, partial(_vote_share, count=count))
        for name, text, title, count in VOTE_SHARES
    ),
    unit="share of voters (0–1)",
    kind="level",
    registry=CONGRESS_OUTCOMES,
)


@outcome(
    "delegates_against",
    "share of the latest congress's delegates elected for opposition platforms",
    title="Opposition delegates",
    unit="share of delegates (0–1)",
    kind="level",
    registry=CONGRESS_OUTCOMES,
)
def _delegates_against(v: MonthView) -> float:
    vote = v.model.vote
    if vote is None:
        return float("nan")
    return _share(vote.seats[:, 1:].sum(), vote.seats.sum())


@outcome(
    "cc1924_purged_share",
    "share of the starting (1924) central committee since purged",
    title="1924 central committee purged",
    unit="share of the 1924 CC (0–1)",
    kind="cumulative",
    registry=CONGRESS_OUTCOMES,
)
def _cc1924_purged_share(v: MonthView) -> float:
    return _share(v.census["cc1924_purged"], v.census["cc1924"])


def congress_columns(model: PartyModel) -> list[str]:
    """Congress outcome columns: none unless the scenario holds congresses."""
    if not model.holds_congresses:
        return []
    names = [o.name for o in model.config.population.organisations]
    return list(CONGRESS_OUTCOMES) + [f"{ORGANISATION_PREFIX}{name}" for name in names]


def congress_measures(model: PartyModel) -> dict[str, float]:
    """The congress outcomes of the month just simulated (empty without congresses)."""
    if not model.holds_congresses:
        return {}
    view = MonthView(model)
    values = {name: entry.function(view) for name, entry in CONGRESS_OUTCOMES.items()}
    names = [o.name for o in model.config.population.organisations]
    vote = model.vote
    for index, name in enumerate(names):
        shares = float("nan")
        if vote is not None:
            voters, against = vote.by_organisation[index]
            shares = _share(against, voters)
        values[f"{ORGANISATION_PREFIX}{name}"] = shares
    return values


def leader_columns(model: PartyModel) -> list[str]:
    """The leaders' columns: none unless ``succession.enabled`` (ODD 7.10).

    ``strongest`` (the contender with the largest share of power), ``ruling_coalition`` (with
    ``succession.coalitions``: its members joined by "+"), then ``power_<name>`` (his
    share, 0 out of play; the shares sum to 1 while anyone is in play) and ``fate_<name>``
    (rising, in_office, demoted, expelled, exiled, imprisoned, shot or died) per contender.
    With ``succession.policy`` (ODD 7.8), then ``leader_security`` (S), ``threat`` (T),
    ``leader_adamancy`` (alpha_t) and ``demanded_tolerance_<name>`` per contender: the
    tolerance |p_j - L| / 2 he demands while in play and out of power (NaN otherwise).
    """
    if model.succession is None:
        return []
    names = model.succession.names
    fought = [RULING] if model.config.succession.coalitions else []
    decided = (
        list(LEADER_POLICY) + [f"{DEMAND_PREFIX}{name}" for name in names]
        if model.leader_decides
        else []
    )
    return (
        [STRONGEST]
        + fought
        + [f"{POWER_PREFIX}{name}" for name in names]
        + [f"{FATE_PREFIX}{name}" for name in names]
        + decided
    )


def leader_measures(model: PartyModel) -> dict[str, float | str]:
    """The leaders' outcomes of the month just simulated (empty when the layer is off)."""
    succession = model.succession
    if succession is None:
        return {}
    values: dict[str, float | str] = {STRONGEST: succession.strongest()}
    if model.config.succession.coalitions:
        values[RULING] = "+".join(succession.ruling)
    for leader in succession.leaders:
        values[f"{POWER_PREFIX}{leader.name}"] = leader.power
    for leader in succession.leaders:
        values[f"{FATE_PREFIX}{leader.name}"] = leader.fate
    if model.leader_decides:
        values |= dict(
            zip(
                LEADER_POLICY,
                (succession.security, succession.threat, succession.adamancy),
                strict=True,
            )
        )
        for leader in succession.leaders:
            out = leader.in_play and leader.name != model.leader_name
            demand = demanded_tolerance(leader.position, model.line) if out else float("nan")
            values[f"{DEMAND_PREFIX}{leader.name}"] = demand
    return values


@outcome(
    "world_threat",
    "the threat T_W the world poses to the Soviet state this month, fed to the leader's "
    "hardening: clip(w_H x hostility + w_W x at war - w_A x allies, 0, 1)",
    title="Threat from abroad",
    unit="threat T_W (0–1)",
    kind="level",
    registry=WORLD_OUTCOMES,
)
def _world_threat(v: MonthView) -> float:
    return v.model.world_threat


def _world_reading(v: MonthView, attribute: str) -> float | int:
    """One reading of the world's summary this month (a flag as 0 or 1)."""
    value = getattr(v.model.world_summary, attribute)
    return int(value) if isinstance(value, bool) else value


def _register_readings(readings: tuple[tuple[str, str, str, str, str], ...]) -> None:
    """Register readings of the world's summary: (attribute, description, title, unit, kind)."""
    for name, description, title, unit, kind in readings:
        outcome(name, description, title=title, unit=unit, kind=kind, registry=WORLD_OUTCOMES)(
            partial(_world_reading, attribute=name)
        )


#: The world's summary as outcomes: name (an attribute of WorldSummary), description, title,
#: unit and kind.
WORLD_READINGS = (
    (
        "hostility_mean",
        "mean hostility toward the Soviet state of the countries communists do not rule",
        "Hostility abroad",
        "mean hostility (0–1)",
        "level",
    ),
    (
        "communist_states",
        "countries communists rule at the end of the month, the Soviet state included",
        "Communist states",
        "countries",
        "stock",
    ),
    (
        "at_war",
        "1 while any country is at war with a communist state, else 0",
        "At war",
        "1 at war, 0 at peace",
        "level",
    ),
    (
        "german_right",
        "1 while the right rules Germany, else 0",
        "The right rules Germany",
        "1 yes, 0 no",
        "level",
    ),
)
_register_readings(WORLD_READINGS)


@outcome(
    "war_dead",
    "active members killed by war this month",
    title="Killed in war",
    unit="model members per month",
    kind="flow",
    registry=WORLD_OUTCOMES,
)
def _war_dead(v: MonthView) -> int:
    return v.tally["war_dead"]


#: The world's summary under ``world.rules.war_end`` (docs/ODD.md, world: the end of wars).
WAR_END_READINGS = (
    (
        "wars_ended",
        "wars with a communist state ended so far",
        "Wars ended",
        "wars",
        "cumulative",
    ),
    (
        "wars_won",
        "wars with a communist state that the communist side won so far",
        "Wars won",
        "wars",
        "cumulative",
    ),
    (
        "postwar_governments",
        "communist governments made so far in states the Soviet side occupied or liberated at "
        "a war's end",
        "Post-war communist governments",
        "countries",
        "cumulative",
    ),
)
_register_readings(WAR_END_READINGS)


def _line_field(v: MonthView, field: str) -> float:
    return getattr(v.model.line_in_force, field)


#: The foreign line in force under ``world.line_from_leader``: column, field, description, title.
LINE_READINGS = (
    ("foreign_export", "export", "the export of revolution e in force this month", "Export"),
    (
        "left_division",
        "left_division",
        "the division of the left abroad d in force this month (1: class against class)",
        "Division of the left",
    ),
    (
        "collective_security",
        "collective_security",
        "the collective security a in force this month (the alliance against the right)",
        "Collective security",
    ),
)
for _name, _field, _description, _title in LINE_READINGS:
    outcome(_name, _description, title=_title, unit="0–1", kind="level", registry=WORLD_OUTCOMES)(
        partial(_line_field, field=_field)
    )
#: The pacts in force under ``world.line_from_leader``, a label: the states joined by "+".
PACTS = "foreign_pacts"


@outcome(
    PACTS,
    'the states holding a non-aggression pact with the Soviet state this month, joined by "+"',
    title="Pacts",
    unit="states' codes",
    kind="label",
    registry=WORLD_OUTCOMES,
)
def _foreign_pacts(v: MonthView) -> str:
    return "+".join(v.model.line_in_force.pacts)


#: World outcomes recorded only when a switch is on (so that a run with them off keeps its
#: columns): column -> whether the scenario's world section has the switch on.
WORLD_SWITCHED: dict[str, Callable[[WorldSection], bool]] = {
    **{name: (lambda section: section.rules.war_end) for name, *_ in WAR_END_READINGS},
    **{name: (lambda section: section.line_from_leader) for name, *_ in LINE_READINGS},
    PACTS: lambda section: section.line_from_leader,
}


def world_columns(model: PartyModel) -> list[str]:
    """World outcome columns: none unless the scenario's world layer is on."""
    if model.world is None:
        return []
    section = model.config.world
    return [
        name
        for name in WORLD_OUTCOMES
        if name not in WORLD_SWITCHED or WORLD_SWITCHED[name](section)
    ]


def world_measures(model: PartyModel) -> dict[str, float | int]:
    """The world outcomes of the month just simulated (empty with the layer off)."""
    if model.world is None:
        return {}
    view = MonthView(model)
    return {name: WORLD_OUTCOMES[name].function(view) for name in world_columns(model)}


# ---------------------------------------------------------------------- democracy (ODD 7.12)
_CAUSE_TEXT = {
    "vote": "chosen by a vote (the ruling coalition or the central committee) while the man "
    "replaced is alive and a party member at liberty",
    "death": "after the death of the man replaced",
    "purge": "after the man replaced was expelled, exiled, imprisoned or shot",
    "timeline": "named by a scheduled leader event while the man replaced is alive and at liberty",
}


def _changes(v: MonthView, cause: str) -> int:
    return v.model.democracy.changes[cause]


register_family(
    (
        (
            f"leader_changes_by_{cause}",
            f"changes of leader since the start {_CAUSE_TEXT[cause]}",
            f"Changes of leader by {cause}",
            partial(_changes, cause=cause),
        )
        for cause in CAUSES
    ),
    unit="changes",
    kind="cumulative",
    registry=DEMOCRACY_OUTCOMES,
)


@outcome(
    "losers",
    "contenders who have lost so far: led and no longer lead, or stood outside a ruling "
    "coalition while not rising and alive",
    title="Contenders who lost",
    unit="contenders",
    kind="cumulative",
    registry=DEMOCRACY_OUTCOMES,
)
def _losers(v: MonthView) -> int:
    return len(v.model.democracy.lost)


@outcome(
    "losers_surviving",
    "contenders who have lost and are alive and party members at liberty now (rising, in the "
    "Politburo or demoted; not expelled, exiled, imprisoned, shot or dead)",
    title="Losers who survive",
    unit="contenders",
    kind="stock",
    registry=DEMOCRACY_OUTCOMES,
)
def _losers_surviving(v: MonthView) -> int:
    return v.model.democracy.survivors()


@outcome(
    "platforms_supported",
    "platforms whose open vote at the latest congress exceeds succession.platform_threshold "
    "of the voters (held until the next; NaN before the first)",
    title="Platforms with open support",
    unit="platforms",
    kind="level",
    registry=DEMOCRACY_OUTCOMES,
)
def _platforms_supported(v: MonthView) -> float:
    return platforms_supported(v.model.vote, v.model.config.succession.platform_threshold)


def _congress_count(v: MonthView, attribute: str) -> int:
    return getattr(v.model.democracy, attribute)


#: The congresses due, postponed and held so far (:class:`DemocracyRecord` attributes): name,
#: description, title.
CONGRESS_COUNTS = (
    (
        "due",
        "congresses that have fallen due since the start (the timeline's congress events)",
        "Congresses due",
    ),
    (
        "postponed",
        "congresses not held in the month they fell due: their leader's security was below "
        "succession.policy.postpone_below (0 by construction without the rule)",
        "Congresses postponed",
    ),
    ("held", "congresses held since the start, on schedule or late", "Congresses held"),
)
register_family(
    (
        (f"congresses_{attribute}", text, title, partial(_congress_count, attribute=attribute))
        for attribute, text, title in CONGRESS_COUNTS
    ),
    unit="congresses",
    kind="cumulative",
    registry=DEMOCRACY_OUTCOMES,
)


def democracy_columns(model: PartyModel) -> list[str]:
    """The democracy columns (ODD 7.12): none unless ``succession.enabled``.

    The congress measures (:data:`CONGRESS_DEMOCRACY`) only in scenarios that hold congresses.
    """
    if model.democracy is None:
        return []
    return [
        name
        for name in DEMOCRACY_OUTCOMES
        if model.holds_congresses or name not in CONGRESS_DEMOCRACY
    ]


def democracy_measures(model: PartyModel) -> dict[str, float | int]:
    """The democracy outcomes of the month just simulated (empty when the layer is off)."""
    view = MonthView(model)
    return {name: DEMOCRACY_OUTCOMES[name].function(view) for name in democracy_columns(model)}
