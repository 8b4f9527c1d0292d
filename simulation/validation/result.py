"""What a check of a published result returns: the claim, the set-up, the numbers, a verdict.

Every module of :mod:`simulation.validation` runs one published result on the model and
returns a :class:`Finding`. The verdict is one of four words, so that a reader can tell a
result that holds from one that holds only in part, one that fails, and one that the model's
mechanisms cannot express at all (which is reported, never faked).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd


class Verdict(StrEnum):
    """How far the model reproduces a published result."""

    REPRODUCED = "reproduced"
    PARTIAL = "partial"
    FAILED = "failed"
    NOT_EXPRESSIBLE = "not expressible"


@dataclass(frozen=True)
class Curve:
    """One line of a finding's figure.

    Attributes:
        label: Legend text.
        x: Horizontal values.
        y: Vertical values.
        style: ``"line"``, ``"points"`` (markers only), ``"dashed"`` (a reference, e.g. the
            paper's prediction) or ``"steps"``.
    """

    label: str
    x: Sequence[float]
    y: Sequence[float]
    style: str = "line"


@dataclass(frozen=True)
class FigureSpec:
    """A small figure described as data, drawn by :mod:`simulation.validation.figures`."""

    title: str
    xlabel: str
    ylabel: str
    curves: tuple[Curve, ...]
    xlog: bool = False


@dataclass(frozen=True)
class Finding:
    """The outcome of checking one published result on the model.

    Attributes:
        name: Registry name, e.g. ``"gregory"``.
        title: Short title of the result.
        source: Short citation, e.g. "Gregory (2009)".
        citation: Full reference of the paper.
        claim: The paper's claim, in a sentence or two.
        setup: Parameters of the check (scenario, overrides, sizes, seeds).
        table: The model's numbers, one row per condition.
        verdict: How far the claim holds in the model.
        summary: One line with the key numbers, for the command's table.
        note: What holds, what holds only partly or not at all, and why.
        figure: An optional figure of the numbers.
    """

    name: str
    title: str
    source: str
    citation: str
    claim: str
    setup: Mapping[str, Any]
    table: pd.DataFrame
    verdict: Verdict
    summary: str
    note: str = ""
    figure: FigureSpec | None = None

    @property
    def reproduced(self) -> bool:
        """Whether the result holds in full."""
        return self.verdict is Verdict.REPRODUCED


@dataclass(frozen=True)
class Published:
    """A registry entry: one published result and the function that checks it.

    Attributes:
        name: Registry name (used on the command line).
        title: Short title.
        source: Short citation.
        citation: Full reference.
        check: ``check(quick=False, seed=0) -> Finding``; ``quick`` uses fewer seeds or
            conditions for tests and a first look.
    """

    name: str
    title: str
    source: str
    citation: str
    check: Callable[..., Finding] = field(repr=False)


@dataclass(frozen=True)
class Paper:
    """The published result a validation module checks: who claimed what, where.

    A module declares its paper once and builds both its :class:`Finding` and its registry
    :class:`Published` entry from it, so the identity of a check is written in one place.

    Attributes:
        name: Registry name (used on the command line).
        title: Short title.
        source: Short citation.
        citation: Full reference.
        claim: The paper's claim, in a sentence or two.
    """

    name: str
    title: str
    source: str
    citation: str
    claim: str

    def finding(self, **outcome: Any) -> Finding:
        """A :class:`Finding` of this paper; ``outcome`` holds its remaining fields."""
        return Finding(
            name=self.name,
            title=self.title,
            source=self.source,
            citation=self.citation,
            claim=self.claim,
            **outcome,
        )

    def entry(self, check: Callable[..., Finding]) -> Published:
        """This paper's registry entry, checked by ``check``."""
        return Published(self.name, self.title, self.source, self.citation, check)
