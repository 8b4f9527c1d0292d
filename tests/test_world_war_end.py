"""The world's wars end, the post-war order, pacts and collective security (docs/ODD.md, world)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from simulation.model.party import PartyModel
from simulation.reporting.world import replay_world
from simulation.scenario.calendar import format_month, parse_month
from simulation.scenario.schema import WorldEvent
from simulation.scenario.world import Occupation
from simulation.world import ForeignLine, World, WorldData, WorldParameters, load_world_data
from simulation.world.data import Edge, Figure, Tile
from simulation.world.rules import government_chance, victory_chance, war_end_probability

#: Every neighbour of the Soviet state goes to war in the first month, and never again after
#: its war ends (the peace lasts beyond any run here).
EAGER = {"war_threshold": 0.0, "peace_months": 600, "crises": ()}


@pytest.fixture(scope="module")
def data():
    return load_world_data()


def neighbours(world: World) -> set[str]:
    return set(world.graph["soviet_union"])


# ---------------------------------------------------------------- the rules


def test_the_end_hazard_grows_in_length_and_imbalance_and_is_zero_without_either():
    years = np.array([0.0, 1.0, 4.0])
    hazard = war_end_probability(years, np.zeros(3), base=0.01, length=0.01, lopsided=0.03)
    assert np.all(np.diff(hazard) > 0)
    even, lopsided = war_end_probability(
        np.ones(2), np.array([0.0, 1.0]), base=0.01, length=0.01, lopsided=0.03
    )
    assert lopsided > even
    assert war_end_probability(years, np.ones(3), base=0, length=0, lopsided=0).tolist() == [0] * 3
    assert war_end_probability(np.array([1.0]), np.zeros(1), base=0, length=np.log(2), lopsided=0)[
        0
    ] == pytest.approx(0.5)


def test_the_contest_success_function():
    assert victory_chance(np.array([3.0]), np.array([1.0]), 1.0)[0] == pytest.approx(0.75)
    assert victory_chance(np.array([3.0]), np.array([1.0]), 0.0)[0] == pytest.approx(0.5)
    assert victory_chance(np.array([3.0]), np.array([1.0]), 2.0)[0] == pytest.approx(0.9)


def test_the_chance_of_a_communist_government_grows_in_the_partys_strength():
    chance = government_chance(np.array([0.0, 0.1, 0.4]), 0.5, 2.0)
    assert chance.tolist() == pytest.approx([0.5, 0.7, 1.0])


# ---------------------------------------------------------------- wars end


def test_without_war_end_a_war_never_ends(data):
    world = World(WorldParameters(**EAGER), seed=1, data=data)
    history = world.run("1935-12")
    fighting = history[history["month"] == "1936-01"].set_index("country")["at_war"]
    assert set(fighting[fighting].index) == neighbours(world)
    assert world.war_ends == []


def test_a_war_must_end_by_exhaustion(data):
    # No hazard but the one growing with length: e^-(t^2/2) of a war lasts t years.
    rules = WorldParameters(**EAGER, war_end=True, end_base=0.0, end_lopsided=0.0, end_length=1.0)
    world = World(rules, seed=2, data=data)
    first_neighbours = neighbours(world)
    world.run("1929-12")
    ended = {end.country for end in world.war_ends}
    assert first_neighbours <= ended
    # A war the Soviet side won brought the next ring of states next door, and to war: every
    # war begun four years before the end has ended (surviving it has odds below e^-8 a year).
    last = world.month - 1
    old = [c for c in world.countries if c.war_began is not None and c.war_began <= last - 48]
    assert old and not any(country.at_war for country in old)
    # None ends in the month it began.
    began = {c.code: c.war_began for c in world.countries}
    assert all(end.month > began[end.country] for end in world.war_ends)
    # With every hazard at 0 none ends.
    never = WorldParameters(**EAGER, war_end=True, end_base=0.0, end_lopsided=0.0, end_length=0.0)
    world = World(never, seed=2, data=data)
    world.run("1930-12")
    assert world.war_ends == []


def occupier(data, **rules) -> World:
    """Every war ends at once and the stronger side (by population) all but surely wins."""
    parameters = WorldParameters(**EAGER, war_end=True, end_base=50.0, decisiveness=10.0, **rules)
    world = World(parameters, seed=3, data=data)
    world.run("1923-02")
    return world


def beaten(world: World) -> set[str]:
    return {end.country for end in world.war_ends if end.communist_side_won}


def test_the_soviet_side_occupies_the_beaten_and_a_government_follows_its_chance(data):
    certain = occupier(data, government_base=1.0, government_slope=0.0)
    # Every neighbour fought and lost but China, the one more populous than the Soviet state.
    assert {end.country for end in certain.war_ends} == neighbours(certain)
    assert beaten(certain) == neighbours(certain) - {"china"}
    # China, the winner, takes down the communist governments next door to it (Japan's).
    state = {c.code: c.state for c in certain.countries}
    near_china = set(certain.graph["china"])
    assert all(state[code] == "communist" for code in beaten(certain) - near_china)
    assert all(state[code] == "other" for code in beaten(certain) & near_china - {"soviet_union"})
    assert certain.summary().postwar_governments == len(beaten(certain))
    none = occupier(data, government_base=0.0, government_slope=0.0)
    state = {c.code: c for c in none.countries}
    assert all(state[code].state == "other" for code in beaten(none))
    assert all(state[code].right == 0.0 for code in beaten(none))
    assert none.summary().postwar_governments == 0
    assert none.summary().wars_won == len(beaten(none)) == len(neighbours(none)) - 1


def test_each_post_war_government_raises_the_hostility_between_blocs(data):
    calm = occupier(data, government_base=1.0, government_slope=0.0, bloc_hostility=0.0)
    blocs = occupier(data, government_base=1.0, government_slope=0.0, bloc_hostility=0.05)
    made = blocs.summary().postwar_governments
    for quiet, tense in zip(calm.countries, blocs.countries, strict=True):
        if not tense.communist and tense.war_ended is None:  # not a state that fought
            expected = min(1.0, quiet.hostility_base + 0.05 * made)
            assert tense.hostility_base == pytest.approx(expected)


def test_the_soviet_state_is_never_occupied(data):
    # A coin decides each war: some are lost, and the Soviet state stays communist.
    parameters = WorldParameters(**EAGER, war_end=True, end_base=50.0, decisiveness=0.0)
    world = World(parameters, seed=4, data=data)
    world.run("1923-02")
    assert any(not end.communist_side_won for end in world.war_ends)
    soviet = next(c for c in world.countries if c.role == "soviet")
    assert soviet.communist


def test_war_end_is_deterministic_and_its_draws_shift_no_other(data):
    rules = WorldParameters(war_end=True, war_threshold=0.6)
    first, again = (World(rules, seed=5, data=data) for _ in range(2))
    assert first.run("1950-12").equals(again.run("1950-12"))
    assert first.war_ends == again.war_ends
    # Before the first war ends, the world is the one without war_end, draw for draw.
    off = World(WorldParameters(war_threshold=0.6), seed=5, data=data).run("1950-12")
    ends = [end.month for end in first.war_ends]
    assert ends
    before = first.history()["month"] <= format_month(min(ends))
    assert first.history()[before].equals(off[before])
    assert not first.history().equals(off)


# ---------------------------------------------------------------- pacts and alliances


def test_a_pact_prevents_a_war_that_otherwise_happens(data):
    rules = WorldParameters(war_threshold=0.0, crises=(), pact_effect=1.0)
    open_war = World(rules, seed=6, data=data)
    open_war.step(ForeignLine())
    assert next(c for c in open_war.countries if c.code == "poland").at_war
    pact = World(rules, seed=6, data=data)
    pact.step(ForeignLine(pacts=("poland",)))
    fought = {c.code for c in open_war.countries if c.at_war}
    assert {c.code for c in pact.countries if c.at_war} == fought - {"poland"}
    # The pact holds only while it is in the line: without it the war comes the next month.
    pact.step(ForeignLine())
    assert next(c for c in pact.countries if c.code == "poland").at_war


def test_collective_security_deters_only_the_right_and_calms_the_others(data):
    rules = WorldParameters(alliance_deterrence=0.5, alliance_hostility=0.05, crises=())
    plain, allied = (World(rules, seed=7, start="1934-01", data=data) for _ in range(2))
    assert allied._restraint(ForeignLine()) == 0.0
    restraint = allied._restraint(ForeignLine(collective_security=1.0))
    right = allied.ruled_by_right()
    assert np.all(restraint[right] == 0.5) and np.all(restraint[~right] == 0.0)
    plain.step(ForeignLine())
    allied.step(ForeignLine(collective_security=1.0))
    for before, after in zip(plain.countries, allied.countries, strict=True):
        if after.communist:
            continue
        if after.state == "right":
            assert after.hostility == before.hostility
        else:
            assert after.hostility == pytest.approx(max(before.hostility - 0.05, 0.0))


def test_world_events_set_pacts_and_collective_security_and_refuse_unknown_states():
    event = WorldEvent(kind="world", month="1939-08", pacts=("germany",))
    assert ForeignLine(export=0.1).changed_by(event) == ForeignLine(export=0.1, pacts=("germany",))
    ended = WorldEvent(kind="world", month="1941-06", pacts=())
    assert ForeignLine(pacts=("germany",)).changed_by(ended).pacts == ()
    with pytest.raises(ValidationError, match="narnia"):
        WorldEvent(kind="world", month="1939-08", pacts=("narnia",))
    with pytest.raises(ValidationError, match="narnia"):
        ForeignLine(pacts=("narnia",))
    with pytest.raises(ValidationError, match="sets one or more"):
        WorldEvent(kind="world", month="1939-08")


# ---------------------------------------------------------------- frontiers


def test_an_occupation_moves_frontiers_and_the_soviet_victory_liberates(data):
    poland = (Occupation(start="1923-01", country="poland", by="germany"),)
    parameters = WorldParameters(
        **EAGER, war_end=True, end_base=50.0, decisiveness=10.0, government_base=1.0,
        occupations=poland,
    )  # fmt: skip
    world = World(parameters, seed=8, data=data)
    assert not world.graph.has_edge("germany", "soviet_union")
    world.step()
    state = {c.code: c for c in world.countries}
    assert world.graph.has_edge("germany", "soviet_union")
    assert world.weights[data.countries.index("germany"), data.countries.index("soviet_union")] == 1
    assert state["poland"].occupier == "germany" and not state["poland"].at_war
    assert state["germany"].at_war  # now next door to the Soviet state
    world.step()
    liberated = [end for end in world.war_ends if end.liberated]
    assert [(end.country, end.outcome) for end in liberated] == [("poland", "communist")]
    assert state["poland"].occupier is None and state["poland"].communist
    # A liberation is no war: it counts among the governments, not the wars.
    summary = world.summary()
    assert summary.wars_ended == len(world.war_ends) - 1
    assert summary.postwar_governments == sum(e.outcome == "communist" for e in world.war_ends)


def test_an_occupied_state_rises_in_no_revolution_and_starts_no_war(data):
    everyone = WorldParameters(
        threshold_mean=0.0, threshold_sd=0.0, war_threshold=0.0, crises=(),
        occupations=(Occupation(start="1923-01", country="finland", by="sweden"),),
    )  # fmt: skip
    world = World(everyone, seed=9, data=data)
    world.step()
    finland = next(c for c in world.countries if c.code == "finland")
    assert finland.state != "communist" and not finland.at_war
    assert next(c for c in world.countries if c.code == "poland").communist


def test_occupations_name_countries_of_the_world():
    with pytest.raises(ValidationError, match="narnia"):
        WorldParameters(occupations=(Occupation(start="1939-09", country="narnia", by="germany"),))
    with pytest.raises(ValidationError, match="itself"):
        WorldParameters(occupations=(Occupation(start="1939-09", country="poland", by="poland"),))


def test_the_postwar_scenario_replays_its_world_and_records_the_war_end_columns():
    changes = {"population.size": 300, "population.pool_factor": 2.0, "end": "1946-12"}
    model = PartyModel("historical_world_postwar", seed=3, overrides=changes)
    outcomes = model.run()
    assert {"wars_ended", "wars_won", "postwar_governments"} <= set(outcomes.columns)
    assert outcomes["wars_ended"].is_monotonic_increasing
    # A liberation is a record of its own, not a war's end (docs/ODD.md, world: frontiers).
    wars = [end for end in model.world.war_ends if not end.liberated]
    assert outcomes["wars_ended"].iloc[-1] == len(wars) > 0
    assert replay_world(model.config, 3).equals(model.world.history())
    pacts = model.foreign_line.pacts
    assert "germany" not in pacts and "japan" in pacts  # the events of 1941


def tiny_world(
    parameters: WorldParameters,
    populations: dict[str, float],
    edges: tuple[tuple[str, str, str], ...],
    communist: tuple[str, ...] = ("soviet",),
) -> World:
    """A small world: the Soviet state and others with the given populations and frontiers."""
    month = parse_month("1917-11")
    tiles = tuple(
        Tile(code, code, code[:3].upper(), "soviet" if code == "soviet" else "europe", i, 0)
        for i, code in enumerate(populations)
    )
    figures = [Figure(code, "communist_takes_power", month, 1.0, "[U] test") for code in communist]
    for code, population in populations.items():
        for metric, value in (
            ("lon", 0.0), ("lat", 0.0), ("population_thousands", population),
            ("communist_vote_pct", 10.0), ("right_vote_pct", 10.0), ("hostility_pct", 50.0),
        ):  # fmt: skip
            figures.append(Figure(code, metric, month, value, "[U] test"))
    links = tuple(Edge(a, b, kind, "[U] test") for a, b, kind in edges)
    return World(parameters, seed=1, data=WorldData(tiles, tuple(figures), links))


def test_armies_occupy_across_land_and_make_peace_across_the_sea():
    parameters = WorldParameters(
        **EAGER, war_end=True, end_base=50.0, decisiveness=10.0, government_base=1.0
    )
    populations = {"soviet": 100_000.0, "land": 1_000.0, "island": 1_000.0}
    edges = (("soviet", "land", "land"), ("soviet", "island", "sea"))
    world = tiny_world(parameters, populations, edges)
    world.step()
    assert all(c.at_war for c in world.countries if c.code != "soviet")
    world.step()
    ends = {end.country: (end.communist_side_won, end.outcome) for end in world.war_ends}
    assert ends == {"land": (True, "communist"), "island": (True, "peace")}
    state = {c.code: c.state for c in world.countries}
    assert (state["land"], state["island"]) == ("communist", "other")


def test_a_state_that_beats_the_communist_side_takes_down_its_communist_neighbours():
    parameters = WorldParameters(**EAGER, war_end=True, end_base=50.0, decisiveness=10.0)
    populations = {"soviet": 1_000.0, "giant": 1_000_000.0, "ally": 1_000.0}
    edges = (("soviet", "giant", "land"), ("giant", "ally", "land"), ("soviet", "ally", "land"))
    world = tiny_world(parameters, populations, edges, communist=("soviet", "ally"))
    world.run("1923-02")
    assert [(e.country, e.communist_side_won, e.outcome) for e in world.war_ends] == [
        ("giant", False, "peace")
    ]
    state = {c.code: c for c in world.countries}
    assert state["soviet"].communist  # never occupied: it makes peace
    assert state["ally"].state == "other" and state["ally"].hostility == 0.5
