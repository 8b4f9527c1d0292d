"""The world layer's monthly rules besides the cascade: pure functions on arrays.

Each rule takes the countries' state as vectors and returns the new vectors; nothing here reads
data or draws random numbers (the caller passes the draws). Symbols follow docs/ODD.md (world):
``rho`` readiness, ``r`` the right's strength, ``h`` hostility toward the Soviet state, ``s`` a
crisis's strength, ``e`` the export of revolution and ``d`` the left's division, all in [0, 1].
Every coefficient is a guess (:class:`~simulation.scenario.world.WorldParameters`).
"""

from __future__ import annotations

import numpy as np


def drift(value: np.ndarray, base: np.ndarray, rate: float) -> np.ndarray:
    """Move each value a share ``rate`` of the way back to its base: ``x + rate * (x* - x)``.

    Args:
        value: Current values ``x``.
        base: The values ``x*`` they return to.
        rate: Share of the gap closed in one month, in [0, 1].

    Returns:
        The values after one month of return.
    """
    return value + rate * (base - value)


def next_readiness(
    readiness: np.ndarray,
    base: np.ndarray,
    crisis: np.ndarray,
    next_door: np.ndarray,
    news: np.ndarray,
    *,
    rate: float,
    crisis_effect: float,
    export: float,
    export_effect: float,
) -> np.ndarray:
    """Readiness after one month: ``rho + alpha (rho* - rho) + c_s s + c_e e n + eps``, in [0, 1].

    Args:
        readiness: Current readiness ``rho``.
        base: The readiness ``rho*`` each country returns to (kappa times its party's strength).
        crisis: Strength ``s`` of the crisis striking each country this month.
        next_door: ``n``: 1 where a country borders a communist state, else 0.
        news: Monthly noise ``eps`` (drawn by the caller).
        rate: ``alpha``, the monthly return to base.
        crisis_effect: ``c_s``, readiness added by a crisis of strength 1.
        export: ``e``, the effort put into exporting revolution.
        export_effect: ``c_e``, readiness added next door by full export.

    Returns:
        The new readiness, clipped to [0, 1].
    """
    moved = drift(readiness, base, rate) + crisis_effect * crisis
    moved = moved + export_effect * export * next_door + news
    return np.clip(moved, 0.0, 1.0)


def next_right(
    right: np.ndarray,
    base: np.ndarray,
    crisis: np.ndarray,
    readiness: np.ndarray,
    readiness_base: np.ndarray,
    *,
    rate: float,
    crisis_effect: float,
    fear: float,
) -> np.ndarray:
    """The right's strength after one month: ``r + a (r* - r) + c_s s + f max(0, rho - rho*)``.

    The right grows with a crisis and with the left's readiness above its base (the fear of
    revolution), and returns toward its base otherwise.

    Args:
        right: Current strength ``r``.
        base: The strength ``r*`` it returns to.
        crisis: Strength ``s`` of the crisis striking each country this month.
        readiness: The countries' readiness ``rho`` this month.
        readiness_base: Their base readiness ``rho*``.
        rate: ``a``, the monthly return to base.
        crisis_effect: ``c_s``, strength added by a crisis of strength 1.
        fear: ``f``, strength added per unit of readiness above base.

    Returns:
        The new strength, clipped to [0, 1].
    """
    alarm = np.maximum(readiness - readiness_base, 0.0)
    moved = drift(right, base, rate) + crisis_effect * crisis + fear * alarm
    return np.clip(moved, 0.0, 1.0)


def right_takes_power(right: np.ndarray, threshold: float, division: float) -> np.ndarray:
    """Where the right's strength reaches its bar, lowered by a divided left: ``r >= theta_R - d``.

    Args:
        right: The right's strength ``r``.
        threshold: ``theta_R``, the bar with a united left.
        division: How far the left's division lowers the bar (``d`` times its weight).

    Returns:
        Boolean vector: where the right would take power (the caller keeps only countries
        neither communist nor already ruled by the right).
    """
    return right >= threshold - division


def next_hostility(
    hostility: np.ndarray,
    base: np.ndarray,
    *,
    rate: float,
    export: float,
    export_effect: float,
    revolutions: int,
    revolution_effect: float,
) -> np.ndarray:
    """Hostility after one month: ``h + b (h* - h) + c_e e + c_r R``, in [0, 1].

    Export raises hostility everywhere, not only next door; so does each new revolution ``R``
    anywhere this month (the fear of contagion).

    Args:
        hostility: Current hostility ``h``.
        base: The hostility ``h*`` it returns to.
        rate: ``b``, the monthly return to base.
        export: ``e``, the effort put into exporting revolution.
        export_effect: ``c_e``, hostility added by full export.
        revolutions: ``R``, the number of countries that turned communist this month.
        revolution_effect: ``c_r``, hostility added by each.

    Returns:
        The new hostility, clipped to [0, 1].
    """
    moved = drift(hostility, base, rate) + export_effect * export
    return np.clip(moved + revolution_effect * revolutions, 0.0, 1.0)


