"""The monthly rules, one concept per module, each a pure function of state arrays."""
