"""Quota selection, guilt by association and a month of fear (rules: repression, fear)."""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.model.counter_rng import draw, uniform
from simulation.model.members import Status
from simulation.model.passes.flags import PUNISHED
from simulation.model.rules.fear import fear_decay, fear_gain, fear_learning
from simulation.model.rules.repression import dossier_decay, dossier_places, ladder_sanction

#: Scratch bit for members already drawn by a campaign this month.
CHOSEN = 16


@njit(cache=True)
def campaign_pool(active, expelled, include_expelled, faction, cols):
    """Who a campaign may take (not yet punished this month), and who among them has marks.

    ``faction`` is the campaign's faction index, -1 for every faction.
    """
    status, flags, faction_col, dossier = cols.status, cols.flags, cols.faction, cols.dossier
    eligible = np.empty(active.shape[0] + (expelled.shape[0] if include_expelled else 0), np.int32)
    n = 0
    for group in range(2):
        roll = active if group == 0 else expelled
        wanted = Status.ACTIVE if group == 0 else Status.EXPELLED
        if group == 1 and not include_expelled:
            break
        for idx in range(roll.shape[0]):
            i = roll[idx]
            if status[i] != wanted or (flags[i] & PUNISHED):
                continue
            if faction >= 0 and faction_col[i] != faction:
                continue
            eligible[n] = i
            n += 1
    eligible = eligible[:n]
    suspects = eligible[dossier[eligible] > 0]
    return eligible, suspects


@njit(cache=True)
def random_fill(eligible, count, flags, key):
    """Draw ``count`` members of ``eligible`` not yet chosen, uniformly without replacement."""
    picks = np.empty(count, dtype=np.int32)
    got = 0
    attempt = 0
    while got < count:
        i = eligible[int(uniform(key, attempt) * eligible.shape[0])]
        attempt += 1
        if not (flags[i] & CHOSEN):
            flags[i] |= CHOSEN
            picks[got] = i
            got += 1
    return picks


@njit(cache=True)
def associate(arrested, n_rows, cols, net, pending, n_pending, per_tie, key):
    """Guilt by association: each tie of someone arrested gets a mark with P = p per arrest.

    A member with k arrested ties is thus marked with P = 1 - (1 - p)^k (once; docs/ODD.md
    7.4g and :mod:`simulation.model.rules.repression`). Marks go to active and expelled ties and
    are reviewed next month; ``pending`` lists them (``n_pending`` long so far).
    """
    status, new_marks = cols.status, cols.new_marks
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    for a_idx in range(arrested.shape[0]):
        a = arrested[a_idx]
        count = n_rows if complete else degree[a]
        for k in range(count):
            i = k if complete else arena[start[a] + k]
            if i == a:
                continue
            if status[i] != Status.ACTIVE and status[i] != Status.EXPELLED:
                continue
            if new_marks[i] == 0.0 and draw(key, a, k) < per_tie:
                new_marks[i] = 1.0
                pending[n_pending] = i
                n_pending += 1
    return n_pending


@njit(cache=True)
def update_dossiers(cols, marked, decay):
    """Everyone's marks fade, then ``marked`` members' new marks join their dossiers.

    D <- (1 - d) D by :func:`~simulation.model.rules.repression.dossier_decay`, then D <- D + M
    for the members with new marks M (docs/ODD.md 7.4d).
    """
    dossier, new_marks = cols.dossier, cols.new_marks
    for i in range(dossier.shape[0]):
        dossier[i] = dossier_decay(dossier[i], decay)
    for k in range(marked.shape[0]):
        i = marked[k]
        dossier[i] += new_marks[i]


@njit(cache=True)
def ladder_rungs(people, dossier, thresholds):
    """The ladder's rung for each of ``people`` (docs/ODD.md 7.4e).

    Each is :func:`~simulation.model.rules.repression.ladder_sanction` of their dossier.
    """
    rungs = np.empty(people.shape[0], dtype=np.int8)
    for k in range(people.shape[0]):
        rungs[k] = ladder_sanction(dossier[people[k]], thresholds)
    return rungs


@njit(cache=True)
def learn_fear(punished, n_rows, cols, net, decay, gain):
    """A month of fear for everyone: it fades, then ties of the punished learn (docs/ODD.md 7.5).

    Every row's fear decays by :func:`~simulation.model.rules.fear.fear_decay`; then each
    member learns by :func:`~simulation.model.rules.fear.fear_gain`, on a sparse network once
    per punished tie (:func:`~simulation.model.rules.fear.fear_learning` of one tie), which
    gives the rule's 1 - exp(-g k) for k punished ties; on a complete network once, from all k.
    """
    fear = cols.fear
    start, degree, arena, complete = net.start, net.degree, net.arena, net.complete
    for i in range(n_rows):
        fear[i] = fear_decay(fear[i], decay)
    if punished.shape[0] == 0:
        return
    if complete:
        total = punished.shape[0]
        mark = np.zeros(n_rows, dtype=np.bool_)
        for p in punished:
            mark[p] = True
        for i in range(n_rows):
            k = total - (1 if mark[i] else 0)
            if k > 0:
                fear[i] = fear_gain(np.float64(fear[i]), fear_learning(gain, k))
        return
    learned = fear_learning(gain, 1)
    for p in punished:
        for k in range(start[p], start[p] + degree[p]):
            i = arena[k]
            fear[i] = fear_gain(np.float64(fear[i]), learned)


def quota_choice(
    eligible: np.ndarray,
    suspects: np.ndarray,
    dossier: np.ndarray,
    flags: np.ndarray,
    quota: int,
    random_share: float,
    rng: np.random.Generator,
    key: int,
) -> tuple[np.ndarray, int]:
    """Fill a campaign's quota: highest dossiers first, then at random (docs/ODD.md 7.4f).

    :func:`~simulation.model.rules.repression.dossier_places` of the ``quota`` places go to the
    ``suspects`` (the eligible with marks) with the most marks, ties broken by noise from
    ``rng``; the rest are drawn uniformly from ``eligible`` not yet chosen, with draws keyed by
    ``key`` (:func:`random_fill`). A quota larger than real suspicion thus sweeps up innocents
    (P. R. Gregory 2009, *Terror by Quota*).

    Args:
        eligible: Who the campaign may take (:func:`campaign_pool`).
        suspects: The eligible with marks.
        dossier: Marks of everyone.
        flags: The members' flags (the ``CHOSEN`` bit is used and cleared).
        quota: How many to take (at most ``eligible.size``).
        random_share: Share of the quota drawn at random regardless of dossiers.
        rng: The repression stream.
        key: The campaign's counter-based key.

    Returns:
        The chosen rows, sorted, and how many were drawn at random.
    """
    by_dossier = dossier_places(quota, random_share)
    if by_dossier >= suspects.size:
        chosen = suspects
    else:
        noisy = dossier[suspects] + rng.random(suspects.size) * 1e-6
        chosen = suspects[np.argpartition(-noisy, by_dossier - 1)[:by_dossier]]
    remaining = quota - chosen.size
    if remaining > 0:
        flags[chosen] |= np.uint8(CHOSEN)
        extra = random_fill(eligible, remaining, flags, key)
        chosen = np.concatenate((chosen, extra))
        flags[chosen] &= np.uint8(~CHOSEN & 0xFF)
    return np.sort(chosen).astype(np.int32), max(remaining, 0)
