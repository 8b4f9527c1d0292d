"""Compiled code cached on disk is forgotten when a source it was compiled from has changed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import simulation.model.party  # noqa: F401 - imports every pass, as a run does
from simulation.model.passes import freshness, rolls

ROLLS = "simulation.model.passes.rolls"


def test_a_module_cached_from_other_sources_is_emptied_then_kept():
    roll_call = next(f for f in freshness.cached_functions(rolls) if f.__name__ == "_roll_call")
    stamp = Path(roll_call._cache._cache_path) / f"{ROLLS}.sources"
    stamp.write_text("the digest of older sources")
    freshness._checked.discard(ROLLS)
    assert freshness.forget_stale_compilations() == [ROLLS]
    assert stamp.read_text() == freshness.sources_digest()
    assert roll_call._cache._cache_file._load_index() == {}  # compiles afresh next time
    # Stamped with these sources, the cache is kept.
    freshness._checked.discard(ROLLS)
    assert freshness.forget_stale_compilations() == []
    status = np.array([1, 2, 3, 1], dtype=np.int8)
    assert rolls.Rolls(status).active.tolist() == [0, 3]


def test_only_functions_defined_in_a_module_are_its_own():
    names = {function.__name__ for function in freshness.cached_functions(rolls)}
    assert names == {"_roll_call", "active_rows"}


def test_the_digest_follows_the_compiled_sources_only(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "fear.py").write_text("GAIN = 1\n")
    (tmp_path / "party.py").write_text("MONTHS = 1\n")
    before = freshness.sources_digest(tmp_path)
    (tmp_path / "party.py").write_text("MONTHS = 2\n")  # not compiled: the caches stay
    assert freshness.sources_digest(tmp_path) == before
    (tmp_path / "rules" / "fear.py").write_text("GAIN = 2\n")  # a rule: they go
    assert freshness.sources_digest(tmp_path) != before
