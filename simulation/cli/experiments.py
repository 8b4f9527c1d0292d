"""The ``politburo sweep`` and ``politburo sensitivity`` commands.

Each command is a parser builder (``add_*_parser``, given the subparsers of the main parser and
the functions that add the shared options) and a handler (``command_*``) that returns an exit
code. A user's mistake is raised as a one-line error the command line reports with exit code
2: a :class:`~simulation.experiment.design.DesignError` (a
:class:`~simulation.scenario.ScenarioError`) for the design, a
:class:`~simulation.experiment.store.StoreError` (an
:class:`~simulation.output.folders.OutputError`) for the result directory.

The experiment definition written to the store holds only what decides the runs (scenario,
design, replicates, seed), not the outcomes or statistic analysed: rerunning ``sensitivity``
into the same directory with another ``--outcome`` reuses the finished runs.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.cli.options import add_replicates_option, add_seed_option, whole_number

#: Replicates per design point of a sweep.
SWEEP_REPLICATES = 10
#: Replicates per design point of a sensitivity analysis (their mean is analysed).
SENSITIVITY_REPLICATES = 1
#: Samples when ``--samples`` is not given: Morris trajectories, Sobol base samples.
DEFAULT_SAMPLES = {"morris": 10, "sobol": 64}

#: Outcomes drawn as heat maps (two parameters) or response curves (one), final values.
SWEEP_FIGURES = ("policy_error", "fear", "openness", "executed_total")

AddOptions = Callable[..., None]


def _common(sub: argparse.ArgumentParser, replicates: int, add_overrides: AddOptions) -> None:
    sub.add_argument("scenario", metavar="SCENARIO", help="scenario name or TOML file")
    add_replicates_option(
        sub, replicates, "replicates per design point, sharing seeds across points"
    )
    add_seed_option(sub, "experiment seed; replicate seeds and samples derive from it")
    add_overrides(sub)


def add_sweep_parser(
    commands: Any, add_experiment_options: AddOptions, add_overrides: AddOptions
) -> argparse.ArgumentParser:
    """Add ``politburo sweep``.

    Args:
        commands: The main parser's subparsers (from ``add_subparsers``).
        add_experiment_options: Adds ``--executor``, ``--workers``, ``--out``... to a parser.
        add_overrides: Adds ``--set KEY=VALUE`` (dest ``overrides``) to a parser.

    Returns:
        The ``sweep`` parser.
    """
    sweep = commands.add_parser(
        "sweep",
        help="run a grid, Latin hypercube or file design of parameter values",
        description="Run a scenario at every point of a design, each over the same replicate "
        "seeds, and summarise every point. Grids by default; --lhs N samples the ranges; "
        "--design reads the points from a CSV file.",
    )
    _common(sweep, SWEEP_REPLICATES, add_overrides)
    sweep.add_argument(
        "--param",
        dest="params",
        action="append",
        default=[],
        metavar="KEY=SPEC",
        help="a parameter: KEY=LOW:HIGH:COUNT (grid), KEY=LOW:HIGH (range, with --lhs) or "
        "KEY=V1,V2,... (list), e.g. policy.tolerance=0:1:11 (repeatable)",
    )
    sweep.add_argument(
        "--lhs",
        type=whole_number(1),
        default=None,
        metavar="N",
        help="a Latin hypercube sample of N points over the --param ranges instead of a grid",
    )
    sweep.add_argument(
        "--design",
        type=Path,
        default=None,
        metavar="FILE.csv",
        help="read the points from a CSV file: a header of key paths, one row per point",
    )
    add_experiment_options(sweep, default_out="results/sweep-SCENARIO")
    return sweep


def add_sensitivity_parser(
    commands: Any, add_experiment_options: AddOptions, add_overrides: AddOptions
) -> argparse.ArgumentParser:
    """Add ``politburo sensitivity``.

    Args:
        commands: The main parser's subparsers (from ``add_subparsers``).
        add_experiment_options: Adds ``--executor``, ``--workers``, ``--out``... to a parser.
        add_overrides: Adds ``--set KEY=VALUE`` (dest ``overrides``) to a parser.

    Returns:
        The ``sensitivity`` parser.
    """
    sensitivity = commands.add_parser(
        "sensitivity",
        help="global sensitivity analysis (Morris or Sobol) of outcomes to parameters",
        description="Sample parameter ranges with SALib, run every sample (replicates "
        "averaged), and estimate each parameter's influence on each outcome with intervals.",
    )
    _common(sensitivity, SENSITIVITY_REPLICATES, add_overrides)
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
        metavar="final|mean|mean:YYYY-MM:YYYY-MM",
        help="how a run becomes one number: final month, mean over the run or over a period "
        "(default final)",
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
    return sensitivity


# ---------------------------------------------------------------------------- helpers
def _fingerprint(scenario: Any) -> str:
    """A short hash of the resolved base scenario, so that editing it is a new experiment."""
    from simulation.scenario import resolved_toml

    return hashlib.sha256(resolved_toml(scenario).encode("utf-8")).hexdigest()[:16]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in Path(text).stem)


def _run(
    options: argparse.Namespace, definition: dict[str, Any], specs: Sequence[Any], out: Path
) -> tuple[Any, pd.DataFrame]:
    """Open the experiment directory, run what is left and load every run."""
    from simulation.cli.options import open_experiment, run_experiment

    store = open_experiment(options, definition, out=out)
    done, ran = run_experiment(options, store, specs)
    print(f"{len(specs)} runs: {done} already finished, {ran} run now -> {store.directory}")
    return store, store.load()


def _write(frame: pd.DataFrame, directory: Path, name: str) -> Path:
    from simulation.output.folders import write_frame

    path = write_frame(frame, directory / name)
    print(f"wrote {path}")
    return path


def _design_table(points: Sequence[dict[str, float]]) -> pd.DataFrame:
    table = pd.DataFrame(list(points))
    table.insert(0, "point", range(len(table)))
    return table


# ---------------------------------------------------------------------------- sweep
def sweep_points(options: argparse.Namespace, scenario: Any) -> tuple[str, list[dict], list[str]]:
    """The points of a sweep from its options.

    Returns:
        ``(design kind, points, parameter names)``; the kind is ``grid``, ``lhs`` or ``file``.

    Raises:
        DesignError: If the options are contradictory or a spec is malformed.
    """
    from simulation.experiment import design

    if options.design is not None:
        if options.params or options.lhs is not None:
            raise design.DesignError(
                "--design", "", "a design file gives every point; leave out --param and --lhs"
            )
        points = design.read_design(options.design, scenario)
        return "file", points, list(points[0])
    params = [design.parse_param(text, scenario) for text in options.params]
    if not params:
        raise design.DesignError(
            "--param", "", f"give at least one parameter ({design.PARAM_FORMS}) or --design FILE"
        )
    if options.lhs is not None:
        return (
            "lhs",
            design.latin_hypercube(design.bounds_of(params), options.lhs, options.seed),
            [p.key for p in params],
        )
    return "grid", design.grid(params), [p.key for p in params]


def sweep_summary(runs: pd.DataFrame, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
    """Per design point: mean and 95 % t-interval of final and whole-run-mean outcomes.

    Args:
        runs: The sweep's tidy table.
        outcomes: Outcome columns; the main outcomes of :mod:`simulation.reporting.summary` by
            default.

    Returns:
        The two statistics' tables of
        :func:`simulation.reporting.analysis.summarise_points`, stacked.
    """
    from simulation.reporting import analysis, summary

    chosen = [name for name in (outcomes or summary.MAIN_OUTCOMES) if name in runs.columns]
    tables = [analysis.summarise_points(runs, chosen, statistic) for statistic in ("final", "mean")]
    return pd.concat(tables, ignore_index=True)


def command_sweep(options: argparse.Namespace) -> int:
    """``politburo sweep``: every design point over shared replicate seeds, summarised."""
    from simulation.experiment import design
    from simulation.scenario import load_scenario

    scenario = load_scenario(options.scenario, options.overrides)
    kind, points, parameters = sweep_points(options, scenario)
    specs = design.make_specs(scenario, points, options.replicates, options.seed)
    definition = {
        "kind": "sweep",
        "scenario": scenario.name,
        "scenario_fingerprint": _fingerprint(scenario),
        "design": kind,
        "params": list(options.params),
        "points": points,
        "replicates": options.replicates,
        "seed": options.seed,
    }
    print(
        f"sweep of {scenario.name}: {len(points)} {kind} points x {options.replicates} "
        f"replicates over {', '.join(parameters)}"
    )
    out = Path("results") / f"sweep-{_slug(scenario.name)}"
    store, runs = _run(options, definition, specs, out)
    directory = Path(store.directory)
    _write(_design_table(points), directory, "design.csv")
    table = sweep_summary(runs)
    _write(table, directory, "summary.csv")
    described = {
        "grid": "full factorial grid",
        "lhs": f"Latin hypercube, {len(points)} points",
        "file": f"read from {options.design}",
    }[kind]
    values = {key: sorted({point[key] for point in points}) for key in parameters}
    if kind == "lhs":
        values = {key: (min(v), max(v)) for key, v in values.items()}
    info = experiment_info(store, scenario, values, described, options, len(points))
    _sweep_outputs(directory, table, runs, parameters, info)
    store.mark_complete()
    return 0


def experiment_info(
    store: Any,
    scenario: Any,
    parameters: dict[str, Any],
    design: str,
    options: argparse.Namespace,
    points: int,
    outcomes: Sequence[str] = (),
    statistic: str = "final",
) -> Any:
    """What the report says about how the results were made, from the store's manifest."""
    from simulation.reporting.report import ExperimentInfo

    provenance = store.manifest.get("provenance", {})
    versions = {"politburo": str(provenance.get("version", "")), "Python": provenance.get("python")}
    versions.update(provenance.get("dependencies") or {})
    workers = options.workers or "all"
    return ExperimentInfo(
        scenarios=[scenario.name],
        parameters=parameters,
        design=design,
        replicates=options.replicates,
        seed=options.seed,
        command=list(getattr(options, "argv", None) or provenance.get("command") or ()),
        points=points,
        runs=points * options.replicates,
        outcomes=list(outcomes),
        statistic=statistic,
        period=f"{scenario.start} to {scenario.end} ({scenario.months} months)",
        versions={k: str(v) for k, v in versions.items() if v},
        fingerprint=store.definition_hash,
        executor=f"{options.executor}, {workers} workers",
    )


