"""The arena that holds every member's tie list: adding a tie, looking one up.

Node ``i``'s neighbours are ``arena[start[i] : start[i] + degree[i]]``, with ``room[i] >=
degree[i]`` slots reserved (:mod:`simulation.model.network` describes the layout). These are
the compiled kernels the passes call on it; the network object owns the arrays.
"""

from __future__ import annotations

from numba import njit

#: Room given to a node when it gets its first ties or its list is moved.
MIN_ROOM = 4


@njit(cache=True)
def append_tie(start, degree, room, arena, used, u, v):
    """Add ``v`` to ``u``'s list; returns the new arena use, or -1 if the arena is too small."""
    if degree[u] == room[u]:
        new_room = max(MIN_ROOM, 2 * room[u])
        if used + new_room > arena.shape[0]:
            return -1
        d = degree[u]
        arena[used : used + d] = arena[start[u] : start[u] + d]
        start[u] = used
        room[u] = new_room
        used += new_room
    arena[start[u] + degree[u]] = v
    degree[u] += 1
    return used


@njit(cache=True)
def has_tie(start, degree, arena, u, v):
    """Whether ``v`` is in ``u``'s list (linear in u's degree)."""
    for k in range(start[u], start[u] + degree[u]):  # noqa: SIM110 - compiled: no any()
        if arena[k] == v:
            return True
    return False
