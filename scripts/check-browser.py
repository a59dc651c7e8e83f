#!/usr/bin/env python3
"""Headless Chromium checks of a built site.

Usage: scripts/check-browser.py PUBLIC_DIR [SCREENSHOT_DIR]   (default artifacts/screenshots)

- home, project, 自评表, a report and the spend page, at 375 px and 1280 px wide, never scroll
  horizontally (document.documentElement.scrollWidth <= innerWidth); a full-page screenshot of each
  is written to SCREENSHOT_DIR;
- the home page is at most 100 KB without photos (its HTML plus the stylesheets it links);
- when the site is example data, every page shows the 示例数据 banner;
- the drafted 自评报告 of each project prints on A4 in at most six pages, without the site navigation;
- the 自评表 prints (Chromium's own print to PDF, the page's CSS page size) on exactly one A4 page; the PDF is
  kept beside the screenshots and its page count and size read with pdfinfo (Debian poppler-utils).
Pages are opened from disk (file://), which also proves relative links and the stylesheet load there.
Needs: Debian chromium + chromium-driver, pip selenium. Exits 1 on failure.
"""
import base64
import glob
import os
import re
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

WIDTHS = (375, 1280)
HOME_LIMIT = 100 * 1024


def find_pages(root):
    """The pages to look at, found by their place in the site rather than by name."""
    pages = {"home": "index.html"}
    projects = sorted(glob.glob(os.path.join(root, "projects", "*", "index.html")))
    if projects:
        # The home page's own link names the current project.
        home = open(os.path.join(root, "index.html"), encoding="utf-8").read()
        m = re.search(r'href="(projects/[^"/]+/index\.html)"', home)
        project = m.group(1) if m else os.path.relpath(projects[-1], root)
        base = os.path.dirname(project)
        pages["project"] = project
        pages["evaluation"] = base + "/evaluation/index.html"
        pages["spend"] = base + "/spend/index.html"
    # Report pages: reports/<year>/<slug>.html (index.html there is the year's list).
    reports = sorted(p for p in glob.glob(os.path.join(root, "reports", "[0-9]*", "*.html"))
                     if not p.endswith("/index.html"))
    # Prefer a report with photos and spend items: the widest content.
    chosen = None
    for p in reports:
        text = open(p, encoding="utf-8").read()
        if "<img" in text and "ledger" in text:
            chosen = p
            break
    if chosen or reports:
        pages["report"] = os.path.relpath(chosen or reports[-1], root)
    return pages


