"""The dashboard without a browser: the page module, its runs, settings, figures and command.

Like Mesa's smoke tests of its examples: import the page, build the model with a seed, step
it. The browser tests are in ``test_dashboard_browser.py``.
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from simulation.cli.main import main
from simulation.dashboard import assets
from simulation.dashboard.charts import outcome_figure
from simulation.dashboard.congress_view import party_argues_figure
from simulation.dashboard.leaders_view import contender_rows, leaders_figure
from simulation.dashboard.network_view import network_figure
from simulation.dashboard.runs import NETWORK_SAMPLE_SIZE, DashboardRun
from simulation.dashboard.settings import (
    ENV_SCENARIO,
    ENV_SEED,
    ENV_SIZE,
    KNOBS,
    DashboardSettings,
    SettingsError,
    base_scenario,
    knob_overrides,
    parse_seed,
    scenario_value,
    startup_settings,
    tweaked_scenario,
)
from simulation.dashboard.world_view import world_figure
from simulation.model.party import PartyModel
from simulation.scenario import list_scenarios
from simulation.scenario.schema import CampaignEvent, PolicyEvent
from simulation.world.map import states_at

SMALL = DashboardSettings(scenario="historical", seed=3, size=300)


# ------------------------------------------------------------------ smoke test of the page
def test_page_imports_and_its_model_steps() -> None:
    from simulation.dashboard import app

    run = DashboardRun(SMALL)
    for _ in range(10):
        run.step()
    assert run.steps == 10
    ((label, frame),) = run.outcomes()
    assert label == "historical"
    assert list(frame["month"].astype(str))[:2] == ["1924-01", "1924-02"] and len(frame) == 10
    assert callable(app.Page)


def test_page_renders_without_a_browser(monkeypatch) -> None:
    import solara

    from simulation.dashboard import app

    monkeypatch.setenv(ENV_SIZE, "300")
    monkeypatch.setenv(ENV_SCENARIO, "trotsky")
    _, rc = solara.render(app.Page(), handle_error=False)
    tables = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    (summary,) = [html for html in tables if "politburo-summary" in (html or "")]
    assert "trotsky" in summary and "before 1924-01" in summary
    rc.close()


def test_a_slider_rebuilds_and_reset_keeps_the_tweak(monkeypatch) -> None:
    import ipyvuetify as v
    import solara

    from simulation.dashboard import app

    monkeypatch.setenv(ENV_SIZE, "300")
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)

    def summary() -> str:
        tables = [w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets]
        return next(html for html in tables if "politburo-summary" in html)

    (severity,) = [w for w in rc.find(v.Slider).widgets if str(w.label).startswith("Severity")]
    severity.v_model = 5.0
    assert "ψ 5.0" in summary() and "historical (tweaked)" in summary()
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert "1924-01" in summary()
    # The 13th Conference votes in the first month: the table shows it as it happens.
    assert "latest congress: against · hidden" in summary() and "13th Conference: 0." in summary()
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert "before 1924-01" in summary() and "ψ 5.0" in summary() and "<td>300</td>" in summary()
    rc.close()


def test_a_rebuild_after_the_last_month_enables_play_again(monkeypatch) -> None:
    import ipyvuetify as v
    import solara

    from simulation.dashboard import app

    monkeypatch.setenv(ENV_SIZE, "300")
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)

    def buttons() -> dict[str, bool]:
        found = {w.children[0]: w.disabled for w in rc.find(v.Btn).widgets if w.children}
        return {name: found[name] for name in ("▶", "Step")}

    (months,) = [w for w in rc.find(v.Slider).widgets if str(w.label).startswith("Render")]
    months.v_model = 100
    for _ in range(4):  # 400 months: past December 1956
        rc.find(v.Btn, children=["Step"]).widget.click()
    assert buttons() == {"▶": True, "Step": True}  # SolaraViz disables them at the end
    (severity,) = [w for w in rc.find(v.Slider).widgets if str(w.label).startswith("Severity")]
    severity.v_model = 2.0
    assert buttons() == {"▶": False, "Step": False}
    # The same after a run that SolaraViz's Reset built has ended.
    rc.find(v.Btn, children=["Reset"]).widget.click()
    (months,) = [w for w in rc.find(v.Slider).widgets if str(w.label).startswith("Render")]
    months.v_model = 100
    for _ in range(4):
        rc.find(v.Btn, children=["Step"]).widget.click()
    assert buttons() == {"▶": True, "Step": True}
    (severity,) = [w for w in rc.find(v.Slider).widgets if str(w.label).startswith("Severity")]
    severity.v_model = 3.0
    assert buttons() == {"▶": False, "Step": False}
    rc.close()


def test_figures_draw_before_and_after_stepping() -> None:
    run = DashboardRun(DashboardSettings(seed=2, size=300, side_by_side=True, baseline="trotsky"))
    assert outcome_figure(run.outcomes()).axes  # empty panels say "press Step"
    for _ in range(3):
        run.step()
    assert len(outcome_figure(run.outcomes()).axes) == 6
    for colour_by in ("status", "belief"):
        figure = network_figure(run.network(), colour_by)
        assert len([ax for ax in figure.axes if ax.get_title(loc="left")]) == 2


# ------------------------------------------------------------------ runs side by side
def test_untweaked_baseline_matches_the_run_under_one_seed() -> None:
    run = DashboardRun(DashboardSettings(seed=5, size=300, side_by_side=True))
    for _ in range(12):
        run.step()
    (_, tweaked), (label, baseline) = run.outcomes()
    assert label == "historical (baseline)"
    pd.testing.assert_frame_equal(tweaked, baseline)


def test_tweaked_run_differs_from_baseline_only_by_its_policy() -> None:
    settings = DashboardSettings(seed=5, size=300, side_by_side=True).tweak("severity", 8.0)
    run = DashboardRun(settings)
    assert run.tweaked.config.policy.severity == 8.0
    assert run.baseline is not None and run.baseline.config.policy.severity == 0.6
    start = [each.model.network_sample(members=run.samples[0][0]) for each in run.runs()]
    assert run.samples[1] is run.samples[0]  # one party: one sample, one layout
    np.testing.assert_array_equal(start[0].belief, start[1].belief)  # the same party


def test_baseline_of_another_party_draws_its_own_sample() -> None:
    """A baseline that builds its party differently is not drawn on the run's sample."""
    run = DashboardRun(DashboardSettings(seed=5, size=300, side_by_side=True, baseline="daymude"))
    (_, tweaked, _), (_, baseline, positions) = run.network()
    assert run.samples[1] is not run.samples[0]
    assert len(positions) == len(baseline.members)
    own = run.baseline.network_sample(NETWORK_SAMPLE_SIZE, seed=5)
    assert np.array_equal(baseline.members, own.members)
    assert np.array_equal(baseline.ties, own.ties) and len(tweaked.ties) > 0


