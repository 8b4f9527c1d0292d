"""The succession's sequence as history targets: events read off the fates, shares of runs."""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.cli.main import main
from simulation.experiment.runs import run_replicates
from simulation.history import scorecard
from simulation.history.sequence import SEQUENCE_TARGETS, TOLERANCE_MONTHS, event_month
from simulation.history.targets import evaluate
from simulation.history.world_targets import WORLD_TARGETS
from simulation.scenario import load_scenario
from simulation.scenario.calendar import month_range, parse_month

CONTENDERS = ("stalin", "trotsky", "zinoviev", "kamenev", "bukharin", "rykov", "tomsky")


def fates_table(changes: dict[str, list[tuple[str, str]]]) -> pd.DataFrame:
    """A monthly table of fates: each contender in office until his listed changes."""
    months = [str(m) for m in month_range(parse_month("1924-01"), parse_month("1956-12"))]
    table = pd.DataFrame({"month": months, "leader": "stalin", "ruling_coalition": "stalin"})
    for name in CONTENDERS:
        column = pd.Series("in_office", index=table.index)
        for month, fate in changes.get(name, []):
            column[table["month"] >= month] = fate
        table[f"fate_{name}"] = column
    return table


#: The record's sequence, month by month.
RECORD = {
    "trotsky": [("1925-01", "demoted"), ("1927-11", "expelled"), ("1928-01", "exiled")],
    "zinoviev": [("1926-07", "demoted"), ("1927-11", "expelled")],
    "kamenev": [("1925-12", "demoted"), ("1927-12", "expelled")],
    "bukharin": [("1929-11", "demoted")],
    "tomsky": [("1930-07", "demoted")],
    "rykov": [("1930-12", "demoted")],
}


def values(table: pd.DataFrame) -> dict[str, float]:
    return evaluate(table, 3000, SEQUENCE_TARGETS)


def test_the_record_itself_reproduces_every_event():
    assert values(fates_table(RECORD)) == {t.name: 1.0 for t in SEQUENCE_TARGETS}


def test_an_event_of_several_men_falls_when_the_last_of_them_does():
    table = fates_table(RECORD)
    assert event_month(table, ["zinoviev", "kamenev"], ("demoted",)) == "1926-07"
    assert event_month(table, ["stalin", "kamenev"], ("demoted",)) is None


@pytest.mark.parametrize(
    ("month", "expected"),
    [("1924-07", 1.0), ("1924-06", 0.0), ("1925-07", 1.0), ("1925-08", 0.0)],
)
def test_trotskys_removal_counts_within_six_months_of_january_1925(month, expected):
    assert TOLERANCE_MONTHS == 6
    table = fates_table({**RECORD, "trotsky": [(month, "demoted"), *RECORD["trotsky"][1:]]})
    assert values(table)["trotsky_out_1925"] == expected


def test_death_is_not_defeat_and_a_right_that_falls_early_is_missed():
    died = fates_table({**RECORD, "trotsky": [("1924-10", "died")]})
    got = values(died)
    assert got["trotsky_out_1925"] == 0.0
    assert got["united_opposition_expelled_1927"] == 0.0
    assert got["trotsky_deported_1929"] == 0.0  # dead, not in exile
    early = fates_table({**RECORD, "rykov": [("1926-05", "demoted")], "tomsky": []})
    assert values(early)["right_defeated_1929"] == 0.0  # Tomsky never falls
    early = fates_table({**RECORD, "rykov": [("1926-05", "demoted"), ("1927-02", "expelled")]})
    # Tomsky (July 1930) falls last, inside May 1929 - June 1931: the event counts.
    assert values(early)["right_defeated_1929"] == 1.0


