"""Progress bars on long work: runs of an ensemble, months of one run.

A bar is drawn on stderr, and only when it helps: when stderr is a terminal, or when the user
asked for it (``--progress``). Everything else gets a silent stand-in with the same methods.
"""

from __future__ import annotations

import sys
from typing import Literal

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

#: ``True`` shows progress when stderr is a terminal, ``"always"`` shows it anyway.
ProgressSetting = bool | Literal["always"]


def show_progress(setting: ProgressSetting) -> bool:
    """Whether to draw a progress bar: asked for always, or on and stderr is a terminal."""
    if setting == "always":
        return True
    return bool(setting) and sys.stderr.isatty()


class ProgressBar:
    """A rich progress bar on stderr: items done, rate and time left.

    Args:
        description: What is counted, e.g. ``"runs"``.
        total: How many items there are.
        unit: The unit of the rate, e.g. ``"runs"`` or ``"months"``.
        force: Draw even when stderr is not a terminal.
    """

    def __init__(self, description: str, total: int, unit: str, force: bool) -> None:
        # Forcing a terminal keeps the bar visible when stderr is a pipe but the user asked.
        console = Console(stderr=True, force_terminal=True if force else None)
        self.unit = unit
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=console,
            refresh_per_second=4,
        )
        self.task = self.progress.add_task(description, total=total, rate="")

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.stop()

    def advance(self) -> None:
        """Count one more item done and refresh the rate."""
        self.progress.advance(self.task)
        speed = self.progress.tasks[self.task].speed
        rate = ""
        if speed:
            # Full-size runs take seconds each, so a per-minute rate reads better then.
            rate = (
                f"{speed:.1f} {self.unit}/s" if speed >= 1 else f"{speed * 60:.1f} {self.unit}/min"
            )
        self.progress.update(self.task, rate=rate)


class _NoBar:
    """Stands in for :class:`ProgressBar` when nothing is drawn."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def advance(self) -> None:
        """Do nothing."""


def progress_bar(
    description: str, total: int, unit: str, setting: ProgressSetting
) -> ProgressBar | _NoBar:
    """A progress bar if :func:`show_progress` says so, else a silent stand-in."""
    if show_progress(setting):
        return ProgressBar(description, total, unit, force=setting == "always")
    return _NoBar()
