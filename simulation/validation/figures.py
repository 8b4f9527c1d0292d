"""Draw a finding's figure (PNG) and write its numbers as Markdown, for ``--out``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simulation.reporting.figures import OKABE_ITO, save
from simulation.validation.result import Finding


def draw(finding: Finding) -> Figure | None:
    """The figure of a finding, or ``None`` if it has none."""
    spec = finding.figure
    if spec is None:
        return None
    figure = Figure(figsize=(5.6, 3.6), layout="constrained")
    axes = figure.add_subplot()
    for number, curve in enumerate(spec.curves):
        colour = OKABE_ITO[number % len(OKABE_ITO)]
        if curve.style == "points":
            axes.plot(curve.x, curve.y, "o", color=colour, label=curve.label, markersize=5)
        elif curve.style == "dashed":
            axes.plot(curve.x, curve.y, "--", color=colour, label=curve.label)
        elif curve.style == "steps":
            axes.step(curve.x, curve.y, where="post", color=colour, label=curve.label)
        else:
            axes.plot(curve.x, curve.y, "-o", color=colour, label=curve.label, markersize=3)
    if spec.xlog:
        axes.set_xscale("log")
    axes.set_title(spec.title, fontsize=10)
    axes.set_xlabel(spec.xlabel)
    axes.set_ylabel(spec.ylabel)
    axes.grid(True, color="0.9", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.legend(fontsize=8, frameon=False)
    return figure


def write_figure(finding: Finding, folder: Path) -> Path | None:
    """Save the finding's figure as ``folder/NAME.png``; the path, or ``None``."""
    figure = draw(finding)
    if figure is None:
        return None
    return save(figure, folder / f"{finding.name}.png", formats=("png",))


def markdown(finding: Finding) -> str:
    """The finding as a Markdown section: claim, set-up, numbers, verdict and note."""
    setup = "\n".join(f"- {key}: {value}" for key, value in finding.setup.items())
    numbers = markdown_table(finding.table)
    return (
        f"### {finding.title} ({finding.name})\n\n"
        f"{finding.citation}\n\n"
        f"**Claim.** {finding.claim}\n\n"
        f"**Set-up.**\n\n{setup}\n\n"
        f"**Numbers.**\n\n{numbers}\n\n"
        f"**Verdict: {finding.verdict.value}.** {finding.note}\n"
    )


def cell(value: object) -> str:
    """One table cell: floats to four significant digits, everything else as text."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def markdown_table(table: pd.DataFrame) -> str:
    """A pipe table of a data frame, without its index."""
    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *body])
