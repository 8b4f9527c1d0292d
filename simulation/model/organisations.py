"""Regional party organisations: sizes, the initial layout, secretaries (docs/ODD.md 2.1, 5.1).

Every member belongs to one organisation (Moscow, Leningrad, Ukraine, ...; the scenario's
``population.organisations``). The initial party is laid out in organisation blocks: rows
``0 .. n_0 - 1`` are the first organisation's, and so on, with the block sizes given by the
shares (largest remainder). Since faction, belief, boldness and tier are drawn independently
for every row, a block layout is a random assignment in distribution, and it puts the members
of one organisation, who hold most of each other's ties when ``network.locality`` is high,
next to each other in memory. Recruits join an organisation drawn by the shares
(:func:`simulation.model.passes.organisations.recruit_organisations`) and are appended after
the existing rows, each month's intake sorted into organisation blocks; rows are never
reordered afterwards, since a row names one person for the whole run.
"""

from __future__ import annotations

import numpy as np

from simulation.model.members import Status
from simulation.scenario.schema import Organisation


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Split ``total`` whole units in proportion to ``weights`` (Hamilton's method).

    Each part gets the whole part of its quota ``total * w / sum(w)``; the units left go to the
    largest remainders, ties to the earlier part. No weight: nothing is given.

    Args:
        weights: Non-negative weights.
        total: Units to split.

    Returns:
        Integer parts summing to ``total`` (or all zero when the weights sum to zero).
    """
    weights = np.asarray(weights, dtype=np.float64)
    parts = np.zeros(weights.shape[0], dtype=np.int64)
    if weights.sum() <= 0 or total <= 0:
        return parts
    quotas = total * weights / weights.sum()
    parts[:] = np.floor(quotas)
    left = int(total - parts.sum())
    order = np.argsort(-(quotas - parts), kind="stable")
    parts[order[:left]] += 1
    return parts


def initial_blocks(organisations: tuple[Organisation, ...], size: int) -> np.ndarray:
    """Each initial member's organisation: contiguous blocks sized by the shares."""
    shares = np.array([o.share for o in organisations])
    return np.repeat(np.arange(shares.size, dtype=np.int8), largest_remainder(shares, size))


def secretaries(
    organisation: np.ndarray, tier: np.ndarray, status: np.ndarray, count: int
) -> np.ndarray:
    """Each organisation's secretary: its highest-ranked active member, the first row on ties.

    The first secretary of a regional committee was a senior party official (often a central
    committee member); the model takes the organisation's member nearest the top of the
    hierarchy. Rows are in random order within a tier, so the tie-break is a random choice.

    Returns:
        A member row per organisation, -1 where an organisation has no active member.
    """
    chosen = np.full(count, -1, dtype=np.int64)
    rows = np.flatnonzero(status == Status.ACTIVE)
    if rows.size == 0:
        return chosen
    # Sorted by organisation, then rank (lower tier numbers are higher), then row.
    order = rows[np.lexsort((rows, tier[rows], organisation[rows]))]
    groups, first = np.unique(organisation[order], return_index=True)
    chosen[groups] = order[first]
    return chosen


def appointee(
    index: int,
    organisation: np.ndarray,
    tier: np.ndarray,
    status: np.ndarray,
    expressed: np.ndarray,
    position: float,
) -> int:
    """A new secretary for organisation ``index``: a man of the patron's line (ODD 7.10).

    Among the organisation's active members of the highest tier it has, the one whose public
    position lies nearest the patron's ``position`` (the first row on ties).

    Returns:
        A member row, or -1 when the organisation has no active member.
    """
    rows = np.flatnonzero((status == Status.ACTIVE) & (organisation == index))
    if rows.size == 0:
        return -1
    top = rows[tier[rows] == tier[rows].min()]
    return int(top[np.argmin(np.abs(expressed[top].astype(np.float64) - position))])
