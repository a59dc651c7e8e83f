#!/usr/bin/env python3
"""Serve a built site with a real nginx, configured as the README recommends (deploy/nginx-kepu.conf).

Usage: scripts/check-nginx.py SITE_DIR SUB_PATH      e.g. $work/www/kepu /kepu/
The site must be built with `--gzip --base-url SUB_PATH` into a folder whose last name is the sub-path.

nginx runs on 127.0.0.1 on a free port with a prefix, pid, logs and temp folders in a temporary folder
(`-p DIR -c CONF`, `daemon off;`), and is stopped by its PID at the end. Checks:
- every page (.html) answers 200 with the file's bytes;
- an unknown address answers 404 with the site's 404 page;
- a browser that accepts gzip gets the `.gz` written beside the file (gzip_static), with Content-Encoding;
- Cache-Control as the README says: no-cache on pages, a day on the stylesheet, a year on the search index;
- the search page works under the sub-path in Chromium (scripts/check-search.py --url).
Exits 1 on failure.
"""
import glob
import nginx_run
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(HERE, "..", "deploy", "nginx-kepu.conf")


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def main():
    if len(sys.argv) != 3 or not os.path.isdir(sys.argv[1]):
        print(__doc__)
        return 2
    site = os.path.realpath(sys.argv[1])
    sub = "/" + sys.argv[2].strip("/") + "/"
    if not site.endswith(sub.rstrip("/")):
        print(f"the site folder must end in {sub.rstrip('/')} (nginx's root is the folder above it)")
        return 2
    tmp = tempfile.mkdtemp(prefix="kepu-nginx-")
    # The README's block, with the two paths it tells readers to change.
    block = open(CONF, encoding="utf-8").read()
    block = block.replace("/srv/www;", os.path.dirname(site) + ";").replace("/kepu/", sub)
    try:
        server, port = nginx_run.start(tmp, block, "kepu.conf")
    except RuntimeError as e:
        print(e)
        return 1
    base = f"http://127.0.0.1:{port}{sub}"
    failures = []
    try:
        pages = sorted(os.path.relpath(p, site) for p in glob.glob(os.path.join(site, "**", "*.html"), recursive=True))
        for rel in pages:
            status, _, body = get(base + urllib.request.quote(rel))
            if status != 200:
                failures.append(f"{rel}: {status}")
            elif body != open(os.path.join(site, rel), "rb").read():
                failures.append(f"{rel}: served bytes differ from the file")
        print(f"pages: {len(pages)} answered, {sum(1 for f in failures if ':' in f)} failed")
        # Folders answer with their index.html.
        status, _, _ = get(base + "reports/")
        if status != 200:
            failures.append(f"reports/: {status}")

        status, headers, body = get(base + "no/such/page.html")
        notfound = open(os.path.join(site, "404.html"), "rb").read()
        if status != 404 or body != notfound:
            failures.append(f"unknown address: status {status}, {'the 404 page' if body == notfound else 'not the 404 page'}")

        status, headers, body = get(base + "index.html", {"Accept-Encoding": "gzip"})
        gz = open(os.path.join(site, "index.html.gz"), "rb").read()
        if headers.get("Content-Encoding") != "gzip" or body != gz:
            failures.append(f"gzip_static: Content-Encoding {headers.get('Content-Encoding')!r}, "
                            f"{'the .gz bytes' if body == gz else 'not the .gz bytes'}")
        status, headers, body = get(base + "index.html")
        if headers.get("Content-Encoding") or body != open(os.path.join(site, "index.html"), "rb").read():
            failures.append("without Accept-Encoding the page must come uncompressed")

        expect = {"index.html": "no-cache", "feed.xml": "no-cache", "data/reports.csv": "no-cache",
                  "assets/site.css": "public, max-age=86400"}
        index_file = sorted(glob.glob(os.path.join(site, "search", "idx-*", "t", "*.js")))
        if index_file:
            expect[os.path.relpath(index_file[0], site)] = "public, max-age=31536000, immutable"
        for rel, want in expect.items():
            _, headers, _ = get(base + rel)
            if headers.get("Cache-Control") != want:
                failures.append(f"{rel}: Cache-Control {headers.get('Cache-Control')!r}, README says {want!r}")
        print(f"gzip_static, 404 page, cache headers: checked ({len(expect)} addresses)")

        search = subprocess.run([sys.executable, os.path.join(HERE, "check-search.py"), site, "--url", base])
        if search.returncode != 0:
            failures.append("the search page under the sub-path")
    finally:
        server.send_signal(signal.SIGQUIT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if failures:
            print(open(os.path.join(tmp, "error.log"), encoding="utf-8", errors="replace").read()[-2000:])
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
