"""The world layer: the threshold cascade, the monthly rules, the World, its data and its map."""

from __future__ import annotations

import csv
import shutil

import matplotlib
import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simulation.shipped import shipped_folder
from simulation.world import (
    Country,
    Crisis,
    ForeignLine,
    World,
    WorldDataError,
    WorldParameters,
    cascade,
    cascade_round,
    load_world_data,
)
from simulation.world.data import FIGURES_FILE, NEIGHBOURS_FILE, ROSTER_FILE, STATUSES
from simulation.world.map import recorded_states, states_at, world_map_figure
from simulation.world.rules import drift, relative_size, right_takes_power

matplotlib.use("Agg")

DATA = shipped_folder("data")


def line_graph(n: int) -> np.ndarray:
    return nx.to_numpy_array(nx.path_graph(n))


def run_cascade(weights, thresholds, readiness=None, active=None, contagion=1.0):
    n = len(thresholds)
    readiness = np.zeros(n) if readiness is None else np.asarray(readiness, dtype=float)
    active = np.zeros(n, dtype=bool) if active is None else np.asarray(active)
    final = cascade(active, weights, readiness, np.asarray(thresholds, float), contagion)
    return set(np.flatnonzero(final).tolist())


# The cascade on small graphs with known outcomes.


def test_granovetter_riot_thresholds_zero_to_n_cascade_fully():
    weights = nx.to_numpy_array(nx.complete_graph(8))
    assert run_cascade(weights, range(8)) == set(range(8))


def test_granovetter_riot_one_raised_threshold_stops_at_the_instigator():
    # Granovetter (1978): 0, 1, 2, ... riots to the end; with the 1 raised to 2 only 0 acts.
    weights = nx.to_numpy_array(nx.complete_graph(8))
    assert run_cascade(weights, [0, 2, 2, 3, 4, 5, 6, 7]) == {0}


def test_line_cascades_from_one_end_and_one_raised_threshold_stops_it():
    weights = line_graph(6)
    assert run_cascade(weights, [0, 1, 1, 1, 1, 1]) == set(range(6))
    assert run_cascade(weights, [0, 1, 1, 2, 1, 1]) == {0, 1, 2}


def test_one_round_reaches_only_the_next_country():
    weights = line_graph(4)
    thresholds = np.array([0.0, 1, 1, 1])
    first = cascade_round(np.zeros(4, bool), weights, np.zeros(4), thresholds, 1.0)
    second = cascade_round(first, weights, np.zeros(4), thresholds, 1.0)
    assert first.tolist() == [True, False, False, False]
    assert second.tolist() == [True, True, False, False]


def test_star_a_leaf_that_rises_carries_the_hub_and_the_hub_the_leaves():
    weights = nx.to_numpy_array(nx.star_graph(5))  # node 0 is the hub
    assert run_cascade(weights, [1, 0, 1, 1, 1, 1]) == set(range(6))
    assert run_cascade(weights, [2, 0, 1, 1, 1, 1]) == {1}


def test_ring_one_raised_threshold_is_reached_from_both_sides():
    weights = nx.to_numpy_array(nx.cycle_graph(6))
    # Node 3 needs two active neighbours: the cascade comes round both ways and reaches it.
    assert run_cascade(weights, [0, 1, 1, 2, 1, 1]) == set(range(6))
    # A threshold of 3 cannot be reached on a ring, and two adjacent 2s stop both fronts.
    assert run_cascade(weights, [0, 1, 1, 3, 1, 1]) == {0, 1, 2, 4, 5}
    assert run_cascade(weights, [0, 1, 1, 2, 2, 1]) == {0, 1, 2, 5}


def test_readiness_and_contagion_lower_the_bar_together():
    weights = line_graph(5)
    thresholds = [0, 1.5, 1.5, 1.5, 1.5]
    assert run_cascade(weights, thresholds, readiness=[0, 0.5, 0.5, 0.5, 0.5]) == set(range(5))
    assert run_cascade(weights, thresholds, readiness=[0, 0.4, 0.4, 0.4, 0.4]) == {0}
    assert run_cascade(weights, thresholds, readiness=[0] + [0.9] * 4, contagion=0.6) == set(
        range(5)
    )


@given(
    st.integers(2, 9).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0, 3), min_size=n, max_size=n),
            st.lists(st.floats(0, 1), min_size=n, max_size=n),
            st.lists(st.booleans(), min_size=n, max_size=n),
            st.integers(0, 2**16),
        )
    ),
    st.floats(0, 1),
)
def test_cascade_ends_at_a_fixed_point_that_keeps_the_active_and_grows_with_contagion(
    case, contagion
):
    thresholds, readiness, active = (np.array(x) for x in case[:3])
    weights = nx.to_numpy_array(nx.gnp_random_graph(thresholds.size, 0.5, seed=case[3]))
    final = cascade(active, weights, readiness, thresholds, contagion)
    assert np.all(final[active])
    again = cascade_round(final, weights, readiness, thresholds, contagion)
    assert np.array_equal(again, final)
    stronger = cascade(active, weights, readiness, thresholds, contagion + 0.5)
    assert np.all(stronger[final])


