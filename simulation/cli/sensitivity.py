"""``politburo sensitivity``: Morris or Sobol indices of outcomes to parameters (SALib).

SALib's samples are run as design points over shared replicate seeds; the experiment definition
holds only what decides the runs, so rerunning with another ``--outcome`` reuses them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from simulation.cli.common import (
    OK,
    check_size,
    default_out,
    experiment_info,
    open_experiment,
    run_experiment,
    text_fingerprint,
    write_and_say,
)
from simulation.cli.options import add_experiment_options, whole_number
from simulation.cli.sweep import add_design_arguments, design_table

if TYPE_CHECKING:
    import pandas as pd

    from simulation.experiment.store import ExperimentStore
    from simulation.reporting.report import ExperimentInfo
    from simulation.scenario import Scenario

#: Replicates per design point of a sensitivity analysis (their mean is analysed).
REPLICATES = 1
#: Samples when ``--samples`` is not given: Morris trajectories, Sobol base samples.
DEFAULT_SAMPLES = {"morris": 10, "sobol": 64}


def add_parser(commands: Any) -> None:
    """Add ``politburo sensitivity`` to the main parser's subparsers."""
    sensitivity = commands.add_parser(
        "sensitivity",
        help="global sensitivity analysis (Morris or Sobol) of outcomes to parameters",
        description="Sample parameter ranges with SALib, run every sample (replicates "
        "averaged), and estimate each parameter's influence on each outcome with intervals.",
    )
    add_design_arguments(sensitivity, REPLICATES)
    sensitivity.add_argument(
        "--method",
        choices=("morris", "sobol"),
        default="morris",
        help="morris (cheap screening: mu_star, sigma) or sobol (S1, ST; costlier) "
        "(default morris)",
    )
    sensitivity.add_argument(
        "--param",
        dest="params",
        action="append",
        default=[],
        metavar="KEY=LOW:HIGH",
        help="a parameter and its range, e.g. policy.tolerance=0:0.5 (at least two)",
    )
    sensitivity.add_argument(
        "--guesses",
        action="store_true",
        help="add every value the scenario marks as a guess ([guesses]) as a factor, over its "
        "range",
    )
    sensitivity.add_argument(
        "--outcome",
        dest="outcomes",
        action="append",
        default=[],
        metavar="NAME",
        help="an outcome column to analyse, e.g. policy_error (repeatable; at least one)",
    )
    sensitivity.add_argument(
        "--statistic",
        default="final",
        metavar="final|at:YYYY-MM|mean|mean:YYYY-MM:YYYY-MM",
        help="how a run becomes one number: final month, a chosen month, mean over the run or "
        "over a window (default final; means are refused for cumulative counts)",
    )
    sensitivity.add_argument(
        "--samples",
        type=whole_number(2),
        default=None,
        metavar="N",
        help="Morris trajectories (default 10; N*(params+1) points) or Sobol base samples, a "
        "power of two (default 64; N*(params+2) points)",
    )
    add_experiment_options(sensitivity, default_out="results/sensitivity-SCENARIO-METHOD")


class SensitivityDesign(NamedTuple):
    """What a sensitivity analysis samples and analyses, from its options."""

    problem: dict[str, Any]
    X: Any  # SALib's name for the design matrix
    points: list[dict[str, float]]
    outcomes: list[str]
    samples: int


def plan_design(options: argparse.Namespace, scenario: Scenario) -> SensitivityDesign:
    """Check the options of a sensitivity analysis and sample its design.

    Raises:
        DesignError: If no outcome is given, or a parameter is not a range.
    """
    from simulation.experiment import design, sensitivity

    if not options.outcomes:
        raise design.DesignError("--outcome", "", "give at least one outcome to analyse")
    columns = sensitivity.scenario_outcomes(scenario)
    outcomes = [sensitivity.check_outcome(name, columns=columns) for name in options.outcomes]
    sensitivity.check_statistic(outcomes, options.statistic)
    texts = list(options.params)
    if options.guesses:
        from simulation.scenario.schema import guesses_in_use

        guesses = guesses_in_use(scenario)
        if not guesses:
            raise design.DesignError(
                "--guesses", "", "the scenario declares no guess in use ([guesses])"
            )
        given = {text.split("=", 1)[0].strip() for text in texts}
        texts += [
            f"{key}={guess.low!r}:{guess.high!r}"
            for key, guess in guesses.items()
            if key not in given  # a --param of the same key sets its range instead
        ]
    params = [design.parse_param(text, scenario) for text in texts]
    for param in params:
        if param.levels is not None:
            raise design.DesignError(
                f"--param {param.text}", param.key, "give a range NAME=LOW:HIGH for a sensitivity"
            )
    problem = sensitivity.problem(design.bounds_of(params))
    samples = options.samples or DEFAULT_SAMPLES[options.method]
    planned = sensitivity.sample_count(options.method, samples, len(params))
    check_size(options, [scenario], options.replicates, planned)
    X = sensitivity.sample(problem, options.method, samples, options.seed)  # noqa: N806
    names = list(problem["names"])
    points = [dict(zip(names, map(float, row), strict=True)) for row in X]
    return SensitivityDesign(problem, X, points, outcomes, samples)


