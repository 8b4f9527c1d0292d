"""The dashboard page: Mesa's SolaraViz with the party's policy controls beside it.

Start it with ``politburo dashboard [SCENARIO]`` (or ``solara run simulation.dashboard.app``).
SolaraViz supplies the frame (play, pause, step, reset, the speed sliders and the panel grid);
this module supplies the controls in the sidebar and four panels: a table of where each run
stands, the outcome charts, the party that argues (hidden disagreement, congress votes, the
organisations) and the network view; a fifth, the fight for the succession (the leaders, their
offices, their power over time and the ruling coalition), only when a run has the succession
layer.

Two things behave differently from a plain SolaraViz page, on purpose:

* A control takes effect at once. SolaraViz builds a new model only when Reset is pressed,
  so a slider moved mid-run would silently do nothing until then. Here every change builds a
  new run from the first month with the new values (a playing page goes on playing it), and
  the sidebar says what was applied; Reset restarts the same settings.
* The seed is typed as text and read as a whole number. Text that is not one is refused with
  a one-line message under the field, and the run on screen is kept.

The page is built per browser tab: each has its own settings and runs.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from simulation.dashboard.charts import outcome_figure
from simulation.dashboard.congress_view import party_argues_figure
from simulation.dashboard.leaders_view import CONTENDER_HEADER, contender_rows, leaders_figure
from simulation.dashboard.network_view import network_figure
from simulation.dashboard.runs import DashboardRun, run_class
from simulation.dashboard.settings import (
    KNOBS,
    QUOTA_SCALE,
    SIZES,
    DashboardSettings,
    SettingsError,
    base_scenario,
    campaign_count,
    parse_seed,
    parse_size,
    policy_event_count,
    scenario_value,
    startup_settings,
)
from simulation.dashboard.world_view import world_figure
from simulation.scenario import ScenarioError, list_scenarios

if TYPE_CHECKING:
    import pandas as pd

    from simulation.model.party import PartyModel

#: The baseline choice that means "the same scenario, as written".
SAME_SCENARIO = "same scenario, as written"
TITLE = "politburo dashboard"


def build(settings: DashboardSettings) -> tuple[DashboardRun | None, str | None]:
    """Build the runs for some settings; a user's mistake comes back as one line of text."""
    try:
        return run_class(settings)(), None
    except (ScenarioError, SettingsError) as error:
        return None, " ".join(str(error).split())


def _fmt(value: float, digits: int = 3) -> str:
    return "–" if value != value else f"{value:.{digits}f}"


#: Columns of the summary table.
SUMMARY_HEADER = (
    "run",
    "month",
    "seed",
    "start policy",
    "active",
    "expelled · jailed · shot, total",
    "openness",
    "fear",
    "hidden disagreement",
    "latest congress: against · hidden",
)


def latest_congress(party: PartyModel, last: pd.Series) -> str:
    """The latest congress's name, votes against and hidden opposition (shares of voters)."""
    if party.vote is None:
        return "–"
    shares = " · ".join(_fmt(last[name]) for name in ("votes_against", "hidden_opposition"))
    return f"{party.vote.name}: {shares}"


def summary_rows(model: DashboardRun) -> list[list[str]]:
    """One row of text per run: where it stands now (see :data:`SUMMARY_HEADER`)."""
    rows = []
    for run, (_, frame) in zip(model.runs(), model.outcomes(), strict=True):
        party, policy = run.model, run.model.config.policy
        start = f"τ {policy.tolerance:.2f} · ν {policy.surveillance:.2f} · ψ {policy.severity:.1f}"
        if len(frame):
            last = frame.iloc[-1]
            totals = ("expelled_total", "imprisoned_total", "executed_total")
            now = [
                str(last["month"]),
                f"{int(last['members_active']):,}",
                " · ".join(f"{int(last[column]):,}" for column in totals),
                _fmt(last["openness"]),
                _fmt(last["fear"]),
                _fmt(last["hidden_disagreement"]),
                latest_congress(party, last),
            ]
        else:
            size = f"{party.config.population.size:,}"
            now = [f"before {party.config.start}", size, "0 · 0 · 0", "–", "–", "–", "–"]
        rows.append([run.label, now[0], str(party.seed), start, *now[1:]])
    return rows


@solara.component
def Summary(model: DashboardRun) -> None:
    """Where each run stands: month, seed, starting policy, membership, purges, mood."""
    update_counter.get()
    header = "<tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in SUMMARY_HEADER) + "</tr>"
    rows = [
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in summary_rows(model)
    ]
    table = f"<table class='politburo-summary'>{header}{''.join(rows)}</table>"
    style = (
        ".politburo-summary{border-collapse:collapse;font-size:13px}"
        ".politburo-summary td,.politburo-summary th{padding:2px 6px;text-align:left;"
        "border-bottom:1px solid #ddd;white-space:nowrap}"
    )
    with solara.Column():
        solara.Style(style)
        solara.HTML(tag="div", unsafe_innerHTML=table, style="overflow-x: auto")


