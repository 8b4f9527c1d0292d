"""Ties between people, held as a plain list of ties on each person (ODD 2.2 and 5.2).

Two kinds, as in the fast engine:

* homophily (the default): each person makes a Poisson number of ties, each inside their own
  faction with probability ``homophily`` and otherwise with anyone, plus one tie to a patron in
  the tier above (patronage); with ``locality``, a tie is first, with that probability, drawn
  inside the person's organisation. Recruits make ties of the same kinds to the party's members
  when they join. Ties are never cut: a tie to someone expelled, jailed or dead says nothing.
* complete: everyone is tied to everyone (the classic bounded-confidence setting).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulation.model.members import Status, Tier
from simulation.scenario.schema import Network

if TYPE_CHECKING:
    from benchmarks.reference.agents import Person


def poisson(mean: float, rng: random.Random) -> int:
    """A Poisson draw by inversion (the means used here are a few ties)."""
    if mean <= 0.0:
        return 0
    u = rng.random()
    probability = math.exp(-mean)
    cumulative, count = probability, 0
    while u > cumulative and probability > 0.0:
        count += 1
        probability *= mean / count
        cumulative += probability
    return count


def tie(a: Person, b: Person) -> None:
    """Tie two people (self-ties and repeated ties are dropped)."""
    if a is b or b in a.ties:
        return
    a.ties.append(b)
    b.ties.append(a)


def random_ties_per_person(config: Network) -> float:
    """Mean number of non-patron ties a person makes: (mean degree - 2 c) / 2, c = patronage.

    Each tie is shared by two people and each person has one patron tie of their own and
    about one client tie on average, so this keeps the mean degree near ``mean_degree``.
    """
    return max(config.mean_degree - 2.0 * float(config.patronage), 0.0) / 2.0


def _grouped(people: Sequence[Person], attribute: str) -> dict[int, list[Person]]:
    """People by the value of an attribute (faction, organisation)."""
    groups: dict[int, list[Person]] = {}
    for person in people:
        groups.setdefault(getattr(person, attribute), []).append(person)
    return groups


class SparseTies:
    """Ties stored on each person (``person.ties``)."""

    complete = False

    @staticmethod
    def ties_of(person: Person) -> list[Person]:
        """The person's ties."""
        return person.ties

    def tie_initial_party(
        self, people: Sequence[Person], config: Network, rng: random.Random
    ) -> None:
        """Tie the initial party: homophily and patronage (ODD 5.2)."""
        by_faction = _grouped(people, "faction")
        by_organisation = _grouped(people, "organisation")
        mean = random_ties_per_person(config)
        for person in people:
            for _ in range(poisson(mean, rng)):
                if config.locality > 0 and rng.random() < config.locality:
                    other = rng.choice(by_organisation[person.organisation])
                elif rng.random() < config.homophily:
                    other = rng.choice(by_faction[person.faction])
                else:
                    other = rng.choice(people)
                tie(person, other)
        if config.patronage:
            self._tie_patrons(people, rng)

    @staticmethod
    def _tie_patrons(people: Sequence[Person], rng: random.Random) -> None:
        """Everyone below the politburo gets one patron drawn from the tier above."""
        by_tier: dict[Tier, list[Person]] = {tier: [] for tier in Tier}
        for person in people:
            by_tier[person.tier].append(person)
        for tier in (Tier.CENTRAL_COMMITTEE, Tier.CADRE, Tier.RANK_AND_FILE):
            patrons = by_tier[Tier(tier - 1)]
            if tier == Tier.RANK_AND_FILE and not patrons:
                patrons = by_tier[Tier.CENTRAL_COMMITTEE]
            if not patrons:
                continue
            for client in by_tier[tier]:
                tie(client, rng.choice(patrons))

    def tie_recruits(
        self,
        recruits: Sequence[Person],
        members: Sequence[Person],
        config: Network,
        rng: random.Random,
    ) -> None:
        """Recruits make their ties to the members of the month's roll who are still active.

        Each makes a Poisson number of ties, each inside their own faction with probability
        ``homophily`` and otherwise with anyone, and with patronage one tie to a patron among
        the roll's active cadres (the central committee if the roll has no cadres).
        Recruits of the same month are not tied to each other.
        """
        active = [m for m in members if m.status == Status.ACTIVE]
        if not active:
            return
        by_faction = _grouped(active, "faction")
        patrons = [m for m in members if m.tier == Tier.CADRE]
        if not patrons:
            patrons = [m for m in members if m.tier == Tier.CENTRAL_COMMITTEE]
        patrons = [m for m in patrons if m.status == Status.ACTIVE]
        by_organisation = _grouped(active, "organisation")
        mean = random_ties_per_person(config)
        for recruit in recruits:
            for _ in range(poisson(mean, rng)):
                if config.locality > 0 and rng.random() < config.locality:
                    # Inside the recruit's organisation (ODD 7.6 step 6); none active: no tie.
                    same_organisation = by_organisation.get(recruit.organisation)
                    if same_organisation:
                        tie(recruit, rng.choice(same_organisation))
                elif rng.random() < config.homophily:
                    # A faction with no active member left: the tie is not made.
                    same_faction = by_faction.get(recruit.faction)
                    if same_faction:
                        tie(recruit, rng.choice(same_faction))
                else:
                    tie(recruit, rng.choice(active))
            if config.patronage and patrons:
                tie(recruit, rng.choice(patrons))


class CompleteTies:
    """Everyone tied to everyone else who has ever been in the party's world."""

    complete = True

    def __init__(self, people: list[Person]) -> None:
        self._people = people

    def ties_of(self, person: Person) -> list[Person]:
        """Everyone but the person (a new list each time: O(N), fine for small parties)."""
        return [other for other in self._people if other is not person]

    def tie_initial_party(
        self, people: Sequence[Person], config: Network, rng: random.Random
    ) -> None:
        """Nothing to store."""

    def tie_recruits(
        self,
        recruits: Sequence[Person],
        members: Sequence[Person],
        config: Network,
        rng: random.Random,
    ) -> None:
        """Nothing to store: recruits are tied to everyone at once."""
