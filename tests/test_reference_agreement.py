"""The fast engine agrees with the plain Mesa reference model in distribution.

``benchmarks/reference`` writes the monthly rules one member at a time, with its own random
numbers. Both models run the same small scenarios over many seeds; for each outcome, the
distributions of a per-run summary (totals of purges by kind, final party size, monthly means
of openness, falsification, fear and policy error, the congresses' open votes against and
hidden opposition, the share purged of the last elected central committee, the recantations)
must not differ by a two-sample Kolmogorov-Smirnov test at a family-wise level of 1%,
Bonferroni-corrected over every (case, outcome) pair. Runs are seeded, so the verdict is
reproducible.

The cases are short windows of the shipped scenarios at a few hundred members, chosen so that
together they exercise every rule the scenarios use: an open party under Trotsky; the Lenin
Enrolment, the expulsion and arrests of the Left Opposition; its recantations of 1928-30; and
the Kirov policy, the proverka and the Great Terror (denunciation, false denunciation,
association, executions, quotas).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp

from benchmarks.reference import run_reference
from simulation.model.party import PartyModel
from simulation.model.rng import replicate_seeds
from simulation.scenario import load_scenario

SEEDS = 30
FAMILY_LEVEL = 0.01

#: Per-run summaries compared between the two models.
SUMMARIES: dict[str, Callable[[pd.DataFrame], float]] = {
    "expelled_total": lambda df: float(df["expelled_total"].iloc[-1]),
    "imprisoned_total": lambda df: float(df["imprisoned_total"].iloc[-1]),
    "executed_total": lambda df: float(df["executed_total"].iloc[-1]),
    "members_active": lambda df: float(df["members_active"].iloc[-1]),
    "openness": lambda df: float(np.nanmean(df["openness"])),
    "falsification": lambda df: float(np.nanmean(df["falsification"])),
    "hidden_disagreement": lambda df: float(np.nanmean(df["hidden_disagreement"])),
    "belief_sd": lambda df: float(df["belief_sd"].iloc[-1]),
    "fear": lambda df: float(np.nanmean(df["fear"])),
    "policy_error": lambda df: float(np.nanmean(df["policy_error"])),
    # The congresses of the shipped calendar (ODD 7.9): the run's mean over congress months of
    # the open vote against and the hidden opposition (NaN in a window without a congress).
    "votes_against": lambda df: _mean_over_votes(df, "votes_against"),
    "hidden_opposition": lambda df: _mean_over_votes(df, "hidden_opposition"),
    "cc_purged_share": lambda df: float(df["cc_purged_share"].iloc[-1]),
    # Recantations of the expelled opposition (ODD 7.6 step 5b): how many returned in all.
    "recanted": lambda df: float(df["recanted"].sum()),
}


def _mean_over_votes(df: pd.DataFrame, column: str) -> float:
    """Mean of a congress outcome over the months in which it changes (its congresses)."""
    values = df[column].dropna() if column in df else pd.Series(dtype=float)
    if values.empty:
        return float("nan")
    return float(values[values.ne(values.shift())].mean())


def _event_index(scenario: str, month: str, kind: str) -> int:
    """Where the scenario's first event of ``kind`` in ``month`` is, as overrides number it."""
    events = load_scenario(scenario).events
    return next(i for i, e in enumerate(events) if e.month == month and e.kind == kind)


#: Case name -> (scenario, overrides).
CASES: dict[str, tuple[str, dict[str, object]]] = {
    "trotsky_open_party": ("trotsky_fixed", {"population.size": 250, "end": "1927-12"}),
    "historical_opposition": ("historical_fixed", {"population.size": 200, "end": "1928-12"}),
    "historical_terror": (
        "historical_fixed",
        {"population.size": 250, "start": "1934-06", "end": "1938-12"},
    ),
    # A bold party, where many voice dissent above tolerance: surveillance, detection and
    # the ladder act on many members, not the handful of the historical windows.
    "bold_party": (
        "trotsky_fixed",
        {"population.size": 250, "end": "1926-12", "population.boldness_mean": 1.5},
    ),
    # The expulsion of the Left Opposition (its quota raised, so that a few hundred members
    # give a score of expelled) and the recantations of 1928-30: the voice rule outside the
    # party, the readmission of recanters, and the arrests of the expelled before it.
    "recantations": (
        "historical_fixed",
        {
            "population.size": 250,
            "start": "1927-06",
            "end": "1930-06",
            f"events.{_event_index('historical_fixed', '1927-11', 'campaign')}.quota": 0.2,
        },
    ),
    # Relative agreement with confident extremes (Deffuant et al. 2002) under the 1924 policy:
    # belief and uncertainty move together, and what self-censors say is heard as unsure.
    "relative_agreement": (
        "historical_fixed",
        {
            "population.size": 250,
            "end": "1926-12",
            "debate.model": "relative-agreement",
            "population.factions.left.uncertainty": 0.15,
            "population.factions.centre.uncertainty": 0.8,
        },
    ),
}

#: Bonferroni: each test at the family level divided by the number of tests.
LEVEL = FAMILY_LEVEL / (len(CASES) * len(SUMMARIES))


def summarise(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One row of summaries per run."""
    return pd.DataFrame([{name: f(df) for name, f in SUMMARIES.items()} for df in frames])


def disagreements(fast: pd.DataFrame, reference: pd.DataFrame) -> list[str]:
    """Outcomes whose distributions differ at the corrected level, with their evidence."""
    found = []
    for name in SUMMARIES:
        a, b = fast[name].dropna(), reference[name].dropna()
        if a.empty and b.empty:  # a window without congresses has no votes
            continue
        p = ks_2samp(a, b).pvalue
        if p < LEVEL:
            found.append(
                f"{name}: fast {a.mean():.4g} ± {a.std():.2g}, reference {b.mean():.4g} ± "
                f"{b.std():.2g}, KS p = {p:.2g} < {LEVEL:.2g}"
            )
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_outcome_distributions_agree(case: str) -> None:
    name, overrides = CASES[case]
    scenario = load_scenario(name, overrides)
    seeds = replicate_seeds(2024, 2 * SEEDS)
    fast = summarise([PartyModel(scenario, seed=s).run() for s in seeds[:SEEDS]])
    reference = summarise([run_reference(scenario, seed=s) for s in seeds[SEEDS:]])
    found = disagreements(fast, reference)
    assert not found, f"{case}: the models disagree:\n" + "\n".join(found)


def test_reference_run_has_the_engine_columns() -> None:
    scenario = load_scenario("historical_fixed", {"population.size": 100, "end": "1924-06"})
    reference = run_reference(scenario, seed=1, months=3)
    engine = PartyModel(scenario, seed=1)
    assert list(reference.columns) == engine.outcome_columns()
    assert len(reference) == 3
    assert reference["members_active"].iloc[0] > 0
