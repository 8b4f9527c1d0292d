"""The ``politburo`` command line: a thin layer over the Python API.

Every command is a small function over :mod:`simulation.experiment.runs`,
:mod:`simulation.reporting.summary`, :mod:`simulation.reporting.figures`,
:mod:`simulation.reporting.report` and :mod:`simulation.output.folders`. A user's mistake
(a bad scenario or ``--set``, a bad number, an existing output directory) is reported as one
line, ``politburo: error: ...``, with exit code 2, never as a traceback. :func:`main` returns
the exit code instead of exiting, so it can be called in-process (tests, notebooks).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import simulation
from simulation.cli.experiments import (
    add_sensitivity_parser,
    add_sweep_parser,
    command_sensitivity,
    command_sweep,
)
from simulation.cli.history import add_history_parser, command_history
from simulation.cli.options import (
    add_experiment_options,
    add_replicates_option,
    add_seed_option,
)
from simulation.dashboard.server import add_dashboard_parser
from simulation.output import folders as output
from simulation.output.folders import OutputError
from simulation.scenario import ScenarioError, list_scenarios, load_scenario, resolved_toml

if TYPE_CHECKING:
    import pandas as pd

    from simulation.experiment.store import ExperimentStore
    from simulation.scenario import Scenario

# The modules that run, summarise and draw (Mesa, SciPy, Matplotlib) are imported inside the
# commands that need them, so that `politburo scenarios`, `show` and `--version` answer at once.

#: Exit codes.
OK, INVALID, USAGE = 0, 1, 2
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


class UsageError(Exception):
    """A mistake on the command line, reported as one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        """Raise the parser's complaint as a :class:`UsageError`."""
        raise UsageError(message)


