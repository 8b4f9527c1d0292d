"""The dashboard: a Mesa SolaraViz page to move policy sliders and watch a run unfold.

Modules, one job each:

* :mod:`~simulation.dashboard.settings` — what the controls set (scenario, seed, policy knobs,
  baseline) and how that becomes a scenario;
* :mod:`~simulation.dashboard.runs` — the Mesa model the page steps: a tweaked run and, side by
  side, a baseline under the same seed;
* :mod:`~simulation.dashboard.charts` — the outcome charts, with the month on the axis;
* :mod:`~simulation.dashboard.congress_view` — hidden disagreement, congress votes and the
  regional organisations;
* :mod:`~simulation.dashboard.leaders_view` — the fight for the succession: the contenders'
  power by month, who leads, their fates and offices and the ruling coalition (only for a run
  with the succession layer);
* :mod:`~simulation.dashboard.world_view` — the world around the party: a map of who rules
  each country now, wars hatched, and the threat fed to the leader (only for a run with the
  world layer);
* :mod:`~simulation.dashboard.network_view` — a sample of the network coloured by status or
  belief;
* :mod:`~simulation.dashboard.app` — the page itself (``solara run simulation.dashboard.app``);
* :mod:`~simulation.dashboard.server` — starts ``solara run`` for ``politburo dashboard``;
* :mod:`~simulation.dashboard.assets` — puts the page's front-end files in Solara's cache, so
  that it works offline.

Only :mod:`~simulation.dashboard.app` imports Solara and Mesa's visualisation; the others can
be used (and tested) without a browser.
"""
