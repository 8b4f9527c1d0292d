"""Experiments: many runs of the model, stored run by run (docs/EXPERIMENTS.md).

* :mod:`simulation.experiment.spec` — what one run of an experiment is, and the table layout.
* :mod:`simulation.experiment.store` — an experiment directory: manifest and one Parquet file
  per run, written atomically, resumable.
* :mod:`simulation.experiment.executors` — run the runs: serial, process pool or Dask.
* :mod:`simulation.experiment.runs` — one run, or replicates of several scenarios in memory.
* :mod:`simulation.experiment.design` and :mod:`simulation.experiment.sensitivity` — sweeps'
  designs, and Morris and Sobol samples and indices (SALib).
* :mod:`simulation.experiment.progress` — progress bars on long work.
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
