"""Fear: perceived risk learned from what happens to people one knows.

Rule, per member each month, with k_i the number of i's ties punished (expelled, arrested or
shot) this month:

    fear_i <- (1 - d) fear_i + (1 - (1 - d) fear_i) (1 - exp(-g k_i)).

The saturating form 1 - exp(-g k) follows Epstein (2002), "Modeling civil violence: an
agent-based computational approach", PNAS 99, where estimated arrest probability is
1 - exp(-k (C/A)). Departure: Epstein's agents see cops and rebels in a vision radius; here
they see punishments among their ties, which is how the 1930s terror was experienced.
"""

from __future__ import annotations

import numpy as np


def update_fear(
    fear: np.ndarray, punished_ties: np.ndarray, gain: float, decay: float
) -> np.ndarray:
    """Return the new fear of everyone, in [0, 1]."""
    kept = (1.0 - decay) * fear
    learned = 1.0 - np.exp(-gain * punished_ties)
    return kept + (1.0 - kept) * learned
