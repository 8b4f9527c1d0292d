"""Fuzzing the inputs: malformed scenario files and command lines never end in a traceback.

Hypothesis writes scenario files with hostile values (text for numbers, ``inf``, huge or
negative numbers, other scripts' digits, control characters, deep nesting, bytes that are not
UTF-8, misspelt keys, odd ``extends``) and command lines with hostile options, and calls the
command line in-process. Every input must end in one of two ways:

- a mistake: exit code 2, exactly one line on stderr, ``politburo: error: ...``, and no output
  folder;
- a valid answer: exit code 0, and what was printed or written reads back: the TOML ``show``
  prints and the ``scenario.toml`` written beside a run validate and resolve to the same
  scenario.

An exception escaping :func:`simulation.cli.main.main` is the traceback a user would see; a
hang is caught by the size checks the command lines run into (work beyond the machine is
refused before it starts), and experiment commands are given ``--resume`` on an empty folder,
so that a valid command stops after every check, before any run. Inputs per run of this
module: 120 files + 120 command lines + 100 round trips + 6 runs + 3 subprocesses = 349.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import string
import subprocess
import sys
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation.cli.main import main
from simulation.scenario import load_scenario, resolved_toml


def fuzz(examples: int) -> settings:
    """Bounded settings: a fixed number of examples, no deadline (runs vary in time)."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


#: Makes a shipped scenario tiny for the few real runs.
TINY = ["population.size=300", "population.pool_factor=2", 'end="1924-04"']

#: Key paths of the historical scenario, each with a value of the right type.
KEYS = {
    "policy.tolerance": "0.2",
    "policy.severity": "1.0",
    "policy.denunciation": "0.01",
    "policy.false_denunciation": "0.001",
    "policy.ladder.execution": "inf",
    "policy.ladder.warning": "2.0",
    "population.size": "300",
    "population.boldness_mean": "0.5",
    "population.tiers.influence": "[30.0, 8.0, 2.0, 1.0]",
    "population.tiers.promotion": "true",
    "reality.signal_sd": "0.5",
    "voice.fear_gain": "1.0",
    "network.mean_degree": "10.0",
    "leadership.leaders.stalin.signal_sd": "0.3",
    "leadership.leader": '"stalin"',
    "start": '"1924-01"',
    "end": '"1956-12"',
    "description": '"x"',
    "name": '"fuzzed"',
}

#: Values as TOML text, from plausible to hostile.
HOSTILE = st.sampled_from(
    [
        "inf",
        "-inf",
        "nan",
        "1e308",
        "-1",
        "0",
        "1" + "0" * 30,
        "true",
        "false",
        '"0.1"',
        '"300"',
        '""',
        "[]",
        "{}",
        "[1, 2]",
        '"\u0661\u0669\u0663\u0666-01"',
        '"1936-13"',
        '"0000-01"',
        '"9999-12"',
        '"\\u0000\\u001b\\u007f"',
        '"é \\" \\\\"',
        "[" * 3000 + "]" * 3000,
        "{a = " * 40 + "1" + "}" * 40,
        "1936-01-01",
    ]
)
VALUES = st.one_of(st.sampled_from(list(KEYS.values())), HOSTILE)
KEY_PATHS = st.one_of(
    st.sampled_from(list(KEYS)),
    st.sampled_from(["policy.tolerence", "events.0.qouta", "policy", "events.30.month", ""]),
    st.text(alphabet=string.ascii_letters + "._", min_size=1, max_size=12),
)
#: Mostly a real parent, so that the file's own values are checked; sometimes a bad one.
EXTENDS = st.sampled_from(
    ["historical"] * 8 + ["base", "", "/", ".", "nosuch", "self", "..", "\u0661"]
)


