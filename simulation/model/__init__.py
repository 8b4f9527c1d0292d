"""The model's core: the party and its month, members, network, events, outcomes, randomness.

:class:`~simulation.model.party.PartyModel` is the model. Its monthly rules are written once
each in :mod:`simulation.model.rules` and applied to every member by the compiled loops of
:mod:`simulation.model.passes`; ``docs/ODD.md`` describes them with their sources.
"""

from __future__ import annotations

from typing import Any

from simulation.model.threads import wait_passively

# Before any compiled pass loads OpenMP, which reads its waiting policy only then.
wait_passively()

__all__ = ["NetworkSample", "PartyModel"]


def __getattr__(name: str) -> Any:
    """Import the model on first use, so that ``simulation.model.members`` stays light."""
    if name in __all__:
        from simulation.model import party

        return getattr(party, name)
    raise AttributeError(f"module 'simulation.model' has no attribute {name!r}")
