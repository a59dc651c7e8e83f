#!/usr/bin/env python3
"""The search page in headless Chromium: type Chinese, see the right reports, follow one.

Usage: scripts/check-search.py PUBLIC_DIR [--url SITE_URL] [--measure QUERY...]

- The expected reports of each query are worked out from the built report pages themselves (title, kind,
  venue, date and body text, every word of the query a substring there), not from the index: the page must
  list exactly those, the ones with the query in their title first, and following the first result must open
  that report. A single character asks for two; a word no report has finds nothing.
- Opened from disk (file://) unless --url gives where the site is served (e.g. http://127.0.0.1:8080/kepu/).
- --measure: for a big corpus, times each query from submitting to the first result on screen (a fresh page
  each time, so the index files load cold) and sums the index files it loaded. Prints the figures; checks
  only that results appear.
Needs: Debian chromium + chromium-driver, pip selenium. Exits 1 on failure.
"""
import glob
import html
import os
import re
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from webdriver_steps import click_and_wait, settled

QUERIES = ["科普日", "斗南", "科普", "全国 科普日", "行政中心", "2023年9月", "消防"]
LETTER = re.compile(r"[^\W_]", re.UNICODE)


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def reports(root):
    """Every report page: path → (title, indexed text)."""
    out = {}
    for path in glob.glob(os.path.join(root, "reports", "[0-9]*", "*.html")):
        if path.endswith("/index.html"):
            continue
        page = open(path, encoding="utf-8").read()
        title = text_of(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)).strip()
        facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
        pairs = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts, re.S))
        fields = [title] + [text_of(pairs.get(k, "")) for k in ("活动类型", "地点", "日期", "Kind", "Venue", "Date")]
        iso = re.search(r'<time datetime="([0-9-]+)">', facts)
        if iso:
            fields.append(iso.group(1))
        body = re.search(r'<div class="prose">(.*?)</div>\s*(?:{{|<section|</article)', page, re.S)
        fields.append(text_of(body.group(1)) if body else "")
        out[os.path.realpath(path)] = (title, "\n".join(fields).lower())
    return out


def words(q):
    out, w = [], ""
    for ch in q:
        if LETTER.match(ch):
            w += ch.lower() if "A" <= ch <= "Z" else ch
        else:
            if w:
                out.append(w)
            w = ""
    if w:
        out.append(w)
    return out


def contains(text, word):
    # The index joins only neighbouring letters: a word matches within a run of letters and digits.
    return any(word in run for run in re.findall(r"[^\W_]+", text))


def open_driver():
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def run_query(driver, page_url, q, timeout=30):
    """Loads the page fresh, submits `q`, returns (status text, result hrefs, ms to first result)."""
    driver.get(page_url)

    def type_query():
        box = driver.find_element(By.ID, "search-query")
        if not box.is_displayed():
            raise AssertionError("the search form is hidden: search.js did not run")
        box.clear()
        box.send_keys(q)
    settled(type_query)
    started = time.perf_counter()
    driver.execute_script("document.getElementById('search').requestSubmit()")
    first_ms = None
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = driver.find_element(By.ID, "search-status").text
        links = driver.find_elements(By.CSS_SELECTOR, "#search-results a")
        if links and first_ms is None:
            first_ms = (time.perf_counter() - started) * 1000
        if status and status != driver.execute_script(
                "return document.getElementById('search-texts').content.querySelector('[data-key=loading]').textContent"):
            if links or "没有" in status or "No report" in status or "两个字" in status or "two characters" in status:
                time.sleep(0.1)
                links = driver.find_elements(By.CSS_SELECTOR, "#search-results a")
                return status, [a.get_attribute("href") for a in links], first_ms
        time.sleep(0.01)
    raise AssertionError(f"no answer to {q!r} within {timeout} s")


