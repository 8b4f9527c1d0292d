"""Fingerprints of seeded runs: one hash per run of everything a run produces.

A change that should not alter results (a refactoring, a speed-up) must leave every line this
script prints unchanged; a change that should alter them says which numbers moved and why.
Each run is hashed on its outcome table (every column, every month), every member's tie list
in stored order (the order decides which tie a random draw picks), every node's degree, and
every member column of the column store, at the end of the run.

Usage::

    python benchmarks/fingerprint.py                # the standard runs, one line each
    python benchmarks/fingerprint.py --out prints.txt
    python benchmarks/fingerprint.py --check prints.txt   # exit 1 if any line differs

The hashes are those of this machine's floating point; another processor may give others
(numba may use other instructions), so compare fingerprints made on one machine.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # this checkout's package, installed or not
    sys.path.insert(0, str(ROOT))

from simulation.model.party import PartyModel  # noqa: E402

SEED = 11


@dataclass(frozen=True)
class Run:
    """One fingerprinted run: a scenario, its overrides and a label."""

    label: str
    scenario: str
    overrides: tuple[tuple[str, object], ...] = ()


#: The standard runs: the calibrated path at two sizes, the counterfactuals, the classic cases.
RUNS = (
    Run("historical-20000", "historical"),
    Run("historical-3000", "historical", (("population.size", 3000),)),
    Run("trotsky-3000", "trotsky", (("population.size", 3000),)),
    Run("trotsky_hardens-3000", "trotsky_hardens", (("population.size", 3000),)),
    Run("base-3000", "base", (("population.size", 3000),)),
    Run("hegselmann_krause", "hegselmann_krause"),
    Run("deffuant", "deffuant"),
    Run("daymude", "daymude"),
)


def _update(digest: hashlib._Hash, array: np.ndarray) -> None:
    digest.update(str(array.dtype).encode())
    digest.update(np.ascontiguousarray(array).tobytes())


def fingerprint(model: PartyModel) -> dict[str, str]:
    """Hashes of a finished run's outcomes, ties, degrees and member columns (16 hex digits)."""
    outcomes = hashlib.sha256()
    frame = model.outcomes()
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.PeriodDtype):
            # The month as the text the table held before it became a period: same hashes.
            column = column.dt.strftime("%Y-%m")
        values = column.astype(str).to_numpy() if column.dtype == object else column.to_numpy()
        outcomes.update(name.encode())
        if values.dtype == object:
            outcomes.update("\x1f".join(values).encode())
        else:
            _update(outcomes, values)
    ties = hashlib.sha256()
    degrees = hashlib.sha256()
    network = model.network
    degree = np.asarray(network.degree)
    _update(degrees, degree)
    if not getattr(network, "complete", False):
        for node in range(model.members.rows):
            _update(ties, np.asarray(network.neighbours(node)))
    columns = hashlib.sha256()
    for name, values in model.members.columns().items():
        columns.update(name.encode())
        _update(columns, values)
    return {
        "outcomes": outcomes.hexdigest()[:16],
        "ties": ties.hexdigest()[:16],
        "degrees": degrees.hexdigest()[:16],
        "columns": columns.hexdigest()[:16],
    }


def lines(runs: Iterable[Run]) -> Iterable[str]:
    """One line per run: label, then the four hashes."""
    for run in runs:
        model = PartyModel(run.scenario, seed=SEED, overrides=dict(run.overrides))
        model.run()
        prints = fingerprint(model)
        yield f"{run.label} " + " ".join(f"{key}={value}" for key, value in prints.items())


def main(argv: list[str] | None = None) -> int:
    """Print (or check) the standard runs' fingerprints."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the lines to this file")
    parser.add_argument("--check", type=Path, help="compare with a file written by --out")
    parser.add_argument("--only", nargs="*", help="labels of the runs to make (default: all)")
    args = parser.parse_args(argv)
    runs = [run for run in RUNS if not args.only or run.label in args.only]
    made = []
    for line in lines(runs):
        print(line, flush=True)
        made.append(line)
    if args.out:
        args.out.write_text("\n".join(made) + "\n", encoding="utf-8")
    if args.check:
        expected = {
            line.split()[0]: line
            for line in args.check.read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        differ = [line for line in made if expected.get(line.split()[0]) != line]
        for line in differ:
            print(f"DIFFERS: {line}\n   was: {expected.get(line.split()[0])}")
        print("identical" if not differ else f"{len(differ)} of {len(made)} runs differ")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
