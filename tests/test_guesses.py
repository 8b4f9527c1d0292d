"""Guesses with ranges, drawn per replicate (docs/ODD.md 5.6)."""

from __future__ import annotations

import argparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.cli import sensitivity as sensitivity_command
from simulation.cli.main import main
from simulation.experiment.guesses import draw_guesses, with_drawn_guesses
from simulation.experiment.runs import replicate_specs
from simulation.scenario import ScenarioError, list_scenarios, load_scenario, resolve_scenario
from simulation.scenario.schema import NO_SETTING, Guess, guesses_in_use, setting_at

LOCALITY = "network.locality"


@given(
    low=st.floats(-5, 5),
    width=st.floats(1e-6, 10),
    seed=st.integers(0, 2**32),
    replicate=st.integers(0, 1000),
)
@settings(max_examples=200, deadline=None)
def test_a_draw_lies_in_its_range(low, width, seed, replicate):
    guess = Guess(low=low, high=low + width)
    value = draw_guesses({"a.b": guess}, seed, replicate)["a.b"]
    assert guess.low <= value <= guess.high


def test_a_draw_depends_on_seed_replicate_and_key_only():
    one = Guess(low=0.0, high=1.0)
    alone = draw_guesses({"x": one}, 7, 3)["x"]
    together = draw_guesses({"y": one, "x": one, "z": one}, 7, 3)
    assert together["x"] == alone  # other guesses change no draw
    assert together["y"] != alone  # each key its own draw
    assert draw_guesses({"x": one}, 7, 4)["x"] != alone
    assert draw_guesses({"x": one}, 8, 3)["x"] != alone
    # Pinned: the draw is the same in every process and on every machine.
    assert alone == 0.9720687360016166


def test_draws_spread_uniformly_over_the_range():
    guess = {"k": Guess(low=0.5, high=0.9)}
    values = [draw_guesses(guess, 1, k)["k"] for k in range(2000)]
    # Uniform on [0.5, 0.9]: mean 0.7, sd 0.115; the mean of 2000 is within 0.008 (3 sd).
    assert sum(values) / len(values) == pytest.approx(0.7, abs=0.008)
    assert min(values) < 0.51 and max(values) > 0.89


def test_shipped_guesses_name_numbers_set_inside_their_ranges():
    seen = 0
    for name, _, _ in list_scenarios():
        scenario = load_scenario(name)
        data = scenario.model_dump(mode="python")
        in_use = guesses_in_use(scenario)
        for key, guess in scenario.guesses.items():
            value = setting_at(data, key)
            if value is NO_SETTING:  # only the world's, in a scenario without the world
                assert key.startswith("world.") and scenario.world is None, (name, key)
                assert key not in in_use, (name, key)
                continue
            assert guess.low <= value <= guess.high, (name, key, value)
            assert guess.note, (name, key)
            seen += 1
    assert seen >= 8


def test_replicates_run_with_drawn_guesses_shared_across_scenarios():
    historical, trotsky = load_scenario("historical"), load_scenario("trotsky_fixed")
    specs = replicate_specs([historical, trotsky], 3, seed=5, draw_guesses=True)
    by_replicate = {}
    for spec in specs:
        value = setting_at(spec.scenario.model_dump(mode="python"), LOCALITY)
        assert spec.parameters[LOCALITY] == value
        assert 0.5 <= value <= 0.9
        by_replicate.setdefault(spec.replicate, set()).add(value)
    # The same draw for both scenarios in a replicate; different draws between replicates.
    assert all(len(values) == 1 for values in by_replicate.values())
    assert len({next(iter(v)) for v in by_replicate.values()}) == 3
    assert "policy.tolerance" in specs[-1].parameters  # trotsky's own guess
    assert "policy.tolerance" not in specs[0].parameters


def test_without_the_option_the_scenario_values_run():
    historical = load_scenario("historical")
    specs = replicate_specs([historical], 2, seed=5)
    assert all(spec.scenario is historical and not spec.parameters for spec in specs)


def test_whole_number_guesses_are_rounded():
    scenario = resolve_scenario(
        "base", {"guesses": {"population.size": {"low": 100, "high": 200, "note": "test"}}}
    )
    drawn, values = with_drawn_guesses(scenario, 1, 0)
    assert isinstance(values["population.size"], int)
    assert drawn.population.size == values["population.size"]


