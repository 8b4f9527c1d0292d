"""Prison, deaths, rehabilitation, recruits' ties, the end-of-month census and promotion."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from simulation.model.counter_rng import draw, poisson
from simulation.model.members import Status, Tier
from simulation.model.passes.arena import append_tie, has_tie
from simulation.model.passes.chunks import (
    add_chunks,
    chunk_bounds,
    chunk_count,
    chunk_table,
    join_lists,
)
from simulation.model.passes.ties import fall_silent, propagate
from simulation.model.rules.membership import admission_probability
from simulation.model.rules.voice import recants


@njit(cache=True)
def admission_chances(belief, line, screening):
    """Each candidate's chance of admission (docs/ODD.md 7.6).

    Each is :func:`~simulation.model.rules.membership.admission_probability` of their belief.
    """
    chances = np.empty(belief.shape[0])
    for k in range(belief.shape[0]):
        chances[k] = admission_probability(belief[k], line, screening)
    return chances


@njit(cache=True)
def serve_terms(prisoners, cols, settings):
    """Prisoners die or serve a month; those whose term is over go free (ODD 7.6 steps 1-2).

    Each prisoner dies with the prison mortality; the others who were in prison at the start of
    the month (the first ``settings.jailed_before`` of ``prisoners``) serve a month of their
    term, and those at 0 are released as former members. Those jailed this month start their
    term next month. Rows whose status changed since the list was taken are skipped.

    Returns:
        ``(died_in_prison, released, prisoners_left)``.
    """
    status, term = cols.status, cols.term
    key, prison_mortality = settings.key, settings.prison_mortality
    died_in_prison = 0
    released = 0
    prisoners_left = 0
    for idx in range(prisoners.shape[0]):
        i = prisoners[idx]
        if status[i] != Status.IMPRISONED:
            continue
        if draw(key, i, 0) < prison_mortality:
            status[i] = Status.GONE
            died_in_prison += 1
            continue
        if idx >= settings.jailed_before:  # jailed this month: the term starts next month
            prisoners_left += 1
            continue
        term[i] -= 1
        if term[i] > 0:
            prisoners_left += 1
            continue
        term[i] = 0
        status[i] = Status.EXPELLED
        released += 1
    return died_in_prison, released, prisoners_left


@njit(cache=True, parallel=True)
def leave(active, cols, net, settings):
    """Active members die or leave the party at the attrition rate (ODD 7.6 step 3).

    Who leaves depends only on their own status and draw: chosen on every core, chunk by
    chunk; then, on one thread and in roll order, each leaver's ties stop counting them.

    Returns:
        How many members of ``active`` are still active.
    """
    status, deviated, spoke = cols.status, cols.deviated, cols.spoke
    dissent, expressed, statement = cols.dissent, cols.expressed, cols.statement
    open_ties, active_ties = cols.open_ties, cols.active_ties
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    key, attrition = settings.key, settings.attrition
    n_active = active.shape[0]
    leavers = np.empty(n_active, dtype=np.int32)
    counts = chunk_table(2, chunk_count(n_active), np.int64)
    chunk_leavers, chunk_present = counts[0], counts[1]
    for c in prange(chunk_count(n_active)):
        lo, hi = chunk_bounds(c, n_active)
        n = 0
        present = 0
        for idx in range(lo, hi):
            i = active[idx]
            if status[i] == Status.ACTIVE:
                present += 1
                if draw(key, i, 1) < attrition:
                    leavers[lo + n] = i
                    n += 1
        chunk_leavers[c] = n
        chunk_present[c] = present
    n_leavers = join_lists(leavers, chunk_leavers)
    stayed = -n_leavers
    for c in range(chunk_present.shape[0]):  # a loop: .sum() here would be a parallel loop
        stayed += chunk_present[c]
    for idx in range(n_leavers):
        i = leavers[idx]
        fall_silent(
            i, deviated, spoke, dissent, expressed, statement, start, degree, arena, complete,
            open_ties, active_ties,
        )  # fmt: skip
        status[i] = Status.GONE
    return stayed


@njit(cache=True)
def readmit(expelled, prisoners, cols, net, settings, opposition):
    """Former members at liberty die, are readmitted or recant (ODD 7.6 steps 4-5b).

    ``expelled`` lists former members, then ``prisoners`` (who include those released this
    month); each who is a former member now dies at the outside mortality rate, and survivors
    who were out of the party all month (the first ``settings.out_before`` of ``expelled`` and
    ``settings.jailed_before`` of ``prisoners``) are readmitted at the rehabilitation rate:
    those punished this month cannot return before next month (so nobody is counted twice in
    the census). With ``settings.recantation`` above 0, a member expelled as an opposition
    (``opposition``, by row: by a campaign on their faction) who was at liberty all month and
    is not rehabilitated recants if the voice rule has them renounce their platform
    (:func:`~simulation.model.rules.voice.recants`) and is readmitted with that chance.

    Returns:
        ``(readmitted_rows, expelled_left, recanted)``: the recanters are among the readmitted
        rows too; ``recanted`` counts them.
    """
    status, belief, boldness, fear = cols.status, cols.belief, cols.boldness, cols.fear
    key, rehabilitation, recantation = settings.key, settings.rehabilitation, settings.recantation
    readmitted = np.empty(expelled.shape[0] + prisoners.shape[0], dtype=np.int32)
    n_readmitted = 0
    recanted = 0
    expelled_left = 0
    for group in range(2):
        roll = expelled if group == 0 else prisoners
        before = settings.out_before if group == 0 else settings.jailed_before
        for idx in range(roll.shape[0]):
            i = roll[idx]
            if status[i] != Status.EXPELLED:
                continue
            if draw(key, i, 2) < settings.outside_mortality:
                status[i] = Status.GONE
                continue
            if idx < before and rehabilitation > 0.0 and draw(key, i, 3) < rehabilitation:
                _rejoin(i, cols, net)
                readmitted[n_readmitted] = i
                n_readmitted += 1
                continue
            if group == 0 and idx < before and recantation > 0.0 and opposition[i]:
                renounces = recants(
                    np.float64(belief[i]), settings.line, np.float64(boldness[i]), fear[i],
                    settings.tolerance, settings.surveillance, settings.severity,
                    settings.fear_weight, settings.proportional,
                )  # fmt: skip
                if renounces and draw(key, i, 4) < recantation:
                    _rejoin(i, cols, net)
                    readmitted[n_readmitted] = i
                    n_readmitted += 1
                    recanted += 1
                    continue
            expelled_left += 1
    return readmitted[:n_readmitted], expelled_left, recanted


@njit(cache=True)
def _rejoin(i, cols, net):
    # Readmission, by rehabilitation or recantation (ODD 7.6 steps 5-5b): back in the rank
    # and file with a clean dossier, counted at their belief until they speak next month (a
    # recanter too: what they said to return is not their position in the party); their ties
    # count them as active again.
    cols.status[i] = Status.ACTIVE
    cols.rehabilitated[i] = True
    cols.dossier[i] = 0.0
    cols.tier[i] = Tier.RANK_AND_FILE
    cols.expressed[i] = cols.belief[i]
    propagate(
        net.start, net.degree, net.arena, net.complete, i, 0, 1, cols.open_ties,
        cols.active_ties,
    )  # fmt: skip


@njit(cache=True, parallel=True)
def recruit_pools(rows, faction, tier, n_factions, organisation, n_organisations):
    """Whom recruits may tie to: ``rows`` grouped by faction and by organisation, and patrons.

    Each grouping is a stable counting sort: faction ``f`` is ``grouped[bucket_start[f] :
    bucket_start[f + 1]]``, and likewise organisation ``g`` in ``by_organisation`` (empty when
    ``n_organisations`` is 0). Patrons are the cadres, or the central committee when there are
    no cadres. Two passes over fixed chunks of the roll, each on every core: one counts each
    chunk's members by faction, tier and organisation, the other writes each chunk's rows at
    the places the counts give (so the result does not depend on the threads). Both groupings
    come from one read of the roll.

    Returns:
        ``(grouped, bucket_start, patrons, by_organisation, organisation_start)``.
    """
    n = rows.shape[0]
    chunks = chunk_count(n)
    # Per chunk: members of each faction, cadres, central committee members, then members of
    # each organisation.
    cadre_col = n_factions
    first_organisation = n_factions + 2
    counts = chunk_table(chunks + 1, first_organisation + n_organisations, np.int64)
    for c in prange(chunks):
        lo, hi = chunk_bounds(c, n)
        for idx in range(lo, hi):
            i = rows[idx]
            counts[c + 1, faction[i]] += 1
            counts[c + 1, cadre_col] += tier[i] == Tier.CADRE
            counts[c + 1, cadre_col + 1] += tier[i] == Tier.CENTRAL_COMMITTEE
            if n_organisations:
                counts[c + 1, first_organisation + organisation[i]] += 1
    # Running totals down the chunks: counts[c] becomes where chunk c starts, within each
    # bucket and within the patrons.
    for c in range(chunks):
        for k in range(counts.shape[1]):
            counts[c + 1, k] += counts[c, k]
    bucket_start = _bucket_starts(counts[chunks], 0, n_factions)
    organisation_start = _bucket_starts(counts[chunks], first_organisation, n_organisations)
    patron_col = cadre_col if counts[chunks, cadre_col] > 0 else cadre_col + 1
    patron_tier = np.int64(Tier.CADRE if patron_col == cadre_col else Tier.CENTRAL_COMMITTEE)
    grouped = np.empty_like(rows)
    by_organisation = np.empty(n if n_organisations else 0, dtype=rows.dtype)
    patrons = np.empty(counts[chunks, patron_col], dtype=rows.dtype)
    for c in prange(chunks):
        lo, hi = chunk_bounds(c, n)
        _place_chunk(
            rows, lo, hi, faction, tier, patron_tier, bucket_start, counts[c], patron_col,
            grouped, patrons,
        )  # fmt: skip
        if n_organisations:
            _place_chunk(
                rows, lo, hi, organisation, tier, np.int64(-1), organisation_start,
                counts[c, first_organisation:], 0, by_organisation, patrons,
            )  # fmt: skip
    return grouped, bucket_start, patrons, by_organisation, organisation_start


@njit(cache=True)
def _bucket_starts(totals, first, count):
    """Where each of ``count`` buckets begins, from their sizes ``totals[first:first + count]``."""
    start = chunk_table(1, count + 1, np.int64)[0]
    for k in range(count):
        start[k + 1] = start[k] + totals[first + k]
    return start


@njit(cache=True)
def _place_chunk(
    rows, lo, hi, key, tier, patron_tier, bucket_start, at, patron_col, grouped, patrons
):
    # ``at`` holds where this chunk's members of each bucket (and its patrons) begin; a
    # ``patron_tier`` of -1 lists no patrons.
    filled = at.copy()
    for idx in range(lo, hi):
        i = rows[idx]
        g = key[i]
        grouped[bucket_start[g] + filled[g]] = i
        filled[g] += 1
        if tier[i] == patron_tier:
            patrons[filled[patron_col]] = i
            filled[patron_col] += 1


@njit(cache=True, parallel=True)
def choose_partners(first, last, active, pools, cols, settings):
    """Whom recruits ``first .. last - 1`` tie to (the ties are made by :func:`attach_recruits`).

    Each makes Poisson(``random_ties``) ties to active members, each inside their own faction
    with probability ``homophily`` (otherwise with anyone), and, with patronage, one tie to a
    patron drawn from ``patrons``. ``by_faction`` is the roll grouped by faction, faction ``f``
    at ``by_faction[bucket_start[f]:bucket_start[f + 1]]`` (both from :func:`recruit_pools`).
    A draw of someone who has left since the roll was taken is redrawn (up to 64 times).
    ``pools`` is ``(by_faction, bucket_start, patrons)`` and ``settings`` a
    :class:`~simulation.model.passes.bundles.Recruiting`.

    Choosing only reads the party, so it runs on every core; the draws are keyed by recruit,
    so the choice does not depend on the order or the threads.

    Returns:
        ``(offsets, partners)``: recruit ``first + r`` ties to ``partners[offsets[r] :
        offsets[r + 1]]`` in that order, where -1 means the draw found nobody.
    """
    by_faction, bucket_start, patrons = pools
    status, faction = cols.status, cols.faction
    random_ties, homophily = settings.random_ties, settings.homophily
    patronage, key = settings.patronage, settings.key
    count = last - first
    n_active = active.shape[0]
    offsets = chunk_table(1, count + 1, np.int64)[0]
    for r in range(count):
        offsets[r + 1] = offsets[r] + poisson(random_ties, draw(key, first + r, 0)) + patronage
    partners = np.full(offsets[count], -1, dtype=np.int32)
    for c in prange(chunk_count(count)):
        lo, hi = chunk_bounds(c, count)
        for rr in range(lo, hi):
            r = first + rr
            if n_active == 0:
                continue
            f = faction[r]
            in_own = bucket_start[f + 1] - bucket_start[f]
            wanted = offsets[rr + 1] - offsets[rr] - patronage
            for t in range(wanted + patronage):
                patron = t == wanted
                # One coin per tie: inside the faction with probability homophily.
                in_faction = not patron and draw(key, r, 2 + 2 * 64 * t) < homophily
                for attempt in range(64):
                    u = draw(key, r, 1 + 2 * (64 * t + attempt))
                    if patron:
                        if patrons.shape[0] == 0:
                            break
                        j = patrons[int(u * patrons.shape[0])]
                    elif in_faction:
                        if in_own == 0:
                            break
                        j = by_faction[bucket_start[f] + int(u * in_own)]
                    else:
                        j = active[int(u * n_active)]
                    # The roll was taken at the start of the month: skip who has left since.
                    if status[j] == Status.ACTIVE and j != r:
                        partners[offsets[rr] + t] = j
                        break
    return offsets, partners


#: Recruits whose partners :func:`attach_recruits` reads ahead at a time (their rows then fit
#: in a core's cache).
TOUCH_BLOCK = 256


@njit(cache=True)
def _touch_partners(partners, lo, hi, deviated, start, degree, room, arena, active_ties):
    # Read what appending a tie will need of each partner, before appending: these reads are
    # independent, so their cache misses overlap, while the appends that follow would wait
    # for them one by one. Nothing is written; the sum is returned so that the reads have a
    # use (measured: recruits' ties 0.65 s to 0.38 s of a 20,000-member run).
    touched = 0
    for k in range(lo, hi):
        j = partners[k]
        if j >= 0:
            touched += start[j] + degree[j] + room[j] + active_ties[j] + deviated[j]
    for k in range(lo, hi):
        j = partners[k]
        if j >= 0 and degree[j] > 0:
            touched += arena[start[j] + degree[j] - 1]
    return touched


@njit(cache=True)
def attach_recruits(first, done, last, offsets, partners, cols, net, used):
    """Recruits ``done .. last - 1`` make the ties :func:`choose_partners` chose for them.

    A partner drawn twice makes one tie. Ties are appended in recruit order, so every list
    has the same order whatever the threads. Stops early when the arena is full; calling
    again from the returned recruit gives the same ties (a tie already made is a duplicate
    and skipped).

    Returns:
        ``(next_recruit, used)``: ``last`` when done.
    """
    deviated, open_ties, active_ties = cols.deviated, cols.open_ties, cols.active_ties
    start, degree, room, arena = net.start, net.degree, net.room, net.arena
    for r in range(done, last):
        if (r - done) % TOUCH_BLOCK == 0:
            ahead = offsets[min(r + TOUCH_BLOCK, last) - first]
            _touch_partners(
                partners, offsets[r - first], ahead, deviated, start, degree, room, arena,
                active_ties,
            )  # fmt: skip
        for k in range(offsets[r - first], offsets[r - first + 1]):
            j = partners[k]
            if j < 0 or has_tie(start, degree, arena, r, j):
                continue
            new_used = append_tie(start, degree, room, arena, used, r, j)
            if new_used < 0:
                return r, used
            used = new_used
            new_used = append_tie(start, degree, room, arena, used, j, r)
            if new_used < 0:
                return r, used
            used = new_used
            active_ties[j] += 1
            active_ties[r] += 1
            if deviated[j]:
                open_ties[r] += 1
    return last, used


@njit(cache=True, parallel=True)
def census(groups, cols, influence, n_factions):
    """End-of-month sums over active members, taken from rolls whose rows are checked.

    Partial sums per chunk of a roll, on every core, added in chunk order
    (:mod:`simulation.model.passes.chunks`).

    Returns:
        ``(counts_by_tier, counts_by_faction, sums)`` with sums = [n, sum b, sum b^2, sum s,
        sum s^2, sum fear, sum w s, sum w b, sum w] (w: tier influence, over members who spoke).
    """
    status, tier, faction = cols.status, cols.tier, cols.faction
    belief, expressed, fear, spoke = cols.belief, cols.expressed, cols.fear, cols.spoke
    by_tier = chunk_table(1, 4, np.int64)[0]
    by_faction = chunk_table(1, n_factions, np.int64)[0]
    sums = chunk_table(1, 9, np.float64)[0]
    for g in range(len(groups)):
        roll = groups[g]
        n_roll = roll.shape[0]
        chunks = chunk_count(n_roll)
        chunk_sums = chunk_table(chunks, 9, np.float64)
        chunk_tiers = chunk_table(chunks, 4, np.int64)
        chunk_factions = chunk_table(chunks, n_factions, np.int64)
        for c in prange(chunks):  # partial sums per chunk: see simulation.model.passes.chunks
            lo, hi = chunk_bounds(c, n_roll)
            # Local accumulators, not array elements: a running sum kept in memory would make
            # every member wait for the previous member's store.
            n = s_b = s_bb = s_s = s_ss = s_fear = s_ws = s_wb = s_w = 0.0
            for idx in range(lo, hi):
                i = roll[idx]
                if status[i] != Status.ACTIVE:
                    continue
                b = np.float64(belief[i])
                s = np.float64(expressed[i])
                chunk_tiers[c, tier[i]] += 1
                chunk_factions[c, faction[i]] += 1
                n += 1.0
                s_b += b
                s_bb += b * b
                s_s += s
                s_ss += s * s
                s_fear += fear[i]
                # Weight 0 for those who did not speak (recruits, the readmitted): no branch.
                w = influence[tier[i]] * spoke[i]
                s_ws += w * s
                s_wb += w * b
                s_w += w
            chunk_sums[c, 0] = n
            chunk_sums[c, 1] = s_b
            chunk_sums[c, 2] = s_bb
            chunk_sums[c, 3] = s_s
            chunk_sums[c, 4] = s_ss
            chunk_sums[c, 5] = s_fear
            chunk_sums[c, 6] = s_ws
            chunk_sums[c, 7] = s_wb
            chunk_sums[c, 8] = s_w
        add_chunks(chunk_sums, sums)
        add_chunks(chunk_tiers, by_tier)
        add_chunks(chunk_factions, by_faction)
    return by_tier, by_faction, sums


@njit(cache=True)
def nearest_the_line(groups, cols, level, count, line):
    """The ``count`` active members of tier ``level`` whose public positions are nearest the line.

    Ties in distance go to the lower row. A bounded max-heap keeps the best ``count`` seen, so
    the cost is one pass over the rolls.
    """
    status, tier, expressed = cols.status, cols.tier, cols.expressed
    keys = np.empty(count)
    rows = np.empty(count, dtype=np.int32)
    size = 0
    for g in range(len(groups)):
        roll = groups[g]
        for idx in range(roll.shape[0]):
            i = roll[idx]
            if status[i] != Status.ACTIVE or tier[i] != level:
                continue
            key = abs(np.float64(expressed[i]) - line)
            if size < count:
                # push, sift up
                pos = size
                size += 1
                while pos > 0:
                    parent = (pos - 1) // 2
                    if keys[parent] > key or (keys[parent] == key and rows[parent] > i):
                        break
                    keys[pos] = keys[parent]
                    rows[pos] = rows[parent]
                    pos = parent
                keys[pos] = key
                rows[pos] = i
            elif key < keys[0] or (key == keys[0] and i < rows[0]):
                # replace the worst, sift down
                pos = 0
                while True:
                    child = 2 * pos + 1
                    if child >= size:
                        break
                    if child + 1 < size and (
                        keys[child + 1] > keys[child]
                        or (keys[child + 1] == keys[child] and rows[child + 1] > rows[child])
                    ):
                        child += 1
                    if keys[child] < key or (keys[child] == key and rows[child] < i):
                        break
                    keys[pos] = keys[child]
                    rows[pos] = rows[child]
                    pos = child
                keys[pos] = key
                rows[pos] = i
    return rows[:size]