def test_deportation_reads_exile_and_control_reads_a_coalition_of_one():
    shot = fates_table({**RECORD, "trotsky": [*RECORD["trotsky"], ("1928-06", "shot")]})
    assert values(shot)["trotsky_deported_1929"] == 0.0
    shared = fates_table(RECORD).assign(ruling_coalition="stalin+bukharin")
    assert values(shared)["stalin_in_control_1930"] == 0.0
    other = fates_table(RECORD).assign(leader="bukharin")
    assert values(other)["stalin_in_control_1930"] == 0.0


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [(10, 10, 0.7225, 1.0), (0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (3, 10, 0.1078, 0.6032)],
)
def test_wilson_interval(successes, n, low, high):
    got = scorecard.wilson_interval(successes, n)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_the_card_gives_the_share_of_runs_and_wilsons_interval():
    runs = [fates_table(RECORD) for _ in range(7)]
    runs += [fates_table({**RECORD, "trotsky": [("1927-01", "demoted")]}) for _ in range(3)]
    table = pd.DataFrame([values(run) for run in runs])
    card = scorecard.scorecard(table, SEQUENCE_TARGETS).set_index("target")
    row = card.loc["trotsky_out_1925"]
    assert row["n"] == 10 and row["model_mean"] == pytest.approx(0.7)
    assert (row["model_low"], row["model_high"]) == pytest.approx((0.3968, 0.8922), abs=1e-4)
    assert row["within"] and not row["fitted"]
    assert card.loc["stalin_in_control_1930", "model_low"] == pytest.approx(0.7225, abs=1e-4)
    verdicts = {cells[0]: cells[1:] for cells in scorecard.display_rows(card.reset_index())}
    label = "Trotsky out of the War Commissariat, January 1925 (share of runs)"
    assert verdicts[label] == (
        "happened",
        "0.5-1 (most runs)",
        "0.5-1",
        "0.7 [0.397, 0.892]",
        "yes (not fitted)",
    )
    # Below one half: missed.
    runs = [fates_table({**RECORD, "trotsky": [("1927-01", "demoted")]}) for _ in range(6)]
    runs += [fates_table(RECORD) for _ in range(4)]
    card = scorecard.scorecard(pd.DataFrame([values(run) for run in runs]), SEQUENCE_TARGETS)
    assert not card.set_index("target").loc["trotsky_out_1925", "within"]


def test_a_succession_run_measures_the_sequence():
    scenario = load_scenario("historical", {"population.size": 300})
    runs = run_replicates([scenario], 2, 0, 1)
    card = scorecard.scorecard(scorecard.run_values(runs, 300), outcomes=runs.columns)
    rows = card.set_index("target").loc[[t.name for t in SEQUENCE_TARGETS]]
    assert (rows["measured"] == "").all() and (rows["n"] == 2).all()
    assert rows["model_mean"].isin([0.0, 0.5, 1.0]).all()
    # Only the world's targets are not measured: the succession scenario has no world layer.
    unmeasured = card.loc[card["measured"] != "", "target"]
    assert set(unmeasured) == {t.name for t in WORLD_TARGETS}


def test_history_command_scores_the_sequence_of_a_succession_scenario(tmp_path, capsys):
    out = tmp_path / "card"
    assert (
        main(["history", "historical", "--size", "300", "--replicates", "2", "--out", str(out)])
        == 0
    )
    printed = capsys.readouterr().out.strip().splitlines()
    assert "5 not measured (outcome at_war, communist_states, german_right absent)" in printed[-1]
    card = pd.read_csv(out / "scorecard.csv").set_index("target")
    sequence = slice(-len(SEQUENCE_TARGETS) - len(WORLD_TARGETS), -len(WORLD_TARGETS))
    assert list(card.index[sequence]) == [t.name for t in SEQUENCE_TARGETS]
    assert card.loc["stalin_in_control_1930", "unit"] == "share of runs"
    assert "(most runs)" in (out / "scorecard.md").read_text()


def test_first_month_where_reads_a_run_in_month_order():
    from simulation.reporting.statistics import first_month_where

    run = pd.DataFrame({"month": ["1925-03", "1925-01", "1925-02"], "x": [1, 0, 1]})
    assert first_month_where(run, run["x"] == 1) == "1925-02"
    assert first_month_where(run, run["x"] == 2) is None
