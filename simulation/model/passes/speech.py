"""Private signals of reality, and what each member says (rules: debate, voice, agreement)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from simulation.model.counter_rng import uniform
from simulation.model.passes.chunks import (
    add_chunks,
    chunk_bounds,
    chunk_count,
    chunk_table,
    join_lists,
)
from simulation.model.rules.agreement import conveyed_uncertainty, signal_trust
from simulation.model.rules.voice import member_dissent

SQRT3 = np.sqrt(3.0)


@njit(cache=True, error_model="numpy", parallel=True)
def speak(
    active,
    belief,
    fear,
    boldness,
    uncertainty,
    conveyed,
    open_ties,
    active_ties,
    dissent,
    expressed,
    deviated,
    ever_deviated,
    spoke,
    flips,
    deviators,
    relative,
    complete,
    total_open,
    signal_key,
    reality,
    signal_sd,
    signal_weight,
    line,
    tolerance,
    surveillance,
    severity,
    fear_weight,
    social_proof,
    proportional,
):
    """Signals, then the voice decision, for every active member.

    Signal: b <- b + w (x + sigma e - b), e uniform on [-sqrt 3, sqrt 3] (mean 0, sd 1); under
    relative agreement w is scaled by :func:`simulation.model.rules.agreement.signal_trust`.
    Voice: DAF's closed form with severity perceived as psi (1 + w_f fear)(1 - w_s open share).

    Each member changes only their own state, so chunks of the roll run on every core; sums
    and lists are combined in chunk order (:mod:`simulation.model.passes.chunks`).

    Relative agreement (``relative``): the uncertainty heard in the statement,
    v = u + |b - s| (:func:`simulation.model.rules.agreement.conveyed_uncertainty`).

    Returns:
        ``(flips, deviating, voiced, desired, falsified, hidden)``: how many members'
        deviation changed (listed in ``flips``), how many deviate (listed in ``deviators``),
        the sums of a, delta and |b - s|, and how many hide disagreement (delta above tau,
        a at most tau: self-censoring, docs/ODD.md 4.11).
    """
    total_active = active.shape[0]
    chunks = chunk_count(total_active)
    sums = chunk_table(chunks, 3, np.float64)
    counts = chunk_table(3, chunks, np.int64)
    chunk_flips = counts[0]
    chunk_deviating = counts[1]
    chunk_hidden = counts[2]
    for c in prange(chunks):  # chunk by chunk: see simulation.model.passes.chunks
        lo, hi = chunk_bounds(c, total_active)
        n_flips = 0
        deviating = 0
        hidden = 0
        voiced = 0.0
        desired = 0.0
        falsified = 0.0
        for idx in range(lo, hi):
            i = active[idx]
            b = np.float64(belief[i])
            if signal_weight > 0.0:
                noise = SQRT3 * (2.0 * uniform(signal_key, i) - 1.0)
                weight = signal_weight
                if relative:
                    weight *= signal_trust(np.float64(uncertainty[i]))
                b += weight * (reality + signal_sd * noise - b)
                b = min(1.0, max(-1.0, b))
                belief[i] = b
            delta = 0.5 * abs(b - line)
            if complete:  # everyone's ties: the whole party but oneself
                o, t = total_open - (1 if deviated[i] else 0), total_active - 1
            else:
                o, t = open_ties[i], active_ties[i]
            beta = np.float64(boldness[i])
            a = member_dissent(
                delta, beta, fear[i], o, t, tolerance, surveillance, severity, fear_weight,
                social_proof, proportional,
            )  # fmt: skip
            # The line moved toward the belief by 2a (a is 0 when b is on the line, so the
            # sign copysign gives a belief on the line does not matter).
            said = line + math.copysign(2.0 * a, b - line)
            dev = a > tolerance + 1e-12
            if relative:
                conveyed[i] = conveyed_uncertainty(np.float64(uncertainty[i]), b, said)
            # Disagreement beyond tolerance kept private: the member self-censors.
            hidden += (delta > tolerance) & (not dev)
            if dev != deviated[i]:
                flips[lo + n_flips] = i
                n_flips += 1
                deviated[i] = dev
            if dev:
                ever_deviated[i] = True
                deviators[lo + deviating] = i
                deviating += 1
            spoke[i] = True
            dissent[i] = a
            expressed[i] = said
            voiced += a
            desired += delta
            falsified += abs(b - said)
        sums[c, 0] = voiced
        sums[c, 1] = desired
        sums[c, 2] = falsified
        chunk_flips[c] = n_flips
        chunk_deviating[c] = deviating
        chunk_hidden[c] = hidden
    total = chunk_table(1, 3, np.float64)[0]
    add_chunks(sums, total)
    voiced, desired, falsified = total[0], total[1], total[2]
    n_flips = join_lists(flips, chunk_flips)
    deviating = join_lists(deviators, chunk_deviating)
    return n_flips, deviating, voiced, desired, falsified, chunk_hidden.sum()
