"""Hegselmann & Krause (2002): consensus above, fragmentation below the critical bound.

Set-up: ``scenarios/hegselmann_krause.toml``: as ``deffuant.toml`` but every member moves at
once to the mean of all opinions within the bound. The paper's critical bound of about 0.2 on
the unit interval is about 0.4 on the model's axis from -1 to 1. ``tests/test_debate.py``
asserts the same; this module reports the numbers.
"""

from __future__ import annotations

from simulation.validation.bounded_confidence import cluster_counts, cluster_table, medians
from simulation.validation.result import Curve, FigureSpec, Finding, Paper, Verdict

NAME = "hegselmann_krause"
TITLE = "Consensus above, fragmentation below the critical bound"
SOURCE = "Hegselmann & Krause (2002)"
CITATION = (
    "Hegselmann, R. & Krause, U. (2002). Opinion dynamics and bounded confidence: models, "
    "analysis and simulation. Journal of Artificial Societies and Social Simulation 5(3): 2."
)
CLAIM = (
    "When everyone moves at once to the mean of the opinions within their bound, uniform "
    "initial opinions on [0, 1] end in consensus for bounds above about 0.2 and in several "
    "clusters below it, more as the bound falls."
)
#: Critical bound on the unit interval (Hegselmann & Krause 2002; Lorenz 2007).
CRITICAL = 0.2
BOUNDS = (0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 0.2, 0.1)
QUICK_BOUNDS = (0.6, 0.5, 0.35, 0.2)
SIZE = 1000


PAPER = Paper(NAME, TITLE, SOURCE, CITATION, CLAIM)


def check(quick: bool = False, seed: int = 0) -> Finding:
    """Count final clusters above and below the critical bound over several seeds.

    Args:
        quick: Four bounds instead of eight.
        seed: First of three seeds.

    Returns:
        The finding.
    """
    bounds = QUICK_BOUNDS if quick else BOUNDS
    seeds = list(range(seed, seed + 3))
    counts = cluster_counts(NAME, bounds, seeds, SIZE)
    middle = medians(counts)

    def side(bound: float) -> str:
        d = bound / 2
        if d >= CRITICAL + 0.04:
            return "above: consensus"
        if d <= CRITICAL - 0.02:
            return "below: fragments"
        return "near the critical bound"

    table = cluster_table(bounds, counts, middle, "paper", side)
    above = [b for b in bounds if side(b).startswith("above")]
    below = [b for b in bounds if side(b).startswith("below")]
    holds = all(counts[b] == [1] * len(seeds) for b in above) and all(
        min(counts[b]) >= 2 for b in below
    )
    summary = (
        "consensus on every seed for d >= "
        f"{min(above) / 2:g}; {', '.join(f'{middle[b]:g}' for b in below)} clusters at d = "
        f"{', '.join(f'{b / 2:g}' for b in below)}"
    )
    figure = FigureSpec(
        title="Hegselmann & Krause (2002): clusters after four years",
        xlabel="confidence bound d on the unit interval",
        ylabel="major opinion clusters (median of 3 seeds)",
        curves=(
            Curve("critical bound 0.2", [CRITICAL, CRITICAL], [0, max(middle.values())], "dashed"),
            Curve("model", [b / 2 for b in bounds], [middle[b] for b in bounds], "points"),
        ),
    )
    return PAPER.finding(
        setup={
            "scenario": "scenarios/hegselmann_krause.toml",
            "members": SIZE,
            "months": 48,
            "bounds eps (= 2 d)": list(bounds),
            "seeds": seeds,
        },
        table=table,
        verdict=Verdict.REPRODUCED if holds else Verdict.FAILED,
        summary=summary,
        note=(
            "Consensus, with no minor cluster left, on every seed for d >= 0.25; two or more "
            "clusters on every seed for d <= 0.175. Near d = 0.2 the outcome depends on the "
            "seed, as expected at a critical bound in a finite population (Lorenz 2007)."
        ),
        figure=figure,
    )


ENTRY = PAPER.entry(check)
