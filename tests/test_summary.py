"""Summaries and paired differences on a hand-made replicate table with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation.reporting.figures import band_table
from simulation.reporting.summary import (
    decimals_for,
    differences,
    format_interval,
    interval_table,
    summarise,
    t_interval,
)

T_2 = 4.302652729911275  # t quantile 0.975 with 2 degrees of freedom
T_1 = 12.706204736174705  # ... with 1 degree of freedom
NAN = float("nan")


def hand_made_runs() -> pd.DataFrame:
    """Two scenarios, three seeds, two months; B's replicate numbers are shuffled against
    its seeds, so pairing by replicate number would give other answers than pairing by seed."""
    rows = []
    # scenario, replicate, seed, (x in month 1, x in month 2), (y in month 1, y in month 2)
    table = [
        ("A", 0, 101, (0.0, 1.0), (NAN, 0.2)),
        ("A", 1, 102, (0.0, 2.0), (NAN, NAN)),
        ("A", 2, 103, (0.0, 3.0), (NAN, 0.4)),
        ("B", 0, 103, (0.0, 6.0), (0.5, NAN)),
        ("B", 1, 101, (0.0, 2.0), (0.5, 0.5)),
        ("B", 2, 102, (0.0, 4.0), (0.5, 0.5)),
    ]
    for scenario, replicate, seed, xs, ys in table:
        for month, x, y in zip(("1924-01", "1924-02"), xs, ys, strict=True):
            rows.append((scenario, replicate, seed, month, x, y))
    return pd.DataFrame(rows, columns=["scenario", "replicate", "seed", "month", "x", "y"])


def pick(table: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= table[column] == value
    assert mask.sum() == 1, where
    return table[mask].iloc[0]


def test_final_month_means_and_t_intervals():
    summary = summarise(hand_made_runs(), outcomes=("x", "y"))
    row = pick(summary, scenario="A", statistic="final", outcome="x")
    assert row["n"] == 3
    assert row["mean"] == pytest.approx(2.0)
    assert row["sd"] == pytest.approx(1.0)
    assert row["low"] == pytest.approx(2.0 - T_2 / math.sqrt(3))
    assert row["high"] == pytest.approx(2.0 + T_2 / math.sqrt(3))
    row = pick(summary, scenario="B", statistic="final", outcome="x")
    assert row["mean"] == pytest.approx(4.0)
    assert row["sd"] == pytest.approx(2.0)


def test_run_means_average_over_months_and_skip_nan_months():
    summary = summarise(hand_made_runs(), outcomes=("x", "y"))
    row = pick(summary, scenario="A", statistic="run_mean", outcome="x")
    # per replicate: 0.5, 1.0, 1.5
    assert row["mean"] == pytest.approx(1.0)
    assert row["high"] - row["mean"] == pytest.approx(T_2 * 0.5 / math.sqrt(3))
    row = pick(summary, scenario="A", statistic="run_mean", outcome="y")
    # seed 102 is NaN in both months: dropped; the others average their one valid month.
    assert row["n"] == 2
    assert row["mean"] == pytest.approx(0.3)


def test_nan_replicates_are_dropped_and_counted():
    summary = summarise(hand_made_runs(), outcomes=("x", "y"))
    row = pick(summary, scenario="A", statistic="final", outcome="y")
    assert row["n"] == 2
    assert row["mean"] == pytest.approx(0.3)
    assert row["high"] == pytest.approx(0.3 + T_1 * math.sqrt(0.02) / math.sqrt(2))


def test_differences_are_paired_by_seed():
    contrasts = differences(hand_made_runs(), outcomes=("x", "y"))
    assert set(contrasts["scenario"]) == {"B"}
    assert set(contrasts["baseline"]) == {"A"}
    row = pick(contrasts, statistic="final", outcome="x")
    # By seed: 2-1, 4-2, 6-3 = 1, 2, 3 (by replicate number it would be 5, 0, 1).
    assert row["n"] == 3
    assert row["mean"] == pytest.approx(2.0)
    assert row["low"] == pytest.approx(2.0 - T_2 / math.sqrt(3))
    assert row["high"] == pytest.approx(2.0 + T_2 / math.sqrt(3))
    row = pick(contrasts, statistic="final", outcome="y")
    # Only seed 101 has both values: one pair, so a mean but no interval.
    assert row["n"] == 1
    assert row["mean"] == pytest.approx(0.3)
    assert math.isnan(row["low"]) and math.isnan(row["high"])


def test_baseline_can_be_chosen_and_must_exist():
    contrasts = differences(hand_made_runs(), outcomes=("x",), baseline="B")
    assert pick(contrasts, statistic="final", outcome="x")["mean"] == pytest.approx(-2.0)
    with pytest.raises(ValueError, match="baseline"):
        differences(hand_made_runs(), outcomes=("x",), baseline="C")
    alone = hand_made_runs().query("scenario == 'A'")
    assert differences(alone, outcomes=("x",)).empty


def test_t_interval_agrees_with_scipy_and_handles_small_samples():
    values = np.random.default_rng(0).normal(3.0, 2.0, size=12)
    n, mean, sd, low, high = t_interval(values, level=0.9)
    expected = stats.t.interval(0.9, df=11, loc=values.mean(), scale=stats.sem(values))
    assert (n, mean, sd) == (12, pytest.approx(values.mean()), pytest.approx(values.std(ddof=1)))
    assert (low, high) == (pytest.approx(expected[0]), pytest.approx(expected[1]))
    assert t_interval([1.5])[:2] == (1, 1.5) and math.isnan(t_interval([1.5])[3])
    assert t_interval([NAN, NAN])[0] == 0 and math.isnan(t_interval([])[1])
    assert t_interval([2.0, 2.0, 2.0])[3:] == (2.0, 2.0)


def test_plot_band_matches_the_final_month_summary():
    runs = hand_made_runs()
    bands = band_table(runs, "x")
    last = bands[(bands["scenario"] == "A") & (bands["month"] == "1924-02")].iloc[0]
    summary = pick(summarise(runs, outcomes=("x",)), scenario="A", statistic="final")
    assert (last["mean"], last["low"], last["high"]) == (
        pytest.approx(summary["mean"]),
        pytest.approx(summary["low"]),
        pytest.approx(summary["high"]),
    )


def test_interval_table_formats_one_precision_per_row():
    table = interval_table(summarise(hand_made_runs(), outcomes=("x", "y")), "final")
    assert list(table.columns) == ["A", "B"] and list(table.index) == ["x", "y"]
    assert table.loc["x", "A"] == "2.00 [-0.48, 4.48]"
    assert table.loc["y", "A"].endswith("(n=2)")
    assert format_interval(0.5, NAN, NAN) == "0.500"
    assert decimals_for([1234.0, 2.0]) == 0 and decimals_for([0.00042, 1e-18]) == 6
