"""Private signals of reality, and what each member says (rules: debate, voice, agreement)."""

from __future__ import annotations

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
from simulation.model.rules.debate import signal_noise, signal_pull
from simulation.model.rules.voice import (
    desired_dissent,
    deviates,
    expressed_position,
    member_dissent,
)


@njit(cache=True, error_model="numpy", parallel=True)
def speak(active, cols, net, flips, deviators, settings):
    """Signals, then the voice decision, for every active member (docs/ODD.md 7.1, 7.2).

    Signal: :func:`~simulation.model.rules.debate.signal_pull` with the noise of
    :func:`~simulation.model.rules.debate.signal_noise`; under relative agreement the weight
    is scaled by :func:`simulation.model.rules.agreement.signal_trust`. Voice: DAF's closed form
    (:func:`~simulation.model.rules.voice.dissent_choice`) with the severity as perceived
    (:func:`~simulation.model.rules.voice.perceived_severity`), then what is said
    (:func:`~simulation.model.rules.voice.expressed_position`). Relative agreement
    (``settings.relative``): the uncertainty heard in the statement, v = u + |b - s|
    (:func:`simulation.model.rules.agreement.conveyed_uncertainty`).

    Each member changes only their own state, so chunks of the roll run on every core; sums
    and lists are combined in chunk order (:mod:`simulation.model.passes.chunks`).

    Args:
        active: The month's roll of active members.
        cols: The members' columns (:data:`~simulation.model.passes.bundles.Columns`).
        net: The network's ties (:class:`~simulation.model.passes.bundles.Ties`).
        flips: Room for the members whose deviation changed.
        deviators: Room for the members who deviate.
        settings: The month's :class:`~simulation.model.passes.bundles.Speech`.

    Returns:
        ``(flips, deviating, voiced, desired, falsified, hidden)``: how many members'
        deviation changed (listed in ``flips``), how many deviate (listed in ``deviators``),
        the sums of a, delta and |b - s|, and how many hide disagreement (delta above tau,
        a at most tau: self-censoring, docs/ODD.md 4.11).
    """
    # Fields to locals, outside the parallel loop: the loop body sees plain arrays and numbers.
    belief, fear, boldness = cols.belief, cols.fear, cols.boldness
    uncertainty, statement = cols.uncertainty, cols.statement
    open_ties, active_ties = cols.open_ties, cols.active_ties
    dissent, expressed, spoke = cols.dissent, cols.expressed, cols.spoke
    deviated, ever_deviated = cols.deviated, cols.ever_deviated
    complete = net.complete
    signal_key, reality, signal_sd = settings.signal_key, settings.reality, settings.signal_sd
    signal_weight, line, tolerance = settings.signal_weight, settings.line, settings.tolerance
    surveillance, severity = settings.surveillance, settings.severity
    fear_weight, social_proof = settings.fear_weight, settings.social_proof
    proportional, total_open = settings.proportional, settings.total_open
    relative = settings.relative
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
            # Read once: relative agreement weighs the signal and the statement by it.
            u = np.float64(uncertainty[i]) if relative else 1.0
            if signal_weight > 0.0:
                noise = signal_noise(uniform(signal_key, i))
                weight = signal_weight
                if relative:
                    weight *= signal_trust(u)
                b = signal_pull(b, reality, signal_sd, noise, weight)
                belief[i] = b
            delta = desired_dissent(b, line)
            if complete:  # everyone's ties: the whole party but oneself
                o, t = total_open - (1 if deviated[i] else 0), total_active - 1
            else:
                o, t = open_ties[i], active_ties[i]
            beta = np.float64(boldness[i])
            a = member_dissent(
                delta, beta, fear[i], o, t, tolerance, surveillance, severity, fear_weight,
                social_proof, proportional,
            )  # fmt: skip
            said = expressed_position(line, b, a)
            dev = deviates(a, tolerance)
            if relative:
                statement[i] = complex(said, conveyed_uncertainty(u, b, said))
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
    hidden = 0
    for c in range(chunks):  # a loop: .sum() here would be a parallel loop of its own
        hidden += chunk_hidden[c]
    return n_flips, deviating, voiced, desired, falsified, hidden


