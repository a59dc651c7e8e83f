#!/usr/bin/env python3
"""Live reload in a real browser: `kepu serve` on a copy of the sample site, headless Chromium on a report page
and an LED slide, an edit, a broken file, a fix.

Usage: Tests/KepuServeTests/browser_live_reload.py PATH/TO/kepu [SCREENSHOT_DIR]
Needs: Debian chromium + chromium-driver, pip selenium. Exits 1 on failure. Prints the save-to-page latency.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORT = "content/reports/2023/05/2023-05-20-kejizhou.md"


def wait(seconds, check):
    start = time.time()
    while time.time() - start < seconds:
        if check():
            return time.time() - start
        time.sleep(0.02)
    return None


def main():
    kepu = os.path.abspath(sys.argv[1])
    shots = sys.argv[2] if len(sys.argv) > 2 else None
    work = tempfile.mkdtemp(prefix="kepu-browser-")
    failures = []
    server = None
    driver = None
    try:
        shutil.copytree(os.path.join(ROOT, "content"), os.path.join(work, "content"))
        shutil.copytree(os.path.join(ROOT, "theme"), os.path.join(work, "theme"))
        server = subprocess.Popen([kepu, "serve", "--port", "0", "--now", "2024-01-15", "--cache", work + "/cache"],
                                  cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url

        options = Options()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
            options.add_argument(a)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_window_size(1280, 900)

        path = os.path.join(work, REPORT)
        original = open(path, encoding="utf-8").read()
        audience = re.search(r"^audience: (\d+)", original, re.M).group(1)
        # Wherever the site puts report pages: the first of these that exists.
        page = None
        for candidate in ("reports/2023/2023-05-20-kejizhou.html", "reports/2023/2023-05-20-kejizhou/"):
            try:
                urllib.request.urlopen(url + candidate, timeout=5)
                page = url + candidate
                break
            except urllib.error.HTTPError:
                pass
        assert page, "no report page for 2023-05-20-kejizhou"
        # A second tab on the home page (its totals change with the figure): the tab names its page when it
        # connects, so the rebuild writes it early and tells it then, once.
        report_tab = driver.current_window_handle
        driver.switch_to.new_window("tab")
        driver.get(url)
        home_before = driver.find_element("tag name", "main").text
        home_tab = driver.current_window_handle
        driver.switch_to.window(report_tab)
        driver.get(page)
        time.sleep(0.5)  # let the EventSources connect
        status = json.loads(urllib.request.urlopen(url + "__kepu/status", timeout=5).read())
        report_path = urllib.parse.unquote(urllib.parse.urlsplit(page).path.lstrip("/"))
        if sorted(status.get("open", [])) != sorted(["index.html", report_path]):
            failures.append("the tabs did not name their pages: %s" % status)
        for tab in (home_tab, report_tab):
            driver.switch_to.window(tab)
            driver.execute_script("window.__kepuMarker = 1")

        # 1. An edit: the page reloads by itself and shows the new figure.
        saved = time.time()
        open(path, "w", encoding="utf-8").write(original.replace("audience: " + audience, "audience: 4321", 1))
        latency = wait(5, lambda: "4,321" in driver.page_source)
        if latency is None:
            failures.append("the page did not show the new figure within 5 s")
        else:
            print("save → new figure in the browser: %d ms" % ((time.time() - saved) * 1000))
            if driver.execute_script("return window.__kepuMarker"):
                failures.append("the figure changed without a reload?")
            # The page reloaded as soon as it was written, ahead of the rest of the site; the end of that
            # rebuild must not reload it a second time.
            driver.execute_script("window.__kepuMarker = 2")
            time.sleep(1.5)
            if driver.execute_script("return window.__kepuMarker") != 2:
                failures.append("the page reloaded twice for one save")
            driver.switch_to.window(home_tab)
            if driver.execute_script("return window.__kepuMarker"):
                failures.append("the home page's tab did not reload")
            elif driver.find_element("tag name", "main").text == home_before:
                failures.append("the home page's tab reloaded to the old totals")
            driver.execute_script("window.__kepuMarker = 3")
            time.sleep(1.0)
            if driver.execute_script("return window.__kepuMarker") != 3:
                failures.append("the home page's tab reloaded again")
            driver.close()
            driver.switch_to.window(report_tab)

        # 1b. The race behind a second reload, played out in the page with a stand-in for EventSource: a page
        # reloaded for a rebuild's early write is served before that rebuild ends (so it names the generation
        # before), and may connect only after it ended. Its "hello" then names the new generation: the page must
        # not reload again. A page that was not reloaded early must.
        script = urllib.request.urlopen(url + "__kepu/live.js", timeout=5).read().decode("utf-8")
        here = "/" + report_path
        for early, expect_reload in ((("8 " + here), False), (None, True), (("8 /other.html"), True)):
            reloaded = driver.execute_script("""
                var script = arguments[0], early = arguments[1];
                if (early === null) sessionStorage.removeItem("kepu-early"); else sessionStorage.setItem("kepu-early", early);
                var listeners = {}, closed = false;
                var Real = window.EventSource;
                window.EventSource = function () { this.close = function () { closed = true; }; };
                window.EventSource.prototype.addEventListener = function (name, f) { listeners[name] = f; };
                var tag = document.createElement("script");
                tag.setAttribute("data-generation", "7");
                tag.text = script.replace("location.reload()", "void 0");
                document.body.appendChild(tag);
                window.EventSource = Real;
                listeners["hello"]({ data: "8" });
                return closed;
            """, script, early)
            if reloaded != expect_reload:
                failures.append("hello after an early reload (remembered %r): reloaded %s, expected %s"
                                % (early, reloaded, expect_reload))
        driver.execute_script('sessionStorage.removeItem("kepu-early")')

        # 2. A broken file: the overlay shows the problem, the last good page stays under it.
        open(path, "w", encoding="utf-8").write(original.replace("date: 2023-05-20", "date: 2023-02-30", 1))
        if wait(5, lambda: driver.execute_script("return !!document.getElementById('kepu-overlay')")) is None:
            failures.append("no overlay after breaking the file")
        else:
            text = driver.find_element("id", "kepu-overlay").text
            if "2023-05-20-kejizhou.md:3:7" not in text or "2023-02-30" not in text:
                failures.append("overlay text: " + text)
            if not driver.find_element("id", "kepu-overlay").is_displayed():
                failures.append("overlay not visible")
            if shots:
                os.makedirs(shots, exist_ok=True)
                driver.save_screenshot(os.path.join(shots, "serve-overlay.png"))

        # 3. An LED slide gets the overlay too, and loses it when the file is fixed.
        driver.get(url + "led/01.html")
        if wait(3, lambda: driver.execute_script("return !!document.getElementById('kepu-overlay')")) is None:
            failures.append("no overlay on the LED slide")
        elif shots:
            driver.save_screenshot(os.path.join(shots, "serve-overlay-led.png"))
        time.sleep(0.3)
        open(path, "w", encoding="utf-8").write(original)
        if wait(5, lambda: driver.execute_script("return !document.getElementById('kepu-overlay')")) is None:
            failures.append("the overlay stayed on the LED slide after the fix")
    finally:
        if driver:
            driver.quit()
        if server:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                failures.append("kepu serve did not stop on SIGINT")
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print("live reload in the browser:", "ok" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