def _sweep_outputs(
    directory: Path, table: pd.DataFrame, runs: pd.DataFrame, parameters: list[str], info: Any
) -> None:
    """Heat maps (two parameters) or response curves (one), and the report."""
    from simulation.reporting import figures as plots
    from simulation.reporting import report

    figures: dict[str, str] = {}
    folder = directory / "figures"
    for outcome in [name for name in SWEEP_FIGURES if name in set(table["outcome"])]:
        if len(parameters) == 2:
            path = plots.heatmap(
                table, parameters[0], parameters[1], outcome, folder / f"heatmap-{outcome}.png"
            )
        elif len(parameters) == 1:
            # The run table, not the summary, so that the curve's band is an interval.
            path = plots.response_curve(
                runs, parameters[0], outcome, folder / f"response-{outcome}.png"
            )
        else:
            continue  # three or more parameters: the summary table says it better
        caption = f"{plots.label(outcome)[0]}, final month"
        figures[caption] = str(Path(path).relative_to(directory))
    text = report.sweep_report(info, table, figures)
    for path in report.write_reports(text, directory):
        print(f"wrote {path}")


# ---------------------------------------------------------------------------- sensitivity
def command_sensitivity(options: argparse.Namespace) -> int:
    """``politburo sensitivity``: SALib samples run as design points, indices per outcome."""
    from simulation.experiment import design, sensitivity
    from simulation.scenario import load_scenario

    scenario = load_scenario(options.scenario, options.overrides)
    if not options.outcomes:
        raise design.DesignError("--outcome", "", "give at least one outcome to analyse")
    factions = tuple(scenario.population.factions)
    outcomes = [sensitivity.check_outcome(name, factions) for name in options.outcomes]
    sensitivity.parse_statistic(options.statistic)
    params = [design.parse_param(text, scenario) for text in options.params]
    for param in params:
        if param.levels is not None:
            raise design.DesignError(
                f"--param {param.text}", param.key, "give a range NAME=LOW:HIGH for a sensitivity"
            )
    problem = sensitivity.problem(design.bounds_of(params))
    samples = options.samples or DEFAULT_SAMPLES[options.method]
    X = sensitivity.sample(problem, options.method, samples, options.seed)  # noqa: N806
    names = list(problem["names"])
    points = [dict(zip(names, map(float, row), strict=True)) for row in X]
    specs = design.make_specs(scenario, points, options.replicates, options.seed)
    definition = {
        "kind": "sensitivity",
        "scenario": scenario.name,
        "scenario_fingerprint": _fingerprint(scenario),
        "method": options.method,
        "params": list(options.params),
        "samples": samples,
        "replicates": options.replicates,
        "seed": options.seed,
    }
    print(
        f"{options.method} sensitivity of {scenario.name}: {len(points)} points x "
        f"{options.replicates} replicates over {', '.join(names)}"
    )
    out = Path("results") / f"sensitivity-{_slug(scenario.name)}-{options.method}"
    store, runs = _run(options, definition, specs, out)
    directory = Path(store.directory)
    indices, values = analyse_outcomes(runs, problem, options.method, X, outcomes, options)
    _write(_design_table(points), directory, "design.csv")
    _write(values, directory, "values.csv")
    _write(indices, directory, "sensitivity.csv")
    _print_ranking(indices, options.method)
    described = (
        f"Morris, {samples} trajectories on a {sensitivity.MORRIS_LEVELS}-level grid"
        if options.method == "morris"
        else f"Sobol (Saltelli sampling), N = {samples}"
    )
    ranges = dict(zip(names, map(tuple, problem["bounds"]), strict=True))
    info = experiment_info(
        store, scenario, ranges, described, options, len(points), outcomes, options.statistic
    )
    _sensitivity_outputs(directory, indices, info)
    store.mark_complete()
    return 0


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


def _print_ranking(indices: pd.DataFrame, method: str) -> None:
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


def _sensitivity_outputs(directory: Path, indices: pd.DataFrame, info: Any) -> None:
    """The bar chart of the indices, one panel per outcome, and the report."""
    from simulation.reporting import figures as plots
    from simulation.reporting import report

    path = plots.sensitivity_bars(indices, directory / "figures" / "sensitivity.png")
    figures = {"Sensitivity indices": str(Path(path).relative_to(directory))}
    text = report.sensitivity_report(info, indices, figures)
    for written in report.write_reports(text, directory):
        print(f"wrote {written}")
