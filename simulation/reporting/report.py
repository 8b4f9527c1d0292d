"""Reports of comparisons, sweeps and sensitivity analyses, in Markdown and self-contained HTML.

Each report is first written as Markdown (readable as it is, and on any code forge), in a
restricted subset: headings, paragraphs, lists, pipe tables, code spans and images. The HTML
report is rendered from that Markdown with ``markdown-it-py`` and carries its figures inside it
as base64 ``data:`` URIs, with inline CSS, so that one file can be mailed or archived and still
show everything. :func:`write_reports` writes both files of a result directory.
"""

from __future__ import annotations

import base64
import html
import math
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pandas as pd

from simulation.output import atomic
from simulation.reporting.analysis import parameter_columns
from simulation.reporting.figures import (
    label,
    sensitivity_frame,
    sensitivity_method,
)
from simulation.reporting.statistics import (
    held_at_congresses,
    parse_statistic,
    statistic_words,
)
from simulation.reporting.summary import (
    TREND_MONTHS,
    TREND_SHARE,
    congress_table,
    decimals_for,
    format_interval,
    format_number,
    interval_cells,
    interval_table,
)
from simulation.reporting.who_leads import who_leads_table
from simulation.scenario import Scenario
from simulation.scenario.schema import field_label, guesses_in_use


def statistic_title(statistic: str) -> str:
    """Heading words of a statistic's tables, e.g. ``"in the final month"``, ``"in 1938-12"``."""
    return statistic_words(statistic, heading=True)


#: The caveat every report ends with.
CAVEAT = """\
**What the model cannot tell.** This is a thought experiment with explicit, simplified
assumptions about how members speak, learn and fear, and how a leadership listens and punishes.
It is not a prediction or a reconstruction of Soviet history: counts are model members (about 24
real members each at the default size), the policy axis is a one-dimensional abstraction, and
the counterfactual leaderships are encoded as parameter choices that are themselves arguable.
Use it to see which mechanisms produce which patterns, and how sensitive those patterns are.
"""

#: How to read a comparison report.
HOW_TO_READ = (
    """\
Each scenario was run once per replicate seed; replicate *k* of every scenario uses the same
seed, so the scenarios start from the same party, social network and path of the hidden
"correct line" and meet the same random draws wherever their policies let them (common random
numbers). Intervals are 95% t-intervals over replicates: they describe how much the model's own
randomness moves a result, not how uncertain the model's assumptions are. A difference whose
interval excludes zero is robust to that randomness under *these* parameters; change a parameter
(`--set`) and it may vanish. `n` is given where some replicates had no value (for example the
share of innocents among the punished when nobody was punished).

"""
    + CAVEAT
)


