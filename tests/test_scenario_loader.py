"""Scenario files: loading, extends, overrides, round trips and one-line errors."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from simulation.scenario import (
    Scenario,
    ScenarioError,
    find_scenario,
    list_scenarios,
    load_scenario,
    parse_override,
    resolved_toml,
)
from simulation.scenario.schema import CampaignEvent, ShockEvent

SHIPPED = [name for name, _, _ in list_scenarios()]
CLASSICS = ("deffuant", "hegselmann_krause", "daymude")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


PARENT = """
name = "parent"
description = "a parent"
start = "1924-01"
end = "1930-12"

[population]
size = 500

[policy]
tolerance = 0.3
surveillance = 0.2

[policy.ladder]
imprisonment = 7.0

[leadership]
leader = "a"

[leadership.leaders.a]
title = "A"

[leadership.leaders.b]
title = "B"

[[events]]
month = "1925-01"
kind = "shock"
size = 0.1

[[events]]
month = "1926-01"
kind = "campaign"
quota = 0.05
months = 2
"""


@pytest.fixture
def parent(tmp_path):
    return write(tmp_path, "parent", PARENT)


def child(tmp_path, body, name="child"):
    return write(tmp_path, name, 'extends = "parent"\n' + body)


def error_of(path_or_name, overrides=()):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path_or_name, overrides)
    text = str(caught.value)
    assert "\n" not in text, "a scenario error is one line"
    return caught.value, text


# ---------------------------------------------------------------------------- shipped files
@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_loads(name):
    scenario = load_scenario(name)
    assert isinstance(scenario, Scenario)
    assert scenario.name == name
    assert scenario.description
    assert scenario.months > 0


def test_shipped_scenarios_include_the_classics_and_the_leaderships():
    assert {"base", "historical", "trotsky", "trotsky_hardens", *CLASSICS} <= set(SHIPPED)


@pytest.mark.parametrize("name", CLASSICS)
def test_classic_scenarios_switch_everything_but_their_mechanism_off(name):
    s = load_scenario(name)
    assert s.network.kind == "complete"
    assert s.events == ()
    assert s.reality.signal_weight == 0 and s.reality.drift_sd == 0
    assert s.debate.line_pull == 0 and s.debate.anchor == 0
    assert s.voice.fear_weight == 0 and s.voice.social_proof == 0
    assert s.policy.recruitment == 0 and s.population.attrition == 0
    assert all(math.isinf(v) for v in s.policy.ladder.model_dump().values())
    assert not s.leadership.leaders[s.leadership.leader].hardening.enabled
    assert s.leadership.leaders[s.leadership.leader].adaptation == 0
    text = find_scenario(name).read_text(encoding="utf-8")
    assert "switched off" in text  # the file says what is off, and cites its source
    assert "(20" in text


@pytest.mark.parametrize("name", SHIPPED)
def test_resolved_toml_round_trips(name, tmp_path):
    original = load_scenario(name)
    text = resolved_toml(original)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path) == original
    assert "extends" not in tomllib.loads(text)


def test_resolved_toml_keeps_infinity_and_overrides(tmp_path):
    original = load_scenario("historical", ["policy.ladder.imprisonment=inf", "events.2.note=x"])
    path = tmp_path / "resolved.toml"
    path.write_text(resolved_toml(original), encoding="utf-8")
    back = load_scenario(path)
    assert back == original
    assert math.isinf(back.policy.ladder.imprisonment)
    assert back.events[2].note == "x"


# ---------------------------------------------------------------------------- extends
def test_extends_merges_tables_and_appends_events(tmp_path, parent):
    path = child(
        tmp_path,
        """
[policy]
tolerance = 0.1

[policy.ladder]
execution = 9.0

[[events]]
month = "1927-01"
kind = "leader"
successor = "b"
""",
    )
    s = load_scenario(path)
    assert s.name == "child"  # named after its own file unless it says otherwise
    assert s.description == "a parent"
    assert s.population.size == 500  # inherited
    assert s.policy.tolerance == 0.1  # overridden
    assert s.policy.surveillance == 0.2  # merged key by key, not replaced wholesale
    assert s.policy.ladder.imprisonment == 7.0
    assert s.policy.ladder.execution == 9.0
    assert [e.kind for e in s.events] == ["shock", "campaign", "leader"]
    assert s.events[2].successor == "b"


def test_inherit_events_false_drops_the_parents_timeline(tmp_path, parent):
    path = child(
        tmp_path,
        """
