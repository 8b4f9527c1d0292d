"""The dashboard's view of the fight for the succession: the leaders, their power and offices.

Shown only for a run with the succession layer (``succession.enabled``; docs/ODD.md 7.10,
7.11): two panels, each contender's share of power month by month (``power_<name>``) and who
led in each month (``leader``), and a table of the contenders now: fate, offices, share of
power, and whether he is in the ruling coalition. In side-by-side mode the baseline's power
lines are dashed and its leaders get a strip of their own. Like
:mod:`~simulation.dashboard.charts`, the figure is drawn server-side and sent as an image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.dashboard.charts import STYLES, date_axis, months
from simulation.model.party import PartyModel
from simulation.reporting.figures import OKABE_ITO

#: Prefix of a contender's share of power in the outcome table (docs/ODD.md 4.11).
POWER_PREFIX = "power_"
#: Contenders drawn in colour, the strongest first; the others are grey.
COLOURED = 7
OTHERS = "#bbbbbb"
#: Columns of :func:`contender_rows`.
CONTENDER_HEADER = ("contender", "fate", "offices", "power", "ruling coalition")


@dataclass(frozen=True)
class Succession:
    """What the view shows of one run.

    Attributes:
        label: The run's label.
        outcomes: Its monthly outcome table so far.
        contenders: One row per contender, indexed by name: ``title``, ``fate``, ``offices``
            (names joined by ", "), ``power`` (his share now) and ``ruling`` (in the ruling
            coalition now).
        coalition: The ruling coalition now, its members' titles joined by " + " ("" if none
            or before the first month).
    """

    label: str
    outcomes: pd.DataFrame
    contenders: pd.DataFrame
    coalition: str


def succession_state(label: str, model: PartyModel) -> Succession | None:
    """What the view shows of a run now; None for a run without the succession layer."""
    fight = model.succession
    if fight is None:
        return None
    outcomes = model.outcomes()
    ruling = set(fight.ruling) if len(outcomes) else set()
    rows = {
        leader.name: {
            "title": leader.title,
            "fate": leader.fate,
            "offices": ", ".join(sorted(leader.offices)),
            "power": leader.power if len(outcomes) else np.nan,
            "ruling": leader.name in ruling,
        }
        for leader in fight.leaders
    }
    contenders = pd.DataFrame.from_dict(rows, orient="index")
    coalition = " + ".join(rows[name]["title"] for name in fight.ruling) if ruling else ""
    return Succession(label, outcomes, contenders, coalition)


def contender_rows(state: Succession) -> list[list[str]]:
    """Text cells of the contenders' table (see :data:`CONTENDER_HEADER`), strongest first."""
    table = state.contenders.sort_values("power", ascending=False, kind="stable")
    return [
        [
            row.title,
            row.fate.replace("_", " "),
            row.offices.replace("_", " ") or "–",
            "–" if row.power != row.power else f"{row.power:.3f}",
            "yes" if row.ruling else "",
        ]
        for row in table.itertuples()
    ]


def _strongest(states: Sequence[Succession]) -> list[str]:
    """The contenders in order of the largest share any of them reached in any run."""
    peaks: dict[str, float] = {}
    for state in states:
        for column in state.outcomes.columns:
            if str(column).startswith(POWER_PREFIX):
                name = str(column).removeprefix(POWER_PREFIX)
                peaks[name] = max(peaks.get(name, 0.0), float(state.outcomes[column].max()))
    return sorted(peaks, key=lambda name: -peaks[name])


def leaders_figure(states: Sequence[Succession], dpi: int = 80) -> Figure:
    """Draw the contenders' power by month and who led, for one or two runs.

    Args:
        states: What to show of each run with the succession layer; the first is the
            tweaked run.
        dpi: Resolution of the figure.

    Returns:
        The figure; with no month simulated yet its panels say so.
    """
    figure = Figure(figsize=(6.0, 3.6), dpi=dpi)
    figure.subplots_adjust(left=0.09, right=0.78, top=0.92, bottom=0.1, hspace=0.5)
    power, leads = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    power.set_title("Share of power", fontsize=8, loc="left")
    leads.set_title("Who leads", fontsize=8, loc="left")
    for ax in (power, leads):
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    drawn = [state for state in states if len(state.outcomes)]
    if not drawn:
        for ax in (power, leads):
            ax.text(0.5, 0.5, "press Step or ▶", ha="center", va="center", color="grey",
                    transform=ax.transAxes)  # fmt: skip
        return figure
    order = _strongest(drawn)
    colours = {name: OKABE_ITO[k % len(OKABE_ITO)] for k, name in enumerate(order[:COLOURED])}
    for number, state in enumerate(drawn):
        frame, style = state.outcomes, STYLES[number % 2]
        when = months(frame)
        for name in order:
            column = f"{POWER_PREFIX}{name}"
            if column not in frame.columns:
                continue
            label = name if number == 0 and name in colours else None
            power.plot(when, frame[column], style, color=colours.get(name, OTHERS), lw=1.2,
                       label=label)  # fmt: skip
        _leader_strip(leads, when, frame["leader"].astype(str), number, colours)
    power.set_ylim(0, 1)
    power.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    # One strip per run, the tweaked run on top (run labels are too long for tick labels).
    leads.set_yticks(range(len(drawn)), ["run", "baseline"][: len(drawn)], fontsize=6)
    leads.set_ylim(-0.6, len(drawn) - 0.4)
    leads.invert_yaxis()
    date_axis(leads, max(len(state.outcomes) for state in drawn))
    return figure


def _leader_strip(ax, when: pd.DatetimeIndex, leader: pd.Series, row: int, colours) -> None:
    """One horizontal strip per run, a segment per spell of a leader, named where it fits."""
    leader = leader.reset_index(drop=True)  # positions of ``when``
    spell = (leader != leader.shift()).cumsum()
    step = pd.Timedelta(days=31)
    for _, months_led in leader.groupby(spell):
        first, last = when[months_led.index[0]], when[months_led.index[-1]] + step
        name = months_led.iloc[0]
        ax.barh(row, last - first, left=first, height=0.8, color=colours.get(name, OTHERS))
        if (last - first).days > 3 * 365:
            ax.text(first + (last - first) / 2, row, name, ha="center", va="center", fontsize=6)
