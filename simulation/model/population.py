"""The initial party, and the queue of candidates recruits come from (docs/ODD.md 2.1, 5.1)."""

from __future__ import annotations

import numpy as np

from simulation.model.members import Members, Status, Tier
from simulation.model.organisations import initial_blocks
from simulation.model.passes.membership import admission_chances
from simulation.scenario.schema import Faction, Population

#: Candidates are drawn this many at a time, so candidate k is the same whatever the months.
POOL_BLOCK = 4096


def gamma_draws(mean: float, sd: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` non-negative values with a given mean and spread from a gamma distribution.

    A zero spread gives the mean exactly, so a scenario can make everyone equally bold.
    """
    if sd <= 0 or mean <= 0:
        return np.full(n, mean, dtype=np.float64)
    shape = (mean / sd) ** 2
    return rng.gamma(shape, sd**2 / mean, size=n)


def draw_people(
    factions: list[Faction],
    shares: np.ndarray,
    n: int,
    boldness_mean: float,
    boldness_sd: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw factions, beliefs and boldness of ``n`` people.

    A faction is drawn by ``shares``; a belief from the faction's normal or uniform
    distribution, clipped to [-1, 1]; boldness from a gamma distribution.

    Returns:
        ``(faction, belief, boldness)`` arrays.
    """
    faction = rng.choice(len(factions), size=n, p=shares).astype(np.int8)
    means = np.array([f.belief_mean for f in factions])[faction]
    sds = np.array([f.belief_sd for f in factions])[faction]
    uniform = np.array([f.distribution == "uniform" for f in factions])[faction]
    # Both shapes are drawn for everyone so that switching one faction's shape does not
    # shift the random numbers of the others (common random numbers).
    normal_draw = rng.normal(means, sds)
    uniform_draw = means + sds * np.sqrt(3.0) * rng.uniform(-1.0, 1.0, size=n)
    belief = np.clip(np.where(uniform, uniform_draw, normal_draw), -1.0, 1.0)
    boldness = gamma_draws(boldness_mean, boldness_sd, n, rng)
    return faction, belief, boldness


def faction_uncertainty(factions: list[Faction]) -> np.ndarray:
    """Each faction's uncertainty u, by faction index (relative agreement, docs/ODD.md 7.3)."""
    return np.array([f.uncertainty for f in factions], dtype=np.float32)


def core_rows(factions: list[Faction], faction: np.ndarray, belief: np.ndarray) -> np.ndarray:
    """Which of the initial members form their faction's core (docs/ODD.md 5.1).

    The core is the share ``core.share`` of the faction's members whose beliefs lie furthest
    out on the faction's side of the axis (the sign of its mean belief; furthest from 0 if the
    mean is 0), as Deffuant et al. (2002) make the most extreme agents the extremists. No
    random numbers are drawn, so a core leaves every other draw of the run unchanged.

    Returns:
        Each member's faction index if they are in its core, else -1.
    """
    core = np.full(faction.shape, -1, dtype=np.int64)
    for index, entry in enumerate(factions):
        if entry.core is None:
            continue
        rows = np.flatnonzero(faction == index)
        count = round(entry.core.share * rows.size)
        if count == 0:
            continue
        side = np.sign(entry.belief_mean)
        outward = side * belief[rows] if side != 0 else np.abs(belief[rows])
        # Stable sort: among equal beliefs the earlier row joins the core.
        core[rows[np.argsort(-outward, kind="stable")[:count]]] = index
    return core


def place_cores(factions: list[Faction], members: Members) -> None:
    """Mark the cores (:func:`core_rows`) and give them the core's uncertainty and boldness.

    A core's ``boldness``, if given, replaces its members' drawn boldness.
    """
    core = core_rows(factions, members.faction, members.belief)
    for index in np.unique(core[core >= 0]):
        chosen = np.flatnonzero(core == index)
        settings = factions[index].core
        members.core[chosen] = True
        members.uncertainty[chosen] = settings.uncertainty
        if settings.boldness is not None:
            members.boldness[chosen] = settings.boldness


def build_members(
    population: Population,
    start_month: int,
    rng: np.random.Generator,
    optional: tuple[str, ...] = (),
) -> Members:
    """Create the initial party.

    Members get a faction by the faction shares, a private belief from their faction's
    distribution, a gamma-distributed boldness and a tier; the politburo, central committee
    and cadres are drawn at random from the whole party. With organisations, rows are laid
    out in organisation blocks (:func:`simulation.model.organisations.initial_blocks`).

    Args:
        population: The scenario's population section.
        start_month: Month index of the start, recorded as the members' joining month.
        rng: The population stream.
        optional: Names of optional member columns to keep
            (:data:`~simulation.model.members.OPTIONAL_COLUMNS`).

    Returns:
        The column store with the initial members active, and room for some growth.
    """
    size = population.size
    factions = list(population.factions.values())
    shares = np.array([f.share for f in factions])
    faction, belief, boldness = draw_people(
        factions, shares, size, population.boldness_mean, population.boldness_sd, rng
    )
    tier = np.full(size, Tier.RANK_AND_FILE, dtype=np.int8)
    tiers = population.tiers
    order = rng.permutation(size)
    top = tiers.politburo
    cc = top + tiers.central_committee
    cadres = cc + round(tiers.cadre_share * size)
    tier[order[:top]] = Tier.POLITBURO
    tier[order[top:cc]] = Tier.CENTRAL_COMMITTEE
    tier[order[cc:cadres]] = Tier.CADRE

    members = Members(max(1024, int(size * 1.25)), tuple(population.factions), optional)
    members.rows = size
    members.faction[:] = faction
    members.belief[:] = belief
    members.conviction[:] = belief
    members.expressed[:] = belief
    members.boldness[:] = boldness
    members.uncertainty[:] = faction_uncertainty(factions)[faction]
    place_cores(factions, members)
    members.tier[:] = tier
    members.status[:] = Status.ACTIVE
    members.joined[:] = start_month
    members.initial_cc[:] = tier <= Tier.CENTRAL_COMMITTEE
    if members.keeps("organisation"):
        members.organisation[:] = initial_blocks(population.organisations, size)
    return members


class CandidatePool:
    """The ordered queue of outsiders the party recruits from.

    Candidates are considered in order, and a candidate turned down is not asked again
    (docs/ODD.md 7.6). Candidate ``k`` has the same faction, belief and boldness in every run with
    one seed, whatever the scenario, because candidates are drawn from their own stream in
    fixed blocks (common random numbers). The queue holds ``(pool_factor - 1) * size``
    candidates in all; when it runs dry, recruitment falls short (the ``recruit_shortfall``
    outcome). Only the current block is held in memory.

    Args:
        population: The scenario's population section.
        rng: The pool stream.
    """

    def __init__(self, population: Population, rng: np.random.Generator) -> None:
        self._population = population
        self._factions = list(population.factions.values())
        self._shares = np.array(
            [f.share if f.recruit_share is None else f.recruit_share for f in self._factions]
        )
        self._rng = rng
        self.total = max(0, round(population.size * population.pool_factor) - population.size)
        self.considered = 0
        self._blocks: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._drawn = 0  # blocks drawn so far

    @property
    def left(self) -> int:
        """Candidates not yet considered."""
        return self.total - self.considered

    def next_candidates(self, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Up to ``count`` candidates from the front of the queue (not yet consumed).

        Returns:
            ``(faction, belief, boldness)`` of the candidates, in queue order.
        """
        count = min(count, self.left)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        position = self.considered
        while count > 0:
            block_index = position // POOL_BLOCK
            block = self._load(block_index)
            offset = position - block_index * POOL_BLOCK
            take = min(count, POOL_BLOCK - offset)
            parts.append(tuple(column[offset : offset + take] for column in block))
            position += take
            count -= take
        if not parts:
            empty = np.empty(0)
            return empty.astype(np.int8), empty, empty
        return tuple(np.concatenate(columns) for columns in zip(*parts, strict=True))

    def consume(self, count: int) -> None:
        """Mark the first ``count`` candidates of the queue as considered."""
        self.considered += count

    def _load(self, block_index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Blocks are drawn strictly in order, so block k is the same in every run of a seed;
        # blocks wholly behind the front of the queue are dropped.
        p = self._population
        while self._drawn <= block_index:
            self._blocks[self._drawn] = draw_people(
                self._factions, self._shares, POOL_BLOCK, p.boldness_mean, p.boldness_sd, self._rng
            )
            self._drawn += 1
        front = self.considered // POOL_BLOCK
        for stale in [k for k in self._blocks if k < front]:
            del self._blocks[stale]
        return self._blocks[block_index]


def screen_candidates(
    pool: CandidatePool,
    line: float,
    wanted: int,
    screening: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Consider candidates from the queue in order; accept each with P = exp(-s delta) (ODD 7.6).

    The chance is :func:`simulation.model.rules.membership.admission_probability`. Candidates are
    considered one after another until ``wanted`` are accepted or the queue runs dry; a
    rejected candidate is not asked again. Fewer than ``wanted`` recruits come back when the
    queue is exhausted.

    Args:
        pool: The queue of candidates.
        line: The official line.
        wanted: How many recruits the party wants this month.
        screening: Strictness s of the screen (0 admits everyone).
        rng: The membership stream.

    Returns:
        ``(faction, belief, boldness)`` of the recruits.
    """
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    need = wanted
    while need > 0 and pool.left > 0:
        faction, belief, boldness = pool.next_candidates(max(2 * need, 16))
        chances = admission_chances(belief, line, screening)
        accepted = np.flatnonzero(rng.random(belief.size) < chances)
        if accepted.size >= need:
            accepted = accepted[:need]
            pool.consume(int(accepted[-1]) + 1)
        else:
            pool.consume(belief.size)
        parts.append((faction[accepted], belief[accepted], boldness[accepted]))
        need -= accepted.size
    if not parts:
        return np.empty(0, dtype=np.int8), np.empty(0), np.empty(0)
    return tuple(np.concatenate(columns) for columns in zip(*parts, strict=True))
