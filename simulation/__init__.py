"""politburo: an agent-based model of a ruling party under different leaderships."""

__version__ = "0.1.0"
