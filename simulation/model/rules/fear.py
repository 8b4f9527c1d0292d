"""Fear: perceived risk learned from what happens to people one knows (docs/ODD.md 7.5).

Rule, per member each month, with k_i the number of i's ties punished (expelled, arrested or
shot) this month, d the decay and g the gain:

    f_i <- (1 - d) f_i                                 (:func:`fear_decay`, everyone)
    f_i <- f_i + (1 - f_i) (1 - exp(-g k_i))           (:func:`fear_gain` with
                                                        :func:`fear_learning`, after the decay)

which together give f_i <- (1 - d) f_i + (1 - (1 - d) f_i)(1 - exp(-g k_i)). Learning from one
punished tie at a time, k_i times over, gives the same fear as learning from the k_i at once:
1 - exp(-g k) = 1 - (1 - (1 - exp(-g)))^k. Fear stays in [0, 1].

The saturating form 1 - exp(-g k) follows Epstein (2002), "Modeling civil violence: an
agent-based computational approach", PNAS 99, where estimated arrest probability is
1 - exp(-k (C/A)). Departure: Epstein's agents see cops and rebels in a vision radius; here
they see punishments among their ties, which is how the 1930s terror was experienced.

The compiled pass :func:`simulation.model.passes.sanctions.learn_fear` and the reference model
(``benchmarks/reference``) both call these functions.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def fear_decay(fear: float, decay: float) -> float:
    """Fear fades each month at rate d (``fear_decay``): f <- (1 - d) f.

    The factor 1 - d is rounded to float32, the precision of the ``fear`` column, so that a
    float32 fear times it is one correctly rounded float32 product.
    """
    return fear * np.float32(1.0 - decay)


@njit(cache=True, error_model="numpy")
def fear_learning(gain: float, punished_ties: float) -> float:
    """1 - exp(-g k): how much of the remaining distance to full fear k punished ties close.

    ``gain`` is g (``fear_gain``), ``punished_ties`` k.
    """
    return 1.0 - np.exp(-gain * punished_ties)


@njit(cache=True, error_model="numpy")
def fear_gain(fear: float, learned: float) -> float:
    """Fear rises toward 1: f <- f + (1 - f) l, l from :func:`fear_learning`."""
    return fear + (1.0 - fear) * learned
