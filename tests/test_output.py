"""Result directories appear complete or not at all; tables, scenarios, provenance, figures."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from simulation.output import provenance
from simulation.output.folders import (
    OutputError,
    check_file,
    read_frame,
    result_directory,
    write_frame,
    write_scenario,
    write_table,
)
from simulation.reporting import figures
from simulation.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def siblings(path):
    return sorted(p.name for p in path.parent.iterdir())


def test_directory_appears_only_when_complete(tmp_path):
    target = tmp_path / "result"
    with result_directory(target) as staging:
        assert staging != target and staging.parent == tmp_path
        (staging / "a.txt").write_text("a")
        assert not target.exists()  # nothing that looks complete before the end
    assert (target / "a.txt").read_text() == "a"
    assert siblings(target) == ["result"]


def test_failure_leaves_nothing_behind(tmp_path):
    target = tmp_path / "result"
    with pytest.raises(RuntimeError), result_directory(target) as staging:
        (staging / "half.txt").write_text("half")
        raise RuntimeError("the run failed")
    assert not target.exists()
    assert siblings(target) == []


def test_existing_directory_needs_force_and_survives_a_failed_replacement(tmp_path):
    target = tmp_path / "result"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(OutputError, match="--force"), result_directory(target):
        pass
    # --force replaces a politburo result only: one with its provenance file.
    refused = pytest.raises(OutputError, match="not a politburo result")
    with refused, result_directory(target, force=True):
        pass
    (target / "provenance.json").write_text('{"package": "politburo"}')
    with pytest.raises(KeyboardInterrupt), result_directory(target, force=True) as staging:
        (staging / "new.txt").write_text("new")
        raise KeyboardInterrupt
    assert (target / "old.txt").is_file() and not (target / "new.txt").exists()
    assert (target / "provenance.json").is_file()
    with result_directory(target, force=True) as staging:
        (staging / "new.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert siblings(target) == ["result"]


def test_empty_directory_is_used_without_force_but_a_file_is_refused(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with result_directory(empty) as staging:
        (staging / "x.txt").write_text("x")
    assert (empty / "x.txt").is_file()
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError, match="not a directory"), result_directory(blocker, True):
        pass


def test_tables_round_trip_as_csv_and_parquet(tmp_path):
    frame = pd.DataFrame({"month": ["1924-01", "1924-02"], "x": [1.5, float("nan")], "n": [1, 2]})
    paths = write_table(frame, tmp_path, "table")
    assert [p.name for p in paths] == ["table.csv", "table.parquet"]
    pd.testing.assert_frame_equal(pd.read_csv(paths[0]), frame, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(paths[1]), frame, check_dtype=False)
    assert write_frame(frame, tmp_path / "m.pq").is_file()
    with pytest.raises(OutputError, match="unknown table format"):
        write_frame(frame, tmp_path / "m.xlsx")
    with pytest.raises(OutputError, match="--force"):
        check_file(paths[0])
    assert check_file(paths[0], force=True) == paths[0]


def test_months_are_stored_as_text_and_read_back_as_periods(tmp_path):
    text = pd.DataFrame({"month": ["1924-01", "1924-02"], "x": [1.5, 2.5]})
    periods = text.assign(month=pd.PeriodIndex(text["month"], freq="M"))
    for name in ("t.csv", "t.parquet"):
        path = write_frame(periods, tmp_path / name)
        stored = pd.read_csv(path) if name.endswith(".csv") else pd.read_parquet(path)
        assert stored["month"].tolist() == ["1924-01", "1924-02"]  # any program reads it
        back = read_frame(path)
        assert back["month"].dtype == pd.PeriodDtype("M")
        pd.testing.assert_frame_equal(back, periods)


def test_scenario_toml_reloads_to_the_same_scenario(tmp_path):
    scenario = load_scenario("historical", ["population.size=500", "policy.severity=0.9"])
    path = write_scenario(scenario, tmp_path / "scenarios" / "historical.toml")
    assert load_scenario(path) == scenario


def test_provenance_records_versions_command_seeds_and_time(tmp_path):
    record = provenance.collect(seeds={"seed": 4}, argv=["politburo", "run", "x"])
    path = provenance.write(record, tmp_path / "provenance.json")
    data = json.loads(path.read_text())
    assert data["seed"] == 4 and data["command"] == ["politburo", "run", "x"]
    # Optional libraries (dask, distributed) are recorded too, as null when missing.
    assert {"numpy", "scipy", "pandas", "mesa", "pydantic", "pyarrow", "matplotlib"} <= set(
        data["dependencies"]
    )
    assert all(data["dependencies"].values())
    assert data["python"].count(".") == 2 and data["platform"]
    assert data["timestamp"].endswith("+00:00")


def test_provenance_lists_every_dependency_that_shapes_a_result(tmp_path):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = [*project["dependencies"], *project["optional-dependencies"]["dask"]]
    names = {re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0].lower() for spec in required}
    listed = {name.lower() for name in provenance.DEPENDENCIES}
    assert names <= listed, names - listed
    # numba compiles through llvmlite, whose version also decides the machine code.
    assert {"numba", "llvmlite", "salib", "markdown-it-py"} <= listed
    versions = provenance.collect(argv=[])["dependencies"]
    assert versions["numba"] == metadata.version("numba")
    assert versions["SALib"] == metadata.version("SALib")


def test_figures_are_png_files(tmp_path):
    months = [f"1924-{m:02d}" for m in range(1, 7)]
    runs = pd.DataFrame(
        {
            "scenario": ["a"] * 12 + ["b"] * 12,
            "replicate": ([0] * 6 + [1] * 6) * 2,
            "seed": ([1] * 6 + [2] * 6) * 2,
            "month": months * 4,
            "fear": [0.1 * i for i in range(24)],
        }
    )
    path = figures.save(figures.band(runs, "fear"), tmp_path / "figures" / "fear.png")
    assert path.read_bytes()[:8] == PNG_MAGIC
    columns = [
        "expelled",
        "imprisoned",
        "executed",
        "openness",
        "falsification",
        "fear",
        "policy_error",
        "leader_error",
        "members_active",
        "members_expelled",
        "prisoners",
    ]
    outcomes = pd.DataFrame({"month": months, **{c: range(6) for c in columns}})
    path = figures.save(figures.run_panel(outcomes, "a, seed 1"), tmp_path / "overview.png")
    assert path.read_bytes()[:8] == PNG_MAGIC
