"""Calibrate the historical scenario against the record: an objective and an optimiser.

The free parameters (:data:`FREE_PARAMETERS`) are the rates of the ``historical`` timeline
that the record pins down and that were set by hand before: the admission rates of 1924, of
November 1936 (when admissions resumed), 1938, 1941 and 1946, and the quotas of the 1929 and
1933-35 purges. (The share of political prisoners released early by the review commissions of
1954-55 was fitted too, until it was set from the record: docs/ODD.md 5.5.) Each sits in one
event of ``scenarios/historical.toml``, found by its month and kind, so fitting it changes
only the Stalin path's policy. The one exception is the size of the
recruitment pool (``population.pool_factor``), a base parameter that every leadership shares:
with the hand-set pool the party's growth after 1941 was capped by a pool that ran dry, not set
by admissions.

The objective is the sum over the fitted targets (``FITTED_TARGETS`` of
:mod:`simulation.history.targets`; the targets of speech are not fitted) of the squared
miss, in tolerances, of the mean over a few seeds, plus a penalty on recruits wanted but not
found::

    J(theta) = sum_t ( dist(mean_k y_t(theta, seed_k), [low_t, high_t]) / tol_t )^2
               + ( mean_k shortfall(theta, seed_k) / 0.05 )^2

with the same seeds at every evaluation (common random numbers), so ``J`` is a deterministic
function of ``theta`` and differences between two ``theta`` are not luck. It is minimised by
Nelder-Mead (scipy.optimize) in coordinates scaled to [0, 1] by each parameter's bounds, with
a fixed budget of evaluations, at 3,000 members (runs stop in February 1956, when the last
target is read). Run it with::

    python -m simulation.history.calibrate            # about 12 minutes on two cores

which prints the fitted values, the targets before and after, and takes ``--size``,
``--seeds``, ``--budget``, ``--workers`` and ``--seed``. The result does not depend on the
values now in the scenario files: every free parameter is overridden.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.experiment.executors import process_pool, run_spec
from simulation.experiment.spec import RunSpec
from simulation.history.targets import FITTED_TARGETS, Target, evaluate
from simulation.model.rng import replicate_seeds
from simulation.scenario import Scenario, load_scenario

#: The scenario calibrated: the Stalin path with the leader fixed, the path the rates were
#: fitted on (the fitted rates sit in the events of ``scenarios/historical.toml``, which
#: ``historical_fixed`` inherits; with the succession fought the leader, and with him the
#: party, would differ from seed to seed for reasons the rates do not govern).
SCENARIO = "historical_fixed"
#: Calibration defaults: party size, seeds per evaluation, evaluations, experiment seed.
SIZE, SEEDS, BUDGET, SEED, WORKERS = 3000, 3, 90, 2024, 2
#: Runs stop here: every target is read by February 1956.
END = "1956-02"


@dataclass(frozen=True)
class FreeParameter:
    """One fitted value: a field of one event of the historical timeline, or a scenario key.

    Attributes:
        name: Short identifier.
        month: The event's month; empty for a key outside the timeline.
        kind: The event's kind (``policy``, ``campaign``, ``amnesty``); empty likewise.
        field: Dotted path inside the event, e.g. ``set.recruitment`` or ``quota``; or, when
            ``month`` is empty, the scenario's key path, e.g. ``population.pool_factor``.
        start: The optimiser's starting point (see :data:`FREE_PARAMETERS`).
        low: Lower bound.
        high: Upper bound.
        why: Which target it is there for.
    """

    name: str
    month: str
    kind: str
    field: str
    start: float
    low: float
    high: float
    why: str


#: The free parameters. Their starting points are the result of a first fit of the seven event
#: rates from the values set by hand before calibration (the hand-set values are kept in the
#: comments of ``scenarios/historical.toml``); that fit left the party's growth limited by a
#: recruitment pool that ran dry in the 1940s, so the second fit, this one, adds the pool's size
#: (a base parameter every leadership shares), the post-war admission rate and a penalty on
#: recruits wanted but not found.
FREE_PARAMETERS: tuple[FreeParameter, ...] = (
    FreeParameter(
        "recruitment_1924",
        "1924-06",
        "policy",
        "set.recruitment",
        0.01664,
        0.006,
        0.03,
        "growth 1924-1933",
    ),
    FreeParameter(
        "quota_1929", "1929-05", "campaign", "quota", 0.01261, 0.005, 0.03, "1929 purge share"
    ),
    FreeParameter(
        "quota_1933",
        "1933-05",
        "campaign",
        "quota",
        0.01035,
        0.004,
        0.02,
        "1933-35 purge share, fall 1933-1938",
    ),
    FreeParameter(
        "recruitment_1936",
        "1936-11",
        "policy",
        "set.recruitment",
        0.009884,
        0.0,
        0.05,
        "fall 1933-1938",
    ),
    FreeParameter(
        "recruitment_1938",
        "1938-12",
        "policy",
        "set.recruitment",
        0.0333,
        0.005,
        0.06,
        "recovery 1938-1941",
    ),
    FreeParameter(
        "recruitment_1941",
        "1941-06",
        "policy",
        "set.recruitment",
        0.01699,
        0.002,
        0.04,
        "members in 1945",
    ),
    FreeParameter(
        "recruitment_1946",
        "1946-01",
        "policy",
        "set.recruitment",
        0.003,
        0.0,
        0.02,
        "members in 1956",
    ),
    FreeParameter(
        "pool_factor",
        "",
        "",
        "population.pool_factor",
        36.0,
        30.0,
        90.0,
        "growth without a dry pool",
    ),
)


def event_index(scenario: Scenario, month: str, kind: str) -> int:
    """Place of the event of ``month`` and ``kind`` in the scenario's merged event list.

    Raises:
        LookupError: If there is no such event, or more than one.
    """
    found = [
        i for i, event in enumerate(scenario.events) if event.month == month and event.kind == kind
    ]
    if len(found) != 1:
        raise LookupError(f"expected one {kind} event in {month}, found {len(found)}")
    return found[0]


def overrides_for(
    values: Sequence[float],
    base: Scenario,
    size: int,
    parameters: Sequence[FreeParameter] = FREE_PARAMETERS,
) -> dict[str, float | int | str]:
    """The ``--set`` overrides that put ``values`` into the scenario, at ``size`` members."""
    changes: dict[str, float | int | str] = {"population.size": size, "end": END}
    for parameter, value in zip(parameters, values, strict=True):
        if not parameter.month:
            changes[parameter.field] = float(value)
            continue
        index = event_index(base, parameter.month, parameter.kind)
        changes[f"events.{index}.{parameter.field}"] = float(value)
    return changes


def target_table(frames: Sequence[pd.DataFrame], size: int) -> pd.DataFrame:
    """Every target on every run: one row per run, one column per target."""
    return pd.DataFrame([evaluate(frame, size, FITTED_TARGETS) for frame in frames])


#: Share of wanted recruits not found (the pool ran dry) that costs as much as one tolerance.
SHORTFALL_TOLERANCE = 0.05


def shortfall_share(outcomes: pd.DataFrame) -> float:
    """Share of the recruits wanted up to :data:`END` that the pool could not supply."""
    rows = outcomes.loc[outcomes["month"] <= END]
    wanted = float(rows["recruits"].sum() + rows["recruit_shortfall"].sum())
    return float(rows["recruit_shortfall"].sum()) / wanted if wanted else 0.0


def objective_value(
    values: pd.DataFrame,
    targets: Sequence[Target] = FITTED_TARGETS,
    shortfall: float = 0.0,
) -> float:
    """``J``: the sum of squared misses, in tolerances, of the targets' means over runs.

    Args:
        values: One row per run, one column per target.
        targets: The targets.
        shortfall: Mean share of wanted recruits the pool could not supply; it adds
            ``(shortfall / SHORTFALL_TOLERANCE) ** 2``, so that growth is fitted by admissions
            rather than capped by a dry pool.
    """
    # A run that leaves a target undefined makes its mean NaN, a miss of 10 tolerances
    # (Target.miss), rather than being dropped from the mean.
    means = values.mean(skipna=False)
    misses = sum(target.miss(float(means[target.name])) ** 2 for target in targets)
    return float(misses + (shortfall / SHORTFALL_TOLERANCE) ** 2)


class Calibration:
    """Evaluates ``J`` on a pool of worker processes and remembers every evaluation.

    Args:
        size: Initial party size of the calibration runs.
        seeds: Seeds per evaluation (the same at every evaluation).
        workers: Worker processes (1 runs in this process).
        seed: Experiment seed from which the run seeds derive.
    """

    def __init__(self, size: int, seeds: int, workers: int, seed: int) -> None:
        self.size = size
        self.seeds = replicate_seeds(seed, seeds)
        self.base = load_scenario(SCENARIO)
        self.history: list[tuple[np.ndarray, float, pd.Series]] = []
        self.pool: concurrent.futures.Executor | None = None
        if workers > 1:
            # One pool for the whole fit: starting workers costs more than a small run.
            self.pool = process_pool(workers)

    def close(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.shutdown()

    def runs(self, values: Sequence[float]) -> list[pd.DataFrame]:
        """Run the scenario with ``values`` once per seed; return the outcome tables."""
        scenario = load_scenario(SCENARIO, overrides_for(values, self.base, self.size))
        specs = [RunSpec(scenario, seed, k) for k, seed in enumerate(self.seeds)]
        mapper = self.pool.map if self.pool is not None else map
        return list(mapper(run_spec, specs))

    def __call__(self, values: Sequence[float]) -> float:
        """``J`` at ``values`` (natural units)."""
        frames = self.runs(values)
        table = target_table(frames, self.size)
        short = float(np.mean([shortfall_share(frame) for frame in frames]))
        value = objective_value(table, shortfall=short)
        means = pd.concat([table.mean(), pd.Series({"recruit_shortfall": short})])
        self.history.append((np.asarray(values, dtype=float), value, means))
        return value


def _to_unit(values: Sequence[float], parameters: Sequence[FreeParameter]) -> np.ndarray:
    return np.array(
        [(v - p.low) / (p.high - p.low) for v, p in zip(values, parameters, strict=True)]
    )


def _from_unit(unit: np.ndarray, parameters: Sequence[FreeParameter]) -> np.ndarray:
    clipped = np.clip(unit, 0.0, 1.0)
    return np.array(
        [p.low + u * (p.high - p.low) for u, p in zip(clipped, parameters, strict=True)]
    )


def fit(
    size: int = SIZE,
    seeds: int = SEEDS,
    budget: int = BUDGET,
    workers: int = WORKERS,
    seed: int = SEED,
    parameters: Sequence[FreeParameter] = FREE_PARAMETERS,
    log: bool = True,
) -> tuple[np.ndarray, Calibration]:
    """Minimise ``J`` by bounded Nelder-Mead from each parameter's starting point.

    Args:
        size: Initial party size of the calibration runs.
        seeds: Seeds per evaluation.
        budget: Most evaluations of ``J``.
        workers: Worker processes.
        seed: Experiment seed from which the run seeds derive.
        parameters: The free parameters.
        log: Print each improvement.

    Returns:
        The best values found (natural units) and the calibration with its history.
    """
    from scipy.optimize import minimize

    calibration = Calibration(size, seeds, workers, seed)
    best = [np.inf]

    def scaled(unit: np.ndarray) -> float:
        value = calibration(_from_unit(unit, parameters))
        if log and value < best[0]:
            best[0] = value
            shown = ", ".join(f"{v:.4g}" for v in calibration.history[-1][0])
            print(f"  eval {len(calibration.history):3d}: J = {value:8.3f}  [{shown}]", flush=True)
        return value

    start = _to_unit([p.start for p in parameters], parameters)
    # A first simplex a fifth of each range wide: wide enough to see past the steps that
    # whole-member counts put into J at a small party size.
    simplex = [start] + [
        np.clip(start + 0.2 * np.eye(len(parameters))[i] * (1 if start[i] < 0.8 else -1), 0, 1)
        for i in range(len(parameters))
    ]
    try:
        minimize(
            scaled,
            start,
            method="Nelder-Mead",
            bounds=[(0.0, 1.0)] * len(parameters),
            options={
                "maxfev": budget,
                "initial_simplex": np.array(simplex),
                "xatol": 0.01,
                "fatol": 0.01,
            },
        )
    finally:
        calibration.close()
    values, _, _ = min(calibration.history, key=lambda item: item[1])
    return values, calibration


def report(values: np.ndarray, calibration: Calibration, seconds: float) -> str:
    """The fitted values, the targets at them, and a snippet for the scenario file."""
    parameters = FREE_PARAMETERS
    best = min(calibration.history, key=lambda item: item[1])
    first = calibration.history[0]
    lines = [
        f"calibrated {SCENARIO} at {calibration.size:,} members, {len(calibration.seeds)} "
        f"seeds per evaluation, {len(calibration.history)} evaluations, "
        f"{seconds / 60:.1f} min",
        f"J: {first[1]:.3f} at the starting values -> {best[1]:.3f} fitted",
        "",
        f"{'parameter':<18} {'event':<17} {'start':>9} {'fitted':>9}",
    ]
    for parameter, value in zip(parameters, values, strict=True):
        event = f"{parameter.month} {parameter.kind}" if parameter.month else "base"
        lines.append(f"{parameter.name:<18} {event:<17} {parameter.start:>9.4g} {value:>9.4g}")
    lines += ["", f"{'target':<20} {'record':>8} {'start':>9} {'fitted':>9}"]
    for target in FITTED_TARGETS:
        lines.append(
            f"{target.name:<20} {target.value:>8.3g} {first[2][target.name]:>9.3g} "
            f"{best[2][target.name]:>9.3g}"
        )
    lines.append(
        f"{'recruit_shortfall':<20} {0.0:>8.3g} {first[2]['recruit_shortfall']:>9.3g} "
        f"{best[2]['recruit_shortfall']:>9.3g}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Rerun the calibration and print the fitted values (``python -m ...calibrate``)."""
    parser = argparse.ArgumentParser(
        prog="python -m simulation.history.calibrate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--size", type=int, default=SIZE, help=f"party size (default {SIZE})")
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"seeds (default {SEEDS})")
    parser.add_argument(
        "--budget", type=int, default=BUDGET, help=f"evaluations of J (default {BUDGET})"
    )
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help=f"worker processes (default {WORKERS})"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"experiment seed ({SEED})")
    options = parser.parse_args(argv)
    if min(options.size, options.seeds, options.budget, options.workers) < 1:
        parser.error("--size, --seeds, --budget and --workers must be at least 1")
    started = time.perf_counter()
    values, calibration = fit(
        options.size, options.seeds, options.budget, options.workers, options.seed
    )
    print(report(values, calibration, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
