"""Redraw the README's dashboard screenshot (docs/img/dashboard.png).

Starts ``politburo dashboard trotsky_hardens`` on a free port, opens it in headless chromium,
makes Trotsky harden faster with time in power, runs the historical path as a baseline next to
him, steps into 1936 and saves the page as a small palette PNG. Needs the test extra
and Debian's chromium:

    python scripts/dashboard_screenshot.py [--out docs/img/dashboard.png]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from simulation.dashboard.server import free_port

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def main() -> None:
    """Take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img/dashboard.png"))
    out = parser.parse_args().out
    port = free_port()
    command = [sys.executable, "-m", "simulation", "dashboard", "trotsky_hardens"]
    server = subprocess.Popen([*command, "--port", str(port)], start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(url)
            step = page.get_by_role("button", name="Step")
            step.wait_for(timeout=60_000)
            page.get_by_role("slider", name=re.compile("^Hardening per year")).focus()
            for _ in range(10):  # from 0.08 to 0.18 a year
                page.keyboard.press("ArrowRight")
            page.get_by_role("slider", name=re.compile("= 0.18$")).wait_for(state="attached")
            page.get_by_role("button", name=re.compile("Baseline scenario")).click()
            page.get_by_role("option", name="historical", exact=True).click()
            page.locator(".politburo-summary", has_text="historical (baseline)").wait_for()
            page.get_by_role("slider", name="Render Interval (steps)").focus()
            for _ in range(6):  # 1 + 6 x 2 = 13 months per click of Step
                page.keyboard.press("ArrowRight")
            for _ in range(12):
                step.click()
                time.sleep(1.5)
            page.locator(".politburo-summary", has_text="1936-").wait_for(timeout=120_000)
            page.get_by_text("belief", exact=True).click()
            time.sleep(3)
            page.evaluate("window.scrollTo(0, 0)")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=out)
            browser.close()
        # A palette PNG keeps the file small enough to commit.
        Image.open(out).convert("RGB").quantize(colors=256).save(out, optimize=True)
        print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
