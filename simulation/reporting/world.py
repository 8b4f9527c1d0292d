"""The world's outcomes over replicates, for reports: states by date, the first war, maps.

With the world layer on (docs/ODD.md, "The world around the party") a comparison reports, per
scenario, the communist states at chosen dates (:data:`WORLD_DATES`), the share of runs with a
war and the year the first war began, with intervals over replicates: a t-interval for a mean,
Wilson's score interval for a share of runs. A run's *first war* is the first month its
``at_war`` column is 1; a run without war has none and is left out of that mean (``n`` says how
many had one).

The replicate table holds the world's summary, not each country's state, so the maps are drawn
from the world replayed alone (:func:`replay_world`): the world draws from a seed of its own
(:func:`~simulation.model.rng.world_seed`) and reads nothing from the party but the foreign
line, which the scenario's ``world`` events set, so a replay of replicate ``k`` is the world
of that replicate's run, country by country (``tests/test_world_faces.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.model.rng import world_seed
from simulation.reporting.statistics import first_month_where
from simulation.reporting.summary import interval_cells, t_interval, wilson_interval
from simulation.scenario.calendar import parse_month
from simulation.world import World
from simulation.world.data import STATES

if TYPE_CHECKING:
    from simulation.scenario import Scenario

#: The dates at which the states are counted and mapped: the right's seizure of power in
#: Germany (January 1933), the German invasion (June 1941), the post-war order (end of 1948).
WORLD_DATES = ("1933-01", "1941-06", "1948-12")
#: The measure naming the year of the first war, and the share of runs with a war.
FIRST_WAR = "year the first war began"
ANY_WAR = "runs with a war (share)"


def has_world(runs: pd.DataFrame) -> bool:
    """Whether a replicate table holds the world's outcomes (the layer was on)."""
    return "at_war" in runs.columns


def first_war_years(runs: pd.DataFrame) -> pd.DataFrame:
    """Each run's first month at war, as a decimal year (January 1941 is 1941.0).

    Args:
        runs: A replicate table with the world's columns.

    Returns:
        One row per scenario and replicate: ``scenario``, ``replicate``, ``seed``,
        ``first_war`` (NaN when the run had no war).
    """
    rows = []
    ordered = runs.sort_values(["scenario", "replicate", "month"], kind="stable")
    for (scenario, replicate, seed), run in ordered.groupby(
        ["scenario", "replicate", "seed"], sort=False
    ):
        first = first_month_where(run, run["at_war"] == 1)
        # parse_month gives 12 * year + month - 1
        year = np.nan if first is None else parse_month(first) / 12
        rows.append((scenario, replicate, seed, year))
    return pd.DataFrame(rows, columns=["scenario", "replicate", "seed", "first_war"])


def _month_values(runs: pd.DataFrame, column: str, month: str) -> pd.DataFrame:
    """Each run's ``column`` at the end of ``month``: scenario, seed, value."""
    chosen = runs[runs["month"].astype(str) == month]
    return chosen[["scenario", "seed", column]].rename(columns={column: "value"})


def world_summary(
    runs: pd.DataFrame, dates: Sequence[str] = WORLD_DATES, level: float = 0.95
) -> pd.DataFrame:
    """The world's outcomes per scenario, with intervals over replicates.

    Args:
        runs: A replicate table with the world's columns.
        dates: The months (``YYYY-MM``) at whose end the communist states are counted; those
            the runs do not hold are left out.
        level: Coverage of the intervals.

    Returns:
        Tidy table with columns ``scenario``, ``measure``, ``n``, ``mean``, ``low``, ``high``:
        communist states at each date, the share of runs with a war (Wilson's interval), the
        year the first war began (runs with a war only), hostility and the threat fed back to
        the party (means over the run); with the leader's line, its run means; with
        ``war_end``, the wars ended and the communist governments made at a war's end by the
        run's end and the share of runs with a war the communist side won; scenarios in the
        order of ``runs``.
    """
    months = set(runs["month"].astype(str))
    wars = first_war_years(runs)
    rows = []
    for scenario, group in runs.groupby("scenario", sort=False):
        for month in (date for date in dates if date in months):
            values = _month_values(group, "communist_states", month)["value"].to_numpy(float)
            n, mean, _, low, high = t_interval(values, level)
            rows.append((scenario, f"communist states, end of {month}", n, mean, low, high))
        years = wars.loc[wars["scenario"] == scenario, "first_war"].to_numpy(float)
        fought = int(np.isfinite(years).sum())
        share = fought / years.size if years.size else np.nan
        rows.append(
            (scenario, ANY_WAR, years.size, share, *wilson_interval(fought, years.size, level))
        )
        n, mean, _, low, high = t_interval(years, level)
        rows.append((scenario, FIRST_WAR, n, mean, low, high))
        for column, words in (
            ("hostility_mean", "hostility abroad, mean over the run"),
            ("world_threat", "threat fed back to the party, mean over the run"),
            *(LINE_MEANS if _holds(group, "foreign_export") else ()),
        ):
            means = group.groupby("seed", sort=False)[column].mean().to_numpy(float)
            n, mean, _, low, high = t_interval(means, level)
            rows.append((scenario, words, n, mean, low, high))
        if _holds(group, "wars_ended"):
            rows.extend(_war_end_rows(scenario, group, level))
    return pd.DataFrame(rows, columns=["scenario", "measure", "n", "mean", "low", "high"])


