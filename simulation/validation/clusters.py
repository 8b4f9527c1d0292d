"""Counting opinion clusters, the measure of the bounded-confidence results."""

from __future__ import annotations

import numpy as np


def count_clusters(
    beliefs: np.ndarray, gap: float = 0.02, min_share: float = 0.02
) -> tuple[int, list[tuple[float, int]]]:
    """Count opinion clusters: sorted beliefs split where neighbours differ by more than ``gap``.

    Clusters holding fewer than ``min_share`` of everyone are ignored: the small extremist
    clusters of Deffuant et al. (2000) are not "major" clusters.

    Args:
        beliefs: Final beliefs.
        gap: Largest distance between neighbouring beliefs within one cluster.
        min_share: Smallest share of everyone that makes a cluster major.

    Returns:
        The number of major clusters and (centre, size) of every cluster found.
    """
    ordered = np.sort(np.asarray(beliefs, dtype=np.float64))
    groups = np.split(ordered, np.flatnonzero(np.diff(ordered) > gap) + 1)
    found = [(float(g.mean()), int(g.size)) for g in groups if g.size]
    major = sum(1 for _, n in found if n >= min_share * ordered.size)
    return major, found
