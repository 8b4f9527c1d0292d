"""The results store: manifest, one atomic Parquet file per run, refusing other experiments."""

from __future__ import annotations

import json
import tomllib

import pandas as pd
import pytest
from conftest import tiny_specs

from simulation.experiment import ExperimentStore, StoreError, load_experiment
from simulation.experiment.executors import run_spec
from simulation.experiment.spec import KEY_COLUMNS, RunSpec, definition_hash
from simulation.experiment.store import COMPLETE, RUNNING, scenario_texts
from simulation.output.folders import OutputError

MONTHS = 24
DEFINITION = {"kind": "compare", "scenarios": ["historical", "trotsky"], "replicates": 2, "seed": 3}
ARGV = ["politburo", "compare", "historical", "trotsky", "--replicates", "2"]


@pytest.fixture(scope="module")
def specs():
    return tiny_specs(replicates=2, seed=3)


@pytest.fixture(scope="module")
def frames(specs):
    return {spec.key: run_spec(spec) for spec in specs}


def test_runs_are_written_one_file_each_and_loaded_in_spec_order(tmp_path, specs, frames):
    store = ExperimentStore.open(tmp_path / "exp", DEFINITION, argv=ARGV)
    assert store.plan(specs) == specs
    for spec in reversed(specs[1:]):  # finishing order must not matter
        store.write_run(spec, frames[spec.key])
    assert store.finished() == {spec.key for spec in specs[1:]}
    assert sorted(p.name for p in store.runs_directory.iterdir()) == sorted(
        f"{spec.key}.parquet" for spec in specs[1:]
    )
    with pytest.raises(StoreError, match="1 run"):
        store.mark_complete()
    store.write_run(specs[0], frames[specs[0].key])
    table = store.load()
    expected = pd.concat([frames[spec.key] for spec in specs], ignore_index=True)
    pd.testing.assert_frame_equal(table, expected)
    assert list(table.columns[: len(KEY_COLUMNS) + 1]) == [*KEY_COLUMNS, "month"]
    assert len(table) == len(specs) * MONTHS
    # Files keep the month as text any program reads; the table returned has periods.
    stored = pd.read_parquet(store.run_path(specs[0].key))
    assert stored["month"].iloc[0] == "1924-01"
    assert table["month"].dtype == pd.PeriodDtype("M")


def test_manifest_holds_definition_runs_scenarios_provenance_and_status(tmp_path, specs, frames):
    store = ExperimentStore.open(tmp_path / "exp", DEFINITION, argv=ARGV)
    store.plan(specs)
    manifest = json.loads((tmp_path / "exp" / "manifest.json").read_text())
    assert manifest["definition"] == DEFINITION
    assert manifest["definition_hash"] == definition_hash(DEFINITION)
    assert manifest["status"] == RUNNING
    assert [run["key"] for run in manifest["runs"]] == [spec.key for spec in specs]
    assert [run["seed"] for run in manifest["runs"]] == [spec.seed for spec in specs]
    assert {run["replicate"] for run in manifest["runs"]} == {0, 1}
    assert all(run["point"] == 0 and run["parameters"] == {} for run in manifest["runs"])
    resolved = {name: tomllib.loads(text) for name, text in manifest["scenarios"].items()}
    assert set(resolved) == {"historical", "trotsky"}
    assert resolved["trotsky"]["population"]["size"] == 200
    assert resolved["trotsky"]["end"] == "1925-12"
    versions = manifest["provenance"]["dependencies"]
    assert versions["pandas"] == pd.__version__ and versions["mesa"]
    assert manifest["provenance"]["version"] and manifest["provenance"]["python"]
    assert manifest["provenance"]["command"] == ARGV
    assert manifest["sessions"][0]["command"] == ARGV
    assert manifest["created"] and manifest["updated"]
    for spec in specs:
        store.write_run(spec, frames[spec.key])
    store.mark_complete()
    assert json.loads((tmp_path / "exp" / "manifest.json").read_text())["status"] == COMPLETE