def command(options: argparse.Namespace) -> int:
    """Run ``politburo sensitivity``; return the exit code."""
    from simulation.experiment import design
    from simulation.scenario import load_scenario, resolved_toml

    scenario = load_scenario(options.scenario, options.overrides)
    planned = plan_design(options, scenario)
    specs = design.make_specs(scenario, planned.points, options.replicates, options.seed)
    definition = {
        "kind": "sensitivity",
        "scenario": scenario.name,
        "scenario_fingerprint": text_fingerprint(resolved_toml(scenario)),
        "method": options.method,
        "params": list(options.params),
        "samples": planned.samples,
        "replicates": options.replicates,
        "seed": options.seed,
    }
    print(
        f"{options.method} sensitivity of {scenario.name}: {len(planned.points)} points x "
        f"{options.replicates} replicates over {', '.join(planned.problem['names'])}"
    )
    out = default_out("sensitivity", [scenario.name], options.overrides, options.method)
    store = open_experiment(options, definition, out=out)
    done, ran = run_experiment(options, store, specs)
    print(f"{len(specs)} runs: {done} already finished, {ran} run now -> {store.directory}")
    write_results(options, store, scenario, planned)
    return OK


def write_results(
    options: argparse.Namespace,
    store: ExperimentStore,
    scenario: Scenario,
    planned: SensitivityDesign,
) -> None:
    """Write a sensitivity analysis's tables, figure and report from its stored runs.

    Used by the command and by ``politburo report``, so a rebuilt folder is the same.
    """
    from simulation.experiment import sensitivity

    runs = store.load()
    directory = Path(store.directory)
    problem, X, points = planned.problem, planned.X, planned.points  # noqa: N806
    indices, values = analyse_outcomes(runs, problem, options.method, X, planned.outcomes, options)
    write_and_say(design_table(points), directory / "design.csv")
    write_and_say(values, directory / "values.csv")
    write_and_say(indices, directory / "sensitivity.csv")
    print_ranking(indices, options.method)
    described = (
        f"Morris, {planned.samples} trajectories on a {sensitivity.MORRIS_LEVELS}-level grid"
        if options.method == "morris"
        else f"Sobol (Saltelli sampling), N = {planned.samples}"
    )
    ranges = dict(zip(problem["names"], map(tuple, problem["bounds"]), strict=True))
    info = experiment_info(
        store,
        scenario,
        ranges,
        described,
        options,
        len(points),
        planned.outcomes,
        options.statistic,
    )
    write_report(directory, indices, info)
    store.mark_complete(options.argv)


def analyse_outcomes(
    runs: pd.DataFrame,
    problem: dict[str, Any],
    method: str,
    X: Any,  # noqa: N803 — SALib's name for the design matrix
    outcomes: Sequence[str],
    options: argparse.Namespace,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indices of every outcome, and the per-point values they were computed from.

    Returns:
        ``(indices, values)``: the indices with ``outcome`` and ``statistic`` columns in
        front; the values as ``point``, ``outcome``, ``statistic``, ``value``.
    """
    import pandas as pd

    from simulation.experiment import sensitivity

    tables, values = [], []
    for outcome in outcomes:
        series = sensitivity.outcome_values(runs, outcome, options.statistic)
        series = series.reindex(range(len(X)))
        table = sensitivity.analyse(problem, method, X, series.to_numpy(), seed=options.seed)
        table.insert(0, "statistic", options.statistic)
        table.insert(0, "outcome", outcome)
        tables.append(table)
        values.append(
            pd.DataFrame(
                {
                    "point": series.index,
                    "outcome": outcome,
                    "statistic": options.statistic,
                    "value": series.to_numpy(),
                }
            )
        )
    return pd.concat(tables, ignore_index=True), pd.concat(values, ignore_index=True)


def print_ranking(indices: pd.DataFrame, method: str) -> None:
    """Print the parameters of each outcome, most influential first."""
    column = "ST" if method == "sobol" else "mu_star"
    shown = [
        "parameter",
        *[c for c in indices.columns if c not in ("outcome", "statistic", "parameter", "method")],
    ]
    for outcome, group in indices.groupby("outcome", sort=False):
        ranked = group.sort_values(column, ascending=False)[shown]
        print(f"\n{outcome} ({group['statistic'].iloc[0]}), by {column}:")
        print(ranked.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def write_report(directory: Path, indices: pd.DataFrame, info: ExperimentInfo) -> None:
    """The bar chart of the indices, one panel per outcome, and the report."""
    from simulation.reporting import figures, report

    path = figures.save(
        figures.sensitivity_bars(indices), directory / "figures" / "sensitivity.png"
    )
    drawn = {"Sensitivity indices": str(path.relative_to(directory))}
    text = report.sensitivity_report(info, indices, drawn)
    for written in report.write_reports(text, directory, figures=drawn.values()):
        print(f"wrote {written}")
