"""Debate, detection and denunciation (rules: debate, agreement, repression)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from simulation.model.counter_rng import draw, uniform
from simulation.model.members import Status
from simulation.model.passes.chunks import chunk_bounds, chunk_count
from simulation.model.passes.flags import FALSELY_DENOUNCED
from simulation.model.rules.agreement import relative_agreement
from simulation.model.rules.debate import (
    anchor_pull,
    deffuant_update,
    line_pull,
    within_confidence,
)
from simulation.model.rules.repression import (
    denunciation_probability,
    detection_probability,
    false_report_rate,
    hearer_weight,
)


@njit(inline="always", cache=True)
def tie_slot(start, degree, i, u):
    """Where in the arena the tie of ``i`` drawn by a uniform ``u`` sits (-1 if none)."""
    d = degree[i]
    return start[i] + int(u * d) if d > 0 else -1


@njit(inline="always", cache=True)
def random_tie(start, degree, arena, complete, n, i, u):
    """A uniformly drawn tie of ``i`` given a uniform ``u`` (-1 if ``i`` has none)."""
    if complete:
        if n < 2:
            return -1
        pick = int(u * (n - 1))
        return pick + (1 if pick >= i else 0)
    k = tie_slot(start, degree, i, u)
    return arena[k] if k >= 0 else -1


@njit(inline="always", cache=True)
def ties_of(degree, complete, n, i):
    """How many ties member ``i`` has."""
    return n - 1 if complete else degree[i]


@njit(inline="always", cache=True)
def add_mark(i, new_marks, marked, n_marked):
    """One more mark against ``i``, listing ``i`` if it is the first this month."""
    if new_marks[i] == 0.0:
        marked[n_marked] = i
        n_marked += 1
    new_marks[i] += 1.0
    return n_marked


@njit(cache=True)
def _debate_chunk(
    lo, hi, active, n_rows, belief, conviction, expressed, uncertainty, statement, start, degree,
    arena, complete, debate_model, hk_means, bound, rate, line, pull, anchor, partner_key,
):  # fmt: skip
    """:func:`debate` for ``active[lo:hi]`` (a kernel: plain arrays and numbers)."""
    # Scratch for one chunk only: it stays in the core's cache between the loops below.
    partner = np.empty(hi - lo, dtype=np.int32)
    heard = np.empty(hi - lo, dtype=np.float32)
    heard_uncertainty = np.empty(hi - lo if debate_model == 3 else 0, dtype=np.float32)
    if debate_model == 1 or debate_model == 3:
        # Short loops rather than one long one: each is a stream of independent memory reads
        # with little arithmetic, so the processor overlaps the cache misses of many members.
        if complete:
            for idx in range(lo, hi):
                i = active[idx]
                u = uniform(partner_key, i)
                partner[idx - lo] = random_tie(start, degree, arena, complete, n_rows, i, u)
        else:
            # First where each member's drawn tie sits in the arena (the draw's arithmetic),
            # then the ties themselves (the arena's misses): random_tie in two steps.
            slot = np.empty(hi - lo, dtype=np.int64)
            for idx in range(lo, hi):
                i = active[idx]
                slot[idx - lo] = tie_slot(start, degree, i, uniform(partner_key, i))
            for idx in range(lo, hi):
                k = slot[idx - lo]
                partner[idx - lo] = arena[k] if k >= 0 else -1
        if debate_model == 1:
            for k in range(hi - lo):
                j = partner[k]
                # expressed is NaN for anyone not active: the comparison below is then false.
                heard[k] = expressed[j] if j >= 0 else np.nan
        else:
            # One read per partner fetches what they said and how sure they sounded (NaN for
            # anyone not active): the random reads of ties' words are most of debate's time.
            for k in range(hi - lo):
                j = partner[k]
                if j >= 0:
                    said = statement[j]
                    heard[k] = said.real
                    heard_uncertainty[k] = said.imag
                else:
                    heard[k] = np.nan
    # The members' own state into scratch, the rules over the scratch alone, the results back:
    # loops that touch only the chunk's own arrays keep the arithmetic of one member from
    # waiting on the stores of the last (the columns might alias, as far as the compiler
    # knows), which makes relative agreement about as cheap as Deffuant's rule.
    count = hi - lo
    own = np.empty(count)
    sure = np.empty(count if debate_model == 3 else 0)
    anchored = np.empty(count)
    if debate_model == 3:
        for k in range(count):
            i = active[lo + k]
            own[k] = belief[i]
            anchored[k] = conviction[i]
            sure[k] = uncertainty[i]
        for k in range(count):
            b, u, said = own[k], sure[k], np.float64(heard[k])
            # Nobody heard (NaN): no update, as under Deffuant. Hearing oneself (s = b, v = u)
            # is exactly no update, and a choice of values costs no jump as a branch would.
            heard_someone = said == said
            conveyed = np.float64(heard_uncertainty[k]) if heard_someone else u
            said = said if heard_someone else b
            own[k], sure[k] = relative_agreement(b, u, said, conveyed, rate)
        for k in range(count):
            i = active[lo + k]
            uncertainty[i] = sure[k]
            belief[i] = anchor_pull(line_pull(own[k], line, pull), anchored[k], anchor)
        return
    for k in range(count):
        i = active[lo + k]
        own[k] = hk_means[i] if debate_model == 2 else belief[i]
        anchored[k] = conviction[i]
    if debate_model == 1:
        for k in range(count):
            own[k] = deffuant_update(own[k], np.float64(heard[k]), bound, rate)
    for k in range(count):
        b = line_pull(own[k], line, pull)
        # Every step is a convex combination of values in [-1, 1], so the belief stays there
        # (to within a float64 ulp that the float32 store rounds away): no clipping.
        belief[active[lo + k]] = anchor_pull(b, anchored[k], anchor)


@njit(cache=True, parallel=True)
def debate(active, n_rows, cols, net, settings, hk_means):
    """Debate for every active member, then the pull of the line and the anchor.

    Deffuant (``debate_model == 1``): member i draws one tie j and applies
    :func:`~simulation.model.rules.debate.deffuant_update` to what j said (NaN if j is not
    active). Hegselmann-Krause (2): b_i <- the precomputed bounded-confidence mean
    (:func:`confidence_means`). Relative agreement (3): member i draws one tie j and, if j is
    active, moves belief and uncertainty by
    :func:`simulation.model.rules.agreement.relative_agreement` on j's statement and conveyed
    uncertainty. Then :func:`~simulation.model.rules.debate.line_pull` and
    :func:`~simulation.model.rules.debate.anchor_pull` (docs/ODD.md 7.3). Each member changes
    only their own belief, so chunks of the roll run on every core.

    Args:
        active: The month's roll of active members.
        n_rows: Rows in use (everyone on a complete network).
        cols: The members' columns.
        net: The network's ties.
        settings: The month's :class:`~simulation.model.passes.bundles.Debate`.
        hk_means: The Hegselmann-Krause means by row (read only by that rule).
    """
    belief, conviction, expressed = cols.belief, cols.conviction, cols.expressed
    uncertainty, statement = cols.uncertainty, cols.statement
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    debate_model, bound, rate = settings.model, settings.bound, settings.rate
    line, pull, anchor = settings.line, settings.pull, settings.anchor
    partner_key = settings.partner_key
    n = active.shape[0]
    for c in prange(chunk_count(n)):
        lo, hi = chunk_bounds(c, n)
        _debate_chunk(
            lo, hi, active, n_rows, belief, conviction, expressed, uncertainty, statement, start,
            degree, arena, complete, debate_model, hk_means, bound, rate, line, pull, anchor,
            partner_key,
        )  # fmt: skip


@njit(cache=True)
def watch(deviators, n_rows, cols, net, marked, n_marked, settings):
    """The police and the informers on this month's deviators: marks.

    Detection: a deviating member is seen with
    :func:`~simulation.model.rules.repression.detection_probability`. Denunciation: each active
    tie j who heard the deviation counts with
    :func:`~simulation.model.rules.repression.hearer_weight`, and the deviator is reported with
    :func:`~simulation.model.rules.repression.denunciation_probability` of their sum
    (docs/ODD.md 7.4). Each gives one mark.

    Args:
        deviators: This month's deviators.
        n_rows: Rows in use.
        cols: The members' columns.
        net: The network's ties.
        marked: The list of members with new marks this month, ``n_marked`` long so far.
        n_marked: Its length.
        settings: The month's :class:`~simulation.model.passes.bundles.Watch`.

    Returns:
        ``(n_marked, seen)``: the length of the ``marked`` list and how many were seen.
    """
    dissent, status, fear, tier = cols.dissent, cols.status, cols.fear, cols.tier
    new_marks = cols.new_marks
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    visibility, surveillance = settings.visibility, settings.surveillance
    denunciation, denunciation_fear = settings.denunciation, settings.denunciation_fear
    detect_key, denounce_key = settings.detect_key, settings.denounce_key
    seen = 0
    for idx in range(deviators.shape[0]):
        i = deviators[idx]
        p = detection_probability(dissent[i], surveillance, visibility[tier[i]])
        if uniform(detect_key, i) < p:
            n_marked = add_mark(i, new_marks, marked, n_marked)
            seen += 1
        if denunciation > 0.0:
            heard_by = 0.0
            if complete:
                for j in range(n_rows):
                    if j != i and status[j] == Status.ACTIVE:
                        heard_by += hearer_weight(fear[j], denunciation_fear)
            else:
                for k in range(start[i], start[i] + degree[i]):
                    j = arena[k]
                    if status[j] == Status.ACTIVE:
                        heard_by += hearer_weight(fear[j], denunciation_fear)
            if uniform(denounce_key, i) < denunciation_probability(heard_by, denunciation):
                n_marked = add_mark(i, new_marks, marked, n_marked)
    return n_marked, seen


@njit(cache=True)
def false_report_rates(active, n_rows, cols, net, rate):
    """Cumulative false-report rates over the active members, in roll order.

    Each member's rate is :func:`~simulation.model.rules.repression.false_report_rate`.
    """
    cumulative = np.empty(active.shape[0] + 1)
    cumulative[0] = 0.0
    total = 0.0
    for idx in range(active.shape[0]):
        i = active[idx]
        ties = ties_of(net.degree, net.complete, n_rows, i)
        total += false_report_rate(rate, cols.fear[i], ties)
        cumulative[idx + 1] = total
    return cumulative


@njit(cache=True)
def false_reports(reports, active, cumulative, n_rows, cols, net, marked, n_marked, key):
    """Place ``reports`` false denunciations: informer by rate, target a random silent tie.

    Each active member j files Poisson(r_false fear_j) reports on each tie; the month's
    ``reports`` ~ Poisson(sum of rates) are spread over informers in proportion to their rates
    (the same process, drawn in aggregate: Poisson splitting). A report on a silent active
    member gives one mark, P = 1 - exp(-r_false sum_j fear_j) over i's active ties
    (Centola, Willer & Macy 2005).
    """
    status, deviated, flags, new_marks = cols.status, cols.deviated, cols.flags, cols.new_marks
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    total = cumulative[cumulative.shape[0] - 1]
    for r in range(reports):
        idx = np.searchsorted(cumulative, draw(key, r, 0) * total, side="right") - 1
        idx = min(max(idx, 0), active.shape[0] - 1)
        t = random_tie(start, degree, arena, complete, n_rows, active[idx], draw(key, r, 1))
        if (
            t >= 0
            and status[t] == Status.ACTIVE
            and not deviated[t]
            and not (flags[t] & FALSELY_DENOUNCED)
        ):
            flags[t] |= FALSELY_DENOUNCED
            n_marked = add_mark(t, new_marks, marked, n_marked)
    return n_marked


@njit(cache=True)
def confidence_means(active, belief, expressed, net, bound, out):
    """Hegselmann-Krause means on a sparse network, for the active members (docs/ODD.md 7.3).

    m_i = (b_i + sum of s_j over active ties heard) / (1 + their number), a tie heard when
    :func:`~simulation.model.rules.debate.within_confidence` says so.
    """
    start, degree, arena = net.start, net.degree, net.arena
    for idx in range(active.shape[0]):
        i = active[idx]
        b = np.float64(belief[i])
        total = b
        count = 1.0
        for k in range(start[i], start[i] + degree[i]):
            s = np.float64(expressed[arena[k]])
            if within_confidence(b, s, bound):  # NaN (not active) is never heard
                total += s
                count += 1.0
        out[i] = total / count
