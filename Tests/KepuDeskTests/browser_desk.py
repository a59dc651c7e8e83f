#!/usr/bin/env python3
"""The staff desk in a real browser, on a phone-sized window, behind nginx.

Usage: Tests/KepuDeskTests/browser_desk.py PATH/TO/kepu [SCREENSHOT_DIR] [--direct]

A copy of the sample content in a temporary git repository; two users (wang 填报, li 审核) added with
`kepu desk user add`, passwords on standard input; `kepu desk` on a free port; nginx in front of it with
deploy/nginx-desk.conf (started and stopped by PID; `--direct` skips nginx). Headless Chromium at 375 px:
- every page but the login page sends the browser to /login;
- wang logs in, records an activity with two photos and a mistake (人次 “二百”), sees the error beside the
  field, fixes it, saves a draft;
- li logs in, sees the draft waiting, publishes it: the public page (the desk's output folder) shows it;
- `git log` has both commits with their authors; `kepu check` passes on the content folder;
- no page is wider than the window at 375 px, and the dashboard at 1280 px.
Needs: Debian chromium + chromium-driver, nginx, pip selenium. Exits 1 on failure.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import nginx_run  # noqa: E402
from webdriver_steps import click_and_wait, settled, type_into  # noqa: E402

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONF = os.path.join(ROOT, "deploy", "nginx-desk.conf")
PHOTOS = os.path.join(ROOT, "content", "reports", "2023", "09", "2023-09-16-kepuri")
PASSWORD = "desk-browser-test-1"
TITLE = "吴家营街道防灾减灾科普进社区"


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def start_nginx(tmp, desk_port):
    block = open(CONF, encoding="utf-8").read().replace("127.0.0.1:1314", f"127.0.0.1:{desk_port}")
    return nginx_run.start(tmp, block, "desk.conf")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    direct = "--direct" in sys.argv
    kepu = os.path.abspath(args[0])
    shots = args[1] if len(args) > 1 else None
    if shots:
        os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="kepu-desk-browser-")
    content = os.path.join(work, "content")
    failures = []
    desk = nginx = driver = None

    def check(ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    def shot(name):
        if shots and driver:
            driver.save_screenshot(os.path.join(shots, name + ".png"))

    try:
        shutil.copytree(os.path.join(ROOT, "content"), content)
        shutil.copytree(os.path.join(ROOT, "theme"), os.path.join(work, "theme"))
        env = dict(os.environ, GIT_AUTHOR_NAME="setup", GIT_AUTHOR_EMAIL="setup@example.invalid",
                   GIT_COMMITTER_NAME="setup", GIT_COMMITTER_EMAIL="setup@example.invalid", LANG="C.UTF-8")
        env.pop("LC_ALL", None)
        env.pop("LC_MESSAGES", None)  # the checks read the Chinese pages
        for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "sample"]):
            subprocess.run(cmd, cwd=content, check=True, env=env, capture_output=True)
        for name, role in (("wang", "填报"), ("li", "审核")):
            r = run([kepu, "desk", "user", "add", name, "--role", role, "--content", content], input=PASSWORD + "\n", env=env)
            check(r.returncode == 0, f"kepu desk user add {name} --role {role}: {r.stdout.strip()} {r.stderr.strip()}")
        users = open(os.path.join(work, "desk-users.json"), encoding="utf-8").read()
        check(PASSWORD not in users and "$2b$" in users, "the users file beside content/ holds bcrypt hashes only")

        desk = subprocess.Popen([kepu, "desk", "--content", content, "--output", os.path.join(work, "public"),
                                 "--theme", os.path.join(work, "theme"), "--cache", os.path.join(work, "cache"),
                                 "--port", "0", "--now", "2023-10-01"],
                                cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = desk.stdout.readline().strip()
        desk_url = line[line.index("http://"):] if "http://" in line else ""
        check(desk_url.startswith("http://127.0.0.1:"), f"kepu desk started: {line!r}")
        desk_port = int(desk_url.rsplit(":", 1)[1].strip("/"))
        if direct:
            base = desk_url.rstrip("/")
        else:
            nginx, port = start_nginx(work, desk_port)
            base = f"http://127.0.0.1:{port}"
            print(f"desk behind nginx at {base}")

        options = Options()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=zh-CN"):
            options.add_argument(a)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_window_size(375, 812)

        def submit(by, value):
            """Clicks a submit button (or a link) and waits for the next page (publishing rebuilds the site: seconds)."""
            click_and_wait(driver, by, value)

        def fill(name, text):
            type_into(driver, name, text)

        def width_ok(what):
            w = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            check(w <= inner, f"{what}: no sideways scrolling at {inner} px (page {w} px)")

        # Nothing but the login page without a session.
        for path in ("/", "/reports", "/reports/new"):
            driver.get(base + path)
            check(driver.current_url.endswith("/login"), f"{path} without a session goes to /login")

        def login(name):
            driver.get(base + "/login")
            fill("username", name)
            fill("password", PASSWORD)
            submit(By.CSS_SELECTOR, "form button[type=submit]")
            check(driver.current_url.rstrip("/") == base, f"{name} logs in and sees the dashboard")

        login("wang")
        width_ok("dashboard")
        check("还需支出" in driver.page_source or "已达到" in driver.page_source or "支出" in driver.page_source,
              "the dashboard shows spending against the budget")
        shot("1-dashboard-375")

        driver.get(base + "/reports/new")
        width_ok("report form")
        fill("title", TITLE)
        fill("date", "2023-09-28")
        settled(lambda: Select(driver.find_element(By.NAME, "kind")).select_by_visible_text("进社区"))
        fill("venue", "吴家营街道社区服务中心")
        fill("audience", "二百")
        fill("spend[0][item]", "防灾减灾宣传册")
        fill("spend[0][amount]", "1,260元")
        fill("satisfaction[surveyed]", "80")
        fill("satisfaction[satisfied]", "76")
        fill("tags", "进社区，防灾减灾")
        fill("body", "9月28日，区科协在吴家营街道社区服务中心开展防灾减灾科普进社区活动。")
        type_into(driver, "photos", os.path.join(PHOTOS, "photo-1.jpg") + "\n" + os.path.join(PHOTOS, "photo-2.jpg"),
                  clear=False)
        submit(By.CSS_SELECTOR, "form[action='/reports/new'] p > button[type=submit]")

        errors = driver.find_elements(By.ID, "error-audience")
        check(len(errors) == 1 and "audience" in driver.page_source, "the mistake is shown beside 服务人次")
        if errors:
            print("      " + errors[0].text.replace("\n", " "))
        check(len(driver.find_elements(By.CSS_SELECTOR, "input[type=hidden][name=photos]")) == 2,
              "both photos were kept with the form")
        width_ok("form with an error")
        shot("2-field-error-375")
        fill("audience", "200")
        submit(By.CSS_SELECTOR, "form[action='/reports/new'] p > button[type=submit]")
        check("已保存" in driver.page_source and "草稿" in driver.page_source, "saved as a draft")
        shot("3-saved-375")
        path = driver.current_url.split("path=")[1].split("&")[0]
        path = urllib.request.unquote(path)
        slug = path.split("/")[3]
        text = open(os.path.join(content, path), encoding="utf-8").read()
        check("draft: true" in text and "audience: 200" in text and text.count("photo-") >= 2,
              f"{path}: a draft with the figure and both photos")

        submit(By.CSS_SELECTOR, "header form button")
        check(driver.current_url.endswith("/login"), "wang logs out")
        login("li")
        check(TITLE in driver.page_source and "等待审核的草稿（2）" in driver.page_source, "li sees the draft waiting (with the sample's own)")
        submit(By.LINK_TEXT, TITLE)
        check("/reports/publish" in driver.page_source, "the draft's page offers 发布")
        submit(By.CSS_SELECTOR, "form[action='/reports/publish'] button")
        check("已发布" in driver.page_source, "li publishes it")
        if "已发布" not in driver.page_source:
            print(driver.find_element(By.TAG_NAME, "main").text)
        shot("4-published-375")

        page = os.path.join(work, "public", "reports", "2023", slug + ".html")
        check(os.path.exists(page), f"the public page {os.path.relpath(page, work)} exists")
        if os.path.exists(page):
            driver.get("file://" + page)
            check(TITLE in driver.page_source and "200" in driver.page_source, "the public page shows the report")
            shot("5-public-page-375")

        log = run(["git", "log", "-n", "2", "--format=%an|%s"], cwd=content).stdout.split("\n")
        check(log[:2] == [f"li|发布：{TITLE}", f"wang|新建报告：{TITLE}"], f"git log: {log[:2]}")
        r = run([kepu, "check", "--content", content])
        check(r.returncode == 0, "kepu check passes on the content folder: " + r.stdout.strip())

        driver.set_window_size(1280, 900)
        driver.get(base + "/")
        width_ok("dashboard at 1280 px")
        shot("6-dashboard-1280")
    except Exception as e:  # a missing element, a timeout: one failure with its reason
        failures.append(f"{type(e).__name__}: {e}")
        print(f"FAIL  {type(e).__name__}: {e}")
        traceback.print_exc(limit=-4)  # which step: the driver's own stack says nothing
    finally:
        if driver:
            driver.quit()
        for proc in (nginx, desk):
            if proc and proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
        if desk and desk.stderr:
            err = desk.stderr.read()
            if failures and err:
                print(err[-2000:])
        shutil.rmtree(work, ignore_errors=True)
    print(f"desk in the browser: {'ok' if not failures else str(len(failures)) + ' failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