def call(argv: list[str]) -> tuple[int, str, str]:
    """Run the command line in-process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_mistake_or_valid(code: int, err: str) -> None:
    """A mistake is exit code 2 with one line; anything else must be a success."""
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("politburo: error: "), err
    else:
        assert code == 0, err
    assert "Traceback" not in err


def assert_finite(value: object, path: str = "") -> None:
    """Every number of a valid scenario is finite, except the ladder's rungs (inf: never)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert_finite(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            assert_finite(item, f"{path}.{number}")
    elif isinstance(value, float) and ".ladder." not in path:
        assert math.isfinite(value), f"{path} = {value} was accepted"


def assert_reads_back(text: str, folder: Path) -> None:
    """Resolved TOML parses, validates, holds finite numbers and resolves to its scenario."""
    assert_finite(tomllib.loads(text))
    path = folder / "resolved.toml"
    path.write_text(text, encoding="utf-8")
    once = load_scenario(path)
    assert resolved_toml(once) == text
    path.write_text(resolved_toml(once), encoding="utf-8")
    assert load_scenario(path) == once


@st.composite
def scenario_files(draw: st.DrawFn) -> bytes:
    """A scenario file: ``extends``, a few settings, maybe events, maybe corrupted bytes."""
    lines = [f"extends = {json.dumps(draw(EXTENDS))}"]
    tables: dict[str, list[str]] = {}
    for _ in range(draw(st.integers(0, 4))):
        key, value = draw(KEY_PATHS), draw(VALUES)
        table, _, leaf = key.rpartition(".")
        if leaf and all(part for part in key.split(".")) and "events" not in key:
            tables.setdefault(table, []).append(f"{leaf} = {value}")
    for table, entries in tables.items():
        lines += [f"[{table}]"] if table else []
        lines += entries
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["campaign", "policy", "shock", "coup", "leader"]))
        month = draw(st.sampled_from(['"1930-01"', '"1930-13"', '"\u0661930-01"', "1930"]))
        body = draw(
            st.sampled_from(
                [
                    *["quota = 0.1", "qouta = 0.1", "size = inf", "set = {tolerance = true}"],
                    *["set = {ladder = {execution = inf}}", 'successor = "nobody"', ""],
                ]
            )
        )
        lines += ["[[events]]", f"month = {month}", f'kind = "{kind}"', body]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3", b"\x00"])) + data[at:]
    return data


