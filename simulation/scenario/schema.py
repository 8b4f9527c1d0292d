"""The scenario schema: frozen, typed, validated parameters of one run.

A TOML file is parsed into plain dictionaries, merged along its ``extends`` chain, and
validated into the :class:`Scenario` object defined here. Everything the model reads comes
from this object; nothing else configures a run. Every field carries a description, which
``politburo show --schema`` prints and ``docs/SCENARIOS.md`` documents.

Units: time is in months; positions on the policy axis lie in [-1, 1]; dissent, tolerance
and surveillance are in Daymude, Axelrod & Forrest's units, where dissent is half the distance
between a member's position and the line, so that it lies in [0, 1] as in their paper.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from simulation.calendar import parse_month

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Position = Annotated[float, Field(ge=-1.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
MonthText = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="a month, YYYY-MM")]

TIER_NAMES = ("politburo", "central_committee", "cadre", "rank_and_file")


class Frozen(BaseModel):
    """Base for every scenario section: immutable, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Faction(Frozen):
    """A faction and the distribution of its members' private beliefs."""

    share: Share = Field(description="share of the initial party in this faction")
    belief_mean: Position = Field(description="mean private belief of its members")
    belief_sd: NonNegative = Field(0.2, le=2.0, description="standard deviation of private beliefs")
    distribution: Literal["normal", "uniform"] = Field(
        "normal",
        description="shape of the belief distribution; 'uniform' spans mean +- sd * sqrt(3)",
    )
    recruit_share: Share | None = Field(
        None, description="share of recruits from this faction (default: same as share)"
    )


class Tiers(Frozen):
    """The party's hierarchy: sizes, visibility to the police, influence on the line."""

    politburo: int = Field(9, ge=1, description="number of politburo members")
    central_committee: int = Field(60, ge=1, description="number of central committee members")
    cadre_share: Share = Field(0.05, description="share of members who are regional cadres")
    visibility: tuple[NonNegative, NonNegative, NonNegative, NonNegative] = Field(
        (3.0, 2.0, 1.3, 1.0),
        description="surveillance multiplier per tier (politburo, CC, cadre, rank and file)",
    )
    influence: tuple[NonNegative, NonNegative, NonNegative, NonNegative] = Field(
        (30.0, 8.0, 2.0, 1.0),
        description="weight of a member's public statement in what the leadership hears, per tier",
    )


class Population(Frozen):
    """Who the members are at the start, and the pool recruits come from."""

    size: int = Field(20_000, ge=10, le=50_000_000, description="party members at the start")
    pool_factor: float = Field(
        3.0,
        ge=1.0,
        le=50.0,
        description="people in the party's social world per initial member; recruits come "
        "from those outside the party, so this caps growth",
    )
    boldness_mean: NonNegative = Field(
        0.5, description="mean boldness beta: the value a member puts on saying what they think"
    )
    boldness_sd: NonNegative = Field(0.25, description="spread of boldness (gamma distributed)")
    attrition: Share = Field(0.001, description="monthly chance an active member dies or leaves")
    outside_mortality: Share = Field(
        0.001, description="monthly chance an expelled former member dies"
    )
    factions: dict[str, Faction] = Field(
        default_factory=lambda: {
            "left": Faction(share=0.2, belief_mean=-0.5),
            "centre": Faction(share=0.6, belief_mean=0.0),
            "right": Faction(share=0.2, belief_mean=0.5),
        },
        description="factions by name",
    )
    tiers: Tiers = Field(default_factory=Tiers, description="the hierarchy")

    @field_validator("factions")
    @classmethod
    def _shares_sum_to_one(cls, factions: dict[str, Faction]) -> dict[str, Faction]:
        if not factions:
            raise ValueError("at least one faction is needed")
        total = sum(f.share for f in factions.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"faction shares must add up to 1, they add up to {total:g}")
        recruit = [f.recruit_share for f in factions.values()]
        if all(r is not None for r in recruit) and abs(sum(recruit) - 1.0) > 1e-6:  # type: ignore[arg-type]
            raise ValueError("faction recruit_share values must add up to 1")
        if any(r is not None for r in recruit) and not all(r is not None for r in recruit):
            raise ValueError("give recruit_share for every faction or for none")
        return factions

    @model_validator(mode="after")
    def _tiers_fit(self) -> Population:
        t = self.tiers
        if t.politburo + t.central_committee + round(t.cadre_share * self.size) > self.size:
            raise ValueError("tiers are larger than the party (population.size)")
        return self


