"""File names made from names a user chose: a scenario's ``name``, an override.

A scenario's name comes from a file or from ``--set name=...`` and may hold anything: ``/``,
``..``, a NUL byte, a thousand characters. Every file or folder name derived from one goes
through :func:`safe_name`, so that nothing is ever written outside the output folder and two
different names never share a file.
"""

from __future__ import annotations

import hashlib
import re

#: A name used as it is: letters, digits, ``_.-``, not starting with a dot or a dash.
_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}")
#: Runs of anything else (and of dashes), replaced by one dash.
_UNSAFE = re.compile(r"(?:[^A-Za-z0-9_.]|-)+")
#: Characters kept of a name that must be changed (file systems allow 255 bytes a name).
_KEPT = 60


def safe_name(name: str, fallback: str = "scenario") -> str:
    """A name that is safe as one part of a file name, and differs for different names.

    A name of letters, digits, ``_``, ``.`` and ``-`` (not starting with ``.`` or ``-``, at
    most 80 characters) is kept as it is, so the shipped scenarios keep their file names.
    Any other name becomes a slug of its safe characters followed by a short hash of the
    whole name: ``../../escaped`` gives ``escaped-`` and eight hex digits, never a path.

    Args:
        name: The name, as the user wrote it.
        fallback: The slug when nothing of the name is safe.

    Returns:
        A non-empty name without a path separator, NUL byte or leading dot.
    """
    if _SAFE.fullmatch(name):
        return name
    slug = _UNSAFE.sub("-", name).strip("-.")[:_KEPT].strip("-.") or fallback
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}"