@solara.component
def OutcomeCharts(model: DashboardRun) -> None:
    """Purges by kind, openness, falsification, fear, policy error and membership by month."""
    update_counter.get()
    with solara.Column(classes=["politburo-charts"]):
        solara.FigureMatplotlib(outcome_figure(model.outcomes()), format="png")


@solara.component
def PartyArgues(model: DashboardRun) -> None:
    """Hidden disagreement by month, congress votes as they are held, and the organisations."""
    update_counter.get()
    with solara.Column(classes=["politburo-argues"]):
        solara.FigureMatplotlib(party_argues_figure(model.arguing()), format="png")


def contenders_html(model: DashboardRun) -> str:
    """The contenders' table of each run with the succession layer, with its ruling coalition."""
    parts = []
    header = "".join(f"<th>{html.escape(name)}</th>" for name in CONTENDER_HEADER)
    for state in model.succession():
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in contender_rows(state)
        )
        caption = f"{state.label}: ruling coalition {state.coalition or '–'}"
        parts.append(
            f"<table class='politburo-leaders'><caption>{html.escape(caption)}</caption>"
            f"<tr>{header}</tr>{rows}</table>"
        )
    return "".join(parts)


@solara.component
def LeadersView(model: DashboardRun) -> None:
    """The fight for the succession: power by month, who leads, the contenders now."""
    update_counter.get()
    style = (
        ".politburo-leaders{border-collapse:collapse;font-size:12px;margin-top:4px}"
        ".politburo-leaders caption{text-align:left;font-weight:bold}"
        ".politburo-leaders td,.politburo-leaders th{padding:1px 5px;text-align:left;"
        "border-bottom:1px solid #ddd;white-space:nowrap}"
    )
    with solara.Column(classes=["politburo-succession"]):
        solara.Style(style)
        solara.FigureMatplotlib(leaders_figure(model.succession()), format="png")
        solara.HTML(tag="div", unsafe_innerHTML=contenders_html(model), style="overflow-x: auto")


@solara.component
def WorldView(model: DashboardRun) -> None:
    """The world around the party: each world run's map now, and a line on its state."""
    update_counter.get()
    worlds = model.worlds()
    lines = "".join(f"<div>{html.escape(world.line())}</div>" for world in worlds)
    with solara.Column(classes=["politburo-world"]):
        solara.FigureMatplotlib(world_figure(worlds), format="png")
        solara.HTML(tag="div", unsafe_innerHTML=f"<div class='politburo-world'>{lines}</div>")


@solara.component
def NetworkView(model: DashboardRun) -> None:
    """A fixed sample of members and their ties, coloured by status or by private belief."""
    update_counter.get()
    colour_by = solara.use_reactive("status")
    with solara.Column(classes=["politburo-network"]):
        solara.ToggleButtonsSingle(value=colour_by, values=["status", "belief"], dense=True)
        figure = network_figure(model.network(), colour_by.value)
        solara.FigureMatplotlib(figure, format="png")


@solara.component
def Controls(
    settings: DashboardSettings,
    apply: Callable[[DashboardSettings, str], None],
    notice: str,
    error: str | None,
) -> None:
    """The sidebar: scenario, seed, party size, the policy, and the side-by-side baseline."""
    seed_text = solara.use_reactive(str(settings.seed))
    seed_error = solara.use_reactive(None)
    names = [name for name, _, _ in list_scenarios()]
    if settings.scenario not in names:
        names.append(settings.scenario)

    def on_seed(text: str) -> None:
        seed_text.set(text)
        try:
            seed = parse_seed(text)
        except SettingsError as problem:
            seed_error.set(str(problem))
            return
        seed_error.set(None)
        if seed != settings.seed:
            apply(replace(settings, seed=seed), f"seed {seed}")

    with solara.Card("Scenario and seed"):
        solara.Select(
            "Scenario",
            values=names,
            value=settings.scenario,
            on_value=lambda name: apply(
                replace(settings, scenario=name, tweaks=(), hold_policy=False),
                f"scenario {name} and its own policy",
            ),
        )
        solara.InputText(
            "Seed (a whole number; press Enter)",
            value=seed_text.value,
            on_value=on_seed,
            error=seed_error.value or False,
            message=seed_error.value,
        )
        solara.Select(
            "Party members at the start",
            values=[str(size) for size in sorted({*SIZES, settings.size})],
            value=str(settings.size),
            on_value=lambda text: apply(
                replace(settings, size=parse_size(text)), f"{text} members at the start"
            ),
        )
    try:
        base = base_scenario(settings.scenario, settings.size)
    except ScenarioError:
        base = None  # the error is shown below; the controls need the scenario's values
    if base is not None:
        tweaks = settings.tweak_values()
        title = base.leadership.leaders[base.leadership.leader].title or base.leadership.leader
        with solara.Card("Policy at the start"):
            solara.Text(
                f"Values at {base.start}; the leader is {title}. The scenario's events change "
                "them later unless the policy is held.",
                style={"font-size": "12px"},
            )
            for knob in KNOBS:
                value = tweaks.get(knob.name, scenario_value(base, knob))

                def on_knob(new: float | bool, knob=knob) -> None:
                    shown = new if knob.kind == "bool" else round(float(new), 4)
                    apply(settings.tweak(knob.name, new), f"{knob.label} = {shown}")

                if knob.kind == "bool":
                    solara.Checkbox(label=knob.label, value=bool(value), on_value=on_knob)
                else:
                    # A knob with nothing to act on says so rather than doing nothing unseen.
                    idle = knob.name == QUOTA_SCALE and not campaign_count(base)
                    solara.SliderFloat(
                        f"{knob.label} = {float(value):g}" + (" (no campaigns)" if idle else ""),
                        value=float(value),
                        min=knob.low,
                        max=knob.high,
                        step=knob.step,
                        on_value=on_knob,
                    )
            events = policy_event_count(base)
            solara.Checkbox(
                label=f"Hold this policy for the whole run (skip the {events} policy events)",
                value=settings.hold_policy,
                on_value=lambda hold: apply(
                    replace(settings, hold_policy=hold),
                    "the policy held" if hold else "the scenario's policy events",
                ),
            )
            solara.Button(
                "Restore the scenario's policy",
                text=True,
                on_click=lambda: apply(
                    replace(settings, tweaks=(), hold_policy=False), "the scenario's own policy"
                ),
            )
    with solara.Card("Side by side"):
        solara.Switch(
            label="Run a baseline next to it (same seed)",
            value=settings.side_by_side,
            on_value=lambda on: apply(
                replace(settings, side_by_side=on), "a baseline" if on else "no baseline"
            ),
        )
        solara.Select(
            "Baseline scenario",
            values=[SAME_SCENARIO, *names],
            value=settings.baseline or SAME_SCENARIO,
            on_value=lambda name: apply(
                replace(
                    settings,
                    baseline=None if name == SAME_SCENARIO else name,
                    side_by_side=True,
                ),
                f"baseline {name}",
            ),
        )
    if error:
        solara.Error(error)
    elif notice:
        solara.Info(notice, dense=True)


