"""The results store of one experiment directory: a manifest and one Parquet file per run.

Layout of an experiment directory::

    DIR/manifest.json          definition, its hash, every run, resolved scenarios, provenance,
                               status ("running" or "complete"), created and updated times, and
                               the command line the finished outputs follow (report_command)
    DIR/runs/<run key>.parquet one file per finished run, in the tidy layout of
                               :mod:`simulation.experiment.spec`

Every file is written to a temporary sibling, flushed to disk and renamed into place, so a file
that has its final name is complete: an experiment killed at any moment loses at most the runs
in flight, and resuming it skips every run whose file exists. Temporary files left by a kill
start with a dot and are removed when the directory is opened again.

A directory belongs to one experiment definition: opening it with another definition is refused
(:class:`StoreError`) unless the caller forces it, which clears the directory first.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.experiment.errors import ExperimentError
from simulation.experiment.spec import RunSpec, definition_hash
from simulation.output import atomic, provenance
from simulation.output.folders import check_replaceable, holds_result, write_frame
from simulation.scenario import resolved_toml
from simulation.scenario.calendar import with_month_periods

MANIFEST = "manifest.json"
RUNS = "runs"
RUNNING, COMPLETE = "running", "complete"
#: The manifest's record of the command line the outputs (tables, figures, report) follow.
REPORT_COMMAND = "report_command"
#: Marks a temporary file; such files are never read and are removed on opening.
PARTIAL = atomic.PARTIAL


class StoreError(ExperimentError):
    """An experiment directory cannot be used as asked (reported as one line, exit code 2)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_record(spec: RunSpec) -> dict[str, Any]:
    """What the manifest says about one run."""
    return {
        "key": spec.key,
        "scenario": spec.scenario.name,
        "point": spec.point,
        "replicate": spec.replicate,
        "seed": spec.seed,
        "parameters": dict(spec.parameters),
    }


def scenario_texts(specs: Sequence[RunSpec]) -> dict[str, str]:
    """Resolved TOML of the scenarios of some runs, keyed by scenario name.

    A scenario whose design points change its values has one text per point; those are keyed
    ``NAME-pPOINT`` so that every text is kept.
    """
    texts: dict[tuple[str, int], str] = {}
    for spec in specs:
        texts.setdefault((spec.scenario.name, spec.point), resolved_toml(spec.scenario))
    by_name: dict[str, set[str]] = {}
    for (name, _), text in texts.items():
        by_name.setdefault(name, set()).add(text)
    named: dict[str, str] = {}
    for (name, point), text in texts.items():
        if len(by_name[name]) == 1:
            named.setdefault(name, text)
        else:
            named[f"{name}-p{point:05d}"] = text
    return named