def to_path(href, site_url, root):
    if href.startswith("file://"):
        return os.path.realpath(href[len("file://"):].split("?")[0])
    rel = href[len(site_url):] if href.startswith(site_url) else href
    return os.path.realpath(os.path.join(root, rel))


def main():
    args = sys.argv[1:]
    if not args or not os.path.isdir(args[0]):
        print(__doc__)
        return 2
    root = os.path.realpath(args[0])
    site_url = "file://" + root + "/"
    measure = None
    i = 1
    while i < len(args):
        if args[i] == "--url":
            site_url = args[i + 1].rstrip("/") + "/"
            i += 2
        elif args[i] == "--measure":
            measure = args[i + 1:]
            break
        else:
            print(__doc__)
            return 2
    page_url = site_url + "search/index.html"
    driver = open_driver()
    failures = []
    try:
        if measure is not None:
            return measure_queries(driver, page_url, root, measure or ["科普", "科普日", "社区"])
        known = reports(root)
        for q in QUERIES:
            ws = words(q)
            expected = {p for p, (_, text) in known.items() if all(contains(text, w) for w in ws)}
            status, hrefs, _ = run_query(driver, page_url, q)
            found = [to_path(h, site_url, root) for h in hrefs]
            print(f"{q}: {len(found)} results, {len(expected)} expected — {status}")
            if set(found) != expected:
                failures.append(f"{q!r}: found {sorted(set(found) - expected)} extra, {sorted(expected - set(found))} missing")
            if len(found) != len(set(found)):
                failures.append(f"{q!r}: a report listed twice")
            # Ranking: reports with the query in their title before the others.
            in_title = [all(w in known[p][0].lower() for w in ws) for p in found if p in known]
            if in_title != sorted(in_title, reverse=True):
                failures.append(f"{q!r}: a report with the query in its title ranks below one without")
        status, hrefs, _ = run_query(driver, page_url, "斗")
        if hrefs or not status:
            failures.append(f"one character: expected a request for two, got {status!r} and {len(hrefs)} results")
        status, hrefs, _ = run_query(driver, page_url, "火星基地")
        if hrefs:
            failures.append(f"a query no report has found {len(hrefs)} results")
        # Follow one: the first result of 斗南 opens that report.
        _, hrefs, _ = run_query(driver, page_url, "斗南")
        if hrefs:
            title = driver.find_elements(By.CSS_SELECTOR, "#search-results a")[0].text
            click_and_wait(driver, By.CSS_SELECTOR, "#search-results a")
            h1 = driver.find_element(By.TAG_NAME, "h1").text
            print(f"followed: {title} → {driver.current_url}")
            if h1 != title:
                failures.append(f"following {title!r} opened a page titled {h1!r}")
        else:
            failures.append("斗南 found nothing")
    finally:
        driver.quit()
    for f in failures:
        print("FAIL:", f)
    print(f"search: {len(QUERIES) + 3} checks, {len(failures)} failures")
    return 1 if failures else 0


def measure_queries(driver, page_url, root, queries):
    total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(root, "search", "idx-*", "*", "*.js")))
    files = len(glob.glob(os.path.join(root, "search", "idx-*", "*", "*.js")))
    print(f"index: {files} files, {total / 1024 / 1024:.1f} MiB in all")
    bad = 0
    for q in queries:
        status, hrefs, first_ms = run_query(driver, page_url, q)
        # The index files the query loaded: the script elements search.js added.
        loaded = driver.execute_script(
            "return Array.from(document.querySelectorAll('script[src*=\"idx-\"]')).map(function (s) { return s.src; })")
        size = 0
        for name in loaded:
            rel = name.split("/search/", 1)[1].split("?")[0]
            size += os.path.getsize(os.path.join(root, "search", rel))
        shown = "—" if first_ms is None else f"{first_ms:.0f} ms"
        print(f"{q}: first result in {shown}, {len(loaded)} index files loaded ({size / 1024:.0f} KiB) — {status}")
        if not hrefs:
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
