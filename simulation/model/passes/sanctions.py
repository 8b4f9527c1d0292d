"""Quota selection, guilt by association and fear from punished ties (rules: repression, fear)."""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.model.counter_rng import draw, uniform
from simulation.model.members import Status
from simulation.model.passes.flags import PUNISHED

#: Scratch bit for members already drawn by a campaign this month.
CHOSEN = 16


@njit(cache=True)
def campaign_pool(active, expelled, include_expelled, faction, status, flags, faction_col, dossier):
    """Who a campaign may take (not yet punished this month), and who among them has marks."""
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
def associate(
    arrested,
    status,
    new_marks,
    pending,
    n_pending,
    start,
    degree,
    arena,
    complete,
    n_rows,
    per_tie,
    key,
):
    """Guilt by association: each tie of someone arrested gets a mark with P = p per arrest.

    A member with k arrested ties is thus marked with P = 1 - (1 - p)^k (once). Marks go to
    active and expelled ties and are reviewed next month.
    """
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
def spread_fear(punished, fear, start, degree, arena, complete, n_rows, gain):
    """Fear from punished ties: each punished tie moves fear f to f + (1 - f)(1 - e^-g).

    Applied once per punished tie this gives f <- 1 - (1 - f) e^{-g k}, the rule of
    :func:`simulation.model.rules.fear.update_fear` (with the month's decay already applied).
    """
    learn = 1.0 - np.exp(-gain)
    if complete:
        total = punished.shape[0]
        mark = np.zeros(n_rows, dtype=np.bool_)
        for p in punished:
            mark[p] = True
        for i in range(n_rows):
            k = total - (1 if mark[i] else 0)
            if k > 0:
                f = np.float64(fear[i])
                fear[i] = 1.0 - (1.0 - f) * np.exp(-gain * k)
        return
    for p in punished:
        for k in range(start[p], start[p] + degree[p]):
            i = arena[k]
            f = np.float64(fear[i])
            fear[i] = f + (1.0 - f) * learn
