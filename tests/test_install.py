"""A regular install works: build the sdist and a wheel from it, install the wheel into a fresh
virtual environment, and run the commands from a folder that is not the checkout.

The build is the standard one (``python -m build``: the sdist, then the wheel from the unpacked
sdist, each in an isolated environment with the build backend from the package index), so it
checks that the shipped scenarios and data travel in both. The virtual environment sees the
test environment's packages (``--system-site-packages``) so that only politburo itself is
installed into it, with ``--no-deps``; the commands then run with no ``PYTHONPATH``, from a
temporary folder, and must import politburo from the virtual environment, not the checkout.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def checkout_files(folder: str, pattern: str) -> set[str]:
    """Paths, relative to the checkout, of the files under ``folder`` matching ``pattern``."""
    found = (ROOT / folder).rglob(pattern)
    return {path.relative_to(ROOT).as_posix() for path in found if "__pycache__" not in path.parts}


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 300):
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


#: What a build reads from the checkout. Only these are copied: a checkout's own build
#: leftovers (an editable install's ``politburo.egg-info`` lists the files of an earlier build,
#: and setuptools adds them to the sdist) would hide a file that the configuration leaves out.
SOURCES = ("pyproject.toml", "README.md", "simulation", "scenarios", "data")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel built from it, from a clean copy of the sources."""
    assert importlib.util.find_spec("build") is not None, (
        "the install test builds with `python -m build`: pip install -e '.[test]'"
    )
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=source)
    return out


def test_sdist_and_wheel_carry_the_scenarios_data_and_every_module(dist):
    (sdist,) = dist.glob("politburo-*.tar.gz")
    (wheel,) = dist.glob("politburo-*.whl")
    world = {"data/countries.csv", "data/neighbours.csv", "data/world_map.csv"}
    shipped = checkout_files("scenarios", "*.toml") | {"data/history.csv", "data/README.md"} | world
    assert "scenarios/historical.toml" in shipped
    assert "scenarios/validation/gregory.toml" in shipped

    with tarfile.open(sdist) as archive:
        top = f"{sdist.name.removesuffix('.tar.gz')}/"
        in_sdist = {name.removeprefix(top) for name in archive.getnames()}
    assert shipped <= in_sdist, sorted(shipped - in_sdist)

    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    assert {f"simulation/shipped/{name}" for name in shipped} <= in_wheel
    # The packages are listed by hand in pyproject.toml: a module left out fails here.
    modules = checkout_files("simulation", "*.py")
    missing = sorted(modules - in_wheel)
    assert not missing, f"add their packages to [tool.setuptools] packages: {missing}"


def test_wheel_installs_and_runs_from_any_folder(dist, tmp_path):
    (wheel,) = dist.glob("politburo-*.whl")
    # No PYTHONPATH anywhere: it would put a checkout (and its politburo) before the venv.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], ROOT)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    # --force-reinstall: the test environment's own politburo (editable) is visible here too.
    run([*install, "--force-reinstall", "--no-index", str(wheel)], tmp_path, env)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(
        [
            str(python),
            "-c",
            "import simulation, simulation.validation.setup as v, simulation.shipped as s\n"
            "from simulation.history.figure import historical_membership\n"
            "print(simulation.__file__, s.checkout_root(), s.shipped_folder('data'),"
            " v.scenario_file('gregory'), len(historical_membership()), sep='\\n')",
        ],
        cwd=elsewhere,
        env=env,
    ).stdout.splitlines()
    package = venv.resolve() / "lib"
    assert Path(where[0]).resolve().is_relative_to(package), where
    assert where[1] == "None"  # an installed package, not a checkout
    assert Path(where[2]).resolve().is_relative_to(package) and Path(where[2]).name == "data"
    assert Path(where[3]).resolve().is_relative_to(package), where
    assert Path(where[3]).is_file() and Path(where[3]).parent.name == "validation"
    assert int(where[4]) > 10  # the membership series read from the shipped data/history.csv

    politburo = str(venv / "bin" / "politburo")
    listed = run([politburo, "scenarios"], cwd=elsewhere, env=env).stdout
    names = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert {"base", "historical", "trotsky", "trotsky_hardens", "daymude"} <= names

    small = ["--set", "population.size=200", "--set", "end=1925-06"]
    run([politburo, "run", "historical", *small, "--out", "run"], cwd=elsewhere, env=env)
    assert len((elsewhere / "run" / "outcomes.csv").read_text().splitlines()) == 1 + 18