# The other rules.


def test_drift_closes_its_share_of_the_gap():
    assert drift(np.array([0.0, 1.0]), np.array([1.0, 0.0]), 0.25).tolist() == [0.25, 0.75]


def test_a_divided_left_lowers_the_rights_bar():
    right = np.array([0.32, 0.36, 0.45])
    assert right_takes_power(right, 0.4, 0.0).tolist() == [False, False, True]
    assert right_takes_power(right, 0.4, 0.05).tolist() == [False, True, True]


def test_relative_size_counts_only_communist_neighbours():
    weights = line_graph(3)
    size = np.array([100.0, 50.0, 150.0])
    share = relative_size(size, weights, np.array([True, False, False]))
    assert share.tolist() == pytest.approx([100 / 100, 50 / 150, 1.0])


# The World.


@pytest.fixture(scope="module")
def data():
    return load_world_data()


def test_countries_are_mesa_agents_on_a_networkx_graph(data):
    world = World(seed=1, data=data)
    assert len(world.agents) == len(data.countries) == 32
    assert all(isinstance(agent, Country) for agent in world.agents)
    assert set(world.graph.nodes) == set(data.countries)
    assert world.graph.number_of_edges() == len(data.edges)
    assert world.graph["soviet_union"]["poland"]["weight"] == 1.0
    assert world.graph["united_kingdom"]["france"]["weight"] == 0.5


def test_initial_states_follow_the_record(data):
    world = World(seed=1, start="1923-01", data=data)
    state = {c.code: c.state for c in world.countries}
    assert state["soviet_union"] == "communist"
    assert state["italy"] == state["hungary"] == "right"
    assert state["germany"] == state["spain"] == "other"
    later = {c.code: c for c in World(seed=1, start="1934-01", data=data).countries}
    assert later["germany"].state == "right"
    assert later["germany"].strength == pytest.approx(0.123)  # KPD, March 1933
    assert later["spain"].state == "other"  # the Republic of 1931


def test_same_seed_same_run_and_another_seed_another(data):
    line = ForeignLine(export=0.5, left_division=1.0)
    first = World(seed=7, data=data).run("1930-12", line)
    again = World(seed=7, data=data).run("1930-12", line)
    other = World(seed=8, data=data).run("1930-12", line)
    assert first.equals(again)
    assert not first["readiness"].equals(other["readiness"])


def last_month(history):
    return history[history["month"] == history["month"].max()].set_index("country")


def test_export_raises_hostility_everywhere_and_readiness_only_next_door(data):
    quiet = last_month(World(seed=3, start="1924-01", data=data).run("1924-12"))
    loud = last_month(
        World(seed=3, start="1924-01", data=data).run("1924-12", ForeignLine(export=1))
    )
    free = quiet["state"] != "communist"
    assert (loud.loc[free, "hostility"] > quiet.loc[free, "hostility"]).all()
    assert loud.loc["finland", "readiness"] > quiet.loc["finland", "readiness"]
    assert loud.loc["portugal", "readiness"] == quiet.loc["portugal", "readiness"]


def test_class_against_class_brings_the_german_right_to_power_sooner(data):
    def seizure(line):
        history = World(seed=0, data=data).run("1936-12", line)
        german = history[(history["country"] == "germany") & (history["state"] == "right")]
        return german["month"].min()

    united, divided = seizure(ForeignLine()), seizure(ForeignLine(left_division=1.0))
    assert divided < united


def test_a_full_contagion_carries_revolution_one_ring_of_neighbours_a_month(data):
    # Every bar at 1 and each communist neighbour worth 1: readiness alone (below 1) raises
    # no one, a communist neighbour raises anyone.
    parameters = WorldParameters(threshold_mean=1.0, threshold_sd=0.0, contagion=1.0, crises=())
    world = World(parameters, seed=1, data=data)
    world.step()
    risen = {c.code for c in world.countries if c.communist}
    assert risen == {"soviet_union"} | set(world.graph["soviet_union"])


def test_war_breaks_out_next_door_at_a_low_threshold_and_never_at_a_high_one(data):
    eager = World(WorldParameters(war_threshold=0.0), seed=1, data=data)
    eager.step()
    assert {c.code for c in eager.countries if c.at_war} == set(eager.graph["soviet_union"])
    never = World(WorldParameters(war_threshold=5.0), seed=1, data=data)
    assert not never.run("1945-12")["at_war"].any()


