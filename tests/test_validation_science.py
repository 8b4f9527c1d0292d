"""Published results reproduced by the model, with seeded runs: numbers, not just "runs".

Each check of :mod:`simulation.validation` is run in its quick form (small parties, few
seeds) and its numbers asserted. Daymude et al., Deffuant et al. and Hegselmann & Krause are
asserted in full in tests/test_voice.py and tests/test_debate.py; here only their checks'
verdicts and headline numbers are, so the suite does not run them twice over.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.cli.main import main
from simulation.validation import Verdict, run_checks
from simulation.validation.figures import draw, markdown
from simulation.validation.registry import REGISTRY


@pytest.fixture(scope="module")
def findings():
    """Every registered check, quick, seed 0, run once for the module."""
    return {finding.name: finding for finding in run_checks(quick=True, seed=0)}


def test_every_registered_check_reports_claim_numbers_and_verdict(findings):
    assert list(findings) == list(REGISTRY)
    for name, finding in findings.items():
        assert finding.name == name
        assert finding.claim and finding.citation and finding.note and finding.summary
        assert len(finding.table) > 0
        assert finding.verdict in Verdict
        section = markdown(finding)
        assert finding.citation in section and finding.verdict.value in section
        assert draw(finding) is not None


def test_daymude_regimes_in_the_running_model(findings):
    finding = findings["daymude"]
    assert finding.verdict is Verdict.REPRODUCED
    table = finding.table.set_index("quantity")
    assert table.loc["members whose dissent differs from the closed form", "model"] == 0
    assert table.loc["members voicing between tau and the tipping point", "model"] == 0
    # The regime shares are the closed form's on these beliefs, and near the paper's.
    for regime, paper in [("complying", 0.2), ("self-censoring", 0.3652), ("defying", 0.4348)]:
        row = next(q for q in table.index if regime in q and "psi" not in q)
        assert table.loc[row, "model"] == table.loc[row, "closed form here"]
        assert table.loc[row, "model"] == pytest.approx(paper, abs=0.04)
    assert table.loc["share defying at psi = 0.4", "model"] == 0.0


def test_bounded_confidence_cluster_counts(findings):
    deffuant = findings["deffuant"].table.set_index("bound eps")
    assert findings["deffuant"].verdict is Verdict.REPRODUCED
    assert deffuant["model: median clusters"].to_dict() == {0.6: 1.0, 0.4: 2.0, 0.3: 3.0}
    hk = findings["hegselmann_krause"].table.set_index("bound eps")
    assert findings["hegselmann_krause"].verdict is Verdict.REPRODUCED
    assert hk.loc[0.6, "model: per seed"] == "1 1 1"
    assert hk.loc[0.5, "model: per seed"] == "1 1 1"
    assert hk.loc[0.35, "model: median clusters"] >= 2
    assert hk.loc[0.2, "model: median clusters"] >= 3


def test_granovetter_cascade_runs_to_everyone_and_stops_when_one_threshold_moves(findings):
    finding = findings["granovetter"]
    assert finding.verdict is Verdict.REPRODUCED
    table = finding.table.set_index("month")
    uniform = table["thresholds 0..99: open dissenters"]
    moved = table["threshold 1 moved to 2: open dissenters"]
    # One more member each month: k members open in month k, all 100 from month 100 on.
    assert [uniform[k] for k in (1, 2, 3, 10, 50, 99)] == [1, 2, 3, 10, 50, 99]
    assert uniform[100] == 100 and uniform.iloc[-1] == 100
    assert set(moved) == {1}


def test_granovetter_thresholds_follow_from_beliefs():
    """The placed beliefs give member k a threshold between k - 1 and k open others."""
    from simulation.model.rules.voice import dissent_choice
    from simulation.validation.granovetter import belief_for_threshold

    size, line, tau, psi = 100, -1.0, 0.02, 0.9
    for k in (0, 1, 2, 50, 99):
        delta = 0.5 * abs(belief_for_threshold(k - 0.5, size, line, tau, psi) - line)
        for others, defies in ((k - 1, False), (k, True)):
            if others < 0:
                continue
            perceived = psi * (1.0 - others / (size - 1))
            a = dissent_choice(delta, 1.0, tau, 0.0, perceived, False)
            assert bool(a > tau) == defies, (k, others)


def test_prairie_fire_jumps_with_safety_in_numbers_and_stays(findings):
    """Kuran (1989) from drawn thresholds: one step of severity sets off most of the party."""
    finding = findings["prairie_fire"]
    assert finding.verdict is Verdict.REPRODUCED
    row = finding.table.iloc[0]
    assert row["private disagreement"] > 0.85
    assert row["open before the jump"] < 0.2
    assert row["severity at the jump"] == pytest.approx(0.55)
    assert row["largest rise in one step"] > 0.6
    assert row["largest rise, no social proof"] < 0.15
    assert row["open when severity is back at 1"] > 0.7
    assert row["same, no social proof"] < 0.01


def test_prairie_fire_jump_finds_the_largest_rise():
    from simulation.validation.prairie_fire import jump

    assert jump(np.array([0.0, 0.1, 0.15, 0.8, 0.85])) == (3, pytest.approx(0.65))


def test_centola_is_reported_as_not_expressible_with_the_nearest_mechanism(findings):
    finding = findings["centola"]
    assert finding.verdict is Verdict.NOT_EXPRESSIBLE
    table = finding.table.set_index("false denunciation per tie")
    # The nearest mechanism cascades at 0.1 on both networks: no locality effect.
    assert table.loc[0.1, "expelled, local ties (mean)"] > 0.5
    assert table.loc[0.1, "expelled, complete graph (mean)"] > 0.5
    assert table.loc[0.05, "expelled, local ties (mean)"] < 0.2


def test_wintrobe_leader_error_grows_with_severity_and_surveillance(findings):
    finding = findings["wintrobe"]
    assert finding.verdict is Verdict.REPRODUCED
    error = finding.table.set_index("leader_error")
    assert error.loc["nu = 0", "psi = 0"] == 0.0
    assert np.all(np.diff(error.to_numpy(), axis=1) >= 0)
    assert np.all(np.diff(error.to_numpy(), axis=0) >= 0)
    assert error.loc["nu = 0", "psi = 1"] > 0.5
    assert error.loc["nu = 0.3", "psi = 0.2"] > error.loc["nu = 0", "psi = 0.2"]


def test_gregory_quota_precision(findings):
    finding = findings["gregory"]
    assert finding.verdict is Verdict.REPRODUCED
    table = finding.table
    none = table.iloc[0]
    assert none["true dissenters"] == 0 and none["arrested"] == 100
    assert none["innocent share"] == 1.0
    some = table.iloc[1:]
    dissenters = some["true dissenters"].iloc[0]
    expected = np.minimum(dissenters, some["arrested"]) / some["arrested"]
    np.testing.assert_allclose(some["precision"], expected, rtol=0, atol=1e-12)
    assert some["precision"].iloc[0] == 1.0  # a quota of 2% is within true dissent
    assert some["precision"].iloc[-1] < 0.15  # 40%: mostly innocents


def test_montagnes_wolton_pattern_holds_but_only_partly(findings):
    finding = findings["montagnes_wolton"]
    assert finding.verdict is Verdict.PARTIAL
    table = finding.table.set_index("severity psi")
    assert table.loc[0.0, "corr(purged, true dissent)"] > 0.3
    assert table.loc[0.0, "purge rate, compliant members"] == 0.0
    assert abs(table.loc[1.0, "corr(purged, true dissent)"]) < 0.1
    assert table.loc[1.0, "purge rate, compliant members"] > 0.05
    assert table.loc[1.0, "innocent share of the purged"] > 0.8


def test_command_prints_table_writes_figures_and_counts(tmp_path, capsys):
    code = main(["validate-science", "gregory", "granovetter", "--quick", "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "Published results" in out and "reproduced" in out
    assert out.strip().splitlines()[-1] == "2 of 2 published results reproduced"
    assert (tmp_path / "gregory.png").is_file() and (tmp_path / "granovetter.png").is_file()
    assert "Terror by quota" in (tmp_path / "results.md").read_text()


def test_command_rejects_an_unknown_name_in_one_line(capsys):
    assert main(["validate-science", "gregory", "kuran"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "unknown published result 'kuran'" in err[0]
    assert "allowed: daymude, deffuant" in err[0]


def test_extremists_central_both_and_single_extreme(findings):
    """Deffuant et al. (2002): the three outcomes at the paper's three examples."""
    finding = findings["extremists"]
    assert finding.verdict is Verdict.REPRODUCED
    table = finding.table.set_index("paper's outcome")
    assert table.loc["central convergence", "median y"] < 0.3
    assert 0.3 <= table.loc["both extremes", "median y"] < 0.8
    assert table.loc["single extreme", "median y"] >= 0.9


