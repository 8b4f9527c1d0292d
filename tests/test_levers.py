"""The levers of the succession: each shipped lever changes what it says, from its month on; and
the fought succession gives the same numbers for a seed in any process."""

from __future__ import annotations

from simulation.model.party import PartyModel

SMALL = {"population.size": 400}


def stepped(scenario, end, seed=4):
    """The model stepped to ``end``, and each month's leaders: (month, {name: agent state})."""
    model = PartyModel(scenario, seed=seed, overrides={**SMALL, "end": end})
    months = []
    while model.running:
        model.step()
        months.append(
            {
                a.name: (a.fate, frozenset(a.offices), a.faction, a.position, a.health, a.power)
                for a in model.succession.leaders
            }
        )
    return model, months


def test_the_testament_changes_nothing_before_may_1924_and_keeps_stalin_out_after():
    _, plain = stepped("historical", "1926-12")
    _, lever = stepped("succession_testament", "1926-12")
    assert lever[:4] == plain[:4]  # common random numbers: the same party until the lever
    assert "general_secretary" in plain[4]["stalin"][1]
    assert all("general_secretary" not in month["stalin"][1] for month in lever[4:])
    assert lever[4:] != plain[4:]


def test_trotsky_in_health_starts_stronger():
    _, plain = stepped("historical", "1924-03")
    _, lever = stepped("succession_trotsky_healthy", "1924-03")
    assert plain[0]["trotsky"][4] < 1.0 == lever[0]["trotsky"][4]
    assert lever[0]["trotsky"][5] > plain[0]["trotsky"][5]


def test_the_early_alliance_puts_zinoviev_and_kamenev_on_the_left_from_the_start():
    _, months = stepped("succession_early_alliance", "1924-02")
    for name in ("zinoviev", "kamenev"):
        assert months[0][name][2:4] == ("left", -0.4)


def test_lenin_lives_keeps_sovnarkom_and_does_not_die_in_1924():
    model, months = stepped("succession_lenin_lives", "1925-12")
    assert months[0]["lenin"][0] == "in_office"
    assert "sovnarkom" in months[0]["lenin"][1] and "sovnarkom" not in months[0]["rykov"][1]
    fates = model.fates()
    assert "died" not in set(fates.loc[fates.leader == "lenin", "fate"])
    assert "lenin" in model.config.leadership.leaders  # he can lead


def test_all_the_levers_together_are_the_three():
    model, months = stepped("succession_levers", "1924-06")
    assert months[0]["trotsky"][4] == 1.0
    assert months[0]["zinoviev"][2] == "left"
    assert all("general_secretary" not in month["stalin"][1] for month in months[4:])
    offices = [event for event in model.config.events if event.kind == "office"]
    assert [(e.month, e.contender, e.office) for e in offices] == [
        ("1924-05", "stalin", "general_secretary")
    ]


RUN_AND_HASH = """
import hashlib
from simulation.model.party import PartyModel
model = PartyModel("historical", seed=1, overrides={"population.size": 400, "end": "1930-12"})
print(hashlib.sha256(model.run().to_csv().encode()).hexdigest())
"""


def test_same_seed_same_numbers_in_another_process():
    """Offices are a set of names, whose order changes with string hashing; power must not."""
    import os
    import subprocess
    import sys

    digests = set()
    for hash_seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "NUMBA_NUM_THREADS": "1"}
        done = subprocess.run(
            [sys.executable, "-c", RUN_AND_HASH],
            env=environment, capture_output=True, text=True, check=True,
        )  # fmt: skip
        digests.add(done.stdout.strip())
    assert len(digests) == 1