def war_score(
    hostility: np.ndarray,
    right: np.ndarray,
    opportunity: np.ndarray,
    *,
    hostility_weight: float,
    right_weight: float,
    opportunity_weight: float,
) -> np.ndarray:
    """A country's readiness for war with the Soviet state: ``w_h h + w_r r + w_o o``.

    Args:
        hostility: Hostility ``h``.
        right: The right's strength ``r``.
        opportunity: Opportunity ``o`` in [0, 1] (size against the communist neighbours, plus
            exogenous openings).
        hostility_weight: ``w_h``.
        right_weight: ``w_r``.
        opportunity_weight: ``w_o``.

    Returns:
        The war score of each country (war breaks out where it reaches the threshold and the
        country borders a communist state).
    """
    return hostility_weight * hostility + right_weight * right + opportunity_weight * opportunity


def relative_size(size: np.ndarray, weights: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Each country's size against the communist states it borders: ``N_i / (N_i + sum N_j)``.

    Args:
        size: Population ``N`` of each country.
        weights: Neighbour matrix (any positive weight counts as a border).
        active: Boolean vector of the communist states.

    Returns:
        The share in [0, 1]; 1 for a country with no communist neighbour.
    """
    bordering = (weights > 0).astype(float) @ (size * active)
    return size / (size + bordering)


def world_threat(
    hostility: float,
    at_war: bool,
    allies: int,
    *,
    hostility_weight: float,
    war_weight: float,
    ally_weight: float,
) -> float:
    """The threat the world poses to the Soviet state: ``T_W = clip(w_H H + w_W W - w_A A, 0, 1)``.

    What the party's leadership answers with hardening (docs/ODD.md, world: feedback). Every
    weight is a guess (:class:`~simulation.scenario.world.WorldSection`).

    Args:
        hostility: ``H``, the mean hostility of the countries communists do not rule.
        at_war: ``W``: whether any country is at war with a communist state.
        allies: ``A``, the communist states besides the Soviet state.
        hostility_weight: ``w_H``.
        war_weight: ``w_W``.
        ally_weight: ``w_A``, the threat an ally takes off.

    Returns:
        The threat ``T_W`` in [0, 1].
    """
    raw = hostility_weight * hostility + war_weight * float(at_war) - ally_weight * allies
    return float(min(max(raw, 0.0), 1.0))


def war_end_probability(
    years: np.ndarray, imbalance: np.ndarray, *, base: float, length: float, lopsided: float
) -> np.ndarray:
    """The monthly probability that a war ends: ``1 - exp(-(eta_0 + eta_t t + eta_q |1 - 2q|))``.

    War is a bargaining failure that fighting resolves by revealing what the sides did not
    know, their strength and resolve (Fearon 1995; Slantchev 2003, "The Principle of
    Convergence in Wartime Negotiations"; Reiter 2009, "How Wars End"): the longer a war has
    gone on, the more has been revealed and the likelier a settlement, so the hazard grows in
    the war's length ``t``; and a lopsided war, whose battles reveal the balance quickly, ends
    sooner than an even one, so it grows in the imbalance ``|1 - 2q|`` of the side's share
    ``q`` of the two sides' strength.

    Args:
        years: ``t``, each war's length in years.
        imbalance: ``|1 - 2q|`` in [0, 1]: 0 for even sides, 1 for a side with no strength.
        base: ``eta_0``, the monthly hazard of a war just begun between even sides.
        length: ``eta_t``, the hazard added per year of war.
        lopsided: ``eta_q``, the hazard added at full imbalance.

    Returns:
        The probability in [0, 1) that each war ends this month.
    """
    return 1.0 - np.exp(-(base + length * years + lopsided * imbalance))


def victory_chance(own: np.ndarray, other: np.ndarray, decisiveness: float) -> np.ndarray:
    """A side's chance of winning a war that ends: ``S^g / (S^g + S'^g)``.

    The contest success function (Tullock 1980; Hirshleifer 1989, "Conflict and rent-seeking
    success functions"): the chance grows in the side's strength ``S`` against the other's
    ``S'``; the decisiveness ``g`` sets how much the larger side's edge counts (0: a coin,
    large: the larger side always wins).

    Args:
        own: ``S``, the side's strength.
        other: ``S'``, the other side's strength.
        decisiveness: ``g``.

    Returns:
        The chance in [0, 1].
    """
    mine, theirs = np.power(own, decisiveness), np.power(other, decisiveness)
    return mine / (mine + theirs)


def government_chance(strength: np.ndarray, base: float, slope: float) -> np.ndarray:
    """The chance an occupied state gets a communist government: ``clip(g_0 + g_c c, 0, 1)``.

    The Soviet occupation of eastern Europe in 1944-48 put communists in power where their
    parties were strong (Czechoslovakia, 38% of the vote in May 1946) and where they were
    weak (Romania, Poland) alike, but not everywhere it reached (Austria, occupied until 1955):
    the chance is high whatever the party's strength ``c`` and grows in it.

    Args:
        strength: ``c``, the strength of the state's communist party, a share in [0, 1].
        base: ``g_0``, the chance with no communist party.
        slope: ``g_c``, the chance added per unit of strength.

    Returns:
        The chance in [0, 1].
    """
    return np.clip(base + slope * strength, 0.0, 1.0)