@solara.component
def SidebarControls(
    settings: DashboardSettings,
    apply: Callable[[DashboardSettings, str], None],
    notice: str,
    error: str | None,
) -> None:
    """The controls, placed in the sidebar."""
    with solara.Sidebar():
        Controls(settings, apply, notice, error)


@solara.component
def Deeper(levels: int, component: Callable[..., None], *args: Any) -> None:
    """Render ``component`` ``levels`` component levels deeper than the caller.

    The sidebar orders what components put in it by how deep they sit in the page; rendered
    deeper than SolaraViz's own sidebar cards, the policy controls come below its play, step
    and reset buttons instead of pushing them out of sight.
    """
    if levels > 0:
        Deeper(levels - 1, component, *args)
    else:
        component(*args)


@solara.component
def Page() -> None:
    """The dashboard: SolaraViz with the controls in its sidebar."""
    first = solara.use_memo(lambda: startup_settings(os.environ), [])
    initial_run, initial_error = solara.use_memo(lambda: build(first), [])
    if initial_run is None:  # e.g. a scenario that no longer loads: fall back to the default
        first = DashboardSettings(size=first.size, seed=first.seed)
        initial_run, _ = build(first)
    settings = solara.use_reactive(first)
    model = solara.use_reactive(initial_run)
    notice = solara.use_reactive("")
    error = solara.use_reactive(initial_error)
    mount = solara.use_reactive(0)

    def apply(new: DashboardSettings, what: str) -> None:
        run, problem = build(new)
        if run is None:
            error.set(problem)
            return
        # The run SolaraViz steps: the one built here, or a later one its Reset built.
        stepped = getattr(type(model.value), "latest", None) or model.value
        ended = not stepped.running
        settings.set(new)
        model.set(run)
        if ended:
            # SolaraViz disables play and step once a run has ended, and only its Reset or a
            # fresh mount enables them again; no play loop runs now, so remount it.
            mount.set(mount.value + 1)
        error.set(None)
        notice.set(f"Restarted from {run.tweaked.config.start} with {what}.")

    Deeper(2, SidebarControls, settings.value, apply, notice.value, error.value)
    # The run, not a reactive variable: SolaraViz keeps the run in a variable of its own,
    # which its Reset replaces and which takes each new run built here; a playing loop goes
    # on playing the new run.
    with solara.Sidebar():
        # SolaraViz's controls live in the sidebar, whose parts are matched by position from
        # one render to the next. A hidden element ahead of them on every other mount shifts
        # them by one, so that they are built afresh (a new key on SolaraViz does not reach
        # them).
        if mount.value % 2:
            solara.Div(style="display: none")
    components = [(OutcomeCharts, 0), (PartyArgues, 0), (NetworkView, 0), (Summary, 0)]
    if model.value.has_succession():  # the leaders' view only where there are leaders
        components.insert(2, (LeadersView, 0))
    if model.value.has_world():  # the world's map beside the party, only with the world on
        components.insert(1, (WorldView, 0))
    SolaraViz(model.value, components=components, name=TITLE)
