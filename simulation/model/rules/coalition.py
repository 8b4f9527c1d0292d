"""The ruling coalition of Acemoglu, Egorov & Sonin (2008) (docs/ODD.md 7.11).

Acemoglu, D., Egorov, G. & Sonin, K. (2008). Coalition formation in non-democracies. Review of
Economic Studies 75(4): 987-1009 (AES below).

Each player i has a political power gamma_i >= 0; a coalition X has power gamma_X, the sum of
its members' powers. A coalition Y, a subset of X, is *winning within X* when

    gamma_Y > alpha * gamma_X,      1/2 <= alpha < 1

(alpha = 1/2 is AES's "majority rule"). No commitment is possible: once a coalition rules, any
of its winning sub-coalitions may eliminate the rest. Hence AES's recursive definition:

* X is *self-enforcing* when no proper sub-coalition of X that is winning within X is itself
  self-enforcing (a single player with positive power is self-enforcing);
* the ruling coalition Phi(X) that forms from X is the self-enforcing coalition of least
  power among the sub-coalitions of X that are winning within X.

X is self-enforcing exactly when Phi(X) = X; Phi(N) from the whole society N is AES's ultimate
ruling coalition. A coalition is made self-enforcing by the failure of its winning
sub-coalitions to be self-enforcing: with alpha = 1/2 two players are generically not
self-enforcing (the stronger alone is winning), so three players are, unless one of them holds
more than half of the three's power (AES, abstract).

The rule is computed over bitmasks of the coalition's members: each subset's power, then, in
increasing order of subsets, whether it is self-enforcing, using the greatest power of a
self-enforcing subset of every smaller set (one table entry per subset, n 2^n steps for n
members). Up to :data:`MAX_PLAYERS` members are allowed.

Genericity and ties. AES assume generic powers: different coalitions have different powers
(gamma_X = gamma_Y only if X = Y), so the least-power coalition in Phi is unique. This module
accepts any non-negative powers and breaks the ties genericity rules out deterministically:
among self-enforcing winning coalitions of equal least power it takes the one with fewer
members, then the one whose members come earliest in the input (the coalitions compared as
binary numbers in which player k counts 2**k). Whether a coalition is self-enforcing does not
depend on this choice. Powers are compared exactly as floating-point sums, so a tie that exact
arithmetic would have may be broken by rounding; integer powers are summed exactly. A player
with zero power is never in a ruling coalition of more than one player (the coalition without
him is as strong and winning), and a coalition of zero power is not winning within itself, so
powers whose members' sum is zero are refused.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: The most members a coalition may have: the table holds one entry per subset (2**20 here).
MAX_PLAYERS = 20
#: AES's range for the winning share: alpha in [1/2, 1).
ALPHA_RANGE = (0.5, 1.0)


def ruling_coalition(
    power: np.ndarray, alpha: float = 0.5, members: np.ndarray | None = None
) -> np.ndarray:
    """The ruling coalition Phi(X) that forms from the coalition X = ``members`` (AES 2008).

    Args:
        power: Political power gamma_i of every player, non-negative, one entry per player.
        alpha: The share of a coalition's power that a sub-coalition must exceed to win
            within it, in [1/2, 1).
        members: Boolean mask over the players: the coalition X the ruling coalition forms
            from. ``None`` means every player (X = N, AES's ultimate ruling coalition).

    Returns:
        Boolean mask over all players, true for the members of Phi(X).

    Raises:
        ValueError: If a power is negative or not finite, ``alpha`` is outside [1/2, 1),
            ``members`` does not match ``power``, X has more than :data:`MAX_PLAYERS` players,
            or X has no power at all.
    """
    gamma, index = _coalition(power, alpha, members)
    sums, self_enforcing = _self_enforcing_table(gamma, float(alpha))
    chosen = _least_winning(sums, self_enforcing, float(alpha))
    result = np.zeros(np.asarray(power).shape[0], dtype=bool)
    result[index[_bits(chosen, index.size)]] = True
    return result


def is_self_enforcing(power: np.ndarray, coalition: np.ndarray, alpha: float = 0.5) -> bool:
    """Whether the coalition X is self-enforcing in AES's sense, that is Phi(X) = X.

    Args:
        power: Political power gamma_i of every player, non-negative.
        coalition: Boolean mask over the players: the coalition X.
        alpha: The winning share, in [1/2, 1).

    Returns:
        True when X has positive power and no proper sub-coalition winning within X is
        self-enforcing.

    Raises:
        ValueError: As :func:`ruling_coalition`.
    """
    gamma, _ = _coalition(power, alpha, coalition)
    _, self_enforcing = _self_enforcing_table(gamma, float(alpha))
    return bool(self_enforcing[-1])


def _coalition(
    power: np.ndarray, alpha: float, members: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The members' powers and their indices among the players, after checking the input."""
    gamma_all = np.asarray(power, dtype=np.float64)
    if gamma_all.ndim != 1:
        raise ValueError(f"power must be a one-dimensional array, got shape {gamma_all.shape}")
    if not np.all(np.isfinite(gamma_all)) or np.any(gamma_all < 0):
        raise ValueError("power must be finite and non-negative for every player")
    low, high = ALPHA_RANGE
    if not low <= alpha < high:
        raise ValueError(f"alpha must be in [{low}, {high}), got {alpha}")
    if members is None:
        index = np.arange(gamma_all.size)
    else:
        mask = np.asarray(members)
        if mask.dtype != np.bool_ or mask.shape != gamma_all.shape:
            raise ValueError(
                f"members must be a boolean mask of shape {gamma_all.shape}, got "
                f"{mask.dtype} of shape {mask.shape}"
            )
        index = np.flatnonzero(mask)
    if index.size > MAX_PLAYERS:
        raise ValueError(
            f"a coalition may have at most {MAX_PLAYERS} players, this one has {index.size}"
        )
    gamma = gamma_all[index]
    if not gamma.sum() > 0:
        raise ValueError("the coalition has no power: at least one member needs gamma_i > 0")
    return gamma, index


def _bits(mask: int, size: int) -> np.ndarray:
    """The positions of the set bits of ``mask`` among ``size`` bits, as a boolean array."""
    return (mask >> np.arange(size)) & 1 == 1


@njit(cache=True, error_model="numpy")
def _self_enforcing_table(gamma: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """gamma_X and whether X is self-enforcing, for every subset X of the players (bitmasks).

    X is self-enforcing when gamma_X > 0 and no self-enforcing proper subset has power above
    alpha gamma_X. ``strongest[X]`` holds the greatest power of a self-enforcing subset of X
    (0 if none); the greatest over proper subsets is the greatest over X minus one player.
    """
    count = gamma.size
    size = 1 << count
    sums = np.zeros(size)
    for player in range(count):
        top = 1 << player
        for mask in range(top, top << 1):
            sums[mask] = sums[mask - top] + gamma[player]
    self_enforcing = np.zeros(size, dtype=np.bool_)
    strongest = np.zeros(size)
    for mask in range(1, size):
        best_proper = 0.0
        rest = mask
        while rest:
            low = rest & -rest
            best_proper = max(best_proper, strongest[mask ^ low])
            rest ^= low
        if sums[mask] > 0.0 and best_proper <= alpha * sums[mask]:
            self_enforcing[mask] = True
            strongest[mask] = sums[mask]
        else:
            strongest[mask] = best_proper
    return sums, self_enforcing


@njit(cache=True, error_model="numpy")
def _least_winning(sums: np.ndarray, self_enforcing: np.ndarray, alpha: float) -> int:
    """Phi of the whole set: the least-power self-enforcing subset winning within it.

    Ties (excluded by AES's genericity) go to fewer members, then to the smaller bitmask. One
    always exists when gamma_X > 0: either X is self-enforcing or, by definition, one of its
    winning proper subsets is.
    """
    full = sums.size - 1
    threshold = alpha * sums[full]
    chosen = -1
    for mask in range(1, full + 1):
        if not self_enforcing[mask] or not sums[mask] > threshold:
            continue
        if (
            chosen < 0
            or sums[mask] < sums[chosen]
            or (sums[mask] == sums[chosen] and _popcount(mask) < _popcount(chosen))
        ):
            chosen = mask
    return chosen


@njit(cache=True)
def _popcount(mask: int) -> int:
    """The number of set bits of ``mask``."""
    count = 0
    while mask:
        mask &= mask - 1
        count += 1
    return count