def test_another_definition_is_refused_and_force_clears_it(tmp_path, specs, frames):
    directory = tmp_path / "exp"
    store = ExperimentStore.open(directory, DEFINITION)
    store.plan(specs)
    store.write_run(specs[0], frames[specs[0].key])
    other = {**DEFINITION, "replicates": 3}
    with pytest.raises(StoreError, match="different experiment") as refused:
        ExperimentStore.open(directory, other)
    message = str(refused.value)
    assert "\n" not in message and "--force" in message and str(directory) in message
    assert store.finished() == {specs[0].key}  # nothing was touched
    with pytest.raises(StoreError, match="different experiment"):
        ExperimentStore.open(directory, other, resume=True)
    replaced = ExperimentStore.open(directory, other, force=True)
    assert replaced.finished() == set()
    assert replaced.manifest["definition"]["replicates"] == 3
    assert not (directory / "runs").exists()


def test_same_definition_keeps_finished_runs(tmp_path, specs, frames):
    store = ExperimentStore.open(tmp_path / "exp", DEFINITION)
    store.plan(specs)
    store.write_run(specs[2], frames[specs[2].key])
    again = ExperimentStore.open(tmp_path / "exp", DEFINITION, resume=True)
    assert again.plan(specs) == [specs[0], specs[1], specs[3]]
    assert len(again.manifest["sessions"]) == 2
    # Same definition but other runs (a definition missing something): refused, not mixed.
    fewer = ExperimentStore.open(tmp_path / "exp", DEFINITION)
    with pytest.raises(StoreError, match="different runs"):
        fewer.plan(specs[:2])


def test_directories_that_are_not_this_experiment_are_refused(tmp_path):
    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not an experiment"):
        ExperimentStore.open(stray, DEFINITION)
    # --force replaces only a politburo result: someone's notes are kept.
    with pytest.raises(OutputError, match="not a politburo result"):
        ExperimentStore.open(stray, DEFINITION, force=True)
    assert (stray / "notes.txt").read_text() == "mine"
    other = tmp_path / "other"
    ExperimentStore.open(other, {**DEFINITION, "seed": 4}).write_manifest()
    (other / "notes.txt").write_text("mine")
    ExperimentStore.open(other, DEFINITION, force=True)  # another experiment: replaced
    assert not (other / "notes.txt").exists()
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        ExperimentStore.open(afile, DEFINITION, force=True)
    with pytest.raises(StoreError, match="nothing to resume"):
        ExperimentStore.open(tmp_path / "new", DEFINITION, resume=True)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    with pytest.raises(StoreError, match="cannot be read"):
        ExperimentStore.open(broken, DEFINITION)


def test_load_experiment_reads_manifest_and_runs_lazily(tmp_path, specs, frames):
    store = ExperimentStore.open(tmp_path / "exp", DEFINITION)
    store.plan(specs)
    for spec in specs:
        store.write_run(spec, frames[spec.key])
    store.mark_complete()
    experiment = load_experiment(tmp_path / "exp")
    assert experiment.status == COMPLETE and experiment.definition == DEFINITION
    assert "runs" not in vars(experiment)  # not read until asked for
    pd.testing.assert_frame_equal(experiment.runs, store.load())
    assert experiment.runs["month"].dtype == pd.PeriodDtype("M")
    assert "compare" in repr(experiment)
    with pytest.raises(StoreError, match="no experiment"):
        load_experiment(tmp_path)


def test_scenarios_changed_by_design_points_are_kept_per_point(specs):
    base = specs[0].scenario
    points = [
        RunSpec(
            scenario=base.model_copy(update={"description": f"point {p}"}),
            seed=1,
            replicate=0,
            point=p,
            parameters={"policy.tolerance": p / 10},
        )
        for p in range(2)
    ]
    assert set(scenario_texts(points)) == {"historical-p00000", "historical-p00001"}
    assert set(scenario_texts(specs)) == {"historical", "trotsky"}
