"""The voice-or-conform decision.

Source: J. J. Daymude, R. Axelrod & S. Forrest (2025), "Strategic analysis of dissent and
self-censorship", arXiv:2509.03731. Symbols: desired dissent delta_i in [0, 1] (``delta``),
boldness beta_i (``boldness``), tolerance tau (``tolerance``), surveillance nu
(``surveillance``), severity psi (``severity``). A member chooses dissent a in [0, delta] to
maximise

    U(a) = beta * a - P(seen | a) * pi(a),   P(seen | a) = nu + (1 - nu) * a,

with pi(a) = psi if a > tau else 0 ("uniform" punishment) or pi(a) = psi * (a - tau)
("proportional"). The paper's closed forms, implemented by :func:`optimal_dissent`:

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
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numba import njit


class Regime(IntEnum):
    """DAF's three behaviours (plus partial self-censorship under proportional punishment)."""

    COMPLY = 0  # desired dissent within tolerance: say it all, no risk
    SELF_CENSOR = 1  # say less than one thinks
    DEFY = 2  # say it all despite the risk


def optimal_dissent(
    delta: np.ndarray,
    boldness: np.ndarray,
    tolerance: float,
    surveillance: float | np.ndarray,
    severity: float | np.ndarray,
    punishment: str = "uniform",
) -> np.ndarray:
    """Utility-maximising dissent a* in [0, delta] (DAF 2025, closed forms in the module doc).

    Args:
        delta: Desired dissent per member, in [0, 1].
        boldness: Boldness beta per member (>= 0).
        tolerance: tau in [0, 1].
        surveillance: nu in [0, 1], scalar or per member.
        severity: psi >= 0 as perceived, scalar or per member.
        punishment: ``"uniform"`` or ``"proportional"``.

    Returns:
        The dissent each member voices.
    """
    delta = np.asarray(delta, dtype=np.float64)
    beta = np.asarray(boldness, dtype=np.float64)
    nu = np.broadcast_to(np.asarray(surveillance, dtype=np.float64), delta.shape)
    psi = np.broadcast_to(np.asarray(severity, dtype=np.float64), delta.shape)
    tau = float(tolerance)
    within = delta <= tau
    if punishment == "uniform":
        slope = beta - (1.0 - nu) * psi
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tipping = np.where(slope > 0, (beta * tau + nu * psi) / slope, np.inf)
        defy = (slope > 0) & (delta > tipping)
        return np.where(within | defy, delta, tau)
    if punishment == "proportional":
        curvature = (1.0 - nu) * psi
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # inf is meant
            interior = 0.5 * (tau + (beta - nu * psi) / curvature)
        # Perfect surveillance or no severity (or their product underflowing to 0): the
        # utility is linear beyond tau with slope beta - nu psi.
        linear = np.where(beta >= nu * psi, np.inf, -np.inf)
        interior = np.where(curvature > 0, interior, linear)
        chosen = np.clip(interior, tau, None)
        return np.where(within, delta, np.minimum(delta, chosen))
    raise ValueError(f"unknown punishment {punishment!r}; allowed: uniform, proportional")


@njit(cache=True, error_model="numpy")
def dissent_choice(
    delta: float, beta: float, tau: float, nu: float, psi: float, proportional: bool
) -> float:
    """One member's utility-maximising dissent: the closed forms of :func:`optimal_dissent`.

    The compiled monthly pass calls this per member; ``tests/test_voice.py`` checks that it
    equals the vectorised :func:`optimal_dissent` everywhere. Written as selects rather than
    early returns: members' regimes are random, and a mispredicted branch per member would
    cost more than the arithmetic (``error_model="numpy"``: a division by zero gives inf, as
    the vectorised form does, instead of raising).
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

    ``open_ties / active_ties`` is the share o_i of ties who deviated last month (0 without
    active ties or social proof); the perceived severity psi (1 + w_f f) max(0, 1 - w_s o)
    goes into :func:`dissent_choice`. The monthly voice pass and a congress's vote both call
    this, so a vote is decided exactly as speech is.
    """
    share = 0.0
    if social_proof > 0.0 and active_ties > 0:
        share = open_ties / active_ties
    perceived = psi * (1.0 + fear_weight * fear) * max(0.0, 1.0 - social_proof * share)
    return dissent_choice(delta, beta, tau, nu, perceived, proportional)


def classify(delta: np.ndarray, dissent: np.ndarray, tolerance: float) -> np.ndarray:
    """Label each member's choice as a :class:`Regime`."""
    delta = np.asarray(delta)
    dissent = np.asarray(dissent)
    regime = np.full(delta.shape, Regime.SELF_CENSOR, dtype=np.int8)
    regime[delta <= tolerance] = Regime.COMPLY
    regime[(delta > tolerance) & np.isclose(dissent, delta)] = Regime.DEFY
    return regime


def perceived_severity(
    severity: float,
    fear: np.ndarray,
    fear_weight: float,
    open_share: np.ndarray,
    social_proof: float,
) -> np.ndarray:
    """Severity as a member perceives it: psi (1 + w_f fear) max(0, 1 - w_s open_share).

    With both weights 0 this is the announced severity psi, as in DAF 2025.
    """
    scale = (1.0 + fear_weight * fear) * np.clip(1.0 - social_proof * open_share, 0.0, None)
    return severity * scale


def desired_dissent(belief: np.ndarray, line: float) -> np.ndarray:
    """delta_i = |b_i - L| / 2: half the distance to the line, so that delta lies in [0, 1]."""
    return 0.5 * np.abs(belief - line)


def expressed_position(belief: np.ndarray, line: float, dissent: np.ndarray) -> np.ndarray:
    """What a member says: the line moved toward their belief by the voiced dissent (2a)."""
    return line + np.sign(belief - line) * 2.0 * dissent
