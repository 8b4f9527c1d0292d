"""The leadership: reading reality, listening to the party, setting the line, hardening.

The line moves toward a target that mixes the leader's own reading of reality with what
members say in public (docs/ODD.md 7.8):

    r_t = m r_{t-1} + (1 - m) (x_t + bias + sigma_L eps_t)          (the leader's reading)
    h_t = sum_i w_i s_i / sum_i w_i                                 (what the leader hears)
    L_{t+1} = clip(L_t + alpha ((1 - rho) r_t + rho h_t - L_t), -1, 1)   (rho = responsiveness)

Members' private beliefs aggregate dispersed signals of reality, so an open party tells the
leader something; under repression what is said is falsified toward the line, h_t carries
little but the line itself, and the leader's error in estimating members' views grows. This is
Wintrobe's dictator's dilemma (R. Wintrobe 1998, *The Political Economy of Dictatorship*,
Cambridge UP), here an outcome rather than an assumption.

Adaptive hardening follows the adaptive authority of Daymude, Axelrod & Forrest (2025), which
tightens its policy when it observes dissent: with d the share of members seen deviating this
month and d* the target,

    P = k max(0, d - d*) + drift / 12 + c_T T_W / 12,   p = min(P, 1)
    tau <- min(tau, max(tau_min, tau (1 - p)))
    nu  <- max(nu,  min(nu_max, nu + (1 - nu) p))
    psi <- max(psi, min(psi_max, psi (1 + P))),

so the bounds stop tightening but never loosen a policy that an event set beyond them; when
d < d* the policy loosens by ``relax`` instead. ``drift`` is tightening by time in power alone, the
"power corrupts" argument that Trotsky in power would have become like Stalin; ``c_T T_W`` is
tightening in answer to the threat T_W the world around the party poses (``threat_response``
c_T; T_W is 0 without a ``[world]`` section, docs/ODD.md "The world around the party"). This is the
``"target"`` objective, the default. It knows no cost of punishing, so it only tightens while
anyone is seen, however many it must punish.

The ``"daymude"`` objective is DAF's own authority (their section on the adaptive authority;
the authors' published ``hillclimbing.py``). It minimises, each month t,

    C_t = (alpha sum_i a_i + sum_{i marked} pi(a_i)) / n_t,
    pi(a) = psi (uniform punishment) or psi max(0, a - tau) (proportional),

voiced dissent weighted by the adamancy alpha plus the cost of punishing, per speaker, by random
mutation hill climbing: one of tau, nu, psi (chosen with equal chance) moves by a uniform step
within epsilon of the policy last kept, clipped to [tau_min, 1], [0, nu_max], [0, psi_max]; the
next month the step is kept unless C_t exceeds C_{t-1}, in which case the policy returns to the
one kept before. The search loosens as readily as it tightens: against a population too bold to
silence, raising tau costs nothing in dissent and saves the cost of punishing. Dividing by the
number of speakers n_t changes no comparison while the party's size is fixed, as in DAF, and keeps
the objective's scale when it is not. An event that changes tau, nu or psi restarts the search
from the policy it set.

DAF's authority only tunes tau, nu and psi; against members who self-censor perfectly it
wins silence without punishing anyone (their "total self-censorship" equilibrium). The
instruments of the 1930s terror were others: encouraged denunciation, executions, purges by
quota. Three switchable extensions let a hardening leader take them up as severity grows:
the denunciation rate is at least ``denunciation_per_severity * psi``; executions enter the
ladder at ``executions_at_severity``; and from ``purge_at_severity`` on, a standing campaign
arrests ``purge_quota`` of members and former members a month (see
:func:`simulation.model.passes.sanctions.quota_choice`). They encode the argument; they do not
prove it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from simulation.scenario.schema import Hardening, Leader, Policy


def update_reading(
    reading: float, reality: float, leader: Leader, rng: np.random.Generator
) -> float:
    """The leader's smoothed, biased, noisy reading of the correct line."""
    signal = reality + leader.bias + leader.signal_sd * rng.standard_normal()
    return leader.memory * reading + (1.0 - leader.memory) * signal


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean, NaN when the weights sum to zero."""
    total = float(weights.sum())
    if total <= 0:
        return float("nan")
    # Not np.dot: for vectors this size a threaded BLAS call costs milliseconds of thread
    # start-up on a small machine, a plain multiply-and-sum microseconds.
    return float((values * weights).sum() / total)


def next_line(line: float, reading: float, heard: float, leader: Leader) -> float:
    """Move the line toward (1 - rho) reading + rho heard at the leader's adaptation rate."""
    if np.isnan(heard):
        heard = line
    target = (1.0 - leader.responsiveness) * reading + leader.responsiveness * heard
    return float(np.clip(line + leader.adaptation * (target - line), -1.0, 1.0))


