"""The notebooks in ``notebooks/``: they run top to bottom, and they are stored ready to read.

Each notebook is copied to a temporary folder and executed there in a fresh kernel with the small
run sizes (``POLITBURO_NOTEBOOK_SMALL=1``), so the stored notebooks, with their full-size outputs,
are never rewritten. The kernel imports this checkout's package: its ``PYTHONPATH`` starts with
the repository root.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from simulation.cli.main import build_parser
from simulation.notebook import (
    FULL,
    SMALL,
    SMALL_VARIABLE,
    WORKERS_VARIABLE,
    size_settings,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Seconds a cell may take with the small sizes (the first kernel may compile the passes).
CELL_TIMEOUT = 300
#: Stored notebooks stay small enough to read on a web page and to keep in git.
MAX_BYTES = 1_000_000
#: Paths of the machine that ran a notebook must not leak into its stored outputs or text.
LOCAL_PATH = re.compile(r"(/work/|/tmp/|/root/|/home/|/Users/|[A-Z]:\\\\)")


# ---------------------------------------------------------------------------- size settings
def test_full_sizes_by_default():
    size = size_settings(environ={})
    assert size == FULL
    assert not size.small
    assert size.workers == 1
    assert size.executor == "serial"


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_small_sizes_from_the_environment(value):
    size = size_settings(environ={SMALL_VARIABLE: value})
    assert size.small
    assert size.members == SMALL.members


@pytest.mark.parametrize("value", ["", "0", "no", "false"])
def test_other_values_keep_full_sizes(value):
    assert not size_settings(environ={SMALL_VARIABLE: value}).small


def test_an_argument_wins_over_the_environment():
    assert not size_settings(small=False, environ={SMALL_VARIABLE: "1"}).small
    assert size_settings(small=True, environ={}).small


def test_small_is_smaller_everywhere():
    for field in ("single_members", "members", "replicates", "sweep_members", "levels"):
        assert getattr(SMALL, field) < getattr(FULL, field), field
    assert SMALL.trajectories < FULL.trajectories


def test_workers_ask_for_a_pool():
    size = size_settings(environ={WORKERS_VARIABLE: "2"})
    assert size.workers == 2
    assert size.executor == "processes"
    assert size_settings(workers=3, environ={WORKERS_VARIABLE: "2"}).workers == 3


@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_bad_workers_are_refused(value):
    with pytest.raises(ValueError, match=WORKERS_VARIABLE):
        size_settings(environ={WORKERS_VARIABLE: value})


def test_overrides_by_kind():
    size = size_settings(environ={})
    assert size.overrides("single") == {"population.size": FULL.single_members}
    assert size.overrides() == {"population.size": FULL.members}
    assert size.overrides("sweep") == {"population.size": FULL.sweep_members}
    with pytest.raises(ValueError, match="kind"):
        size.overrides("huge")  # type: ignore[arg-type]


def test_describe_names_the_switch():
    assert SMALL_VARIABLE in size_settings(small=True, environ={}).describe()
    assert "full settings" in size_settings(small=False, environ={}).describe()


# ---------------------------------------------------------------------------- stored notebooks
def test_there_are_notebooks():
    names = [path.name for path in NOTEBOOKS]
    assert names[:4] == [
        "01_quickstart.ipynb",
        "02_stalin_vs_trotsky.ipynb",
        "03_tweaking_the_leadership.ipynb",
        "04_which_levers_matter.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_stored_notebook_reads_well(path):
    assert path.stat().st_size < MAX_BYTES
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "a notebook without code"
    assert all(cell.outputs or not cell.source.strip() for cell in code[:2]), "stored unrun"
    for cell in notebook.cells:
        texts = [cell.source]
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"stored with an error: {cell.source[:60]}"
            texts.append(output.get("text", ""))
            texts.append(output.get("data", {}).get("text/plain", ""))
        for text in texts:
            found = LOCAL_PATH.search(str(text))
            assert found is None, f"a local path in {path.name}: ...{text[found.start() - 40 :]}"


# ---------------------------------------------------------------------------- execution
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    # A last cell says which package the kernel imported.
    which = "import simulation\nprint(simulation.__file__)"
    notebook.cells.append(nbformat.v4.new_code_cell(which))
    # The kernel inherits this environment: small sizes, and this checkout's package first.
    monkeypatch.setenv(SMALL_VARIABLE, "1")
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.output_type == "error"]
    assert "small" in "".join(output.get("text", "") for output in outputs[:3])
    imported = Path(notebook.cells[-1].outputs[0]["text"].strip())
    assert imported.parent.parent == ROOT, "the kernel imported another copy of the package"


def _notebook_commands() -> list[list[str]]:
    """The ``politburo`` commands shown in the notebooks' text, as argument lists."""
    commands = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            for block in re.findall(r"```bash\n(.*?)```", cell.source, flags=re.S):
                for line in block.replace("\\\n", " ").splitlines():
                    words = shlex.split(line.split("#")[0])
                    if words[:1] == ["politburo"]:
                        commands.append(words[1:])
    return commands


@pytest.mark.parametrize("words", _notebook_commands(), ids=" ".join)
def test_notebook_commands_parse(words):
    options = build_parser().parse_args(words)
    assert options.command == words[0]


def test_the_party_argues_reads_its_results_from_the_runs():
    """Its results move with the model's tuning, so its prose types none: cells print them."""
    path = ROOT / "notebooks" / "06_the_party_argues.ipynb"
    notebook = nbformat.read(path, as_version=4)
    prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    # Section numbers of docs/ODD.md and the intervals' coverage are not results.
    prose = re.sub(r"ODD(\.md)? \d+\.\d+|95%", "", prose)
    assert re.findall(r"\d\.\d|\d\s?%", prose) == []
    printed = "".join(
        output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
    )
    assert re.search(r"historical(_fixed)?: hidden disagreement \d\.\d{3} in 1952-12", printed)
    assert re.search(r"of voters preferred a platform at the 15th Congress", printed)
