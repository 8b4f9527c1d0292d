"""Who leads: the share of replicates in which each leader holds power at chosen dates.

With the succession fought (docs/ODD.md 7.11) who leads is an outcome, the ``leader`` column
of every month, a label that the numeric summaries (:mod:`simulation.reporting.summary`) leave
out. For each scenario and date this module counts the replicates ``k`` of ``n`` in which each
leader holds power at the end of that month and gives the share ``k / n`` with its Wilson score
interval (E. B. Wilson 1927, "Probable inference, the law of succession, and statistical
inference", *JASA* 22(158): 209-212), which, unlike the t-interval of the other outcomes,
stays inside [0, 1] and does not collapse to a point when a leader holds power in every
replicate or in none. Replicate ``k`` of every scenario shares its random numbers, so a lever's
effect is read on the same parties; the intervals are each scenario's own.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from simulation.reporting.summary import format_interval, wilson_interval

#: The dates of the table unless ``--at`` chooses others: the succession decided (1930), the
#: eve of the war (1940) and the months after Stalin's death (1953).
WHO_LEADS_DATES = ("1930-01", "1940-01", "1953-06")
#: The table's file in a comparison's folder.
WHO_LEADS_FILE = "who_leads.csv"
#: The table's columns.
COLUMNS = ("date", "leader", "scenario", "replicates", "count", "share", "low", "high")


def who_leads_dates(statistics: Sequence[str]) -> tuple[str, ...]:
    """The table's dates: the ``--at`` months among a comparison's statistics, else the defaults."""
    chosen = tuple(statistic[3:] for statistic in statistics if statistic.startswith("at:"))
    return chosen or WHO_LEADS_DATES


def who_leads(runs: pd.DataFrame, dates: Sequence[str]) -> pd.DataFrame:
    """The share of replicates in which each leader holds power at the end of each date.

    Args:
        runs: A replicate table (``scenario``, ``replicate``, ``month``, ``leader``, ...).
        dates: Months ``YYYY-MM``; a date a scenario's runs do not reach gives it no rows.

    Returns:
        One row per date, leader and scenario (:data:`COLUMNS`): every leader who holds power
        at that date in some replicate of some scenario, with his ``count`` of ``replicates``
        in each scenario (0 included), the ``share`` and its 95% Wilson interval. Dates in the
        order given, leaders by their count over all scenarios (most first, then by name),
        scenarios in the order of the runs.
    """
    rows = []
    scenarios = list(pd.unique(runs["scenario"]))
    months = runs["month"].astype(str)
    for date in dict.fromkeys(dates):
        chosen = runs.loc[months == date, ["scenario", "replicate", "leader"]]
        totals = chosen["leader"].value_counts()
        leaders = sorted(totals.index, key=lambda name: (-totals[name], name))
        for scenario in scenarios:
            group = chosen[chosen["scenario"] == scenario]
            n = int(group["replicate"].nunique())
            if n == 0:
                continue
            counts = group["leader"].value_counts()
            for leader in leaders:
                count = int(counts.get(leader, 0))
                low, high = wilson_interval(count, n)
                rows.append((date, leader, scenario, n, count, count / n, low, high))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def who_leads_table(table: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """Pivot :func:`who_leads` to one row per date and leader, cells ``share [low, high]``.

    Returns:
        A table of strings indexed by date, its first column the leader, then one column per
        scenario; a cell notes ``(n=k)`` when the scenario has fewer replicates at that date
        than the most in the table.
    """
    if table.empty:
        return pd.DataFrame(columns=["leader"])
    most = int(table["replicates"].max())
    cells = table.assign(
        cell=[
            format_interval(row.share, row.low, row.high, decimals)
            + (f" (n={row.replicates})" if row.replicates < most else "")
            for row in table.itertuples()
        ]
    )
    wide = cells.pivot(index=["date", "leader"], columns="scenario", values="cell")
    order = list(dict.fromkeys(zip(table["date"], table["leader"], strict=True)))
    wide = wide.loc[order, list(pd.unique(table["scenario"]))].fillna("–")
    return wide.reset_index(level="leader").rename_axis(index="date", columns=None)
