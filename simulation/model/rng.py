"""Common random numbers: one seed, independent streams by purpose (docs/ODD.md 4.9).

Every stream is derived from one :class:`numpy.random.SeedSequence`, so two scenarios run with
the same seed draw the same initial party, network and reality path from the same streams,
whatever their policies do to the other streams. Replicate seeds for ensembles are derived
with :meth:`~numpy.random.SeedSequence.spawn` before any work is dispatched.
"""

from __future__ import annotations

import numpy as np

#: Stream names; the order is part of the reproducibility contract: append, never reorder.
STREAMS = (
    "population",
    "network",
    "reality",
    "signals",
    "debate",
    "repression",
    "membership",
    "leadership",
    "pool",
)

#: Purposes of the counter-based draws of the monthly passes (:mod:`simulation.model.counter_rng`);
#: append, never reorder.
PURPOSES = (
    "signal",
    "partner",
    "detect",
    "denounce",
    "false_denounce",
    "association",
    "campaign",
    "membership",
    "recruit_ties",
    "organisation",
    "local_ties",
    "experience",
    "authority",
)


def make_streams(seed: int | np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """Derive one independent generator per purpose from a seed.

    Args:
        seed: An integer seed or a seed sequence.

    Returns:
        A generator for each name in :data:`STREAMS`.
    """
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    children = root.spawn(len(STREAMS))
    return {
        name: np.random.default_rng(child) for name, child in zip(STREAMS, children, strict=True)
    }


def counter_seed(seed: int) -> np.random.SeedSequence:
    """The seed sequence of a run's counter-based draws: the child after the named streams."""
    return np.random.SeedSequence(seed).spawn(len(STREAMS) + 1)[len(STREAMS)]


def world_seed(seed: int) -> np.random.SeedSequence:
    """The seed sequence of a run's world layer: the child after the counter-based draws'.

    A child of its own, so that switching the world on shifts none of the party's streams.
    """
    return np.random.SeedSequence(seed).spawn(len(STREAMS) + 2)[len(STREAMS) + 1]


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Derive ``replicates`` independent integer seeds from one seed, by ``SeedSequence.spawn``.

    Integers (rather than seed sequences) are returned so that they can be written to a
    manifest and passed on the command line to rerun one replicate alone.

    Args:
        seed: The experiment's seed.
        replicates: How many replicate seeds.

    Returns:
        A list of 63-bit integer seeds.
    """
    children = np.random.SeedSequence(seed).spawn(replicates)
    return [int(child.generate_state(2, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]


def succession_seed(seed: int) -> np.random.SeedSequence:
    """The seed sequence of the leaders' draws (ODD 7.10): the child after the counter draws.

    A child of its own, so that switching the leaders on changes no other stream's numbers.
    """
    return np.random.SeedSequence(seed).spawn(len(STREAMS) + 2)[len(STREAMS) + 1]
