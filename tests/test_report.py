"""Sweep and sensitivity reports, and self-contained HTML reports."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from test_plots import sobol_indices, sweep_table

from simulation.reporting import analysis, figures, report

COMMAND = ["politburo", "sweep", "base", "--param", "policy.tolerance=0:1:3"]


def sweep_info(**changes):
    values = {
        "scenarios": ["base"],
        "parameters": {"policy.tolerance": [0.0, 0.5, 1.0], "policy.severity": [0.0, 2.0]},
        "design": "full factorial grid",
        "replicates": 2,
        "seed": 7,
        "command": COMMAND,
        "points": 6,
        "runs": 12,
        "outcomes": ["fear"],
        "statistic": "final",
        "period": "1930-01 to 1930-03 (3 months)",
        "versions": {"politburo": "0.1.0", "numpy": "2.0"},
        "fingerprint": "abc123def4567890",
    }
    return report.ExperimentInfo(**{**values, **changes})


class Assets(HTMLParser):
    """Collects every src and href of an HTML page."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [(tag, name, value) for name, value in attrs if name in ("src", "href")]


def parse(page):
    parser = Assets()
    parser.feed(page)
    return parser


def test_sweep_report_lists_definition_tables_and_figures(tmp_path):
    summary = analysis.summarise_points(sweep_table(), ["fear", "executed_total"], "final")
    figure = figures.heatmap(sweep_table(), "policy.tolerance", "policy.severity", "fear")
    path = figures.save(figure, tmp_path / "figures/h.png")
    text = report.sweep_report(sweep_info(), summary, {"Fear by policy": "figures/h.png"})
    assert text.startswith("# Sweep: base over `policy.tolerance`, `policy.severity`")
    for fact in (
        "full factorial grid",
        "6 design points, 2 replicates per point, 12 runs in all",
        "Seed: 7",
        "SeedSequence.spawn",
        "common random numbers",
        "`politburo sweep base --param policy.tolerance=0:1:3`",
        "politburo 0.1.0, numpy 2.0",
        "abc123def4567890",
        "1930-01 to 1930-03",
        "| `policy.tolerance` | Tolerance τ (dissent units, 0–1) | 3 values: 0, 0.5, 1 |",
        "2 values: 0, 2",
        "What the model cannot tell",
        "thought experiment",
        "![Fear by policy](figures/h.png)",
    ):
        assert fact in text, fact
    assert path.is_file()
    # One row per point with its parameter values and the mean [interval] of the final month.
    assert "### Fear (`fear`), final month" in text
    row = next(line for line in text.splitlines() if line.startswith("| 5 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1:3] == ["1", "2"]
    assert cells[3].startswith("2.21 [")
    assert "### Executions, cumulative (`executed_total`)" in text


def test_sweep_report_shortens_long_tables():
    summary = analysis.summarise_points(sweep_table(), ["fear"], "final")
    text = report.sweep_report(sweep_info(), summary, {}, max_rows=4)
    assert "first 4 of 6 points" in text


def test_sensitivity_report_ranks_parameters_with_intervals():
    info = sweep_info(
        parameters={"policy.tolerance": (0, 1), "policy.severity": (0, 5), "voice.x": (0, 1)},
        design="Sobol (Saltelli sampling), N = 64",
        outcomes=["fear", "executed_total"],
        statistic="mean:1930-02:1930-03",
    )
    text = report.sensitivity_report(info, sobol_indices(), {"Indices": "figures/s.png"})
    assert text.startswith("# Sensitivity (Sobol): base")
    assert (
        "| `policy.severity` | Severity ψ (expected cost of an observed deviation) | 0 to 5 |"
        in (text)
    )
    assert "mean 1930-02 to 1930-03" in text
    assert "- Fear (`fear`): `policy.severity`, `policy.tolerance`, `voice.x`" in text
    row = next(line for line in text.splitlines() if line.startswith("| `policy.severity` | 0.70"))
    assert "0.70 [0.65, 0.75]" in row and "0.56 [0.53, 0.59]" in row
    assert "first-order index S1" in text and "thought experiment" in text
    assert report.top_parameters(sobol_indices(), "fear", 2) == [
        "policy.severity",
        "policy.tolerance",
    ]


def test_morris_report():
    indices = pd.DataFrame(
        {
            "parameter": ["a.p", "a.q"],
            "mu_star": [1.5, 12.0],
            "mu_star_conf": [0.5, 2.0],
            "sigma": [0.2, 3.0],
        }
    )
    info = sweep_info(parameters={"a.p": (0, 1), "a.q": (1, 2)}, design="Morris, 10 trajectories")
    text = report.sensitivity_report(info, indices, {})
    assert text.startswith("# Sensitivity (Morris)")
    assert "| `a.q` | 12 [10, 14] | 3 |" in text
    assert "μ\\*" in text


def test_html_report_is_self_contained(tmp_path):
    figures.save(figures.sensitivity_bars(sobol_indices()), tmp_path / "figures" / "sobol.png")
    curve = figures.response_curve(sweep_table(), "policy.tolerance", "fear")
    figures.save(curve, tmp_path / "figures/r.png")
    summary = analysis.summarise_points(sweep_table(), ["fear"], "final")
    markdown = report.sweep_report(
        sweep_info(),
        summary,
        {"Indices": "figures/sobol.png", "Curve": "figures/r.png", "Gone": "figures/none.png"},
    )
    markdown_path, html_path = report.write_reports(markdown, tmp_path)
    assert markdown_path.read_text(encoding="utf-8") == markdown
    page = html_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    parsed = parse(page)
    assert parsed.tags.count("table") == 2  # the parameters and the fear table
    assert "<td>2.21 [" in page.replace('<td style="text-align:right">', "<td>")
    images = [value for tag, name, value in parsed.links if tag == "img"]
    assert len(images) == 2
    for source in images:
        assert source.startswith("data:image/svg+xml;base64,")  # the SVG twin of the PNG
        assert base64.b64decode(source.split(",", 1)[1]).lstrip().startswith(b"<?xml")
    assert not [v for _, _, v in parsed.links if re.match(r"https?://", v)]
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "<link" not in page and "<script" not in page
    assert "figure not found: figures/none.png" in page
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial files


def test_html_escapes_raw_html_and_embeds_png_without_svg(tmp_path):
    bars = figures.sensitivity_bars(sobol_indices())
    path = figures.save(bars, tmp_path / "figures" / "s.png", formats=("png",))
    page = report.html_report(
        f"# A <b>test</b>\n\n<script>x</script>\n\n![s](figures/{path.name})\n", tmp_path
    )
    assert "<script>x" not in page and "&lt;script&gt;" in page
    assert '<img src="data:image/png;base64,' in page
    assert "<title>A &lt;b&gt;test&lt;/b&gt;</title>" in page


def test_compare_report_can_be_written_as_html(tmp_path):
    from test_plots import MONTHS  # noqa: F401  (same fixture module)

    from simulation.reporting.summary import differences, summarise
    from simulation.scenario import load_scenario

    runs = sweep_table(("a", "b"))
    runs = runs[runs["point"] == 0].drop(
        columns=["run", "point", "policy.tolerance", "policy.severity"]
    )
    figure = figures.save(figures.band(runs, "fear"), tmp_path / "figures" / "fear.png")
    scenario = load_scenario("base")
    text = report.compare_report(
        [scenario, scenario.model_copy(update={"name": "b"})],
        summarise(runs, ["fear"]),
        differences(runs, ["fear"]),
        {"Fear": f"figures/{figure.name}"},
        2,
        0,
        ["politburo", "compare", "a", "b"],
        "0.1.0",
    )
    _, html_path = report.write_reports(text, tmp_path)
    page = html_path.read_text(encoding="utf-8")
    assert "data:image/svg+xml;base64," in page and "What the model cannot tell" in page


@pytest.mark.parametrize(
    ("values", "as_range", "text"),
    [
        ([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1], False, "8 values: 0, 0.1, 0.2, …, 1"),
        ((0.05, 2), True, "0.05 to 2"),
        ("read from design.csv", False, "read from design.csv"),
    ],
)
def test_describe_values(values, as_range, text):
    assert report.describe_values(values, as_range) == text


def test_sweep_report_with_stacked_statistics():
    runs = sweep_table()
    stacked = pd.concat(
        [analysis.summarise_points(runs, ["fear"], s) for s in ("final", "mean")],
        ignore_index=True,
    )
    text = report.sweep_report(sweep_info(), stacked, {})
    assert "### Fear (`fear`), final month" in text
    assert "### Fear (`fear`), mean over the run" in text
    tables = text.split("### Fear (`fear`), mean over the run")
    final_row = next(line for line in tables[0].splitlines() if line.startswith("| 0 |"))
    mean_row = next(line for line in tables[1].splitlines() if line.startswith("| 0 |"))
    assert "0.21 [" in final_row and "0.11 [" in mean_row


def test_compare_report_tables_say_what_they_leave_out_and_what_still_moves():
    from test_summary import monthly_runs

    from simulation.reporting.summary import differences, summarise
    from simulation.scenario import load_scenario

    series = {"fear": [m / 23 for m in range(24)], "executed_total": [0] * 12 + [3] * 12}
    runs = pd.concat([monthly_runs(series, "a"), monthly_runs(series, "b")])
    statistics = ("final", "run_mean", "at:1930-06", "mean:1930-01:1930-12")
    scenario = load_scenario("base")
    text = report.compare_report(
        [scenario, scenario.model_copy(update={"name": "b"})],
        summarise(runs, ["fear", "executed_total"], statistics=statistics),
        differences(runs, ["fear", "executed_total"], statistics=statistics),
        {},
        3,
        0,
        ["politburo", "compare", "a", "b"],
        "0.1.0",
    )
    headings = [line for line in text.splitlines() if line.startswith("### Outcomes")]
    assert headings == [
        "### Outcomes in the final month",
        "### Outcomes averaged over the whole run",
        "### Outcomes in 1930-06",
        "### Outcomes averaged over 1930-01 to 1930-12",
    ]
    final = text.split(headings[0])[1].split(headings[1])[0]
    assert "| Fear (`fear`) | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] | rising: a, b |" in final
    assert "last 12 months" in final and "5% of the range" in final
    whole = text.split(headings[1])[1].split(headings[2])[0]
    assert "Cumulative measures (`executed_total`) are left out" in whole
    assert "(`executed_total`) |" not in whole  # no row of means of a running total
    at = text.split(headings[2])[1].split(headings[3])[0]
    assert "(`executed_total`) | 0.00100 [-0.00148, 0.00348] |" in at  # read at a date