class Network(Frozen):
    """Ties between members (DESIGN §2): homophily by faction, patronage across tiers."""

    kind: Literal["homophily", "complete"] = Field(
        "homophily", description="'homophily' sparse network or a 'complete' graph"
    )
    mean_degree: float = Field(10.0, ge=0.0, le=200.0, description="mean ties per person")
    homophily: Share = Field(0.7, description="share of ties made within one's own faction")
    patronage: bool = Field(True, description="each member below the top has a patron one tier up")


class Reality(Frozen):
    """The hidden correct line x_t and the private signals members receive of it."""

    initial: Position = Field(0.0, description="correct line at the start")
    drift_sd: NonNegative = Field(0.02, le=1.0, description="monthly random drift of x_t")
    reversion: Share = Field(0.01, description="monthly pull of x_t back toward 0")
    signal_sd: NonNegative = Field(0.5, description="noise of a member's monthly private signal")
    signal_weight: Share = Field(
        0.02, description="how far a member's belief moves toward their signal each month"
    )


class Debate(Frozen):
    """Bounded-confidence belief change from what neighbours say (Deffuant; Hegselmann-Krause)."""

    model: Literal["deffuant", "hegselmann-krause", "none"] = Field(
        "deffuant", description="which bounded-confidence rule"
    )
    confidence: NonNegative = Field(
        0.4, le=2.0, description="confidence bound epsilon on the [-1, 1] axis"
    )
    rate: Share = Field(0.2, description="convergence rate mu (Deffuant only)")
    line_pull: Share = Field(
        0.0, description="monthly pull of private belief toward the official line (propaganda)"
    )
    anchor: Share = Field(
        0.0,
        description="monthly pull of private belief back toward the member's own starting "
        "conviction (Friedkin & Johnsen 1990); 0 switches off",
    )


class Voice(Frozen):
    """The voice-or-conform decision (Daymude, Axelrod & Forrest 2025) and its extensions."""

    punishment: Literal["uniform", "proportional"] = Field(
        "uniform", description="DAF punishment function: fixed penalty or proportional to excess"
    )
    fear_weight: NonNegative = Field(
        1.0, description="perceived severity = severity * (1 + fear_weight * fear); 0 switches off"
    )
    fear_gain: NonNegative = Field(
        1.0, description="fear learned per punished neighbour (Epstein 2002: 1 - exp(-k n))"
    )
    fear_decay: Share = Field(0.05, description="monthly decay of fear")
    social_proof: NonNegative = Field(
        0.0,
        description="perceived severity falls by this factor times the share of neighbours "
        "openly dissenting (Kuran 1989); 0 switches off",
    )


class Ladder(Frozen):
    """Marks in a dossier needed for each sanction at severity 1 (fewer as severity rises).

    ``inf`` (TOML's infinity) means the sanction is never used.
    """

    warning: float = Field(1.0, gt=0, description="marks for a warning (inf: never)")
    demotion: float = Field(2.0, gt=0, description="marks for demotion one tier down (inf: never)")
    expulsion: float = Field(
        3.0, gt=0, description="marks for expulsion from the party (inf: never)"
    )
    imprisonment: float = Field(5.0, gt=0, description="marks for imprisonment (inf: never)")
    execution: float = Field(float("inf"), gt=0, description="marks for execution (inf: never)")


