"""Global sensitivity analysis with SALib: Morris elementary effects and Sobol indices.

The model is treated as a function from a few scenario settings (the *factors*, each varied
over a range) to one number per run: an outcome's final value, or its mean over the run or a
period (:func:`outcome_values`). SALib draws the factor values (:func:`sample`); each sample is
run as a design point, over replicates that share their seeds across points; the replicate
mean at each point is analysed (:func:`analyse`).

* Morris (Morris 1991; Campolongo et al. 2007): ``n`` trajectories of ``d + 1`` points on a
  4-level grid; ``mu_star`` (mean absolute elementary effect) ranks the factors, ``sigma``
  flags non-linearity or interactions. Cheap: screening before Sobol.
* Sobol (Saltelli 2002; Saltelli et al. 2010): first-order ``S1`` (the share of the output
  variance a factor explains alone) and total ``ST`` (including its interactions), from
  ``n * (d + 2)`` runs; ``n`` must be a power of two for the Sobol' sequence to keep its
  balance properties.

Confidence intervals are SALib's bootstrap intervals (95 % by default).
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analysis
from SALib.analyze import sobol as sobol_analysis
from SALib.sample import morris as morris_sampling
from SALib.sample import sobol as sobol_sampling

from simulation.experiment.design import DesignError
from simulation.model.outcomes import OUTCOMES, kind_of
from simulation.reporting import analysis, statistics

#: The analysis methods.
METHODS = ("morris", "sobol")
#: Levels of the Morris grid (SALib's default; jumps of half the grid).
MORRIS_LEVELS = 4
#: Bootstrap resamples behind the confidence intervals.
RESAMPLES = 1000
#: Index columns of :func:`analyse`, by method.
INDEX_COLUMNS = {
    "morris": ("mu_star", "mu_star_conf", "sigma"),
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
}
#: Outcome columns that are not numbers and cannot be analysed.
NOT_NUMERIC = ("month", "leader")


def problem(ranges: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """SALib's problem definition for factors varied over ranges.

    Args:
        ranges: ``(low, high)`` by dotted key path, at least two of them.

    Returns:
        A dictionary with ``num_vars``, ``names`` and ``bounds``.

    Raises:
        DesignError: If fewer than two factors are given or a range is empty.
    """
    if len(ranges) < 2:
        raise DesignError(
            "--param", "", "a sensitivity analysis needs at least two parameters (NAME=LOW:HIGH)"
        )
    for key, (low, high) in ranges.items():
        if not low < high:
            raise DesignError("--param", key, f"LOW ({low:g}) must be below HIGH ({high:g})")
    return {
        "num_vars": len(ranges),
        "names": list(ranges),
        "bounds": [[float(low), float(high)] for low, high in ranges.values()],
    }


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise DesignError("--method", "", f"{method!r} is unknown; allowed: {', '.join(METHODS)}")


def run_count(problem: Mapping[str, Any], method: str, n: int) -> int:
    """How many design points :func:`sample` gives: ``n (d + 1)`` or ``n (d + 2)``."""
    _check_method(method)
    d = int(problem["num_vars"])
    return n * (d + 1) if method == "morris" else n * (d + 2)


def sample_count(method: str, n: int, factors: int) -> int:
    """How many design points :func:`sample` draws, without drawing them.

    Args:
        method: ``"morris"`` or ``"sobol"``.
        n: Trajectories (Morris) or base samples (Sobol).
        factors: Number of parameters.

    Returns:
        ``n * (factors + 1)`` for Morris, ``n * (factors + 2)`` for Sobol.

    Raises:
        DesignError: If the method is unknown or ``n`` is not allowed.
    """
    _check_method(method)
    if method == "morris":
        if n < 2:
            raise DesignError("--samples", "", f"Morris needs at least 2 trajectories, not {n}")
        return n * (factors + 1)
    if n < 2 or n & (n - 1):
        below = 2 ** max(1, n.bit_length() - 1)
        raise DesignError(
            "--samples",
            "",
            f"Sobol needs a power of two (e.g. {below} or {below * 2}), not {n}",
        )
    return n * (factors + 2)


def sample(problem: Mapping[str, Any], method: str, n: int, seed: int | None) -> np.ndarray:
    """Draw the factor values to run.

    Args:
        problem: From :func:`problem`.
        method: ``"morris"`` (``n`` trajectories) or ``"sobol"`` (``n`` base samples, a power
            of two; first-order and total indices only).
        n: Trajectories (Morris) or base samples (Sobol).
        seed: Seed of the sampler.

    Returns:
        One row per design point (:func:`sample_count` of them), one column per factor.

    Raises:
        DesignError: If the method is unknown or ``n`` is not allowed.
    """
    sample_count(method, n, int(problem["num_vars"]))
    if method == "morris":
        return morris_sampling.sample(dict(problem), n, num_levels=MORRIS_LEVELS, seed=seed)
    return sobol_sampling.sample(dict(problem), n, calc_second_order=False, seed=seed)


def analyse(
    problem: Mapping[str, Any],
    method: str,
    X: np.ndarray,  # noqa: N803 — SALib's and the literature's name for the design matrix
    Y: np.ndarray,  # noqa: N803
    seed: int | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Sensitivity indices with bootstrap confidence intervals.

    Args:
        problem: From :func:`problem`.
        method: ``"morris"`` or ``"sobol"``.
        X: The design from :func:`sample`.
        Y: One model output per row of ``X``, all finite.
        seed: Seed of the bootstrap.
        level: Coverage of the confidence intervals (the ``*_conf`` columns are half-widths).

    Returns:
        One row per factor: ``parameter``, ``method``, then ``mu_star``, ``mu_star_conf``,
        ``sigma`` (Morris) or ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (Sobol).

    Raises:
        DesignError: If the method is unknown, or ``Y`` has the wrong length or non-finite
            values.
    """
    _check_method(method)
    Y = np.asarray(Y, dtype=np.float64).ravel()  # noqa: N806
    if len(Y) != len(X):
        raise DesignError("sensitivity", "", f"{len(Y)} outputs for {len(X)} design points")
    if not np.all(np.isfinite(Y)):
        bad = int(np.sum(~np.isfinite(Y)))
        raise DesignError("--outcome", "", f"is undefined (NaN) at {bad} of {len(Y)} points")
    names = list(problem["names"])
    columns = INDEX_COLUMNS[method]
    if method == "sobol" and np.ptp(Y) == 0:
        # The variance decomposition divides by Var(Y); an output no factor moves has no
        # variance to share out, and every index is zero.
        result = {column: np.zeros(len(names)) for column in columns}
    elif method == "sobol":
        result = _quietly(
            sobol_analysis.analyze,
            dict(problem),
            Y,
            calc_second_order=False,
            num_resamples=RESAMPLES,
            conf_level=level,
            seed=seed,
        )
    else:
        result = _quietly(
            morris_analysis.analyze,
            dict(problem),
            np.asarray(X),
            Y,
            num_resamples=RESAMPLES,
            conf_level=level,
            num_levels=MORRIS_LEVELS,
            seed=seed,
        )
    table = pd.DataFrame({"parameter": names, "method": method})
    for column in columns:
        table[column] = np.asarray(result[column], dtype=np.float64)
    return table


