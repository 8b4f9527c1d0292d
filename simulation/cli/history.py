"""The ``politburo history`` command: a scenario's runs set against the historical record.

``politburo history [SCENARIO]`` runs replicates of a scenario (``historical`` by default)
through :func:`simulation.experiment.runs.run_replicates`, prints the scorecard of
:mod:`simulation.history.scorecard`, writes it with the membership figure into a result
directory, and ends with ``N of M targets within tolerance``, how many of the met targets the
scenario was not fitted to, and which were not measured. On a scenario with the succession
layer (``historical`` itself, not ``historical_fixed``) the card also scores the record's
sequence of the succession (:mod:`simulation.history.sequence`), and on one with the world layer
(``politburo history historical_world``) the world's record
(:mod:`simulation.history.world_targets`); on others those rows are not measured.
``--calibrate`` reruns the calibration of :mod:`simulation.history.calibrate` instead and
prints the fitted values; with it, ``--size``, ``--replicates`` (seeds per evaluation),
``--seed`` and ``--workers`` default to the calibration's own settings (3,000 members, 3 seeds,
seed 2024, 2 workers), not the scorecard's.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulation.cli.common import check_size, default_out
from simulation.cli.options import (
    DEFAULT_SEED,
    add_all_problems_option,
    add_allow_large_option,
    add_output_options,
    add_replicates_option,
    add_seed_option,
    whole_number,
)
from simulation.output.folders import OutputError

if TYPE_CHECKING:
    import pandas as pd

    from simulation.scenario import Scenario

#: Replicates of the scorecard.
REPLICATES = 10
#: The months every target needs (the initial party is the party of January 1924).
FIRST, LAST = "1924-01", "1956-02"


def add_parser(commands: Any) -> None:
    """Add ``politburo history`` to the main parser's subparsers."""
    history = commands.add_parser(
        "history",
        help="set a scenario's runs against the historical record (scorecard and figure)",
        description="Run replicates of a scenario and compare them with the party's recorded "
        "membership, purges, terror and releases (data/history.csv) and, on a scenario with "
        "the succession fought, the succession's sequence, and on one with the world layer, "
        "the world's record (1923 to 1948). Prints a scorecard and "
        "ends with 'N of M targets within tolerance', how many of them were not fitted, and "
        "which targets were not measured.",
    )
    history.add_argument(
        "scenario",
        nargs="?",
        default="historical",
        metavar="SCENARIO",
        help="scenario name or TOML file (default historical)",
    )
    add_replicates_option(history, REPLICATES, "replicates (with --calibrate: seeds per step)")
    add_seed_option(history, "experiment seed; replicate seeds derive from it")
    history.add_argument(
        "--size",
        type=whole_number(100),
        metavar="N",
        help="initial party size (default: the scenario's; 20,000 for the shipped ones)",
    )
    history.add_argument(
        "--workers", type=whole_number(1), default=1, metavar="N", help="processes (default 1)"
    )
    add_output_options(history, "results/history-NAME")
    add_allow_large_option(history)
    add_all_problems_option(history)
    history.add_argument(
        "--calibrate",
        action="store_true",
        help="rerun the calibration of the historical scenario and print the fitted values",
    )
    # None: not given on the command line, so that --calibrate keeps the calibration's own
    # defaults while a scorecard uses these (an abbreviated flag counts as given).
    history.set_defaults(replicates=None, seed=None, workers=None)


#: Defaults of the scorecard run when an option is not given.
SCORECARD_DEFAULTS = {"replicates": REPLICATES, "seed": DEFAULT_SEED, "workers": 1}


