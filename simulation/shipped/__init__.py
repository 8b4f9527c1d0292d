"""Where the files that come with politburo are: its scenarios and its historical data.

They live once, in the top-level ``scenarios/`` and ``data/`` folders of the source checkout,
where users read and copy them. ``pyproject.toml`` maps those folders onto the subpackages
``simulation.shipped.scenarios`` and ``simulation.shipped.data``, so that a wheel, whether
built from the checkout or from the sdist (which keeps the top-level folders), carries them
inside the package, next to this file. An installed package therefore finds them with
:mod:`importlib.resources`.

A checkout that runs in place (an editable install, or the folder on ``PYTHONPATH``) has no
copy next to this file: there the folders are the checkout's own. Every lookup of these files
goes through :func:`shipped_folder`, and of the checkout through :func:`checkout_root`.
"""

from __future__ import annotations

import errno
from importlib import resources
from pathlib import Path

#: The folders that ship with the package (top-level folders of the checkout).
SHIPPED_FOLDERS = ("scenarios", "data")


def checkout_root() -> Path | None:
    """The source checkout this package runs from, or ``None`` for an installed package.

    A checkout is recognised by its ``pyproject.toml`` beside the ``simulation`` package;
    ``site-packages`` holds none.
    """
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() else None


def shipped_folder(name: str) -> Path:
    """The folder of shipped files called ``name``, in the package or else in the checkout.

    Args:
        name: One of :data:`SHIPPED_FOLDERS`.

    Returns:
        The package's copy of the folder when the package was built (a wheel, or an install
        from the sdist); otherwise the checkout's top-level folder.

    Raises:
        ValueError: If ``name`` is not a shipped folder.
        FileNotFoundError: If neither the package nor a checkout holds the folder (a broken
            installation).
    """
    if name not in SHIPPED_FOLDERS:
        raise ValueError(f"no shipped folder {name!r}; there are {', '.join(SHIPPED_FOLDERS)}")
    packaged = resources.files(__name__) / name
    if packaged.is_dir():
        # An installed package lives in plain files (numba caches its compiled code beside
        # them), so the resource is a real path.
        return Path(str(packaged))
    root = checkout_root()
    if root is not None and (root / name).is_dir():
        return root / name
    message = f"politburo's {name} folder is missing from this installation; reinstall it"
    raise FileNotFoundError(errno.ENOENT, message)
