"""Benchmark of the party model: speed, memory, scaling, the plain-Mesa ratio, two workers.

Run from the repository root::

    python benchmarks/bench.py                      # 10^4, 10^5 and 10^6 members, 3 repeats
    python benchmarks/bench.py --sizes 20000 --repeats 5
    python benchmarks/bench.py --quick              # a tiny smoke run (what the tests use)
    python benchmarks/bench.py --floor 12000000 7300000   # the debate's memory reads alone

Each measurement runs in a fresh child process, so that its peak memory (the child's maximum
resident set size) is its own. The child first runs a tiny model, so that compiled code is
loaded and the timing is that of a warm Python process; it then times building the party and
its network plus the whole historical run with the leader fixed (``historical_fixed``: the
historical path without the succession layer, which the plain-Mesa reference does not have,
and the run every figure of benchmarks/README.md was measured on). "Member-months" counts
active members summed over the months: the work the monthly rules do. Timings are medians
over ``--repeats`` runs.

The plain-Mesa reference model (``benchmarks/reference``) runs the same rules one Python
object per member; it is timed on the same scenario and months as the fast model, in the same
invocation, and the ratio of member-months per second is reported. The ensemble lines run
the same set of runs with one worker on every core (as ``--workers 1`` runs them), one worker
on one thread, and two workers on one thread each, ``--repeats`` times in alternation, and
report two workers' speed-up over each one-worker setting, from the median times.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "historical_fixed"


def measure(
    engine: str, size: int, months: int | None, seed: int, threads: int, scenario: str = SCENARIO
) -> dict:
    """Build and run one model in this process; time, member-months and peak memory.

    Args:
        engine: ``"fast"`` (:class:`simulation.model.party.PartyModel`) or ``"reference"``.
        size: Members at the start.
        months: Months to run (``None``: the whole scenario, 1924-1956).
        seed: The run's seed.
        threads: Threads of the compiled passes (0: numba's default, every core).
        scenario: The shipped scenario run.

    Returns:
        A record with the measurements.
    """
    from benchmarks.reference import run_reference
    from simulation.model.party import PartyModel
    from simulation.model.threads import compiled_threads, set_compiled_threads

    if threads:
        set_compiled_threads(threads)
    overrides = {"population.size": size}
    if engine == "fast":
        PartyModel(scenario, seed=seed, overrides={"population.size": 200, "end": "1925-12"}).run()
    started = time.perf_counter()
    if engine == "fast":
        model = PartyModel(scenario, seed=seed, overrides=overrides)
        steps = 0
        while model.running and (months is None or steps < months):
            model.step()
            steps += 1
        table = model.outcomes()
    else:
        table = run_reference(scenario, seed=seed, months=months, overrides=overrides)
    wall = time.perf_counter() - started
    # ru_maxrss is in kilobytes on Linux: the peak of this (fresh) process.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "engine": engine,
        "threads": compiled_threads() if engine == "fast" else 1,
        "members": size,
        "months": len(table),
        "member_months": int(table["members_active"].sum()),
        "wall_s": wall,
        "peak_bytes": peak,
    }


def measure_in_child(
    engine: str, size: int, months: int | None, seed: int, threads: int, scenario: str = SCENARIO
) -> dict:
    """Run :func:`measure` in a fresh Python process and return its record."""
    command = [sys.executable, __file__, "--child", engine, str(size), str(months or 0), str(seed)]
    command += [str(threads), scenario]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({engine}, {size}):\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(size: int, top: int = 12) -> list[str]:
    """Where one historical run's time goes: the functions with the most time of their own.

    Uses :mod:`cProfile` with the thread's CPU time as the clock, so that time other programs
    take from the machine is not counted. A compiled pass shows as one function.
    """
    import cProfile
    import pstats

    from simulation.model.party import PartyModel

    PartyModel(SCENARIO, seed=1, overrides={"population.size": 200, "end": "1925-12"}).run()
    model = PartyModel(SCENARIO, seed=1, overrides={"population.size": size})
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    model.run()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(entry[2] for entry in stats.values())
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    lines = [f"profile of one historical run at {size:,} members: {total:.2f} s of CPU time"]
    lines.append(f"{'seconds':>8} {'share':>6} {'calls':>7}  function")
    for (path, line, name), (_, calls, own, _, _) in rows:
        where = f"{Path(path).parent.name}/{Path(path).name}:{line}" if line else path
        lines.append(f"{own:8.2f} {own / total:6.1%} {calls:7d}  {name} ({where})")
    return lines


def floor_line(rows: int, active: int, threads: int) -> str:
    """The memory floor (:mod:`benchmarks.floor`) of a party of this size, as a printed line."""
    from benchmarks.floor import memory_floor
    from simulation.model.threads import compiled_threads, set_compiled_threads

    if threads:
        set_compiled_threads(threads)
    ns = memory_floor(rows, active)
    return (
        f"memory floor: one random tie's words per active member, {rows:,} rows, "
        f"{active:,} active, {compiled_threads()} threads: {ns:.1f} ns per member-month"
    )


def median_record(records: list[dict]) -> dict:
    """The run of median wall time among repeated measurements, with the largest peak memory.

    The median run's own member-months go with its own time (each seed's party grows
    differently); with an even number of runs, the faster of the middle two is taken.
    """
    ordered = sorted(records, key=lambda r: r["wall_s"])
    record = dict(ordered[(len(ordered) - 1) // 2])
    record["peak_bytes"] = max(r["peak_bytes"] for r in records)
    record["repeats"] = len(records)
    record["rate"] = record["member_months"] / record["wall_s"]
    return record


def ensemble_run(seed: int, size: int) -> int:
    """One default-size run for the ensemble measurement (top level: picklable)."""
    from simulation.model.party import PartyModel

    model = PartyModel(SCENARIO, seed=seed, overrides={"population.size": size})
    return int(model.run()["members_active"].sum())


#: The ensemble's settings: label, worker processes, and whether each worker is held to one
#: compiled thread. A lone worker on every core is how ``--workers 1`` runs.
ENSEMBLE_SETTINGS = (
    ("1 worker, every core", 1, False),
    ("1 worker, 1 thread", 1, True),
    ("2 workers, 1 thread each", 2, True),
)


def ensemble_speedup(runs: int, size: int, repeats: int) -> dict[str, list[float]]:
    """Wall times of ``runs`` runs in each of :data:`ENSEMBLE_SETTINGS`, ``repeats`` times.

    The settings alternate, so that a slow spell of the machine falls on all of them.
    """
    from simulation.model.threads import one_thread_per_worker

    times: dict[str, list[float]] = {label: [] for label, _, _ in ENSEMBLE_SETTINGS}
    # Fresh interpreters: a forked child of a process that has run compiled threads can hang.
    context = multiprocessing.get_context("spawn")
    for _ in range(repeats):
        for label, workers, one_thread in ENSEMBLE_SETTINGS:
            initializer = one_thread_per_worker if one_thread else None
            with ProcessPoolExecutor(workers, context, initializer) as pool:
                list(pool.map(ensemble_run, range(workers), [200] * workers))  # compile, warm
                started = time.perf_counter()
                list(pool.map(ensemble_run, range(runs), [size] * runs))
                times[label].append(time.perf_counter() - started)
    return times


def ensemble_lines(runs: int, size: int, times: dict[str, list[float]]) -> list[str]:
    """The ensemble's printed lines: median times, and two workers' speed-up over each."""
    medians = {label: statistics.median(values) for label, values in times.items()}
    two_label = ENSEMBLE_SETTINGS[-1][0]
    count = len(times[two_label])
    lines = [f"ensemble of {runs} runs at {size:,} members (median of {count}):"]
    for label, _, _ in ENSEMBLE_SETTINGS:
        lines.append(f"  {label:<26} {medians[label]:7.1f} s")
    for label, _, _ in ENSEMBLE_SETTINGS[:-1]:
        each = ", ".join(
            f"{a / b:.2f}x" for a, b in zip(times[label], times[two_label], strict=True)
        )
        lines.append(
            f"  2 workers over {label}: {medians[label] / medians[two_label]:.2f}x "
            f"(each time: {each})"
        )
    return lines


def table_lines(records: list[dict], reference_rate: float | None) -> list[str]:
    """The printed table."""
    header = (
        f"{'engine':<10} {'threads':>7} {'members':>9} {'months':>6} {'wall s':>8} "
        f"{'member-months/s':>16} {'ns/member-month':>16} {'peak MiB':>9} {'x reference':>12}"
    )
    lines = [header, "-" * len(header)]
    for r in records:
        # The ratio only where the reference ran the same members and months (side by side).
        same = reference_rate and (r["members"], r["months"]) == (
            records[0]["members"],
            records[0]["months"],
        )
        ratio = f"{r['rate'] / reference_rate:12.0f}" if same else f"{'':>12}"
        lines.append(
            f"{r['engine']:<10} {r['threads']:>7} {r['members']:>9,} {r['months']:>6} "
            f"{r['wall_s']:>8.2f} {r['rate']:>16,.0f} {1e9 / r['rate']:>16.1f} "
            f"{r['peak_bytes'] / 2**20:>9.0f} {ratio}"
        )
    return lines


def busy_mode(busy: int, sizes: list[int], repeats: int, parser: argparse.ArgumentParser) -> int:
    """Time runs beside ``busy`` busy processes (:mod:`benchmarks.busy`) and print the table."""
    from benchmarks.busy import busy_lines, busy_times

    if busy < 0 or repeats < 1 or min(sizes) < 1:
        parser.error("--busy, --repeats and --sizes must be positive (--busy may be 0)")

    def measure(size: int, seed: int, threads: int) -> dict:
        return measure_in_child("fast", size, None, seed, threads)

    try:
        times = busy_times(measure, sizes, busy, repeats, lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("interrupted; the busy processes are stopped", file=sys.stderr)
        return 130
    print("\n".join(busy_lines(times, busy, os.cpu_count() or 1)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per size, and ensemble pairs (median)"
    )
    parser.add_argument("--reference-size", type=int, default=10_000)
    parser.add_argument("--reference-months", type=int, default=36)
    parser.add_argument("--ensemble-runs", type=int, default=4, help="0: skip")
    parser.add_argument("--ensemble-size", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--json", type=Path, help="also write the records here")
    parser.add_argument(
        "--profile", type=int, metavar="MEMBERS", help="only profile one run of this size"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="threads of the compiled passes (0: every core)"
    )
    parser.add_argument(
        "--floor",
        type=int,
        nargs=2,
        metavar=("ROWS", "ACTIVE"),
        help="only time the debate's memory reads on a synthetic party (benchmarks/floor.py)",
    )
    parser.add_argument(
        "--busy",
        type=int,
        metavar="N",
        help="only time --sizes on 1 thread and on the default threads beside N busy processes",
    )
    parser.add_argument(
        "--scenario",
        default=SCENARIO,
        help="the shipped scenario the fast model runs (default historical_fixed; the "
        "plain-Mesa reference always runs historical_fixed)",
    )
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        engine, size, months, seed, threads, scenario = args.child
        record = measure(engine, int(size), int(months) or None, int(seed), int(threads), scenario)
        print(json.dumps(record))
        return 0
    # In this process (the profile, the ensemble's workers): the package from this checkout,
    # installed or not, as in the children that measure the table.
    sys.path.insert(0, str(ROOT))
    if args.profile:
        print("\n".join(profile(args.profile)))
        return 0
    if args.floor:
        try:
            print(floor_line(*args.floor, args.threads))
        except ValueError as error:
            parser.error(f"--floor: {error}")
        return 0
    if args.busy is not None:
        return busy_mode(args.busy, args.sizes, args.repeats, parser)
    if args.quick:
        args.sizes, args.repeats = [300], 1
        args.reference_size, args.reference_months = 200, 3
        args.ensemble_runs = 0
    print(f"politburo benchmark: scenario {args.scenario!r}, {os.cpu_count()} cores", flush=True)
    size, months = args.reference_size, args.reference_months
    reference = median_record([measure_in_child("reference", size, months, 1, 1)])
    seeds = range(1, args.repeats + 1)
    fast_window = median_record(
        [measure_in_child("fast", size, months, seed, args.threads) for seed in seeds]
    )
    records = [reference, fast_window]
    for size in args.sizes:
        runs = [
            measure_in_child("fast", size, None, seed, args.threads, args.scenario)
            for seed in seeds
        ]
        records.append(median_record(runs))
        print(f"  measured {size:,} members", file=sys.stderr, flush=True)
    print("\n".join(table_lines(records, reference["rate"])))
    print(
        f"\nfast / plain Mesa at {reference['members']:,} members over {months} months: "
        f"{fast_window['rate'] / reference['rate']:.0f}x member-months per second"
    )
    if args.ensemble_runs:
        times = ensemble_speedup(args.ensemble_runs, args.ensemble_size, args.repeats)
        print("\n".join(ensemble_lines(args.ensemble_runs, args.ensemble_size, times)))
    if args.json:
        args.json.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
