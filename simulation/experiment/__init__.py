"""Experiments: many runs of the model, stored run by run, analysed and reported (DESIGN §4).

* :mod:`simulation.experiment.spec` — what one run of an experiment is, and the table layout.
* :mod:`simulation.experiment.store` — an experiment directory: manifest and one Parquet file
  per run, written atomically, resumable.
* :mod:`simulation.experiment.executors` — run the runs: serial, process pool or Dask.
* :mod:`simulation.cli.options` — the command-line options of every experiment command.
* :mod:`simulation.experiment.api` — :func:`load_experiment` for notebooks.

Importing this package starts nothing and imports no model code.
"""

from simulation.experiment.api import Experiment, load_experiment
from simulation.experiment.spec import KEY_COLUMNS, RunSpec, definition_hash
from simulation.experiment.store import ExperimentStore, StoreError

__all__ = [
    "KEY_COLUMNS",
    "Experiment",
    "ExperimentStore",
    "RunSpec",
    "StoreError",
    "definition_hash",
    "load_experiment",
]
