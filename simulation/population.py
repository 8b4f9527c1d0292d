"""Building the initial party and the pool recruits come from (DESIGN §2, Members)."""

from __future__ import annotations

import numpy as np

from simulation.scenario.schema import Population
from simulation.state import Members, Status, Tier


def gamma_draws(mean: float, sd: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` non-negative values with a given mean and spread from a gamma distribution.

    A zero spread gives the mean exactly, so a scenario can make everyone equally bold.
    """
    if sd <= 0 or mean <= 0:
        return np.full(n, mean, dtype=np.float64)
    shape = (mean / sd) ** 2
    return rng.gamma(shape, sd**2 / mean, size=n)


def build_members(population: Population, start_month: int, rng: np.random.Generator) -> Members:
    """Create everyone in the party's social world: the initial party and the recruitment pool.

    Initial members get a faction by the faction shares, a private belief from their faction's
    normal or uniform distribution (clipped to [-1, 1]), a gamma-distributed boldness and a
    tier; the top tiers are drawn at random from the whole party. The pool (``pool_factor - 1``
    times the party) gets factions by ``recruit_share`` and beliefs the same way; they join
    only through recruitment.

    Args:
        population: The scenario's population section.
        start_month: Month index of the start, recorded as the initial members' joining month.
        rng: The population stream.

    Returns:
        The column store, with the initial members active and the pool outside.
    """
    size = population.size
    capacity = max(size, round(size * population.pool_factor))
    names = tuple(population.factions)
    factions = list(population.factions.values())
    initial_shares = np.array([f.share for f in factions])
    recruit_shares = np.array(
        [f.share if f.recruit_share is None else f.recruit_share for f in factions]
    )
    faction = np.empty(capacity, dtype=np.int8)
    faction[:size] = rng.choice(len(factions), size=size, p=initial_shares)
    faction[size:] = rng.choice(len(factions), size=capacity - size, p=recruit_shares)
    means = np.array([f.belief_mean for f in factions])[faction]
    sds = np.array([f.belief_sd for f in factions])[faction]
    uniform = np.array([f.distribution == "uniform" for f in factions])[faction]
    # Both shapes are drawn for everyone so that switching one faction's shape does not
    # shift the random numbers of the others (common random numbers).
    normal_draw = rng.normal(means, sds)
    uniform_draw = means + sds * np.sqrt(3.0) * rng.uniform(-1.0, 1.0, size=capacity)
    belief = np.clip(np.where(uniform, uniform_draw, normal_draw), -1.0, 1.0)

    tier = np.full(capacity, Tier.RANK_AND_FILE, dtype=np.int8)
    tiers = population.tiers
    order = rng.permutation(size)
    top = tiers.politburo
    cc = top + tiers.central_committee
    cadres = cc + round(tiers.cadre_share * size)
    tier[order[:top]] = Tier.POLITBURO
    tier[order[top:cc]] = Tier.CENTRAL_COMMITTEE
    tier[order[cc:cadres]] = Tier.CADRE

    status = np.full(capacity, Status.OUTSIDE, dtype=np.int8)
    status[:size] = Status.ACTIVE
    joined = np.full(capacity, -1, dtype=np.int32)
    joined[:size] = start_month
    return Members(
        belief=belief,
        conviction=belief.copy(),
        boldness=gamma_draws(population.boldness_mean, population.boldness_sd, capacity, rng),
        fear=np.zeros(capacity),
        faction=faction,
        tier=tier,
        status=status,
        rehabilitated=np.zeros(capacity, dtype=bool),
        dossier=np.zeros(capacity),
        new_marks=np.zeros(capacity),
        dissent=np.zeros(capacity),
        expressed=belief.copy(),
        deviated=np.zeros(capacity, dtype=bool),
        ever_deviated=np.zeros(capacity, dtype=bool),
        term=np.zeros(capacity, dtype=np.int32),
        joined=joined,
        initial_cc=tier <= Tier.CENTRAL_COMMITTEE,
        purged=np.zeros(capacity, dtype=bool),
        faction_names=names,
    )
