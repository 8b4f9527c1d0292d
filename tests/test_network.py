"""The social network: degree, homophily, patronage, symmetry, prefixes, scale."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from simulation.model.members import Status, Tier
from simulation.model.network import (
    MIN_ROOM,
    CompleteNetwork,
    SparseNetwork,
    build_network,
)
from simulation.model.passes.arena import append_tie
from simulation.model.population import build_members
from simulation.scenario.schema import Network, Population


def members_for(size=20_000, pool_factor=1.0, seed=1, **population):
    config = Population(size=size, pool_factor=pool_factor, **population)
    return build_members(config, 0, np.random.default_rng(seed))


def network_for(members, seed=2, **network):
    return build_network(Network(**network), members, np.random.default_rng(seed))


def within_faction_share(net: SparseNetwork, faction: np.ndarray) -> float:
    coo = net.matrix.tocoo()
    return float(np.mean(faction[coo.row] == faction[coo.col]))


@pytest.fixture(scope="module")
def party():
    return members_for()


@pytest.fixture(scope="module")
def net(party):
    return network_for(party)


def test_mean_degree_near_configured(party, net):
    assert net.degree.mean() == pytest.approx(10.0, abs=0.2)
    assert net.edge_count * 2 == net.degree.sum()
    for degree in (4.0, 12.0):
        other = network_for(party, mean_degree=degree, patronage=False)
        assert other.degree.mean() == pytest.approx(degree, abs=0.15)


def test_no_self_ties_symmetric_unweighted(net):
    assert net.matrix.diagonal().sum() == 0
    assert (net.matrix != net.matrix.T).nnz == 0
    np.testing.assert_array_equal(net.matrix.data, 1.0)
    # Every listed neighbour is a real neighbour and none is listed twice.
    for node in (0, 17, 9_999):
        neighbours = net.neighbours(node)
        assert node not in neighbours
        assert len(set(neighbours.tolist())) == neighbours.size == net.degree[node]


def test_homophily_share_without_patronage(party):
    """A tie is made within one's faction with probability h, otherwise with anyone (who may be
    of one's faction too): the within-faction share is h + (1 - h) sum_k s_k^2."""
    shares = np.bincount(party.faction) / party.rows
    chance = float(np.sum(shares**2))
    for h in (0.0, 0.5, 0.7, 1.0):
        net = network_for(party, homophily=h, patronage=False)
        assert within_faction_share(net, party.faction) == pytest.approx(
            h + (1 - h) * chance, abs=0.01
        )


def test_homophily_share_with_patronage(party, net):
    """Patronage ties (about 2 of the 10 per member) cross factions at random."""
    shares = np.bincount(party.faction) / party.rows
    chance = float(np.sum(shares**2))
    homophily_ties = (10.0 - 2.0) / 10.0
    expected = homophily_ties * (0.7 + 0.3 * chance) + (1 - homophily_ties) * chance
    assert within_faction_share(net, party.faction) == pytest.approx(expected, abs=0.01)
    # Close to the configured 0.7, and more than chance.
    assert within_faction_share(net, party.faction) == pytest.approx(0.7, abs=0.08)
    assert within_faction_share(net, party.faction) > chance + 0.2


def test_patronage_ties_everyone_below_the_top_to_the_tier_above(party, net):
    matrix = net.matrix
    for level in (Tier.CENTRAL_COMMITTEE, Tier.CADRE, Tier.RANK_AND_FILE):
        clients = np.flatnonzero(party.tier == level)
        patrons = np.flatnonzero(party.tier == level - 1)
        ties_up = np.asarray(matrix[clients][:, patrons].sum(axis=1)).ravel()
        assert clients.size > 0
        assert np.all(ties_up >= 1), f"{Tier(level).name}: someone has no patron"


def test_patronage_alone_gives_one_tie_per_client():
    members = members_for(size=2_000)
    net = network_for(members, mean_degree=0.0, patronage=True)
    # No homophily ties asked for: exactly one patron tie for everyone but the politburo.
    politburo = Population().tiers.politburo
    assert net.edge_count == members.rows - politburo
    none = network_for(members, mean_degree=0.0, patronage=False)
    assert none.edge_count == 0
    assert np.all(none.random_neighbour(np.arange(5), np.random.default_rng(0)) == -1)


def test_lists_grow_and_move_without_losing_ties():
    """Adding ties to full lists moves them to the arena's end; compaction keeps every tie."""
    net = SparseNetwork.from_pairs(4, np.array([0, 1]), np.array([1, 2]))
    net.add_nodes(3)
    rng = np.random.default_rng(0)
    expected = {i: set(net.neighbours(i).tolist()) for i in range(net.size)}
    for _ in range(400):
        u, v = (int(x) for x in rng.integers(0, net.size, 2))
        if u == v or v in expected[u]:
            continue
        net.make_room(64)
        start, degree, room, arena = net.arrays()
        net.used = append_tie(start, degree, room, arena, net.used, u, v)
        net.used = append_tie(start, degree, room, arena, net.used, v, u)
        expected[u].add(v)
        expected[v].add(u)
    for i in range(net.size):
        assert set(net.neighbours(i).tolist()) == expected[i]
    assert (net.matrix != net.matrix.T).nnz == 0
    net.make_room(net.arena.shape[0] * 4)  # forces compaction or growth
    for i in range(net.size):
        assert set(net.neighbours(i).tolist()) == expected[i]