# ------------------------------------------------------------------ settings
@pytest.mark.parametrize(("text", "seed"), [("12", 12), (" 7 ", 7), ("1_000", 1000), (4, 4)])
def test_seed_text_becomes_an_int(text, seed) -> None:
    assert parse_seed(text) == seed


@pytest.mark.parametrize("text", ["abc", "-1", "1.5", "", None, str(2**63)])
def test_bad_seed_text_gets_one_line_naming_what_is_allowed(text) -> None:
    with pytest.raises(SettingsError, match="whole number from 0 to") as error:
        parse_seed(text)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("name", [name for name, _, _ in list_scenarios()])
def test_every_knob_reads_every_shipped_scenario_within_its_range(name) -> None:
    scenario = base_scenario(name, 300)
    for knob in KNOBS:
        value = scenario_value(scenario, knob)
        if knob.kind == "float":
            assert knob.low <= value <= knob.high, (name, knob.name, value)


def test_knobs_become_overrides_for_the_leader_at_the_start() -> None:
    scenario = base_scenario("trotsky_hardens", 300)
    overrides = knob_overrides(scenario, {"responsiveness": 0.9, "hardening": False})
    assert overrides == {
        "leadership.leaders.trotsky.responsiveness": 0.9,
        "leadership.leaders.trotsky.hardening.enabled": False,
    }


def test_quota_scale_multiplies_every_campaign_quota_up_to_one() -> None:
    settings = DashboardSettings(size=300).tweak("quota_scale", 3.0)
    written = base_scenario("historical", 300).events
    scaled = tweaked_scenario(settings).events
    pairs = [(a, b) for a, b in zip(written, scaled, strict=True) if isinstance(a, CampaignEvent)]
    assert pairs
    for before, after in pairs:
        assert after.quota == pytest.approx(min(1.0, 3 * before.quota))


def test_holding_the_policy_drops_policy_events_only() -> None:
    written = base_scenario("historical", 300).events
    held = tweaked_scenario(DashboardSettings(size=300, hold_policy=True)).events
    assert [e for e in written if not isinstance(e, PolicyEvent)] == list(held)


def test_startup_settings_come_from_the_command_line() -> None:
    environ = {ENV_SCENARIO: "trotsky", ENV_SIZE: "500", ENV_SEED: "9"}
    assert startup_settings(environ) == DashboardSettings(scenario="trotsky", size=500, seed=9)
    assert startup_settings({}) == DashboardSettings()