def test_parameters_are_frozen_strict_and_shocks_name_real_months_and_countries(data):
    with pytest.raises(ValidationError, match="extra"):
        WorldParameters(contagon=0.2)
    with pytest.raises(ValidationError, match="months run from 01 to 12"):
        Crisis(name="x", start="1929-13", months=3, strength=0.1)
    with pytest.raises(ValidationError):
        WorldParameters(contagion="0.2")
    prussia = Crisis(name="x", start="1929-10", months=3, strength=0.1, countries=("prussia",))
    with pytest.raises(ValidationError, match=r"crises\.0\.countries: 'prussia' is not a country"):
        WorldParameters(crises=(prussia,))
    # The World checks again against its own data (which may not be the shipped roster).
    bad = WorldParameters.model_construct(crises=(prussia,))
    with pytest.raises(ValueError, match="'prussia', not a country of the world"):
        World(bad, data=data)


# The data files.


def test_every_figure_and_neighbour_row_has_a_source_with_a_status():
    for name in (FIGURES_FILE, NEIGHBOURS_FILE):
        with (DATA / name).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows
        assert all(row["source"].startswith(STATUSES) for row in rows), name


def test_neighbours_are_symmetric_and_connect_every_country(data):
    weights = data.weights(sea_weight=0.5)
    assert np.array_equal(weights, weights.T)
    assert np.all(np.diag(weights) == 0)
    pairs = [frozenset((edge.country, edge.other)) for edge in data.edges]
    assert len(pairs) == len(set(pairs))
    assert nx.is_connected(nx.from_numpy_array(weights))


def test_tiles_are_distinct_and_the_figures_checked_against_sources(data):
    assert len({(tile.col, tile.row) for tile in data.tiles}) == len(data.tiles)
    kpd = [figure.value for figure in data.series("germany", "communist_vote_pct")]
    assert kpd == [12.6, 8.9, 10.6, 13.1, 14.3, 16.9, 12.3]


def test_the_data_readme_describes_every_world_file():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in (FIGURES_FILE, NEIGHBOURS_FILE, ROSTER_FILE):
        assert f"`{name}`" in readme


def broken_copy(tmp_path, name, replace):
    for file in (FIGURES_FILE, NEIGHBOURS_FILE, ROSTER_FILE):
        shutil.copy(DATA / file, tmp_path / file)
    path = tmp_path / name
    old, new = replace
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "replace", "message"),
    [
        (FIGURES_FILE, ('"[V] Wahlplakate', '"Wahlplakate'), r"countries.csv: line \d+: source"),
        (FIGURES_FILE, ("germany,communist_vote_pct", "prussia,communist_vote_pct"), "prussia"),
        (FIGURES_FILE, ("germany,communist_vote_pct", "germany,votes"), "metric: 'votes'"),
        (NEIGHBOURS_FILE, ("latvia,lithuania,land", "latvia,estonia,land"), "listed twice"),
        (NEIGHBOURS_FILE, ("estonia,latvia,land", "estonia,latvia,air"), "kind: 'air'"),
        (ROSTER_FILE, ("norway,Norway,NOR,europe", "norway,Norway,NOR,empire"), "role"),
    ],
)
def test_a_broken_file_is_refused_naming_file_line_and_column(tmp_path, name, replace, message):
    folder = broken_copy(tmp_path, name, replace)
    with pytest.raises(WorldDataError, match=message):
        load_world_data(folder)


# The map.


def test_the_map_draws_offline_one_panel_per_month_coloured_by_state(data, tmp_path):
    history = World(seed=2, data=data).run("1934-12")
    figure = world_map_figure(history, ["1923-01", "1934-12"], data=data)
    assert len(figure.axes) == 2
    first = {patch.get_label(): patch for patch in figure.axes[0].patches}
    assert first["soviet_union"].get_gid() == "soviet_union:communist"
    assert first["italy"].get_gid() == "italy:right"
    assert first["france"].get_gid() == "france:other"
    states, _ = states_at(history, "1934-12")
    last = {patch.get_label(): patch.get_gid() for patch in figure.axes[1].patches}
    assert last == {country: f"{country}:{state}" for country, state in states.items()}
    figure.savefig(tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 10_000


def test_the_map_refuses_a_month_the_run_did_not_record(data):
    history = World(seed=2, data=data).run("1923-06")
    with pytest.raises(ValueError, match="month 1950-01 is not in the run"):
        world_map_figure(history, ["1950-01"], data=data)


def test_the_recorded_map_of_1948_has_the_eastern_bloc(data):
    states = recorded_states(data, "1948-06")
    communist = {country for country, state in states.items() if state == "communist"}
    assert communist == {
        "soviet_union", "yugoslavia", "albania", "bulgaria", "poland", "romania", "czechoslovakia",
    }  # fmt: skip
