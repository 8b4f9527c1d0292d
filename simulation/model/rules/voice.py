"""The voice-or-conform decision.

Source: J. J. Daymude, R. Axelrod & S. Forrest (2025), "Strategic analysis of dissent and
self-censorship", arXiv:2509.03731. Symbols: desired dissent delta_i in [0, 1] (``delta``),
boldness beta_i (``boldness``), tolerance tau (``tolerance``), surveillance nu
(``surveillance``), severity psi (``severity``). A member chooses dissent a in [0, delta] to
maximise

    U(a) = beta * a - P(seen | a) * pi(a),   P(seen | a) = nu + (1 - nu) * a,

with pi(a) = psi if a > tau else 0 ("uniform" punishment) or pi(a) = psi * (a - tau)
("proportional"). The paper's closed forms, implemented by :func:`dissent_choice`:

* uniform: comply (a = delta) if delta <= tau; defy (a = delta) if beta > (1 - nu) psi and
  delta > (beta tau + nu psi) / (beta - (1 - nu) psi); otherwise self-censor at a = tau.
* proportional: with a* = (tau + (beta - nu psi) / ((1 - nu) psi)) / 2, act a = delta if
  delta <= max(tau, a*), a = tau if a* <= tau, else a = a*.

Extensions (docs/ODD.md 7.2), each off when its weight is 0: the severity a member *perceives* is
psi * (1 + fear_weight * fear) (risk learned from punished neighbours; cf. Epstein 2002) and is
lowered by ``social_proof`` times the share of neighbours who openly deviated last month
(safety in numbers; Kuran 1989, Granovetter 1978).

Departure: members decide with the announced surveillance nu, as in the paper, where the
authority's policy is common knowledge. The police's extra attention to the elite (the tier
visibility that multiplies detection in :mod:`simulation.model.rules.repression`) is not part of
their calculation, so the politburo and central committee underestimate their risk. This is
an assumption that members know the policy, not how the police allocate attention.

Recantation (docs/ODD.md 7.6 step 5b) is this rule applied to an expelled member at liberty:
outside the party no dissent is tolerated, so the choice is all or nothing, to keep one's
platform in the open (a = delta) or to say the line and ask readmission (a = 0). Keeping it is
worth U(delta) = beta delta - (nu + (1 - nu) delta) psi_i (the open dissent outside costs the
cost of a deviation); recanting gives up beta delta (the expressive cost of falsifying one's
view entirely, Kuran 1995) and regains membership, whose worth in the rule's own terms is the
dissent the party tolerates its members, beta tau. The member recants unless
beta delta > (nu + (1 - nu) delta) psi_i + beta tau, that is exactly when the rule would
have them voice no more than tau as a member (:func:`recants`).
"""

from __future__ import annotations

import math
from enum import IntEnum

import numpy as np
from numba import njit

#: Dissent counts as a deviation only above the tolerance plus this slack (float round-off).
DEVIATION_SLACK = 1e-12


class Regime(IntEnum):
    """DAF's three behaviours (plus partial self-censorship under proportional punishment)."""

    COMPLY = 0  # desired dissent within tolerance: say it all, no risk
    SELF_CENSOR = 1  # say less than one thinks
    DEFY = 2  # say it all despite the risk


@njit(cache=True, error_model="numpy")
def dissent_choice(
    delta: float, beta: float, tau: float, nu: float, psi: float, proportional: bool
) -> float:
    """One member's utility-maximising dissent a* in [0, delta] (DAF 2025; docs/ODD.md 7.2).

    The closed forms of the module docstring, with ``delta`` the desired dissent, ``beta`` the
    boldness, ``tau`` the tolerance, ``nu`` the surveillance, ``psi`` the severity as perceived
    (:func:`perceived_severity`) and ``proportional`` the kind of punishment (uniform when
    false). The compiled pass :func:`simulation.model.passes.speech.speak` and the reference
    model call it per member; ``tests/test_voice.py`` checks it against the paper's closed form
    and a brute-force search. Written as selects rather than early returns: members' regimes
    are random, and a mispredicted branch per member would cost more than the arithmetic
    (``error_model="numpy"``: a division by zero gives inf instead of raising).
    """
    if not proportional:
        # Uniform punishment: self-censor at tau strictly between tau and the tipping point;
        # with slope <= 0 the tipping point is infinite (nobody defies).
        slope = beta - (1.0 - nu) * psi
        tipping = (beta * tau + nu * psi) / slope if slope > 0.0 else np.inf
        return tau if (delta > tau) & (delta <= tipping) else delta
    curvature = (1.0 - nu) * psi
    if curvature > 0.0:
        chosen = 0.5 * (tau + (beta - nu * psi) / curvature)
    # Perfect surveillance or no severity (or their product underflowing to 0): the utility is
    # linear beyond tau with slope beta - nu psi.
    elif beta >= nu * psi:
        chosen = np.inf
    else:
        chosen = -np.inf
    return delta if delta <= tau else min(delta, max(chosen, tau))


