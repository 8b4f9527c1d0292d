"""Sweep and sensitivity figures: PNG and SVG files, labelled axes, the table's values."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.container import BarContainer

from simulation.reporting import analysis, figures

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MONTHS = ["1930-01", "1930-02", "1930-03"]
TOLERANCE = [0.0, 0.5, 1.0]
SEVERITY = [0.0, 2.0]


def sweep_table(scenarios=("base",), replicates=2):
    """A tidy sweep table: fear = tolerance + severity / 2 + replicate / 100 + month / 10."""
    rows = []
    run = 0
    for scenario_number, scenario in enumerate(scenarios):
        for point, (tolerance, severity) in enumerate(itertools.product(TOLERANCE, SEVERITY)):
            for replicate in range(replicates):
                for step, month in enumerate(MONTHS):
                    fear = tolerance + severity / 2 + replicate / 100 + step / 10
                    rows.append(
                        {
                            "run": run,
                            "scenario": scenario,
                            "point": point,
                            "replicate": replicate,
                            "seed": 100 + replicate,
                            "policy.tolerance": tolerance,
                            "policy.severity": severity,
                            "month": month,
                            "fear": fear + scenario_number,
                            "executed_total": step * (point + 1),
                        }
                    )
                run += 1
    return pd.DataFrame(rows)


def expected_final_fear(tolerance, severity, replicates=2):
    return tolerance + severity / 2 + np.mean(np.arange(replicates)) / 100 + 0.2


def svg_text(path):
    root = ET.fromstring(path.read_text(encoding="utf-8"))  # valid XML
    assert root.tag.endswith("svg")
    return "".join(root.itertext())


def assert_png_and_svg(path):
    assert path.suffix == ".png" and path.read_bytes()[:8] == PNG_MAGIC
    return svg_text(path.with_suffix(".svg"))


def test_summarise_points_means_and_intervals():
    table = analysis.summarise_points(sweep_table(), ["fear"], "final")
    assert list(table.columns[:4]) == ["scenario", "point", "policy.tolerance", "policy.severity"]
    assert len(table) == len(TOLERANCE) * len(SEVERITY)
    for row in table.itertuples():
        tolerance, severity = row[3], row[4]
        assert row.mean == pytest.approx(expected_final_fear(tolerance, severity))
        assert row.n == 2 and row.low < row.mean < row.high
    whole = analysis.summarise_points(sweep_table(), ["fear"], "mean")
    assert whole["mean"].iloc[0] == pytest.approx(0.005 + 0.1)
    period = analysis.summarise_points(sweep_table(), ["fear"], "mean:1930-02:1930-03")
    assert period["mean"].iloc[0] == pytest.approx(0.005 + 0.15)


@pytest.mark.parametrize("statistic", ["last", "mean:1930-3:1930-04", "mean:1931-01:1930-01"])
def test_bad_statistics_are_refused_clearly(statistic):
    with pytest.raises(ValueError, match="statistic"):
        analysis.summarise_points(sweep_table(), ["fear"], statistic)


def test_heatmap_cells_equal_the_table(tmp_path):
    figure = figures.heatmap(sweep_table(), "policy.tolerance", "policy.severity", "fear")
    axes = figure.axes[0]
    mesh = next(c for c in axes.collections if isinstance(c, QuadMesh))
    cells = np.asarray(mesh.get_array()).reshape(len(SEVERITY), len(TOLERANCE))
    expected = [[expected_final_fear(t, s) for t in TOLERANCE] for s in SEVERITY]
    np.testing.assert_allclose(cells, expected)
    texts = [float(text.get_text()) for text in axes.texts]
    np.testing.assert_allclose(sorted(texts), sorted(np.ravel(expected)), atol=0.005)
    assert "policy.tolerance" in axes.get_xlabel() and "Tolerance τ" in axes.get_xlabel()
    assert "policy.severity" in axes.get_ylabel()
    colourbar = figure.axes[-1]
    assert "Fear" in colourbar.get_ylabel() and "0–1" in colourbar.get_ylabel()
    assert "final month" in colourbar.get_ylabel()
    assert [t.get_text() for t in axes.get_xticklabels()] == ["0.0", "0.5", "1.0"]
    assert mesh.get_cmap().name == "viridis"

    path = figures.save(figure, tmp_path / "f" / "fear.png")
    text = assert_png_and_svg(path)
    assert "policy.tolerance" in text and "Fear" in text


def test_heatmap_from_a_summary_and_per_scenario_panels(tmp_path):
    summary = analysis.summarise_points(sweep_table(("a", "b")), ["fear"], "final")
    figure = figures.heatmap(summary, "policy.tolerance", "policy.severity", "fear")
    panels = figure.axes[:2]  # the last axes is the shared colour bar
    assert [a.get_title() for a in panels] == ["scenario: a", "scenario: b"]
    meshes = [c for a in panels for c in a.collections if isinstance(c, QuadMesh)]
    assert len(meshes) == 2
    assert meshes[1].get_array().max() == pytest.approx(expected_final_fear(1.0, 2.0) + 1)
    assert meshes[0].norm.vmax == meshes[1].norm.vmax  # one colour scale for both panels
    big = pd.DataFrame(
        [(t, s, t * s) for t in range(13) for s in range(3)], columns=["a.x", "a.y", "fear"]
    )
    figure = figures.heatmap(big, "a.x", "a.y", "fear")
    assert not figure.axes[0].texts  # more than 12 columns: no cell annotations


def test_response_curve_has_band_and_labels(tmp_path):
    table = sweep_table(("a", "b"))
    figure = figures.response_curve(table, "policy.tolerance", "fear", statistic="mean")
    axes = figure.axes[0]
    assert len(axes.lines) == 2 and len(axes.collections) == 2  # a line and a band each
    np.testing.assert_allclose(axes.lines[0].get_xdata(), TOLERANCE)
    # Averaged over severity (0 and 2, i.e. +0.5) and replicates, months 0.1 on average.
    np.testing.assert_allclose(axes.lines[0].get_ydata(), np.array(TOLERANCE) + 0.5 + 0.005 + 0.1)
    assert "tolerance" in axes.get_xlabel() and "mean over the run" in axes.get_ylabel()
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["a", "b"]
    figure = figures.response_curve(table, "policy.tolerance", "fear")
    path = figures.save(figure, tmp_path / "curve.png")
    assert "Fear against policy.tolerance" in assert_png_and_svg(path)


def sobol_indices():
    rows = []
    for outcome, scale in (("fear", 1.0), ("executed_total", 0.5)):
        for name, st in (("policy.tolerance", 0.2), ("policy.severity", 0.7), ("voice.x", 0.05)):
            rows.append(
                {
                    "outcome": outcome,
                    "parameter": name,
                    "S1": st * scale * 0.8,
                    "S1_conf": 0.03,
                    "ST": st * scale,
                    "ST_conf": 0.05,
                }
            )
    return pd.DataFrame(rows)


def test_sensitivity_bars_sorted_with_intervals(tmp_path):
    figure = figures.sensitivity_bars(sobol_indices())
    panels = [a for a in figure.axes if a.get_visible()]
    assert [a.get_title() for a in panels] == ["Fear", "Executions, cumulative"]
    axes = panels[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == ["policy.severity", "policy.tolerance", "voice.x"]  # by ST, largest first
    assert axes.yaxis_inverted()
    widths = sorted(round(p.get_width(), 6) for p in axes.patches)
    assert widths == sorted([0.7, 0.2, 0.05, 0.56, 0.16, 0.04])
    bars = [c for c in axes.containers if isinstance(c, BarContainer)]
    assert len(bars) == 2 and all(c.errorbar.has_xerr for c in bars)
    errors = bars[0].errorbar.lines[2][0].get_segments()  # ST's interval of its top bar
    assert errors[0][:, 0] == pytest.approx([0.65, 0.75])
    assert "Sobol index" in axes.get_xlabel()
    path = figures.save(figures.sensitivity_bars(sobol_indices()), tmp_path / "sobol.png")
    assert "total (ST)" in assert_png_and_svg(path)


def test_morris_bars_from_a_long_table(tmp_path):
    long = pd.DataFrame(
        {
            "outcome": ["fear"] * 4,
            "parameter": ["a.p", "a.p", "a.q", "a.q"],
            "index": ["mu_star", "sigma", "mu_star", "sigma"],
            "value": [0.1, 0.05, 0.3, 0.2],
            "conf": [0.02, np.nan, 0.04, np.nan],
        }
    )
    figure = figures.sensitivity_bars(long)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["a.q", "a.p"]
    assert "μ*" in axes.get_xlabel()
    path = figures.save(figures.sensitivity_bars(long), tmp_path / "morris.png", formats=("svg",))
    assert path.suffix == ".svg" and not path.with_suffix(".png").exists()


def test_existing_figures_also_write_svg_and_use_dates(tmp_path):
    runs = sweep_table(("a", "b"))
    runs = runs[runs["point"] == 0]
    figure = figures.band(runs, "fear")
    axes = figure.axes[0]
    assert axes.get_xlabel() == "month" and "0–1" in axes.get_ylabel()
    assert "Fear" in axes.get_title() and "2 replicates" in axes.get_title()
    assert type(axes.xaxis.get_major_formatter()).__name__ == "ConciseDateFormatter"
    path = figures.save(figure, tmp_path / "fear.png")
    assert path == tmp_path / "fear.png"
    assert "Fear" in assert_png_and_svg(path)
    # Figures are the same bytes when drawn twice (no dates or random ids in the SVG).
    again = figures.save(figures.band(runs, "fear"), tmp_path / "again.png")
    assert again.with_suffix(".svg").read_bytes() == path.with_suffix(".svg").read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial files


def identical_scenarios(months: int = 36) -> pd.DataFrame:
    """Two scenarios with the same values in every month (a counterfactual before it diverges)."""
    dates = pd.period_range("1930-01", periods=months, freq="M")
    rows = [
        {"scenario": name, "replicate": r, "seed": r, "month": month, "fear": step / months + r}
        for name in ("trotsky", "trotsky_hardens")
        for r in range(2)
        for step, month in enumerate(dates)
    ]
    frame = pd.DataFrame(rows)
    return frame.assign(
        expelled_total=frame["fear"], imprisoned_total=frame["fear"], executed_total=frame["fear"]
    )


@pytest.mark.parametrize("draw", ["band", "purges", "response_curve"])
def test_identical_scenarios_stay_distinguishable(draw):
    if draw == "response_curve":
        runs = sweep_table(("trotsky", "trotsky_hardens"))
        runs = runs.assign(fear=runs["fear"] - (runs["scenario"] == "trotsky_hardens"))
        figure = figures.response_curve(runs, "policy.tolerance", "fear")
    elif draw == "band":
        figure = figures.band(identical_scenarios(), "fear")
    else:
        figure = figures.purges(identical_scenarios())
    for axes in figure.axes:
        first, second = axes.get_lines()[:2]
        np.testing.assert_allclose(first.get_ydata(), second.get_ydata())  # the same values
        assert first.get_linestyle() != second.get_linestyle()
        assert first.get_marker() != second.get_marker()
        assert first.get_color() != second.get_color()
        # Lines are drawn after every band, so no band covers a line.
        assert axes.get_children().index(first) > max(
            (axes.get_children().index(c) for c in axes.collections), default=-1
        )


def test_markers_of_overlapping_lines_fall_on_different_months():
    figure = figures.band(identical_scenarios(), "fear")
    first, second = figure.axes[0].get_lines()[:2]
    assert first.get_markevery() != second.get_markevery()


def test_means_of_cumulative_measures_are_refused_or_left_out():
    runs = sweep_table()
    with pytest.raises(ValueError, match="executed_total is a cumulative count"):
        analysis.reduce_runs(runs, ["executed_total"], "mean")
    with pytest.raises(ValueError, match="read it at a date"):
        figures.response_curve(runs, "policy.tolerance", "executed_total", statistic="mean")
    table = analysis.summarise_points(runs, ["fear", "executed_total"], "mean:1930-01:1930-02")
    assert set(table["outcome"]) == {"fear"}
    # At a date a cumulative measure is read as it stands: month 2 holds 1 x (point + 1).
    at = analysis.reduce_runs(runs, ["executed_total"], "at:1930-02")
    np.testing.assert_array_equal(at["executed_total"], at["point"] + 1)