class AuthoritySearch(NamedTuple):
    """What DAF's adaptive authority remembers from one month to the next.

    Attributes:
        kept: The (tolerance, surveillance, severity) it last kept.
        tried: The (tolerance, surveillance, severity) it put in force for this month.
        cost: C of the month before (NaN before the first).
    """

    kept: tuple[float, float, float]
    tried: tuple[float, float, float]
    cost: float


class AuthorityMonth(NamedTuple):
    """What the adaptive authority observes of one month.

    Attributes:
        cost: C_t, from :func:`authority_cost`.
        draws: Two uniform draws in [0, 1): which instrument moves, and where to.
        kept_cost: C of the policy last kept, foreseen on this month's party (the leader's
            policy, ODD 7.8); then ``cost`` is the policy in force's, foreseen the same way,
            and the step is kept unless it costs more. None: compare with last month's cost.
    """

    cost: float
    draws: tuple[float, float]
    kept_cost: float | None = None


def punishment_cost(
    dissent_marked: np.ndarray, tolerance: float, severity: float, punishment: str
) -> float:
    """Sum of pi(a) over the members marked this month (psi each, or psi max(0, a - tau))."""
    if punishment == "proportional":
        excess = np.maximum(dissent_marked.astype(np.float64) - tolerance, 0.0)
        return float(severity * excess.sum())
    return float(severity * dissent_marked.size)


def authority_cost(voiced: float, punishing: float, speakers: int, adamancy: float) -> float:
    """C_t = (alpha sum_i a_i + sum_marked pi(a_i)) / n_t, the 'daymude' objective."""
    return (adamancy * voiced + punishing) / max(speakers, 1)


def _costlier(month: AuthorityMonth, search: AuthoritySearch) -> bool:
    """Whether the step tried cost more than the policy kept (last month's, or foreseen)."""
    if month.kept_cost is None:
        return month.cost > search.cost
    return month.cost > month.kept_cost


def adapt(
    policy: Policy,
    hardening: Hardening,
    seen_deviating: float,
    search: AuthoritySearch | None,
    observe: Callable[[], AuthorityMonth],
    world_threat: float = 0.0,
) -> tuple[Policy, AuthoritySearch | None]:
    """One month of the leader's adaptive policy, under the hardening's objective.

    Args:
        policy: The policy in force this month.
        hardening: The leader's hardening settings.
        seen_deviating: Share of this month's speakers seen deviating (the "target" objective).
        search: The adaptive authority's memory (None before its first month).
        observe: Called only under the "daymude" objective, for the month's cost and draws.
        world_threat: The world's threat T_W this month, in [0, 1] (the "target" objective).

    Returns:
        Next month's policy and the authority's memory (None under the "target" objective).
    """
    if not hardening.enabled:
        return policy, search
    if hardening.objective == "daymude":
        return search_policy(policy, hardening, search, observe())
    return harden(policy, hardening, seen_deviating, world_threat), None