def _quietly(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a SALib function without its division warnings for degenerate bootstrap draws."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(*args, **kwargs)


def outcome_names(
    factions: tuple[str, ...] | list[str] = (), columns: Sequence[str] | None = None
) -> list[str]:
    """The numeric outcome columns an analysis may take.

    Args:
        factions: The scenario's faction names (``faction_NAME`` sizes), used without
            ``columns``.
        columns: The outcome columns a run of the scenario records
            (:func:`scenario_outcomes`), its layers' included; labels (a leader's name, a
            fate) are left out. ``None``: the registered measures and the faction sizes.
    """
    if columns is not None:
        return [name for name in columns if name not in NOT_NUMERIC and kind_of(name) != "label"]
    names = [name for name in OUTCOMES if name not in NOT_NUMERIC]
    return names + [f"faction_{name}" for name in factions]


def scenario_outcomes(scenario: Any) -> list[str]:
    """The outcome columns a run of ``scenario`` records, those of its layers included.

    The columns depend on the layers the scenario switches on (congresses, the leaders, the
    world, the democracy measures) and on its factions, organisations and contenders: a small
    model of the scenario is built (not run) to list them.
    """
    from simulation.model.party import PartyModel

    return PartyModel(scenario, seed=0, overrides={"population.size": 200}).outcome_columns()


def check_outcome(
    name: str, factions: tuple[str, ...] | list[str] = (), columns: Sequence[str] | None = None
) -> str:
    """Check that an outcome can be analysed, suggesting the nearest name if not.

    Args:
        name: An outcome column.
        factions: The scenario's faction names (for ``faction_NAME``), used without ``columns``.
        columns: The scenario's outcome columns (:func:`scenario_outcomes`), if known.

    Returns:
        The name.

    Raises:
        DesignError: If it is not a numeric outcome column.
    """
    allowed = outcome_names(factions, columns)
    if name in allowed:
        return name
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise DesignError(
        f"--outcome {name}", "", f"unknown outcome; {hint}allowed: {', '.join(allowed)}"
    )


def parse_statistic(text: str) -> tuple[str, str | None, str | None]:
    """Check a statistic: ``final``, ``at:YYYY-MM``, ``mean`` or ``mean:YYYY-MM:YYYY-MM``.

    Returns:
        ``(kind, first month, last month)``; the months are ``None`` but for a date or window.

    Raises:
        DesignError: If the statistic is malformed or the window runs backwards.
    """
    try:
        return analysis.parse_statistic(text)
    except ValueError as error:
        raise DesignError(f"--statistic {text}", "", str(error)) from None


def check_statistic(outcomes: Sequence[str], text: str) -> None:
    """Check a statistic and that it applies to every outcome (no means of cumulative counts).

    Raises:
        DesignError: If the statistic is malformed, or is a mean of a cumulative count.
    """
    parse_statistic(text)
    try:
        statistics.check_averageable(outcomes, text)
    except ValueError as error:
        raise DesignError(f"--statistic {text}", "", str(error)) from None


def outcome_values(runs: pd.DataFrame, outcome: str, statistic: str = "final") -> pd.Series:
    """One number per design point: a statistic of an outcome, averaged over replicates.

    Each run is first reduced to one number (:func:`simulation.reporting.analysis.reduce_runs`): its
    last month's value (``"final"``), its mean over every month (``"mean"``) or over the
    months of a period, both ends included (``"mean:1930-01:1939-12"``); months where the
    outcome is undefined (NaN) are skipped by the means. The replicates of each point are then
    averaged, skipping NaN.

    Args:
        runs: An experiment's tidy table (``point``, ``replicate``, ``month``, outcomes...).
        outcome: The outcome column.
        statistic: ``"final"``, ``"at:YYYY-MM"``, ``"mean"`` or ``"mean:YYYY-MM:YYYY-MM"``.

    Returns:
        Values indexed by point number, in point order; NaN where no replicate has a value.

    Raises:
        DesignError: If the outcome is not in the table, the statistic is malformed or a mean
            of a cumulative count, or a window or date holds no month of the runs.
    """
    check_statistic([outcome], statistic)
    if outcome not in runs.columns or outcome in NOT_NUMERIC:
        factions = [c.removeprefix("faction_") for c in runs.columns if c.startswith("faction_")]
        check_outcome(outcome, factions)
        raise DesignError(f"--outcome {outcome}", "", "is not in the experiment's results")
    try:
        per_run = analysis.reduce_runs(runs, [outcome], statistic)
    except ValueError as error:
        raise DesignError(f"--statistic {statistic}", "", str(error)) from None
    values = per_run.groupby("point", sort=True)[outcome].mean()
    return values.astype(np.float64).rename(outcome)