# ------------------------------------------------------------------ the network accessor
def test_network_sample_is_a_connected_piece_that_does_not_change_the_run() -> None:
    watched = PartyModel("historical", seed=4, overrides={"population.size": 300})
    plain = PartyModel("historical", seed=4, overrides={"population.size": 300})
    sample = watched.network_sample(NETWORK_SAMPLE_SIZE, seed=1)
    assert len(set(sample.members.tolist())) == NETWORK_SAMPLE_SIZE
    for a, b in sample.ties:
        assert a < b
        assert int(sample.members[b]) in watched.member(int(sample.members[a])).neighbours()
    assert len(sample.ties) >= NETWORK_SAMPLE_SIZE - 1  # a snowball is connected
    for _ in range(6):
        watched.network_sample(members=sample.members)
        watched.step()
        plain.step()
    pd.testing.assert_frame_equal(watched.outcomes(), plain.outcomes())
    again = watched.network_sample(members=sample.members)
    np.testing.assert_array_equal(again.members, sample.members)
    np.testing.assert_array_equal(again.ties, sample.ties)


# ------------------------------------------------------------------ assets and command
def test_required_assets_are_read_from_the_installed_solara() -> None:
    names = {package.name for package in assets.required_packages(vue3=False)}
    assert names == {
        "@widgetti/solara-vuetify-app",
        "requirejs",
        "font-awesome",
        "@widgetti/vue-grid-layout",
    }


def test_unpack_keeps_package_files_and_refuses_paths_outside(tmp_path) -> None:
    tarball = tmp_path / "demo.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name, data in [("package/dist/app.js", b"ok"), ("package/../../evil.js", b"no")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    target = tmp_path / "cache" / "demo@1.0.0"
    assets.unpack(tarball, target)
    assert (target / "dist" / "app.js").read_bytes() == b"ok"
    assert not list(tmp_path.rglob("evil.js"))


def test_dashboard_without_assets_says_how_to_install_them(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(assets, "cache_dir", lambda: tmp_path)
    assert main(["dashboard", "historical", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("politburo: error: the dashboard's front-end files")
    assert "politburo dashboard --install-assets" in error and error.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["dashboard", "nosuch"], "no such scenario file"),
        (["dashboard", "--size", "five"], "'five' is not a whole number"),
        (["dashboard", "--port", "70000"], "port 70000 is out of range"),
    ],
)
def test_dashboard_mistakes_are_one_line(argv, message, capsys) -> None:
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


# ------------------------------------------------------------------ the party that argues
def test_party_argues_view_reads_each_congress_in_its_month_and_the_organisations() -> None:
    run = DashboardRun(SMALL)
    ((_, empty),) = [(p.label, p.congresses) for p in run.arguing()]
    assert empty.empty  # nothing held before the first month
    for _ in range(24):  # to 1925-12: the 13th Conference and the 14th Congress
        run.step()
    (party,) = run.arguing()
    outcomes = party.outcomes.assign(month=party.outcomes["month"].astype(str))
    assert list(party.congresses["month"]) == ["1924-01", "1925-12"]
    assert list(party.congresses["name"]) == ["13th Conference", "14th Congress"]
    for row in party.congresses.itertuples():
        month = outcomes[outcomes["month"] == row.month].iloc[0]
        assert row.votes_against == month["votes_against"]
        assert row.hidden_opposition == month["hidden_opposition"]
        assert row.hidden_opposition == pytest.approx(
            month["private_opposition"] - month["votes_against"]
        )
    organisations = party.organisations
    names = [o.name for o in run.tweaked.config.population.organisations]
    assert list(organisations.index) == names
    assert organisations["members"].sum() == outcomes["members_active"].iloc[-1]
    latest = outcomes.iloc[-1]
    for name in names:
        assert organisations.loc[name, "votes_against"] == latest[f"votes_against_{name}"]
    figure = party_argues_figure([party])
    assert [ax.get_title(loc="left") for ax in figure.axes][2:] == [
        "Votes against, latest congress",
        "Active members",
    ]
    bars = [patch.get_height() for patch in figure.axes[3].patches]
    assert bars == list(organisations["members"].astype(float))


def test_party_argues_view_says_what_a_run_lacks() -> None:
    run = DashboardRun(DashboardSettings(seed=5, size=300, side_by_side=True, baseline="daymude"))
    texts = [t.get_text() for ax in party_argues_figure(run.arguing()).axes for t in ax.texts]
    assert texts == ["press Step or ▶"] * 4
    run.step()
    tweaked, baseline = run.arguing()
    assert baseline.organisations.empty and baseline.congresses.empty
    assert list(tweaked.congresses["name"]) == ["13th Conference"]
    texts = [t.get_text() for ax in party_argues_figure([baseline]).axes for t in ax.texts]
    assert texts == ["no congress held yet", *["no organisations in this scenario"] * 2]


