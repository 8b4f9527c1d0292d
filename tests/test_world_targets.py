"""The world's history targets: the record's Europe read off a run's world columns."""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.history import scorecard
from simulation.history.targets import evaluate
from simulation.history.world_targets import WORLD_TARGETS, first_war_month
from simulation.scenario.calendar import month_range, parse_month


def world_table(changes: dict[str, list[tuple[str, int]]]) -> pd.DataFrame:
    """A monthly table of the world's columns, each changing at the listed months."""
    months = [str(m) for m in month_range(parse_month("1924-01"), parse_month("1956-02"))]
    table = pd.DataFrame({"month": months, "communist_states": 1, "german_right": 0, "at_war": 0})
    for column, steps in changes.items():
        for month, value in steps:
            table.loc[table["month"] >= month, column] = value
    return table


#: The record: the right in Germany from January 1933, war from June 1941 to May 1945, the
#: communist governments of eastern Europe from 1945 to 1948.
RECORD = {
    "german_right": [("1933-01", 1), ("1945-05", 0)],
    "at_war": [("1941-06", 1), ("1945-05", 0)],
    "communist_states": [
        ("1945-11", 2),
        ("1946-01", 3),
        ("1946-09", 4),
        ("1947-01", 5),
        ("1947-12", 6),
        ("1948-02", 7),
    ],
}


def values(table: pd.DataFrame) -> dict[str, float]:
    return evaluate(table, 3000, WORLD_TARGETS)


def test_the_record_itself_reproduces_every_world_target():
    assert values(world_table(RECORD)) == {t.name: 1.0 for t in WORLD_TARGETS}


def test_a_quiet_world_reproduces_only_the_interwar_targets():
    got = values(world_table({}))
    assert got == {
        "crisis_1923_failed": 1.0,
        "no_communist_europe_interwar": 1.0,
        "german_right_1933": 0.0,
        "war_by_1941": 0.0,
        "eastern_europe_communist_1948": 0.0,
    }


def test_a_revolution_in_1924_fails_the_1923_and_interwar_targets():
    got = values(world_table({**RECORD, "communist_states": [("1924-01", 2)]}))
    assert got["crisis_1923_failed"] == 0.0
    assert got["no_communist_europe_interwar"] == 0.0
    # one revolution abroad, and none after: too few for the post-war order
    assert got["eastern_europe_communist_1948"] == 0.0


def test_a_revolution_after_the_pact_keeps_the_interwar_target():
    got = values(world_table({"communist_states": [("1939-09", 2)]}))
    assert got["no_communist_europe_interwar"] == 1.0


@pytest.mark.parametrize(
    ("month", "expected"), [("1931-12", 0.0), ("1932-01", 1.0), ("1933-12", 1.0), ("1934-01", 0.0)]
)
def test_the_german_right_counts_when_it_first_rules_within_a_year_of_january_1933(month, expected):
    assert values(world_table({"german_right": [(month, 1)]}))["german_right_1933"] == expected


def test_a_right_ruling_germany_from_the_start_is_not_the_seizure_of_1933():
    table = world_table({"german_right": [("1924-01", 1)]})
    assert values(table)["german_right_1933"] == 0.0


@pytest.mark.parametrize(
    ("month", "expected"), [("1939-08", 0.0), ("1939-09", 1.0), ("1941-12", 1.0), ("1942-01", 0.0)]
)
def test_war_counts_when_it_begins_between_september_1939_and_the_end_of_1941(month, expected):
    assert values(world_table({"at_war": [(month, 1)]}))["war_by_1941"] == expected


@pytest.mark.parametrize(("count", "expected"), [(3, 0.0), (4, 1.0)])
def test_the_post_war_order_needs_three_communist_states_besides_the_soviet_one(count, expected):
    table = world_table({"communist_states": [("1948-12", count)]})
    assert values(table)["eastern_europe_communist_1948"] == expected


def test_a_run_without_the_world_does_not_measure_the_world_targets():
    party_only = world_table({}).drop(columns=["communist_states", "german_right", "at_war"])
    chosen = scorecard.measurable(scorecard.CARD_TARGETS, party_only.columns)
    assert not set(WORLD_TARGETS) & set(chosen)


def test_the_world_targets_are_on_the_card_as_shares_of_runs_none_fitted():
    assert set(WORLD_TARGETS) <= set(scorecard.CARD_TARGETS)
    assert all(t.share_of_runs and not t.fitted for t in WORLD_TARGETS)


def test_the_first_war_month_is_the_first_month_at_war():
    assert first_war_month(world_table(RECORD)) == "1941-06"
    assert first_war_month(world_table({})) is None
