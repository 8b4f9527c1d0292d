"""The ``politburo`` command line: one module per command, over the Python API."""

from simulation.cli.main import main

__all__ = ["main"]
