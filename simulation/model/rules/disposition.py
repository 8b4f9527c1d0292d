"""Policy from the leader and his position: adamancy from security and threat (ODD 7.8).

With ``succession.policy.enabled`` the leader in power sets tolerance, surveillance and
severity by the adaptive authority of Daymude, Axelrod & Forrest (2025, DAF): a hill climb that
keeps a step unless it raised

    C_t = (alpha_t sum_i a_i + c sum_{i marked} pi(a_i)) / n_t,

voiced dissent weighted by his adamancy alpha_t plus his cost of punishing those marked, c
(:func:`simulation.model.rules.leadership.search_policy`). What is his, and what is his
position's, is split as follows:

    alpha_t = alpha_0 (1 + k_s (1 - S_t) + k_t T_t + k_d y_t)
    S_t = p_L / (p_L + p_R)                      (his security; 1 when neither has power)
    T_t = sum_{shocks s, m_s <= t} |x_s| 2^(-(t - m_s) / H)     (the threat)

``alpha_0`` and ``c`` are his disposition (scenario values, guesses read from his writings and
acts); ``p_L`` is his share of power and ``p_R`` that of his strongest rival (ODD 7.10); ``x_s``
the jump of reality of shock s in month ``m_s``, H its half-life; ``y_t`` his years in power. The
security term follows M. W. Svolik (2012), *The Politics of Authoritarian Rule* (Cambridge UP):
a dictator's problem of power-sharing is the threat from the allies who share power with him,
which grows as his power over theirs falls; the tenure term is the "power corrupts" drift,
off by default. So an insecure or threatened leader weighs dissent more and hardens; a secure
one in quiet times weighs it less, and the same search that hardened can loosen.

A contender outside power demands the tolerance he would need to be heard: the dissent of his
platform from the line in DAF's units, ``|p_j - L_t| / 2`` (7.2), the tolerance under which he
could state it without deviating.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def security(own: float, rival: float) -> float:
    """``S = p_L / (p_L + p_R)``, his power over his and his strongest rival's (1 if both 0)."""
    total = own + rival
    return own / total if total > 0 else 1.0


def strongest_rival(power: np.ndarray, leader: int) -> float:
    """The largest share of power among the contenders other than ``leader`` (0 if none).

    Args:
        power: Each contender's share of power.
        leader: The leader's index in ``power`` (-1: the leader is not a contender).
    """
    others = np.delete(np.asarray(power, dtype=np.float64), leader) if leader >= 0 else power
    return float(others.max()) if others.size else 0.0


def threat(shocks: Iterable[tuple[int, float]], month: int, half_life: float) -> float:
    """``T_t``: the shocks to reality so far, each halving every ``half_life`` months.

    Args:
        shocks: (month index, jump of reality) of every shock of the timeline.
        month: The month t.
        half_life: H, in months.
    """
    return float(
        sum(
            abs(size) * 2.0 ** (-(month - when) / half_life)
            for when, size in shocks
            if when <= month
        )
    )


def adamancy(
    base: float,
    secure: float,
    threatened: float,
    years: float,
    weights: tuple[float, float, float],
) -> float:
    """``alpha = alpha_0 (1 + k_s (1 - S) + k_t T + k_d y)``.

    Args:
        base: alpha_0, his disposition.
        secure: S in [0, 1].
        threatened: T >= 0.
        years: y, his years in power.
        weights: (k_s, k_t, k_d).
    """
    k_s, k_t, k_d = weights
    return base * (1.0 + k_s * (1.0 - secure) + k_t * threatened + k_d * years)


def demanded_tolerance(position: float, line: float) -> float:
    """The tolerance a contender needs to state his platform without deviating: |p - L| / 2."""
    return abs(position - line) / 2.0
