"""The social network between members (DESIGN §2, Social network).

Two kinds share one interface, so that the monthly rules never ask which they have:

* :class:`SparseNetwork` — ties with homophily by faction and patronage between tiers, held as
  a ``scipy.sparse`` CSR matrix; built in O(N * degree) time, never O(N^2).
* :class:`CompleteNetwork` — everyone tied to everyone, held implicitly, for reproducing
  classic results that assume a complete graph (Deffuant et al. 2000; Hegselmann & Krause 2002).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from simulation.scenario.schema import Network
from simulation.state import Members, Tier


class SparseNetwork:
    """An undirected, unweighted network held as a symmetric CSR adjacency matrix."""

    kind = "homophily"

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        self.matrix = matrix
        self.indptr = matrix.indptr
        self.indices = matrix.indices
        self.degree = np.diff(matrix.indptr).astype(np.int64)
        rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), self.degree)
        self._rows = rows

    @property
    def size(self) -> int:
        """Number of nodes."""
        return int(self.matrix.shape[0])

    @property
    def edge_count(self) -> int:
        """Number of undirected ties."""
        return int(self.matrix.nnz // 2)

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over each node's neighbours: (A v)_i = sum_{j in N(i)} v_j."""
        return self.matrix @ values

    def prefix(self, size: int) -> SparseNetwork:
        """The network among nodes ``0 .. size - 1`` only (cached until ``size`` changes)."""
        if size == self.size:
            return self
        cached = getattr(self, "_prefix", None)
        if cached is None or cached.size != size:
            cached = SparseNetwork(self.matrix[:size, :size].tocsr())
            self._prefix = cached
        return cached

    def neighbours(self, node: int) -> np.ndarray:
        """Indices of one node's neighbours."""
        return self.indices[self.indptr[node] : self.indptr[node + 1]]

    def random_neighbour(self, nodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One uniformly drawn neighbour for each node (-1 where a node has none)."""
        degree = self.degree[nodes]
        pick = (rng.random(nodes.shape[0]) * degree).astype(np.int64)
        partner = np.full(nodes.shape[0], -1, dtype=np.int64)
        has = degree > 0
        partner[has] = self.indices[self.indptr[nodes[has]] + pick[has]]
        return partner

    def confidence_mean(
        self, belief: np.ndarray, said: np.ndarray, speaking: np.ndarray, bound: float
    ) -> np.ndarray:
        """Hegselmann-Krause mean: own belief and what neighbours said within ``bound``.

        m_i = (b_i + sum_{j in N(i), speaking, |b_i - s_j| <= eps} s_j) / (1 + count).

        "Within eps" is tested as b_i - eps <= s_j <= b_i + eps, exactly as
        :meth:`CompleteNetwork.confidence_mean` tests it, so both agree to the last bit.
        """
        cols = self.indices
        centre = belief[self._rows]
        within = speaking[cols] & (said[cols] >= centre - bound) & (said[cols] <= centre + bound)
        sums = np.bincount(
            self._rows, weights=np.where(within, said[cols], 0.0), minlength=self.size
        )
        counts = np.bincount(self._rows, weights=within, minlength=self.size)
        return (belief + sums) / (1.0 + counts)


class CompleteNetwork:
    """Everyone tied to everyone, without storing N^2 ties."""

    kind = "complete"

    def __init__(self, size: int) -> None:
        self._size = size
        self.degree = np.full(size, size - 1, dtype=np.int64)

    @property
    def size(self) -> int:
        """Number of nodes."""
        return self._size

    @property
    def edge_count(self) -> int:
        """Number of undirected ties."""
        return self._size * (self._size - 1) // 2

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum over everyone else: (A v)_i = sum_j v_j - v_i."""
        return values.sum(axis=0) - values

    def prefix(self, size: int) -> CompleteNetwork:
        """The complete network among nodes ``0 .. size - 1``."""
        return self if size == self._size else CompleteNetwork(size)

    def neighbours(self, node: int) -> np.ndarray:
        """Everyone but the node."""
        everyone = np.arange(self._size)
        return everyone[everyone != node]

    def random_neighbour(self, nodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A uniformly drawn other node for each node."""
        pick = rng.integers(0, self._size - 1, size=nodes.shape[0])
        return pick + (pick >= nodes)

    def confidence_mean(
        self, belief: np.ndarray, said: np.ndarray, speaking: np.ndarray, bound: float
    ) -> np.ndarray:
        """Hegselmann-Krause mean over everyone, by sorting and prefix sums (O(N log N))."""
        values = np.where(speaking, said, np.nan)
        order = np.argsort(values)
        spoken = values[order][: int(speaking.sum())]
        prefix = np.concatenate(([0.0], np.cumsum(spoken)))
        low = np.searchsorted(spoken, belief - bound, side="left")
        high = np.searchsorted(spoken, belief + bound, side="right")
        sums = prefix[high] - prefix[low]
        counts = (high - low).astype(np.float64)
        # Each node heard itself among the speakers; replace that by its own belief. The test
        # must be the one searchsorted applied, or a tie at the bound counts a node twice.
        own = speaking & (said >= belief - bound) & (said <= belief + bound)
        sums = sums - np.where(own, said, 0.0)
        counts = counts - own
        return (belief + sums) / (1.0 + counts)


def build_network(
    config: Network, members: Members, rng: np.random.Generator
) -> SparseNetwork | CompleteNetwork:
    """Build the scenario's network over everyone in the party's social world.

    Homophily: each person makes ``(mean_degree - 2 * patronage) / 2`` ties on average (a
    Poisson number), each inside their own faction with probability ``homophily``, otherwise
    with anyone. Patronage: everyone below the politburo gets one patron drawn from the tier
    above (people in the recruitment pool get a cadre as patron), which gives the hierarchy
    its clientele networks. Duplicate ties and self-ties are dropped.

    Args:
        config: The scenario's network section.
        members: Everyone, for factions and tiers.
        rng: The network stream.

    Returns:
        The network.
    """
    n = members.capacity
    if config.kind == "complete":
        return CompleteNetwork(n)
    patron_ties = 1.0 if config.patronage else 0.0
    stubs = rng.poisson(max(config.mean_degree - 2 * patron_ties, 0.0) / 2.0, size=n)
    source = np.repeat(np.arange(n, dtype=np.int64), stubs)
    target = rng.integers(0, n, size=source.shape[0])
    same = rng.random(source.shape[0]) < config.homophily
    target[same] = _same_group_partner(members.faction, source[same], rng)
    sources, targets = [source], [target]
    if config.patronage:
        patron_source, patron_target = _patron_ties(members.tier, rng)
        sources.append(patron_source)
        targets.append(patron_target)
    source = np.concatenate(sources)
    target = np.concatenate(targets)
    keep = source != target
    rows = np.concatenate((source[keep], target[keep])).astype(np.int32)
    cols = np.concatenate((target[keep], source[keep])).astype(np.int32)
    # float64 so that products with float64 state vectors need no conversion of the matrix.
    data = np.ones(rows.shape[0], dtype=np.float64)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return SparseNetwork(matrix)


def _same_group_partner(
    group: np.ndarray, nodes: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A uniformly drawn member of each node's own group."""
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=int(group.max()) + 1)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    g = group[nodes]
    offset = (rng.random(nodes.shape[0]) * counts[g]).astype(np.int64)
    return order[starts[g] + offset]


def _patron_ties(tier: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One patron per person, from the tier above (pool members: a cadre)."""
    sources, targets = [], []
    for level in (Tier.CENTRAL_COMMITTEE, Tier.CADRE, Tier.RANK_AND_FILE):
        clients = np.flatnonzero(tier == level)
        patrons = np.flatnonzero(tier == level - 1)
        if level == Tier.RANK_AND_FILE and patrons.size == 0:
            patrons = np.flatnonzero(tier == Tier.CENTRAL_COMMITTEE)
        if clients.size == 0 or patrons.size == 0:
            continue
        sources.append(clients)
        targets.append(patrons[rng.integers(0, patrons.size, size=clients.size)])
    if not sources:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(sources).astype(np.int64), np.concatenate(targets).astype(np.int64)
