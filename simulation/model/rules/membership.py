"""Who is in the party: recruitment, attrition, prison terms, release and readmission.

* Recruitment with screening (docs/ODD.md 7.6): each month the party admits a share of its active
  membership from the queue of candidates outside it. A candidate with desired dissent
  delta = |b - L| / 2 is accepted with probability exp(-s delta), s being the screening
  strictness, so strict screening admits people who already agree with the line.
* Natural attrition: active members die or leave at a monthly rate; former members die at
  their own rate; prisoners at the prison mortality rate.
* Prison terms are geometric with the scenario's mean; a released prisoner is not a member
  again unless readmitted (rehabilitation, amnesty).
"""

from __future__ import annotations

import numpy as np

from simulation.model.population import CandidatePool


def prison_term(mean_months: float, count: int, rng: np.random.Generator) -> np.ndarray:
    """Draw geometric prison terms (in months, at least 1) with the given mean."""
    return rng.geometric(1.0 / max(mean_months, 1.0), size=count).astype(np.int32)


def bernoulli(probability: float | np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` independent coin flips with the given probability (scalar or per flip)."""
    return rng.random(count) < probability


def screen_candidates(
    pool: CandidatePool,
    line: float,
    wanted: int,
    screening: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Consider candidates from the queue in order; accept each with P = exp(-s delta).

    Candidates are considered one after another until ``wanted`` are accepted or the queue
    runs dry; a rejected candidate is not asked again. Fewer than ``wanted`` recruits come back
    when the queue is exhausted.

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
        delta = 0.5 * np.abs(belief - line)
        accepted = np.flatnonzero(rng.random(belief.size) < np.exp(-screening * delta))
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
