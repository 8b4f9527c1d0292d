"""``politburo validate-science``: the model checked against published results."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from simulation.cli.common import FAILED, OK, UsageError
from simulation.cli.options import add_seed_option


def add_parser(commands: Any) -> None:
    """Add ``politburo validate-science`` to the main parser's subparsers."""
    science = commands.add_parser(
        "validate-science", help="check the model against published results"
    )
    science.add_argument(
        "names", nargs="*", metavar="NAME", help="published results to check (default: all)"
    )
    science.add_argument(
        "--quick", action="store_true", help="fewer seeds and conditions: a first look"
    )
    add_seed_option(science, "seed of the checks")
    science.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write each result's figure (NAME.png) and results.md into DIR",
    )


def command(options: argparse.Namespace) -> int:
    """Run the checks, print a table and optional figures; 1 if any expressible result fails."""
    from rich.console import Console
    from rich.table import Table

    from simulation.output import atomic
    from simulation.validation import Verdict, run_checks
    from simulation.validation.figures import markdown, write_figure
    from simulation.validation.registry import names

    allowed = names()
    unknown = [name for name in options.names if name not in allowed]
    if unknown:
        raise UsageError(f"unknown published result {unknown[0]!r}; allowed: {', '.join(allowed)}")
    findings = run_checks(options.names or None, quick=options.quick, seed=options.seed)
    table = Table(title="Published results", show_lines=True)
    for column in ("result", "paper", "verdict", "the model's numbers"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        table.add_row(finding.name, finding.source, finding.verdict.value, finding.summary)
    Console(width=max(Console().width, 120)).print(table)
    if options.out is not None:
        written = [write_figure(finding, options.out) for finding in findings]
        report = "\n".join(markdown(finding) for finding in findings)
        atomic.write_text(options.out / "results.md", report)
        files = [path.name for path in written if path is not None] + ["results.md"]
        print(f"wrote {options.out}: {', '.join(files)}")
    reproduced = sum(finding.reproduced for finding in findings)
    print(f"{reproduced} of {len(findings)} published results reproduced")
    return FAILED if any(f.verdict is Verdict.FAILED for f in findings) else OK