class Policy(Frozen):
    """What the leadership does about dissent, recruitment and release (DESIGN §2, Repression)."""

    tolerance: Share = Field(0.2, description="tau: dissent that does not count as deviation")
    surveillance: Share = Field(0.1, description="nu: base chance a deviation is recorded")
    severity: NonNegative = Field(
        0.5, le=100.0, description="psi: expected cost of an observed deviation to the member"
    )
    ladder: Ladder = Field(default_factory=Ladder, description="the punishment ladder")
    review_rate: Share = Field(
        0.5, description="monthly chance a member with new marks is reviewed for sanction"
    )
    dossier_decay: Share = Field(0.01, description="monthly share of dossier marks forgotten")
    denunciation: NonNegative = Field(
        0.0, description="rate at which a neighbour who heard a deviation denounces it"
    )
    denunciation_fear: NonNegative = Field(
        2.0, description="denunciation rate multiplier per unit of the denouncer's fear"
    )
    false_denunciation: NonNegative = Field(
        0.0, description="monthly rate of denunciations of people who said nothing, per afraid tie"
    )
    association: Share = Field(
        0.0, description="chance each tie of an arrested member gets a mark (guilt by association)"
    )
    prison_term: float = Field(60.0, ge=1.0, le=600.0, description="mean prison term in months")
    prison_mortality: Share = Field(0.005, description="monthly death rate in prison")
    rehabilitation: Share = Field(
        0.0, description="monthly chance an expelled or released member is readmitted"
    )
    recruitment: Share = Field(0.0, description="monthly intake as a share of active membership")
    screening: NonNegative = Field(
        0.0, le=50.0, description="how strictly recruits are screened for agreement with the line"
    )


class Hardening(Frozen):
    """Adaptive hardening in power (DAF 2025's adaptive authority; 'power corrupts')."""

    enabled: bool = Field(False, description="whether policy adapts by itself")
    dissent_target: Share = Field(
        0.02, description="share of members openly deviating that the leader puts up with"
    )
    response: NonNegative = Field(
        1.0, description="how strongly policy tightens per unit of deviation above the target"
    )
    tenure_drift: NonNegative = Field(0.0, description="yearly tightening from time in power alone")
    relax: NonNegative = Field(0.0, description="monthly loosening when deviation is below target")
    min_tolerance: Share = Field(0.0, description="floor for tolerance")
    max_surveillance: Share = Field(0.9, description="ceiling for surveillance")
    max_severity: NonNegative = Field(10.0, description="ceiling for severity")
    executions_at_severity: float | None = Field(
        None, gt=0, description="severity at which executions enter the ladder (none: never)"
    )
    execution_marks: float = Field(8.0, gt=0, description="marks for execution once unlocked")
    denunciation_per_severity: NonNegative = Field(
        0.0,
        description="the hardened leader encourages denunciation: its rate is at least this "
        "times severity; 0 switches off",
    )
    purge_at_severity: float | None = Field(
        None, gt=0, description="severity at which standing quota purges begin (none: never)"
    )
    purge_quota: Share = Field(
        0.002, description="share of members and former members arrested per month in a purge"
    )
    purge_execution_share: Share = Field(0.3, description="share of those arrested who are shot")


class Leader(Frozen):
    """One leader: how they read reality and how they listen to the party."""

    title: str = Field("", description="a display name")
    bias: Position = Field(0.0, description="ideological offset of the leader's reading of reality")
    signal_sd: NonNegative = Field(0.3, description="noise of the leader's own signal of reality")
    memory: Share = Field(0.9, description="weight of the past in the leader's reading of reality")
    responsiveness: Share = Field(
        0.2, description="weight of what members say in public when the line is set"
    )
    adaptation: Share = Field(0.1, description="monthly rate at which the line moves to its target")
    hardening: Hardening = Field(default_factory=Hardening, description="adaptive hardening")
    position: Position = Field(
        0.0, description="platform on the policy axis, for the central committee's vote"
    )
    candidate: bool = Field(True, description="may be chosen by the central committee")


class Leadership(Frozen):
    """Who leads at the start, and who else could."""

    leader: str = Field(description="name of the leader at the start (a key of leaders)")
    initial_line: Position = Field(0.0, description="official line at the start")
    leaders: dict[str, Leader] = Field(description="leaders by name")

    @model_validator(mode="after")
    def _leader_known(self) -> Leadership:
        if self.leader not in self.leaders:
            raise ValueError(
                f"leader {self.leader!r} is not among leaders; allowed: {sorted(self.leaders)}"
            )
        return self


class EventBase(Frozen):
    """Fields every event has."""

    month: MonthText
    note: str = Field("", description="what the event stands for, and its source")


