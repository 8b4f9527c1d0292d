"""Stalin or Trotsky? Compare `historical_fixed` and `trotsky_fixed` over a few replicates.

A starting point to copy: load scenarios (with overrides), run them under common random
numbers, summarise with confidence intervals and draw the outcomes over time. The two
scenarios fix the leader (the direct comparison); `historical` and `trotsky`, in which who leads
is an outcome, compare the same way.

    python scenarios/stalin_vs_trotsky.py --size 2000 --replicates 5 --out results/stalin-trotsky
"""

import argparse
from pathlib import Path

from simulation import load_scenario, run_replicates
from simulation.reporting import figures
from simulation.reporting.summary import differences, interval_table, summarise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="party members at the start")
    parser.add_argument("--replicates", type=int, default=5, help="replicates per scenario")
    parser.add_argument("--seed", type=int, default=0, help="experiment seed")
    parser.add_argument("--workers", type=int, default=1, help="processes to use")
    parser.add_argument("--end", help="stop early, at this month (YYYY-MM)")
    parser.add_argument("--out", type=Path, default=Path("results/stalin-vs-trotsky"))
    args = parser.parse_args()

    # The same overrides for both, so that only the leadership differs.
    overrides = [f"population.size={args.size}"] + ([f"end={args.end}"] if args.end else [])
    scenarios = [load_scenario(name, overrides) for name in ("historical_fixed", "trotsky_fixed")]

    # Replicate k of both scenarios shares one seed (common random numbers).
    runs = run_replicates(scenarios, args.replicates, args.seed, workers=args.workers)

    args.out.mkdir(parents=True, exist_ok=True)
    summary = summarise(runs)
    contrast = differences(runs)  # trotsky_fixed minus historical_fixed, paired by seed
    summary.to_csv(args.out / "summary.csv", index=False)
    contrast.to_csv(args.out / "differences.csv", index=False)
    for outcome in ("openness", "falsification", "fear", "policy_error", "members_active"):
        figures.save(figures.band(runs, outcome), args.out / f"{outcome}.png")
    figures.save(figures.purges(runs), args.out / "purges_cumulative.png")

    print("Final month, mean [95% interval]:")
    print(interval_table(summary, "final").to_string())
    print("\ntrotsky_fixed - historical_fixed, paired by seed:")
    print(interval_table(contrast, "final").to_string())
    print(f"\nfigures and tables in {args.out}")


if __name__ == "__main__":
    main()  # the guard matters: worker processes re-import this file