def test_extremists_indicator_and_outcomes():
    from simulation.validation.extremists import indicator, outcome_of

    assert indicator(np.array([0.0, 0.1, -0.2, 0.3])) == 0.0
    assert indicator(np.array([0.9, -0.9, 0.85, -0.95])) == pytest.approx(0.5)
    assert indicator(np.array([0.9, 0.95, 0.99])) == pytest.approx(1.0)
    assert [outcome_of(y) for y in (0.1, 0.5, 0.95)] == ["central", "both", "single"]


def test_coalitions_reproduce_the_sizes_and_the_strongest_left_out(findings):
    finding = findings["coalitions"]
    assert finding.verdict is Verdict.REPRODUCED
    table = finding.table.set_index("result")
    assert (table["holds"] == "yes").all()
    assert table.loc["two players are generically not self-enforcing", "model"].startswith(
        "0.000 of 600 pairs"
    )
    sizes = table.loc[
        "near-equal power: the ruling coalition has 1, 3, 7, 15, ... members", "model"
    ]
    assert sizes.startswith("sizes [1, 3, 7] for n = 1 to 12; always the largest 2^k - 1")
    assert table.loc["the most powerful can be left out: powers 3, 4, 5, 10", "model"] == (
        "Phi(N) = {3, 4, 5}"
    )


