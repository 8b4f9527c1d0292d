"""The world layer wired to the party: the switch, determinism, the feedback loop, the scenarios.

The feedback loop (docs/ODD.md, "The world around the party"): the export of revolution raises
hostility toward the Soviet state, hostility raises the threat, and the threat hardens the
leader's policy when his hardening has ``threat_response > 0``. Each link is checked switched
on and off on one seed. Every model is small (300 members, a few years).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import small_model
from hypothesis import given
from hypothesis import strategies as st

from simulation.cli.main import main
from simulation.experiment.executors import MemoryStore, execute
from simulation.experiment.runs import replicate_specs
from simulation.model.outcomes import OUTCOMES, WORLD_OUTCOMES, WORLD_SWITCHED
from simulation.model.party import PartyModel
from simulation.model.rng import STREAMS, counter_seed, world_seed
from simulation.model.rules.leadership import harden
from simulation.scenario import load_scenario, resolved_toml
from simulation.scenario.schema import Hardening, Policy
from simulation.world.rules import world_threat

WORLD_COLUMNS = [name for name in WORLD_OUTCOMES if name not in WORLD_SWITCHED]
#: The world on, with the shipped guesses and no export, for a few years.
SHORT = {"end": "1927-12"}


def run(config: str = "base", seed: int = 4, **overrides) -> pd.DataFrame:
    return small_model(config, seed=seed, **(SHORT | overrides)).run()


# ---------------------------------------------------------------- the switch


def test_layer_off_when_the_section_is_absent_or_disabled():
    absent = small_model("base", seed=2, **SHORT)
    assert absent.world is None and absent.world_threat == 0.0
    assert not set(WORLD_COLUMNS) & set(absent.outcome_columns())
    disabled = small_model("base", seed=2, world={"enabled": False}, **SHORT)
    assert disabled.world is None
    pd.testing.assert_frame_equal(absent.run(), disabled.run())


def test_new_scenarios_with_the_layer_disabled_are_their_parents_exactly():
    # The threat-only hardening of the world scenarios does nothing without a threat.
    pairs = (("historical_world", "historical_fixed"), ("trotsky_world", "trotsky_fixed"))
    for child, parent in pairs:
        off = run(child, world__enabled=False, end="1929-12")
        pd.testing.assert_frame_equal(off, run(parent, end="1929-12"))


def test_world_seed_is_a_child_of_its_own():
    root = np.random.SeedSequence(5).spawn(len(STREAMS) + 2)
    assert world_seed(5).spawn_key == root[len(STREAMS) + 1].spawn_key
    assert world_seed(5).spawn_key != counter_seed(5).spawn_key


# ---------------------------------------------------------------- determinism


def test_layer_on_same_seed_same_numbers_other_seed_other_world():
    models = [small_model("base", seed=seed, world={}, **SHORT) for seed in (9, 9, 10)]
    first, again, _ = (model.run() for model in models)
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(models[0].world.history(), models[1].world.history())
    assert list(first.columns[-len(WORLD_COLUMNS) :]) == WORLD_COLUMNS
    assert first[WORLD_COLUMNS].notna().all().all()
    # The world's draws (thresholds, monthly news) follow the seed.
    readiness = [model.world.history()["readiness"] for model in (models[0], models[2])]
    assert not np.allclose(*readiness)


def test_layer_on_serial_and_two_workers_agree(tmp_path):
    from simulation.experiment import ExperimentStore

    tiny = {"population.size": 200, "population.pool_factor": 2, "end": "1925-12"}
    specs = replicate_specs([load_scenario("trotsky_world", tiny)], replicates=2, seed=3)
    memory = MemoryStore()
    execute(specs, memory)
    store = ExperimentStore.open(tmp_path / "exp", {"kind": "test", "seed": 3})
    store.plan(specs)
    execute(specs, store, executor="processes", workers=2)
    table = store.load()
    pd.testing.assert_frame_equal(table, memory.load(specs))
    assert "world_threat" in table.columns


# ---------------------------------------------------------------- the feedback loop


def test_export_raises_hostility_and_hostility_the_threat():
    quiet = run(world={"line": {"export": 0.0}})
    exporting = run(world={"line": {"export": 1.0}})
    assert (exporting["hostility_mean"] >= quiet["hostility_mean"]).all()
    assert exporting["hostility_mean"].iloc[-1] > quiet["hostility_mean"].iloc[-1] + 0.05
    assert exporting["world_threat"].iloc[-1] > quiet["world_threat"].iloc[-1] + 0.05


@given(
    hostility=st.floats(0, 1),
    more=st.floats(0, 1),
    at_war=st.booleans(),
    allies=st.integers(0, 30),
)
def test_threat_grows_with_hostility_and_war_and_falls_with_allies(hostility, more, at_war, allies):
    weights = {"hostility_weight": 1.0, "war_weight": 0.5, "ally_weight": 0.1}
    low = world_threat(hostility, at_war, allies, **weights)
    assert 0.0 <= low <= 1.0
    assert world_threat(min(1.0, hostility + more), at_war, allies, **weights) >= low
    assert world_threat(hostility, True, allies, **weights) >= low
    assert world_threat(hostility, at_war, allies + 1, **weights) <= low


def test_threat_hardens_policy_only_with_threat_response():
    policy = Policy(tolerance=0.4, surveillance=0.05, severity=0.3)
    on = Hardening(enabled=True, response=0.0, dissent_target=1.0, threat_response=1.0)
    off = on.model_copy(update={"threat_response": 0.0})
    hard = harden(policy, on, 0.0, world_threat=0.6)
    assert hard.severity > policy.severity and hard.tolerance < policy.tolerance
    assert harden(policy, on, 0.0, world_threat=0.0) == policy
    assert harden(policy, off, 0.0, world_threat=0.6) == policy


def test_the_threat_hardens_the_party_in_a_run():
    changes = {"end": "1929-12", "world.line.export": 1.0}
    on = run("trotsky_world", **changes)
    off = run("trotsky_world", **changes, **{"leadership.leaders.trotsky.hardening": {}})
    assert (off["severity"] == 0.3).all()
    assert on["world_threat"].min() > 0
    assert on["severity"].iloc[-1] > off["severity"].iloc[-1]
    assert on["tolerance"].iloc[-1] < off["tolerance"].iloc[-1]


def test_war_kills_members_only_while_it_lasts():
    # A war threshold of 0: every neighbour of the Soviet state goes to war in the first month.
    war = {"start": "1924-01", "rules": {"war_threshold": 0.0}, "war_months": 6}
    fought = run(world=war)
    assert fought["at_war"].all() and fought["world_threat"].min() >= 0.5
    assert fought["war_dead"].iloc[:6].sum() > 0
    assert (fought["war_dead"].iloc[6:] == 0).all()
    spared = run(world=war | {"war_deaths": 0.0})
    assert (spared["war_dead"] == 0).all()
    assert spared["members_active"].iloc[5] > fought["members_active"].iloc[5]


def test_a_world_event_changes_only_its_fields_from_its_month_on():
    event = {"month": "1924-04", "kind": "world", "left_division": 1.0}
    model = small_model("base", seed=1, world={"line": {"export": 0.2}}, events=[event])
    for _ in range(3):  # 1924-01 .. 1924-03
        model.step()
        assert model.foreign_line.left_division == 0.0
    model.step()
    assert (model.foreign_line.export, model.foreign_line.left_division) == (0.2, 1.0)
    # With the layer switched off the event is accepted and does nothing.
    off = small_model("base", seed=1, world={"enabled": False}, events=[event], end="1924-06")
    off.run()
    assert off.world is None


def test_world_events_change_the_foreign_line():
    model = small_model("historical_world", seed=1, end="1935-09")
    model.run()
    assert model.foreign_line.export == 0.1
    assert model.foreign_line.left_division == 0.0
    early = small_model("historical_world", seed=1, end="1929-01")
    early.run()
    assert early.foreign_line.left_division == 1.0


# ---------------------------------------------------------------- outcomes and scenarios


def test_world_outcomes_are_declared():
    assert not set(WORLD_OUTCOMES) & set(OUTCOMES)
    for entry in WORLD_OUTCOMES.values():
        assert entry.description and entry.title and entry.unit


@pytest.mark.parametrize("name", ["historical_world", "trotsky_world"])
def test_the_world_scenarios_load_and_run(name):
    table = run(name, end="1929-12")
    assert len(table) == 72
    assert table["communist_states"].min() >= 1
    assert table["world_threat"].between(0, 1).all()


def test_a_world_scenario_written_out_reads_back_the_same(tmp_path):
    scenario = load_scenario("historical_world")
    path = tmp_path / "resolved.toml"
    path.write_text(resolved_toml(scenario), encoding="utf-8")
    assert load_scenario(path) == scenario


# ---------------------------------------------------------------- bad input


def error_line(capsys, path) -> str:
    assert main(["show", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[world]\nstart = "1925-01"\n', "world.start 1925-01 is after start 1924-01"),
        (
            '[[events]]\nmonth = "1930-01"\nkind = "world"\nexport = 0.5\n',
            "a world event needs a [world] section",
        ),
        (
            '[world]\n[[events]]\nmonth = "1930-01"\nkind = "world"\n',
            "a world event sets one or more of export, left_division, pacts, collective_security",
        ),
        ("[world.rules]\ncontagon = 0.2\n", "contagon"),
        ("[world.line]\nexport = 1.5\n", "world.line.export"),
        (
            '[[world.rules.crises]]\nname = "x"\nstart = "1930-01"\nmonths = 3\n'
            'strength = 0.5\ncountries = ["atlantis"]\n',
            "crises.0.countries: 'atlantis' is not a country of the world; allowed: norway",
        ),
    ],
)
def test_bad_world_input_is_one_line(tmp_path, capsys, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(f'extends = "base"\nname = "bad"\n{text}', encoding="utf-8")
    line = error_line(capsys, path)
    assert str(path) in line and expected in line


@pytest.mark.parametrize(
    ("name", "export", "left_division"),
    [
        ("historical_world", 0.1, 1.0),  # socialism in one country; class against class
        ("historical_world_united_front", 0.1, 0.3),  # the same without class against class
        ("trotsky_world", 0.5, 0.0),  # permanent revolution; the united front
        ("trotsky_world_one_country", 0.1, 0.0),  # Trotsky at home, the historical export
    ],
)
def test_the_world_variants_change_only_the_foreign_line(name, export, left_division):
    model = PartyModel(name, seed=1, overrides={"population.size": 300, "end": "1933-12"})
    model.run()
    assert (model.foreign_line.export, model.foreign_line.left_division) == (export, left_division)
