"""Pure helpers of the repression stage: the ladder's rung, prison terms, quota choice.

The thresholds themselves come from :func:`simulation.model.rules.repression.ladder_thresholds`
(ladder marks divided by severity).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulation.model.rules.repression import Sanction

if TYPE_CHECKING:
    from benchmarks.reference.agents import Person


def ladder_rung(dossier: float, thresholds: Sequence[float]) -> Sanction:
    """The highest sanction whose threshold the dossier reaches (ODD 7.4e).

    Rungs are tried from warning to execution and the last one reached wins, exactly as
    :func:`simulation.model.rules.repression.ladder_sanction` does for a whole column.
    """
    rung = Sanction.NONE
    for candidate in Sanction:
        if candidate is not Sanction.NONE and dossier >= thresholds[candidate]:
            rung = candidate
    return rung


def prison_term(mean_months: float, rng: random.Random) -> int:
    """A geometric prison term in months (at least 1) with the given mean.

    T ~ Geometric(p), p = 1 / max(mean, 1), drawn by inversion: 1 + floor(ln U / ln(1 - p)).
    """
    p = 1.0 / max(mean_months, 1.0)
    if p >= 1.0:
        return 1
    return 1 + int(math.log(1.0 - rng.random()) / math.log1p(-p))


def quota_choice(
    eligible: list[Person], quota: int, random_share: float, rng: random.Random
) -> list[Person]:
    """Fill a quota: highest dossiers first, then at random (Gregory 2009, *Terror by Quota*).

    ``quota - round(random_share * quota)`` places go to the eligible with the most marks (ties
    broken at random), but only among those with any mark; the rest are drawn uniformly from
    the eligible not yet chosen. A quota larger than real suspicion thus sweeps up innocents.
    """
    by_dossier = quota - round(random_share * quota)
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
