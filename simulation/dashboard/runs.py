"""The Mesa model the dashboard steps: a tweaked run and, side by side, a baseline.

SolaraViz steps one :class:`mesa.Model`. :class:`DashboardRun` is that model: it holds one
:class:`~simulation.model.party.PartyModel` built from the dashboard's settings and, in side-by-side
mode, a second one built from the baseline scenario with the same seed, and steps both. With
one seed both runs start from the same party, network and reality path (common random
numbers), so what differs between them is the leadership's policy.

It reads the party models only through their public surface: the constructor, ``step``,
``running``, ``outcomes()``, ``config``, ``network_sample``, for active members by
organisation the ``members`` table and, for the leaders' view, the contenders of
``succession``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

import mesa
import numpy as np
import pandas as pd

from simulation.dashboard.congress_view import ArguingParty, arguing_party
from simulation.dashboard.leaders_view import Succession, succession_state
from simulation.dashboard.network_view import layout
from simulation.dashboard.settings import (
    DashboardSettings,
    baseline_scenario,
    tweaked_scenario,
)
from simulation.dashboard.world_view import WorldNow
from simulation.model.party import NetworkSample, PartyModel

#: People drawn for the network view: enough to see clusters, few enough to draw each month.
NETWORK_SAMPLE_SIZE = 120


@dataclass(frozen=True)
class LabelledRun:
    """One party model on the page, with the label its lines and panels carry."""

    label: str
    model: PartyModel


class DashboardRun(mesa.Model):
    """The runs shown on the dashboard, stepped together one month at a time.

    Args:
        settings: What the dashboard's controls set.

    Attributes:
        settings: The settings this run was built from.
        tweaked: The run with the dashboard's policy.
        baseline: The baseline run (side-by-side mode), or ``None``.
        sample: Member ids shown in the network view; drawn once, at the start, from the
            tweaked run. Both runs share them, since one seed gives both the same party.
        positions: Where the network view draws each sampled member, fixed for the run.
    """

    #: The settings of a run built without any (see :func:`run_class`).
    default_settings: ClassVar[DashboardSettings] = DashboardSettings()

    def __init__(self, settings: DashboardSettings | None = None) -> None:
        settings = settings or self.default_settings
        super().__init__(seed=settings.seed)
        self.settings = settings
        self.tweaked = PartyModel(tweaked_scenario(settings), seed=settings.seed)
        self.baseline = (
            PartyModel(baseline_scenario(settings), seed=settings.seed)
            if settings.side_by_side
            else None
        )
        # The sampled members and their layout, per run. One seed gives two runs the same
        # party only if they build it alike; otherwise the baseline draws its own sample.
        self.samples = [self._draw_sample(self.tweaked)]
        if self.baseline is not None:
            same_party = (self.baseline.config.population, self.baseline.config.network) == (
                self.tweaked.config.population,
                self.tweaked.config.network,
            )
            self.samples.append(self.samples[0] if same_party else self._draw_sample(self.baseline))
        # The play loop steps in a thread while the page reads outcomes to draw them.
        self._lock = threading.RLock()
        self.running = True

    def _draw_sample(self, model: PartyModel) -> tuple[np.ndarray, np.ndarray]:
        """A snowball sample of ``model``'s members and their positions in the picture."""
        first = model.network_sample(NETWORK_SAMPLE_SIZE, seed=self.settings.seed)
        return first.members, layout(first)

    def runs(self) -> list[LabelledRun]:
        """The runs on the page: the tweaked one first."""
        tweaked_label = self.settings.scenario
        if self.settings.tweaks or self.settings.hold_policy:
            tweaked_label += " (tweaked)"
        runs = [LabelledRun(tweaked_label, self.tweaked)]
        if self.baseline is not None:
            runs.append(LabelledRun(f"{self.settings.baseline_name} (baseline)", self.baseline))
        return runs

    def step(self) -> None:
        """Advance every run that has not reached its last month by one month."""
        with self._lock:
            for run in self.runs():
                if run.model.running:
                    run.model.step()
            self.running = any(run.model.running for run in self.runs())

    def outcomes(self) -> list[tuple[str, pd.DataFrame]]:
        """Each run's monthly outcome table so far, with its label."""
        with self._lock:
            return [(run.label, run.model.outcomes()) for run in self.runs()]

    def arguing(self) -> list[ArguingParty]:
        """Each run's hidden disagreement, congresses so far and organisations now."""
        with self._lock:
            return [arguing_party(run.label, run.model) for run in self.runs()]

    def has_succession(self) -> bool:
        """Whether a run on the page fights the succession (then the leaders' view is shown)."""
        return any(run.model.succession is not None for run in self.runs())

    def succession(self) -> list[Succession]:
        """The leaders, their power and offices now, of each run with the succession layer."""
        with self._lock:
            states = [succession_state(run.label, run.model) for run in self.runs()]
            return [state for state in states if state is not None]

    def has_world(self) -> bool:
        """Whether a run on the page has the world layer on (then the world's map is shown)."""
        return any(run.model.world is not None for run in self.runs())

    def worlds(self) -> list[WorldNow]:
        """The world of each run with the world layer on: its history so far and its threat."""
        with self._lock:
            return [
                WorldNow(run.label, run.model.world.history(), float(run.model.world_threat))
                for run in self.runs()
                if run.model.world is not None
            ]

    def network(self) -> list[tuple[str, NetworkSample, np.ndarray]]:
        """Each run's label, the state of its sampled members now, and their positions."""
        with self._lock:
            return [
                (run.label, run.model.network_sample(members=members), positions)
                for run, (members, positions) in zip(self.runs(), self.samples, strict=True)
            ]


def run_class(settings: DashboardSettings) -> type[DashboardRun]:
    """A :class:`DashboardRun` subclass whose runs are built from ``settings`` by default.

    SolaraViz's Reset builds a new model by calling the class of the current one with the
    model parameters it was given; those did not survive a re-render of the page in testing
    (Reset then built the defaults), so the settings travel with the class instead.
    """

    class PageRun(DashboardRun):
        """A run of the settings the page had when it was built."""

        default_settings = settings
        #: The run of these settings built last: the one SolaraViz steps now.
        latest: ClassVar[DashboardRun | None] = None

        def __init__(self, settings: DashboardSettings | None = None) -> None:
            super().__init__(settings)
            type(self).latest = self

    return PageRun
