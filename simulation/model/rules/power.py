"""A contender's power: central committee votes, following and offices (docs/ODD.md 7.10).

The circular flow of power (R. V. Daniels 1966, *The Conscience of the Revolution*, Harvard UP;
G. Gill 1990, *The Origins of the Stalinist Political System*, Cambridge UP): the General
Secretary places his own men as regional secretaries, the secretaries shape the delegates their
organisations send to a congress, the delegates elect the central committee. With ``S_o`` an
organisation's delegates at the latest congress that elected the committee, ``w_d`` the share of
them who follow their secretary's patron, and ``patron(o)`` that patron then:

    C_j = w_d * sum_o S_o [patron(o) = j] / sum_o S_o      (central committee votes he commands)
    F_j = n_f(j) / (n * k_f(j))                             (his following)
    O_j = sum over his offices k of w_k                     (his offices)
    P_j = h_j (a_C C_j + a_F F_j + O_j),   p_j = P_j / sum_l P_l

``n_f`` is the active members of his faction, ``n`` all active members, ``k_f`` the contenders
of that faction who lead a following (in the Politburo or demoted from it; a rising man does not
yet lead one), ``h_j`` his health. Contenders out of the game (expelled, exiled, imprisoned, shot
or dead) have no power; the shares ``p_j`` of the rest sum to 1.
"""

from __future__ import annotations

import numpy as np


def commanded_votes(
    seats: np.ndarray, patron: np.ndarray, loyalty: float, count: int
) -> np.ndarray:
    """``C_j``: the share of the central committee each contender's secretaries command.

    Args:
        seats: Delegates per organisation, ``S_o``.
        patron: Each organisation's secretary's patron (contender index, -1 for none).
        loyalty: ``w_d``, the share of delegates who follow the patron.
        count: Number of contenders.
    """
    seats = np.asarray(seats, dtype=np.float64)
    total = seats.sum()
    votes = np.zeros(count, dtype=np.float64)
    if total <= 0:
        return votes
    led = patron >= 0
    np.add.at(votes, patron[led], seats[led])
    return loyalty * votes / total


def following(faction_members: np.ndarray, faction: np.ndarray, leads: np.ndarray) -> np.ndarray:
    """``F_j``: each contender's share of the members, his faction's split among its leaders.

    Args:
        faction_members: Active members per faction.
        faction: Each contender's faction (index).
        leads: Whether each contender leads a following (in the Politburo or demoted).
    """
    counts = np.asarray(faction_members, dtype=np.float64)
    total = counts.sum()
    result = np.zeros(faction.shape[0], dtype=np.float64)
    if total <= 0:
        return result
    leaders = np.bincount(faction[leads], minlength=counts.size)
    result[leads] = counts[faction[leads]] / (total * leaders[faction[leads]])
    return result


def power_shares(raw: np.ndarray) -> np.ndarray:
    """``p_j = P_j / sum_l P_l``; all zero when nobody has any power."""
    raw = np.asarray(raw, dtype=np.float64)
    total = raw.sum()
    return raw / total if total > 0 else np.zeros_like(raw)


def raw_power(
    votes: np.ndarray,
    follow: np.ndarray,
    office_weight: np.ndarray,
    health: np.ndarray,
    counts: np.ndarray,
    weight_votes: float,
    weight_following: float,
) -> np.ndarray:
    """``P_j = h_j (a_C C_j + a_F F_j + O_j)``, zero for contenders out of the game."""
    power = health * (weight_votes * votes + weight_following * follow + office_weight)
    return np.where(counts, power, 0.0)
