#!/usr/bin/env python3
"""Accessibility of every page of a built site, in headless Chromium.

Usage: scripts/check-a11y.py PUBLIC_DIR

- axe-core 4.x (axe.min.js, fetched by scripts/setup --test from the axe-playwright-python wheel; only the
  browser script is used, injected with Selenium) runs on every page with the WCAG 2.0/2.1/2.2 A and AA rules:
  zero violations, the 示例数据 banner included.
- At 320 CSS px wide (what 400 % zoom gives on a 1280 px screen) no page scrolls sideways: the document is no
  wider than the window. Wide tables scroll inside their own box (.table-wrap), which WCAG 1.4.10 allows.
- Every chart (svg) has a text equivalent: role="img" with a <title>, or aria-hidden beside a table.
Pages are opened from disk (file://). The LED screen pages (led/) are for a panel, not visitors: left out.
Exits 1 on failure.
"""
import glob
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

AXE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "kepu", "axe", "axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print(__doc__)
        return 2
    root = os.path.realpath(sys.argv[1])
    if not os.path.isfile(AXE):
        print(f"no {AXE}: run scripts/setup --test")
        return 1
    axe = open(AXE, encoding="utf-8").read()
    pages = sorted(p for p in glob.glob(os.path.join(root, "**", "*.html"), recursive=True)
                   if not os.path.relpath(p, root).startswith("led/"))
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(60)
    failures = []
    version = "?"
    try:
        for path in pages:
            rel = os.path.relpath(path, root)
            driver.set_window_size(1280, 900)
            driver.get("file://" + path)
            driver.execute_script(axe)
            result = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
                ".then(function (r) { done({version: r.testEngine.version, violations: r.violations.map(function (v) {"
                "  return {id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })};"
                "})}); }, function (e) { done({error: String(e)}); });", TAGS)
            if "error" in result:
                failures.append(f"{rel}: axe failed: {result['error']}")
                continue
            version = result["version"]
            for v in result["violations"]:
                failures.append(f"{rel}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}")
            charts = driver.execute_script(
                "return Array.from(document.querySelectorAll('svg')).filter(function (s) {"
                " if (s.closest('[aria-hidden=true]')) return false;"
                " return !(s.getAttribute('role') === 'img' && s.querySelector('title') && s.querySelector('title').textContent.trim());"
                "}).length")
            if charts:
                failures.append(f"{rel}: {charts} chart(s) without a text equivalent (role=img and a title)")
            # Reflow at 320 CSS px: the window's inner width set exactly through the DevTools protocol.
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": False})
            wide = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            if wide[0] > wide[1]:
                failures.append(f"{rel}: at 320 px the page is {wide[0]} px wide: it scrolls sideways")
    finally:
        driver.quit()
    for f in failures:
        print("FAIL:", f)
    print(f"accessibility: axe-core {version}, {len(TAGS)} WCAG tags, {len(pages)} pages, 320 px reflow: "
          f"{len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
