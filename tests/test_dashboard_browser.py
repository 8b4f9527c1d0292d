"""The dashboard in a real headless browser: Debian's chromium driven by Playwright.

One server (``python -m simulation dashboard`` on a free port, a 400-member party) serves
every test in this module and is stopped at the end. Each test opens its own tab, so each has
its own settings and runs. Requests to anything but the local server are refused and counted:
the page must work offline. A screenshot of the side-by-side mode is left in
``tests/artifacts/`` (not in git) for a person to look at.

Skipped, with the reason, only when chromium is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); "
    "the dashboard's browser tests need it",
)

ARTIFACTS = Path(__file__).parent / "artifacts"
#: A small party keeps every rebuild and step quick.
SIZE = 400
#: Chromium's switches for a sandboxed, offline, headless run.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Generous waits: the machine may be busy; a passing test does not wait this long.
LOAD_MS = 60_000
UPDATE_MS = 30_000


def _free_port() -> int:
    from simulation.dashboard.server import free_port

    return free_port()


def _wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"the dashboard exited with code {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"the dashboard did not answer at {url} within {seconds:.0f} s")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The dashboard's address; the server runs in its own process group and is stopped."""
    port = _free_port()
    command = [sys.executable, "-m", "simulation", "dashboard", "historical"]
    command += ["--size", str(SIZE), "--port", str(port)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # one group: the command and the solara server it starts
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(url, process)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: str) -> Iterator:
    """A fresh tab on the dashboard, loaded, that may fetch nothing from elsewhere."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    failed: list[str] = []

    def local_only(route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    tab = context.new_page()
    tab.on("requestfailed", lambda request: failed.append(request.url))
    tab.goto(server)
    tab.get_by_role("button", name="Step").wait_for(timeout=LOAD_MS)
    tab.locator(".politburo-charts img").wait_for(timeout=LOAD_MS)
    yield tab
    context.close()
    assert outside == [], f"the page asked for files from elsewhere: {outside}"
    assert failed == [], f"requests failed: {failed}"


def _summary(page) -> str:
    return page.locator(".politburo-summary").inner_text()


def _wait_for_summary(page, text: str) -> None:
    page.locator(".politburo-summary", has_text=text).wait_for(timeout=UPDATE_MS)


def _chart_source(page) -> str:
    return page.locator(".politburo-charts img").get_attribute("src") or ""


def test_page_loads_with_controls_charts_network_and_summary(page) -> None:
    page.get_by_text("politburo dashboard").first.wait_for()
    for button in ("Reset", "Step"):
        assert page.get_by_role("button", name=button).is_visible()
    assert page.locator(".politburo-network img").is_visible()
    assert page.locator(".politburo-argues img").is_visible()
    for knob in ("Tolerance", "Surveillance", "Severity", "Denunciation rate", "Guilt by"):
        assert page.get_by_role("slider", name=re.compile(f"^{knob}")).count() == 1
    summary = _summary(page)
    assert "historical" in summary and "before 1924-01" in summary
    assert f"{SIZE}" in summary


def test_slider_and_seed_rebuild_the_run(page) -> None:
    tolerance = page.get_by_role("slider", name=re.compile("^Tolerance"))
    assert tolerance.get_attribute("aria-valuenow") == "0.2"
    tolerance.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # The label carries the value; the thumb may be scrolled out of view, hence "attached".
    page.get_by_role("slider", name="Tolerance τ = 0.25").wait_for(
        state="attached", timeout=UPDATE_MS
    )
    _wait_for_summary(page, "τ 0.25")
    assert "historical (tweaked)" in _summary(page)
    assert page.get_by_text("Restarted from 1924-01 with Tolerance τ = 0.25").is_visible()

    seed = page.get_by_label(re.compile("^Seed"))
    seed.fill("twelve")
    seed.press("Enter")
    page.get_by_text("seed 'twelve' is not a whole number").wait_for(timeout=UPDATE_MS)
    assert re.search(r"\b1\b", _summary(page))  # the run on screen is kept
    seed.fill("12")
    seed.press("Enter")
    page.locator(".politburo-summary td", has_text=re.compile("^12$")).wait_for(timeout=UPDATE_MS)
    _wait_for_summary(page, "τ 0.25")  # a new seed keeps the tweaks


def test_stepping_updates_the_chart(page) -> None:
    before = _chart_source(page)
    argues = page.locator(".politburo-argues img").get_attribute("src") or ""
    page.get_by_role("button", name="Step").click()
    _wait_for_summary(page, "1924-01")
    page.wait_for_function(
        "before => document.querySelector('.politburo-charts img').src !== before",
        arg=before,
        timeout=UPDATE_MS,
    )
    # The 13th Conference votes in the first month: its result is on the page at once.
    _wait_for_summary(page, "13th Conference: 0.")
    page.wait_for_function(
        "before => document.querySelector('.politburo-argues img').src !== before",
        arg=argues,
        timeout=UPDATE_MS,
    )
    page.get_by_role("button", name="Step").click()
    _wait_for_summary(page, "1924-02")


def test_side_by_side_shows_two_runs(page) -> None:
    page.get_by_text("Run a baseline next to it").click()  # the switch's label toggles it
    _wait_for_summary(page, "historical (baseline)")
    page.get_by_role("slider", name=re.compile("^Severity")).focus()
    page.keyboard.press("End")  # the strictest severity against the scenario as written
    _wait_for_summary(page, "ψ 10.0")
    for month in ("1924-01", "1924-02", "1924-03"):
        page.get_by_role("button", name="Step").click()
        _wait_for_summary(page, month)
    rows = page.locator(".politburo-summary tr")
    assert rows.count() == 3  # the header, the tweaked run, the baseline
    assert "historical (tweaked)" in rows.nth(1).inner_text()
    assert "historical (baseline)" in rows.nth(2).inner_text()
    assert all("1924-03" in rows.nth(n).inner_text() for n in (1, 2))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-side-by-side.png")
