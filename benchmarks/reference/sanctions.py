"""Pure helpers of the repression stage: prison terms and quota choice, one person at a time.

The rules come from :mod:`simulation.model.rules` (the term's monthly release chance, the
places a campaign fills by dossier); these helpers only draw with Python's random numbers.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

from simulation.model.rules.membership import release_chance
from simulation.model.rules.repression import dossier_places

if TYPE_CHECKING:
    from benchmarks.reference.agents import Person


def prison_term(mean_months: float, rng: random.Random) -> int:
    """A geometric prison term in months (at least 1) with the given mean.

    T ~ Geometric(p), p = :func:`~simulation.model.rules.membership.release_chance` of the
    mean, drawn by inversion: 1 + floor(ln U / ln(1 - p)).
    """
    p = release_chance(mean_months)
    if p >= 1.0:
        return 1
    return 1 + int(math.log(1.0 - rng.random()) / math.log1p(-p))


def quota_choice(
    eligible: list[Person], quota: int, random_share: float, rng: random.Random
) -> list[Person]:
    """Fill a quota: highest dossiers first, then at random (Gregory 2009, *Terror by Quota*).

    :func:`~simulation.model.rules.repression.dossier_places` places go to the eligible with
    the most marks (ties broken at random), but only among those with any mark; the rest are
    drawn uniformly from the eligible not yet chosen. A quota larger than real suspicion thus
    sweeps up innocents.
    """
    by_dossier = dossier_places(quota, random_share)
    suspects = [p for p in eligible if p.dossier > 0.0]
    if by_dossier >= len(suspects):
        chosen = suspects
    else:
        ranked = sorted(suspects, key=lambda p: (-p.dossier, rng.random()))
        chosen = ranked[:by_dossier]
    remaining = quota - len(chosen)
    if remaining > 0:
        taken = set(chosen)
        others = [p for p in eligible if p not in taken]
        chosen = chosen + rng.sample(others, remaining)
    return chosen