def test_a_guess_naming_no_setting_is_refused_when_drawn():
    scenario = resolve_scenario("base", {"guesses": {"network.nowhere": {"low": 0, "high": 1}}})
    with pytest.raises(ScenarioError, match=r"guesses\.network\.nowhere: names no setting"):
        with_drawn_guesses(scenario, 1, 0)
    with pytest.raises(ScenarioError, match="names no setting"):
        replicate_specs([scenario], 1, seed=1, draw_guesses=True)


@pytest.mark.parametrize(
    ("guess", "message"),
    [
        ({LOCALITY: {"low": 0.3, "high": 0.2}}, "must lie below high"),
        ({"network.kind": {"low": 0.1, "high": 0.2}}, "must name a number"),
    ],
)
def test_a_bad_guess_is_refused(guess, message):
    with pytest.raises(ScenarioError, match=message):
        resolve_scenario("base", {"guesses": guess})


def test_draw_guesses_without_any_guess_is_a_usage_error(tmp_path, capsys):
    code = main(
        ["compare", "deffuant", "hegselmann_krause", "--replicates", "2", "--draw-guesses",
         "--out", str(tmp_path / "out")]
    )  # fmt: skip
    assert code == 2
    assert "--draw-guesses" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_sensitivity_takes_the_guesses_as_factors():
    options = argparse.Namespace(
        outcomes=["openness"], statistic="final", params=[f"{LOCALITY}=0.6:0.8"], guesses=True,
        method="morris", samples=2, replicates=1, executor="serial", workers=1,
        allow_large=False, seed=0,
    )  # fmt: skip
    planned = sensitivity_command.plan_design(options, load_scenario("trotsky_fixed"))
    names = planned.problem["names"]
    trotsky = load_scenario("trotsky_fixed")
    assert set(names) == set(guesses_in_use(trotsky))
    # The contenders' dispositions are guesses of base, idle without the succession layer.
    assert not any(name.startswith("succession.") for name in names)
    assert any(key.startswith("succession.") for key in trotsky.guesses)
    assert planned.problem["bounds"][names.index(LOCALITY)] == [0.6, 0.8]  # --param wins


def test_guesses_inside_a_switched_off_layer_are_not_drawn():
    historical = load_scenario("historical_fixed")  # the succession layer off
    _, values = with_drawn_guesses(historical, 1, 0)
    assert values and not any(key.startswith("succession.") for key in values)
    policy = load_scenario("succession_policy")  # on: the dispositions are drawn
    _, values = with_drawn_guesses(policy, 1, 0)
    assert "succession.contenders.trotsky.disposition.adamancy" in values


WORLD_GUESSES = 20


@pytest.mark.parametrize(
    "name",
    [
        "historical_world",
        "trotsky_world",
        "historical_world_united_front",
        "trotsky_world_one_country",
        "historical_world_postwar",
    ],
)
def test_the_world_scenarios_draw_the_worlds_guesses_inside_their_ranges(name):
    scenario = load_scenario(name)
    world = {
        key: guess for key, guess in guesses_in_use(scenario).items() if key.startswith("world.")
    }
    assert len(world) == WORLD_GUESSES
    data = scenario.model_dump(mode="python")
    for key, guess in world.items():
        value = setting_at(data, key)
        assert isinstance(value, float) and guess.low < value < guess.high, (key, value)
    drawn, values = with_drawn_guesses(scenario, 7, 3)
    assert set(world) <= set(values)
    assert drawn.world.rules.threshold_mean == pytest.approx(values["world.rules.threshold_mean"])
    assert drawn.world.threat_war == pytest.approx(values["world.threat_war"])
    assert drawn.world.rules.threshold_mean != scenario.world.rules.threshold_mean


def test_a_scenario_without_the_world_draws_none_of_its_guesses():
    scenario = load_scenario("historical")
    assert any(key.startswith("world.") for key in scenario.guesses)
    _, values = with_drawn_guesses(scenario, 7, 3)
    assert values and not any(key.startswith("world.") for key in values)
