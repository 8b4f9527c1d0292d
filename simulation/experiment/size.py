"""The expected size of a piece of work, and the refusal of work the machine cannot do.

Before a command builds its design or starts a run it estimates the work: how many runs, how
many member-months each, how much memory at once and how long. Work that needs more memory
than the machine has, or more than :data:`TIME_LIMIT` seconds, is refused with the estimate
(:class:`WorkTooLargeError`, one line, exit code 2) unless the user passes ``--allow-large``; counts
that no machine could hold (more than :data:`MAX_RUNS` runs) are refused even then.

The estimate rests on the measurements of the benchmark README (the historical scenario on two
cores): a run costs about :data:`NS_PER_MEMBER_MONTH` per member-month, and memory grows by
about :data:`BYTES_PER_MEMBER` per member who ever joins the party over
:data:`BASE_BYTES` for the interpreter and compiled code. How far a party grows is not known
before it runs; the estimate takes the historical growth (fifteenfold, :data:`GROWTH`), capped
by the scenario's queue of candidates (``population.pool_factor``). It is meant to be right
within a factor of a few, enough to tell a run of minutes from one of years.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from simulation.experiment.errors import ExperimentError
from simulation.scenario import Scenario

#: Measured cost of a member-month on two cores (76-92 ns at 10^4-10^6 members).
NS_PER_MEMBER_MONTH = 90.0
#: Time a run spends outside the months (building the party and its network, writing).
SECONDS_PER_RUN = 0.5
#: Time a month costs beyond its members (the Python around the passes, the outcomes): 36
#: months of a 10,000-member party take 0.16 s, about half of it outside the members.
SECONDS_PER_MONTH = 0.002
#: A run's memory before its members: interpreter, libraries, compiled passes.
BASE_BYTES = 300 * 2**20
#: Memory per member who ever joins (3,963 MiB for a million-member historical run, whose party
#: grows fifteenfold).
BYTES_PER_MEMBER = 250
#: How many times its initial size the historical party grows (0.49 to 7.2 million members).
GROWTH = 15.0
#: Memory per row (run and month) of the experiment's table when it is read back to summarise.
BYTES_PER_ROW = 1024
#: Memory of one design point's resolved scenario and its run records.
BYTES_PER_POINT = 64 * 2**10
#: Work estimated to take longer than this (a day) is refused without ``--allow-large``.
TIME_LIMIT = 24 * 3600.0
#: Work estimated to take longer than this (a minute) says so before it starts.
NOTICE_AFTER = 60.0
#: More runs than this cannot be planned at all (their seeds and records would not fit).
MAX_RUNS = 2**31 - 1
#: The option that lifts the limits.
ALLOW_FLAG = "--allow-large"


class WorkTooLargeError(ExperimentError):
    """Work larger than the machine can do (reported as one line with its estimate)."""


@dataclass(frozen=True)
class WorkSize:
    """The estimated size of a piece of work.

    Attributes:
        runs: Runs in all.
        points: Design points (1 for runs of one scenario).
        member_months: Member-months of the largest run.
        memory: Bytes needed at once: the runs in parallel, the design and the table.
        seconds: Wall time, with the runs shared among the parallel workers.
        parallel: Runs at once.
    """

    runs: int
    points: int
    member_months: float
    memory: float
    seconds: float
    parallel: int

    def describe(self) -> str:
        """The estimate as a phrase: runs, member-months, memory and time."""
        runs = f"{self.runs:,} run{'s' if self.runs != 1 else ''}"
        if self.points > 1:
            runs += f" ({self.points:,} design points)"
        return (
            f"{runs} of up to {_count(self.member_months)} member-months each; "
            f"estimated memory {format_bytes(self.memory)} and time "
            f"{format_seconds(self.seconds)} on {self.parallel} worker"
            f"{'s' if self.parallel != 1 else ''}"
        )


def estimate(
    scenarios: Sequence[Scenario],
    replicates: int = 1,
    points: int = 1,
    workers: int | None = 1,
) -> WorkSize:
    """Estimate the work of running scenarios at design points over replicates.

    Args:
        scenarios: The scenarios (each is run at every point).
        replicates: Runs per scenario and point.
        points: Design points (1 without a design).
        workers: Runs at once; ``None`` for one per core.

    Returns:
        The estimate.
    """
    runs = len(scenarios) * points * replicates
    parallel = max(1, min(runs, workers or os.cpu_count() or 1))
    sizes = [_run_size(scenario) for scenario in scenarios] or [(0.0, 0.0)]
    member_months = max(months for months, _ in sizes)
    run_memory = max(memory for _, memory in sizes)
    rows = sum(points * replicates * scenario.months for scenario in scenarios)
    memory = (
        parallel * run_memory + rows * BYTES_PER_ROW + len(scenarios) * points * BYTES_PER_POINT
    )
    run_seconds = [
        member_months * NS_PER_MEMBER_MONTH * 1e-9
        + scenario.months * SECONDS_PER_MONTH
        + SECONDS_PER_RUN
        for scenario, (member_months, _) in zip(scenarios, sizes, strict=False)
    ]
    seconds = sum(run_seconds) * points * replicates / parallel
    return WorkSize(runs, points, member_months, memory, seconds, parallel)


def _run_size(scenario: Scenario) -> tuple[float, float]:
    """Member-months and peak memory of one run of a scenario."""
    population = scenario.population
    growth = min(GROWTH, population.pool_factor)
    # The party grows from its initial size towards its largest, so on average it is about
    # half way there.
    member_months = population.size * scenario.months * (1.0 + growth) / 2.0
    memory = BASE_BYTES + population.size * growth * BYTES_PER_MEMBER
    return member_months, memory


def check(size: WorkSize, allow_large: bool = False, memory: int | None = None) -> None:
    """Refuse work the machine cannot do.

    Args:
        size: The estimate.
        allow_large: The user's ``--allow-large``: run work above the machine's limits.
        memory: The machine's memory in bytes; read from the machine by default.

    Raises:
        WorkTooLargeError: If there are more than :data:`MAX_RUNS` runs, or (without
            ``allow_large``) the estimate needs more memory than the machine has or more
            time than :data:`TIME_LIMIT`.
    """
    if size.runs > MAX_RUNS:
        raise WorkTooLargeError(
            f"this work cannot be done: {size.runs:,} runs; at most {MAX_RUNS:,} runs can be "
            "planned; use fewer replicates or design points"
        )
    if allow_large:
        return
    available = machine_memory() if memory is None else memory
    reasons = []
    if available is not None and size.memory > available:
        reasons.append(f"this machine has {format_bytes(available)} of memory")
    if size.seconds > TIME_LIMIT:
        reasons.append(f"work over {format_seconds(TIME_LIMIT)} needs {ALLOW_FLAG}")
    if reasons:
        raise WorkTooLargeError(
            f"this work is too large: {size.describe()}; {'; '.join(reasons)}. Make it "
            f"smaller (fewer replicates, points or members, a shorter period) or pass "
            f"{ALLOW_FLAG} to run it anyway"
        )


def machine_memory() -> int | None:
    """The machine's physical memory in bytes, or ``None`` if it cannot be read."""
    try:
        import psutil  # not a dependency; used where installed (it also knows Windows)

        return int(psutil.virtual_memory().total)
    except ImportError:
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def format_bytes(count: float) -> str:
    """Bytes as KiB, MiB, GiB, TiB or PiB (or a power of ten beyond)."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:,.0f} {unit}" if unit == "B" else _scaled(count, unit)
        count /= 1024
    raise AssertionError("unreachable")


def _scaled(count: float, unit: str) -> str:
    return f"{count:,.1f} {unit}" if count < 1e6 else f"{count:.1e} {unit}"


def format_seconds(seconds: float) -> str:
    """A duration in the largest unit that keeps it readable (seconds to years)."""
    for limit, size, unit in (
        (120, 1, "s"),
        (2 * 3600, 60, "min"),
        (2 * 86400, 3600, "h"),
        (2 * 365 * 86400, 86400, "days"),
    ):
        if seconds < limit:
            return f"{seconds / size:.0f} {unit}"
    years = seconds / (365 * 86400)
    return f"{years:,.0f} years" if years < 1e6 else f"{years:.1e} years"


def _count(value: float) -> str:
    return f"{value:,.0f}" if value < 1e12 else f"{value:.1e}"
