"""The world's faces: its outcomes with intervals, the replayed world, its maps."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from conftest import small_model

from simulation.cli.compare import WORLD_BAND_FIGURES, band_figures
from simulation.cli.main import main
from simulation.reporting import summary
from simulation.reporting.report import world_section
from simulation.reporting.world import (
    ANY_WAR,
    FIRST_WAR,
    WAR_WON,
    WORLD_DATES,
    first_war_years,
    has_world,
    replay_world,
    state_shares,
    world_summary,
    world_table,
)
from simulation.scenario import load_scenario
from simulation.scenario.calendar import month_range, parse_month


def runs_table(wars: dict[int, str | None], scenario: str = "a") -> pd.DataFrame:
    """A replicate table of the world's columns: run ``k`` at war from ``wars[k]`` (or never)."""
    months = [str(m) for m in month_range(parse_month("1930-01"), parse_month("1949-12"))]
    frames = []
    for replicate, start in wars.items():
        frame = pd.DataFrame({"month": months, "scenario": scenario})
        frame["replicate"], frame["seed"] = replicate, 100 + replicate
        frame["at_war"] = (frame["month"] >= start).astype(int) if start else 0
        frame["communist_states"] = 1 + replicate * (frame["month"] >= "1945-01")
        frame["hostility_mean"], frame["world_threat"] = 0.5, 0.2 + 0.1 * replicate
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_the_first_war_is_the_first_month_at_war_as_a_decimal_year():
    years = first_war_years(runs_table({0: "1941-07", 1: "1939-01", 2: None}))
    assert years["first_war"].iloc[0] == pytest.approx(1941.5)
    assert years["first_war"].iloc[1] == 1939.0
    assert math.isnan(years["first_war"].iloc[2])


def test_the_world_summary_counts_states_at_dates_and_wars_with_their_intervals():
    table = world_summary(runs_table({0: "1941-07", 1: "1939-01", 2: None}), level=0.95)
    rows = table.set_index("measure")
    assert list(rows.index[:3]) == [f"communist states, end of {d}" for d in WORLD_DATES]
    assert rows.loc["communist states, end of 1948-12", "mean"] == 2.0  # 1, 2 and 3
    war = rows.loc[ANY_WAR]
    assert (war["n"], war["mean"]) == (3, pytest.approx(2 / 3))
    assert 0 < war["low"] < 2 / 3 < war["high"] < 1  # Wilson's, not a point
    first = rows.loc[FIRST_WAR]
    assert (first["n"], first["mean"]) == (2, pytest.approx(1940.25))
    assert rows.loc["threat fed back to the party, mean over the run", "mean"] == pytest.approx(0.3)


def test_the_world_table_notes_the_runs_without_a_war():
    table = world_table(world_summary(runs_table({0: "1941-07", 1: "1939-01", 2: None})))
    assert table.loc[FIRST_WAR, "a"].endswith("(n=2)")
    assert re.fullmatch(r"1940\.2 \[\d{4}\.\d, \d{4}\.\d\] \(n=2\)", table.loc[FIRST_WAR, "a"])
    assert table.loc[ANY_WAR, "a"].startswith("0.67 [")


def test_the_world_outcomes_are_main_outcomes_only_when_the_runs_hold_them():
    party_only = pd.DataFrame(columns=["openness", "fear"])
    assert summary.main_outcomes(party_only) == ("openness", "fear")
    with_world = pd.DataFrame(columns=["openness", "at_war", "world_threat"])
    assert summary.main_outcomes(with_world) == ("openness", "at_war", "world_threat")
    assert not has_world(party_only) and has_world(with_world)


@pytest.mark.parametrize("seed", [3, 11])
def test_the_replayed_world_is_the_runs_world_country_by_country(seed):
    model = small_model("historical_world", seed=seed, size=200, end="1930-12")
    model.run()
    scenario = load_scenario(
        "historical_world",
        {"population.size": 200, "population.pool_factor": 2.0, "end": "1930-12"},
    )
    pd.testing.assert_frame_equal(replay_world(scenario, seed), model.world.history())


