"""The social network between members (docs/ODD.md 2.2, 5.2).

Two kinds share one interface, so that the model never asks which it has:

* :class:`SparseNetwork` — ties with homophily by faction and patronage between tiers, held
  as adjacency lists in one arena that grows as recruits join (see below); built and grown in
  O(ties) time, never O(N^2).
* :class:`CompleteNetwork` — everyone tied to everyone, held implicitly, for reproducing
  classic results that assume a complete graph (Deffuant et al. 2000; Hegselmann & Krause 2002).

The initial party is tied at the start (:func:`build_network`); a recruit makes its ties on
joining (:func:`simulation.model.passes.membership.attach_recruits`). Ties are never cut: a tie to
a member who was expelled, jailed, shot or died stays, and says nothing.

Storage: node ``i``'s neighbours are ``arena[start[i] : start[i] + degree[i]]`` with
``room[i] >= degree[i]`` slots reserved. A tie added to a full node moves its list to the end
of the arena with twice the room (amortised O(1) per tie, like a growing array); the arena is
compacted when more than half of it is abandoned lists.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from scipy import sparse

from simulation.model.members import Members, Tier
from simulation.model.passes.arena import MIN_ROOM
from simulation.model.passes.bundles import Ties
from simulation.model.passes.chunks import chunk_bounds, chunk_count, chunk_table
from simulation.model.passes.freshness import forget_stale_compilations
from simulation.model.passes.listening import confidence_means
from simulation.scenario.schema import Network

#: "No list is closed" for :func:`_compact`.
_NONE_CLOSED = np.zeros(0, dtype=np.bool_)


@njit(cache=True)
def _lists_from_pairs(n, source, target, slack):
    """Adjacency lists of an undirected graph given as pairs, without self-ties or duplicates."""
    count = np.zeros(n, dtype=np.int64)
    for k in range(source.shape[0]):
        if source[k] != target[k]:
            count[source[k]] += 1
            count[target[k]] += 1
    room = np.empty(n, dtype=np.int32)
    start = np.empty(n, dtype=np.int64)
    total = 0
    for i in range(n):
        start[i] = total
        room[i] = count[i] + slack
        total += room[i]
    arena = np.zeros(total, dtype=np.int32)
    degree = np.zeros(n, dtype=np.int32)
    for k in range(source.shape[0]):
        a, b = source[k], target[k]
        if a != b:
            arena[start[a] + degree[a]] = b
            degree[a] += 1
            arena[start[b] + degree[b]] = a
            degree[b] += 1
    for i in range(n):  # sort each list and drop duplicate ties
        lo = start[i]
        values = np.sort(arena[lo : lo + degree[i]])
        kept = 0
        for k in range(values.shape[0]):
            if k == 0 or values[k] != values[k - 1]:
                arena[lo + kept] = values[k]
                kept += 1
        degree[i] = kept
    return start, degree, room, arena, total


@njit(cache=True, parallel=True)
def _compact(n, start, degree, room, arena, slack, closed):
    # Where each chunk of rows begins in the new arena (a running total on one thread); then
    # the chunks' lists are copied on every core. No per-row scratch array: at a million
    # members the relayout is the run's peak of memory, old and new arena side by side.
    # Lists marked in ``closed`` (when it is not empty) will not grow again: no slack.
    chunks = chunk_count(n)
    base = chunk_table(1, chunks + 1, np.int64)[0]
    any_closed = closed.shape[0] > 0
    for c in range(chunks):
        lo, hi = chunk_bounds(c, n)
        size = 0
        for i in range(lo, hi):
            room[i] = degree[i] + (0 if any_closed and closed[i] else slack)
            size += room[i]
        base[c + 1] = base[c] + size
    # Not zeroed: the free slots after each list are never read before a tie is written there.
    new = np.empty(base[chunks], dtype=np.int32)
    for c in prange(chunks):
        lo, hi = chunk_bounds(c, n)
        at = base[c]
        for i in range(lo, hi):
            d = degree[i]
            new[at : at + d] = arena[start[i] : start[i] + d]
            start[i] = at
            at += room[i]
    return new, base[chunks]


@njit(cache=True)
def _neighbour_sum(n, start, degree, arena, values):
    out = np.zeros(n, dtype=np.float64)
    for i in range(n):
        s = 0.0
        for k in range(start[i], start[i] + degree[i]):
            s += values[arena[k]]
        out[i] = s
    return out


class SparseNetwork:
    """An undirected, unweighted network held as growable adjacency lists.

    Args:
        start, degree, room, arena: The lists (see the module docstring).
        used: Arena slots in use.
    """

    kind = "homophily"
    complete = False

    def __init__(
        self,
        start: np.ndarray,
        degree: np.ndarray,
        room: np.ndarray,
        arena: np.ndarray,
        used: int,
    ) -> None:
        self.nodes = int(degree.shape[0])
        self._start, self._degree, self._room = start, degree, room
        self.arena = arena
        self.used = int(used)
        self._ties: Ties | None = None

    @classmethod
    def from_pairs(cls, n: int, source: np.ndarray, target: np.ndarray) -> SparseNetwork:
        """The network on ``n`` nodes with a tie for each pair (self-ties and repeats dropped)."""
        lists = _lists_from_pairs(
            n, np.asarray(source, dtype=np.int32), np.asarray(target, dtype=np.int32), MIN_ROOM
        )
        return cls(*lists)

    # ---------------------------------------------------------------- reading
    @property
    def size(self) -> int:
        """Number of nodes."""
        return self.nodes

    def confidence_mean(
        self, belief: np.ndarray, said: np.ndarray, speaking: np.ndarray, bound: float
    ) -> np.ndarray:
        """Hegselmann-Krause mean: own belief and what speaking ties said within ``bound``.

        m_i = (b_i + sum_{j in N(i), speaking, b_i - eps <= s_j <= b_i + eps} s_j) / (1 + count),
        tested exactly as :meth:`CompleteNetwork.confidence_mean` tests it.
        """
        audible = np.where(speaking, said, np.nan).astype(np.float64)
        out = np.zeros(self.nodes)
        everyone = np.arange(self.nodes, dtype=np.int32)
        confidence_means(everyone, belief.astype(np.float64), audible, self.ties(), bound, out)
        return out

    @property
    def start(self) -> np.ndarray:
        """Offset of each node's list in :attr:`arena`."""
        return self._start[: self.nodes]

    @property
    def degree(self) -> np.ndarray:
        """Number of ties of each node."""
        return self._degree[: self.nodes]

    @property
    def edge_count(self) -> int:
        """Number of undirected ties."""
        return int(self.degree.sum()) // 2

    def neighbours(self, node: int) -> np.ndarray:
        """Indices of one node's neighbours."""
        lo = int(self._start[node])
        return self.arena[lo : lo + int(self._degree[node])].copy()

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over each node's neighbours: (A v)_i = sum_{j in N(i)} v_j."""
        return _neighbour_sum(self.nodes, self._start, self._degree, self.arena, values)

    @property
    def matrix(self) -> sparse.csr_matrix:
        """The adjacency matrix as a ``scipy.sparse`` CSR matrix (a copy, for inspection)."""
        rows = np.repeat(np.arange(self.nodes), self.degree)
        first = np.cumsum(self.degree) - self.degree
        offsets = np.arange(rows.shape[0]) - np.repeat(first, self.degree)
        cols = self.arena[np.repeat(self.start, self.degree) + offsets]
        data = np.ones(rows.shape[0])
        return sparse.csr_matrix((data, (rows, cols.astype(np.int64))), shape=(self.nodes,) * 2)

    def random_neighbour(self, nodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One uniformly drawn neighbour for each node (-1 where a node has none)."""
        degree = self.degree[nodes]
        pick = (rng.random(nodes.shape[0]) * degree).astype(np.int64)
        partner = np.full(nodes.shape[0], -1, dtype=np.int64)
        has = degree > 0
        partner[has] = self.arena[self.start[nodes[has]] + pick[has]]
        return partner

    def nbytes(self) -> int:
        """Bytes allocated for the lists."""
        return self.arena.nbytes + self._start.nbytes + self._degree.nbytes + self._room.nbytes

    # ---------------------------------------------------------------- growing
    def add_nodes(self, count: int) -> None:
        """Add ``count`` nodes without ties (recruits, before they make their ties)."""
        needed = self.nodes + count
        if needed > self._degree.shape[0]:
            capacity = max(needed, int(self._degree.shape[0] * 1.25) + 1024)
            for name in ("_start", "_degree", "_room"):
                old = getattr(self, name)
                grown = np.zeros(capacity, dtype=old.dtype)
                grown[: self.nodes] = old[: self.nodes]
                setattr(self, name, grown)
        self._start[self.nodes : needed] = 0
        self._degree[self.nodes : needed] = 0
        self._room[self.nodes : needed] = 0
        self.nodes = needed

    def make_room(self, slots: int) -> None:
        """Ensure ``slots`` free arena slots: compact if half is abandoned, else grow."""
        if self.used + slots <= self.arena.shape[0]:
            return
        live = int(self.degree.sum()) + MIN_ROOM * self.nodes
        if live < self.used // 2:
            self.arena, self.used = _compact(
                self.nodes, self._start, self._degree, self._room, self.arena, MIN_ROOM,
                _NONE_CLOSED,
            )  # fmt: skip
        if self.used + slots > self.arena.shape[0]:
            size = max(self.used + slots, int(self.arena.shape[0] * 1.5))
            if self.arena.flags.owndata:
                # In place where the allocator can: no second copy of a big run's largest array.
                self.arena.resize(size, refcheck=False)
            else:  # an array made by compiled code: copy it once into one numpy owns
                grown = np.zeros(size, dtype=np.int32)
                grown[: self.used] = self.arena[: self.used]
                self.arena = grown

    def relayout(self, closed: np.ndarray | None = None) -> None:
        """Rewrite the arena with the lists in row order and no abandoned space.

        The monthly passes visit members in row order; with their lists in the same order,
        reading the ties of member after member streams through memory instead of jumping to
        wherever a list last moved. Costs one pass over the ties; the model calls it yearly.

        Args:
            closed: Per node, whether its list will never grow again (the dead): such a list
                gets no free slots after it. ``None``: every list may grow.
        """
        closed = _NONE_CLOSED if closed is None else np.asarray(closed, dtype=np.bool_)
        if closed.size and closed.shape[0] < self.nodes:
            raise ValueError(f"closed has {closed.shape[0]} entries for {self.nodes} nodes")
        self.arena, self.used = _compact(
            self.nodes, self._start, self._degree, self._room, self.arena, MIN_ROOM, closed
        )

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(start, degree, room, arena)``: the tie lists' arrays."""
        return self._start, self._degree, self._room, self.arena

    def ties(self) -> Ties:
        """The tie lists bundled for the compiled passes, made anew only when an array moved."""
        ties = self._ties
        if (
            ties is None
            or ties.arena is not self.arena
            or ties.start is not self._start
            or ties.degree is not self._degree
            or ties.room is not self._room
        ):
            ties = self._ties = Ties(self._start, self._degree, self._room, self.arena, False)
        return ties


class CompleteNetwork:
    """Everyone tied to everyone, without storing N^2 ties."""

    kind = "complete"
    complete = True

    def __init__(self, size: int) -> None:
        self.nodes = int(size)
        self.used = 0
        self.arena = np.zeros(1, dtype=np.int32)
        self._empty64 = np.zeros(1, dtype=np.int64)
        self._empty32 = np.zeros(1, dtype=np.int32)
        self._ties = Ties(self._empty64, self._empty32, self._empty32, self.arena, True)

    @property
    def size(self) -> int:
        """Number of nodes."""
        return self.nodes

    @property
    def degree(self) -> np.ndarray:
        """Everyone has ``size - 1`` ties."""
        return np.full(self.nodes, self.nodes - 1, dtype=np.int64)

    @property
    def edge_count(self) -> int:
        """Number of undirected ties."""
        return self.nodes * (self.nodes - 1) // 2

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum over everyone else: (A v)_i = sum_j v_j - v_i."""
        return values.sum(axis=0) - values

    def neighbours(self, node: int) -> np.ndarray:
        """Everyone but the node."""
        everyone = np.arange(self.nodes)
        return everyone[everyone != node]

    def random_neighbour(self, nodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A uniformly drawn other node for each node."""
        pick = rng.integers(0, self.nodes - 1, size=nodes.shape[0])
        return pick + (pick >= nodes)

    def add_nodes(self, count: int) -> None:
        """Add ``count`` nodes, tied to everyone."""
        self.nodes += count

    def make_room(self, slots: int) -> None:
        """Nothing to store."""

    def nbytes(self) -> int:
        """No ties are stored."""
        return 0

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Placeholders: the compiled passes treat a complete network by formula."""
        return self._empty64, self._empty32, self._empty32, self.arena

    def ties(self) -> Ties:
        """Placeholders marked complete, for the compiled passes."""
        return self._ties

    def confidence_mean(
        self, belief: np.ndarray, said: np.ndarray, speaking: np.ndarray, bound: float
    ) -> np.ndarray:
        """Hegselmann-Krause mean over everyone, by sorting and prefix sums (O(N log N)).

        m_i = (b_i + sum_{j != i, speaking, b_i - eps <= s_j <= b_i + eps} s_j) / (1 + count).
        """
        belief = belief.astype(np.float64)
        said = said.astype(np.float64)
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
    """Tie the initial party together.

    Homophily: each member makes ``(mean_degree - 2 * patronage) / 2`` ties on average (a
    Poisson number), each inside their own faction with probability ``homophily``, otherwise
    with anyone. Patronage: everyone below the politburo gets one patron drawn from the tier
    above, which gives the hierarchy its clientele networks. Duplicate ties and self-ties are
    dropped. The mean degree is thus about ``mean_degree``; recruits keep it there by making
    ties of the same kinds when they join. Locality: each of the Poisson ties is then, with
    probability ``locality``, redrawn from the member's own organisation (docs/ODD.md 5.2).

    Args:
        config: The scenario's network section.
        members: The initial party, for factions and tiers.
        rng: The network stream.

    Returns:
        The network.
    """
    n = members.rows
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
    if config.locality > 0 and members.keeps("organisation"):
        # Drawn after everything else, so that without locality the network is unchanged.
        local = rng.random(source.shape[0]) < config.locality
        target[local] = _same_group_partner(members.organisation, source[local], rng)
    source = np.concatenate(sources).astype(np.int32)
    target = np.concatenate(targets).astype(np.int32)
    start, degree, room, arena, used = _lists_from_pairs(n, source, target, MIN_ROOM)
    return SparseNetwork(start, degree, room, arena, used)


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
    """One patron per member, from the tier above (rank and file without cadres: the CC)."""
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


# The compiled functions here and in the passes were compiled with the rules they call: forget
# them if a rule has changed since (after the definitions above, so that they are seen).
forget_stale_compilations()