def test_relayout_keeps_every_list_and_leaves_closed_lists_no_room():
    """The yearly relayout: lists in row order, unchanged; closed lists get no free slots."""
    rng = np.random.default_rng(4)
    n = 300
    source, target = rng.integers(0, n, 900), rng.integers(0, n, 900)
    keep = source != target
    net = SparseNetwork.from_pairs(n, source[keep], target[keep])
    before = [net.neighbours(i).tolist() for i in range(n)]
    closed = rng.random(n) < 0.4
    net.relayout(closed)
    start, degree, room, arena = net.arrays()
    assert [net.neighbours(i).tolist() for i in range(n)] == before
    assert np.all(np.diff(start[:n]) >= 0)  # row order
    assert np.array_equal(room[:n], degree[:n] + np.where(closed, 0, MIN_ROOM))
    assert net.used == int(room[:n].sum())
    # A closed list that gains a tie after all is moved, not overrun.
    u, v = int(np.flatnonzero(closed)[0]), int(np.flatnonzero(~closed)[0])
    net.make_room(64)
    start, degree, room, arena = net.arrays()
    assert v not in before[u]
    net.used = append_tie(start, degree, room, arena, net.used, u, v)
    assert net.neighbours(u).tolist() == [*before[u], v]
    assert net.neighbours(u + 1).tolist() == before[u + 1]
    with pytest.raises(ValueError, match="closed has 3 entries for 300 nodes"):
        net.relayout(np.zeros(3, dtype=bool))


def test_complete_network_sums_and_growth():
    net = CompleteNetwork(6)
    assert net.edge_count == 15
    np.testing.assert_array_equal(net.degree, 5)
    np.testing.assert_array_equal(net.neighbours(2), [0, 1, 3, 4, 5])
    values = np.arange(6, dtype=float)
    np.testing.assert_array_equal(net.neighbour_sum(values), 15.0 - values)
    net.add_nodes(2)
    assert net.size == 8
    assert net.edge_count == 28


def test_neighbour_sum_is_matrix_product(net):
    values = np.random.default_rng(3).random(net.size)
    np.testing.assert_allclose(net.neighbour_sum(values), net.matrix @ values)
    node = 42
    assert net.neighbour_sum(values)[node] == pytest.approx(values[net.neighbours(node)].sum())


def test_random_neighbour_draws_real_neighbours_uniformly(net):
    rng = np.random.default_rng(4)
    nodes = np.arange(2_000)
    partners = net.random_neighbour(nodes, rng)
    has = net.degree[nodes] > 0
    assert np.all(partners[~has] == -1)
    for node, partner in zip(nodes[has][:300], partners[has][:300], strict=True):
        assert partner in net.neighbours(node)
    # Uniform over a node's neighbours: counts over many draws.
    node = int(np.flatnonzero(net.degree >= 8)[0])
    draws = net.random_neighbour(np.full(40_000, node), rng)
    counts = np.array([np.count_nonzero(draws == j) for j in net.neighbours(node)])
    expected = draws.size / net.degree[node]
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))


def test_complete_random_neighbour_never_self_and_uniform():
    net = CompleteNetwork(5)
    rng = np.random.default_rng(5)
    nodes = np.repeat(np.arange(5), 20_000)
    partners = net.random_neighbour(nodes, rng)
    assert np.all(partners != nodes)
    assert partners.min() == 0
    assert partners.max() == 4
    for node in range(5):
        counts = np.bincount(partners[nodes == node], minlength=5)
        assert counts[node] == 0
        others = np.delete(counts, node)
        assert np.all(np.abs(others - 5_000) < 5 * np.sqrt(5_000))


def test_same_seed_same_network():
    members = members_for(size=3_000)
    first = network_for(members, seed=9)
    second = network_for(members, seed=9)
    assert (first.matrix != second.matrix).nnz == 0
    other = network_for(members, seed=10)
    assert (first.matrix != other.matrix).nnz > 0


def test_builds_two_hundred_thousand_members_sparsely():
    """Building is O(N * degree): 200,000 members build at once and store ~N * degree ties.

    (No timing assertion: a quadratic structure would need 40 billion entries and fail here.)
    """
    members = members_for(size=200_000)
    net = network_for(members)
    assert isinstance(net.matrix, sparse.csr_matrix)
    assert net.nbytes() < 12 * 200_000 * 4 * 2
    assert net.size == 200_000
    assert net.matrix.nnz == net.degree.sum()
    assert net.matrix.nnz < 12 * 200_000
    assert net.degree.mean() == pytest.approx(10.0, abs=0.2)