inherit_events = false
[[events]]
month = "1928-01"
kind = "shock"
size = -0.2
""",
    )
    s = load_scenario(path)
    assert len(s.events) == 1
    assert isinstance(s.events[0], ShockEvent)
    assert s.events[0].size == -0.2


def test_extends_chain_of_three(tmp_path, parent):
    child(tmp_path, "[policy]\ntolerance = 0.1\n")
    grandchild = write(tmp_path, "grandchild", 'extends = "child"\n[policy]\nseverity = 3.0\n')
    s = load_scenario(grandchild)
    assert (s.policy.tolerance, s.policy.surveillance, s.policy.severity) == (0.1, 0.2, 3.0)
    assert s.name == "grandchild"
    assert len(s.events) == 2


def test_extends_a_shipped_scenario_by_name(tmp_path):
    path = write(tmp_path, "mine", 'extends = "trotsky"\n[policy]\ntolerance = 0.5\n')
    s = load_scenario(path)
    trotsky = load_scenario("trotsky")
    assert s.policy.tolerance == 0.5
    assert s.leadership == trotsky.leadership
    assert s.events == trotsky.events


# ---------------------------------------------------------------------------- overrides
def test_overrides_by_key_value_strings(parent):
    s = load_scenario(
        parent,
        [
            "policy.tolerance=0.4",
            "leadership.leader=b",
            "leadership.leader = a",
            "debate.model=none",
            "policy.ladder.execution=inf",
            "population.tiers.visibility=[1.0, 1.0, 1.0, 1.0]",
            "events.1.quota=0.2",
            "events.0.note=famine",
        ],
    )
    assert s.policy.tolerance == 0.4
    assert s.leadership.leader == "a"  # later overrides win
    assert s.debate.model == "none"  # a bare word is kept as text
    assert math.isinf(s.policy.ladder.execution)
    assert s.population.tiers.visibility == (1.0, 1.0, 1.0, 1.0)
    assert isinstance(s.events[1], CampaignEvent)
    assert s.events[1].quota == 0.2
    assert s.events[0].note == "famine"
    # The file itself is unchanged for the next reader.
    assert load_scenario(parent).events[1].quota == 0.05


def test_overrides_as_a_mapping(parent):
    s = load_scenario(parent, {"policy.severity": 2.5, "events.0.size": -0.5})
    assert s.policy.severity == 2.5
    assert s.events[0].size == -0.5


def test_parse_override():
    assert parse_override("policy.tolerance=0.4") == ("policy.tolerance", 0.4)
    assert parse_override("a.b = true") == ("a.b", True)
    assert parse_override("leadership.leader=trotsky") == ("leadership.leader", "trotsky")
    assert parse_override('name="x = y"') == ("name", "x = y")
    assert parse_override("x=[1, 2]") == ("x", [1, 2])
    with pytest.raises(ScenarioError, match=r"KEY\.PATH=VALUE"):
        parse_override("policy.tolerance")


def test_shortening_the_run_drops_later_events(parent):
    s = load_scenario(parent, ["end=1925-06"])
    assert s.end == "1925-06"
    assert [e.month for e in s.events] == ["1925-01"]
    historical = load_scenario("historical", {"end": "1927-12"})
    assert all(e.month <= "1927-12" for e in historical.events)
    assert len(historical.events) < len(load_scenario("historical").events)


# ---------------------------------------------------------------------------- errors
def test_error_unknown_key_suggests_the_nearest_name(tmp_path, parent):
    path = child(tmp_path, "[policy]\ntolerence = 0.3\n")
    error, text = error_of(path)
    assert str(path) in text
    assert error.key == "policy.tolerence"
    assert "did you mean 'tolerance'?" in text
    assert "allowed:" in text and "surveillance" in text


def test_error_unknown_key_inside_an_event(parent):
    error, text = error_of(parent, ["events.1.quotaa=0.1"])
    assert error.key == "events.1.quotaa"
    assert "did you mean 'quota'?" in text
    assert "random_share" in text  # the campaign's own fields are listed
    error, text = error_of(parent, ["events.0.sise=0.1"])
    assert "did you mean 'size'?" in text


def test_error_unknown_field_in_a_policy_event(tmp_path, parent):
    path = child(
        tmp_path, '[[events]]\nmonth = "1927-01"\nkind = "policy"\nset = { tolerence = 0.1 }\n'
    )
    error, text = error_of(path)
    assert str(path) in text
    assert error.key == "events.0.set.tolerence"  # numbered in the child file, not after base's
    assert "did you mean 'tolerance'?" in text


def test_error_unknown_top_level_key(tmp_path, parent):
    error, text = error_of(child(tmp_path, 'nmae = "x"\n'))
    assert error.key == "nmae"
    assert "did you mean 'name'?" in text


def test_error_wrong_type(tmp_path, parent):
    path = child(tmp_path, '[policy]\ntolerance = "high"\n')
    _, text = error_of(path)
    assert (
        text
        == f'{path}: policy.tolerance: "high" is text; allowed: a number, written without quotes'
    )


def test_error_out_of_range(tmp_path, parent):
    path = child(tmp_path, "[policy]\ntolerance = 1.5\n")
    error, text = error_of(path)
    assert text == f"{path}: policy.tolerance: 1.5 is out of range; allowed: <= 1.0"
    error, text = error_of(parent, ["population.size=3"])
    assert error.source == "--set population.size"
    assert "3 is out of range; allowed: >= 10" in text


def test_error_wrong_literal(parent):
    error, text = error_of(parent, ["debate.model=voter"])
    assert error.key == "debate.model"
    assert "'voter' is not allowed" in text and "deffuant" in text


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ('start = "1924-13"\n', "start", "'1924-13' has month 13; months run from 01 to 12"),
        ('end = "1930-6"\n', "end", "'1930-6' is not a month; write it as YYYY-MM"),
        (
            '[[events]]\nmonth = "1927-00"\nkind = "shock"\nsize = 0.1\n',
            "events.0.month",
            "'1927-00' has month 0",
        ),
        (
            '[[events]]\nmonth = "1927"\nkind = "shock"\nsize = 0.1\n',
            "events.0.month",
            "'1927' is not a month",
        ),
    ],
)
def test_error_bad_month(tmp_path, parent, body, key, message):
    path = child(tmp_path, body)
    error, text = error_of(path)
    assert error.key == key
    assert str(path) in text
    assert message in text


def test_error_end_before_start(tmp_path, parent):
    _, text = error_of(child(tmp_path, 'end = "1923-01"\n'))
    assert "end 1923-01 is before start 1924-01" in text


def test_error_event_outside_the_run_period(tmp_path, parent):
    path = child(tmp_path, '[[events]]\nmonth = "1935-01"\nkind = "shock"\nsize = 0.1\n')
    _, text = error_of(path)
    assert str(path) in text
    assert text == f"{path}: events.0.month: 1935-01 lies outside 1924-01..1930-12"


def test_error_unknown_event_kind(tmp_path, parent):
    path = child(tmp_path, '[[events]]\nmonth = "1927-01"\nkind = "coup"\n')
    error, text = error_of(path)
    assert error.key == "events.0.kind"
    assert "kind 'coup' is unknown" in text
    assert "'campaign'" in text and "'amnesty'" in text
    error, text = error_of(child(tmp_path, '[[events]]\nmonth = "1927-01"\n'))
    assert error.key == "events.0.kind"
    assert "is required but missing" in text and "'shock'" in text


def test_error_unknown_successor(tmp_path, parent):
    path = child(tmp_path, '[[events]]\nmonth = "1927-01"\nkind = "leader"\nsuccessor = "c"\n')
    _, text = error_of(path)
    assert str(path) in text
    assert f"{path}: events.0.successor: 'c' is not a leader; allowed: cc_vote, a, b" == text


def test_error_unknown_leader(parent):
    _, text = error_of(parent, ["leadership.leader=lenin"])
    assert "'lenin' is not among leaders" in text and "'a', 'b'" in text


def test_error_unknown_faction(tmp_path, parent):
    path = child(
        tmp_path, '[[events]]\nmonth = "1927-01"\nkind = "campaign"\nquota = 0.1\nfaction = "x"\n'
    )
    _, text = error_of(path)
    assert text.endswith("events.0.faction: 'x' is not a faction; allowed: centre, left, right")


def test_error_faction_shares_not_summing_to_one(tmp_path):
    path = write(tmp_path, "mine", 'extends = "base"\n[population.factions.left]\nshare = 0.5\n')
    error, text = error_of(path)
    assert error.key == "population.factions"
    assert str(path) in text
    assert "faction shares must add up to 1, they add up to 1.35" in text


def test_error_extends_cycle(tmp_path):
    a = write(tmp_path, "a", 'extends = "b"\n')
    write(tmp_path, "b", 'extends = "a"\n')
    error, text = error_of(a)
    assert error.key == "extends"
    assert "cycle: a.toml -> b.toml -> a.toml" in text
    selfish = write(tmp_path, "selfish", 'extends = "selfish"\n')
    assert "cycle" in error_of(selfish)[1]


def test_error_missing_extends_target(tmp_path):
    path = write(tmp_path, "orphan", 'extends = "no_such_parent"\n')
    error, text = error_of(path)
    assert str(path) in text
    assert error.key == "extends"
    assert "'no_such_parent': no such scenario file" in text
    assert "historical" in text  # lists what exists


def test_error_missing_file(tmp_path):
    missing = tmp_path / "nowhere.toml"
    _, text = error_of(missing)
    assert text.startswith(str(missing))
    assert "no such scenario file; shipped scenarios:" in text and "base" in text
    _, text = error_of("no_such_scenario")
    assert text.startswith("no_such_scenario: no such scenario file")


def test_error_invalid_toml(tmp_path):
    path = write(tmp_path, "broken", 'extends = "base"\n[policy\n')
    _, text = error_of(path)
    assert text.startswith(f"{path}: not valid TOML: ")
    assert "line 2" in text


def test_error_in_the_parent_names_the_parent(tmp_path):
    write(tmp_path, "parent", PARENT.replace("tolerance = 0.3", "tolerance = 3.0"))
    path = child(tmp_path, "[policy]\nseverity = 1.0\n")
    error, text = error_of(path)
    assert error.source == str(tmp_path / "parent.toml")
    assert "policy.tolerance: 3.0 is out of range" in text


def test_error_override_names_the_option(parent):
    error, text = error_of(parent, ["policy.tolerance=abc"])
    assert text.startswith('--set policy.tolerance: policy.tolerance: "abc" is text')
    error, text = error_of(parent, ["events.7.quota=0.1"])
    assert error.key == "events.7"
    assert "index must be 0..1" in text
    error, text = error_of(parent, ["policy.tolerance.x=1"])
    assert "is a value, not a table" in text


def test_more_problems_are_counted(tmp_path, parent):
    path = child(tmp_path, "[policy]\ntolerance = 3.0\nsurveillance = 3.0\n")
    error, text = error_of(path)
    assert text.endswith("(and 1 more problem; --all lists them)")
    assert error.lines() == [
        f"{path}: policy.tolerance: 3.0 is out of range; allowed: <= 1.0",
        f"{path}: policy.surveillance: 3.0 is out of range; allowed: <= 1.0",
    ]


def test_error_of_the_whole_file_is_not_blamed_on_an_unrelated_override(tmp_path):
    path = write(tmp_path, "short", 'extends = "historical"\nend = "1940-12"\n')
    _, text = error_of(path)
    assert text.startswith(f"{path}: end: events.1.month of ") and "lies outside" in text
    # The party's size cannot move an event out of the period: the file is still named.
    _, text = error_of(path, ["population.size=300"])
    assert text.startswith(f"{path}: ") and "--set" not in text