def _slug(text: str) -> str:
    """Make a scenario name safe in a directory name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "scenario"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = _Parser(
        prog="politburo",
        description="Run and compare scenarios of a ruling party's dissent and repression.",
    )
    parser.add_argument(
        "--version", action="version", version=f"politburo {simulation.__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def overrides(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="override a scenario value, e.g. --set policy.tolerance=0.4 (repeatable)",
        )

    def writing(sub: argparse.ArgumentParser, default: str) -> None:
        sub.add_argument(
            "--out", type=Path, metavar="DIR", help=f"result directory (default {default})"
        )
        sub.add_argument(
            "--force", action="store_true", help="replace an existing result directory"
        )

    run = commands.add_parser("run", help="run one scenario once and write its outcomes")
    run.add_argument("scenario", metavar="SCENARIO", help="scenario name or TOML file")
    add_seed_option(run, "seed of every random stream")
    overrides(run)
    writing(run, "results/run-SCENARIO-seedN")
    run.add_argument(
        "--members-out",
        type=Path,
        metavar="FILE",
        help="also write every member's final state (.csv or .parquet)",
    )
    _progress_option(run)

    compare = commands.add_parser(
        "compare", help="run scenarios over replicate seeds and compare them"
    )
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="names or TOML files")
    add_replicates_option(compare, DEFAULT_REPLICATES, "replicates per scenario")
    add_seed_option(compare, "experiment seed; replicate seeds derive from it")
    overrides(compare)
    add_experiment_options(compare, "results/compare-A-B-...")
    add_sweep_parser(commands, add_experiment_options, overrides)
    add_sensitivity_parser(commands, add_experiment_options, overrides)

    commands.add_parser("scenarios", help="list the shipped scenarios")

    show = commands.add_parser("show", help="print a scenario with every default explicit")
    show.add_argument("scenario", metavar="SCENARIO", help="scenario name or TOML file")
    overrides(show)

    validate = commands.add_parser("validate", help="check scenario files")
    validate.add_argument("files", nargs="+", metavar="FILE", help="scenario files")

    science = commands.add_parser(
        "validate-science", help="check the model against published results"
    )
    science.add_argument(
        "names", nargs="*", metavar="NAME", help="published results to check (default: all)"
    )
    science.add_argument(
        "--quick", action="store_true", help="fewer seeds and conditions: a first look"
    )
    add_seed_option(science, "seed of the checks")
    science.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write each result's figure (NAME.png) and results.md into DIR",
    )
    add_dashboard_parser(commands)
    add_history_parser(commands)
    return parser


def _progress_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw a progress bar (default: when stderr is a terminal)",
    )


def _progress_setting(flag: bool | None) -> bool | str:
    return {None: True, True: "always", False: False}[flag]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``politburo`` command.

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns:
        The exit code: 0 on success, 1 when ``validate`` finds an invalid file, 2 on a user's
        mistake.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    options: argparse.Namespace | None = None
    try:
        options = build_parser().parse_args(arguments)
        options.argv = ["politburo", *arguments]
        return COMMANDS[options.command](options)
    except SystemExit as done:  # --help and --version exit through argparse
        return done.code if isinstance(done.code, int) else OK
    except (UsageError, ScenarioError, OutputError) as error:
        return _fail(str(error))
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{error.strerror or error}")
    except KeyboardInterrupt:
        kept = getattr(options, "experiment_directory", None)
        if kept is None:
            print("politburo: interrupted; nothing was written", file=sys.stderr)
        else:
            print(
                f"politburo: interrupted; finished runs are kept in {kept}: "
                "run the same command again (or add --resume) to finish",
                file=sys.stderr,
            )
        return 130


def _fail(message: str) -> int:
    print(f"politburo: error: {' '.join(message.split())}", file=sys.stderr)
    return USAGE


# ---------------------------------------------------------------------------- commands
def command_run(options: argparse.Namespace) -> int:
    """``politburo run``: one run, its outcomes, scenario, provenance and figures."""
    from simulation.experiment.runs import run_scenario
    from simulation.output import provenance
    from simulation.reporting import figures as plots

    scenario = load_scenario(options.scenario, options.overrides)
    out = options.out or Path("results") / f"run-{_slug(scenario.name)}-seed{options.seed}"
    output.check_directory(out, options.force)
    if options.members_out is not None:
        output.check_file(options.members_out, options.force)
    with output.result_directory(out, options.force) as staging:
        result = run_scenario(
            scenario,
            options.seed,
            keep_members=options.members_out is not None,
            progress=_progress_setting(options.progress),
        )
        written = output.write_table(result.outcomes, staging, "outcomes")
        written.append(output.write_scenario(scenario, staging / "scenario.toml"))
        record = provenance.collect(
            seeds={"seed": result.seed},
            argv=options.argv,
            extra={"scenario": scenario.name, "months": scenario.months},
        )
        written.append(provenance.write(record, staging / "provenance.json"))
        title = f"{scenario.name}, seed {result.seed}: {scenario.start} to {scenario.end}"
        written.append(
            plots.run_panel(result.outcomes, staging / "figures" / "overview.png", title)
        )
    if result.members is not None:
        output.write_frame(result.members, options.members_out)
    names = ", ".join(path.relative_to(staging).as_posix() for path in written)
    print(f"wrote {out}: {names}")
    if options.members_out is not None:
        print(f"wrote {options.members_out}: {len(result.members):,} members")
    print(_headline(result.outcomes))
    return OK


def _headline(outcomes: pd.DataFrame) -> str:
    """A few numbers of one run: the final month and means over the run."""
    last = outcomes.iloc[-1]
    purges = (
        f"{int(last['expelled_total']):,} expelled, {int(last['imprisoned_total']):,} imprisoned, "
        f"{int(last['executed_total']):,} executed"
    )
    innocent = last["innocent_share_total"]
    innocent_text = "no one punished" if innocent != innocent else f"{innocent:.1%} innocent"
    return "\n".join(
        [
            f"  {last['month']}: {int(last['members_active']):,} active members; "
            f"purged since start: {purges} ({innocent_text})",
            f"  means over the run: openness {outcomes['openness'].mean():.3f}, "
            f"falsification {outcomes['falsification'].mean():.3f}, "
            f"fear {outcomes['fear'].mean():.3f}, "
            f"policy error {outcomes['policy_error'].mean():.3f}",
        ]
    )


def command_compare(options: argparse.Namespace) -> int:
    """``politburo compare``: replicates of several scenarios, summary, report, figures.

    The runs are stored one by one in the experiment directory (resumable); the summarising
    outputs are written at the end, and the manifest says "complete" only after them.
    """
    from simulation.cli.options import open_experiment, run_experiment
    from simulation.experiment.runs import replicate_specs
    from simulation.experiment.store import COMPLETE
    from simulation.reporting import summary

    scenarios = [load_scenario(name, options.overrides) for name in options.scenarios]
    names = [s.name for s in scenarios]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(f"scenario {repeated[0]!r} is given twice; compare different scenarios")
    slug = "-".join(_slug(name) for name in names)
    texts = {scenario.name: resolved_toml(scenario) for scenario in scenarios}
    definition = {
        "kind": "compare",
        "scenarios": names,
        # The resolved text, not the name: an edited scenario file is another experiment.
        "resolved": {name: _fingerprint(text) for name, text in texts.items()},
        "replicates": options.replicates,
        "seed": options.seed,
    }
    specs = replicate_specs(scenarios, options.replicates, options.seed)
    store = open_experiment(
        options, definition, out=Path("results") / f"compare-{slug}", scenarios=texts
    )
    options.experiment_directory = store.directory
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
        _write_compare_outputs(options, store, scenarios, runs, table, contrasts)
        store.mark_complete()
        print(
            f"wrote {out}: runs.parquet, summary.csv, differences.csv, report.md, report.html, "
            "figures/"
        )
    _print_tables(table, contrasts)
    return OK


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _write_compare_outputs(
    options: argparse.Namespace,
    store: ExperimentStore,
    scenarios: Sequence[Scenario],
    runs: pd.DataFrame,
    table: pd.DataFrame,
    contrasts: pd.DataFrame,
) -> None:
    """Write the summarising outputs of a comparison, each file atomically."""
    from simulation.experiment.store import atomic_write_parquet, atomic_write_text
    from simulation.model.rng import replicate_seeds
    from simulation.output import provenance
    from simulation.reporting import report

    out = store.directory
    atomic_write_parquet(runs, out / "runs.parquet")
    output.write_frame(table, out / "summary.csv")
    output.write_frame(contrasts, out / "differences.csv")
    for scenario in scenarios:
        atomic_write_text(out / "scenarios" / f"{scenario.name}.toml", resolved_toml(scenario))
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
    atomic_write_text(out / "provenance.json", json.dumps(record, indent=2, default=str) + "\n")
    figures = _compare_figures_atomic(runs, out)
    text = report.compare_report(
        scenarios,
        table,
        contrasts,
        figures,
        options.replicates,
        options.seed,
        options.argv,
        simulation.__version__,
    )
    report.write_reports(text, out)


def _compare_figures_atomic(runs: pd.DataFrame, out: Path) -> dict[str, str]:
    """Draw the figures in a hidden folder, then move each file into ``figures/``."""
    staging = out / f".figures.partial-{uuid.uuid4().hex[:12]}"
    try:
        figures = _compare_figures(runs, staging)
        final = out / "figures"
        final.mkdir(exist_ok=True)
        for path in sorted(staging.iterdir()):
            # A rename within one file system replaces the old figure in one step.
            os.replace(path, final / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return figures


def _compare_figures(runs: pd.DataFrame, folder: Path) -> dict[str, str]:
    """Draw the comparison figures; return caption -> path relative to the report."""
    from simulation.reporting import figures as plots

    figures: dict[str, str] = {}
    for outcome in BAND_FIGURES:
        path = plots.band_figure(runs, outcome, folder / f"{outcome}.png")
        figures[plots.label(outcome)[0]] = f"figures/{path.name}"
    path = plots.purges_figure(runs, folder / "purges_cumulative.png")
    figures["Purges since the start"] = f"figures/{path.name}"
    return figures


def _print_tables(table: pd.DataFrame, contrasts: pd.DataFrame) -> None:
    from simulation.reporting.summary import interval_table

    print("\nFinal month: mean [95% interval] over replicates")
    print(interval_table(table, "final").to_string())
    if len(contrasts):
        baseline = contrasts["baseline"].iloc[0]
        print(f"\nDifference from {baseline} (paired by seed), final month")
        print(interval_table(contrasts, "final").to_string())


def command_scenarios(options: argparse.Namespace) -> int:
    """``politburo scenarios``: shipped and local scenarios with their descriptions."""
    found = list_scenarios()
    width = max((len(name) for name, _, _ in found), default=0)
    for name, description, _ in found:
        print(f"{name:<{width}}  {description}")
    return OK


def command_show(options: argparse.Namespace) -> int:
    """``politburo show``: the resolved scenario as TOML."""
    scenario = load_scenario(options.scenario, options.overrides)
    sys.stdout.write(resolved_toml(scenario))
    return OK


def command_validate(options: argparse.Namespace) -> int:
    """``politburo validate``: "ok" or the one-line error per file; 1 if any is invalid."""
    code = OK
    for name in options.files:
        try:
            load_scenario(name)
        except ScenarioError as error:
            print(error)
            code = INVALID
        else:
            print(f"{name}: ok")
    return code


def command_validate_science(options: argparse.Namespace) -> int:
    """``politburo validate-science``: published results, a table, optional figures.

    Returns 1 if any result the model can express fails, else 0.
    """
    from rich.console import Console
    from rich.table import Table

    from simulation.validation import Verdict, run_checks
    from simulation.validation.figures import markdown, write_figure
    from simulation.validation.registry import names

    allowed = names()
    unknown = [name for name in options.names if name not in allowed]
    if unknown:
        raise UsageError(f"unknown published result {unknown[0]!r}; allowed: {', '.join(allowed)}")
    findings = run_checks(options.names or None, quick=options.quick, seed=options.seed)
    table = Table(title="Published results", show_lines=True)
    for column in ("result", "paper", "verdict", "the model's numbers"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        table.add_row(finding.name, finding.source, finding.verdict.value, finding.summary)
    Console(width=max(Console().width, 120)).print(table)
    if options.out is not None:
        options.out.mkdir(parents=True, exist_ok=True)
        written = [write_figure(finding, options.out) for finding in findings]
        report = "\n".join(markdown(finding) for finding in findings)
        from simulation.output.atomic import replace_atomically

        replace_atomically(
            options.out / "results.md", lambda path: path.write_text(report, encoding="utf-8")
        )
        files = [path.name for path in written if path is not None] + ["results.md"]
        print(f"wrote {options.out}: {', '.join(files)}")
    reproduced = sum(finding.reproduced for finding in findings)
    print(f"{reproduced} of {len(findings)} published results reproduced")
    return INVALID if any(f.verdict is Verdict.FAILED for f in findings) else OK


def command_dashboard(options: argparse.Namespace) -> int:
    """``politburo dashboard``: serve the dashboard, or install its front-end files."""
    from simulation.dashboard.assets import AssetError
    from simulation.dashboard.server import DashboardError
    from simulation.dashboard.server import command_dashboard as serve
    from simulation.dashboard.settings import SettingsError

    try:
        return serve(options)
    except (DashboardError, AssetError, SettingsError) as error:
        raise UsageError(str(error)) from None


COMMANDS = {
    "run": command_run,
    "compare": command_compare,
    "scenarios": command_scenarios,
    "show": command_show,
    "validate": command_validate,
    "validate-science": command_validate_science,
    "sweep": command_sweep,
    "sensitivity": command_sensitivity,
    "dashboard": command_dashboard,
    "history": command_history,
}
