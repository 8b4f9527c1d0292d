"""A Markdown report of a comparison: scenarios, experiment, tables, figures, caveats."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

import pandas as pd

from simulation.plots import label
from simulation.scenario import Scenario
from simulation.summary import interval_table

STATISTIC_TITLES = {
    "final": "in the final month",
    "run_mean": "averaged over the whole run",
}

HOW_TO_READ = """\
Each scenario was run once per replicate seed; replicate *k* of every scenario uses the same
seed, so the scenarios start from the same party, social network and path of the hidden
"correct line" and meet the same random draws wherever their policies let them (common random
numbers). Intervals are 95% t-intervals over replicates: they describe how much the model's own
randomness moves a result, not how uncertain the model's assumptions are. A difference whose
interval excludes zero is robust to that randomness under *these* parameters; change a parameter
(`--set`) and it may vanish. `n` is given where some replicates had no value (for example the
share of innocents among the punished when nobody was punished).

**What the model cannot tell.** This is a thought experiment with explicit, simplified
assumptions about how members speak, learn and fear, and how a leadership listens and punishes.
It is not a prediction or a reconstruction of Soviet history: counts are model members (about 24
real members each at the default size), the policy axis is a one-dimensional abstraction, and
the counterfactual leaderships are encoded as parameter choices that are themselves arguable.
Use it to see which mechanisms produce which patterns, and how sensitive those patterns are.
"""


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


def outcome_section(summary: pd.DataFrame, differences: pd.DataFrame) -> list[str]:
    """Tables of outcomes and of differences from the first scenario, per statistic."""
    lines: list[str] = []
    for statistic, words in STATISTIC_TITLES.items():
        lines += [
            f"### Outcomes {words}",
            "",
            "Mean over replicates [95% interval].",
            "",
            markdown_table(_outcome_names(interval_table(summary, statistic)), "outcome"),
            "",
        ]
        if len(differences):
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


def compare_report(
    scenarios: Sequence[Scenario],
    summary: pd.DataFrame,
    differences: pd.DataFrame,
    figures: Mapping[str, str],
    replicates: int,
    seed: int,
    command: Sequence[str],
    version: str,
) -> str:
    """Write the Markdown report of a comparison.

    Args:
        scenarios: The resolved scenarios, the baseline first.
        summary: Output of :func:`simulation.summary.summarise`.
        differences: Output of :func:`simulation.summary.differences`.
        figures: Caption -> figure path relative to the report.
        replicates: Replicates per scenario.
        seed: The experiment's seed.
        command: The command line that produced the result.
        version: The package version.

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
        f"- Seed: {seed} (replicate seeds derived by `SeedSequence.spawn`; see `runs.parquet`).",
        f"- Command: `{shlex.join(command)}`",
        f"- politburo {version}; versions of everything else in `provenance.json`.",
        "",
        "## Outcomes",
        "",
        *outcome_section(summary, differences),
        "## Over time",
        "",
        "Lines are replicate means; bands are 95% t-intervals over replicates.",
        "",
    ]
    for caption, path in figures.items():
        lines += [f"### {caption}", "", f"![{caption}]({path})", ""]
    lines += ["## How to read this, and what the model cannot tell", "", HOW_TO_READ]
    return "\n".join(lines)