class RecruitWatcher:
    """Collects, month by month, the ties that recruits make on joining."""

    def __init__(self, model) -> None:
        self.model = model
        self.made: list[np.ndarray] = []  # per recruit: its neighbours right after joining
        self.faction_share: list[np.ndarray] = []  # active factions' shares at the time

    def step(self) -> None:
        model = self.model
        m = model.members
        first = m.rows
        active = m.status[: m.rows] == Status.ACTIVE
        shares = np.bincount(m.faction[: m.rows][active], minlength=3) / active.sum()
        model.step()
        for r in range(first, m.rows):
            self.made.append(model.network.neighbours(r).copy())
            self.faction_share.append(shares)


def test_recruits_keep_mean_degree_and_homophily():
    """Recruits make Poisson((k - 2) / 2) ties, in-faction with probability h, plus a patron.

    So a recruit's own list has on average (k - 2) / 2 + 1 = 5 ties at k = 10, the party's
    mean degree stays near k as it grows eightfold, and a recruit's tie is inside its faction
    with probability h + (1 - h) f (f: the faction's share of the active party).
    """
    from simulation.model.party import PartyModel

    # Without locality, which draws a share of ties inside organisations instead (ODD 5.2).
    overrides = {"population.size": 2000, "end": "1929-12", "network.locality": 0.0}
    model = PartyModel("trotsky_fixed", seed=3, overrides=overrides)
    watcher = RecruitWatcher(model)
    while model.running:
        watcher.step()
    m, net = model.members, model.network
    made = watcher.made
    assert len(made) > 1000  # many recruits join
    assert np.mean([t.size for t in made]) == pytest.approx(5.0, abs=0.15)
    active = np.flatnonzero(m.status == Status.ACTIVE)
    # Ties to the dead and the expelled stay: the mean degree over everyone stays near k.
    assert net.degree[: m.rows].mean() == pytest.approx(10.0, abs=0.6)
    assert net.degree[active].mean() == pytest.approx(10.0, abs=1.5)
    h = model.config.network.homophily
    recruits = np.arange(m.rows - len(made), m.rows)
    for code in range(3):
        mine = [i for i, r in enumerate(recruits) if m.faction[r] == code]
        # Patron ties (to cadres) are not homophilous: count only the others, approximately,
        # by dropping each recruit's last tie (the patron is drawn last).
        same = [np.mean(m.faction[made[i][:-1]] == code) for i in mine if made[i].size > 1]
        f = np.mean([watcher.faction_share[i][code] for i in mine])
        assert np.mean(same) == pytest.approx(h + (1 - h) * f, abs=0.05), code


@given(
    factions=st.lists(st.integers(0, 3), min_size=0, max_size=300),
    tiers=st.lists(st.integers(0, 3), min_size=300, max_size=300),
)
def test_recruit_pools_group_by_faction_and_find_patrons(factions, tiers):
    """Recruits' pools: the roll stably grouped by faction and by organisation; patrons are
    cadres, else the CC."""
    from simulation.model.passes.membership import recruit_pools

    n = len(factions)
    faction = np.asarray(factions, dtype=np.int8)
    tier = np.asarray(tiers[:n], dtype=np.int8)
    rows = np.arange(n, dtype=np.int32)[::-1].copy()  # any order: grouping keeps it
    organisation = (faction + tier) % 3
    grouped, bucket_start, patrons, by_organisation, organisation_start = recruit_pools(
        rows, faction, tier, 4, organisation, 3
    )
    for g in range(3):
        members = by_organisation[organisation_start[g] : organisation_start[g + 1]]
        assert members.tolist() == [int(i) for i in rows if organisation[i] == g]
    for f in range(4):
        members = grouped[bucket_start[f] : bucket_start[f + 1]]
        assert members.tolist() == [int(i) for i in rows if faction[i] == f]
    patron_tier = Tier.CADRE if np.any(tier == Tier.CADRE) else Tier.CENTRAL_COMMITTEE
    assert patrons.tolist() == [int(i) for i in rows if tier[i] == patron_tier]


def test_recruit_pools_over_many_chunks():
    """Chunks counted and placed apart still give one stable grouping of a long roll."""
    from simulation.model.passes.membership import recruit_pools

    rng = np.random.default_rng(2)
    n = 40_000  # several chunks of 8,192
    faction = rng.integers(0, 3, n).astype(np.int8)
    tier = rng.choice(4, n, p=[0.001, 0.01, 0.05, 0.939]).astype(np.int8)
    rows = np.sort(rng.choice(n, 30_000, replace=False)).astype(np.int32)
    grouped, bucket_start, patrons, by_organisation, _ = recruit_pools(
        rows, faction, tier, 3, faction, 0
    )
    assert by_organisation.size == 0  # no organisations asked for: no second grouping
    order = np.argsort(faction[rows], kind="stable")
    assert np.array_equal(grouped, rows[order])
    assert bucket_start.tolist() == [0, *np.cumsum(np.bincount(faction[rows], minlength=3))]
    assert np.array_equal(patrons, rows[tier[rows] == Tier.CADRE])
