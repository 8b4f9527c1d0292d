"""Who is in the party: recruitment, attrition, prison terms, release and readmission.

* Recruitment with screening (DESIGN §2): each month the party admits a share of its active
  membership from the pool outside it. A candidate with desired dissent delta = |b - L| / 2 is
  accepted with probability exp(-s delta), s being the screening strictness, so strict
  screening admits people who already agree with the line.
* Natural attrition: active members die or leave at a monthly rate; former members die at
  their own rate; prisoners at the prison mortality rate.
* Prison terms are geometric with the scenario's mean; a released prisoner is not a member
  again unless readmitted (rehabilitation, amnesty).
"""

from __future__ import annotations

import numpy as np


def prison_term(mean_months: float, count: int, rng: np.random.Generator) -> np.ndarray:
    """Draw geometric prison terms (in months, at least 1) with the given mean."""
    return rng.geometric(1.0 / max(mean_months, 1.0), size=count).astype(np.int32)


def bernoulli(probability: float | np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` independent coin flips with the given probability (scalar or per flip)."""
    return rng.random(count) < probability


def screen_recruits(
    belief: np.ndarray,
    frontier: int,
    line: float,
    wanted: int,
    screening: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Consider candidates from the pool in order; accept each with P = exp(-s delta).

    The pool is an ordered queue beginning at ``frontier`` (its members were drawn
    independently, so the order is random). Candidates are considered one after another
    until ``wanted`` are accepted or the pool runs out; a rejected candidate is not asked
    again. Fewer than ``wanted`` recruits come back when the pool is exhausted.

    Args:
        belief: Private beliefs of everyone (the pool included).
        frontier: Index of the first candidate not yet considered.
        line: The official line.
        wanted: How many recruits the party wants this month.
        screening: Strictness s of the screen (0 admits everyone).
        rng: The membership stream.

    Returns:
        The recruits' indices and the new frontier.
    """
    capacity = belief.shape[0]
    chosen: list[np.ndarray] = []
    need = wanted
    while need > 0 and frontier < capacity:
        end = min(capacity, frontier + max(2 * need, 16))
        candidates = np.arange(frontier, end)
        delta = 0.5 * np.abs(belief[candidates] - line)
        accepted = candidates[rng.random(candidates.size) < np.exp(-screening * delta)]
        if accepted.size >= need:
            accepted = accepted[:need]
            frontier = int(accepted[-1]) + 1
        else:
            frontier = end
        chosen.append(accepted)
        need -= accepted.size
    if not chosen:
        return np.empty(0, dtype=np.int64), frontier
    return np.concatenate(chosen).astype(np.int64), frontier
