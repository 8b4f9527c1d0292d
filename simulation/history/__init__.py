"""The Stalin path against the record: targets, scorecard, figure and calibration.

:mod:`~simulation.history.targets` states the historical targets and how each is read off a
run; :mod:`~simulation.history.scorecard` sets an ensemble's values beside them;
:mod:`~simulation.history.figure` draws membership over the historical series;
:mod:`~simulation.history.calibrate` fits the historical scenario's free rates to the targets.
"""
