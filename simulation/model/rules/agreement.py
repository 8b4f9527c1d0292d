"""Relative agreement: debate in which the surer speaker persuades more (docs/ODD.md 7.3).

Source: G. Deffuant, F. Amblard, G. Weisbuch & T. Faure (2002), "How can extremism prevail? A
study based on the relative agreement interaction model", JASSS 5(4) 1. Each agent holds an
opinion x with an uncertainty u; the opinion segment is [x - u, x + u]. When agent i
influences agent j, the overlap of their segments is

    h_ij = min(x_i + u_i, x_j + u_j) - max(x_i - u_i, x_j - u_j),

and if h_ij > u_i, with the relative agreement r = h_ij / u_i - 1,

    x_j <- x_j + mu r (x_i - x_j),    u_j <- u_j + mu r (u_i - u_j).

Confident agents (small u) influence others but are hardly influenced: the paper's
extremists are agents at the ends of the axis with u = 0.1 among moderates with a larger u.

Departure (docs/ODD.md 7.3): the influencer's opinion is what they *said*, s, and the
uncertainty they convey is their own plus the distance between what they said and what they
believe, v = u + |b - s| (:func:`conveyed_uncertainty`): a member who self-censors is heard as
less sure of the position they state, so a silenced extremist does not preach the line with an
extremist's conviction.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, error_model="numpy")
def conveyed_uncertainty(uncertainty: float, belief: float, said: float) -> float:
    """The uncertainty a listener hears in a statement: v = u + |b - s|."""
    return uncertainty + abs(belief - said)


@njit(cache=True, error_model="numpy")
def signal_trust(uncertainty: float) -> float:
    """How much of the signal weight w_x a member gives reality's signal: min(1, u).

    Under relative agreement a member's uncertainty also governs how far their own evidence
    moves them (docs/ODD.md 7.1): the sure hardly revise (a core at u = 0.1 weighs a signal a
    tenth as much), the unsure (u >= 1) as much as everyone does without relative agreement.
    An assumption of this model, in the spirit of weighting evidence by prior precision.
    """
    return min(1.0, uncertainty)


@njit(cache=True, error_model="numpy")
def relative_agreement(
    belief: float, uncertainty: float, said: float, conveyed: float, rate: float
) -> tuple[float, float]:
    """A listener's belief and uncertainty after hearing one statement (Deffuant et al. 2002).

    Args:
        belief: The listener's private belief x_j.
        uncertainty: The listener's uncertainty u_j (> 0).
        said: The statement heard, s_i (the influencer's opinion).
        conveyed: The uncertainty heard with it, v_i (> 0).
        rate: mu.

    Returns:
        The listener's new belief and uncertainty; unchanged when the overlap h is at most v_i.
    """
    top = min(said + conveyed, belief + uncertainty)
    overlap = top - max(said - conveyed, belief - uncertainty)
    # Without a branch: r = 0 where h <= v_i moves nothing (x + mu 0 (s - x) is x), and a
    # branch on an overlap that falls either way at random costs the debate pass a
    # mispredicted jump for about every other member.
    agreement = max(overlap / conveyed - 1.0, 0.0)
    return (
        belief + rate * agreement * (said - belief),
        uncertainty + rate * agreement * (conveyed - uncertainty),
    )
