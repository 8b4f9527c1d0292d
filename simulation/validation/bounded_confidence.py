"""Shared runs of the bounded-confidence results: final opinion clusters per bound and seed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from simulation.model.members import Status
from simulation.validation.clusters import count_clusters
from simulation.validation.setup import build


def final_clusters(
    scenario: str, bound: float, seed: int, size: int, end: str | None = None
) -> int:
    """Major opinion clusters among active members at the end of one run."""
    overrides = {"population.size": size, "debate.confidence": bound}
    if end is not None:
        overrides["end"] = end
    model = build(scenario, seed, overrides)
    model.run()
    m = model.members
    return count_clusters(m.belief[m.status == Status.ACTIVE])[0]


def cluster_counts(
    scenario: str, bounds: Sequence[float], seeds: Sequence[int], size: int
) -> dict[float, list[int]]:
    """Major clusters per bound, one count per seed."""
    return {
        bound: [final_clusters(scenario, bound, seed, size) for seed in seeds] for bound in bounds
    }


def medians(counts: dict[float, list[int]]) -> dict[float, float]:
    """The median count per bound."""
    return {bound: float(np.median(values)) for bound, values in counts.items()}


def cluster_table(
    bounds: Sequence[float],
    counts: dict[float, list[int]],
    middle: dict[float, float],
    paper_column: str,
    paper: Callable[[float], object],
) -> pd.DataFrame:
    """One row per bound: the paper's d and expectation beside the model's clusters.

    Args:
        bounds: Confidence bounds eps (the model's units; the papers' d is eps / 2).
        counts: Clusters per seed, by bound (:func:`cluster_counts`).
        middle: Median clusters, by bound (:func:`medians`).
        paper_column: Heading of the paper's expectation.
        paper: The paper's expectation at a bound.

    Returns:
        The table.
    """
    return pd.DataFrame(
        [
            {
                "bound eps": bound,
                "paper's d": bound / 2,
                paper_column: paper(bound),
                "model: median clusters": middle[bound],
                "model: per seed": " ".join(str(c) for c in counts[bound]),
            }
            for bound in bounds
        ]
    )
