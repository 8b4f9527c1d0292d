"""How private beliefs change: private signals of reality, debate, the line's pull.

Debate is bounded confidence on what neighbours *say* (docs/ODD.md 7.3):

* Deffuant, Neau, Amblard & Weisbuch (2000), "Mixing beliefs among interacting agents",
  Advances in Complex Systems 3: a member meets one neighbour and, if what the neighbour said
  lies within the confidence bound eps of their own belief, moves a fraction mu toward it:
  b_i <- b_i + mu (s_j - b_i) if |b_i - s_j| < eps. Departure from the paper: the paper
  updates one random pair at a time, both sides; here every member meets one random
  neighbour each month and the updates are applied together (each side of a pair moves when
  it is its own turn), which keeps the rule vectorised. Cluster counts are the paper's
  (about 1 / (2 d) for a bound d on a unit interval, so about 1 / eps on this model's axis
  from -1 to 1, where eps = 2 d); ``tests/test_debate.py`` checks them.
* Hegselmann & Krause (2002), "Opinion dynamics and bounded confidence", JASSS 5(3): every
  member moves to the mean of their own belief and of everything said within eps of it, all at
  once.

Members who self-censor say no more than the tolerance allows (the line itself when the
tolerance is 0), so under terror what is heard is close to propaganda. Two further
pulls act on private belief, each off at 0: toward the official line (propaganda) and back
toward the member's own starting conviction (Friedkin & Johnsen 1990).
"""

from __future__ import annotations

import numpy as np


def deffuant_step(
    belief: np.ndarray,
    said: np.ndarray,
    listeners: np.ndarray,
    partners: np.ndarray,
    speaking: np.ndarray,
    bound: float,
    rate: float,
) -> np.ndarray:
    """One Deffuant round: each listener hears one partner (new beliefs, a copy).

    Args:
        belief: Private beliefs of everyone.
        said: What everyone said this month.
        listeners: Indices of members who listen this month.
        partners: One partner per listener (-1: none).
        speaking: Who said anything this month (active members).
        bound: Confidence bound eps.
        rate: Convergence rate mu.

    Returns:
        Updated beliefs.
    """
    new = belief.copy()
    ok = partners >= 0
    who, whom = listeners[ok], partners[ok]
    heard = speaking[whom]
    who, whom = who[heard], whom[heard]
    gap = said[whom] - belief[who]
    close = np.abs(gap) < bound
    new[who[close]] = belief[who[close]] + rate * gap[close]
    return new


def hegselmann_krause_step(
    belief: np.ndarray, confidence_mean: np.ndarray, listeners: np.ndarray
) -> np.ndarray:
    """Move every listener to the bounded-confidence mean computed by the network."""
    new = belief.copy()
    new[listeners] = confidence_mean[listeners]
    return new


def signal_step(
    belief: np.ndarray, signal: np.ndarray, listeners: np.ndarray, weight: float
) -> np.ndarray:
    """Members move toward their private signal of reality: b <- b + w (s - b), in place."""
    belief[listeners] += weight * (signal - belief[listeners])
    return belief


def anchor_step(
    belief: np.ndarray, conviction: np.ndarray, listeners: np.ndarray, anchor: float
) -> None:
    """Friedkin & Johnsen (1990) anchoring: b <- b + g (b0 - b), in place.

    Source: N. E. Friedkin & E. C. Johnsen (1990), "Social influence and opinions", Journal of
    Mathematical Sociology 15. Members keep some attachment to the conviction they joined
    with (their faction's platform), so factions do not dissolve in a few months of debate.
    """
    if anchor > 0:
        belief[listeners] += anchor * (conviction[listeners] - belief[listeners])


def line_pull_step(belief: np.ndarray, listeners: np.ndarray, line: float, pull: float) -> None:
    """Propaganda: private beliefs drift toward the official line, b <- b + p (L - b), in place."""
    if pull > 0:
        belief[listeners] += pull * (line - belief[listeners])
