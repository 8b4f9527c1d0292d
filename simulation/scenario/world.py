"""The scenario's ``[world]`` section: the world layer's rules, the foreign line, the feedback.

The world layer (docs/ODD.md, "The world around the party") is off unless a scenario has a
``[world]`` table. :class:`WorldParameters` (``[world.rules]``) are the world's own rules;
:class:`ForeignLine` (``[world.line]``) is the party's foreign line at the start, changed by
``world`` events; :class:`WorldSection` adds how the world reaches the party (the threat fed to
the leader's hardening, and the members a war kills).

Every number here is a stylised guess unless its description says otherwise: the layer is a
mechanism for how a foreign line feeds back on war and revolution, not a fitted model of the
years 1923-1956. Shares and readiness lie in [0, 1]; time is in months.
"""

from __future__ import annotations

import csv
import functools
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, Strict, field_validator, model_validator

from simulation.scenario.base import Frozen, MonthText, NonNegative, Share
from simulation.scenario.calendar import parse_month
from simulation.shipped import shipped_folder

if TYPE_CHECKING:
    from simulation.scenario.schema import WorldEvent

Rate = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]


@functools.cache
def shipped_countries() -> tuple[str, ...]:
    """The codes of the shipped world's countries: the first column of data/world_map.csv."""
    with (shipped_folder("data") / "world_map.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(row["country"] for row in csv.DictReader(handle))


class Shock(Frozen):
    """An exogenous condition: for ``months`` months from ``start`` it adds ``strength``."""

    start: MonthText = Field(description="first month")
    months: int = Field(ge=1, le=240, description="how many months it lasts")
    strength: Share = Field(description="its strength in [0, 1] in every month it lasts")
    countries: tuple[str, ...] = Field(
        (), description="the countries it strikes (their codes in data/countries.csv); empty: all"
    )

    @field_validator("start")
    @classmethod
    def _a_real_month(cls, value: str) -> str:
        parse_month(value)
        return value


class Crisis(Shock):
    """A crisis: in every month it lasts its strength ``s`` adds to readiness and the right.

    The 1923 German crisis and the 1929 depression are the shipped examples
    (the default of ``crises``); a scenario can move, weaken or remove them.
    """

    name: str = Field(description="a short name, for reports")


#: The shipped crises. Their months are the historical ones; their strengths are guesses [U].
HISTORICAL_CRISES = (
    # The Ruhr occupation and hyperinflation, January to November 1923 (the Hamburg rising of
    # October 1923 failed): a German crisis.
    Crisis(
        name="german_crisis_1923", start="1923-01", months=11, strength=0.6, countries=("germany",)
    ),
    # From the crash of October 1929 to the trough of 1932-33: every economy is struck.
    Crisis(name="depression_1929", start="1929-10", months=40, strength=0.3),
    # Germany and Austria had the deepest slump and the highest unemployment of the depression.
    Crisis(
        name="depression_1929_central_europe",
        start="1929-10",
        months=40,
        strength=0.5,
        countries=("germany", "austria"),
    ),
)


class Opportunity(Shock):
    """An opening for war: in every month it lasts its strength adds to opportunity ``o``.

    Examples are a neighbour's military weakness or a free hand elsewhere (the fall of France in
    June 1940 freed Germany's army for the east); the shipped world has none.
    """


class WorldParameters(Frozen):
    """The world layer's rules: revolution, the right, hostility and war (docs/ODD.md, world).

    All values are guesses [U] chosen to give the mechanism a visible but not a certain effect;
    none is fitted.
    """

    # Revolution: a threshold cascade (Granovetter 1978; Kuran 1989; Weyland 2009).
    threshold_mean: NonNegative = Field(
        0.7,
        le=2.0,
        description="mean revolutionary threshold theta-bar: the readiness at which a country "
        "with no communist neighbour rises [U guess]",
    )
    threshold_sd: NonNegative = Field(
        0.1,
        le=1.0,
        description="standard deviation sigma_theta of the countries' thresholds, drawn once "
        "per run (Granovetter's distribution of thresholds) [U guess]",
    )
    contagion: NonNegative = Field(
        0.15,
        le=1.0,
        description="lambda: how much each communist neighbour lowers a country's bar "
        "(Weyland 2009: imitators take a revolution next door as proof that theirs can "
        "succeed) [U guess]",
    )
    sea_weight: Rate = Field(
        0.5,
        description="weight of a sea link against a land frontier in the neighbour network "
        "[U guess]",
    )
    right_barrier: NonNegative = Field(
        0.2,
        le=1.0,
        description="added to the threshold of a country where the right holds power "
        "(repression of the left) [U guess]",
    )
    # Readiness.
    readiness_scale: NonNegative = Field(
        2.0,
        le=10.0,
        description="kappa: the readiness a country returns to is kappa times the strength of "
        "its communist party (its share of the vote) [U guess]",
    )
    readiness_return: Rate = Field(
        0.05, description="alpha: monthly pull of readiness back toward its base [U guess]"
    )
    readiness_noise: NonNegative = Field(
        0.01, le=0.5, description="sigma_rho: standard deviation of monthly news [U guess]"
    )
    crisis_readiness: NonNegative = Field(
        0.02,
        le=1.0,
        description="readiness added per month by a crisis of strength 1 [U guess]",
    )
    export_readiness: NonNegative = Field(
        0.005,
        le=1.0,
        description="readiness added per month, next door to a communist state, by an export "
        "of revolution at full effort (e = 1) [U guess]",
    )
    # The right.
    right_return: Rate = Field(
        0.03, description="monthly pull of the right's strength back to its base [U guess]"
    )
    crisis_right: NonNegative = Field(
        0.02,
        le=1.0,
        description="right's strength added per month by a crisis of strength 1 (the "
        "depression fed the NSDAP: 2.6% in 1928, 37.3% in July 1932, data/countries.csv) "
        "[U guess]",
    )
    right_fear: NonNegative = Field(
        0.05,
        le=1.0,
        description="right's strength added per month per unit of readiness above its base "
        "(counter-mobilisation against the left) [U guess]",
    )
    right_threshold: Share = Field(
        0.4,
        description="strength at which the right takes power in a country it does not yet "
        "rule [U guess]",
    )
    division_weight: NonNegative = Field(
        0.1,
        le=1.0,
        description="how far a divided left (the foreign line's left_division d) lowers the "
        "right's bar: theta_R - d * this (Trotsky's case against 'class against class' in "
        "Germany, 1930-33) [U guess]",
    )
    # Hostility toward the Soviet state.
    hostility_return: Rate = Field(
        0.02, description="monthly pull of hostility back toward its base [U guess]"
    )
    export_hostility: NonNegative = Field(
        0.005,
        le=1.0,
        description="hostility added per month everywhere by an export of revolution at full "
        "effort [U guess]",
    )
    revolution_hostility: NonNegative = Field(
        0.1,
        le=1.0,
        description="hostility added everywhere, once, by each new communist revolution [U guess]",
    )
    right_hostility: NonNegative = Field(
        0.3,
        le=1.0,
        description="added to the base hostility of a country when the right takes power [U guess]",
    )
    # War.
    war_hostility: NonNegative = Field(
        0.5, le=2.0, description="weight of hostility in the war score [U guess]"
    )
    war_right: NonNegative = Field(
        0.4, le=2.0, description="weight of the right's strength in the war score [U guess]"
    )
    war_opportunity: NonNegative = Field(
        0.5, le=2.0, description="weight of opportunity in the war score [U guess]"
    )
    war_threshold: NonNegative = Field(
        0.75,
        le=5.0,
        description="war score at which a country bordering a communist state goes to war "
        "with it [U guess]",
    )
    crises: tuple[Crisis, ...] = Field(
        HISTORICAL_CRISES, description="exogenous crises (default: 1923 Germany, 1929 depression)"
    )
    opportunities: tuple[Opportunity, ...] = Field(
        (), description="exogenous openings for war (default: none)"
    )

    @model_validator(mode="after")
    def _known_countries(self) -> WorldParameters:
        known = shipped_countries()
        for name in ("crises", "opportunities"):
            for number, shock in enumerate(getattr(self, name)):
                unknown = [code for code in shock.countries if code not in known]
                if unknown:
                    raise ValueError(
                        f"{name}.{number}.countries: {unknown[0]!r} is not a country of the "
                        f"world; allowed: {', '.join(known)}"
                    )
        return self


class ForeignLine(Frozen):
    """The party's foreign line: how much it exports revolution, how it treats the social democrats.

    Attributes are in [0, 1]: ``export`` is the effort put into revolution abroad through the
    Comintern (0: socialism in one country; 1: all-out export); ``left_division`` is how divided
    the left abroad is (0: a united front with the social democrats; 1: "class against class",
    the line of 1928-34).
    """

    export: Share = Field(0.0, description="effort put into revolution abroad, e in [0, 1]")
    left_division: Share = Field(
        0.0, description="division of the left abroad, d in [0, 1] (1: class against class)"
    )

    def changed_by(self, event: WorldEvent) -> ForeignLine:
        """The line after a ``world`` event: the fields it sets change, the others stay."""
        changes = {
            name: value
            for name in ("export", "left_division")
            if (value := getattr(event, name)) is not None
        }
        return self.model_copy(update=changes)


class WorldSection(Frozen):
    """The world layer, switched on: the countries around the party (docs/ODD.md, world).

    The world starts at ``start`` (before the party, so that the German crisis of 1923 runs
    inside it) under the foreign line ``line`` and steps with the party month by month;
    ``world`` events change the line. Each month it feeds back a threat
    ``T_W = clip(w_H H + w_W W - w_A A, 0, 1)`` (H: the mean hostility toward the Soviet state of
    the countries communists do not rule; W: 1 while any country is at war with a communist
    state; A: the communist states besides the Soviet state, its allies), which raises the
    pressure of a leader whose hardening has ``threat_response > 0``; and while a war begun in
    the last ``war_months`` months goes on, a share ``war_deaths`` of the active members dies
    each month. The feedback weights are guesses [U].
    """

    enabled: bool = Field(
        True, description="run the world layer (false: the party alone, as without this table)"
    )
    start: MonthText = Field(
        "1923-01", description="the world's first month: at or before the party's start"
    )
    line: ForeignLine = Field(
        default_factory=ForeignLine, description="the foreign line from the start"
    )
    rules: WorldParameters = Field(
        default_factory=WorldParameters, description="the world's own rules"
    )
    threat_hostility: NonNegative = Field(
        1.0,
        le=5.0,
        description="w_H: weight in the threat of the mean hostility toward the Soviet state "
        "[U guess]",
    )
    threat_war: NonNegative = Field(
        0.5,
        le=5.0,
        description="w_W: threat added while any country is at war with a communist state "
        "[U guess]",
    )
    threat_ally: NonNegative = Field(
        0.1,
        le=5.0,
        description="w_A: threat taken off by each communist state besides the Soviet state "
        "(an ally) [U guess]",
    )
    war_deaths: Share = Field(
        0.004,
        description="monthly share of active members killed while a war begun within "
        "war_months goes on (0.4% a month for 48 months kills about a sixth; the party's dead "
        "of 1941-45 are put at about 3 million, unverified) [U guess]",
    )
    war_months: int = Field(
        48,
        ge=0,
        le=600,
        description="months after a war's onset during which it kills members (the German-"
        "Soviet war lasted 47 months, June 1941 - May 1945) [U guess]",
    )

    @field_validator("start")
    @classmethod
    def _a_real_month(cls, value: str) -> str:
        parse_month(value)
        return value
