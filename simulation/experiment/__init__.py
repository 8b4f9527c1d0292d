"""Experiments: many runs of the model, stored run by run, analysed and reported (DESIGN §4).

* :mod:`simulation.experiment.spec` — what one run of an experiment is, and the table layout.
"""
