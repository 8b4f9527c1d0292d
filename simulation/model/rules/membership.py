"""Who is in the party: screening of recruits and prison terms (docs/ODD.md 7.6).

* Recruitment with screening (ODD 7.6 step 6): each month the party admits a share of its active
  membership from the queue of candidates outside it. A candidate with desired dissent
  delta = |b - L| / 2 is accepted with probability exp(-s delta), s being the screening
  strictness, so strict screening admits people who already agree with the line
  (:func:`admission_probability`; the queue is worked through by
  :func:`simulation.model.population.screen_candidates`).
* Prison terms are geometric with the scenario's mean m: each month of prison ends the term with
  probability p = 1 / max(m, 1) (:func:`release_chance`), so terms last at least a month; a
  released prisoner is not a member again unless readmitted (rehabilitation, amnesty).
* Natural attrition, deaths and readmission are monthly hazards drawn against the scenario's
  rates themselves (``attrition``, ``outside_mortality``, ``prison_mortality``,
  ``rehabilitation``): there is no formula beyond the rate
  (:mod:`simulation.model.passes.membership`: ``serve_terms``, ``leave``, ``readmit``).
* Recantation (ODD 7.6 step 5b): whether a member expelled as an opposition renounces the
  platform is the voice rule's (:func:`simulation.model.rules.voice.recants`); the party then
  accepts the recantation at the rate ``recantation``, a hazard like the others.

The compiled passes and the reference model (``benchmarks/reference``) call these functions.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.model.rules.voice import desired_dissent


@njit(cache=True, error_model="numpy")
def admission_probability(belief: float, line: float, screening: float) -> float:
    """P(admitted) = exp(-s delta), delta = |b - L| / 2 the candidate's desired dissent (ODD 7.6).

    ``screening`` is the strictness s (0 admits everyone), ``line`` the official line L.
    """
    return np.exp(-screening * desired_dissent(belief, line))


@njit(cache=True, error_model="numpy")
def release_chance(mean_months: float) -> float:
    """The chance a month of prison ends a geometric term of mean m: 1 / max(m, 1) (ODD 7.4e)."""
    return 1.0 / max(mean_months, 1.0)


def prison_term(mean_months: float, count: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``count`` geometric prison terms (months, at least 1) with mean ``mean_months``."""
    return rng.geometric(release_chance(mean_months), size=count).astype(np.int32)


def bernoulli(probability: float | np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` independent coin flips with the given probability (scalar or per flip)."""
    return rng.random(count) < probability