@fuzz(120)
@given(content=scenario_files())
def test_malformed_scenario_files_end_in_one_line_or_a_valid_scenario(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("file")
    path = folder / "self.toml"  # so that extends = "self" is a cycle
    path.write_bytes(content)
    code, out, err = call(["validate", str(path)])
    assert code in (0, 2), err
    assert not err
    assert len(out.strip().splitlines()) >= 1
    assert all(line.startswith(str(path)) for line in out.strip().splitlines()), out
    code, out, err = call(["show", str(path)])
    assert_mistake_or_valid(code, err)
    if code == 0:
        assert_reads_back(out, folder)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command line with hostile options; experiment commands stop before any run."""
    number = st.sampled_from(
        ["0", "1", "2", "-3", "1e30", "1" + "0" * 30, "1000000000", "\u0663", "1_0", "", " 7"]
    )
    spec_value = st.sampled_from(
        ["0:1:3", "0:1", "0:1:" + "1" + "0" * 20, "0:1:100000000", "1:0", "inf:1", "0,0.5", "a"]
    )
    spec = st.builds(lambda k, v: f"{k}={v}", KEY_PATHS, spec_value)
    override = st.builds(lambda k, v: f"{k}={v}", KEY_PATHS, VALUES)
    scenario = st.sampled_from(["historical", "trotsky", "", "/", ".", "nosuch", "\x00"])
    command = draw(st.sampled_from(["show", "compare", "sweep", "sensitivity", "history"]))
    argv = [command] + ([draw(scenario)] if command != "history" or draw(st.booleans()) else [])
    for _ in range(draw(st.integers(0, 3)) if command != "history" else 0):
        argv += ["--set", draw(override)]
    if command == "history" and draw(st.booleans()):
        argv += ["--size", draw(number)]
    if command in ("compare", "history"):
        argv += ["--replicates", draw(number)]
    if command in ("sweep", "sensitivity"):
        for _ in range(draw(st.integers(0, 2))):
            argv += ["--param", draw(spec)]
    if command == "sweep" and draw(st.booleans()):
        argv += ["--lhs", draw(number)]
    if command == "sensitivity":
        argv += ["--method", draw(st.sampled_from(["morris", "sobol"]))]
        argv += ["--samples", draw(number), "--outcome", draw(st.sampled_from(["fear", "nope"]))]
    if draw(st.booleans()) and command != "show":
        argv += ["--seed", draw(number)]
    return argv


@fuzz(120)
@given(argv=command_lines())
def test_hostile_command_lines_end_in_one_line_or_a_valid_answer(tmp_path_factory, argv):
    folder = tmp_path_factory.mktemp("cli")
    out_dir = folder / "out"
    if argv[0] != "show":
        argv = [*argv, "--out", str(out_dir)]
    if argv[0] in ("compare", "sweep", "sensitivity"):
        argv.append("--resume")  # an empty folder: a valid command stops before any run
    if argv[0] == "history":  # a folder in the way: a valid command stops before any run
        out_dir.mkdir()
        (out_dir / "kept.txt").write_text("not a result\n")
    code, out, err = call(argv)
    lines = [line for line in err.strip().splitlines() if not line.startswith("politburo: ")]
    assert not lines, err
    errors = [line for line in err.strip().splitlines() if line.startswith("politburo: error:")]
    if code == 2:
        assert len(errors) == 1, err
    else:
        assert code == 0 and argv[0] == "show", (argv, err)
        assert_reads_back(out, folder)
    assert not (out_dir / "report.md").exists()


@fuzz(100)
@given(
    description=st.text(max_size=40),
    names=st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=3, unique=True),
)
def test_descriptions_and_names_of_any_text_read_back(tmp_path_factory, description, names):
    share = 1.0 / len(names)
    factions = {name: {"share": share, "belief_mean": 0.0} for name in names}
    scenario = load_scenario(
        "deffuant", {"description": description, "population.factions": factions}
    )
    folder = tmp_path_factory.mktemp("names")
    text = resolved_toml(scenario)
    assert_reads_back(text, folder)
    path = folder / "resolved.toml"
    code, _, err = call(["show", str(path)])
    assert code == 0, err
    assert load_scenario(path) == scenario


@fuzz(6)
@given(
    override=st.builds(
        lambda k, v: f"{k}={v}",
        st.sampled_from([key for key in KEYS if key not in ("start", "end")]),
        VALUES,
    )
)
def test_a_run_is_a_mistake_or_a_complete_folder_that_reads_back(tmp_path_factory, override):
    folder = tmp_path_factory.mktemp("run")
    out_dir = folder / "out"
    argv = ["run", "historical", "--out", str(out_dir), "--no-progress"]
    for setting in [*TINY, override]:
        argv += ["--set", setting]
    code, _, err = call(argv)
    assert_mistake_or_valid(code, err)
    if code == 2:
        assert not out_dir.exists()
    else:
        assert (out_dir / "outcomes.csv").is_file()
        assert_reads_back((out_dir / "scenario.toml").read_text(encoding="utf-8"), folder)


def test_no_traceback_reaches_the_terminal(tmp_path):
    """Three inputs that once gave tracebacks, through a real process."""
    latin = tmp_path / "latin.toml"
    latin.write_bytes('extends = "base"\ndescription = "caf\xe9"\n'.encode("latin-1"))
    for argv in (
        ["run", str(latin), "--out", str(tmp_path / "a")],
        ["run", "", "--out", str(tmp_path / "b")],
        ["compare", "historical", "--replicates", "1" + "0" * 30, "--out", str(tmp_path / "c")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "simulation", *argv],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