def command(options: argparse.Namespace) -> int:
    """Run ``politburo history``; return the exit code (0)."""
    if options.calibrate:
        return _calibrate(options)
    options = _with_defaults(options, SCORECARD_DEFAULTS)
    from rich.console import Console
    from rich.table import Table

    from simulation.experiment.runs import run_replicates
    from simulation.history import scorecard
    from simulation.output import folders, provenance
    from simulation.scenario import load_scenario

    changes = {} if options.size is None else {"population.size": options.size}
    scenario = load_scenario(options.scenario, changes)
    if scenario.start != FIRST or scenario.end < LAST:
        raise OutputError(
            f"scenario {scenario.name!r} runs {scenario.start} to {scenario.end}; the "
            f"historical targets need {FIRST} to at least {LAST}"
        )
    check_size(options, [scenario], options.replicates)
    size = scenario.population.size
    out = options.out or default_out("history", [scenario.name])
    folders.check_directory(out, options.force)
    runs = run_replicates([scenario], options.replicates, options.seed, options.workers)
    card = scorecard.scorecard(scorecard.run_values(runs, size), outcomes=runs.columns)

    table = Table(
        title=f"{scenario.name} against the record: {options.replicates} replicates, "
        f"{size:,} members, seed {options.seed}",
        show_lines=False,
    )
    for heading in scorecard.HEADINGS:
        table.add_column(heading, overflow="fold")
    for cells in scorecard.display_rows(card):
        table.add_row(*cells)
    Console(width=max(Console().width, 120)).print(table)

    with folders.result_directory(out, options.force) as staging:
        # The runs themselves, so that the card and the figure can be rebuilt without rerunning.
        folders.write_frame(runs, staging / "runs.parquet")
        folders.write_scenario(scenario, staging / "scenario.toml")
        record = provenance.collect(
            seeds={"seed": options.seed},
            argv=options.argv,
            extra={"scenario": scenario.name, "replicates": options.replicates, "size": size},
        )
        provenance.write(record, staging / "provenance.json")
        write_scorecard(card, runs, scenario, options.replicates, staging)
    print(
        f"wrote {out}: scorecard.csv, scorecard.md, runs.parquet, scenario.toml, "
        "provenance.json, figures/"
    )
    print(scorecard.final_line(card))
    return 0


def write_scorecard(
    card: pd.DataFrame, runs: pd.DataFrame, scenario: Scenario, replicates: int, folder: Path
) -> None:
    """Write the scorecard (CSV and Markdown) and the membership figure into a result folder.

    Used by the command and by ``politburo report``, so a rebuilt folder is the same.
    """
    from simulation.history import scorecard
    from simulation.history.figure import historical_membership, membership
    from simulation.output import atomic, folders
    from simulation.reporting import figures

    size = scenario.population.size
    folders.write_frame(card, folder / "scorecard.csv")
    atomic.write_text(folder / "scorecard.md", scorecard.markdown(card))
    title = (
        f"{scenario.name}: membership against the record\n"
        f"{replicates} replicates of {size:,} members, scaled to real members"
    )
    figure = membership(runs, size, historical_membership(), title)
    figures.save(figure, folder / "figures" / "membership.png")


def _calibrate(options: argparse.Namespace) -> int:
    """Rerun the calibration; options not given keep the calibration's own defaults."""
    from simulation.history import calibrate

    # The rates sit in historical.toml's timeline and are fitted on its fixed-leader run.
    if options.scenario not in ("historical", calibrate.SCENARIO):
        raise OutputError(
            f"--calibrate fits the rates of 'historical' on the {calibrate.SCENARIO!r} run only"
        )
    options = _with_defaults(
        options,
        {"replicates": calibrate.SEEDS, "seed": calibrate.SEED, "workers": calibrate.WORKERS},
    )
    started = time.perf_counter()
    values, fitted = calibrate.fit(
        size=options.size or calibrate.SIZE,
        seeds=options.replicates,
        workers=options.workers,
        seed=options.seed,
    )
    print(calibrate.report(values, fitted, time.perf_counter() - started))
    return 0


def _with_defaults(options: argparse.Namespace, defaults: dict[str, Any]) -> argparse.Namespace:
    """``options`` with each option not given (None) set to its default."""
    filled = vars(options) | {
        name: value for name, value in defaults.items() if getattr(options, name) is None
    }
    return argparse.Namespace(**filled)
