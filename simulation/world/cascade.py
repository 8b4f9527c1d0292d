"""The threshold cascade of revolutions: one pure rule (docs/ODD.md, world: revolution).

Granovetter (1978) gives each actor a threshold: the number of others who must act before it
acts; a population whose thresholds run 0, 1, 2, ... rises to the last one, and one threshold
raised by one stops the cascade there. Kuran (1989) applies it to revolutions, whose hidden
readiness makes them sudden. Here the actors are countries and the others are their neighbours:
Weyland (2009) finds that would-be revolutionaries imitate a revolution next door through
bounded rationality (availability and representativeness), taking its success as proof that
their own can succeed, so each communist neighbour lowers the bar by the same amount whatever
the two countries' conditions.
"""

from __future__ import annotations

import numpy as np


def cascade_round(
    active: np.ndarray,
    weights: np.ndarray,
    readiness: np.ndarray,
    threshold: np.ndarray,
    contagion: float,
) -> np.ndarray:
    """One synchronous round of the cascade: who is active after it.

    Country ``i`` rises when ``rho_i + lambda * sum_j w_ij * a_j >= theta_i``: its own readiness
    ``rho_i`` plus ``lambda`` for each (weighted) neighbour ``j`` already active (``a_j = 1``)
    reaches its threshold ``theta_i``. Equivalently each active neighbour lowers the bar
    ``theta_i - rho_i`` by ``lambda * w_ij``. The active stay active.

    Args:
        active: Boolean vector ``a`` of the countries already active (communist).
        weights: Symmetric matrix ``w`` of neighbour weights (0 where not neighbours).
        readiness: Vector ``rho`` of the countries' own readiness.
        threshold: Vector ``theta`` of their thresholds.
        contagion: ``lambda``, the bar's drop per active neighbour of weight 1.

    Returns:
        The boolean vector of countries active after the round (a superset of ``active``).
    """
    pressure = readiness + contagion * (weights @ active.astype(float))
    return active | (pressure >= threshold)


def cascade(
    active: np.ndarray,
    weights: np.ndarray,
    readiness: np.ndarray,
    threshold: np.ndarray,
    contagion: float,
) -> np.ndarray:
    """The cascade run to its end: :func:`cascade_round` repeated until no one else rises.

    Args:
        active: Boolean vector of the countries active at the start.
        weights: Symmetric matrix of neighbour weights.
        readiness: Vector of the countries' own readiness.
        threshold: Vector of their thresholds.
        contagion: The bar's drop per active neighbour of weight 1.

    Returns:
        The boolean vector of countries active when the cascade stops (at most ``n`` rounds).
    """
    current = np.asarray(active, dtype=bool)
    for _ in range(current.size + 1):
        following = cascade_round(current, weights, readiness, threshold, contagion)
        if np.array_equal(following, current):
            break
        current = following
    return current
