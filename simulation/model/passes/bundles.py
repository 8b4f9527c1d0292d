"""What the compiled passes take: the network's arrays, the members' columns, a pass's settings.

numba hands a ``typing.NamedTuple`` of arrays and numbers to a compiled function as it hands
over the arrays and numbers one by one (the tuple is unpacked into registers and pointers, and
reading a field costs nothing), so the passes take three bundles instead of a long list:

* :class:`Ties` — the network's tie lists (built by the network, anew only when it moves them);
* :data:`Columns` — every column of :class:`simulation.model.members.Members` by name (built by
  the party model, anew only when rows are added or the columns grow);
* a pass's settings for the month (:class:`Speech`, :class:`Debate`, :class:`Watch`,
  :class:`Departures`, :class:`Recruiting`), built by the stage that calls it.

A pass reads the fields it needs; a field of a bundle is the same array as the model's, so what a
pass writes into it is written into the model's state.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simulation.model.members import COLUMNS, Members


class Ties(NamedTuple):
    """A network's tie lists: node ``i``'s ties are ``arena[start[i] : start[i] + degree[i]]``.

    On a complete network the arrays are placeholders and ``complete`` is true: the passes then
    treat everyone as tied to everyone (see :mod:`simulation.model.network`).
    """

    start: np.ndarray
    degree: np.ndarray
    room: np.ndarray
    arena: np.ndarray
    complete: bool


#: Every member column by its name in :data:`simulation.model.members.COLUMNS`
#: (``cols.belief``, ``cols.status``, ...).
Columns = NamedTuple("Columns", [(name, np.ndarray) for name in COLUMNS])


def columns_of(members: Members) -> Columns:
    """The members' columns as they are now (the used rows of each; optional columns aside)."""
    return Columns(**{name: getattr(members, name) for name in COLUMNS})


class Speech(NamedTuple):
    """Settings of :func:`simulation.model.passes.speech.speak` for one month (ODD 7.1, 7.2)."""

    signal_key: np.uint64
    reality: float
    signal_sd: float
    signal_weight: float
    line: float
    tolerance: float
    surveillance: float
    severity: float
    fear_weight: float
    social_proof: float
    proportional: bool
    total_open: int
    relative: bool


class Debate(NamedTuple):
    """Settings of :func:`simulation.model.passes.listening.debate` for one month (ODD 7.3).

    ``model`` numbers the rule: 0 none, 1 Deffuant, 2 Hegselmann-Krause, 3 relative agreement.
    """

    model: int
    bound: float
    rate: float
    line: float
    pull: float
    anchor: float
    partner_key: np.uint64


class Watch(NamedTuple):
    """Settings of :func:`simulation.model.passes.listening.watch` for one month (ODD 7.4a-b)."""

    visibility: np.ndarray
    surveillance: float
    denunciation: float
    denunciation_fear: float
    detect_key: np.uint64
    denounce_key: np.uint64


class Departures(NamedTuple):
    """Settings of the month's prison, attrition and readmission passes (ODD 7.6 steps 1-5).

    ``out_before`` and ``jailed_before``: how many of the former members and prisoners listed
    were out of the party at the start of the month (the rest were punished this month).
    ``recantation`` is the monthly chance a recantation is accepted (0: nobody recants); the
    line and the voice rule's settings after it are what an expelled member weighs in deciding
    to recant (ODD 7.6 step 5b).
    """

    prison_mortality: float
    attrition: float
    outside_mortality: float
    rehabilitation: float
    key: np.uint64
    out_before: int
    jailed_before: int
    recantation: float
    line: float
    tolerance: float
    surveillance: float
    severity: float
    fear_weight: float
    proportional: bool


class Recruiting(NamedTuple):
    """Settings of :func:`simulation.model.passes.membership.choose_partners` (ODD 7.6 step 6)."""

    random_ties: float
    homophily: float
    patronage: int
    key: np.uint64
