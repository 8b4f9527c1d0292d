"""Daymude, Axelrod & Forrest (2025): three regimes and the closed-form defiance threshold.

Set-up: ``scenarios/daymude.toml``, in which every consequence, debate, signal, fear and
social proof is off, so that each month every member plays the paper's one-shot game with
the announced tolerance tau, surveillance nu and severity psi (uniform punishment). The line
sits at -1 and beliefs are uniform on [-1, 1], so desired dissent delta = |b - L| / 2 is
uniform on [0, 1].

The paper's closed form, written out here independently of :mod:`simulation.model.rules.voice`:
comply (a = delta) if delta <= tau; defy (a = delta) if beta > (1 - nu) psi and
delta > delta* = (beta tau + nu psi) / (beta - (1 - nu) psi); otherwise self-censor at a = tau.
Nobody voices anything strictly between tau and delta* (the jump). A severity at or above
beta / (1 - nu) silences everyone above tau whatever their desired dissent; since delta <= 1,
everyone is already silent once delta* reaches 1, at psi = beta (1 - tau).
``tests/test_voice.py`` checks the rule function against the closed form and a brute-force
maximiser; this check measures the regimes in the running model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.validation.result import Curve, FigureSpec, Finding, Paper, Verdict
from simulation.validation.setup import build

NAME = "daymude"
TITLE = "Comply, self-censor, defy: the closed-form defiance threshold"
SOURCE = "Daymude, Axelrod & Forrest (2025)"
CITATION = (
    "Daymude, J. J., Axelrod, R. & Forrest, S. (2025). Strategic analysis of dissent and "
    "self-censorship. arXiv:2509.03731 [physics.soc-ph]."
)
CLAIM = (
    "An individual who weighs the value of voicing dissent against the chance of being seen "
    "and punished complies when desired dissent is within the tolerance, self-censors at "
    "exactly the tolerance above it, and defies (says everything) only beyond the tipping "
    "point (beta tau + nu psi) / (beta - (1 - nu) psi); voice jumps from tau to the tipping "
    "point, and a high enough severity silences everyone."
)
BETA, TAU, NU, PSI = 0.5, 0.2, 0.1, 0.3
#: Severities of the sweep; everyone is silent from beta (1 - tau) = 0.4 on.
SEVERITIES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.39, 0.4, 0.45, 0.5, 0.6, 0.8)
#: Agreement allowed between a member's dissent (stored as float32) and the closed form.
FLOAT32 = 1e-6


def tipping_point(beta: float, tau: float, nu: float, psi: float) -> float:
    """delta* = (beta tau + nu psi) / (beta - (1 - nu) psi); infinity when nobody can defy."""
    slope = beta - (1.0 - nu) * psi
    return (beta * tau + nu * psi) / slope if slope > 0 else float("inf")


def closed_form(delta: np.ndarray, beta: float, tau: float, nu: float, psi: float) -> np.ndarray:
    """The paper's choice of dissent for each desired dissent (uniform punishment)."""
    defy = delta > tipping_point(beta, tau, nu, psi)
    return np.where((delta <= tau) | defy, delta, tau)


def regime_shares(delta: np.ndarray, dissent: np.ndarray, tau: float) -> tuple[float, ...]:
    """Shares who comply, self-censor and defy, read from what members chose."""
    comply = delta <= tau
    defy = ~comply & (dissent > tau + FLOAT32)
    return float(comply.mean()), float((~comply & ~defy).mean()), float(defy.mean())


PAPER = Paper(NAME, TITLE, SOURCE, CITATION, CLAIM)


