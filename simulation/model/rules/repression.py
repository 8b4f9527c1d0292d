"""Repression: how deviations become marks, and marks become sanctions (docs/ODD.md 7.4).

Marks in a member's dossier come from three sources each month:

* detection — a member who voiced dissent a above tolerance is seen with DAF's probability
  min(1, v_tier (nu + (1 - nu) a)), v_tier being the tier's visibility (the elite is watched
  more closely);
* denunciation — each tie who heard the deviation may report it, more so when afraid:
  P = 1 - exp(-r sum_{j in N(i)} (1 + f fear_j)); false denunciations hit members who said
  nothing, at rate r_false sum_j fear_j (Centola, Willer & Macy 2005, "The Emperor's Dilemma",
  AJS 110: enforcing a norm one does not hold, to prove one's own sincerity);
* guilt by association — each tie of someone arrested this month gets a mark with
  probability p_a, so P = 1 - (1 - p_a)^k for k arrested ties.

Campaigns add no marks; they use them: quota arrests or expulsions are filled from the highest
dossiers and at random when suspects run short (P. R. Gregory 2009, *Terror by Quota: State
Security from Lenin to Stalin*, Yale UP).

Sanctions follow a ladder by dossier (warning, demotion, expulsion, imprisonment, execution).
A harsher leadership needs fewer marks: the thresholds are divided by the severity psi.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from simulation.scenario.schema import Ladder

#: Below this severity the ladder stops tightening (thresholds would run to infinity).
MIN_SEVERITY_FOR_LADDER = 0.05


class Sanction(IntEnum):
    """Rungs of the punishment ladder."""

    NONE = 0
    WARNING = 1
    DEMOTION = 2
    EXPULSION = 3
    IMPRISONMENT = 4
    EXECUTION = 5


def detection_probability(
    dissent: np.ndarray, surveillance: float, visibility: np.ndarray
) -> np.ndarray:
    """P(seen) = min(1, visibility * (nu + (1 - nu) a)) (DAF 2025's observation probability)."""
    return np.minimum(1.0, visibility * (surveillance + (1.0 - surveillance) * dissent))


def denunciation_probability(hearers_weight: np.ndarray, rate: float) -> np.ndarray:
    """P(denounced) = 1 - exp(-rate * sum of hearers' weights (1 + f fear_j))."""
    return -np.expm1(-rate * hearers_weight)


def association_probability(arrested_ties: np.ndarray, per_tie: float) -> np.ndarray:
    """P(mark) = 1 - (1 - p)^k for k ties arrested this month."""
    if per_tie >= 1.0:
        return (arrested_ties > 0).astype(np.float64)
    return -np.expm1(arrested_ties * np.log1p(-per_tie))


def ladder_thresholds(ladder: Ladder, severity: float) -> np.ndarray:
    """Marks needed for each sanction (index = :class:`Sanction`), divided by severity."""
    scale = max(severity, MIN_SEVERITY_FOR_LADDER)
    marks = [
        np.inf,
        ladder.warning,
        ladder.demotion,
        ladder.expulsion,
        ladder.imprisonment,
        ladder.execution,
    ]
    return np.array(marks, dtype=np.float64) / scale


def ladder_sanction(dossier: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """The highest sanction whose threshold each dossier reaches (``Sanction.NONE`` if none)."""
    sanction = np.zeros(dossier.shape, dtype=np.int8)
    for rung in Sanction:
        if rung is Sanction.NONE:
            continue
        sanction[dossier >= thresholds[rung]] = rung
    return sanction


def quota_targets(
    candidates: np.ndarray,
    dossier: np.ndarray,
    quota: int,
    random_share: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Choose ``quota`` people from ``candidates``: highest dossiers first, then at random.

    A share ``random_share`` of the quota is drawn at random from the start; the rest goes to
    the candidates with the most marks (ties broken at random). When fewer candidates hold any
    mark than the quota needs, the remainder is filled at random — the mechanism by which a
    quota larger than real dissent sweeps up the innocent (Gregory 2009).

    Args:
        candidates: Indices of people who may be taken.
        dossier: Marks of everyone.
        quota: How many to take (capped at the number of candidates).
        random_share: Share of the quota drawn at random regardless of dossiers.
        rng: The repression stream.

    Returns:
        The chosen indices and how many of them were chosen at random.
    """
    quota = min(int(quota), candidates.size)
    if quota <= 0:
        return np.empty(0, dtype=np.int64), 0
    by_dossier = quota - round(random_share * quota)
    marks = dossier[candidates]
    suspects = candidates[marks > 0]
    if by_dossier >= suspects.size:
        chosen = suspects
    else:
        noisy = dossier[suspects] + rng.random(suspects.size) * 1e-6
        top = np.argpartition(-noisy, by_dossier - 1)[:by_dossier]
        chosen = suspects[top]
    remaining = quota - chosen.size
    if remaining > 0:
        pool = np.setdiff1d(candidates, chosen, assume_unique=True)
        extra = rng.choice(pool, size=remaining, replace=False)
        chosen = np.concatenate((chosen, extra))
    return chosen.astype(np.int64), remaining


def stochastic_round(value: float, rng: np.random.Generator) -> int:
    """Round to an integer, up with probability equal to the fraction (unbiased)."""
    whole = int(np.floor(value))
    return whole + int(rng.random() < value - whole)
