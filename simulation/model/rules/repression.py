"""Repression: how deviations become marks, and marks become sanctions (docs/ODD.md 7.4).

Each per-member rule is one compiled scalar function, called by the monthly passes
(:mod:`simulation.model.passes.listening`, :mod:`simulation.model.passes.sanctions`) and by the
plain Mesa reference model (``benchmarks/reference``) alike. Marks in a member's dossier come
from three sources each month:

* detection — a member who voiced dissent a above tolerance is seen with DAF's probability
  min(1, v_tier (nu + (1 - nu) a)), v_tier being the tier's visibility (the elite is watched
  more closely): :func:`detection_probability`;
* denunciation — each tie who heard the deviation may report it, more so when afraid:
  P = 1 - exp(-r sum_{j in N(i)} (1 + f fear_j)) (:func:`hearer_weight`,
  :func:`denunciation_probability`); false denunciations hit members who said nothing, at rate
  r_false sum_j fear_j (:func:`false_report_rate`; Centola, Willer & Macy 2005, "The Emperor's
  Dilemma", AJS 110: enforcing a norm one does not hold, to prove one's own sincerity);
* guilt by association — each arrest gives each of the arrested person's ties a mark with
  probability p_a, one draw per arrested tie (``simulation.model.passes.sanctions.associate``
  and the reference draw it alike), so P = 1 - (1 - p_a)^k for k arrested ties. The rule has no
  formula beyond p_a itself.

Campaigns add no marks; they use them: quota arrests or expulsions are filled from the highest
dossiers (:func:`dossier_places` of them) and at random when suspects run short (P. R. Gregory
2009, *Terror by Quota: State Security from Lenin to Stalin*, Yale UP).

Sanctions follow a ladder by dossier (warning, demotion, expulsion, imprisonment, execution):
:func:`ladder_sanction`. A harsher leadership needs fewer marks: the thresholds are divided by
the severity psi (:func:`ladder_thresholds`).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numba import njit

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


@njit(cache=True, error_model="numpy")
def detection_probability(dissent: float, surveillance: float, visibility: float) -> float:
    """P(seen) = min(1, v_tier (nu + (1 - nu) a)): DAF 2025's observation chance (ODD 7.4a).

    ``dissent`` is the voiced dissent a, ``surveillance`` nu and ``visibility`` v_tier, the
    extra attention the police give the member's tier.
    """
    return min(1.0, visibility * (surveillance + (1.0 - surveillance) * dissent))


@njit(cache=True, error_model="numpy")
def hearer_weight(fear: float, fear_factor: float) -> float:
    """How much a tie who heard a deviation counts toward denouncing it: 1 + f fear_j (ODD 7.4b).

    ``fear_factor`` is f (``denunciation_fear``): afraid people report more (Centola, Willer &
    Macy 2005).
    """
    return 1.0 + fear_factor * fear


@njit(cache=True, error_model="numpy")
def denunciation_probability(weight: float, rate: float) -> float:
    """P(denounced) = 1 - exp(-r W), W the summed weights of those who heard (ODD 7.4b, c).

    Each of the hearers reports independently at rate r times their weight
    (:func:`hearer_weight`), so the chance that at least one does is 1 - exp(-r W). The
    reference model draws false denunciation with the same form, W then the summed fear of the
    member's active ties and r the false-denunciation rate.
    """
    return -np.expm1(-rate * weight)


@njit(cache=True, error_model="numpy")
def false_report_rate(rate: float, fear: float, ties: int) -> float:
    """Monthly false reports an active member files: r_false fear_j k_j, k_j their ties (ODD 7.4c).

    Afraid members denounce to prove their loyalty (Centola, Willer & Macy 2005): each files
    Poisson(r_false fear_j) reports on each tie.
    """
    return rate * fear * ties


@njit(cache=True, error_model="numpy")
def dossier_decay(dossier: float, decay: float) -> float:
    """Marks fade each month at rate d (``dossier_decay``): D <- (1 - d) D (ODD 7.4d).

    The month's new marks M are added after the decay: D <- (1 - d) D + M. The factor 1 - d is
    rounded to float32, the precision of the ``dossier`` column, so that a float32 dossier times
    it is one correctly rounded float32 product.
    """
    return dossier * np.float32(1.0 - decay)


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


@njit(cache=True, error_model="numpy")
def ladder_sanction(dossier: float, thresholds: np.ndarray) -> int:
    """The highest rung whose threshold the dossier D reaches, ``Sanction.NONE`` if none (ODD 7.4e).

    ``thresholds`` comes from :func:`ladder_thresholds`. Rungs are tried from warning to
    execution and the last reached wins, so a ladder whose marks are out of order still gives
    the highest rung reached.
    """
    rung = 0
    for candidate in range(1, thresholds.shape[0]):
        if dossier >= thresholds[candidate]:
            rung = candidate
    return rung


def dossier_places(quota: int, random_share: float) -> int:
    """How many of a campaign's ``quota`` places go by dossier (ODD 7.4f).

    quota - round(random_share quota), Python's rounding (half to even). The rest are drawn
    at random from those eligible (P. R. Gregory 2009, *Terror by Quota*).
    """
    return quota - round(random_share * quota)


def stochastic_round(value: float, rng: np.random.Generator) -> int:
    """Round to an integer, up with probability equal to the fraction (unbiased)."""
    whole = int(np.floor(value))
    return whole + int(rng.random() < value - whole)
