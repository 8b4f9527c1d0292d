"""What a lived shock does to a member's view (docs/ODD.md 7.7).

The grain procurement crisis of 1927-28, collectivisation and the famine of 1932-33 struck parts
of the party unequally: rural cells, the Ukrainian organisation. Those who lived through them
learned something about the line that no debate had told them. A member hit moves belief b and
conviction b0 by the event's shift s, clipped to the axis:

    b <- clip(b + s, -1, 1),   b0 <- clip(b0 + s, -1, 1).

Moving the conviction too makes the change last: the anchor (Friedkin & Johnsen 1990) then pulls
toward what was lived, and debate must undo both. This is the model's assumption; the size of
the shift is a scenario value, not a measured quantity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

if TYPE_CHECKING:
    from simulation.scenario.schema import ExperienceEvent, Organisation


def hit_probabilities(
    event: ExperienceEvent, organisations: tuple[Organisation, ...]
) -> np.ndarray:
    """The chance of being hit, by organisation: share (times the rural share if ``rural``).

    Organisations the event does not name get 0; with no organisations in the scenario, one
    entry for the whole party.
    """
    if not organisations:
        return np.array([event.share])
    named = set(event.organisations) or {o.name for o in organisations}
    return np.array(
        [
            event.share * ((o.rural_share or 0.0) if event.rural else 1.0)
            if o.name in named
            else 0.0
            for o in organisations
        ]
    )


@njit(cache=True, error_model="numpy")
def experienced_belief(belief: float, shift: float) -> float:
    """A position moved by ``shift`` and clipped to [-1, 1]."""
    return min(1.0, max(-1.0, belief + shift))
