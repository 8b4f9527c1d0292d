"""Granovetter (1978) and Kuran (1989): a threshold cascade, and how one threshold stops it.

Set-up: ``scenarios/validation/granovetter.toml``: 100 members on a complete graph, no
consequences (nobody is ever punished, so fear never arises), social proof on. A member
perceives the severity psi (1 - w_s o), o being the share of others who deviated openly last
month, and defies by the closed form of Daymude et al. (2025). With nu = 0, beta = 1 and
w_s = 1, member i defies exactly when

    o > 1 - (1 - tau / delta_i) / psi,

so each member's desired dissent delta_i fixes a threshold. The check places member k's belief
so that this threshold lies at (k - 1/2) / 99: they defy once k others did (Granovetter's
thresholds k = 0, ..., 99). In the second crowd the member with threshold 1 gets threshold 2,
a shift of their belief by 0.03 on the [-1, 1] axis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.validation.result import Curve, FigureSpec, Finding, Paper, Verdict
from simulation.validation.setup import build, load

NAME = "granovetter"
TITLE = "A threshold cascade that runs to everyone, and stops when one threshold moves"
SOURCE = "Granovetter (1978); Kuran (1989)"
CITATION = (
    "Granovetter, M. (1978). Threshold models of collective behavior. American Journal of "
    "Sociology 83(6): 1420-1443. Kuran, T. (1989). Sparks and prairie fires: a theory of "
    "unanticipated political revolution. Public Choice 61(1): 41-74."
)
CLAIM = (
    "In a crowd of 100 whose thresholds are 0, 1, ..., 99 (the number of others who must act "
    "first), everyone ends up acting; if the one person with threshold 1 has threshold 2 "
    "instead, only one acts. Nearly identical private preferences give opposite public "
    "outcomes (Kuran's preference falsification and unanticipated revolutions)."
)


def belief_for_threshold(others: float, size: int, line: float, tau: float, psi: float) -> float:
    """The belief whose defiance threshold lies at ``others`` open members out of ``size - 1``.

    Inverts o* = 1 - (1 - tau / delta) / psi (nu = 0, beta = 1, social proof 1) for delta,
    and places the belief on the far side of the line: b = L + 2 delta.
    """
    share = others / (size - 1)
    delta = tau / (1.0 - psi * (1.0 - share))
    return line + 2.0 * delta


def run_crowd(thresholds: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Run a crowd whose member k has Granovetter threshold ``thresholds[k]``.

    Returns:
        Members openly dissenting in each month, and the beliefs placed.
    """
    scenario = load(NAME)
    model = build(NAME, seed)
    size = scenario.population.size
    policy = scenario.policy
    # Halfway between k - 1 and k others, so that float32 beliefs cannot tip a member early.
    beliefs = np.array(
        [
            belief_for_threshold(k - 0.5, size, model.line, policy.tolerance, policy.severity)
            for k in thresholds
        ]
    )
    m = model.members
    m.belief[:size] = beliefs
    m.conviction[:size] = beliefs
    m.expressed[:size] = beliefs
    outcomes = model.run()
    return np.rint(outcomes["deviating"].to_numpy() * size).astype(int), beliefs


PAPER = Paper(NAME, TITLE, SOURCE, CITATION, CLAIM)


def check(quick: bool = False, seed: int = 0) -> Finding:
    """Run Granovetter's crowd and the crowd with one threshold moved.

    Args:
        quick: Unused: the check is small already (two runs of 100 members).
        seed: Seed of the runs (nothing random matters here).

    Returns:
        The finding.
    """
    size = load(NAME).population.size
    uniform = np.arange(size)
    moved = uniform.copy()
    moved[1] = 2
    open_uniform, beliefs_uniform = run_crowd(uniform, seed)
    open_moved, beliefs_moved = run_crowd(moved, seed)
    months = np.arange(1, open_uniform.size + 1)
    full_at = int(np.argmax(open_uniform == size)) + 1 if open_uniform.max() == size else None
    shift = float(np.max(np.abs(beliefs_uniform - beliefs_moved)))
    picks = [1, 2, 3, 10, 50, 99, 100, int(months[-1])]
    table = pd.DataFrame(
        {
            "month": picks,
            "thresholds 0..99: open dissenters": [int(open_uniform[p - 1]) for p in picks],
            "threshold 1 moved to 2: open dissenters": [int(open_moved[p - 1]) for p in picks],
        }
    )
    holds = (
        int(open_uniform[-1]) == size
        and full_at == size
        and int(open_moved.max()) == 1
        and int(open_moved[-1]) == 1
    )
    summary = (
        f"thresholds 0..99: {open_uniform[-1]} of {size} dissent openly (all by month "
        f"{full_at}); threshold 1 moved to 2 (one belief shifted by {shift:.4f}): "
        f"{open_moved[-1]} of {size}"
    )
    figure = FigureSpec(
        title="Granovetter (1978) in the model: open dissent month by month",
        xlabel="month",
        ylabel="members dissenting openly (of 100)",
        curves=(
            Curve("thresholds 0, 1, ..., 99", months.tolist(), open_uniform.tolist(), "steps"),
            Curve("threshold 1 moved to 2", months.tolist(), open_moved.tolist(), "steps"),
        ),
    )
    return PAPER.finding(
        setup={
            "scenario": "scenarios/validation/granovetter.toml",
            "members": size,
            "network": "complete",
            "beta": 1.0,
            "tau": 0.02,
            "nu": 0.0,
            "psi": 0.9,
            "social proof": 1.0,
            "sanctions": "none (empty ladder; nobody is punished)",
            "beliefs": "member k placed so that the threshold is k - 1/2 others",
            "seed": seed,
        },
        table=table,
        verdict=Verdict.REPRODUCED if holds else Verdict.FAILED,
        summary=summary,
        note=(
            "Holds exactly: one member more dissents each month until all 100 do (month 100); "
            "with one threshold moved the cascade stops at the first member. The thresholds "
            "are not a parameter of the model but follow from each member's belief through "
            "DAF's closed form and the social-proof extension, so the check places beliefs "
            "member by member; with beliefs drawn at random the thresholds are random, and "
            "whether a cascade runs depends on the draw. Members see last month's dissent, so "
            "the cascade advances one threshold a month, as in Granovetter's dynamic reading."
        ),
        figure=figure,
    )


ENTRY = PAPER.entry(check)
