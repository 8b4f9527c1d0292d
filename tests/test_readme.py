"""The README's examples must keep working: its Python runs, its commands parse.

The experiments guide's commands are checked the same way.
"""

import re
import shlex
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from simulation.cli.main import build_parser

README = Path(__file__).resolve().parents[1] / "README.md"
EXPERIMENTS = README.parent / "docs" / "EXPERIMENTS.md"


def _blocks(language: str, path: Path = README) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(), flags=re.S)


def _commands() -> list[list[str]]:
    commands = []
    blocks = _blocks("bash") + _blocks("(?:bash|console)", EXPERIMENTS)
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            for part in line.split("#")[0].split("&&"):
                words = shlex.split(part)
                if words[:1] == ["politburo"]:
                    commands.append(words[1:])
    return commands


def test_readme_python_example_runs(monkeypatch):
    matplotlib.use("Agg")
    blocks = _blocks("python")
    assert blocks, "the README has a Python example"
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, str(README), "exec"), namespace)
    outcomes = namespace["outcomes"]
    assert len(outcomes) == 396
    assert {"openness", "falsification", "fear"} <= set(outcomes.columns)
    # The example's pandas plot has a time axis (month is a period), its labels apart.
    assert outcomes["month"].dtype == pd.PeriodDtype("M")
    axes = plt.gca()
    axes.figure.canvas.draw()
    labels = [t for t in axes.get_xticklabels(which="both") if t.get_text() and t.get_visible()]
    boxes = [t.get_window_extent() for t in labels]
    assert len(boxes) >= 3
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    plt.close("all")


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_readme_commands_parse(words):
    options = build_parser().parse_args(words)
    assert options.command == words[0]


def test_ci_runs_the_readme_test_command():
    setup = _blocks("bash")[0]
    (test_command,) = [line for line in setup.splitlines() if "python -m pytest" in line]
    ci = (README.parent / ".ci" / "run").read_text().splitlines()
    assert test_command in ci, "CI must run the README's test command as written"
