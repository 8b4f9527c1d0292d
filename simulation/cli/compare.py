"""``politburo compare``: replicates of several scenarios under common random numbers.

The runs are stored one by one in the experiment directory (resumable); the summarising outputs
(tables, figures, report) are written at the end, each file atomically, and the manifest says
"complete" only after them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import simulation
from simulation.cli.common import (
    OK,
    UsageError,
    check_size,
    open_experiment,
    run_experiment,
    slug,
    text_fingerprint,
)
from simulation.cli.options import (
    add_experiment_options,
    add_overrides_option,
    add_replicates_option,
    add_seed_option,
)

if TYPE_CHECKING:
    import pandas as pd

    from simulation.experiment.store import ExperimentStore
    from simulation.scenario import Scenario

DEFAULT_REPLICATES = 10
#: Outcome columns drawn over time in a comparison, one figure each (named after the column).
BAND_FIGURES = (
    "openness",
    "falsification",
    "fear",
    "policy_error",
    "leader_error",
    "members_active",
)


def add_parser(commands: Any) -> None:
    """Add ``politburo compare`` to the main parser's subparsers."""
    compare = commands.add_parser(
        "compare", help="run scenarios over replicate seeds and compare them"
    )
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="names or TOML files")
    add_replicates_option(compare, DEFAULT_REPLICATES, "replicates per scenario")
    add_seed_option(compare, "experiment seed; replicate seeds derive from it")
    add_overrides_option(compare)
    add_experiment_options(compare, "results/compare-A-B-...")


def command(options: argparse.Namespace) -> int:
    """Run ``politburo compare``; return the exit code."""
    from simulation.experiment.runs import replicate_specs
    from simulation.experiment.store import COMPLETE
    from simulation.reporting import summary
    from simulation.scenario import load_scenario, resolved_toml

    scenarios = [load_scenario(name, options.overrides) for name in options.scenarios]
    names = [s.name for s in scenarios]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(f"scenario {repeated[0]!r} is given twice; compare different scenarios")
    check_size(options, scenarios, options.replicates)
    texts = {scenario.name: resolved_toml(scenario) for scenario in scenarios}
    definition = {
        "kind": "compare",
        "scenarios": names,
        # The resolved text, not the name: an edited scenario file is another experiment.
        "resolved": {name: text_fingerprint(text) for name, text in texts.items()},
        "replicates": options.replicates,
        "seed": options.seed,
    }
    specs = replicate_specs(scenarios, options.replicates, options.seed)
    default_out = Path("results") / ("compare-" + "-".join(slug(name) for name in names))
    store = open_experiment(options, definition, out=default_out, scenarios=texts)
    was_complete = store.status == COMPLETE
    kept, ran = run_experiment(options, store, specs)
    out = store.directory
    if kept:
        print(f"{out}: {kept} of {len(specs)} runs already finished; ran {ran}")
    runs = store.load()
    table = summary.summarise(runs)
    contrasts = summary.differences(runs)
    if was_complete and ran == 0:
        print(f"{out} is complete; nothing to do")
    else:
        write_outputs(options, store, scenarios, runs, table, contrasts)
        store.mark_complete()
        print(
            f"wrote {out}: runs.parquet, summary.csv, differences.csv, report.md, report.html, "
            "figures/"
        )
    print_tables(table, contrasts)
    return OK


def write_outputs(
    options: argparse.Namespace,
    store: ExperimentStore,
    scenarios: Sequence[Scenario],
    runs: pd.DataFrame,
    table: pd.DataFrame,
    contrasts: pd.DataFrame,
) -> None:
    """Write the summarising outputs of a comparison, each file atomically."""
    from simulation.model.rng import replicate_seeds
    from simulation.output import folders, provenance
    from simulation.reporting import report

    out = store.directory
    folders.write_frame(runs, out / "runs.parquet", durable=True)
    folders.write_frame(table, out / "summary.csv")
    folders.write_frame(contrasts, out / "differences.csv")
    for scenario in scenarios:
        folders.write_scenario(scenario, out / "scenarios" / f"{scenario.name}.toml")
    record = provenance.collect(
        seeds={
            "seed": options.seed,
            "replicate_seeds": replicate_seeds(options.seed, options.replicates),
        },
        argv=options.argv,
        extra={
            "scenarios": [s.name for s in scenarios],
            "replicates": options.replicates,
            "executor": options.executor,
            "workers": options.workers,
            "definition_hash": store.definition_hash,
        },
    )
    provenance.write(record, out / "provenance.json", durable=True)
    text = report.compare_report(
        scenarios,
        table,
        contrasts,
        draw_figures(runs, out),
        options.replicates,
        options.seed,
        options.argv,
        simulation.__version__,
    )
    report.write_reports(text, out)


def draw_figures(runs: pd.DataFrame, out: Path) -> dict[str, str]:
    """Draw the comparison's figures into ``out/figures``; caption -> path in the report."""
    from simulation.reporting import figures

    drawn: dict[str, str] = {}
    for outcome in BAND_FIGURES:
        path = figures.save(figures.band(runs, outcome), out / "figures" / f"{outcome}.png")
        drawn[figures.label(outcome)[0]] = f"figures/{path.name}"
    path = figures.save(figures.purges(runs), out / "figures" / "purges_cumulative.png")
    drawn["Purges since the start"] = f"figures/{path.name}"
    return drawn


def print_tables(table: pd.DataFrame, contrasts: pd.DataFrame) -> None:
    """Print the final-month table and the paired differences from the first scenario."""
    from simulation.reporting.summary import interval_table

    print("\nFinal month: mean [95% interval] over replicates")
    print(interval_table(table, "final").to_string())
    if len(contrasts):
        baseline = contrasts["baseline"].iloc[0]
        print(f"\nDifference from {baseline} (paired by seed), final month")
        print(interval_table(contrasts, "final").to_string())
