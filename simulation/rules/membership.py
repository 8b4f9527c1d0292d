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
    pool: np.ndarray,
    belief: np.ndarray,
    line: float,
    wanted: int,
    screening: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Pick up to ``wanted`` recruits from ``pool``, each accepted with P = exp(-s delta).

    Candidates are drawn without replacement in rounds until enough are accepted or the pool
    is exhausted, so a tiny pool or a very strict screen gives fewer recruits than wanted.
    """
    accepted: list[np.ndarray] = []
    remaining = pool
    need = wanted
    for _ in range(8):
        if need <= 0 or remaining.size == 0:
            break
        draw = min(remaining.size, max(need * 2, 16))
        picks = rng.choice(remaining.size, size=draw, replace=False)
        candidates = remaining[picks]
        delta = 0.5 * np.abs(belief[candidates] - line)
        ok = rng.random(draw) < np.exp(-screening * delta)
        chosen = candidates[ok][:need]
        accepted.append(chosen)
        need -= chosen.size
        mask = np.ones(remaining.size, dtype=bool)
        mask[picks] = False
        remaining = remaining[mask]
    if not accepted:
        return np.empty(0, dtype=np.int64)
    return np.concatenate(accepted).astype(np.int64)
