"""Nothing is written outside ``--out``: names, ``--force``, embedded figures, the dashboard's
address, and worker processes that outlive their parent."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.cli.main import main
from simulation.output.folders import OutputError, check_directory, holds_result
from simulation.output.names import safe_name
from simulation.reporting import report

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
#: A tiny, short run, as command-line overrides.
TINY = ["--set", "population.size=100", "--set", "population.pool_factor=2", "--set", "end=1924-04"]
SERIAL = ["--executor", "serial", "--no-progress"]


@given(st.text())
def test_safe_name_is_one_harmless_path_part(name):
    safe = safe_name(name)
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith((".", "-")) and len(safe.encode()) <= 100
    assert Path(safe).name == safe and safe not in (".", "..")


@given(st.text(), st.text())
def test_different_names_give_different_safe_names(first, second):
    if first != second:
        assert safe_name(first) != safe_name(second)


@pytest.mark.parametrize("name", ["historical", "trotsky_hardens", "base", "v1.2-test"])
def test_ordinary_names_are_kept(name):
    assert safe_name(name) == name


def test_escaping_names_are_made_safe():
    assert safe_name("../../escaped").startswith("escaped-")
    assert safe_name("/abs/path").startswith("abs-path-")
    assert safe_name("a\x00b").startswith("a-b-")
    assert safe_name("..").startswith("scenario-")


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def hostile_scenario(folder: Path, name: str, description: str = "hostile") -> Path:
    """A scenario file in ``folder`` whose name (TOML basic string) is ``name``."""
    path = folder / "hostile.toml"
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\u0000")
    path.write_text(
        f'extends = "base"\nname = "{escaped}"\ndescription = "{description}"\n',
        encoding="utf-8",
    )
    return path


COMMANDS = {
    "run": ["run", "{scenario}", *TINY, "--no-progress"],
    "compare": ["compare", "{scenario}", "base", *TINY, "--replicates", "1", *SERIAL],
    "sweep": [
        "sweep", "{scenario}", *TINY, "--param", "policy.tolerance=0.1,0.5",
        "--replicates", "1", *SERIAL,
    ],
    "sensitivity": [
        "sensitivity", "{scenario}", *TINY, "--param", "policy.tolerance=0:0.5",
        "--param", "policy.severity=0:2", "--outcome", "fear", "--samples", "2", *SERIAL,
    ],
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", ["../../escaped", "/tmp/abs/escaped", "nul\x00byte"])
def test_hostile_names_write_nothing_outside_out(tmp_path, monkeypatch, capsys, command, name):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    scenario = hostile_scenario(work, name)
    monkeypatch.chdir(work)
    before = files_under(tmp_path)
    argv = [part.replace("{scenario}", str(scenario)) for part in COMMANDS[command]]
    code = main([*argv, "--out", "out"])
    error = capsys.readouterr().err
    assert code == 0 or (code == 2 and error.count("\n") == 1 and "Traceback" not in error)
    written = files_under(tmp_path) - before
    assert all(path.is_relative_to(work / "out") for path in written), written
    assert not Path("/tmp/abs/escaped").exists()


def test_set_name_to_an_absolute_path_stays_in_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "base", *TINY, "--set", "name=/abs/path", "--no-progress"]) == 0
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith("run-abs-path-") and "-set-" in folder.name
    assert files_under(tmp_path) == {tmp_path / "results", *files_under(tmp_path / "results")}
    assert not Path("/abs/path").exists()


def test_force_refuses_a_folder_that_holds_no_politburo_result(tmp_path, capsys):
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "chapter1.tex").write_text("precious", encoding="utf-8")
    for argv in (
        ["run", "base", *TINY, "--no-progress"],
        ["compare", "base", *TINY, "--replicates", "1", *SERIAL],
    ):
        assert main([*argv, "--out", str(foreign), "--force"]) == 2
        error = capsys.readouterr().err
        assert "not a politburo result" in error and error.count("\n") == 1
        assert sorted(p.name for p in foreign.iterdir()) == ["chapter1.tex"]
    with pytest.raises(OutputError, match="not a politburo result"):
        check_directory(foreign, force=True)


def test_force_replaces_a_politburo_result_and_fills_an_empty_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", "base", *TINY, "--no-progress", "--out", str(empty)]) == 0
    assert holds_result(empty)
    assert main(["run", "base", *TINY, "--no-progress", "--out", str(empty), "--force"]) == 0
    experiment = tmp_path / "experiment"
    compare = ["compare", "base", *TINY, "--replicates", "1", *SERIAL, "--out", str(experiment)]
    assert main(compare) == 0
    assert main([*compare[:-2], "--seed", "3", "--out", str(experiment), "--force"]) == 0


SECRET = b'<svg xmlns="http://www.w3.org/2000/svg"><text>the secret</text></svg>'


def test_report_embeds_only_the_programs_figures(tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_bytes(SECRET)
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "fear.svg").write_bytes(b"<svg>fear</svg>")
    (out / "figures" / "link.svg").symlink_to(secret)
    (out / "figures" / "stray.svg").write_bytes(b"<svg>stray</svg>")
    markdown = "\n\n".join(
        [
            "# Report",
            f"![x]({secret})",
            f'![y]({secret} "with a title")',
            "![z](figures/../../secret.svg)",
            "![l](figures/link.svg)",
            "![s](figures/stray.svg)",
            "![f](figures/fear.svg)",
        ]
    )
    page = report.html_report(markdown, out, figures=["figures/fear.svg", "figures/link.svg"])
    encoded = base64.b64encode(SECRET).decode()
    assert encoded not in page and "the secret" not in page
    assert page.count("<img") == 1 and base64.b64encode(b"<svg>fear</svg>").decode() in page
    assert base64.b64encode(b"<svg>stray</svg>").decode() not in page
    assert page.count('class="missing"') == 5


def test_a_description_cannot_pull_a_file_into_report_html(tmp_path, monkeypatch):
    secret = tmp_path / "secret.svg"
    secret.write_bytes(SECRET)
    scenario = hostile_scenario(tmp_path, "hostile", f"see ![x]({secret})")
    out = tmp_path / "out"
    argv = ["compare", str(scenario), "base", *TINY, "--replicates", "1", *SERIAL]
    assert main([*argv, "--out", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert base64.b64encode(SECRET).decode() not in page
    assert "data:image/svg+xml;base64," in page  # the program's own figures are there


def test_dashboard_refuses_an_empty_host_and_warns_beyond_loopback(capsys):
    from simulation.dashboard.server import DashboardError, check_host

    for host in ("", "  "):
        assert main(["dashboard", "--host", host]) == 2
        error = capsys.readouterr().err
        assert "--host is empty" in error and error.count("\n") == 1
        with pytest.raises(DashboardError):
            check_host(host)
    assert check_host("127.0.0.1") is None and check_host("::1") is None
    assert check_host("localhost") is None
    assert "reachable from other machines" in check_host("0.0.0.0")
    assert "reachable from other machines" in check_host("192.0.2.7")


def test_the_local_dask_cluster_has_no_dashboard(monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    from simulation.experiment import executors

    seen = {}

    class Cluster:
        def __init__(self, **options):
            seen.update(options)

        def close(self):
            seen["closed"] = True

    class Client:
        def __init__(self, cluster):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(distributed, "LocalCluster", Cluster)
    monkeypatch.setattr(distributed, "Client", Client)
    with executors.dask_client(2, None):
        pass
    assert seen["dashboard_address"] is None and seen["host"] == "127.0.0.1"
    assert seen["closed"]


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_and_resource_tracker_exit_when_their_parent_is_killed(tmp_path):
    environment = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    parent = subprocess.Popen(
        [sys.executable, str(TESTS / "pool_parent.py"), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        line = parent.stdout.readline()
        assert line.startswith("PIDS"), line
        children = [int(pid) for pid in line.split()[1:]]
        assert len(children) == 3 and all(alive(pid) for pid in children)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        # Bounded: the workers watch their parent every half second.
        deadline = time.monotonic() + 60
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in children if alive(pid)]
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
