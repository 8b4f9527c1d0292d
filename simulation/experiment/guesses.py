"""Guesses drawn per replicate, so that intervals hold what we do not know (docs/ODD.md 5.6).

A scenario marks the values no source gives as guesses, each with a range (``[guesses]``,
:class:`simulation.scenario.schema.Guess`). A plain run uses the scenario's value. With
``draw_guesses``, each replicate instead runs with every guess drawn uniformly from its range:
the spread of the replicates then holds the guesses' uncertainty as well as chance, and an
interval over them answers "what if Trotsky led" with what we do not know included.

Each draw depends only on the experiment's seed, the replicate and the key path: replicate
``k`` of every scenario that shares a guess draws the same value for it (common random
numbers, as the replicate seeds are), and adding or removing another guess changes no draw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np

from simulation.experiment.design import coerce_value
from simulation.scenario import Scenario, ScenarioError, resolve_scenario
from simulation.scenario.schema import NO_SETTING, Guess, setting_at

#: Mixed into every guess's seed, so that the draws are not the replicate seeds' stream.
GUESS_STREAM = 0x6775657373  # "guess"


def key_number(key: str) -> int:
    """A stable 64-bit number for a key path (the same in every process and on every machine)."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "little")


def draw_guesses(guesses: Mapping[str, Guess], seed: int, replicate: int) -> dict[str, float]:
    """One uniform draw of every guess for one replicate.

    Args:
        guesses: The guesses by dotted key path.
        seed: The experiment's seed.
        replicate: The replicate number (0-based).

    Returns:
        The drawn value of each guess, by key path, in the order given.
    """
    values = {}
    for key, guess in guesses.items():
        stream = np.random.default_rng([GUESS_STREAM, seed, replicate, key_number(key)])
        values[key] = guess.low + stream.random() * (guess.high - guess.low)
    return values


def with_drawn_guesses(
    scenario: Scenario, seed: int, replicate: int
) -> tuple[Scenario, dict[str, float | int]]:
    """The scenario with its guesses drawn for one replicate, and the values drawn.

    Whole-number settings get the draw rounded (:func:`~simulation.experiment.design.coerce_value`).

    Raises:
        ScenarioError: If a guess names no setting of the scenario.
    """
    data = scenario.model_dump(mode="python")
    for key in scenario.guesses:
        if setting_at(data, key) in (NO_SETTING, None):
            raise ScenarioError(
                f"scenario {scenario.name}", f"guesses.{key}", "names no setting of the scenario"
            )
    drawn = draw_guesses(scenario.guesses, seed, replicate)
    values = {key: coerce_value(scenario, key, value) for key, value in drawn.items()}
    return resolve_scenario(scenario, values), values
