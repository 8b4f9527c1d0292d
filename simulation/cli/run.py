"""``politburo run``: one scenario once; its outcomes, resolved scenario, provenance, figure.

With ``succession.enabled`` the leaders' fate table is written too (``fates.csv``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulation.cli.common import OK, check_size, default_out
from simulation.cli.options import (
    add_allow_large_option,
    add_output_options,
    add_overrides_option,
    add_progress_option,
    add_seed_option,
    progress_setting,
)

if TYPE_CHECKING:
    import pandas as pd

    from simulation.scenario import Scenario


def add_parser(commands: Any) -> None:
    """Add ``politburo run`` to the main parser's subparsers."""
    run = commands.add_parser("run", help="run one scenario once and write its outcomes")
    run.add_argument("scenario", metavar="SCENARIO", help="scenario name or TOML file")
    add_seed_option(run, "seed of every random stream")
    add_overrides_option(run)
    add_output_options(run, "results/run-SCENARIO-seedN, with -set-HASH after --set")
    run.add_argument(
        "--members-out",
        type=Path,
        metavar="FILE",
        help="also write every member's final state (.csv or .parquet)",
    )
    add_allow_large_option(run)
    add_progress_option(run)


def command(options: argparse.Namespace) -> int:
    """Run ``politburo run``; return the exit code."""
    from simulation.experiment.runs import run_scenario
    from simulation.output import folders, provenance
    from simulation.scenario import load_scenario

    scenario = load_scenario(options.scenario, options.overrides)
    check_size(options, [scenario])
    suffix = f"seed{options.seed}"
    out = options.out or default_out("run", [scenario.name], options.overrides, suffix)
    folders.check_directory(out, options.force)
    if options.members_out is not None:
        folders.check_file(options.members_out, options.force)
    with folders.result_directory(out, options.force) as staging:
        result = run_scenario(
            scenario,
            options.seed,
            keep_members=options.members_out is not None,
            progress=progress_setting(options),
        )
        written = folders.write_table(result.outcomes, staging, "outcomes")
        if result.fates is not None:  # the leaders' fate table (docs/ODD.md 7.10)
            written += folders.write_table(result.fates, staging, "fates", ("csv",))
        written.append(folders.write_scenario(scenario, staging / "scenario.toml"))
        record = provenance.collect(
            seeds={"seed": result.seed},
            argv=options.argv,
            extra={"scenario": scenario.name, "months": scenario.months},
        )
        written.append(provenance.write(record, staging / "provenance.json"))
        written.append(draw_overview(result.outcomes, scenario, result.seed, staging))
    if result.members is not None:
        folders.write_frame(result.members, options.members_out)
    names = ", ".join(path.relative_to(staging).as_posix() for path in written)
    print(f"wrote {out}: {names}")
    if options.members_out is not None:
        print(f"wrote {options.members_out}: {len(result.members):,} members")
    print(headline(result.outcomes))
    return OK


def draw_overview(outcomes: pd.DataFrame, scenario: Scenario, seed: int, folder: Path) -> Path:
    """Draw a run's main outcomes over time as ``figures/overview.png`` in its folder."""
    from simulation.reporting import figures

    title = f"{scenario.name}, seed {seed}: {scenario.start} to {scenario.end}"
    return figures.save(figures.run_panel(outcomes, title), folder / "figures" / "overview.png")


def headline(outcomes: pd.DataFrame) -> str:
    """A few numbers of one run: the final month and means over the run."""
    last = outcomes.iloc[-1]
    purges = (
        f"{int(last['expelled_total']):,} expelled, {int(last['imprisoned_total']):,} imprisoned, "
        f"{int(last['executed_total']):,} executed"
    )
    innocent = last["innocent_share_total"]
    innocent_text = "no one punished" if innocent != innocent else f"{innocent:.1%} innocent"
    return "\n".join(
        [
            f"  {last['month']}: {int(last['members_active']):,} active members; "
            f"purged since start: {purges} ({innocent_text})",
            f"  means over the run: openness {outcomes['openness'].mean():.3f}, "
            f"falsification {outcomes['falsification'].mean():.3f}, "
            f"fear {outcomes['fear'].mean():.3f}, "
            f"policy error {outcomes['policy_error'].mean():.3f}",
        ]
    )
