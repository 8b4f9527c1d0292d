"""Write results: a directory that appears complete or not at all.

A result directory is filled under a hidden temporary name beside its final place
(``.NAME.partial-XXXX``) and renamed into place only when everything has been written, so an
interrupted or failed run never leaves a directory that looks complete. An existing non-empty
directory is only replaced when the caller says so (``--force``), and only if it holds a
politburo result (:func:`holds_result`); it is then swapped out and removed after the new one
is in place.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from simulation.output import atomic
from simulation.scenario import Scenario, resolved_toml
from simulation.scenario.calendar import with_month_periods, with_month_text

#: Table formats by file suffix.
TABLE_SUFFIXES = (".csv", ".parquet", ".pq")


#: Files that mark a folder as a politburo result: an experiment's manifest, a result's
#: provenance (both JSON objects naming the package).
RESULT_MARKERS = ("manifest.json", "provenance.json")
PACKAGE = "politburo"


class OutputError(ValueError):
    """A result cannot be written where asked (a user's mistake, reported in one line)."""


def _marks_result(path: Path) -> bool:
    """Whether a marker file is politburo's: a JSON object naming the package."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict):
        return False
    recorded = data.get("provenance")
    return data.get("package") == PACKAGE or (
        isinstance(recorded, dict) and recorded.get("package") == PACKAGE
    )


def holds_result(directory: str | Path) -> bool:
    """Whether a directory holds a politburo result (its manifest or provenance file)."""
    folder = Path(directory)
    return any(_marks_result(folder / name) for name in RESULT_MARKERS)


def check_replaceable(directory: str | Path) -> None:
    """Refuse to empty a directory (``--force``) unless it is empty or a politburo result.

    Raises:
        OutputError: If the directory holds files and none of :data:`RESULT_MARKERS` says
            they are a politburo result.
    """
    folder = Path(directory)
    if folder.is_dir() and any(folder.iterdir()) and not holds_result(folder):
        raise OutputError(
            f"{folder} holds files that are not a politburo result (no politburo "
            f"{' or '.join(RESULT_MARKERS)}); --force replaces only politburo results: "
            "choose another --out or empty it yourself"
        )


def check_directory(path: str | Path, force: bool = False) -> Path:
    """Check that a result directory may be written.

    Args:
        path: The directory.
        force: Allow replacing an existing non-empty directory that holds a politburo result.

    Returns:
        The path.

    Raises:
        OutputError: If the path is a file, or a non-empty directory and ``force`` is false
            or it holds no politburo result (see :func:`check_replaceable`).
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} exists and is not a directory; choose another --out")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputError(
            f"{target} already exists and is not empty; use --force to replace it "
            "or --out to write elsewhere"
        )
    if force:
        check_replaceable(target)
    return target


def check_file(path: str | Path, force: bool = False) -> Path:
    """Check that a table file may be written: a known suffix, and no file in the way.

    Args:
        path: The file.
        force: Allow replacing an existing file.

    Returns:
        The path.

    Raises:
        OutputError: If the suffix is unknown, the path is a directory, or the file exists
            and ``force`` is false.
    """
    target = Path(path)
    if target.suffix.lower() not in TABLE_SUFFIXES:
        raise OutputError(
            f"{target}: unknown table format {target.suffix or '(no suffix)'!r}; "
            f"allowed: {', '.join(TABLE_SUFFIXES)}"
        )
    if target.is_dir():
        raise OutputError(f"{target} is a directory; give a file name")
    if target.exists() and not force:
        raise OutputError(f"{target} already exists; use --force to replace it")
    return target


def _sibling(target: Path, tag: str) -> Path:
    return target.parent / f".{target.name}.{tag}-{uuid.uuid4().hex[:12]}"


@contextmanager
def result_directory(path: str | Path, force: bool = False) -> Iterator[Path]:
    """Give a staging directory that becomes ``path`` when the block ends without error.

    Args:
        path: The final result directory.
        force: Replace an existing non-empty directory.

    Yields:
        The staging directory to write into.

    Raises:
        OutputError: If ``path`` may not be written (checked on entry and again at the end).
    """
    target = check_directory(path, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling(target, "partial")
    staging.mkdir()  # plain mkdir honours the umask, unlike tempfile.mkdtemp's 0700
    try:
        yield staging
        _commit(staging, target, force)
    finally:
        # Reached with staging still present only after an error or interruption.
        shutil.rmtree(staging, ignore_errors=True)


def _commit(staging: Path, target: Path, force: bool) -> None:
    check_directory(target, force)  # something may have appeared while we ran
    if not target.exists():
        staging.rename(target)
        return
    old = _sibling(target, "old")
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_table(
    frame: pd.DataFrame,
    directory: str | Path,
    stem: str,
    formats: Sequence[str] = ("csv", "parquet"),
) -> list[Path]:
    """Write a table as ``STEM.csv`` and/or ``STEM.parquet`` in a directory.

    Args:
        frame: The table; its index is not written.
        directory: Where to write.
        stem: The file name without suffix.
        formats: Any of ``"csv"`` and ``"parquet"``.

    Returns:
        The paths written.
    """
    return [write_frame(frame, Path(directory) / f"{stem}.{fmt}") for fmt in formats]


def _table_suffix(path: Path) -> str:
    """The table format of a file, by its suffix; refuses any other."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise OutputError(f"{path}: unknown table format; allowed: {', '.join(TABLE_SUFFIXES)}")
    return suffix


def write_frame(frame: pd.DataFrame, path: str | Path, *, durable: bool = False) -> Path:
    """Write a table as CSV or Parquet by the file's suffix, atomically.

    A ``month`` column of periods is stored as ``"YYYY-MM"`` text, which every program reads
    (:func:`read_frame` turns it back into periods).

    Args:
        frame: The table; its index is not written.
        path: The file (``.csv``, ``.parquet`` or ``.pq``).
        durable: Also flush it to disk (the run files a resumed experiment must trust).

    Returns:
        The path written.

    Raises:
        OutputError: If the suffix is not a known table format.
    """
    target = Path(path)
    suffix = _table_suffix(target)
    frame = with_month_text(frame)
    if suffix == ".csv":
        return atomic.replace_atomically(
            target, lambda partial: frame.to_csv(partial, index=False), durable=durable
        )
    return atomic.replace_atomically(
        target,
        lambda partial: frame.to_parquet(partial, index=False, engine="pyarrow"),
        durable=durable,
    )


def read_frame(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`write_frame`, its ``month`` column as monthly periods.

    Args:
        path: A ``.csv``, ``.parquet`` or ``.pq`` file (e.g. a run's ``outcomes.parquet``).

    Returns:
        The table, as the API returns it.

    Raises:
        OutputError: If the suffix is not a known table format.
    """
    source = Path(path)
    if _table_suffix(source) == ".csv":
        frame = pd.read_csv(source)
    else:
        frame = pd.read_parquet(source, engine="pyarrow")
    return with_month_periods(frame)


def write_scenario(scenario: Scenario, path: str | Path, *, durable: bool = False) -> Path:
    """Write a scenario as resolved TOML, every default explicit, so it can be rerun.

    Args:
        scenario: The resolved scenario that was run.
        path: The file to write (atomically).
        durable: Also flush it to disk.

    Returns:
        The path written.
    """
    return atomic.write_text(path, resolved_toml(scenario), durable=durable)
