"""The figure of the scorecard: the model's membership, scaled, over the historical series.

The historical series is every ``party_total*`` row of ``data/history.csv`` (full members and
candidates; sources in ``data/README.md``), dated by its metric's suffix, with the sources'
range drawn as an error bar where they disagree. The model's series is ``members_active``
times :func:`~simulation.history.targets.scale_factor`, its mean and 95% band over replicates.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simulation.history.targets import scale_factor
from simulation.reporting.figures import OKABE_ITO, draw_band
from simulation.shipped import shipped_folder

#: The historical table, in the shipped ``data`` folder.
HISTORY_FILE = "history.csv"

#: Month of a membership figure, by the suffix of its metric: 1 January stocks, congresses
#: and conferences in their month, an undated year at its middle.
_MONTHS = {
    "jan1": 1,
    "congress_jan": 1,
    "conference_feb": 2,
    "congress_feb": 2,
    "congress_mar": 3,
    "congress_apr": 4,
    "congress_may": 5,
    "congress_jun": 6,
    "congress_oct": 10,
    "oct": 10,
    "congress_dec": 12,
    "dec": 12,
}


def historical_membership(
    path: str | Path | None = None, first: int = 1924, last: int = 1956
) -> pd.DataFrame:
    """The party's membership (full members plus candidates) from the historical table.

    Args:
        path: The historical table (``year, metric, value, low, high, source``); by default
            the shipped ``data/history.csv``.
        first: First year kept.
        last: Last year kept.

    Returns:
        Columns ``date``, ``members``, ``low``, ``high`` (missing bounds filled with the value),
        ``metric`` and ``source``, in time order.
    """
    table = pd.read_csv(shipped_folder("data") / HISTORY_FILE if path is None else path)
    rows = table[table["metric"].str.startswith("party_total") & table["value"].notna()].copy()
    suffix = rows["metric"].str.removeprefix("party_total").str.removeprefix("_")
    month = suffix.map(lambda text: _MONTHS.get(text, 7))
    rows["date"] = pd.to_datetime({"year": rows["year"], "month": month, "day": 1}, errors="raise")
    rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
    rows = rows.assign(
        members=rows["value"],
        low=rows["low"].fillna(rows["value"]),
        high=rows["high"].fillna(rows["value"]),
    )
    columns = ["date", "members", "low", "high", "metric", "source"]
    return rows.sort_values("date")[columns].reset_index(drop=True)


def membership(runs: pd.DataFrame, size: int, history: pd.DataFrame, title: str = "") -> Figure:
    """The model's scaled membership with its band, and the historical figures as points.

    Args:
        runs: A replicate table of one scenario (``scenario``, ``replicate``, ``month``,
            ``members_active``, ...).
        size: The runs' initial party size (sets the scale factor).
        history: :func:`historical_membership`.
        title: Figure title.

    Returns:
        The figure.
    """
    # One legend entry for the model, whatever the scenario is called.
    scaled = runs.assign(
        members_active=runs["members_active"] * scale_factor(size) / 1e6,
        scenario="model: mean and 95% band",
    )
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.add_subplot()
    draw_band(axes, scaled, "members_active", legend=False)
    axes.errorbar(
        history["date"],
        history["members"] / 1e6,
        yerr=[
            (history["members"] - history["low"]) / 1e6,
            (history["high"] - history["members"]) / 1e6,
        ],
        fmt="o",
        color=OKABE_ITO[1],
        markersize=4,
        capsize=2,
        label="record (data/history.csv)",
    )
    axes.set_ylabel("members and candidates, millions")
    axes.set_title(title)
    axes.legend(frameon=False, loc="upper left")
    return figure
