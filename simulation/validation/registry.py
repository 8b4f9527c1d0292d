"""The catalogue of published results the model is checked against, in the order reported.

Adding a result is one module with its :class:`~simulation.validation.result.Paper`, a
``check(quick=False, seed=0) -> Finding`` function that returns ``PAPER.finding(...)``, and
``ENTRY = PAPER.entry(check)``, plus one line here; the command line and the tests pick it up
from this registry.
"""

from __future__ import annotations

from simulation.validation import (
    centola,
    coalitions,
    daymude,
    daymude_authority,
    deffuant,
    extremists,
    granovetter,
    gregory,
    hegselmann_krause,
    montagnes_wolton,
    prairie_fire,
    wintrobe,
)
from simulation.validation.result import Published

#: Published results by name.
REGISTRY: dict[str, Published] = {
    entry.name: entry
    for entry in (
        daymude.ENTRY,
        deffuant.ENTRY,
        hegselmann_krause.ENTRY,
        extremists.ENTRY,
        granovetter.ENTRY,
        prairie_fire.ENTRY,
        centola.ENTRY,
        wintrobe.ENTRY,
        gregory.ENTRY,
        montagnes_wolton.ENTRY,
        coalitions.ENTRY,
        daymude_authority.ENTRY,
    )
}


def names() -> list[str]:
    """Registered names, in report order."""
    return list(REGISTRY)
