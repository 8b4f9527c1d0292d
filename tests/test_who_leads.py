"""Who leads: shares of replicates with Wilson intervals, in compare's tables and report."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.cli.main import main
from simulation.reporting.summary import wilson_interval
from simulation.reporting.who_leads import (
    WHO_LEADS_DATES,
    who_leads,
    who_leads_dates,
    who_leads_table,
)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_share_inside_zero_and_one(case):
    count, n = case
    low, high = wilson_interval(count, n)
    assert 0.0 <= low <= count / n <= high <= 1.0
    assert high - low > 0  # never a point, even at 0 or n


def test_wilson_interval_pinned():
    # Wilson (1927): none of 4 -> high = z^2 / (n + z^2); 3 of 4 -> (0.301, 0.954).
    z2 = 1.959963984540054**2
    assert wilson_interval(0, 4) == pytest.approx((0.0, z2 / (4 + z2)))
    assert wilson_interval(3, 4) == pytest.approx((0.30064, 0.95441), abs=1e-5)
    assert wilson_interval(10, 20) == pytest.approx((0.29930, 0.70070), abs=1e-5)
    assert all(math.isnan(value) for value in wilson_interval(0, 0))


def runs_of(leaders):
    """A replicate table: scenario -> list (per replicate) of leaders by month."""
    rows = []
    for scenario, replicates in leaders.items():
        for replicate, months in enumerate(replicates):
            for month, leader in months.items():
                rows.append((scenario, replicate, month, leader))
    return pd.DataFrame(rows, columns=["scenario", "replicate", "month", "leader"])


RUNS = runs_of(
    {
        "succession": [{"1930-01": "stalin", "1940-01": "stalin"}] * 3
        + [{"1930-01": "zinoviev", "1940-01": "kirov"}],
        "lever": [{"1930-01": "trotsky", "1940-01": "trotsky"}] * 2
        + [{"1930-01": "stalin", "1940-01": "stalin"}] * 2,
    }
)


def test_who_leads_counts_each_leader_in_each_scenario():
    table = who_leads(RUNS, ["1930-01"])
    got = {(row.scenario, row.leader): (row.count, row.replicates) for row in table.itertuples()}
    assert got == {
        ("succession", "stalin"): (3, 4),
        ("succession", "trotsky"): (0, 4),
        ("succession", "zinoviev"): (1, 4),
        ("lever", "stalin"): (2, 4),
        ("lever", "trotsky"): (2, 4),
        ("lever", "zinoviev"): (0, 4),
    }
    # Most held first over both scenarios, then by name; shares of a scenario sum to 1.
    assert list(pd.unique(table["leader"])) == ["stalin", "trotsky", "zinoviev"]
    assert table.groupby("scenario")["share"].sum().tolist() == [1.0, 1.0]
    row = table[(table.scenario == "lever") & (table.leader == "trotsky")].iloc[0]
    assert (row.low, row.high) == wilson_interval(2, 4)


def test_who_leads_skips_dates_the_runs_do_not_reach():
    table = who_leads(RUNS, ["1940-01", "1953-06"])
    assert set(table["date"]) == {"1940-01"}
    assert set(table["leader"]) == {"stalin", "trotsky", "kirov"}


def test_the_dates_are_the_at_months_or_the_defaults():
    assert who_leads_dates(("final", "run_mean")) == WHO_LEADS_DATES
    assert who_leads_dates(("final", "at:1928-01", "mean:1930-01:1930-12")) == ("1928-01",)


def test_the_printed_table_has_a_row_per_date_and_leader():
    wide = who_leads_table(who_leads(RUNS, ["1930-01", "1940-01"]))
    assert list(wide.columns) == ["leader", "succession", "lever"]
    assert len(wide) == 3 + 3
    first = wide.iloc[0]
    assert first.leader == "stalin"
    assert first.succession == "0.75 [0.30, 0.95]"
    assert first.lever == "0.50 [0.15, 0.85]"


def test_compare_reports_who_leads_when_the_succession_is_fought(tmp_path, capsys):
    out = tmp_path / "cmp"
    arguments = ["compare", "historical", "succession_testament", "--replicates", "2"]
    tiny = ["--set", "population.size=300", "--set", "end=1925-06", "--at", "1924-04"]
    code = main([*arguments, *tiny, "--at", "1925-06", "--workers", "1", "--out", str(out)])
    assert code == 0
    table = pd.read_csv(out / "who_leads.csv")
    assert list(pd.unique(table["date"])) == ["1924-04", "1925-06"]
    assert (table.groupby(["date", "scenario"])["count"].sum() == 2).all()
    runs = pd.read_parquet(out / "runs.parquet")
    at = runs[runs.month == "1925-06"].groupby("scenario")["leader"].value_counts()
    for row in table[table.date == "1925-06"].itertuples():
        assert row.count == at.get((row.scenario, row.leader), 0)
    # Before May 1924 the testament is not yet acted on: Stalin leads in both.
    early = table[(table.date == "1924-04") & (table.leader == "stalin")]
    assert early["share"].tolist() == [1.0, 1.0]
    report = (out / "report.md").read_text()
    section = report.split("## Who leads")[1].split("## Over time")[0]
    assert "| date | leader | historical | succession_testament |" in section
    assert "Who leads at the end of the month" in capsys.readouterr().out


def test_compare_without_the_leaders_layer_has_no_who_leads(tmp_path):
    out = tmp_path / "cmp"
    tiny = ["--set", "population.size=300", "--set", "end=1924-06", "--workers", "1"]
    arguments = ["compare", "historical_fixed", "trotsky_fixed", "--replicates", "1", *tiny]
    assert main([*arguments, "--out", str(out)]) == 0
    assert not (out / "who_leads.csv").exists()
    assert "## Who leads" not in (out / "report.md").read_text()