@njit(cache=True, error_model="numpy")
def member_dissent(
    delta, beta, fear, open_ties, active_ties, tau, nu, psi, fear_weight, social_proof,
    proportional,
):  # fmt: skip
    """One member's dissent by the rule with fear and safety in numbers (docs/ODD.md 7.2).

    ``open_ties / active_ties`` is the share o_i of ties who deviated last month
    (:func:`open_share`; 0 without active ties or social proof); the perceived severity
    psi (1 + w_f f) max(0, 1 - w_s o) (:func:`perceived_severity`) goes into
    :func:`dissent_choice`. The monthly voice pass and a congress's vote both call
    this, so a vote is decided exactly as speech is.
    """
    share = open_share(open_ties, active_ties) if social_proof > 0.0 else 0.0
    perceived = perceived_severity(psi, fear, fear_weight, share, social_proof)
    return dissent_choice(delta, beta, tau, nu, perceived, proportional)


@njit(cache=True, error_model="numpy")
def recants(
    belief, line, beta, fear, tau, nu, psi, fear_weight, proportional
):  # fmt: skip
    """Whether an expelled member recants: says the line and asks readmission (ODD 7.6 step 5b).

    Kuran (1995): a person falsifies their view when what saying it costs outweighs the
    expressive value lost. Here the cost of holding one's platform outside the party is the
    voice rule's expected punishment of saying it, (nu + (1 - nu) delta) psi_i, with
    psi_i = psi (1 + w_f f_i) the severity as the member's fear makes it
    (:func:`perceived_severity`; no safety in numbers outside the party's meetings); the
    value of membership is the tolerated voice beta tau; the cost of falsifying is beta delta.
    The member recants unless beta delta > (nu + (1 - nu) delta) psi_i + beta tau, which
    under uniform punishment is the rule's choice (:func:`dissent_choice`) of a dissent
    a_i <= tau (and is taken as that choice under proportional punishment too): whoever would
    not defy as a member renounces the platform. A member whose view lies within tolerance
    (delta <= tau) loses nothing by it and recants too.
    """
    delta = desired_dissent(belief, line)
    perceived = perceived_severity(psi, fear, fear_weight, 0.0, 0.0)
    return not deviates(dissent_choice(delta, beta, tau, nu, perceived, proportional), tau)


def classify(delta: np.ndarray, dissent: np.ndarray, tolerance: float) -> np.ndarray:
    """Label each member's choice as a :class:`Regime`."""
    delta = np.asarray(delta)
    dissent = np.asarray(dissent)
    regime = np.full(delta.shape, Regime.SELF_CENSOR, dtype=np.int8)
    regime[delta <= tolerance] = Regime.COMPLY
    regime[(delta > tolerance) & np.isclose(dissent, delta)] = Regime.DEFY
    return regime


@njit(cache=True, error_model="numpy")
def desired_dissent(belief: float, line: float) -> float:
    """delta_i = |b_i - L| / 2: half the distance to the line, in [0, 1] (ODD 7.2)."""
    return 0.5 * abs(belief - line)


@njit(cache=True, error_model="numpy")
def open_share(open_ties: int, active_ties: int) -> float:
    """o_i: the share of i's active ties who deviated openly last month, 0 without any (ODD 7.2).

    Social proof (Kuran 1989; Granovetter 1978): dissent is safer when others dissent.
    """
    return open_ties / active_ties if active_ties > 0 else 0.0


@njit(cache=True, error_model="numpy")
def perceived_severity(
    severity: float, fear: float, fear_weight: float, share: float, social_proof: float
) -> float:
    """Severity as a member perceives it: psi (1 + w_f f_i) max(0, 1 - w_s o_i) (ODD 7.2).

    ``fear`` is f_i (:mod:`simulation.model.rules.fear`), ``share`` the open share o_i
    (:func:`open_share`); with both weights w_f and w_s at 0 this is the announced severity
    psi, as in DAF 2025.
    """
    return severity * (1.0 + fear_weight * fear) * max(0.0, 1.0 - social_proof * share)


@njit(cache=True, error_model="numpy")
def expressed_position(line: float, belief: float, dissent: float) -> float:
    """What a member says: s_i = L + sign(b_i - L) 2 a_i, the line moved toward b (ODD 7.2).

    a is 0 when the belief is on the line, so the sign taken there does not matter.
    """
    return line + math.copysign(2.0 * dissent, belief - line)


@njit(cache=True, error_model="numpy")
def deviates(dissent: float, tolerance: float) -> bool:
    """Whether voiced dissent a counts as a deviation: a > tau, up to float round-off (ODD 7.2)."""
    return dissent > tolerance + DEVIATION_SLACK
