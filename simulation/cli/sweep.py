"""``politburo sweep``: a scenario at every point of a design, over shared replicate seeds.

The experiment definition written to the store holds only what decides the runs (scenario,
design, replicates, seed): rerunning into the same directory reuses the finished runs. A bad
design is a :class:`~simulation.experiment.design.DesignError` (one line, exit code 2).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from simulation.cli.options import (
    add_experiment_options,
    add_overrides_option,
    add_replicates_option,
    add_seed_option,
    whole_number,
)

if TYPE_CHECKING:
    import pandas as pd

    from simulation.experiment.store import ExperimentStore
    from simulation.reporting.report import ExperimentInfo
    from simulation.scenario import Scenario

#: Replicates per design point of a sweep.
REPLICATES = 10
#: Outcomes drawn as heat maps (two parameters) or response curves (one), final values.
FIGURES = ("policy_error", "fear", "openness", "executed_total")


def add_design_arguments(parser: argparse.ArgumentParser, replicates: int) -> None:
    """The arguments every design command takes: scenario, replicates, seed, ``--set``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario name or TOML file")
    add_replicates_option(
        parser, replicates, "replicates per design point, sharing seeds across points"
    )
    add_seed_option(parser, "experiment seed; replicate seeds and samples derive from it")
    add_overrides_option(parser)


def add_parser(commands: Any) -> None:
    """Add ``politburo sweep`` to the main parser's subparsers."""
    sweep = commands.add_parser(
        "sweep",
        help="run a grid, Latin hypercube or file design of parameter values",
        description="Run a scenario at every point of a design, each over the same replicate "
        "seeds, and summarise every point. Grids by default; --lhs N samples the ranges; "
        "--design reads the points from a CSV file.",
    )
    add_design_arguments(sweep, REPLICATES)
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


def design_table(points: Sequence[dict[str, float]]) -> pd.DataFrame:
    """The design as a table: a ``point`` number, then one column per parameter."""
    import pandas as pd

    table = pd.DataFrame(list(points))
    table.insert(0, "point", range(len(table)))
    return table


def sweep_points(
    options: argparse.Namespace, scenario: Scenario
) -> tuple[str, list[dict], list[str]]:
    """The points of a sweep from its options.

    The size of the work (points times ``--replicates``) is checked before the points are
    made, so that a grid of ``10**20`` points is refused rather than attempted.

    Returns:
        ``(design kind, points, parameter names)``; the kind is ``grid``, ``lhs`` or ``file``.

    Raises:
        DesignError: If the options are contradictory or a spec is malformed.
        WorkTooLargeError: If the work exceeds the machine (see :func:`check_size`).
    """
    from simulation.experiment import design

    if options.design is not None:
        if options.params or options.lhs is not None:
            raise design.DesignError(
                "--design", "", "a design file gives every point; leave out --param and --lhs"
            )
        points = design.read_design(options.design, scenario)
        check_size(options, [scenario], options.replicates, len(points))
        return "file", points, list(points[0])
    counts = [design.level_count(text) or 1 for text in options.params]
    planned = options.lhs if options.lhs is not None else math.prod(counts)
    check_size(options, [scenario], options.replicates, planned)
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
    import pandas as pd

    from simulation.reporting import analysis, summary

    chosen = [name for name in (outcomes or summary.MAIN_OUTCOMES) if name in runs.columns]
    tables = [analysis.summarise_points(runs, chosen, statistic) for statistic in ("final", "mean")]
    return pd.concat(tables, ignore_index=True)


def command(options: argparse.Namespace) -> int:
    """Run ``politburo sweep``; return the exit code."""
    from simulation.experiment import design
    from simulation.scenario import load_scenario, resolved_toml

    scenario = load_scenario(options.scenario, options.overrides)
    kind, points, parameters = sweep_points(options, scenario)
    specs = design.make_specs(scenario, points, options.replicates, options.seed)
    definition = {
        "kind": "sweep",
        "scenario": scenario.name,
        "scenario_fingerprint": text_fingerprint(resolved_toml(scenario)),
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
    store = open_experiment(
        options, definition, out=default_out("sweep", [scenario.name], options.overrides)
    )
    done, ran = run_experiment(options, store, specs)
    print(f"{len(specs)} runs: {done} already finished, {ran} run now -> {store.directory}")
    write_results(options, store, scenario, kind, points)
    return OK


def write_results(
    options: argparse.Namespace,
    store: ExperimentStore,
    scenario: Scenario,
    kind: str,
    points: Sequence[dict[str, float]],
) -> None:
    """Write a sweep's design, summary, figures and report from its stored runs.

    Used by the command and by ``politburo report``, so a rebuilt folder is the same.

    Args:
        options: The command's options.
        store: The finished experiment.
        scenario: The scenario swept (any point's: only its name and period are read).
        kind: ``grid``, ``lhs`` or ``file``.
        points: The design points, in order.
    """
    parameters = list(points[0])
    runs = store.load()
    directory = Path(store.directory)
    write_and_say(design_table(points), directory / "design.csv")
    table = sweep_summary(runs)
    write_and_say(table, directory / "summary.csv")
    described = {
        "grid": "full factorial grid",
        "lhs": f"Latin hypercube, {len(points)} points",
        "file": f"read from {options.design}",
    }[kind]
    values = {key: sorted({point[key] for point in points}) for key in parameters}
    if kind == "lhs":
        values = {key: (min(v), max(v)) for key, v in values.items()}
    info = experiment_info(store, scenario, values, described, options, len(points))
    write_report(directory, table, runs, parameters, info)
    store.mark_complete(options.argv)


def write_report(
    directory: Path,
    table: pd.DataFrame,
    runs: pd.DataFrame,
    parameters: list[str],
    info: ExperimentInfo,
) -> None:
    """Heat maps (two parameters) or response curves (one), and the report."""
    from simulation.reporting import figures, report

    drawn: dict[str, str] = {}
    folder = directory / "figures"
    for outcome in [name for name in FIGURES if name in set(table["outcome"])]:
        if len(parameters) == 2:
            figure = figures.heatmap(table, parameters[0], parameters[1], outcome)
            path = figures.save(figure, folder / f"heatmap-{outcome}.png")
        elif len(parameters) == 1:
            # The run table, not the summary, so that the curve's band is an interval.
            figure = figures.response_curve(runs, parameters[0], outcome)
            path = figures.save(figure, folder / f"response-{outcome}.png")
        else:
            continue  # three or more parameters: the summary table says it better
        drawn[f"{figures.label(outcome)[0]}, final month"] = str(path.relative_to(directory))
    text = report.sweep_report(info, table, drawn)
    for path in report.write_reports(text, directory, figures=drawn.values()):
        print(f"wrote {path}")
