"""Regional party organisations: shares, blocks, secretaries, and ties inside organisations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simulation.model.members import COLUMNS, Status, Tier
from simulation.model.network import build_network
from simulation.model.organisations import initial_blocks, largest_remainder
from simulation.model.party import PartyModel
from simulation.model.population import build_members
from simulation.scenario import Scenario, load_scenario

ORGANISATIONS = [
    {"name": "moscow", "share": 0.5},
    {"name": "leningrad", "share": 0.3},
    {"name": "rest", "share": 0.2},
]
#: Chance that a tie drawn without locality joins two members of one organisation.
CHANCE_INSIDE = 0.5**2 + 0.3**2 + 0.2**2


def scenario(size=400, organisations=ORGANISATIONS, end="1925-12", **network) -> Scenario:
    data = load_scenario("base").model_dump()
    data.update(name="organisations", end=end, events=[])
    data["population"].update(size=size, pool_factor=3.0, organisations=organisations)
    data["network"].update(network)
    return Scenario.model_validate(data)


def inside_share(model: PartyModel, rows: np.ndarray) -> float:
    """Share of the ties of ``rows`` that join two members of one organisation."""
    organisation = model.members.organisation
    inside = total = 0
    for row in rows:
        ties = model.network.neighbours(int(row))
        inside += int(np.count_nonzero(organisation[ties] == organisation[row]))
        total += ties.size
    return inside / total


def test_shares_must_add_up_to_one():
    with pytest.raises(ValidationError, match="organisation shares must add up to 1"):
        scenario(organisations=[{"name": "moscow", "share": 0.5}, {"name": "rest", "share": 0.4}])


def test_names_must_differ_and_be_plain():
    twice = [{"name": "moscow", "share": 0.5}, {"name": "moscow", "share": 0.5}]
    with pytest.raises(ValidationError, match="repeated: moscow"):
        scenario(organisations=twice)
    with pytest.raises(ValidationError, match="letters, digits and _"):
        scenario(organisations=[{"name": "red army", "share": 1.0}])


@given(
    st.lists(st.floats(0.0, 10.0), min_size=1, max_size=12),
    st.integers(0, 5000),
)
def test_largest_remainder_gives_every_unit_near_its_quota(weights, total):
    parts = largest_remainder(np.array(weights), total)
    if sum(weights) <= 0:
        assert parts.sum() == 0
        return
    assert parts.sum() == total
    quotas = total * np.array(weights) / sum(weights)
    assert np.all(parts >= np.floor(quotas) - 1e-9) and np.all(parts <= np.ceil(quotas) + 1e-9)


def test_largest_remainder_pinned():
    assert largest_remainder(np.array([0.12, 0.085, 0.165, 0.63]), 1000).tolist() == [
        120, 85, 165, 630,
    ]  # fmt: skip
    # 7 seats for 50 : 30 : 20 votes: quotas 3.5, 2.1, 1.4; the seat left goes to 0.5.
    assert largest_remainder(np.array([50, 30, 20]), 7).tolist() == [4, 2, 1]


def test_initial_party_is_laid_out_in_organisation_blocks():
    config = scenario(size=1001)
    members = build_members(config.population, 0, np.random.default_rng(1), ("organisation",))
    organisation = members.organisation
    assert np.all(np.diff(organisation) >= 0)  # sorted: one block per organisation
    assert np.bincount(organisation).tolist() == [501, 300, 200]
    assert np.array_equal(organisation, initial_blocks(config.population.organisations, 1001))


def test_every_member_and_recruit_has_an_organisation_by_the_shares():
    model = PartyModel(scenario(size=2000, end="1927-12"), seed=3)
    model.run()
    m = model.members
    recruits = np.flatnonzero(m.joined > model.start_month)
    assert recruits.size > 1000
    assert m.organisation.min() >= 0 and m.organisation.max() < 3
    shares = np.bincount(m.organisation[recruits], minlength=3) / recruits.size
    # Binomial sd of a share near 0.5 among > 1000 recruits is below 0.016.
    assert np.allclose(shares, [0.5, 0.3, 0.2], atol=0.05)


def test_each_months_intake_lies_in_organisation_blocks():
    model = PartyModel(scenario(size=2000, end="1925-12"), seed=3)
    model.run()
    m = model.members
    months = np.unique(m.joined[m.joined > model.start_month])
    assert months.size > 12
    for month in months:
        intake = np.flatnonzero(m.joined == month)
        assert np.all(np.diff(intake) == 1)  # one contiguous intake ...
        assert np.all(np.diff(m.organisation[intake]) >= 0)  # ... sorted into blocks
    # Sorting moved draws between recruits: some intakes hold several organisations.
    assert max(np.unique(m.organisation[m.joined == month]).size for month in months) > 1


def test_secretary_is_the_highest_ranked_member_of_the_organisation():
    model = PartyModel(scenario(size=600), seed=2)
    m = model.members
    for index, secretary in enumerate(model.secretaries):
        own = np.flatnonzero((m.organisation == index) & (m.status == Status.ACTIVE))
        assert m.organisation[secretary] == index
        assert m.tier[secretary] == m.tier[own].min()
        assert secretary == own[m.tier[own] == m.tier[own].min()].min()
    assert m.tier[model.secretaries].min() == Tier.POLITBURO


@pytest.mark.parametrize("locality", [0.0, 0.4, 0.8])
def test_locality_sets_the_share_of_initial_ties_inside_an_organisation(locality):
    config = scenario(size=20_000, homophily=0.0, patronage=False, locality=locality)
    members = build_members(config.population, 0, np.random.default_rng(5), ("organisation",))
    network = build_network(config.network, members, np.random.default_rng(6))
    matrix = network.matrix.tocoo()
    same = members.organisation[matrix.row] == members.organisation[matrix.col]
    expected = locality + (1 - locality) * CHANCE_INSIDE
    # About 100,000 ties: the sampling sd of the share is below 0.002.
    assert same.mean() == pytest.approx(expected, abs=0.01)


def test_locality_sets_the_share_of_recruits_ties_inside_their_organisation():
    config = scenario(size=1500, end="1926-12", homophily=0.0, patronage=False, locality=0.6)
    model = PartyModel(config, seed=4, policy__recruitment=0.05)
    model.run()
    recruits = np.flatnonzero(model.members.joined > model.start_month)
    # Each recruit's ties at joining go to older members; later recruits tie to it too,
    # and those ties follow the same rule, so every tie of a recruit is a draw of it.
    expected = 0.6 + 0.4 * CHANCE_INSIDE
    assert inside_share(model, recruits) == pytest.approx(expected, abs=0.03)


def test_organisations_without_locality_change_nothing_but_the_column():
    with_organisations = PartyModel(scenario(size=400, locality=0.0), seed=7)
    without = PartyModel(scenario(size=400, organisations=[], locality=0.0), seed=7)
    a, b = with_organisations.run(), without.run()
    assert a.equals(b)
    assert not without.members.keeps("organisation")
    assert set(without.members.columns()) == set(COLUMNS)
    for name in COLUMNS:
        first, second = getattr(with_organisations.members, name), getattr(without.members, name)
        assert np.array_equal(first, second, equal_nan=first.dtype.kind in "fc")
    for row in range(without.members.rows):
        assert np.array_equal(
            with_organisations.network.neighbours(row), without.network.neighbours(row)
        )


def test_a_file_with_bad_shares_is_one_line_naming_the_key(tmp_path):
    from simulation.scenario.loader import ScenarioError

    path = tmp_path / "bad.toml"
    path.write_text(
        'extends = "base"\nname = "bad"\n'
        '[[population.organisations]]\nname = "moscow"\nshare = 0.5\n'
        '[[population.organisations]]\nname = "rest"\nshare = 0.4\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as error:
        load_scenario(str(path))
    message = str(error.value)
    assert "population.organisations" in message and "add up to 0.9" in message
    assert "\n" not in message
