"""Who the people are: the initial party and the queue of candidates (ODD 5.1, 7.6).

Each person is drawn one at a time: a faction by the faction shares, a private belief from the
faction's distribution (clipped to the axis), and a gamma-distributed boldness.
"""

from __future__ import annotations

import math
import random

from simulation.scenario.schema import Faction, Population

SQRT3 = math.sqrt(3.0)


def draw_belief(faction: Faction, rng: random.Random) -> float:
    """A belief from the faction's distribution, clipped to [-1, 1].

    ``normal``: Normal(mean, sd); ``uniform``: mean + sd sqrt(3) U(-1, 1) (the same sd).
    """
    if faction.distribution == "uniform":
        value = faction.belief_mean + faction.belief_sd * SQRT3 * rng.uniform(-1.0, 1.0)
    else:
        value = rng.gauss(faction.belief_mean, faction.belief_sd)
    return min(1.0, max(-1.0, value))


def draw_boldness(mean: float, sd: float, rng: random.Random) -> float:
    """Boldness beta from a gamma distribution with this mean and sd (the mean if either is 0).

    Shape (mean / sd)^2 and scale sd^2 / mean give the wanted mean and spread.
    """
    if mean <= 0.0 or sd <= 0.0:
        return mean
    return rng.gammavariate((mean / sd) ** 2, sd * sd / mean)


class PersonDraws:
    """Draws (faction, belief, boldness) of new people with given faction shares.

    Args:
        population: The scenario's population section.
        recruits: Use the factions' recruit shares (where given) instead of their shares.
        rng: The stream to draw from.
    """

    def __init__(self, population: Population, recruits: bool, rng: random.Random) -> None:
        self._factions = list(population.factions.values())
        self._shares = [
            f.recruit_share if recruits and f.recruit_share is not None else f.share
            for f in self._factions
        ]
        self._indices = list(range(len(self._factions)))
        self._boldness = (population.boldness_mean, population.boldness_sd)
        self._rng = rng

    def draw(self) -> tuple[int, float, float]:
        """One person's ``(faction index, belief, boldness)``."""
        rng = self._rng
        faction = rng.choices(self._indices, weights=self._shares)[0]
        belief = draw_belief(self._factions[faction], rng)
        return faction, belief, draw_boldness(*self._boldness, rng)


class CandidateQueue:
    """The finite queue of outsiders the party recruits from, considered in order.

    It holds ``round(size * pool_factor) - size`` candidates; a candidate turned down is not
    asked again, so the queue can run dry (the ``recruit_shortfall`` outcome).

    Args:
        population: The scenario's population section.
        rng: The pool stream.
    """

    def __init__(self, population: Population, rng: random.Random) -> None:
        self.left = max(0, round(population.size * population.pool_factor) - population.size)
        self._draws = PersonDraws(population, recruits=True, rng=rng)

    def next_candidate(self) -> tuple[int, float, float]:
        """The next candidate's ``(faction, belief, boldness)``; call only while ``left > 0``."""
        self.left -= 1
        return self._draws.draw()
