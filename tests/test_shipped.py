"""The one lookup of shipped files, in a checkout (the installed case: tests/test_install.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import shipped
from simulation.cli.main import main
from simulation.history.figure import historical_membership
from simulation.scenario import find_scenario
from simulation.scenario import reference as schema_doc
from simulation.validation.setup import scenario_file

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_reads_its_own_top_level_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the checkout: ./scenarios does not exist here
    assert shipped.checkout_root() == ROOT
    assert shipped.shipped_folder("scenarios") == ROOT / "scenarios"
    assert shipped.shipped_folder("data") == ROOT / "data"
    assert find_scenario("historical") == ROOT / "scenarios" / "historical.toml"
    assert scenario_file("gregory") == ROOT / "scenarios" / "validation" / "gregory.toml"
    assert scenario_file("daymude") == ROOT / "scenarios" / "daymude.toml"
    assert len(historical_membership()) > 10


def test_only_the_shipped_folders_are_looked_up():
    with pytest.raises(ValueError, match="no shipped folder 'docs'; there are scenarios, data"):
        shipped.shipped_folder("docs")


def test_a_broken_installation_is_one_error_line(tmp_path, monkeypatch, capsys):
    """No copy in the package and no checkout: say so, rather than list no scenarios."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(shipped, "checkout_root", lambda: None)
    with pytest.raises(FileNotFoundError, match="scenarios folder is missing"):
        shipped.shipped_folder("scenarios")
    assert main(["scenarios"]) == 2
    assert capsys.readouterr().err == (
        "politburo: error: politburo's scenarios folder is missing from this installation; "
        "reinstall it\n"
    )


def test_the_reference_generator_needs_a_checkout_or_a_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(schema_doc, "checkout_root", lambda: None)
    assert schema_doc.main(["--check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "an installed package has no docs/SCENARIOS.md" in err
    assert schema_doc.main([str(tmp_path / "missing.md"), "--check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.md: No such file or directory" in err
    monkeypatch.undo()
    assert schema_doc.main(["--check"]) == 0  # the checkout's docs/SCENARIOS.md, from anywhere