# ------------------------------------------------------------------ the fight for the succession
def test_leaders_view_only_for_a_run_with_the_succession_layer() -> None:
    plain = DashboardRun(replace(SMALL, scenario="historical_fixed"))
    assert not plain.has_succession() and plain.succession() == []
    settings = DashboardSettings(scenario="historical", seed=3, size=300, side_by_side=True)
    run = DashboardRun(replace(settings, baseline="historical_fixed"))
    assert run.has_succession()
    (before,) = run.succession()  # the baseline has no leaders
    assert before.outcomes.empty and before.coalition == ""
    texts = [t.get_text() for ax in leaders_figure([before]).axes for t in ax.texts]
    assert texts == ["press Step or ▶"] * 2
    for _ in range(30):
        run.step()
    (state,) = run.succession()
    last = state.outcomes.iloc[-1]
    contenders = run.tweaked.config.succession.contenders
    assert list(state.contenders.index) == list(contenders)
    for name, row in state.contenders.iterrows():
        assert row["power"] == pytest.approx(last[f"power_{name}"])
        assert row["fate"] == last[f"fate_{name}"]
        assert row["ruling"] == (name in last["ruling_coalition"].split("+"))
    titles = [contenders[name].title for name in last["ruling_coalition"].split("+")]
    assert state.coalition == " + ".join(titles)
    # Offices: Stalin's General Secretariat, as long as he is in office.
    if state.contenders.loc["stalin", "fate"] == "in_office":
        assert "general_secretary" in state.contenders.loc["stalin", "offices"]
    rows = contender_rows(state)
    assert [row[3] for row in rows] == sorted((row[3] for row in rows), reverse=True)
    figure = leaders_figure([state])
    power, leads = figure.axes
    assert [power.get_title(loc="left"), leads.get_title(loc="left")] == [
        "Share of power",
        "Who leads",
    ]
    assert len(power.lines) == len(contenders)
    drawn = {line.get_label(): line for line in power.lines}
    np.testing.assert_allclose(drawn["stalin"].get_ydata(), state.outcomes["power_stalin"])
    spells = (state.outcomes["leader"] != state.outcomes["leader"].shift()).sum()
    assert len(leads.patches) == spells


def page_html(monkeypatch, scenario: str, marker: str) -> list[str]:
    """The HTML panels of the page rendered for ``scenario`` whose markup holds ``marker``."""
    import solara

    from simulation.dashboard import app

    monkeypatch.setenv(ENV_SIZE, "300")
    monkeypatch.setenv(ENV_SCENARIO, scenario)
    _, rc = solara.render(app.Page(), handle_error=False)
    tables = [w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets]
    rc.close()
    return [html for html in tables if marker in html]


@pytest.mark.parametrize(
    ("scenario", "marker", "texts"),
    [
        ("historical", "politburo-leaders", ["J. V. Stalin", "ruling coalition –"]),
        ("historical_fixed", "politburo-leaders", None),
        ("historical_world", "politburo-world", ["historical_world, 1924-01:", "threat to the"]),
        ("historical", "politburo-world", None),
    ],
)
def test_page_shows_the_leaders_and_the_world_only_where_a_run_has_them(
    monkeypatch, scenario, marker, texts
) -> None:
    panels = page_html(monkeypatch, scenario, marker)
    assert bool(panels) == (texts is not None)
    for text in texts or ():
        assert text in panels[0]


# ------------------------------------------------------------------ the world around the party
def test_world_view_only_for_a_run_with_the_world_layer() -> None:
    plain = DashboardRun(SMALL)
    assert not plain.has_world() and plain.worlds() == []
    settings = DashboardSettings(scenario="historical_world", seed=3, size=300, side_by_side=True)
    run = DashboardRun(replace(settings, baseline="historical"))
    assert run.has_world()
    for _ in range(12):
        run.step()
    (world,) = run.worlds()  # the baseline has no world
    assert world.label == "historical_world" and world.month == "1925-01"
    assert world.threat == pytest.approx(run.tweaked.world_threat)
    states, _ = states_at(world.history, world.month)
    communist = sum(state == "communist" for state in states.values())
    assert world.line().startswith(f"historical_world, 1925-01: {communist} communist states")
    figure = world_figure([world])
    (ax,) = figure.axes
    assert ax.get_title() == "historical_world: 1925-01"
    drawn = dict(patch.get_gid().split(":") for patch in ax.patches)
    assert drawn == states
