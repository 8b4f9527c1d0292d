"""A contender's death hazard by age: Gompertz's law (docs/ODD.md 7.10).

The annual force of mortality at age x doubles every D years (B. Gompertz 1825, "On the nature
of the function expressive of the law of human mortality", Phil. Trans. R. Soc. 115), written
with its level at age 60 rather than at birth so that the scenario's number can be read:

    mu(x) = mu_60 * 2^((x - 60) / D)          (annual hazard)
    q(x)  = 1 - exp(-mu(x) / 12)              (probability of dying within the month)

Only the leaders are subject to it; members die by ``population.attrition`` (ODD 7.6).
"""

from __future__ import annotations

import numpy as np


def annual_hazard(age: np.ndarray | float, at_60: float, doubling: float) -> np.ndarray:
    """Gompertz's annual force of mortality ``mu(x) = mu_60 2^((x - 60) / D)``.

    Args:
        age: Ages in years.
        at_60: The hazard at age 60, ``mu_60`` (``succession.mortality_at_60``).
        doubling: Years in which it doubles, D (``succession.mortality_doubling``).
    """
    return at_60 * np.exp2((np.asarray(age, dtype=np.float64) - 60.0) / doubling)


def monthly_death_probability(age: np.ndarray | float, at_60: float, doubling: float) -> np.ndarray:
    """The probability of dying within one month at ``age``: ``1 - exp(-mu(x) / 12)``."""
    return -np.expm1(-annual_hazard(age, at_60, doubling) / 12.0)