def test_no_world_is_replayed_with_the_layer_off():
    assert replay_world(load_scenario("historical"), 1) is None


def test_state_shares_sum_to_one_per_country():
    scenario = load_scenario("historical_world", {"end": "1934-12"})
    histories = [replay_world(scenario, seed) for seed in (1, 2, 3)]
    shares = state_shares(histories, "1934-01")
    assert list(shares.columns) == ["communist", "right", "other"]
    assert shares.sum(axis=1).to_numpy() == pytest.approx(1.0)
    assert shares.loc["soviet_union", "communist"] == 1.0


def test_dates_the_runs_do_not_hold_are_left_out():
    table = world_summary(runs_table({0: None}), dates=("1925-01", "1948-12"))
    assert "communist states, end of 1925-01" not in set(table["measure"])
    assert "communist states, end of 1948-12" in set(table["measure"])


def test_compare_reports_the_world_with_intervals_and_maps(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sets = ["population.size=200", "population.pool_factor=2", "end=1934-12"]
    arguments = ["compare", "historical_world", "trotsky_world", "--replicates", "2"]
    arguments += [part for item in sets for part in ("--set", item)]
    assert main([*arguments, "--workers", "1"]) == 0
    (out,) = (tmp_path / "results").glob("compare-historical_world-trotsky_world-*")
    summary_table = pd.read_csv(out / "summary.csv")
    assert {"communist_states", "world_threat", "at_war"} <= set(summary_table["outcome"])
    report = (out / "report.md").read_text()
    world = report.split("## The world around the party")[1].split("## Over time")[0]
    assert "| communist states, end of 1933-01 |" in world
    assert f"| {FIRST_WAR} |" in world and f"| {ANY_WAR} |" in world
    for name in ("historical_world", "trotsky_world"):
        assert (out / "figures" / f"world_map_{name}.png").is_file()
        assert f"![The world of {name}, replicate 0](figures/world_map_{name}.png)" in world
    for outcome in ("communist_states", "hostility_mean", "world_threat"):
        assert (out / "figures" / f"{outcome}.png").is_file()
    page = (out / "report.html").read_text()
    assert 'alt="The world of trotsky_world, replicate 0"' in page and "not found" not in page


def test_a_comparison_without_the_world_has_no_world_section():
    assert world_section(None, {}) == []
    assert not set(WORLD_BAND_FIGURES) & set(band_figures([load_scenario("historical")]))
    assert set(WORLD_BAND_FIGURES) <= set(band_figures([load_scenario("historical_world")]))


def test_the_world_summary_adds_the_end_of_wars_and_the_line_only_where_the_runs_hold_them():
    plain = runs_table({0: "1941-07", 1: None}, scenario="plain")
    ended = runs_table({0: "1941-07", 1: "1939-01"}, scenario="ended")
    after = ended["month"] >= "1945-06"
    ended["wars_ended"] = after.astype(int) * (1 + ended["replicate"])
    ended["wars_won"] = after.astype(int) * ended["replicate"]
    ended["postwar_governments"] = after.astype(int) * 2 * ended["replicate"]
    ended["foreign_export"], ended["left_division"] = 0.1 + 0.2 * ended["replicate"], 1.0
    table = world_summary(pd.concat([plain, ended], ignore_index=True))
    rows = table.set_index(["scenario", "measure"])
    assert rows.loc[("ended", "wars ended by the end of the run"), "mean"] == 1.5
    made = "communist governments made at a war's end, by the end of the run"
    assert rows.loc[("ended", made), "mean"] == 1.0
    won = rows.loc[("ended", WAR_WON)]
    assert (won["n"], won["mean"]) == (2, 0.5) and 0 < won["low"] < 0.5 < won["high"] < 1
    export = rows.loc[("ended", "export of revolution, mean over the run"), "mean"]
    assert export == pytest.approx(0.2)
    assert not any(measure in (made, WAR_WON) for measure in rows.loc["plain"].index)
