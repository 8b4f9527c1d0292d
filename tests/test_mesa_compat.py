"""The model is an ordinary Mesa model: batch_run, DataCollector, agents, steps, rng.

Mesa 3.3 (the newest on Python 3.11) is the reference. Newer Mesa changed batch_run: it takes
seeds through its own ``rng`` argument and writes them into the model's ``seed`` keyword,
overwriting a ``"seed"`` given among the parameters (with ``iterations=1`` every run would get
``seed=None``, a fresh random seed). There the same batch is asked for with ``rng=[1, 2]``.
"""

from __future__ import annotations

import inspect

import mesa
import numpy as np
import pandas as pd
import pytest

from simulation.model.party import PartyModel

PARAMETERS = {
    "config": "base",
    "population__size": 200,
    "population__pool_factor": 1.5,
    "end": "1925-06",
    "seed": [1, 2],
}
MONTHS = 18  # 1924-01 .. 1925-06


#: Newer Mesa's batch_run seeds runs itself through ``rng`` (see the module docstring).
BATCH_RUN_SEEDS_ITSELF = "rng" in inspect.signature(mesa.batch_run).parameters


@pytest.fixture(scope="module")
def batch():
    common = {
        "max_steps": 100,
        "number_processes": 1,
        "data_collection_period": 1,
        "display_progress": False,
    }
    if BATCH_RUN_SEEDS_ITSELF:
        parameters = {k: v for k, v in PARAMETERS.items() if k != "seed"}
        results = mesa.batch_run(
            PartyModel, parameters=parameters, rng=PARAMETERS["seed"], **common
        )
    else:  # exactly the call of the user documentation
        results = mesa.batch_run(PartyModel, parameters=PARAMETERS, iterations=1, **common)
    return pd.DataFrame(results)


def direct(seed: int) -> pd.DataFrame:
    model = PartyModel(
        "base", seed=seed, population__size=200, population__pool_factor=1.5, end="1925-06"
    )
    return model.run()


def test_batch_run_gives_one_row_per_step_per_run(batch):
    assert len(batch) == 2 * MONTHS
    for seed, rows in batch.groupby("seed"):
        assert seed in (1, 2)
        steps = rows["Step"].tolist()
        assert len(set(steps)) == MONTHS and steps == sorted(steps)  # Mesa 3.3: 0..17
        assert rows["RunId"].nunique() == 1
        assert rows["month"].iloc[0] == "1924-01"
        assert rows["month"].iloc[-1] == "1925-06"
    # batch_run records the parameters of each run next to its outcomes.
    assert (batch["population__size"] == 200).all()
    assert (batch["config"] == "base").all()


@pytest.mark.parametrize("seed", [1, 2])
def test_batch_run_numbers_equal_a_direct_run(batch, seed):
    expected = direct(seed)
    # Mesa builds batch_run's rows from the collector, where months are YYYY-MM text; the
    # model's own table holds them as periods.
    expected = expected.assign(month=expected["month"].astype(str))
    got = batch[batch["seed"] == seed].reset_index(drop=True)[expected.columns]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_seeds_differ_in_batch_run(batch):
    one = batch[batch["seed"] == 1]["belief_mean"].to_numpy()
    two = batch[batch["seed"] == 2]["belief_mean"].to_numpy()
    assert not np.array_equal(one, two)


def test_mesa_model_basics():
    model = PartyModel("base", seed=3, population__size=100, end="1924-04")
    assert isinstance(model, mesa.Model)
    assert isinstance(model.datacollector, mesa.DataCollector)
    assert model.steps == 0
    model.step()
    assert model.steps == 1
    model.run()
    assert model.steps == 4
    assert model.running is False
    # The DataCollector holds one record per step, as Mesa's tools expect.
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 4
    # Mesa's own generator exists and is seeded from the model's seed.
    assert isinstance(model.rng, np.random.Generator)
    first = PartyModel("base", seed=3, population__size=100, end="1924-04")
    second = PartyModel("base", seed=3, population__size=100, end="1924-04")
    assert first.rng.random() == second.rng.random()


def test_scenario_attribute_is_left_to_mesa():
    """Newer Mesa reserves ``Model.scenario``; the resolved scenario lives in ``config``."""
    model = PartyModel("trotsky", seed=1, population__size=100, end="1924-02")
    assert model.config.name == "trotsky"
    assert "config" in inspect.signature(PartyModel.__init__).parameters
    assert "scenario" not in inspect.signature(PartyModel.__init__).parameters
    assert getattr(model, "scenario", None) is not model.config


def test_agents_register_with_mesa():
    model = PartyModel("base", seed=4, population__size=100, end="1924-02")
    model.run()
    assert len(model.agents) == 0  # agents are made on demand ...
    member = model.member(0)
    assert list(model.agents) == [member]
    assert member.unique_id is not None
    model.materialize_members()
    assert len(model.agents) == int(np.count_nonzero(model.members.status != 0))
    assert len(model.agents_by_type[type(member)]) == len(model.agents)
