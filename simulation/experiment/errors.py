"""The experiment layer's user-facing error.

It is an :class:`~simulation.output.folders.OutputError`, so every command line reports it as
one line,
``politburo: error: ...``, with exit code 2, without knowing the experiment modules.
"""

from __future__ import annotations

from simulation.output.folders import OutputError


class ExperimentError(OutputError):
    """An experiment cannot run or be stored as asked (a user's mistake, one line)."""
