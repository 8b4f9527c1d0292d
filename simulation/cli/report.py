"""``politburo report DIR``: rebuild the tables, figures and report of a finished result.

Every result folder keeps what it was made from: an experiment (``compare``, ``sweep``,
``sensitivity``) its runs under ``runs/``, its manifest (definition, resolved scenarios, the
command line its outputs follow); a ``run`` folder its ``outcomes.parquet``, ``scenario.toml``
and ``provenance.json``; a ``history`` folder its ``runs.parquet``. From those, this command
writes everything else again through the same functions the commands use, without running a
model, so a folder whose ``report.md``, ``figures/`` or tables were deleted is made whole, with
the same tables byte for byte.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulation.cli import compare, sensitivity, sweep
from simulation.cli.common import OK, Parser, UsageError
from simulation.output.folders import OutputError

if TYPE_CHECKING:
    from simulation.experiment.store import ExperimentStore
    from simulation.scenario import Scenario

#: The experiment commands whose folders hold a manifest, and their modules.
EXPERIMENTS = {"compare": compare, "sweep": sweep, "sensitivity": sensitivity}
#: The commands whose folders hold a provenance file and their own stored runs.
RESULTS = ("run", "history")


def add_parser(commands: Any) -> None:
    """Add ``politburo report`` to the main parser's subparsers."""
    report = commands.add_parser(
        "report",
        help="rebuild the tables, figures and report of a finished result folder",
        description="Rebuild the tables, figures and report of a finished run, comparison, "
        "sweep, sensitivity analysis or history scorecard from the runs stored in its folder, "
        "without running the model again.",
    )
    report.add_argument("directory", type=Path, metavar="DIR", help="the result folder")


def command(options: argparse.Namespace) -> int:
    """Run ``politburo report``; return the exit code."""
    kind = rebuild(options.directory)
    print(f"rebuilt {options.directory} ({kind})")
    return OK


def rebuild(directory: str | Path) -> str:
    """Rebuild the outputs of a finished result folder from what it stores.

    Args:
        directory: A folder written by ``run``, ``compare``, ``sweep``, ``sensitivity`` or
            ``history``.

    Returns:
        The command that made the folder.

    Raises:
        OutputError: If the folder holds no politburo result, or an unfinished experiment.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder; give a result folder of politburo")
    manifest = _read_json(folder / "manifest.json")
    if manifest is not None:
        kind = str((manifest.get("definition") or {}).get("kind", ""))
        if kind not in EXPERIMENTS:
            raise OutputError(f"{folder}/manifest.json: unknown experiment kind {kind!r}")
        _rebuild_experiment(folder, manifest, kind)
        return kind
    record = _read_json(folder / "provenance.json") or {}
    made = list(record.get("command") or [])
    made_by = str(made[1]) if len(made) > 1 and record.get("package") == "politburo" else None
    if made_by is None:
        raise OutputError(
            f"{folder} holds no politburo result to rebuild (no manifest.json or provenance.json)"
        )
    if made_by not in RESULTS:
        raise OutputError(f"{folder}: a {made_by!r} result cannot be rebuilt")
    if made_by == "run":
        _rebuild_run(folder, _recorded(record, "seed", folder))
    else:
        _rebuild_history(folder, _recorded(record, "replicates", folder))
    return made_by


def _recorded(record: Mapping[str, Any], key: str, folder: Path) -> int:
    """A whole number the provenance file records."""
    value = record.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise OutputError(f"{folder}/provenance.json records no {key}; run the command again")
    return value


def _read_json(path: Path) -> dict[str, Any] | None:
    """A JSON object from a file, ``None`` if there is none; a one-line error if unreadable."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise OutputError(f"{path} cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise OutputError(f"{path} is not a politburo record (not a JSON object)")
    return data


def stored_scenario(text: str, source: str) -> Scenario:
    """A scenario from resolved TOML kept in a result (a manifest's, a ``scenario.toml``).

    Raises:
        ScenarioError: If the text is not a valid scenario.
    """
    from simulation.scenario import ScenarioError
    from simulation.scenario.loader import validate

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(source, "", f"not valid TOML: {error}") from None
    return validate(data, {}, source)


