"""The compiled monthly passes over members (numba), called by the party model.

Each pass applies rules of :mod:`simulation.model.rules` to every member of a roll in one loop, so
that a month touches each member's row a handful of times instead of once per numpy
operation. The rules' mathematics and sources are in :mod:`simulation.model.rules`; the passes only
organise the work:

* :mod:`.bundles` — what a pass takes: the network's tie lists, the members' columns and the
  month's settings, each as one structure;
* :mod:`.rolls` — the month's lists of active members, prisoners and former members;
* :mod:`.ties` — status changes, and the counts of each member's open and active ties that
  the voice rule reads;
* :mod:`.speech` — private signals and the voice decision;
* :mod:`.listening` — debate, detection and denunciation;
* :mod:`.sanctions` — dossiers, the ladder, quota selection, guilt by association, a month of
  fear;
* :mod:`.membership` — prison terms, attrition, readmission, screening, recruits' ties,
  end-of-month census and promotion;
* :mod:`.chunks` — fixed chunks of a roll, so that the largest passes run on every core and
  give the same numbers with any number of threads.

Random numbers come from :mod:`simulation.model.counter_rng`, keyed by purpose, month and member,
so a pass's results do not depend on the order it visits members.
"""
