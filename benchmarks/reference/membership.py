"""Pure helpers of the membership stage: screening recruits and promotion (ODD 7.6)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from benchmarks.reference.population import CandidateQueue
from simulation.model.members import Tier
from simulation.model.rules.membership import admission_probability
from simulation.scenario.schema import Tiers

if TYPE_CHECKING:
    from benchmarks.reference.agents import Person


def screen(
    queue: CandidateQueue, line: float, wanted: int, screening: float, rng: random.Random
) -> list[tuple[int, float, float]]:
    """Take candidates in order, accepting each with P = exp(-s |b - L| / 2).

    The chance is :func:`simulation.model.rules.membership.admission_probability`.

    Candidates are considered until ``wanted`` are accepted or the queue runs dry; a
    candidate turned down is lost to the party (``screening`` s = 0 admits everyone).

    Returns:
        ``(faction, belief, boldness)`` of each recruit.
    """
    accepted: list[tuple[int, float, float]] = []
    while len(accepted) < wanted and queue.left > 0:
        candidate = queue.next_candidate()
        if rng.random() < admission_probability(candidate[1], line, screening):
            accepted.append(candidate)
    return accepted


def promote(members: Sequence[Person], tiers: Tiers, line: float) -> None:
    """Fill vacancies at the top from the tier below, those who speak nearest the line first.

    Targets: the politburo and central committee at their starting sizes, cadres at their
    share of active members. Tiers are filled top down, so a vacancy passes down the ladder
    in the same month. Candidates are ranked by |s_i - L_t|, equal distances by who joined
    first (S. Fitzpatrick 1979, "Stalin and the making of a new elite", the vydvizhentsy).
    """
    counts = {tier: 0 for tier in Tier}
    for member in members:
        counts[member.tier] += 1
    targets = {
        Tier.POLITBURO: tiers.politburo,
        Tier.CENTRAL_COMMITTEE: tiers.central_committee,
        Tier.CADRE: round(tiers.cadre_share * len(members)),
    }
    for tier, target in targets.items():
        vacancies = target - counts[tier]
        if vacancies <= 0:
            continue
        below = Tier(tier + 1)
        candidates = [m for m in members if m.tier == below]
        candidates.sort(key=lambda m: (abs(m.expressed - line), m.unique_id))
        for member in candidates[:vacancies]:
            member.tier = tier
            counts[tier] += 1
            counts[below] -= 1
