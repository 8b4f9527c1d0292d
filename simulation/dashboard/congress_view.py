"""The dashboard's view of a party that argues: hidden disagreement, congress votes, organisations.

Four panels (docs/ODD.md 7.9 and 4.11): the share of members who disagree beyond tolerance but
keep it to themselves, month by month; each congress's vote as it is held (votes against the
line, and the hidden opposition: voters who prefer a platform in private but voted for the
line); votes against by regional organisation at the latest congress; and active members per
organisation now. In side-by-side mode the baseline's lines are dashed and its bars hatched.
Like :mod:`~simulation.dashboard.charts`, the figure is drawn server-side and sent as an image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulation.dashboard.charts import RUN_COLOURS, STYLES, date_axis, months
from simulation.model.members import Status
from simulation.model.outcomes import ORGANISATION_PREFIX
from simulation.model.party import PartyModel
from simulation.reporting import figures
from simulation.reporting.figures import OKABE_ITO

#: The congress shares shown, with their colours: what was said, and what was kept back.
VOTE_SHARES = {"votes_against": OKABE_ITO[4], "hidden_opposition": OKABE_ITO[1]}
#: Hatching of the baseline's bars (the run's are plain).
HATCHES = ("", "//")


@dataclass(frozen=True)
class ArguingParty:
    """What the view shows of one run.

    Attributes:
        label: The run's label.
        outcomes: Its monthly outcome table so far.
        congresses: One row per congress held so far: ``month``, ``name`` and the congress
            shares of that month (see :func:`congress_rows`).
        organisations: One row per organisation: ``members`` (active now) and
            ``votes_against`` (share of its voters at the latest congress; NaN before the first).
    """

    label: str
    outcomes: pd.DataFrame
    congresses: pd.DataFrame
    organisations: pd.DataFrame


def congress_rows(model: PartyModel, outcomes: pd.DataFrame) -> pd.DataFrame:
    """The congresses a run has held so far, read in their months (held values in between).

    Returns:
        Columns ``month``, ``name``, then :data:`VOTE_SHARES`' columns and
        ``delegates_against`` where the table has them; no rows before the first congress.
    """
    names = {event.month: event.name for event in model.config.events if event.kind == "congress"}
    shares = [c for c in (*VOTE_SHARES, "delegates_against") if c in outcomes.columns]
    month = outcomes["month"].astype(str)
    chosen = month.isin(list(names))
    held = pd.DataFrame({"month": month[chosen], "name": month[chosen].map(names)})
    held[shares] = outcomes.loc[chosen, shares]
    return held.reset_index(drop=True)


def organisation_rows(model: PartyModel, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Active members per organisation now, and its votes against at the latest congress.

    Returns:
        Indexed by organisation name: ``members`` and ``votes_against``; no rows when the
        scenario has no organisations.
    """
    names = [o.name for o in model.config.population.organisations]
    members = model.members
    if not names or not members.keeps("organisation"):
        return pd.DataFrame({"members": [], "votes_against": []}, dtype=float)
    active = members.organisation[members.status == Status.ACTIVE].astype(np.int64)
    counts = np.bincount(active, minlength=len(names))
    latest = outcomes.iloc[-1] if len(outcomes) else pd.Series(dtype=float)
    votes = [float(latest.get(f"{ORGANISATION_PREFIX}{name}", np.nan)) for name in names]
    return pd.DataFrame({"members": counts, "votes_against": votes}, index=names)


def arguing_party(label: str, model: PartyModel) -> ArguingParty:
    """What the view shows of a run now."""
    outcomes = model.outcomes()
    return ArguingParty(
        label, outcomes, congress_rows(model, outcomes), organisation_rows(model, outcomes)
    )


def _empty(axes: Sequence, text: str) -> None:
    for ax in axes:
        ax.text(0.5, 0.5, text, ha="center", va="center", color="grey", transform=ax.transAxes)


def _bars(ax: Axes, parties: Sequence[ArguingParty], column: str) -> None:
    """Grouped bars, one group per organisation, one bar per run."""
    width = 0.8 / max(len(parties), 1)
    for number, party in enumerate(parties):
        table = party.organisations
        where = np.arange(len(table)) + (number - (len(parties) - 1) / 2) * width
        ax.bar(
            where,
            table[column].to_numpy(dtype=float),
            width,
            color=RUN_COLOURS[number % 2],
            hatch=HATCHES[number % 2],
            edgecolor="white",
            label=party.label,
        )
    names = list(parties[0].organisations.index) if parties else []
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=6)
    ax.set_ylim(bottom=0)  # shares and counts: an all-zero panel stays above the axis


def party_argues_figure(parties: Sequence[ArguingParty], dpi: int = 80) -> Figure:
    """Draw the four panels for one or two runs.

    Args:
        parties: What to show of each run; the first is the tweaked run.
        dpi: Resolution of the figure.

    Returns:
        The figure; a panel with nothing to show yet says so.
    """
    figure = Figure(figsize=(6.0, 4.9), dpi=dpi)
    figure.subplots_adjust(left=0.09, right=0.98, top=0.95, bottom=0.15, hspace=0.55, wspace=0.24)
    hidden, votes, by_organisation, members = figure.subplots(2, 2).ravel()
    votes.sharex(hidden)  # congresses on the months the run has reached
    titles = (
        figures.label("hidden_disagreement")[0],
        "Congresses: against ●, hidden ○",
        "Votes against, latest congress",
        "Active members",
    )
    for ax, title in zip((hidden, votes, by_organisation, members), titles, strict=True):
        ax.set_title(title, fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    drawn = [party for party in parties if len(party.outcomes)]
    if not drawn:
        _empty((hidden, votes, by_organisation, members), "press Step or ▶")
        return figure
    for number, party in enumerate(drawn):
        style, colour = STYLES[number % 2], RUN_COLOURS[number % 2]
        frame = party.outcomes
        hidden.plot(months(frame), frame["hidden_disagreement"], style, color=colour, lw=1.4)
        held = party.congresses
        for column, fill in VOTE_SHARES.items():
            if column in held.columns:
                votes.plot(
                    figures.month_dates(held["month"]),
                    held[column],
                    style,
                    marker="o",
                    color=fill,
                    markerfacecolor=fill if column == "votes_against" else "white",
                    lw=0.8,
                    label=party.label if column == "votes_against" else None,
                )
    span = max(len(party.outcomes) for party in drawn)
    date_axis(hidden, span)
    date_axis(votes, span)
    if not any(len(party.congresses) for party in drawn):
        _empty((votes,), "no congress held yet")
    else:
        votes.legend(fontsize=6, loc="best", frameon=False)
    organised = [party for party in drawn if len(party.organisations)]
    if not organised:
        _empty((by_organisation, members), "no organisations in this scenario")
    else:
        _bars(by_organisation, organised, "votes_against")
        _bars(members, organised, "members")
        members.legend(fontsize=6, loc="best", frameon=False)
    return figure