def _holds(group: pd.DataFrame, column: str) -> bool:
    """Whether a scenario's runs hold a column (a table of several may hold it for some)."""
    return column in group.columns and bool(group[column].notna().any())


#: With the leader's line (``world.line_from_leader``): the line's run means.
LINE_MEANS = (
    ("foreign_export", "export of revolution, mean over the run"),
    ("left_division", "division of the left abroad, mean over the run"),
)
#: With ``war_end``: the share of runs in which the communist side won a war.
WAR_WON = "runs with a war the communist side won (share)"


def _war_end_rows(scenario: str, group: pd.DataFrame, level: float) -> list[tuple]:
    """The end of wars and the post-war order: counts at the run's end, with intervals."""
    last = group.sort_values("month", kind="stable").groupby("seed", sort=False).tail(1)
    rows = []
    for column, words in (
        ("wars_ended", "wars ended by the end of the run"),
        ("postwar_governments", "communist governments made at a war's end, by the end of the run"),
    ):
        n, mean, _, low, high = t_interval(last[column].to_numpy(float), level)
        rows.append((scenario, words, n, mean, low, high))
    won = int((last["wars_won"] > 0).sum())
    share = won / len(last) if len(last) else np.nan
    rows.append((scenario, WAR_WON, len(last), share, *wilson_interval(won, len(last), level)))
    return rows


def world_table(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`world_summary` as a table: a row per measure, a column per scenario.

    Cells are ``mean [low, high]``; a year to one decimal, a count or share to two; ``(n=k)``
    where fewer runs than the most had a value (the first war of runs without one).
    """
    decimals = [1 if measure == FIRST_WAR else 2 for measure in summary["measure"]]
    cells = summary.assign(cell=interval_cells(summary, decimals))
    # A year is written without a thousands separator (1941.5, not 1,941.5).
    years = cells["measure"] == FIRST_WAR
    cells.loc[years, "cell"] = cells.loc[years, "cell"].str.replace(
        r"(\d),(\d{3})", r"\1\2", regex=True
    )
    wide = cells.pivot(index="measure", columns="scenario", values="cell")
    wide = wide.loc[list(pd.unique(summary["measure"])), list(pd.unique(summary["scenario"]))]
    return wide.rename_axis(index="measure", columns=None).fillna("–")


def replay_world(
    scenario: Scenario, seed: int, run: pd.DataFrame | None = None
) -> pd.DataFrame | None:
    """The world of one run, replayed alone: each country's state month by month.

    Steps the world as :class:`~simulation.model.party.PartyModel` does: from the world's start
    to the party's under the starting line, then a month at a time, each month's ``world``
    events changing the line first. With ``world.line_from_leader`` the line is the leader's,
    which only the run knows: it is read from its ``foreign_export``, ``left_division``,
    ``foreign_pacts`` and ``collective_security`` columns.

    Args:
        scenario: The resolved scenario.
        seed: The run's (replicate's) seed.
        run: The run's outcome rows (needed with ``world.line_from_leader``).

    Returns:
        :meth:`~simulation.world.world.World.history`, or None with the world layer off.

    Raises:
        ValueError: With ``world.line_from_leader`` and no run holding the line.
    """
    section = scenario.world
    if section is None or not section.enabled:
        return None
    countries, _ = world_seed(seed).spawn(2)
    world = World(section.rules, int(countries.generate_state(1)[0]), section.start)
    line = section.line
    start, end = parse_month(scenario.start), parse_month(scenario.end)
    while world.month < start:
        world.step(line)
    changes: dict[int, list] = {}
    for event in scenario.events:
        if event.kind == "world":
            changes.setdefault(parse_month(event.month), []).append(event)
    led: dict[int, dict] = {}
    if section.line_from_leader:
        if run is None or "foreign_export" not in run.columns:
            raise ValueError("the leader's line is read from the run: pass its outcome rows")
        columns = ["month", "foreign_export", "left_division", "foreign_pacts"]
        columns.append("collective_security")
        for month, export, division, pacts, security in run[columns].values:
            led[parse_month(str(month))] = {
                "export": float(export),
                "left_division": float(division),
                "pacts": tuple(str(pacts).split("+")) if pacts else (),
                "collective_security": float(security),
            }
    for month in range(start, end + 1):
        for event in changes.get(month, ()):
            line = line.changed_by(event)
        if month in led:
            line = line.model_copy(update=led[month])
        world.step(line)
    return world.history()


def state_shares(histories: Sequence[pd.DataFrame], month: str) -> pd.DataFrame:
    """The share of runs in which each country is in each state at the start of ``month``.

    Args:
        histories: Replayed worlds (:func:`replay_world`), one per replicate.
        month: ``YYYY-MM``.

    Returns:
        A table indexed by country, one column per state (:data:`~simulation.world.data.STATES`),
        rows summing to 1.
    """
    rows = pd.concat([h[h["month"].astype(str) == month] for h in histories])
    shares = pd.crosstab(rows["country"], rows["state"], normalize="index")
    return shares.reindex(columns=list(STATES), fill_value=0.0)