def markdown_table(frame: pd.DataFrame, index_title: str = "") -> str:
    """Render a small table of strings as a GitHub-flavoured Markdown table.

    Args:
        frame: The table; its index becomes the first column.
        index_title: Heading of the index column.

    Returns:
        The Markdown text (no trailing newline).
    """
    headers = [index_title, *map(str, frame.columns)]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(["---"] + ["--:"] * len(frame.columns)) + "|",
    ]
    for index, row in frame.iterrows():
        cells = [str(index), *(str(value).replace("|", "\\|") for value in row)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _outcome_names(table: pd.DataFrame) -> pd.DataFrame:
    """Label rows by the outcome's title with its column name, e.g. ``Fear (`fear`)``."""
    return table.rename(index=lambda name: f"{label(name)[0]} (`{name}`)")


def _statistic_note(summary: pd.DataFrame, statistic: str) -> list[str]:
    """What a statistic's table leaves out or adds, in a sentence, for the reader."""
    if statistic == "final":
        return [
            f"The last column names the scenarios in which an outcome is still moving at the end "
            f"date: a straight line through each replicate's last {TREND_MONTHS} months changes "
            f"in a year by at least {TREND_SHARE:.0%} of the range the outcome covers over the "
            "run, and that yearly change's 95% interval over replicates excludes zero. A value "
            "still moving depends on where the run stops; read it beside the tables at other "
            "dates (`--at`, `--window`).",
            "",
        ]
    if parse_statistic(statistic).kind != "mean":
        return []
    left_out = [
        name
        for name in pd.unique(summary.loc[summary["statistic"] == "final", "outcome"])
        if name not in set(summary.loc[summary["statistic"] == statistic, "outcome"])
    ]
    held = [name for name in left_out if held_at_congresses(name)]
    groups = (
        (
            [name for name in left_out if name not in held],
            "Cumulative measures ({}) are left out: a mean over months of a running total weighs "
            "early events more than late ones and answers no question. Read them at a date: in "
            "the final month, or with `--at YYYY-MM`.",
        ),
        (
            held,
            "Congress results ({}) are left out: each holds the latest congress's result until "
            "the next, so a mean over months weighs a congress by how long its result stood. "
            "They are read congress by congress below (Congress votes).",
        ),
    )
    lines = []
    for names, sentence in groups:
        if names:
            lines += [sentence.format(", ".join(f"`{name}`" for name in names)), ""]
    return lines


def outcome_section(summary: pd.DataFrame, differences: pd.DataFrame) -> list[str]:
    """Tables of outcomes and of differences from the first scenario, per statistic.

    The statistics are those of ``summary``, in its order (the final month and the whole-run
    mean, then any chosen dates and windows).
    """
    lines: list[str] = []
    for statistic in pd.unique(summary["statistic"]):
        words = statistic_title(statistic)
        lines += [
            f"### Outcomes {words}",
            "",
            "Mean over replicates [95% interval].",
            "",
            *_statistic_note(summary, statistic),
            markdown_table(_outcome_names(interval_table(summary, statistic)), "outcome"),
            "",
        ]
        if len(differences) and statistic in set(differences["statistic"]):
            baseline = differences["baseline"].iloc[0]
            table = interval_table(differences, statistic)
            table.columns = [f"{name} − {baseline}" for name in table.columns]
            lines += [
                f"Differences from **{baseline}** {words}, paired by replicate seed: mean "
                "[95% interval].",
                "",
                markdown_table(_outcome_names(table), "outcome"),
                "",
            ]
    return lines


#: What the "Congress votes" section's tables show, under its heading.
CONGRESS_NOTE = """\
A congress's vote is read in the month the congress is held (docs/ODD.md 7.9): the share of
voters who voted openly for an opposition platform, the share who prefer a platform in private
but voted for the line (the hidden opposition), and the share of delegates elected for
opposition platforms. These measures hold the latest congress's result until the next, so the
outcome tables above read them in the final month (the last congress) and leave them out of
means over months. Mean over replicates [95% interval]; a dash where a scenario holds no
congress that month."""


def congress_section(votes: pd.DataFrame, names: Mapping[str, str]) -> list[str]:
    """The "Congress votes" section: one table per congress outcome; nothing without votes.

    Args:
        votes: Output of :func:`simulation.reporting.summary.congress_votes`.
        names: Congress month -> its name.
    """
    if votes.empty:
        return []
    lines = ["## Congress votes", "", CONGRESS_NOTE, ""]
    for outcome in pd.unique(votes["outcome"]):
        title, unit = label(outcome)
        lines += [
            f"### {title} (`{outcome}`)",
            "",
            f"Unit: {unit}.",
            "",
            markdown_table(congress_table(votes, outcome, names), "congress"),
            "",
        ]
    return lines


#: What the "The world around the party" section shows, under its heading.
WORLD_NOTE = """\
With the world layer on (docs/ODD.md, "The world around the party"): the countries communists
rule at the end of each date, the Soviet state included; the share of runs in which any country
went to war with a communist state (Wilson's 95% interval) and the year the first war began, over
the runs that had one (`n` says how many); the mean hostility abroad and the threat the world fed
back to the party's leader, each averaged over a run. Mean over replicates [95% interval]. The
layer is a stylised mechanism for how a foreign line feeds back on a party's openness and on war,
not a prediction of the Second World War; its parameters are guesses (docs/SCENARIOS.md)."""


def world_section(world: pd.DataFrame | None, maps: Mapping[str, str]) -> list[str]:
    """The "The world around the party" section; nothing when the world layer was off.

    Args:
        world: Output of :func:`simulation.reporting.world.world_summary`, or None.
        maps: Caption -> path of a map figure, relative to the report.
    """
    from simulation.reporting.world import world_table

    if world is None or world.empty:
        return []
    lines = ["## The world around the party", "", WORLD_NOTE, ""]
    lines += [markdown_table(world_table(world), "measure"), ""]
    for caption, path in maps.items():
        lines += [f"### {caption}", "", f"![{caption}]({path})", ""]
    return lines


def who_leads_section(leaders: pd.DataFrame) -> list[str]:
    """The "Who leads" section: each leader's share of replicates at each date (ODD 7.11)."""
    if leaders.empty:
        return []
    return [
        "## Who leads",
        "",
        "The share of replicates in which each leader holds power at the end of the month, with "
        "its 95% Wilson score interval (Wilson 1927), from the `leader` column; the table is "
        "`who_leads.csv`. Where the succession is fought (`succession.coalitions`) who leads is "
        "an outcome; where a scenario fixes the leader he follows its schedule in every replicate.",
        "",
        markdown_table(who_leads_table(leaders), "date"),
        "",
    ]


def congress_months(scenarios: Sequence[Scenario]) -> dict[str, list[str]]:
    """Scenario -> the months of the congresses its timeline holds."""
    return {
        scenario.name: [event.month for event in scenario.events if event.kind == "congress"]
        for scenario in scenarios
    }


def congress_names(scenarios: Sequence[Scenario]) -> dict[str, str]:
    """Congress month -> its name, as the first scenario holding a congress then names it."""
    names: dict[str, str] = {}
    for scenario in scenarios:
        for event in scenario.events:
            if event.kind == "congress":
                names.setdefault(event.month, event.name)
    return names


def _setting_lines(scenarios: Sequence[Scenario]) -> list[str]:
    """Period and party size, once if the scenarios share them, else per scenario."""
    first = scenarios[0]
    if len({(s.start, s.end) for s in scenarios}) == 1:
        period = f"{first.start} to {first.end} ({first.months} months)"
    else:
        period = "; ".join(f"{s.name} {s.start} to {s.end}" for s in scenarios)
    if len({s.population.size for s in scenarios}) == 1:
        size = f"{first.population.size:,} model members"
    else:
        size = "; ".join(f"{s.name} {s.population.size:,}" for s in scenarios)
    return [f"- Period: {period}, one step a month.", f"- Party size at the start: {size}."]


def guess_lines(scenarios: Sequence[Scenario], drawn: bool) -> list[str]:
    """What the report says of the values the scenarios mark as guesses (docs/ODD.md 5.6)."""
    ranges: dict[str, list[str]] = {}
    for scenario in scenarios:
        for key, guess in guesses_in_use(scenario).items():
            ranges.setdefault(f"`{key}` {guess.low:g}-{guess.high:g}", []).append(scenario.name)
    if not ranges:
        return []
    if not drawn:
        return [
            f"- Guesses: {len(ranges)} values are marked as guesses and held at each scenario's "
            "value; `--draw-guesses` draws them per replicate, so that the intervals hold them."
        ]
    shown = "; ".join(f"{text} ({', '.join(names)})" for text, names in ranges.items())
    return [
        "- Guesses drawn per replicate, uniformly over each range, the same draw for every "
        f"scenario that shares one (the values are columns of `runs.parquet`): {shown}. The "
        "intervals hold what these guesses leave open as well as chance."
    ]


def compare_report(
    scenarios: Sequence[Scenario],
    summary: pd.DataFrame,
    differences: pd.DataFrame,
    figures: Mapping[str, str],
    replicates: int,
    seed: int,
    command: Sequence[str],
    version: str,
    votes: pd.DataFrame | None = None,
    draw_guesses: bool = False,
    world: pd.DataFrame | None = None,
    maps: Mapping[str, str] | None = None,
    leaders: pd.DataFrame | None = None,
) -> str:
    """Write the Markdown report of a comparison.

    Args:
        scenarios: The resolved scenarios, the baseline first.
        summary: Output of :func:`simulation.reporting.summary.summarise`.
        differences: Output of :func:`simulation.reporting.summary.differences`.
        figures: Caption -> figure path relative to the report.
        replicates: Replicates per scenario.
        seed: The experiment's seed.
        command: The command line that produced the result.
        version: The package version.
        votes: Output of :func:`simulation.reporting.summary.congress_votes`; a "Congress
            votes" section when it has rows.
        draw_guesses: Whether the scenarios' guesses were drawn per replicate.
        world: Output of :func:`simulation.reporting.world.world_summary`; a section on the
            world around the party when given (the world layer was on).
        maps: Caption -> path of a map of the world at chosen dates, in that section.
        leaders: Output of :func:`simulation.reporting.who_leads.who_leads`; a "Who leads"
            section when it has rows.

    Returns:
        The report as Markdown text.
    """
    names = [s.name for s in scenarios]
    lines = [
        f"# Comparison: {' vs '.join(names)}",
        "",
        "## Scenarios",
        "",
        *(f"- **{s.name}** — {s.description or '(no description)'}" for s in scenarios),
        "",
        "The resolved parameters of each are in `scenarios/<name>.toml`.",
        "",
        "## Experiment",
        "",
        *_setting_lines(scenarios),
        f"- Replicates: {replicates} per scenario, under common random numbers.",
        *guess_lines(scenarios, draw_guesses),
        f"- Seed: {seed} (replicate seeds derived by `SeedSequence.spawn`; see `runs.parquet`).",
        f"- Command: `{shlex.join(command)}`",
        f"- politburo {version}; versions of everything else in `provenance.json`.",
        "",
        "## Outcomes",
        "",
        *outcome_section(summary, differences),
        *congress_section(pd.DataFrame() if votes is None else votes, congress_names(scenarios)),
        *world_section(world, maps or {}),
        *who_leads_section(pd.DataFrame() if leaders is None else leaders),
        "## Over time",
        "",
        "Lines are replicate means; bands are 95% t-intervals over replicates.",
        "",
    ]
    for caption, path in figures.items():
        lines += [f"### {caption}", "", f"![{caption}]({path})", ""]
    lines += ["## How to read this, and what the model cannot tell", "", HOW_TO_READ]
    return "\n".join(lines)


# --- Sweeps and sensitivity analyses ---------------------------------------------------------

#: How to read a sweep report.
HOW_TO_READ_SWEEP = (
    """\
Every design point is a set of parameter values applied to the scenario; each point was run once
per replicate seed, and replicate *k* of every point uses the same seed (common random numbers),
so two points differ by their parameters rather than by luck. A cell is the mean over replicates
of one number per run (the statistic named above) with its 95% t-interval over replicates: the
interval describes the model's own randomness, not uncertainty about its assumptions. In a heat
map or a response curve, parameters not on an axis are averaged over. Where a design samples
points (Latin hypercube) rather than filling a grid, read trends, not single points. Means over
the run leave out cumulative measures (running totals such as `executed_total`): their mean over
months weighs early events more than late ones, so they are read in the final month only.

"""
    + CAVEAT
)

#: How to read a sensitivity report, by method.
HOW_TO_READ_SENSITIVITY = {
    "sobol": """\
Sobol indices split the variance of an outcome over the parameter ranges above. The
**first-order index S1** is the share of that variance a parameter causes on its own; the
**total index ST** adds every interaction it takes part in, so ST − S1 measures interactions and
a parameter with ST near zero can be fixed anywhere in its range without changing the outcome.
Intervals are SALib's bootstrap 95% confidence intervals; small negative values and overlapping
intervals are estimation noise — rank parameters only where the intervals separate. The model is
stochastic: run-to-run randomness adds variance that no parameter explains, so indices sum to
less than one and unimportant parameters are not exactly zero. Indices depend on the ranges
chosen: a wider range makes a parameter look more important.

""",
    "morris": """\
Morris screening moves one parameter at a time along random trajectories through the ranges
above. **μ\\*** is the mean absolute change of the outcome per step (the parameter's overall
influence, in the outcome's units over the whole range); **σ** is the spread of those changes, large
when the effect depends on the other parameters (interactions) or is non-linear. Intervals on μ\\*
are SALib's bootstrap 95% confidence intervals. Morris ranks parameters cheaply; it does not
apportion variance — use Sobol for that. The model is stochastic, so a parameter that does
nothing still shows a small μ\\* from run-to-run randomness.

""",
}


@dataclass(frozen=True)
class ExperimentInfo:
    """What a sweep or sensitivity report says about how its results were made.

    Attributes:
        scenarios: Scenario names, the baseline first.
        parameters: Parameter (dotted key path) -> its grid values (a sequence of numbers), its
            range (for sensitivity reports a ``(low, high)`` pair) or a description.
        design: The design, e.g. ``"full factorial grid"``, ``"Latin hypercube, 50 points"``,
            ``"Sobol (Saltelli sampling), N = 256"``, ``"read from design.csv"``.
        replicates: Replicates per design point.
        seed: The experiment's seed.
        command: The command line that produced the result.
        points: Number of design points.
        runs: Number of runs in all.
        outcomes: The outcomes analysed.
        statistic: How each run was reduced to one number (``final``, ``mean``,
            ``mean:YYYY-MM:YYYY-MM``).
        period: The simulated period, e.g. ``"1924-01 to 1953-03 (351 months)"``.
        versions: Package -> version (politburo, Python, numpy, SALib, ...).
        fingerprint: The experiment definition's hash (the manifest's), if any.
        executor: How the runs were executed (e.g. ``"processes, 8 workers"``).
    """

    scenarios: Sequence[str]
    parameters: Mapping[str, Any]
    design: str
    replicates: int
    seed: int
    command: Sequence[str] = ()
    points: int | None = None
    runs: int | None = None
    outcomes: Sequence[str] = ()
    statistic: str = "final"
    period: str | None = None
    versions: Mapping[str, str] = field(default_factory=dict)
    fingerprint: str | None = None
    executor: str | None = None


def describe_values(values: Any, as_range: bool = False) -> str:
    """Describe a parameter's grid values, range or description for a report.

    Args:
        values: A sequence of numbers, a ``(low, high)`` pair, or text.
        as_range: Read a two-number sequence as a range rather than a two-value grid.

    Returns:
        E.g. ``"11 values: 0, 0.1, 0.2, …, 1"``, ``"0 to 1"`` or the text itself.
    """
    if isinstance(values, str):
        return values
    numbers = [float(v) for v in values]
    # Four significant digits show grid values as people write them (0.1, 2.5, 1e-05).
    text = [f"{number:.4g}" for number in numbers]
    if as_range and len(numbers) == 2:
        return f"{text[0]} to {text[1]}"
    if len(numbers) > 6:
        text = [*text[:3], "…", text[-1]]
    return f"{len(numbers)} value{'s' if len(numbers) != 1 else ''}: {', '.join(text)}"


def _parameter_meaning(name: str) -> str:
    declared = field_label(name)
    if declared is None:
        return ""
    title, unit = declared
    return f"{title} ({unit})" if unit else title


def experiment_section(info: ExperimentInfo, as_range: bool = False) -> list[str]:
    """The "Experiment" section: scenarios, parameters, design, seeds, command, versions."""
    rows = pd.DataFrame(
        {
            "meaning": [_parameter_meaning(name) for name in info.parameters],
            "range" if as_range else "values": [
                describe_values(values, as_range) for values in info.parameters.values()
            ],
        },
        index=[f"`{name}`" for name in info.parameters],
    )
    words = statistic_words(info.statistic)
    lines = [
        "## Experiment",
        "",
        f"- Scenario{'s' if len(info.scenarios) != 1 else ''}: "
        + ", ".join(f"**{name}**" for name in info.scenarios)
        + " (resolved parameters in the manifest).",
    ]
    if info.period:
        lines.append(f"- Period: {info.period}, one step a month.")
    lines.append(f"- Design: {info.design}.")
    counts = [f"{info.replicates} replicate{'s' if info.replicates != 1 else ''} per point"]
    if info.points is not None:
        counts.insert(0, f"{info.points:,} design points")
    if info.runs is not None:
        counts.append(f"{info.runs:,} runs in all")
    lines.append(f"- Size: {', '.join(counts)}.")
    if info.outcomes:
        names = ", ".join(f"`{name}`" for name in info.outcomes)
        lines.append(f"- Outcomes: {names}; each run reduced to its {words} (`{info.statistic}`).")
    lines += [
        f"- Seed: {info.seed}. Replicate seeds are derived by `SeedSequence.spawn` before any run "
        "is dispatched, and replicate *k* uses the same seed at every point and in every "
        "scenario (common random numbers); results do not depend on the executor.",
    ]
    if info.executor:
        lines.append(f"- Executed by: {info.executor}.")
    if info.command:
        lines.append(f"- Command: `{shlex.join(info.command)}`")
    if info.versions:
        versions = ", ".join(f"{name} {version}" for name, version in info.versions.items())
        lines.append(f"- Versions: {versions}.")
    if info.fingerprint:
        lines.append(f"- Experiment definition fingerprint: `{info.fingerprint}` (manifest.json).")
    lines += ["", "Parameters:", "", markdown_table(rows, "parameter"), ""]
    return lines


def _figure_lines(figures: Mapping[str, str]) -> list[str]:
    lines: list[str] = []
    for caption, path in figures.items():
        lines += [f"### {caption}", "", f"![{caption}]({path})", ""]
    return lines


def point_table(
    summary: pd.DataFrame,
    outcome: str,
    max_rows: int | None = 60,
    statistic: str | None = None,
) -> str:
    """One outcome's per-point means and intervals: a row per point, a column per scenario.

    Args:
        summary: Output of :func:`simulation.reporting.analysis.summarise_points` (several
            statistics' tables may be stacked).
        outcome: The outcome.
        max_rows: Show at most this many points (``None``: all); the rest are in the CSV.
        statistic: The statistic shown; the first in ``summary`` by default.

    Returns:
        The Markdown table.
    """
    chosen = summary[summary["outcome"] == outcome]
    if "statistic" in chosen.columns and len(chosen):
        statistic = chosen["statistic"].iloc[0] if statistic is None else statistic
        chosen = chosen[chosen["statistic"] == statistic]
    parameters = parameter_columns(chosen)
    keys = ["point"] if "point" in chosen.columns else parameters
    decimals = decimals_for(chosen[["mean", "low", "high"]].to_numpy().ravel())
    cells = chosen.assign(cell=interval_cells(chosen, [decimals] * len(chosen)))
    wide = cells.pivot_table(index=keys, columns="scenario", values="cell", aggfunc="first")
    wide = wide.reindex(columns=list(pd.unique(chosen["scenario"])))
    wide.columns = [str(name) for name in wide.columns]
    values = chosen.drop_duplicates(keys).set_index(keys)[parameters]
    table = values.join(wide).reindex(pd.unique(chosen.set_index(keys).index))
    table = table.rename(columns={name: f"`{name}`" for name in parameters})
    for name in parameters:
        table[f"`{name}`"] = [f"{float(v):.4g}" for v in table[f"`{name}`"]]
    if len(table.columns) == len(parameters) + 1:
        table = table.rename(columns={table.columns[-1]: "mean [95% interval]"})
    if max_rows is not None and len(table) > max_rows:
        return markdown_table(table.head(max_rows), keys[0] if len(keys) == 1 else "") + (
            f"\n\n(first {max_rows} of {len(table)} points; all of them are in the summary CSV)"
        )
    return markdown_table(table, keys[0] if len(keys) == 1 else "")


def _first_seen(column: pd.Series) -> pd.Series:
    """Sort key: the position where each value first appears."""
    order = {value: number for number, value in enumerate(pd.unique(column))}
    return column.map(order)


def sweep_report(
    info: ExperimentInfo,
    summary: pd.DataFrame,
    figures: Mapping[str, str],
    title: str | None = None,
    max_rows: int | None = 60,
) -> str:
    """Write the Markdown report of a parameter sweep.

    Args:
        info: The experiment's definition and provenance.
        summary: Output of :func:`simulation.reporting.analysis.summarise_points` (any outcomes).
        figures: Caption -> figure path relative to the report (heat maps, response curves).
        title: The report's title; ``"Sweep: SCENARIO over PARAMETERS"`` by default.
        max_rows: Points shown per outcome table (``None``: all).

    Returns:
        The report as Markdown text.
    """
    names = ", ".join(f"`{name}`" for name in info.parameters)
    lines = [
        title or f"# Sweep: {' vs '.join(info.scenarios)} over {names}",
        "",
        *experiment_section(info),
        "## Results",
        "",
    ]
    # Several statistics may be stacked (final and whole-run mean): one table for each pair,
    # grouped by outcome so that a reader finds both views of an outcome together.
    pairs = summary[["outcome", "statistic"]].drop_duplicates() if len(summary) else summary
    for outcome, statistic in pairs.sort_values("outcome", key=_first_seen, kind="stable")[
        ["outcome", "statistic"]
    ].itertuples(index=False):
        lines += [
            f"### {label(outcome)[0]} (`{outcome}`), {statistic_words(statistic)}",
            "",
            f"Mean over replicates [95% interval]; unit: {label(outcome)[1]}.",
            "",
            point_table(summary, outcome, max_rows, statistic),
            "",
        ]
    if figures:
        lines += ["## Figures", "", *_figure_lines(figures)]
    lines += ["## How to read this, and what the model cannot tell", "", HOW_TO_READ_SWEEP]
    return "\n".join(lines)


def _sensitivity_table(rows: pd.DataFrame, method: str) -> pd.DataFrame:
    """Indices of one outcome as strings, one row per parameter, most important first."""
    rank = "ST" if method == "sobol" else "mu_star"
    rows = rows.sort_values(rank, ascending=False)
    measures = ["ST", "S1"] if method == "sobol" else ["mu_star", "sigma"]
    measures = [m for m in measures if m in rows.columns]
    numbers = rows[measures].to_numpy(dtype=float).ravel()
    decimals = max(decimals_for(numbers, 2), 2 if method == "sobol" else 0)
    headers = {"ST": "total ST", "S1": "first order S1", "mu_star": "μ*", "sigma": "σ"}
    table = pd.DataFrame(index=[f"`{name}`" for name in rows["parameter"]])
    for measure in measures:
        conf = rows.get(f"{measure}_conf")
        cells = []
        for number, value in enumerate(rows[measure].to_numpy(dtype=float)):
            half = math.nan if conf is None else abs(float(conf.iloc[number]))
            cells.append(format_interval(value, value - half, value + half, decimals))
        table[headers[measure]] = cells
    if {"ST", "S1"} <= set(measures):
        table["interactions ST − S1"] = [
            format_number(value, decimals) for value in (rows["ST"] - rows["S1"]).to_numpy()
        ]
    return table


def top_parameters(indices: pd.DataFrame, outcome: str, count: int = 3) -> list[str]:
    """The ``count`` most important parameters of an outcome (by ST, or μ* for Morris)."""
    frame = sensitivity_frame(indices)
    rank = "ST" if sensitivity_method(frame) == "sobol" else "mu_star"
    rows = frame[frame["outcome"] == outcome].sort_values(rank, ascending=False)
    return [str(name) for name in rows["parameter"].head(count)]


def sensitivity_report(
    info: ExperimentInfo,
    indices: pd.DataFrame,
    figures: Mapping[str, str],
    title: str | None = None,
) -> str:
    """Write the Markdown report of a global sensitivity analysis.

    Args:
        info: The experiment's definition and provenance; ``parameters`` map each parameter
            to its ``(low, high)`` range.
        indices: The indices, one row per outcome and parameter, in SALib's naming (``ST``,
            ``ST_conf``, ``S1``, ``S1_conf``; or ``mu_star``, ``mu_star_conf``, ``sigma``); see
            :func:`simulation.reporting.figures.sensitivity_frame` for the accepted layouts.
        figures: Caption -> figure path relative to the report.
        title: The report's title; ``"Sensitivity (METHOD): SCENARIO"`` by default.

    Returns:
        The report as Markdown text.
    """
    frame = sensitivity_frame(indices)
    method = sensitivity_method(frame)
    method_name = "Sobol" if method == "sobol" else "Morris"
    lines = [
        title or f"# Sensitivity ({method_name}): {' vs '.join(info.scenarios)}",
        "",
        *experiment_section(info, as_range=True),
        "## Results",
        "",
    ]
    ranked_by = "total index ST" if method == "sobol" else "μ*"
    summary = []
    for outcome in pd.unique(frame["outcome"]):
        name = f"{label(outcome)[0]} (`{outcome}`)" if outcome else "the outcome"
        top = ", ".join(f"`{p}`" for p in top_parameters(frame, outcome))
        summary.append(f"- {name}: {top}")
    lines += [f"Most important parameters by {ranked_by}:", "", *summary, ""]
    for outcome in pd.unique(frame["outcome"]):
        rows = frame[frame["outcome"] == outcome]
        heading = f"{label(outcome)[0]} (`{outcome}`)" if outcome else "Indices"
        words = statistic_words(info.statistic)
        lines += [
            f"### {heading}, {words}",
            "",
            "Index [95% confidence interval], most important first.",
            "",
            markdown_table(_sensitivity_table(rows, method), "parameter"),
            "",
        ]
    if figures:
        lines += ["## Figures", "", *_figure_lines(figures)]
    lines += [
        "## How to read this, and what the model cannot tell",
        "",
        HOW_TO_READ_SENSITIVITY[method] + CAVEAT,
    ]
    return "\n".join(lines)


# --- HTML -----------------------------------------------------------------------------------

#: Inline style of the HTML reports: readable line length, tables with ruled rows.
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
h1 { font-size: 1.7rem; border-bottom: 2px solid #0072B2; padding-bottom: .3rem; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
       background: #f3f3f3; padding: 0 .25em; border-radius: 3px; font-size: .92em; }
table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .9rem;
        font-variant-numeric: tabular-nums; display: block; overflow-x: auto; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .6rem; vertical-align: top; }
th { background: #f6f6f6; text-align: left; }
tbody tr:hover { background: #fafafa; }
img { max-width: 100%; height: auto; display: block; margin: .5rem 0 1rem; }
.missing { color: #D55E00; font-style: italic; }
footer { margin-top: 3rem; color: #666; font-size: .85rem; }
"""

#: The folder of a result directory that holds the figures the program drew; a report embeds
#: nothing from anywhere else.
FIGURES = "figures"
_MEDIA = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _figure_file(
    folder: Path, source: str, allowed: frozenset[str] | None
) -> tuple[Path, str] | None:
    """The file of one of the program's figures and its media type, or ``None``.

    Only a file inside ``folder/figures`` (after following ``..`` and links) whose path, or
    whose PNG twin's path, is among ``allowed`` (when given) is one of the program's; the SVG
    twin of a PNG is preferred (crisp at any zoom). Anything else, an absolute path, a URL or
    a data URI written into a scenario's description, say, is never read.
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", source, re.IGNORECASE) or "\x00" in source:
        return None
    root = (folder / FIGURES).resolve()
    path = (folder / source).resolve()
    if not path.is_relative_to(root):
        return None
    relative = path.relative_to(folder.resolve()).as_posix()
    if allowed is not None and relative not in allowed:
        return None
    svg = path.with_suffix(".svg")
    chosen = svg if svg.is_file() and svg.resolve().is_relative_to(root) else path
    media = _MEDIA.get(chosen.suffix.lower())
    if media is None or not chosen.is_file():
        return None
    return chosen, media


def html_report(
    markdown_text: str, folder: str | Path, figures: Iterable[str] | None = None
) -> str:
    """Render a Markdown report as one self-contained HTML page.

    Images are the program's figures in ``folder/figures`` (paths relative to the report),
    embedded as base64 ``data:`` URIs, the SVG version of a figure when there is one; the
    style is inline; nothing is loaded from elsewhere. Raw HTML in the Markdown is escaped,
    not passed through. An image that is not one of the program's figures (a path outside
    ``figures/``, not among ``figures``, a URL) is neither read nor linked: its alt text is
    shown with a note, as is a figure that cannot be found.

    Args:
        markdown_text: The report (headings, paragraphs, lists, pipe tables, images).
        folder: The directory the report's image paths are relative to.
        figures: The paths (relative to ``folder``) of the figures the program drew for this
            report; by default any file under ``folder/figures``.

    Returns:
        The HTML document.
    """
    from markdown_it import MarkdownIt

    folder = Path(folder)
    allowed = None if figures is None else frozenset(Path(p).as_posix() for p in figures)
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")

    def image(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        source = str(token.attrGet("src") or "")
        alt = html.escape(self.renderInlineAsText(token.children, options, env))
        found = _figure_file(folder, unquote(source), allowed)
        if found is None:
            return f'<span class="missing">[figure not found: {html.escape(source)}]</span>'
        path, media = found
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img src="data:{media};base64,{data}" alt="{alt}" />'

    renderer.add_render_rule("image", image)
    body = renderer.render(markdown_text)
    heading = re.search(r"^#\s+(.+)$", markdown_text, re.MULTILINE)
    title = html.escape(heading.group(1).replace("`", "")) if heading else "politburo report"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n"
        "<footer>Generated by politburo. Figures and tables are embedded in this file; the "
        "data are in the result directory next to it.</footer>\n</body>\n</html>\n"
    )


def write_reports(
    markdown_text: str, folder: str | Path, figures: Iterable[str] | None = None
) -> tuple[Path, Path]:
    """Write ``report.md`` and a self-contained ``report.html`` into a result directory.

    Figures the report links to must already be in ``folder/figures``. Each file is written
    to a hidden sibling and renamed, so a reader never sees half a report.

    Args:
        markdown_text: The report.
        folder: The result directory (or its staging directory).
        figures: The figures the program drew for it (see :func:`html_report`).

    Returns:
        The paths of ``report.md`` and ``report.html``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    page = html_report(markdown_text, folder, figures)
    markdown = atomic.write_text(folder / "report.md", markdown_text)
    return markdown, atomic.write_text(folder / "report.html", page)
