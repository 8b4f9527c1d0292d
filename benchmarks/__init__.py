"""Speed baselines and the plain reference implementation of the model."""
