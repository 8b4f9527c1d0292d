"""Compiled code cached on disk is dropped when a source it may have compiled in has changed.

numba keeps each compiled function in a cache beside its source file and notices when that file
changes, but not when a function it calls, defined in another file, changes: a pass would go on
running the old body of a rule edited in :mod:`simulation.model.rules` (numba's documentation,
"Cache invalidation"). So the cached functions of each module of :mod:`simulation.model` are
kept only while a digest of the compiled sources is the one they were cached with: the
digest is written beside each module's cache, and when it differs that module's cache index is
emptied, so that its functions compile afresh on their first call. The digest covers the sources
compiled code is made from (:data:`COMPILED_SOURCES`), so that editing, say, the party model's
Python does not cost a recompilation.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from pathlib import Path

from numba.core.dispatcher import Dispatcher

#: The model's source folder.
MODEL = Path(__file__).resolve().parents[1]
#: The sources compiled code is made from, below :data:`MODEL`: the rules, the passes, and the
#: modules whose functions or constants the passes use.
COMPILED_SOURCES = ("rules/*.py", "passes/*.py", "counter_rng.py", "members.py", "network.py")

_checked: set[str] = set()


def sources_digest(folder: Path = MODEL) -> str:
    """A digest of the sources compiled code is made from (:data:`COMPILED_SOURCES`)."""
    digest = hashlib.sha256()
    paths = {path for pattern in COMPILED_SOURCES for path in folder.glob(pattern)}
    for path in sorted(paths):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_functions(module: object) -> list[Dispatcher]:
    """The functions defined in ``module`` (not imported into it) compiled with ``cache=True``."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, Dispatcher)
        and value.py_func.__module__ == module.__name__
        and hasattr(getattr(value, "_cache", None), "_cache_path")
    ]


def forget_stale_compilations() -> list[str]:
    """Empty the caches of the model's modules compiled from other sources than these.

    Looks at every module of :mod:`simulation.model` imported so far and not yet looked at in
    this process. Call it after importing the passes and before running any of them.

    Returns:
        The modules whose caches were emptied.
    """
    digest = None
    emptied = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("simulation.model.") or name in _checked or module is None:
            continue
        _checked.add(name)
        functions = cached_functions(module)
        if not functions:
            continue
        digest = digest or sources_digest()
        stamp = Path(functions[0]._cache._cache_path) / f"{name}.sources"
        try:
            if stamp.read_text() == digest:
                continue
        except OSError:
            pass
        for function in functions:
            function._cache.flush()
        emptied.append(name)
        # A read-only cache: numba compiles in memory in every run anyway.
        with contextlib.suppress(OSError):
            stamp.write_text(digest)
    return emptied