def check(quick: bool = False, seed: int = 0) -> Finding:
    """Measure the three regimes, the jump and the silencing severity in the running model.

    Args:
        quick: Use 1,000 members and a coarser severity sweep.
        seed: Seed of the model runs.

    Returns:
        The finding.
    """
    size = 1000 if quick else 2000
    severities = (*SEVERITIES[::2], 0.4) if quick else SEVERITIES
    severities = tuple(sorted(set(severities)))
    base = {"population.size": size, "end": "1924-01"}
    model = build(NAME, seed, base)
    model.step()
    m = model.members
    delta = 0.5 * np.abs(m.belief.astype(np.float64) - model.line)
    dissent = m.dissent.astype(np.float64)
    expected = closed_form(delta, BETA, TAU, NU, PSI)
    differs = int(np.count_nonzero(np.abs(dissent - expected) > FLOAT32))
    tipping = tipping_point(BETA, TAU, NU, PSI)
    shares = regime_shares(delta, dissent, TAU)
    in_gap = int(np.count_nonzero((dissent > TAU + FLOAT32) & (dissent <= tipping)))
    # "paper": the closed form for a party of infinite size (delta uniform on [0, 1]);
    # "closed form here": the closed form applied to this party's own beliefs, which the model
    # must match exactly.
    here = regime_shares(delta, expected, TAU)
    rows = [
        ("members whose dissent differs from the closed form", 0, 0, differs),
        ("share complying (delta <= tau)", TAU, here[0], shares[0]),
        ("share self-censoring at tau", tipping - TAU, here[1], shares[1]),
        ("share defying", 1.0 - tipping, here[2], shares[2]),
        ("members voicing between tau and the tipping point", 0, 0, in_gap),
    ]
    sweep = []
    for psi in severities:
        run = build(NAME, seed, {**base, "policy.severity": psi})
        run.step()
        point = max(TAU, tipping_point(BETA, TAU, NU, psi))
        infinite = max(0.0, 1.0 - point)
        finite = float(np.mean(delta > point))
        sweep.append((psi, infinite, finite, float(run.current_outcomes["deviating"])))
    rows += [
        (f"share defying at psi = {psi:g}", infinite, finite, share)
        for psi, infinite, finite, share in sweep
    ]
    table = pd.DataFrame(rows, columns=["quantity", "paper", "closed form here", "model"])
    # Nobody with delta <= 1 can defy once the tipping point reaches 1: psi >= beta (1 - tau).
    silencing = BETA * (1.0 - TAU)
    silenced = [share for psi, _, _, share in sweep if psi >= silencing]
    holds = (
        differs == 0
        and in_gap == 0
        and shares == here
        and all(abs(share - finite) < 0.5 / size for _, _, finite, share in sweep)
        and all(share == 0.0 for share in silenced)
    )
    summary = (
        f"shares comply/self-censor/defy {shares[0]:.3f}/{shares[1]:.3f}/{shares[2]:.3f} "
        f"(paper {TAU:.3f}/{tipping - TAU:.3f}/{1 - tipping:.3f}); tipping point "
        f"{tipping:.4f}; nobody voices in ({TAU}, {tipping:.3f}]; all silent from psi = "
        f"{silencing:g}"
    )
    curve_psi = np.linspace(0.0, 0.8, 161)
    paper = [max(0.0, 1.0 - max(TAU, tipping_point(BETA, TAU, NU, p))) for p in curve_psi]
    figure = FigureSpec(
        title="Daymude, Axelrod & Forrest (2025): share who defy",
        xlabel="severity psi (beta = 0.5, tau = 0.2, nu = 0.1)",
        ylabel="share of members defying",
        curves=(
            Curve("closed form", curve_psi.tolist(), paper, "dashed"),
            Curve("model", [p for p, *_ in sweep], [row[-1] for row in sweep], "points"),
        ),
    )
    return PAPER.finding(
        setup={
            "scenario": "scenarios/daymude.toml",
            "members": size,
            "beta": BETA,
            "tau": TAU,
            "nu": NU,
            "psi": PSI,
            "severity sweep": list(severities),
            "seed": seed,
        },
        table=table,
        verdict=Verdict.REPRODUCED if holds else Verdict.FAILED,
        summary=summary,
        note=(
            "Every member's choice in the running model is the paper's closed form (to float32 "
            "precision), so the regime shares are exactly the closed form's on the party's own "
            "beliefs; they differ from the infinite-party values only by the sampling of "
            "beliefs. The share who defy follows 1 - delta* across severities and is 0 from "
            "psi = beta (1 - tau) on."
        ),
        figure=figure,
    )


ENTRY = PAPER.entry(check)