class ExperimentStore:
    """The results of one experiment, in one directory.

    Use :meth:`open`; the constructor only wraps an already checked directory.

    Attributes:
        directory: The experiment directory.
        manifest: The manifest as last written.
    """

    def __init__(self, directory: Path, manifest: dict[str, Any]) -> None:
        self.directory = directory
        self.manifest = manifest

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        directory: str | Path,
        definition: Mapping[str, Any],
        *,
        force: bool = False,
        resume: bool = False,
        argv: Sequence[str] | None = None,
        scenarios: Mapping[str, str] | None = None,
    ) -> ExperimentStore:
        """Open an experiment directory for a definition, creating it if needed.

        Args:
            directory: The experiment directory.
            definition: The experiment definition (JSON-able: kind, scenarios, design,
                replicates, seed, ...). Only what changes the results belongs here, not how they
                are computed (executor, workers), so that an experiment can be resumed with
                other workers.
            force: Clear a directory that holds another politburo result instead of refusing
                it (a directory of other files is refused even so).
            resume: Insist that the directory already holds this experiment.
            argv: The command line, recorded in the provenance; ``sys.argv`` by default.
            scenarios: Resolved scenarios as TOML text by name, recorded in the manifest
                (otherwise they are taken from the runs in :meth:`plan`).

        Returns:
            The store; finished runs of the same definition are kept.

        Raises:
            StoreError: If the directory is a file, holds another experiment or other files
                (without ``force``), or ``resume`` is asked and there is nothing to resume.
            OutputError: If ``force`` is asked for a directory of files that are not a
                politburo result.
        """
        target = Path(directory)
        fingerprint = definition_hash(definition)
        if target.exists() and not target.is_dir():
            raise StoreError(f"{target} exists and is not a directory; choose another --out")
        existing = _read_manifest(target) if target.is_dir() else None
        if existing is not None and existing.get("definition_hash") == fingerprint and not force:
            store = cls(target, existing)
            store._clean_partial()
            store._record_session(argv)
            return store
        if resume and not force:
            if existing is None:
                raise StoreError(f"nothing to resume: {target} holds no experiment")
            raise StoreError(
                f"cannot resume {target}: it holds a different experiment "
                f"(definition {existing.get('definition_hash')}, this one is {fingerprint}); "
                "use the same command and options, or --force to replace it"
            )
        if target.is_dir() and any(target.iterdir()):
            if not force:
                what = "files that are not an experiment"
                if existing is not None:
                    kind = (existing.get("definition") or {}).get("kind", "experiment")
                    what = (
                        f"a different experiment ({kind}, definition "
                        f"{existing.get('definition_hash')}; this one is {fingerprint})"
                    )
                hint = "use --force to replace it or --out to write elsewhere"
                if not holds_result(target):
                    hint = "use --out to write elsewhere (--force replaces only politburo results)"
                raise StoreError(f"{target} holds {what}; {hint}")
            check_replaceable(target)
            _clear(target)
        target.mkdir(parents=True, exist_ok=True)
        now = _now()
        manifest = {
            "format": 1,
            "definition": json.loads(json.dumps(dict(definition), default=str)),
            "definition_hash": fingerprint,
            "status": RUNNING,
            "created": now,
            "updated": now,
            "runs": [],
            "scenarios": dict(scenarios or {}),
            "provenance": provenance.collect(argv=argv),
            "sessions": [],
        }
        store = cls(target, manifest)
        store._record_session(argv)
        return store

    # ------------------------------------------------------------------ planning and state
    @property
    def runs_directory(self) -> Path:
        """Where the per-run Parquet files are."""
        return self.directory / RUNS

    @property
    def definition_hash(self) -> str:
        """The fingerprint of the experiment definition."""
        return str(self.manifest["definition_hash"])

    @property
    def status(self) -> str:
        """``"running"`` or ``"complete"``."""
        return str(self.manifest.get("status", RUNNING))

    def plan(self, specs: Sequence[RunSpec]) -> list[RunSpec]:
        """Record the runs of the experiment; return those still to do, in order.

        The first call writes every run's key, seed, point, replicate and parameters to the
        manifest. On a resumed directory the runs must be the ones recorded, which guards
        against a definition that leaves out something that changes the runs.

        Args:
            specs: Every run of the experiment, in table order.

        Returns:
            The runs without a finished file.

        Raises:
            StoreError: If two runs share a key, or the runs differ from the recorded ones.
        """
        records = [run_record(spec) for spec in specs]
        keys = [record["key"] for record in records]
        if len(set(keys)) != len(keys):
            repeated = sorted({key for key in keys if keys.count(key) > 1})
            raise StoreError(f"two runs share the key {repeated[0]!r}; run keys must differ")
        recorded = self.manifest.get("runs") or []
        if recorded and _normalised(recorded) != _normalised(records):
            raise StoreError(
                f"{self.directory} holds the same definition but different runs; "
                "use --force to replace it or --out to write elsewhere"
            )
        done = self.finished()
        remaining = [spec for spec in specs if spec.key not in done]
        if not recorded:
            self.manifest["runs"] = records
        if not self.manifest.get("scenarios"):
            self.manifest["scenarios"] = scenario_texts(specs)
        if remaining:
            self.manifest["status"] = RUNNING
        # Written every time, so that this session is on record even if it is killed.
        self.write_manifest()
        return remaining

    def specs_order(self) -> list[str]:
        """Run keys in table order, as recorded by :meth:`plan`."""
        return [record["key"] for record in self.manifest.get("runs") or []]

    def finished(self) -> set[str]:
        """Keys of the runs whose file is complete (temporary files are ignored)."""
        if not self.runs_directory.is_dir():
            return set()
        return {
            path.stem
            for path in self.runs_directory.glob("*.parquet")
            if not path.name.startswith(".")
        }

    def run_path(self, key: str) -> Path:
        """The file of one run."""
        return self.runs_directory / f"{key}.parquet"

    # ------------------------------------------------------------------ writing and reading
    def write_run(self, spec: RunSpec, frame: pd.DataFrame) -> Path:
        """Write one finished run's rows atomically.

        Args:
            spec: The run.
            frame: Its tidy rows (see :mod:`simulation.experiment.spec`).

        Returns:
            The file written.
        """
        return write_frame(frame, self.run_path(spec.key), durable=True)

    def load(self) -> pd.DataFrame:
        """Every finished run's rows, concatenated in the order of the planned runs.

        Returns:
            The tidy table, ``month`` as monthly periods; empty when no run has finished.
        """
        done = self.finished()
        order = [key for key in self.specs_order() if key in done]
        # Runs found on disk but not planned (none, unless someone copied files in) follow.
        order += sorted(done - set(order))
        if not order:
            return pd.DataFrame()
        frames = [pd.read_parquet(self.run_path(key), engine="pyarrow") for key in order]
        # Run files store months as text; the table the API returns has periods.
        return with_month_periods(pd.concat(frames, ignore_index=True))

    def write_manifest(self) -> Path:
        """Write the manifest atomically, stamping the update time."""
        self.manifest["updated"] = _now()
        text = json.dumps(self.manifest, indent=2, default=str) + "\n"
        return atomic.write_text(self.directory / MANIFEST, text, durable=True)

    def unfinished(self) -> set[str]:
        """Keys of the planned runs without a finished file."""
        return set(self.specs_order()) - self.finished()

    def mark_complete(self, command: Sequence[str] | None = None) -> None:
        """Record that every run and every summarising output has been written.

        Args:
            command: The command line whose options the outputs follow (the outcomes and
                statistic of a sensitivity analysis, say), kept as ``report_command`` so
                that ``politburo report`` can rebuild them alike.
        """
        missing = self.unfinished()
        if missing:
            raise StoreError(
                f"{len(missing)} run(s) of {self.directory} are not finished; resume the experiment"
            )
        if command is not None:
            self.manifest[REPORT_COMMAND] = list(command)
        self.manifest["status"] = COMPLETE
        self.manifest["completed"] = _now()
        self.write_manifest()

    # ------------------------------------------------------------------ internals
    def _clean_partial(self) -> None:
        """Remove temporary files that a killed run left behind."""
        # Summaries are written into the directory and its figures/ and scenarios/ folders.
        folders = ("", RUNS, "figures", "scenarios")
        for folder in (self.directory / name for name in folders):
            if folder.is_dir():
                for path in folder.glob(f".*{PARTIAL}*"):
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)

    def _record_session(self, argv: Sequence[str] | None) -> None:
        # Each command that writes into the directory is kept, so a resumed experiment shows
        # who finished it with which versions; the first session's provenance stays on top.
        record = provenance.collect(argv=argv)
        self.manifest.setdefault("sessions", []).append(
            {
                "started": record["timestamp"],
                "command": record["command"],
                "version": record["version"],
                "finished_runs": len(self.finished()),
            }
        )


def _normalised(records: Iterable[Mapping[str, Any]]) -> str:
    return json.dumps(list(records), sort_keys=True, default=str)


def _read_manifest(directory: Path) -> dict[str, Any] | None:
    path = directory / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        raise StoreError(
            f"{path} cannot be read ({error}); use --force to replace the directory"
        ) from None
    if not isinstance(manifest, dict):
        raise StoreError(f"{path} is not an experiment manifest; use --force to replace it")
    status = manifest.get("status", RUNNING)  # without one, the experiment is not finished
    if status not in (RUNNING, COMPLETE):
        raise StoreError(
            f"{path}: status: {status!r} is not allowed; allowed: "
            f"{RUNNING!r}, {COMPLETE!r}; use --force to replace the directory"
        )
    return manifest


def _clear(directory: Path) -> None:
    """Remove everything inside a directory (``--force``), keeping the directory itself."""
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