def recorded_command(manifest: Mapping[str, Any], kind: str, folder: Path) -> list[str]:
    """The command line whose options a finished experiment's outputs follow.

    The manifest's ``report_command``; for a folder written before it was kept, the last
    command of the same kind that wrote into the folder.
    """
    from simulation.experiment.store import REPORT_COMMAND

    candidates = [manifest.get(REPORT_COMMAND)]
    candidates += [session.get("command") for session in reversed(manifest.get("sessions") or [])]
    for command in candidates:
        if isinstance(command, list) and len(command) > 1 and command[1] == kind:
            return [str(part) for part in command]
    raise OutputError(f"{folder}: no {kind} command is recorded; run the command again instead")


def parse_recorded(command: Sequence[str], folder: Path) -> argparse.Namespace:
    """The options of a recorded experiment command, writing into ``folder``."""
    parser = Parser(prog="politburo")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in EXPERIMENTS.values():
        module.add_parser(commands)
    try:
        options = parser.parse_args(list(command[1:]))
    except UsageError as error:
        raise OutputError(f"{folder}: the recorded command cannot be read ({error})") from None
    options.argv = list(command)
    options.out = folder
    return options


def _finished_store(folder: Path, manifest: dict[str, Any]) -> ExperimentStore:
    """The experiment's store, refused unless every planned run has finished."""
    from simulation.experiment.store import ExperimentStore

    store = ExperimentStore(folder, manifest)
    planned = store.specs_order()
    missing = store.unfinished()
    if not planned or missing:
        raise OutputError(
            f"{folder} is not finished ({len(planned) - len(missing)} of {len(planned)} runs); "
            "run the command that made it again to finish it"
        )
    return store


def _rebuild_experiment(folder: Path, manifest: dict[str, Any], kind: str) -> None:
    store = _finished_store(folder, manifest)
    options = parse_recorded(recorded_command(manifest, kind, folder), folder)
    definition = manifest["definition"]
    texts = manifest.get("scenarios") or {}
    if not texts:
        raise OutputError(f"{folder}/manifest.json keeps no resolved scenario")
    source = f"{folder / 'manifest.json'}"
    if kind == "compare":
        scenarios = [stored_scenario(texts[name], source) for name in definition["scenarios"]]
        compare.print_tables(*compare.write_results(options, store, scenarios))
        return
    # A design's points change only swept values: any point's scenario has its name and period.
    scenario = stored_scenario(next(iter(texts.values())), source)
    if kind == "sweep":
        sweep.write_results(options, store, scenario, definition["design"], definition["points"])
    else:
        sensitivity.write_results(
            options, store, scenario, sensitivity.plan_design(options, scenario)
        )


def _rebuild_run(folder: Path, seed: int) -> None:
    import pandas as pd

    from simulation.cli.run import draw_overview
    from simulation.output.folders import write_table

    outcomes = pd.read_parquet(folder / "outcomes.parquet", engine="pyarrow")
    scenario = stored_scenario(_read_text(folder / "scenario.toml"), str(folder / "scenario.toml"))
    write_table(outcomes, folder, "outcomes", formats=("csv",))
    draw_overview(outcomes, scenario, seed, folder)
    print(f"wrote {folder}: outcomes.csv, figures/overview.png")


def _rebuild_history(folder: Path, replicates: int) -> None:
    import pandas as pd

    from simulation.cli.history import write_scorecard
    from simulation.history import scorecard

    runs = pd.read_parquet(folder / "runs.parquet", engine="pyarrow")
    scenario = stored_scenario(_read_text(folder / "scenario.toml"), str(folder / "scenario.toml"))
    card = scorecard.scorecard(
        scorecard.run_values(runs, scenario.population.size), outcomes=runs.columns
    )
    write_scorecard(card, runs, scenario, replicates, folder)
    print(f"wrote {folder}: scorecard.csv, scorecard.md, figures/membership.png")
    print(scorecard.final_line(card))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OutputError(f"{path} cannot be read: {error}") from None
