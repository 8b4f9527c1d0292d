"""The foreign line follows the leader in power (world.line_from_leader; docs/ODD.md, world)."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from simulation.experiment.guesses import with_drawn_guesses
from simulation.model.party import PartyModel
from simulation.reporting.world import replay_world
from simulation.scenario import ScenarioError, load_scenario
from simulation.scenario.calendar import parse_month
from simulation.scenario.schema import Disposition, guesses_in_use
from simulation.scenario.world import ForeignLine, LineTurn, leader_line

SMALL = {"population.size": 300, "population.pool_factor": 2.0}
TURNS = (
    LineTurn(month="1924-12", export=0.1, left_division=0.3),
    LineTurn(month="1928-09", export=0.1, left_division=1.0),
)


def test_a_leaders_line_is_his_latest_turn_and_before_any_the_line_he_finds():
    line = ForeignLine(export=0.3, left_division=0.3, pacts=("germany",))
    found = ForeignLine(export=0.5, left_division=0.0)
    early = leader_line(line, TURNS, parse_month("1924-11"), found)
    assert (early.export, early.left_division, early.pacts) == (0.5, 0.0, ("germany",))
    assert leader_line(line, TURNS, parse_month("1924-12"), found).export == 0.1
    later = leader_line(line, TURNS, parse_month("1930-01"), found)
    assert (later.export, later.left_division, later.pacts) == (0.1, 1.0, ("germany",))
    assert leader_line(line, (), parse_month("1930-01"), found) == found.model_copy(
        update={"pacts": ("germany",)}
    )


def test_a_leaders_pacts_are_his_where_his_turns_set_them():
    """Stalin's pact of August 1939 is his act: it holds while he leads, from its month; a turn
    that sets only pacts leaves his export and division as his earlier turns set them."""
    turns = (
        *TURNS,
        LineTurn(month="1934-09", collective_security=1.0),
        LineTurn(month="1939-08", pacts=("germany",)),
    )
    line = ForeignLine(export=0.3, left_division=0.3, pacts=("turkey",))
    found = ForeignLine(export=0.5, left_division=0.0)
    before = leader_line(line, turns, parse_month("1939-07"), found)
    assert (before.pacts, before.collective_security) == (("turkey",), 1.0)
    after = leader_line(line, turns, parse_month("1939-08"), found)
    assert (after.export, after.left_division, after.pacts) == (0.1, 1.0, ("germany",))
    # A leader whose turns set no pact has the scenario's.
    assert leader_line(line, TURNS, parse_month("1939-08"), found).pacts == ("turkey",)


def test_a_turn_sets_something_and_names_known_states():
    with pytest.raises(ValidationError, match="a foreign turn sets one or more"):
        LineTurn(month="1930-01")
    with pytest.raises(ValidationError, match="not a country"):
        LineTurn(month="1930-01", pacts=("atlantis",))


def test_turns_must_be_in_month_order():
    with pytest.raises(ValidationError, match="month order"):
        Disposition(foreign=TURNS[::-1])
    with pytest.raises(ValidationError, match="month order"):
        Disposition(foreign=(TURNS[0], TURNS[0]))


def lines(outcomes: pd.DataFrame, month: str) -> tuple[float, float]:
    row = outcomes.loc[outcomes["month"] == month].iloc[0]
    return float(row["foreign_export"]), float(row["left_division"])


def test_the_line_switches_with_the_leader():
    # historical_world with the leader's line, and Trotsky made leader in January 1926.
    events = [e.model_dump() for e in load_scenario("historical_world").events if e.kind != "world"]
    changes = {
        **SMALL,
        "end": "1941-12",
        "world.line_from_leader": True,
        "events": [
            *events,
            {"month": "1926-01", "kind": "leader", "successor": "trotsky"},
            {"month": "1930-01", "kind": "leader", "successor": "stalin"},
            {"month": "1936-01", "kind": "leader", "successor": "khrushchev"},
        ],
    }
    model = PartyModel("historical_world", seed=4, overrides=changes)
    outcomes = model.run()
    assert lines(outcomes, "1924-06") == (0.3, 0.3)  # Stalin before his first turn
    assert lines(outcomes, "1925-06") == (0.1, 0.3)  # socialism in one country
    assert lines(outcomes, "1926-01") == (0.5, 0.0)  # Trotsky: permanent revolution
    assert lines(outcomes, "1929-06") == (0.5, 0.0)  # no class against class under him
    assert lines(outcomes, "1930-01") == (0.1, 1.0)  # Stalin back: class against class
    assert lines(outcomes, "1935-09") == (0.1, 0.0)  # the popular front
    assert lines(outcomes, "1941-06") == (0.1, 0.0)  # Khrushchev, with no reading, keeps it
    # The replayed world, fed the run's line, is the run's world.
    pd.testing.assert_frame_equal(replay_world(model.config, 4, outcomes), model.world.history())
    with pytest.raises(ValueError, match="outcome rows"):
        replay_world(model.config, 4)


def test_the_line_follows_whoever_wins_the_succession():
    model = PartyModel("succession_world", seed=2, overrides={**SMALL, "end": "1934-12"})
    outcomes = model.run()
    contenders = model.config.succession.contenders
    start = model.config.world.line
    # The line of month m is that of the leader at the end of month m - 1 (the succession
    # changes the leader after the world's step), or the line he found.
    for before, row in zip(outcomes.itertuples(), outcomes.iloc[1:].itertuples(), strict=False):
        turns = contenders[before.leader].disposition.foreign if before.leader in contenders else ()
        found = start.model_copy(
            update={"export": before.foreign_export, "left_division": before.left_division}
        )
        expected = leader_line(start, turns, parse_month(row.month), found)
        assert (row.foreign_export, row.left_division) == (expected.export, expected.left_division)


def test_with_the_leaders_line_a_world_event_sets_pacts_only():
    event = {"month": "1930-01", "kind": "world", "export": 0.5}
    with pytest.raises(ScenarioError, match="line_from_leader"):
        load_scenario("succession_world", {"events": [event]})
    pact = {"month": "1930-01", "kind": "world", "pacts": ["poland"]}
    assert load_scenario("succession_world", {"events": [pact]}).events[0].pacts == ("poland",)


def test_the_switch_off_adds_no_column_and_leaves_the_foreign_guesses_idle():
    off = load_scenario("historical_world")
    on = load_scenario("succession_world")
    key = "succession.contenders.trotsky.disposition.foreign.0.export"
    assert key in off.guesses and key not in guesses_in_use(off)
    assert key not in guesses_in_use(load_scenario("historical"))
    assert key in guesses_in_use(on)
    drawn_scenario, drawn = with_drawn_guesses(on, seed=1, replicate=0)
    assert 0.3 <= drawn[key] <= 0.8
    assert (
        drawn_scenario.succession.contenders["trotsky"].disposition.foreign[0].export == drawn[key]
    )
    model = PartyModel("historical_world", seed=1, overrides={**SMALL, "end": "1924-03"})
    assert "foreign_export" not in model.outcome_columns()
    assert "wars_ended" in model.outcome_columns()  # the shipped world ends its wars
    no_end = {**SMALL, "end": "1924-03", "world.rules.war_end": False}
    model = PartyModel("historical_world", seed=1, overrides=no_end)
    assert "wars_ended" not in model.outcome_columns()
