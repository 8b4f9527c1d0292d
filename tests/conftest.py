"""Shared helpers for the test suite: small models, cluster counting, a probing model.

Every model in the tests is small (a few hundred members, a few years) so that the whole suite
runs in well under three minutes on two cores; a full 20,000-member run takes about 18 s.
Helpers are handed out as session-scoped fixtures so that Hypothesis tests may use them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from simulation.experiment.runs import replicate_specs
from simulation.model.members import Status
from simulation.model.party import PartyModel
from simulation.scenario import load_scenario
from simulation.validation.clusters import count_clusters

# Hypothesis: no deadlines (model runs vary in time), few examples by default; CI runs
# derandomised so that a red build can be reproduced.
settings.register_profile(
    "politburo",
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
# `pytest --hypothesis-profile=thorough` searches much harder (minutes, not seconds).
settings.register_profile("thorough", parent=settings.get_profile("politburo"), max_examples=1000)
settings.load_profile("politburo")

#: Overrides that make any shipped scenario tiny.
TINY = {"population.size": 300, "population.pool_factor": 2.0}
#: A tiny two-year experiment run: the unit of the experiment-layer tests.
TINY_RUN = {"population.size": 200, "population.pool_factor": 2, "end": "1925-12"}
#: The same overrides as command-line arguments.
TINY_RUN_ARGS = [part for key, value in TINY_RUN.items() for part in ("--set", f"{key}={value}")]


def tiny_specs(replicates: int, seed: int) -> list:
    """Run specs of historical and trotsky at :data:`TINY_RUN`, sharing replicate seeds."""
    scenarios = [load_scenario(name, TINY_RUN) for name in ("historical", "trotsky")]
    return replicate_specs(scenarios, replicates=replicates, seed=seed)


def small_model(
    config: Any = "base",
    seed: int = 1,
    size: int = 300,
    pool_factor: float = 2.0,
    **overrides: Any,
) -> PartyModel:
    """A small model: ``size`` members, a pool of ``pool_factor`` times that.

    Further overrides are key paths with ``__`` for dots (``policy__tolerance=0.3``) or plain
    top-level keys (``end="1925-12"``).
    """
    changes = {"population.size": size, "population.pool_factor": pool_factor}
    changes.update({key.replace("__", "."): value for key, value in overrides.items()})
    return PartyModel(config, seed=seed, overrides=changes)


def active_beliefs(model: PartyModel) -> np.ndarray:
    """Private beliefs of the active members."""
    return model.members.belief[model.members.status == Status.ACTIVE].copy()


class ProbeModel(PartyModel):
    """A party model that records the state right after the voice decision of each month.

    The record (``model.voiced``) holds, for the month just simulated: the active members at
    the time of voice, their beliefs, the line they spoke to, and what they chose to say.
    Beliefs change in debate later in the month, so these cannot be read afterwards.
    """

    def _speak(self) -> None:
        super()._speak()
        m, active = self.members, self.rolls.active
        self.voiced = {
            "active": active.copy(),
            "belief": m.belief[active].copy(),
            "line": float(self.line),
            "dissent": m.dissent.copy(),
            "expressed": m.expressed[active].copy(),
            "status": m.status.copy(),
            "tolerance": float(self.policy.tolerance),
        }


@pytest.fixture(scope="session")
def make_model() -> Callable[..., PartyModel]:
    """Factory of small models (see :func:`small_model`)."""
    return small_model


@pytest.fixture(scope="session")
def make_probe() -> Callable[..., ProbeModel]:
    """Factory of small :class:`ProbeModel` instances, same arguments as :func:`small_model`."""

    def build(config: Any = "base", seed: int = 1, **kwargs: Any) -> ProbeModel:
        size = kwargs.pop("size", 300)
        pool_factor = kwargs.pop("pool_factor", 2.0)
        changes = {"population.size": size, "population.pool_factor": pool_factor}
        changes.update({key.replace("__", "."): value for key, value in kwargs.items()})
        return ProbeModel(config, seed=seed, overrides=changes)

    return build


@pytest.fixture(scope="session")
def clusters() -> Callable[..., tuple[int, list[tuple[float, int]]]]:
    """The cluster counter (see :func:`count_clusters`)."""
    return count_clusters


@pytest.fixture(scope="session")
def beliefs_of() -> Callable[[PartyModel], np.ndarray]:
    """Active members' beliefs (see :func:`active_beliefs`)."""
    return active_beliefs
