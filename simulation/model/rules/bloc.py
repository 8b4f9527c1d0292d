"""The ruling coalition when some players are committed to one another: blocs (docs/ODD.md 7.11).

Acemoglu, Egorov & Sonin (2008) (AES, :mod:`simulation.model.rules.coalition`) assume that no
commitment is possible: once a coalition rules, any of its winning sub-coalitions may eliminate
the rest, and that is why a coalition holds only when no winning sub-coalition of it holds. A
*bloc* relaxes that assumption for a few named players: its members have committed to stand
together, so no sub-coalition may split them. They act as one player whose power is the sum of
theirs,

    gamma_B = sum over members i of B of gamma_i,

and the ruling coalition is AES's ``Phi`` over the players that remain (each bloc one player,
every other player alone). A bloc is in the ruling coalition with all its members or not at
all. This is the counterfactual of an alliance kept, such as Trotsky's with Zinoviev and
Kamenev from 1923 rather than 1926: not a change of the powers, a change of who may betray whom.
"""

from __future__ import annotations

import numpy as np

from simulation.model.rules.coalition import ruling_coalition


def ruling_coalition_with_blocs(
    power: np.ndarray,
    alpha: float,
    members: np.ndarray,
    blocs: list[np.ndarray],
) -> np.ndarray:
    """``Phi(X)`` with each bloc one player of the sum of its members' powers (AES 2008).

    Args:
        power: Political power gamma_i of every player, non-negative.
        alpha: The winning share, in [1/2, 1).
        members: Boolean mask over the players: the coalition X the ruling coalition forms
            from.
        blocs: Boolean masks over the players, one per bloc, disjoint. Only a bloc's members
            in X play; a bloc with none in X is ignored.

    Returns:
        Boolean mask over all players, true for the members of ``Phi(X)``; a bloc's members
        in X are all in it or all out of it.

    Raises:
        ValueError: As :func:`simulation.model.rules.coalition.ruling_coalition`.
    """
    gamma = np.array(power, dtype=np.float64)
    players = np.array(members, dtype=bool)
    heads: list[tuple[int, np.ndarray]] = []
    for bloc in blocs:
        inside = np.asarray(bloc, dtype=bool) & players
        if not inside.any():
            continue
        # The bloc plays in the seat of its strongest member (the first of equals), so that
        # the order of the players, which breaks AES's ties, places it where he stands.
        head = int(np.flatnonzero(inside)[np.argmax(gamma[inside])])
        total = float(gamma[inside].sum())
        players[inside] = False
        players[head] = True
        gamma[head] = total
        heads.append((head, inside))
    ruling = ruling_coalition(gamma, alpha, players)
    for head, inside in heads:
        ruling[inside] = ruling[head]
    return ruling
