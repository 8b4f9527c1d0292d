"""Files that appear complete or not at all.

Every result file is written to a hidden sibling (``.NAME.partial-XXXX``) and renamed into
place, so a reader, or a resumed experiment, never sees half a file, and a crash leaves only
hidden leftovers that :data:`PARTIAL` identifies. Durable writes also flush the file and the
rename to disk, for the run files an interrupted experiment must be able to trust.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path

#: Marks the hidden temporary siblings of files being written.
PARTIAL = ".partial-"


def temporary_sibling(target: Path) -> Path:
    """A hidden, unique temporary name next to ``target``."""
    return target.parent / f".{target.name}{PARTIAL}{uuid.uuid4().hex[:12]}"


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def replace_atomically(
    path: str | Path, write: Callable[[Path], object], *, durable: bool = False
) -> Path:
    """Write a file through ``write(temporary_path)``, then rename it into place.

    Args:
        path: The file to produce.
        write: Writes the whole content to the path it is given.
        durable: Also flush the file and the rename to disk.

    Returns:
        The path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = temporary_sibling(target)
    try:
        write(partial)
        if durable:
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    if durable:
        _fsync_directory(target.parent)
    return target


def write_text(path: str | Path, text: str, *, durable: bool = False) -> Path:
    """Write a UTF-8 text file atomically."""
    return replace_atomically(
        path, lambda partial: partial.write_text(text, encoding="utf-8"), durable=durable
    )
