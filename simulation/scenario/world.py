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
from typing import TYPE_CHECKING, Annotated, ClassVar

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


def real_month(value: str) -> str:
    """A ``YYYY-MM`` month that exists (a field validator: the month 13 is refused)."""
    parse_month(value)
    return value


def known_pacts(pacts: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Reject a pact with a state the shipped world lacks."""
    known = shipped_countries()
    unknown = [code for code in pacts or () if code not in known]
    if unknown:
        raise ValueError(
            f"pacts: {unknown[0]!r} is not a country of the world; allowed: {', '.join(known)}"
        )
    return pacts


class Shock(Frozen):
    """An exogenous condition: for ``months`` months from ``start`` it adds ``strength``."""

    start: MonthText = Field(description="first month")
    months: int = Field(ge=1, le=240, description="how many months it lasts")
    strength: Share = Field(description="its strength in [0, 1] in every month it lasts")
    countries: tuple[str, ...] = Field(
        (), description="the countries it strikes (their codes in data/countries.csv); empty: all"
    )

    _a_real_month = field_validator("start")(real_month)


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


class Occupation(Frozen):
    """A state occupied by another from a month on: its land frontiers become the occupier's.

    An exogenous condition of the record (Poland, September 1939) that a scenario can change.
    From ``start`` the occupied state rises in no revolution, falls to no right and starts no
    war, and the occupier borders every state it bordered (so Germany, once in Poland, borders
    the Soviet state); when the Soviet side beats the occupier at a war's end (``war_end``),
    the state is liberated and gets a communist government with the chance of an occupied one
    (docs/ODD.md, world: frontiers).
    """

    start: MonthText = Field(description="the month the occupation begins")
    country: str = Field(description="the occupied state (its code in data/world_map.csv)")
    by: str = Field(description="the occupier (its code)")

    @property
    def countries(self) -> tuple[str, str]:
        """The states it names: the occupied one and the occupier (as a crisis names its own)."""
        return self.country, self.by

    _a_real_month = field_validator("start")(real_month)


class WorldParameters(Frozen):
    """The world layer's rules: revolution, the right, hostility and war (docs/ODD.md, world).

    All values are guesses [U] chosen to give the mechanism a visible but not a certain effect;
    none is fitted. Eighteen of them, with the threat's weights w_H and w_W, carry a range in
    ``base``'s ``[guesses]`` (docs/ODD.md 5.6).
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
    right_holds: bool = Field(
        False,
        description="a right that has seized power holds the state: its base becomes its "
        "strength at the seizure, r* = max(r*, r), so it no longer returns to the following it "
        "had in opposition (Paxton 1998, 2004: the seizure of power, then its exercise through "
        "the state) (false: it returns to its base of 1923)",
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
    # The end of wars and the post-war order (off unless war_end).
    war_end: bool = Field(
        False,
        description="wars end: each month a war ends with a probability growing in its "
        "length and in the imbalance of the sides, and the winner occupies the beaten side "
        "(false: a war never ends)",
    )
    end_base: NonNegative = Field(
        0.01,
        le=50.0,
        description="eta_0: monthly hazard that a war just begun between even sides ends "
        "(Fearon 1995; Slantchev 2003) [U guess]",
    )
    end_length: NonNegative = Field(
        0.01,
        le=50.0,
        description="eta_t: monthly hazard added per year of war (fighting reveals the balance; "
        "with eta_0 the median war lasts about 30 months) [U guess]",
    )
    end_lopsided: NonNegative = Field(
        0.03,
        le=50.0,
        description="eta_q: monthly hazard added at full imbalance of the sides' strength "
        "(a lopsided war ends sooner) [U guess]",
    )
    decisiveness: NonNegative = Field(
        1.0,
        le=10.0,
        description="g: how much the larger side's strength (its population) counts in who "
        "wins a war that ends (Hirshleifer 1989's contest success function) [U guess]",
    )
    government_base: Share = Field(
        0.5,
        description="g_0: chance that a state the Soviet side occupies at a war's end gets a "
        "communist government whatever its party's strength (eastern Europe 1944-48) [U guess]",
    )
    government_slope: NonNegative = Field(
        2.0,
        le=20.0,
        description="g_c: chance added per unit of its communist party's strength (a party "
        "of 25% makes it certain with g_0 = 0.5) [U guess]",
    )
    bloc_hostility: NonNegative = Field(
        0.1,
        le=1.0,
        description="added to the base hostility of every state communists do not rule by each "
        "communist government a war's end makes (hostility between blocs: the Truman "
        "doctrine of March 1947 answered those of 1945-47) [U guess]",
    )
    peace_months: int = Field(
        60,
        ge=0,
        le=600,
        description="months after a war's end in which the beaten or beating state starts "
        "no new war with a communist state [U guess]",
    )
    # Pacts and alliances (read from the foreign line).
    pact_effect: NonNegative = Field(
        0.3,
        le=5.0,
        description="taken off the war score of a state with a non-aggression pact with the "
        "Soviet state while it holds (the line's pacts; August 1939) [U guess]",
    )
    alliance_deterrence: NonNegative = Field(
        0.2,
        le=5.0,
        description="taken off the war score of a state the right rules, per unit of the "
        "line's collective_security (an alliance against the right deters it, 1934-38) "
        "[U guess]",
    )
    alliance_hostility: NonNegative = Field(
        0.005,
        le=1.0,
        description="hostility taken off per month, per unit of collective_security, in the "
        "states neither communists nor the right rule (the Franco-Soviet pact of 1935) "
        "[U guess]",
    )
    crises: tuple[Crisis, ...] = Field(
        HISTORICAL_CRISES, description="exogenous crises (default: 1923 Germany, 1929 depression)"
    )
    opportunities: tuple[Opportunity, ...] = Field(
        (), description="exogenous openings for war (default: none)"
    )
    occupations: tuple[Occupation, ...] = Field(
        (),
        description="exogenous occupations, which move frontiers (default: none; the "
        "frontiers stay those of about 1930)",
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
        for number, occupation in enumerate(self.occupations):
            for key in ("country", "by"):
                if getattr(occupation, key) not in known:
                    raise ValueError(
                        f"occupations.{number}.{key}: {getattr(occupation, key)!r} is not a "
                        f"country of the world; allowed: {', '.join(known)}"
                    )
            if occupation.country == occupation.by:
                raise ValueError(f"occupations.{number}: a state cannot occupy itself")
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
    pacts: tuple[str, ...] = Field(
        (),
        description="states with a non-aggression pact with the Soviet state (their codes in "
        "data/world_map.csv; the pact of 23 August 1939 with germany)",
    )
    collective_security: Share = Field(
        0.0,
        description="a in [0, 1]: the alliance against the right (collective security, "
        "1934-38: the League from 1934, the Franco-Soviet pact of 1935); 0: none",
    )

    _known_pacts = field_validator("pacts")(known_pacts)

    def changed_by(self, event: WorldEvent) -> ForeignLine:
        """The line after a ``world`` event: the fields it sets change, the others stay."""
        changes = {
            name: value for name in LINE_FIELDS if (value := getattr(event, name)) is not None
        }
        return self.model_copy(update=changes)


#: The foreign line's fields that a ``world`` event may set.
LINE_FIELDS = ("export", "left_division", "pacts", "collective_security")


class LineChange(Frozen):
    """A change of the foreign line: any of its four fields, each left out unchanged.

    One body for a ``world`` event of a scenario's timeline and a turn of a contender's own
    line (:class:`LineTurn`).
    """

    #: What the change is called in the error for one that changes nothing.
    _noun: ClassVar[str] = "a change of the line"

    export: Share | None = Field(
        None, description="effort put into revolution abroad from now on (none: unchanged)"
    )
    left_division: Share | None = Field(
        None,
        description="division of the left abroad from now on, 1 for 'class against class' "
        "(none: unchanged)",
    )
    pacts: tuple[str, ...] | None = Field(
        None,
        description="the states with a non-aggression pact with the Soviet state from now on "
        "(an empty list ends every pact; none: unchanged)",
    )
    collective_security: Share | None = Field(
        None, description="the alliance against the right from now on, in [0, 1] (none: unchanged)"
    )

    _known_pacts = field_validator("pacts")(known_pacts)

    @model_validator(mode="after")
    def _changes_something(self) -> LineChange:
        if all(getattr(self, name) is None for name in LINE_FIELDS):
            raise ValueError(f"{self._noun} sets one or more of {', '.join(LINE_FIELDS)}")
        return self


class LineTurn(LineChange):
    """A contender's foreign line from a month on (docs/ODD.md, world: the leader's line).

    Read only with ``world.line_from_leader``: while he leads, from ``month`` on (until his
    next turn) the export of revolution and the left's division are his, and so are the pacts
    and the collective security where his turns set them. A turn sets some of the four; the
    others stay as his earlier turns (or the line he found) left them.
    """

    _noun: ClassVar[str] = "a foreign turn"

    month: MonthText = Field(description="the first month of this line")

    _a_real_month = field_validator("month")(real_month)


def leader_line(
    line: ForeignLine, turns: tuple[LineTurn, ...], month: int, inherited: ForeignLine
) -> ForeignLine:
    """The foreign line under a leader at ``month``: what his turns so far have set.

    Args:
        line: The scenario's line in force (``[world.line]`` changed by ``world`` events),
            which gives the pacts and collective security his turns have not set.
        turns: The leader's turns (his disposition's ``foreign``), in month order.
        month: The month index.
        inherited: The line in force the month before.

    Returns:
        ``line`` with the export and division of his latest turn at or before ``month`` that
        sets them, or, if none has yet (a leader with no reading of his own, or before his
        first turn), those of ``inherited``: he keeps the line he finds. The pacts and the
        collective security are those of his latest turn that sets them, else ``line``'s.
    """
    found = {"export": inherited.export, "left_division": inherited.left_division}
    for turn in turns:
        if parse_month(turn.month) > month:
            break
        found.update(
            {name: getattr(turn, name) for name in LINE_FIELDS if getattr(turn, name) is not None}
        )
    return line.model_copy(update=found)


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
    line_from_leader: bool = Field(
        False,
        description="the export and the left's division follow the leader in power, from the "
        "party's first month: his disposition's foreign turns "
        "(succession.contenders.<name>.disposition.foreign); a leader before his first turn, "
        "or without any, keeps the line he finds (false: line and world events alone)",
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

    _a_real_month = field_validator("start")(real_month)
