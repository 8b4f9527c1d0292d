"""How private beliefs change: private signals of reality, debate, the line's pull, the anchor.

Each rule is one compiled scalar function of one member's numbers; the monthly passes
(:mod:`simulation.model.passes.speech`, :mod:`simulation.model.passes.listening`) and the plain
Mesa reference model (``benchmarks/reference``) both call it. docs/ODD.md 7.1 (signals) and 7.3
(debate, the line's pull, the anchor) state the rules with their sources.

Debate is bounded confidence on what ties *say*:

* Deffuant, Neau, Amblard & Weisbuch (2000), "Mixing beliefs among interacting agents",
  Advances in Complex Systems 3: a member meets one tie and, if what the tie said lies within
  the confidence bound eps of their own belief, moves a fraction mu toward it:
  b_i <- b_i + mu (s_j - b_i) if |s_j - b_i| < eps (:func:`deffuant_update`). Departure from
  the paper: the paper updates one random pair at a time, both sides; here every member meets
  one random tie each month and the updates are applied together (each side of a pair moves
  when it is its own turn). Cluster counts are the paper's (about 1 / (2 d) for a bound d on a
  unit interval, so about 1 / eps on this model's axis from -1 to 1, where eps = 2 d);
  ``tests/test_debate.py`` checks them.
* Hegselmann & Krause (2002), "Opinion dynamics and bounded confidence", JASSS 5(3): every
  member moves to the mean of their own belief and of everything said within eps of it, all at
  once: m_i = (b_i + sum of s_j with b_i - eps <= s_j <= b_i + eps) / (1 + their number)
  (:func:`within_confidence` says who is heard).

Members who self-censor say no more than the tolerance allows (the line itself when the
tolerance is 0), so under terror what is heard is close to propaganda. Two further pulls act on
private belief, each off at 0: toward the official line (propaganda, :func:`line_pull`) and back
toward the member's own starting conviction (Friedkin & Johnsen 1990, :func:`anchor_pull`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

SQRT3 = np.sqrt(3.0)


@njit(cache=True, error_model="numpy")
def signal_noise(u: float) -> float:
    """A private signal's noise eps = sqrt(3) (2 u - 1) from a uniform u: mean 0, sd 1 (ODD 7.1)."""
    return SQRT3 * (2.0 * u - 1.0)


@njit(cache=True, error_model="numpy")
def signal_pull(
    belief: float, reality: float, signal_sd: float, noise: float, weight: float
) -> float:
    """A member moves toward a private noisy signal of reality (docs/ODD.md 7.1).

    b <- clip(b + w (x + sigma_s eps - b), -1, 1): x the hidden correct line (``reality``),
    sigma_s the signal's spread (``signal_sd``), eps the member's noise (:func:`signal_noise`),
    w the weight of the signal (``weight``). Members' signals are independent, so private beliefs
    aggregate dispersed knowledge of reality that an open party passes to its leader (the
    dictator's dilemma, Wintrobe 1998).
    """
    moved = belief + weight * (reality + signal_sd * noise - belief)
    return min(1.0, max(-1.0, moved))


@njit(cache=True, error_model="numpy")
def deffuant_update(belief: float, said: float, bound: float, rate: float) -> float:
    """Deffuant et al. (2000), one side: b + mu (s - b) if |s - b| < eps, else b (ODD 7.3).

    ``said`` is what the tie said (NaN when the tie is not an active member: the comparison then
    fails and the belief stays); ``bound`` is eps and ``rate`` mu. The inequality is strict, as
    in the paper.
    """
    gap = said - belief
    return belief + rate * (gap if abs(gap) < bound else 0.0)


@njit(cache=True, error_model="numpy")
def within_confidence(belief: float, said: float, bound: float) -> bool:
    """Whether a Hegselmann-Krause member hears ``said``: b - eps <= s <= b + eps (ODD 7.3).

    Both ends are included, as in Hegselmann & Krause (2002); NaN (someone not active) is never
    heard.
    """
    return said >= belief - bound and said <= belief + bound


@njit(cache=True, error_model="numpy")
def line_pull(belief: float, line: float, pull: float) -> float:
    """Propaganda: b <- b + p (L - b), the line L pulling at rate p; off at p = 0 (ODD 7.3)."""
    if pull > 0.0:
        return belief + pull * (line - belief)
    return belief


@njit(cache=True, error_model="numpy")
def anchor_pull(belief: float, conviction: float, anchor: float) -> float:
    """Friedkin & Johnsen (1990) anchoring: b <- b + g (b0 - b); off at g = 0 (ODD 7.3).

    Source: N. E. Friedkin & E. C. Johnsen (1990), "Social influence and opinions", Journal of
    Mathematical Sociology 15. Members keep some attachment to the conviction b0 they joined
    with (their faction's platform), so factions do not dissolve in a few months of debate.
    """
    if anchor > 0.0:
        return belief + anchor * (conviction - belief)
    return belief
