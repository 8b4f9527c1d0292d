"""The vote at a congress: private support, and the voice decision on voting against (ODD 7.9)."""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.model.rules.voice import member_dissent


@njit(cache=True, error_model="numpy")
def cast_votes(
    voters, belief, fear, boldness, deviated, open_ties, active_ties, complete, total_open,
    line, platforms, tolerance, surveillance, severity, fear_weight, social_proof,
    proportional, supports, against,
):  # fmt: skip
    """Each voter's private choice and open vote (docs/ODD.md 7.9).

    Private support: the platform nearest the voter's belief, if it is strictly nearer than
    the line (``supports[k] = p``), else the line (``supports[k] = -1``). Open vote: a
    supporter votes against the line when the voice rule of 7.2, with this month's fear and
    last month's open ties (safety in numbers), has them voice all their desired dissent:
    ``a_i = delta_i`` (DAF's comply or defy), with ``a_i = dissent_choice(delta_i, beta_i,
    tau, nu, psi_i)``, ``delta_i = |b_i - L| / 2`` and ``psi_i = psi (1 + w_f f_i) max(0, 1 -
    w_s o_i)``, by :func:`~simulation.model.rules.voice.member_dissent`, as the voice pass does. A
    self-censoring supporter (``a_i < delta_i``) votes for the line: the hidden opposition.
    The vote draws nothing: given the state, it is deterministic.

    Writes ``supports`` and ``against`` (one entry per voter); returns how many vote against.
    """
    total_active = voters.shape[0]
    n_against = 0
    for k in range(total_active):
        i = voters[k]
        b = np.float64(belief[i])
        nearest = abs(b - line)
        choice = -1
        for p in range(platforms.shape[0]):
            distance = abs(b - platforms[p])
            if distance < nearest:
                nearest = distance
                choice = p
        supports[k] = choice
        against[k] = False
        if choice < 0:
            continue
        delta = 0.5 * abs(b - line)
        if complete:  # everyone's ties: the whole party but oneself
            o, t = total_open - (1 if deviated[i] else 0), total_active - 1
        else:
            o, t = open_ties[i], active_ties[i]
        a = member_dissent(
            delta, np.float64(boldness[i]), fear[i], o, t, tolerance, surveillance, severity,
            fear_weight, social_proof, proportional,
        )  # fmt: skip
        # A vote is all or nothing: it states the platform, so a member votes against when
        # the voice rule lets them say all they think (comply or defy), not when it has them
        # say less (self-censor).
        if a >= delta - 1e-12:
            against[k] = True
            n_against += 1
    return n_against