#: Members costed together by :func:`foresee`: their state gathered into buffers this long (a
#: few kilobytes, held in the first-level cache) so that the rule runs over contiguous values.
FORESIGHT_BLOCK = 512


@njit(cache=True, error_model="numpy")
def foresee(active, cols, net, policies):
    """What each of a few policies would cost the authority on the party as it stands (7.8).

    For every active member, the dissent a_i the voice rule gives under each policy of
    ``policies`` (a tuple of :class:`~simulation.model.passes.bundles.Speech`, which differ in
    tolerance, surveillance and severity; the member's belief, boldness, fear and open ties as
    they are now), and the punishment the authority expects to inflict on it: P(seen | a) pi(a),
    with P(seen | a) = nu + (1 - nu) a as in the member's own calculus and pi(a) = psi (uniform)
    or psi (a - tau) (proportional) when a deviates. Changes nothing.

    The members are taken in blocks of :data:`FORESIGHT_BLOCK`: their state is gathered once
    into contiguous buffers, each policy's rule runs over the buffers (:func:`_cost_block`, a
    loop the compiler turns into vector instructions), and the block's values are added to the
    policy's sums member by member, in the roll's order. The sums are those of adding the
    members one by one, to the last bit, at about half the cost of the member-by-member loop.

    Returns:
        ``(voiced, punishing)``: per policy, the sums of a_i and of the expected punishment.
    """
    belief, fear, boldness = cols.belief, cols.fear, cols.boldness
    open_ties, active_ties, deviated = cols.open_ties, cols.active_ties, cols.deviated
    count = len(policies)
    total_open = policies[0].total_open
    total_active = active.shape[0]
    voiced = np.zeros(count)
    punishing = np.zeros(count)
    # The block's members: belief and boldness as the rule reads them (float64), fear as stored.
    held = np.empty(FORESIGHT_BLOCK)
    bold = np.empty(FORESIGHT_BLOCK)
    afraid = np.empty(FORESIGHT_BLOCK, dtype=fear.dtype)
    seen_open = np.empty(FORESIGHT_BLOCK, dtype=np.int64)
    ties = np.empty(FORESIGHT_BLOCK, dtype=np.int64)
    said = np.empty(FORESIGHT_BLOCK)
    harmed = np.empty(FORESIGHT_BLOCK)
    for lo in range(0, total_active, FORESIGHT_BLOCK):
        size = min(FORESIGHT_BLOCK, total_active - lo)
        for j in range(size):
            i = active[lo + j]
            held[j] = belief[i]
            bold[j] = boldness[i]
            afraid[j] = fear[i]
            if net.complete:
                seen_open[j] = total_open - (1 if deviated[i] else 0)
                ties[j] = total_active - 1
            else:
                seen_open[j] = open_ties[i]
                ties[j] = active_ties[i]
        for k in range(count):
            _cost_block(size, held, bold, afraid, seen_open, ties, policies[k], said, harmed)
            # Local sums: an accumulator kept in memory would make every addition wait on a store.
            v, p = voiced[k], punishing[k]
            for j in range(size):
                v += said[j]
                p += harmed[j]
            voiced[k], punishing[k] = v, p
    return voiced, punishing


@njit(cache=True, error_model="numpy")
def _cost_block(size, belief, boldness, fear, open_ties, active_ties, policy, said, harmed):
    """Each of ``size`` gathered members' dissent under ``policy``, and its expected punishment.

    ``said[j]`` is a_j by the voice rule; ``harmed[j]`` is P(seen | a_j) pi(a_j) when a_j
    deviates, else 0 (adding 0 to a sum of non-negative terms leaves it as it is). No branch
    depends on the member, so the loop runs in vector instructions.
    """
    tolerance, surveillance, severity = policy.tolerance, policy.surveillance, policy.severity
    proportional = policy.proportional
    for j in range(size):
        delta = desired_dissent(belief[j], policy.line)
        a = member_dissent(
            delta, boldness[j], fear[j], open_ties[j], active_ties[j], tolerance, surveillance,
            severity, policy.fear_weight, policy.social_proof, proportional,
        )  # fmt: skip
        said[j] = a
        harm = severity * (a - tolerance) if proportional else severity
        seen = surveillance + (1.0 - surveillance) * a
        harmed[j] = seen * harm if deviates(a, tolerance) else 0.0