def search_policy(
    policy: Policy, hardening: Hardening, search: AuthoritySearch | None, month: AuthorityMonth
) -> tuple[Policy, AuthoritySearch]:
    """One step of DAF's random mutation hill climb on (tolerance, surveillance, severity)."""
    tried = (policy.tolerance, policy.surveillance, policy.severity)
    if search is None or tried != search.tried:
        # The first month, or an event moved the policy: search on from what is in force.
        kept = tried
    elif _costlier(month, search):
        kept = search.kept
    else:
        kept = tried
    which = min(int(month.draws[0] * 3), 2)
    low = (hardening.min_tolerance, 0.0, 0.0)[which]
    high = (1.0, hardening.max_surveillance, hardening.max_severity)[which]
    value = kept[which]
    lower = max(low, value - hardening.search_step)
    upper = min(high, value + hardening.search_step)
    candidate = list(kept)
    if lower <= upper:
        candidate[which] = lower + (upper - lower) * month.draws[1]
    tolerance, surveillance, severity = candidate
    update = {"tolerance": tolerance, "surveillance": surveillance, "severity": severity}
    update |= _instruments(policy, hardening, severity)
    step = AuthoritySearch(kept=kept, tried=(tolerance, surveillance, severity), cost=month.cost)
    return policy.model_copy(update=update), step


def harden(
    policy: Policy, hardening: Hardening, seen_deviating: float, world_threat: float = 0.0
) -> Policy:
    """Return the policy after one month of the "target" controller (unchanged when disabled).

    ``world_threat`` is the world's threat T_W in [0, 1]; it adds ``threat_response * T_W / 12``
    to the pressure, as time in power adds ``tenure_drift / 12``.
    """
    if not hardening.enabled:
        return policy
    excess = seen_deviating - hardening.dissent_target
    pressure = hardening.response * max(0.0, excess) + hardening.tenure_drift / 12.0
    pressure += hardening.threat_response * world_threat / 12.0
    if excess < 0 and hardening.relax > 0:
        pressure -= hardening.relax
    tolerance, surveillance, severity = policy.tolerance, policy.surveillance, policy.severity
    if pressure > 0:
        # Bounds only stop tightening; they never loosen a policy an event set beyond them.
        step = min(pressure, 1.0)
        tolerance = min(tolerance, max(hardening.min_tolerance, tolerance * (1.0 - step)))
        surveillance = max(
            surveillance,
            min(hardening.max_surveillance, surveillance + (1.0 - surveillance) * step),
        )
        severity = max(severity, min(hardening.max_severity, severity * (1.0 + pressure)))
    elif pressure < 0:
        relief = min(-pressure, 1.0)
        tolerance = min(1.0, policy.tolerance * (1.0 + relief))
        surveillance = policy.surveillance * (1.0 - relief)
        severity = policy.severity * (1.0 - relief)
    update: dict[str, object] = {
        "tolerance": tolerance,
        "surveillance": max(0.0, min(1.0, surveillance)),
        "severity": max(0.0, severity),
    }
    update |= _instruments(policy, hardening, severity)
    return policy.model_copy(update=update)


def _instruments(policy: Policy, hardening: Hardening, severity: float) -> dict[str, object]:
    """The 1930s instruments a hardening leader takes up as severity grows (ODD 7.8)."""
    update: dict[str, object] = {}
    unlock = hardening.executions_at_severity
    if unlock is not None and severity >= unlock and not np.isfinite(policy.ladder.execution):
        update["ladder"] = policy.ladder.model_copy(update={"execution": hardening.execution_marks})
    encouraged = hardening.denunciation_per_severity * severity
    if encouraged > policy.denunciation:
        update["denunciation"] = encouraged
    return update


def purging(policy: Policy, hardening: Hardening) -> bool:
    """Whether a hardened leader runs a standing purge this month (severity past the mark)."""
    threshold = hardening.purge_at_severity
    return hardening.enabled and threshold is not None and policy.severity >= threshold


def central_committee_choice(
    candidates: dict[str, Leader], voters_said: np.ndarray, outgoing: str
) -> str:
    """The candidate whose platform is nearest most voters' public positions.

    Voters are the active politburo and central committee members; they vote with what they
    say, so a terrorised committee votes for the platform nearest the line. Ties go to the
    first candidate in the scenario's order. With no voters, the first candidate wins.
    """
    names = [n for n, leader in candidates.items() if leader.candidate and n != outgoing]
    if not names:
        return outgoing
    if voters_said.size == 0:
        return names[0]
    platforms = np.array([candidates[n].position for n in names])
    nearest = np.argmin(np.abs(voters_said[:, None] - platforms[None, :]), axis=1)
    votes = np.bincount(nearest, minlength=len(names))
    return names[int(np.argmax(votes))]