def test_coalitions_staircase():
    from simulation.validation.coalitions import staircase

    assert [staircase(n) for n in range(1, 17)] == [1, 1, 3, 3, 3, 3] + [7] * 8 + [15, 15]


def test_daymude_authority_timid_silenced_bold_deter_hardening(findings):
    """Daymude et al. (2025): the adaptive authority silences timid populations, not bold ones."""
    finding = findings["daymude_authority"]
    assert finding.verdict is Verdict.REPRODUCED
    table = finding.table.set_index(["controller", "mean boldness"])
    daymude = table.loc["daymude"]
    # Timid populations are silenced in every seed, the bolder later.
    assert daymude.loc[0.25, "share of seeds suppressed"] == 1.0
    assert daymude.loc[0.5, "share of seeds suppressed"] == 1.0
    assert (
        daymude.loc[0.25, "median months to suppression"]
        < daymude.loc[0.5, "median months to suppression"]
    )
    assert daymude.loc[0.25, "final tolerance"] < 0.05
    # The bold population is never silenced: the authority loosened instead of hardening.
    assert daymude.loc[4.0, "share of seeds suppressed"] == 0.0
    assert daymude.loc[4.0, "final tolerance"] > 0.5
    assert daymude.loc[4.0, "final severity"] < 0.1
    assert daymude.loc[4.0, "voiced share, last year"] > 0.9
    # The target controller silences all of them within about 15 months, the bold more harshly.
    target = table.loc["target"]
    assert (target["share of seeds suppressed"] == 1.0).all()
    assert target["median months to suppression"].max() <= 20
    assert target.loc[4.0, "final severity"] > 5 * target.loc[0.25, "final severity"]