def main():
    if len(sys.argv) not in (2, 3) or not os.path.isdir(sys.argv[1]):
        print(__doc__)
        return 2
    root = os.path.realpath(sys.argv[1])
    shots = sys.argv[2] if len(sys.argv) == 3 else os.path.join("artifacts", "screenshots")
    os.makedirs(shots, exist_ok=True)
    failures = []

    # Home page weight without photos: HTML + linked stylesheets.
    home_path = os.path.join(root, "index.html")
    home = open(home_path, encoding="utf-8").read()
    weight = os.path.getsize(home_path)
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', home):
        css = os.path.normpath(os.path.join(root, href))
        if os.path.isfile(css):
            weight += os.path.getsize(css)
    print(f"home page: {weight} bytes (HTML + CSS, no photos)")
    if weight > HOME_LIMIT:
        failures.append(f"home page is {weight} bytes, more than {HOME_LIMIT}")

    # The example banner on every page of an example site.
    if "example-banner" in home:
        for page in glob.glob(os.path.join(root, "**", "*.html"), recursive=True):
            if "/led/" in page:
                continue  # slides for the screen, not the public site
            text = open(page, encoding="utf-8").read()
            if "示例数据" not in text and "Example data" not in text:
                failures.append(f"{os.path.relpath(page, root)}: no 示例数据 banner")

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        pages = find_pages(root)
        for name in ("home", "project", "evaluation", "report", "spend"):
            if name not in pages:
                failures.append(f"no {name} page found")
        for name, rel in pages.items():
            path = os.path.join(root, rel)
            if not os.path.isfile(path):
                failures.append(f"{name}: missing {rel}")
                continue
            for width in WIDTHS:
                driver.set_window_size(width, 900)
                driver.get("file://" + path)
                inner = driver.execute_script("return window.innerWidth")
                if inner != width:
                    # The window includes browser chrome in some versions; size the viewport exactly.
                    driver.set_window_size(width + (width - inner), 900)
                    driver.get("file://" + path)
                    inner = driver.execute_script("return window.innerWidth")
                scroll = driver.execute_script("return document.documentElement.scrollWidth")
                styled = driver.execute_script(
                    "return getComputedStyle(document.body).fontFamily.indexOf('system-ui') >= 0")
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(driver.get_window_size()["width"], min(max(height, 600), 16000))
                shot = os.path.join(shots, f"{name}-{width}.png")
                driver.save_screenshot(shot)
                status = "ok" if scroll <= inner else "SCROLLS"
                print(f"{name:<10} {width:>5}px  scrollWidth {scroll:>5} / innerWidth {inner:>5}  {status}  {shot}")
                if scroll > inner:
                    failures.append(f"{name} ({rel}) scrolls horizontally at {width}px: {scroll} > {inner}")
                if not styled:
                    failures.append(f"{name} ({rel}): the stylesheet did not load from file://")
        # The 自评表 as the finance bureau gets it on paper: one A4 page.
        if "evaluation" in pages and os.path.isfile(os.path.join(root, pages["evaluation"])):
            driver.get("file://" + os.path.join(root, pages["evaluation"]))
            pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
            out = os.path.join(shots, "evaluation-print.pdf")
            with open(out, "wb") as f:
                f.write(pdf)
            info = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
            count = re.search(r"^Pages:\s+(\d+)", info, re.M)
            size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
            a4 = size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2
            print(f"evaluation printed: {count.group(1) if count else '?'} page(s), "
                  f"{size.group(1) + ' x ' + size.group(2) if size else '?'} pt  {out}")
            if not count or count.group(1) != "1":
                failures.append(f"the 自评表 prints on {count.group(1) if count else 'unknown'} pages, not one")
            if not a4:
                failures.append("the 自评表 does not print on A4")
        # The drafted 自评报告 as a unit submits it: A4, at most six pages, no site navigation on paper.
        for report in sorted(glob.glob(os.path.join(root, "projects", "*", "self-report", "index.html"))):
            driver.get("file://" + report)
            pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
            out = os.path.join(shots, os.path.basename(os.path.dirname(os.path.dirname(report))) + "-self-report.pdf")
            with open(out, "wb") as f:
                f.write(pdf)
            info = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
            text = subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True, text=True).stdout
            count = re.search(r"^Pages:\s+(\d+)", info, re.M)
            size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
            a4 = size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2
            print(f"self-report printed: {count.group(1) if count else '?'} page(s)  {out}")
            if not count or not 1 <= int(count.group(1)) <= 6:
                failures.append(f"{report}: the 自评报告 prints on {count.group(1) if count else 'unknown'} pages, not 1–6")
            if not a4:
                failures.append(f"{report}: the 自评报告 does not print on A4")
            nav = re.search(r'<header[^>]*>.*?<nav[^>]*>(.*?)</nav>', open(report, encoding="utf-8").read(), re.S)
            labels = re.findall(r">([^<>]+)</a>", nav.group(1)) if nav else []
            if not labels:
                failures.append(f"{report}: no site navigation found to check the print against")
            # Single labels (项目, 自评表) can occur in the text itself; the navigation is all of them in a row.
            if labels and re.search(r"\s*".join(re.escape(l.strip()) for l in labels), text):
                failures.append(f"{report}: the printed 自评报告 shows the site navigation")
            if "自评结论" not in text:
                failures.append(f"{report}: the printed 自评报告 lacks its 自评结论 section")
    finally:
        driver.quit()

    for f in failures:
        print("FAIL:", f)
    print(f"check-browser: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
