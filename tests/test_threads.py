"""The compiled passes' threads: one for a party in one chunk; idle ones wait passively."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.model.party import PartyModel
from simulation.model.passes.chunks import CHUNK
from simulation.model.threads import (
    WAIT_POLICY,
    compiled_threads,
    set_compiled_threads,
    threads_for_rows,
    wait_passively,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def two_threads():
    before = compiled_threads()
    if int(os.environ.get("NUMBA_NUM_THREADS", os.cpu_count() or 1)) < 2:
        pytest.skip("needs two compiled threads (NUMBA_NUM_THREADS >= 2, two cores)")
    set_compiled_threads(2)
    yield
    set_compiled_threads(before)


def test_a_roll_in_one_chunk_runs_on_one_thread_and_the_setting_comes_back(two_threads):
    with threads_for_rows(CHUNK):
        assert compiled_threads() == 1
    assert compiled_threads() == 2
    with threads_for_rows(CHUNK + 1):
        assert compiled_threads() == 2
    with pytest.raises(RuntimeError), threads_for_rows(10):
        raise RuntimeError("a failing month")
    assert compiled_threads() == 2


def test_a_larger_roll_never_gets_more_threads_than_were_set(two_threads):
    set_compiled_threads(1)
    with threads_for_rows(10 * CHUNK):
        assert compiled_threads() == 1
    assert compiled_threads() == 1


def test_a_party_that_outgrows_one_chunk_gives_the_same_table(two_threads):
    """A 3,000-member party's rows pass one chunk mid-run, so its threads change; results not."""
    overrides = {"population.size": 3000, "end": "1927-12"}
    model = PartyModel("historical", seed=5, overrides=overrides)
    threads = []
    while model.running:
        model.step()
        threads.append(model.members.rows > CHUNK)
    assert not threads[0] and threads[-1], "the run should cross the one-chunk size"
    set_compiled_threads(1)
    alone = PartyModel("historical", seed=5, overrides=overrides).run()
    pd.testing.assert_frame_equal(model.outcomes(), alone)


def test_wait_passively_sets_the_policy_only_where_the_user_did_not(monkeypatch):
    monkeypatch.delenv(WAIT_POLICY, raising=False)
    wait_passively()
    assert os.environ[WAIT_POLICY] == "PASSIVE"
    monkeypatch.setenv(WAIT_POLICY, "ACTIVE")
    wait_passively()
    assert os.environ[WAIT_POLICY] == "ACTIVE"


@pytest.mark.parametrize(("given", "seen"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_importing_the_model_sets_the_policy_before_openmp_starts(given, seen):
    env = {key: value for key, value in os.environ.items() if key != WAIT_POLICY}
    env["PYTHONPATH"] = str(ROOT)
    if given:
        env[WAIT_POLICY] = given
    code = (
        "import os, simulation.model, numba.np.ufunc.parallel as layer\n"
        "assert not layer._is_initialized, 'OpenMP was loaded before the policy was set'\n"
        f"print(os.environ[{WAIT_POLICY!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == seen
