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
    default_out,
    open_experiment,
    run_experiment,
    summary_statistics,
    text_fingerprint,
)
from simulation.cli.options import (
    add_experiment_options,
    add_overrides_option,
    add_replicates_option,
    add_seed_option,
    add_summary_options,
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
    "hidden_disagreement",
)
#: Drawn too when the scenarios hold congresses (the column exists only then).
CONGRESS_BAND_FIGURES = ("votes_against",)
#: Drawn too when a scenario has the world layer on (docs/ODD.md, "The world around the party").
WORLD_BAND_FIGURES = ("communist_states", "hostility_mean", "world_threat")
#: The figure of purges since the start.
PURGES_FIGURE = "purges_cumulative"
#: The tables and reports of a finished comparison (its figures and scenarios besides).
OUTPUTS = (
    "runs.parquet",
    "summary.csv",
    "differences.csv",
    "provenance.json",
    "report.md",
    "report.html",
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
    compare.add_argument(
        "--draw-guesses",
        action="store_true",
        help="draw every value a scenario marks as a guess ([guesses]) from its range, per "
        "replicate, so that the intervals hold the guesses' uncertainty too",
    )
    add_experiment_options(compare, "results/compare-A-B-...")
    add_summary_options(compare)


def command(options: argparse.Namespace) -> int:
    """Run ``politburo compare``; return the exit code."""
    from simulation.experiment.runs import replicate_specs
    from simulation.experiment.store import COMPLETE
    from simulation.reporting import summary
    from simulation.scenario import load_scenario, resolved_toml
    from simulation.scenario.schema import guesses_in_use

    scenarios = [load_scenario(name, options.overrides) for name in options.scenarios]
    names = [s.name for s in scenarios]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(f"scenario {repeated[0]!r} is given twice; compare different scenarios")
    check_size(options, scenarios, options.replicates)
    if options.draw_guesses and not any(guesses_in_use(scenario) for scenario in scenarios):
        raise UsageError("--draw-guesses: no scenario given declares a guess in use ([guesses])")
    texts = {scenario.name: resolved_toml(scenario) for scenario in scenarios}
    definition = {
        "kind": "compare",
        "scenarios": names,
        # The resolved text, not the name: an edited scenario file is another experiment.
        "resolved": {name: text_fingerprint(text) for name, text in texts.items()},
        "replicates": options.replicates,
        "seed": options.seed,
    }
    if options.draw_guesses:  # only then: the definitions of earlier experiments stay valid
        definition["draw_guesses"] = True
    statistics = summary_statistics(options, scenarios)
    specs = replicate_specs(scenarios, options.replicates, options.seed, options.draw_guesses)
    out = default_out("compare", names, options.overrides)
    store = open_experiment(options, definition, out=out, scenarios=texts)
    was_complete = store.status == COMPLETE
    kept, ran = run_experiment(options, store, specs)
    if kept:
        print(f"{store.directory}: {kept} of {len(specs)} runs already finished; ran {ran}")
    missing = missing_outputs(store.directory, scenarios)
    # Dates or windows asked of a finished experiment are new tables: they are written too.
    chosen = statistics != summary.STATISTICS
    if was_complete and ran == 0 and not missing and not chosen:
        print(f"{store.directory} is complete; nothing to do")
        table, contrasts = summarise_runs(store.load(), statistics)
    else:
        if was_complete and ran == 0:
            print(f"{store.directory} is complete; rebuilding {', '.join(missing) or 'tables'}")
        table, contrasts = write_results(options, store, scenarios)
    print_tables(table, contrasts)
    print_who_leads(leaders_table(store.load(), scenarios, statistics))
    return OK


def summarise_runs(
    runs: pd.DataFrame, statistics: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The summary and the paired differences of a comparison's runs, by ``statistics``."""
    from simulation.reporting import summary

    outcomes = summary.main_outcomes(runs)
    return (
        summary.summarise(runs, outcomes, statistics=statistics),
        summary.differences(runs, outcomes, statistics=statistics),
    )


def band_figures(scenarios: Sequence[Scenario]) -> tuple[str, ...]:
    """The outcomes drawn over time.

    The congress votes' too when a scenario holds congresses, the world's when one has the world
    layer on.
    """
    congresses = any(event.kind == "congress" for s in scenarios for event in s.events)
    world = any(world_on(scenario) for scenario in scenarios)
    return (
        BAND_FIGURES
        + (CONGRESS_BAND_FIGURES if congresses else ())
        + (WORLD_BAND_FIGURES if world else ())
    )


def world_on(scenario: Scenario) -> bool:
    """Whether a scenario has the world layer on."""
    return scenario.world is not None and scenario.world.enabled


def map_names(scenarios: Sequence[Scenario]) -> dict[str, str]:
    """Scenario -> the file of its map of the world (scenarios with the world layer on)."""
    from simulation.output.names import safe_name

    return {s.name: f"figures/world_map_{safe_name(s.name)}.png" for s in scenarios if world_on(s)}


def output_names(scenarios: Sequence[Scenario]) -> list[str]:
    """The files a finished comparison holds besides its runs, relative to its folder."""
    from simulation.output.names import safe_name
    from simulation.reporting.who_leads import WHO_LEADS_FILE

    return [
        *OUTPUTS,
        *([WHO_LEADS_FILE] if leaders_fought(scenarios) else []),
        *(f"figures/{name}.png" for name in (*band_figures(scenarios), PURGES_FIGURE)),
        *map_names(scenarios).values(),
        *(f"scenarios/{safe_name(scenario.name)}.toml" for scenario in scenarios),
    ]


def leaders_fought(scenarios: Sequence[Scenario]) -> bool:
    """Whether a comparison reports who leads: some scenario runs the leaders' layer."""
    return any(scenario.succession.enabled for scenario in scenarios)


def leaders_table(
    runs: pd.DataFrame, scenarios: Sequence[Scenario], statistics: Sequence[str]
) -> pd.DataFrame | None:
    """Who leads at the ``--at`` dates or the defaults (ODD 7.11); None without the layer."""
    from simulation.reporting.who_leads import who_leads, who_leads_dates

    if not leaders_fought(scenarios):
        return None
    return who_leads(runs, who_leads_dates(statistics))


def missing_outputs(directory: Path, scenarios: Sequence[Scenario]) -> list[str]:
    """The outputs of a comparison that its folder lacks (deleted, or never written)."""
    return [name for name in output_names(scenarios) if not (directory / name).is_file()]


def write_results(
    options: argparse.Namespace, store: ExperimentStore, scenarios: Sequence[Scenario]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write every output of a comparison from its stored runs; mark it complete.

    Used by the command and by ``politburo report``, so a rebuilt folder is the same.

    Returns:
        The summary and the paired differences.
    """
    runs = store.load()
    table, contrasts = summarise_runs(runs, summary_statistics(options, scenarios))
    write_outputs(options, store, scenarios, runs, table, contrasts)
    store.mark_complete(options.argv)
    print(f"wrote {store.directory}: {', '.join(OUTPUTS)}, figures/, scenarios/")
    return table, contrasts


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
    from simulation.output.names import safe_name
    from simulation.reporting import report, summary
    from simulation.reporting.world import has_world, world_summary

    out = store.directory
    folders.write_frame(runs, out / "runs.parquet", durable=True)
    folders.write_frame(table, out / "summary.csv")
    folders.write_frame(contrasts, out / "differences.csv")
    leaders = leaders_table(runs, scenarios, summary_statistics(options, scenarios))
    if leaders is not None:
        from simulation.reporting.who_leads import WHO_LEADS_FILE

        folders.write_frame(leaders, out / WHO_LEADS_FILE)
    for scenario in scenarios:
        folders.write_scenario(scenario, out / "scenarios" / f"{safe_name(scenario.name)}.toml")
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
            "draw_guesses": options.draw_guesses,
        },
    )
    provenance.write(record, out / "provenance.json", durable=True)
    drawn = draw_figures(runs, out, band_figures(scenarios))
    votes = summary.congress_votes(runs, report.congress_months(scenarios))
    world = world_summary(runs) if has_world(runs) else None
    maps = draw_maps(runs, out, scenarios)
    text = report.compare_report(
        scenarios,
        table,
        contrasts,
        drawn,
        options.replicates,
        options.seed,
        options.argv,
        simulation.__version__,
        votes,
        draw_guesses=options.draw_guesses,
        world=world,
        maps=maps,
        leaders=leaders,
    )
    report.write_reports(text, out, figures=[*drawn.values(), *maps.values()])


def draw_figures(
    runs: pd.DataFrame, out: Path, outcomes: Sequence[str] = BAND_FIGURES
) -> dict[str, str]:
    """Draw the comparison's figures into ``out/figures``; caption -> path in the report."""
    from simulation.reporting import figures

    drawn: dict[str, str] = {}
    for outcome in outcomes:
        path = figures.save(figures.band(runs, outcome), out / "figures" / f"{outcome}.png")
        drawn[figures.label(outcome)[0]] = f"figures/{path.name}"
    path = figures.save(figures.purges(runs), out / "figures" / f"{PURGES_FIGURE}.png")
    drawn["Purges since the start"] = f"figures/{path.name}"
    return drawn


def draw_maps(runs: pd.DataFrame, out: Path, scenarios: Sequence[Scenario]) -> dict[str, str]:
    """Draw each world scenario's first replicate's map at the dates the run holds.

    The map is that replicate's world replayed alone
    (:func:`~simulation.reporting.world.replay_world`): the replicate table holds the world's
    summary, not each country's state. Caption -> path in the report.
    """
    from simulation.reporting import figures
    from simulation.reporting.world import WORLD_DATES, replay_world
    from simulation.world.map import world_map_figure

    drawn: dict[str, str] = {}
    for scenario in scenarios:
        path = map_names([scenario]).get(scenario.name)
        if path is None:
            continue
        chosen = runs[runs["scenario"] == scenario.name]
        first = chosen.loc[chosen["replicate"] == chosen["replicate"].min()]
        seed = int(first["seed"].iloc[0])
        history = replay_world(scenario, seed, first)
        months = set(history["month"])
        dates = [date for date in WORLD_DATES if date in months]
        figures.save(world_map_figure(history, dates), out / path)
        drawn[f"The world of {scenario.name}, replicate {int(first['replicate'].iloc[0])}"] = path
    return drawn


def print_who_leads(leaders: pd.DataFrame | None) -> None:
    """Print who leads at each date: the share of replicates, with its Wilson interval."""
    from simulation.reporting.who_leads import who_leads_table

    if leaders is None or leaders.empty:
        return
    print("\nWho leads at the end of the month: share of replicates [95% Wilson interval]")
    print(who_leads_table(leaders).to_string())


def print_tables(table: pd.DataFrame, contrasts: pd.DataFrame) -> None:
    """Print the outcome tables and the differences from the first scenario.

    The final month (with what is still moving at the end), then any chosen dates and windows.
    """
    from simulation.reporting.report import statistic_title
    from simulation.reporting.summary import interval_table

    for statistic in dict.fromkeys(table["statistic"]):
        if statistic == "run_mean":
            continue  # in summary.csv and the report; the terminal shows dates
        words = statistic_title(statistic)
        print(f"\nOutcomes {words}: mean [95% interval] over replicates")
        print(interval_table(table, statistic).to_string())
        if len(contrasts) and statistic in set(contrasts["statistic"]):
            baseline = contrasts["baseline"].iloc[0]
            print(f"\nDifference from {baseline} (paired by seed), {words}")
            print(interval_table(contrasts, statistic).to_string())
