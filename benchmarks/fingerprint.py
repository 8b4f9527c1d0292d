"""Fingerprints of seeded runs: one hash per run of everything a run produces.

A change that should not alter results (a refactoring, a speed-up) must leave every line this
script prints unchanged; a change that should alter them says which numbers moved and why.
Each run is hashed on its outcome table (every column, every month), every member's tie list
in stored order (the order decides which tie a random draw picks), every node's degree, and
every member column of the column store, at the end of the run.

Outcomes and member columns that later changes add are hashed apart, under ``added``, so that
a change which adds a mechanism behind a switch that is off can show that everything that
existed before is bit-identical: the four original hashes cover exactly the outcomes and
columns of :data:`FIRST_OUTCOMES` and :data:`FIRST_COLUMNS`, and ``--check`` compares only
the hashes the older file has.

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

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # this checkout's package, installed or not
    sys.path.insert(0, str(ROOT))

from simulation.model.party import PartyModel  # noqa: E402

SEED = 11

#: The outcome columns and member columns the fingerprints first covered (``faction_*``
#: outcomes, one per faction of the scenario, belong with them); others go under ``added``.
FIRST_OUTCOMES = (
    "month", "leader", "members_active", "members_expelled", "prisoners", "expelled",
    "imprisoned", "executed", "warnings", "demotions", "expelled_total", "imprisoned_total",
    "executed_total", "purges_total", "died_in_prison", "released", "readmitted", "recruits",
    "recruit_shortfall", "deviating", "seen_deviating", "openness", "falsification", "fear",
    "policy_error", "leader_error", "innocent_share", "innocent_share_total", "cc_purged_share",
    "belief_mean", "belief_sd", "said_sd", "line", "reality", "tolerance", "surveillance",
    "severity",
)  # fmt: skip
FIRST_COLUMNS = (
    "belief", "conviction", "boldness", "fear", "faction", "tier", "status", "rehabilitated",
    "dossier", "new_marks", "dissent", "expressed", "deviated", "ever_deviated", "spoke", "term",
    "joined", "initial_cc", "purged", "open_ties", "active_ties", "flags",
)  # fmt: skip


@dataclass(frozen=True)
class Run:
    """One fingerprinted run: a scenario, its overrides and a label."""

    label: str
    scenario: str
    overrides: tuple[tuple[str, object], ...] = ()


#: The standard runs: the historical path at two sizes (the succession fought) and with the
#: leader fixed, the counterfactuals, the classic cases.
RUNS = (
    Run("historical-20000", "historical"),
    Run("historical-3000", "historical", (("population.size", 3000),)),
    Run("historical_fixed-3000", "historical_fixed", (("population.size", 3000),)),
    Run("trotsky-3000", "trotsky", (("population.size", 3000),)),
    Run("trotsky_fixed-3000", "trotsky_fixed", (("population.size", 3000),)),
    Run("trotsky_hardens-3000", "trotsky_hardens", (("population.size", 3000),)),
    Run("base-3000", "base", (("population.size", 3000),)),
    Run("hegselmann_krause", "hegselmann_krause"),
    Run("deffuant", "deffuant"),
    Run("daymude", "daymude"),
)


def _update(digest: hashlib._Hash, array: np.ndarray) -> None:
    digest.update(str(array.dtype).encode())
    digest.update(np.ascontiguousarray(array).tobytes())


def _first_outcome(name: str) -> bool:
    return name in FIRST_OUTCOMES or name.startswith("faction_")


def _hash_column(digest: hashlib._Hash, name: str, values: np.ndarray) -> None:
    digest.update(name.encode())
    if values.dtype.kind in "biuf":
        _update(digest, values)
    else:  # months and leaders: hashed as text, whatever type holds them
        digest.update("\x1f".join(str(value) for value in values).encode())


def fingerprint(model: PartyModel) -> dict[str, str]:
    """Hashes of a finished run's outcomes, ties, degrees and member columns (16 hex digits)."""
    outcomes = hashlib.sha256()
    added = hashlib.sha256()
    frame = model.outcomes()
    for name in frame.columns:
        digest = outcomes if _first_outcome(name) else added
        _hash_column(digest, name, np.asarray(frame[name].to_numpy()))
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
        digest = columns if name in FIRST_COLUMNS else added
        digest.update(name.encode())
        _update(digest, values)
    return {
        "outcomes": outcomes.hexdigest()[:16],
        "ties": ties.hexdigest()[:16],
        "degrees": degrees.hexdigest()[:16],
        "columns": columns.hexdigest()[:16],
        "added": added.hexdigest()[:16],
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
            line.split()[0]: dict(field.split("=", 1) for field in line.split()[1:])
            for line in args.check.read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        differ = []
        for line in made:
            label, fields = line.split()[0], dict(f.split("=", 1) for f in line.split()[1:])
            was = expected.get(label, {})
            moved = [key for key in was if fields.get(key) != was[key]]
            if not was or moved:
                differ.append(label)
                print(f"DIFFERS: {label}: {', '.join(moved) or 'not in the file'}")
        print("identical" if not differ else f"{len(differ)} of {len(made)} runs differ")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