class PolicyEvent(EventBase):
    """Change policy fields from a month on."""

    kind: Literal["policy"]
    set: dict[str, float | bool | dict[str, float]] = Field(
        description="policy fields to change, e.g. {tolerance = 0.05}"
    )

    @field_validator("set")
    @classmethod
    def _known_fields(cls, values: dict) -> dict:
        try:
            Policy.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ValueError(f"policy field {where}: {first['msg']}") from None
        return values


class CampaignEvent(EventBase):
    """A campaign with a monthly quota: a purge (expulsion) or a terror (arrests)."""

    kind: Literal["campaign"]
    months: int = Field(1, ge=1, le=600, description="how many months it lasts")
    quota: Share = Field(description="share of the target group taken each month")
    sanction: Literal["expulsion", "arrest"] = Field("arrest", description="what is done")
    execution_share: Share = Field(0.0, description="share of those arrested who are shot")
    faction: str | None = Field(None, description="target only this faction (none: all)")
    include_expelled: bool = Field(
        False, description="former members are targets too (as in 1936-38)"
    )
    random_share: Share = Field(
        0.0, description="share of the quota filled at random rather than from dossiers"
    )


class LeaderEvent(EventBase):
    """The leader leaves; a named successor or the central committee's choice takes over."""

    kind: Literal["leader"]
    successor: str = Field(description="a leader's name, or 'cc_vote' for the CC's choice")


class ShockEvent(EventBase):
    """A jump in the hidden correct line (famine, war)."""

    kind: Literal["shock"]
    size: Annotated[float, Field(ge=-2.0, le=2.0)] = Field(description="jump in x_t")


class AmnestyEvent(EventBase):
    """Release prisoners and restore expelled members."""

    kind: Literal["amnesty"]
    release: Share = Field(description="share of prisoners released")
    readmit: Share = Field(0.0, description="share of released and expelled who are readmitted")
    clear_dossiers: bool = Field(False, description="forget all marks")


Event = Annotated[
    PolicyEvent | CampaignEvent | LeaderEvent | ShockEvent | AmnestyEvent,
    Field(discriminator="kind"),
]


class Scenario(Frozen):
    """A whole scenario: one leadership and one timeline, ready to run."""

    name: str = Field(description="short name")
    description: str = Field("", description="one line on what the scenario represents")
    start: MonthText = Field("1924-01", description="first simulated month")
    end: MonthText = Field("1956-12", description="last simulated month")
    population: Population = Field(default_factory=Population)
    network: Network = Field(default_factory=Network)
    reality: Reality = Field(default_factory=Reality)
    debate: Debate = Field(default_factory=Debate)
    voice: Voice = Field(default_factory=Voice)
    policy: Policy = Field(default_factory=Policy)
    leadership: Leadership
    events: tuple[Event, ...] = Field((), description="the timeline")

    @model_validator(mode="after")
    def _timeline_consistent(self) -> Scenario:
        start, end = parse_month(self.start), parse_month(self.end)
        if end < start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        factions = set(self.population.factions)
        for number, event in enumerate(self.events):
            month = parse_month(event.month)
            if not start <= month <= end:
                raise ValueError(
                    f"events.{number}.month {event.month} lies outside {self.start}..{self.end}"
                )
            if (
                isinstance(event, LeaderEvent)
                and event.successor != "cc_vote"
                and event.successor not in self.leadership.leaders
            ):
                raise ValueError(
                    f"events.{number}.successor {event.successor!r} is not a leader; "
                    f"allowed: cc_vote, {', '.join(sorted(self.leadership.leaders))}"
                )
            if (
                isinstance(event, CampaignEvent)
                and event.faction is not None
                and event.faction not in factions
            ):
                raise ValueError(
                    f"events.{number}.faction {event.faction!r} is not a faction; "
                    f"allowed: {', '.join(sorted(factions))}"
                )
        return self

    @property
    def start_index(self) -> int:
        """The first month as an integer index."""
        return parse_month(self.start)

    @property
    def end_index(self) -> int:
        """The last month as an integer index."""
        return parse_month(self.end)

    @property
    def months(self) -> int:
        """Number of simulated months."""
        return self.end_index - self.start_index + 1
