"""Summaries and paired differences on a hand-made replicate table with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation.reporting.figures import band_table
from simulation.reporting.statistics import check_averageable, held_at_congresses
from simulation.reporting.summary import (
    MAIN_OUTCOMES,
    MOVING_COLUMN,
    TREND_SHARE,
    congress_table,
    congress_votes,
    decimals_for,
    differences,
    end_trends,
    format_interval,
    interval_table,
    main_outcomes,
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
    assert list(table.columns) == ["A", "B", MOVING_COLUMN] and list(table.index) == ["x", "y"]
    assert table.loc["x", "A"] == "2.00 [-0.48, 4.48]"
    assert table.loc["y", "A"].endswith("(n=2)")
    assert format_interval(0.5, NAN, NAN) == "0.500"
    assert decimals_for([1234.0, 2.0]) == 0 and decimals_for([0.00042, 1e-18]) == 6


def monthly_runs(series: dict[str, list], scenario: str = "A", replicates: int = 3) -> pd.DataFrame:
    """Replicates of one scenario whose outcomes follow given monthly series from 1930-01.

    Replicate ``k`` adds ``k / 1000`` to every value, so replicates differ a little.
    """
    months = len(next(iter(series.values())))
    dates = pd.period_range("1930-01", periods=months, freq="M")
    frames = []
    for replicate in range(replicates):
        frame = pd.DataFrame(
            {name: np.asarray(values) + replicate / 1000 for name, values in series.items()}
        )
        frame.insert(0, "month", dates)
        frame.insert(0, "seed", 100 + replicate)
        frame.insert(0, "replicate", replicate)
        frame.insert(0, "scenario", scenario)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_means_leave_out_cumulative_measures_and_dates_keep_them():
    runs = monthly_runs({"fear": [0.1, 0.2, 0.3, 0.4], "executed_total": [0, 5, 9, 9]})
    summary = summarise(runs, outcomes=("fear", "executed_total"))
    final = summary[summary["statistic"] == "final"]
    whole = summary[summary["statistic"] == "run_mean"]
    assert list(final["outcome"]) == ["fear", "executed_total"]
    assert list(whole["outcome"]) == ["fear"]  # a running total is not averaged
    assert pick(summary, statistic="run_mean", outcome="fear")["mean"] == pytest.approx(0.251)


def test_summaries_at_a_date_and_over_a_window():
    runs = monthly_runs({"fear": [0.1, 0.2, 0.3, 0.4], "executed_total": [0, 5, 9, 9]})
    statistics = ("final", "at:1930-02", "mean:1930-02:1930-03")
    summary = summarise(runs, outcomes=("fear", "executed_total"), statistics=statistics)
    assert list(pd.unique(summary["statistic"])) == list(statistics)
    assert pick(summary, statistic="at:1930-02", outcome="fear")["mean"] == pytest.approx(0.201)
    assert pick(summary, statistic="at:1930-02", outcome="executed_total")["mean"] == (
        pytest.approx(5.001)
    )
    window = summary[summary["statistic"] == "mean:1930-02:1930-03"]
    assert list(window["outcome"]) == ["fear"]
    assert window["mean"].iloc[0] == pytest.approx(0.251)
    # Text months (a table read from a file) give the same answers.
    text = runs.assign(month=runs["month"].astype(str))
    pd.testing.assert_frame_equal(
        summarise(text, outcomes=("fear",), statistics=statistics),
        summarise(runs, outcomes=("fear",), statistics=statistics),
    )
    contrast = differences(
        pd.concat([runs, runs.assign(scenario="B", fear=runs["fear"] * 2)]),
        outcomes=("fear",),
        statistics=statistics,
    )
    assert pick(contrast, statistic="at:1930-02")["mean"] == pytest.approx(0.201)
    with pytest.raises(ValueError, match="no month"):
        summarise(runs, outcomes=("fear",), statistics=("at:1931-01",))
    with pytest.raises(ValueError, match="unknown statistic"):
        summarise(runs, outcomes=("fear",), statistics=("at:1930-1",))


def test_still_moving_follows_the_documented_rule():
    flat_end = [0.0] * 6 + [0.6, 0.9] + [1.0] * 16  # moved early, flat for the last 12+ months
    rising = [month / 23 for month in range(24)]  # rises steadily to the end
    slight = [month * 0.001 for month in range(24)]  # 0.012 a year over a range of 0.023: moving
    creep = [1.0] + [0.0] * 11 + [0.0001 * m for m in range(12)]  # 0.0012 a year, range 1: not
    falling = [1.0 - month / 23 for month in range(24)]
    runs = monthly_runs({"a": flat_end, "b": rising, "c": slight, "d": creep, "e": falling})
    trends = end_trends(runs, outcomes=("a", "b", "c", "d", "e")).set_index("outcome")
    assert trends.loc["b", "end_change"] == pytest.approx(12 / 23)
    assert trends.loc["d", "end_change"] == pytest.approx(0.0012)
    assert trends.loc["d", "end_change"] < TREND_SHARE * trends.loc["d", "run_range"]
    assert trends["still_moving"].to_dict() == {
        "a": "",
        "b": "rising",
        "c": "rising",
        "d": "",
        "e": "falling",
    }
    table = interval_table(summarise(runs, outcomes=("a", "b", "e")), "final")
    assert table[MOVING_COLUMN].tolist() == ["no", "rising", "falling"]
    two = pd.concat([runs, monthly_runs({"a": flat_end, "b": flat_end, "e": rising}, "B")])
    table = interval_table(summarise(two, outcomes=("a", "b", "e")), "final")
    assert table[MOVING_COLUMN].tolist() == ["no", "rising: A", "rising: B; falling: A"]
    # Only final-month tables carry the column; differences never do.
    assert MOVING_COLUMN not in interval_table(summarise(two, outcomes=("a",)), "run_mean")
    assert MOVING_COLUMN not in interval_table(differences(two, outcomes=("a",)), "final")


def congress_runs() -> pd.DataFrame:
    """Two scenarios whose vote is held between congresses: A holds two, B one."""
    votes = [NAN, 0.1, 0.1, 0.3, 0.3]
    later = [NAN, 0.2, 0.2, 0.2, 0.2]
    a = monthly_runs({"votes_against": votes, "fear": [0.5] * 5, "cc1924_purged_share": votes})
    b = monthly_runs({"votes_against": later, "fear": [0.5] * 5, "cc1924_purged_share": later})
    return pd.concat([a, b.assign(scenario="B")], ignore_index=True)


def test_congress_results_are_read_in_congress_months_only():
    votes = congress_votes(congress_runs(), {"A": ["1930-04", "1930-02"], "B": ["1930-02"]})
    assert list(votes["month"]) == ["1930-02", "1930-04", "1930-02"]
    assert set(votes["outcome"]) == {"votes_against"}  # the other columns are absent
    first = pick(votes, scenario="A", month="1930-02")
    # Replicates add 0, 0.001, 0.002 (monthly_runs): mean 0.101, sd 0.001.
    assert first["n"] == 3 and first["mean"] == pytest.approx(0.101)
    assert first["high"] - first["mean"] == pytest.approx(T_2 * 0.001 / math.sqrt(3))
    assert pick(votes, scenario="A", month="1930-04")["mean"] == pytest.approx(0.301)
    table = congress_table(votes, "votes_against", {"1930-02": "14th", "1930-04": "15th"})
    assert list(table.index) == ["1930-02 14th", "1930-04 15th"]
    assert list(table.columns) == ["A", "B"]
    assert table.loc["1930-04 15th", "B"] == "–"  # B holds no congress then
    assert table.loc["1930-02 14th", "B"].startswith("0.201 [")


def test_congress_results_are_not_averaged_and_have_no_trend():
    runs = congress_runs()
    summary = summarise(runs, outcomes=("fear", "votes_against", "cc1924_purged_share"))
    means = summary[summary["statistic"] == "run_mean"]
    assert list(means["outcome"].unique()) == ["fear"]
    final = summary[summary["statistic"] == "final"]
    assert pick(final, scenario="A", outcome="votes_against")["mean"] == pytest.approx(0.301)
    assert set(final.loc[final["outcome"] == "votes_against", "still_moving"]) == {""}
    assert pick(final, scenario="A", outcome="cc1924_purged_share")["still_moving"] == "rising"
    assert held_at_congresses("votes_against") and held_at_congresses("votes_against_Moscow")
    assert not held_at_congresses("cc1924_purged_share") and not held_at_congresses("fear")
    with pytest.raises(ValueError, match="holds the latest congress's result"):
        check_averageable(["votes_against"], "mean:1930-01:1930-03")
    with pytest.raises(ValueError, match="cumulative count"):
        check_averageable(["cc1924_purged_share"], "mean")


def test_main_outcomes_are_those_the_runs_hold():
    runs = congress_runs()
    assert main_outcomes(runs) == ("fear", "votes_against", "cc1924_purged_share")
    assert set(main_outcomes(runs)) <= set(MAIN_OUTCOMES)
