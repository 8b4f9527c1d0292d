"""The plain Mesa reference model: the monthly rules written one member at a time.

:func:`run_reference` runs it; :class:`ReferenceModel` is the model and
:class:`~benchmarks.reference.agents.Person` the agent. See ``README.md`` in this folder.
"""

from benchmarks.reference.model import ReferenceModel
from benchmarks.reference.run import run_reference

__all__ = ["ReferenceModel", "run_reference"]
