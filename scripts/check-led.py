#!/usr/bin/env python3
"""Headless Chromium checks of the LED slides of one or more built sites.

Usage: scripts/check-led.py [--artifacts DIR] [--variants CONTENT_DIR | --no-variants] [--kepu BIN] [--now DATE]
                            SITE_DIR [SITE_DIR ...]

SITE_DIR is a built output folder (the one holding led/), or the led/ folder itself. Each is checked at
the size its led/playlist.json records (the panel size from site.yaml).

--variants CONTENT_DIR also builds the content at 768x384 and 256x128 (common small panels) and
checks those: the content folder is copied to a temporary folder, the `led:` width and height in its
site.yaml are replaced, and `kepu build` (--kepu, default the newer of .build/debug/kepu and
.build/release/kepu) writes each variant. This is on by default when ./content and a kepu binary exist
(run from the repository root, as scripts/test does); --no-variants turns it off. Variants are built as
of --now, by default the date the first SITE_DIR was built for (its data/site.json "as_of").
Without a kepu binary, variants can also be made by the LED tests:
    KEPU_LED_OUT=artifacts/led-variants swift test --filter KepuLEDTests.SampleTests
then pass artifacts/led-variants/768x384 artifacts/led-variants/256x128 (and more sizes) as SITE_DIRs.

For every site:
- the refresh chain, read from the files' <meta http-equiv="refresh"> (no waiting), starts at
  led/index.html, visits every slide of the playlist exactly once and returns to the first;
- every slide, opened from disk at exactly the panel's size, fits: document scroll width and height equal
  the viewport, every element lies inside it, and no text line is cut by the browser (Kepu cuts long text
  itself, with "…"); no <script>, no http(s) or root-relative URLs, referenced photos exist;
- the strip page (when there is one) fits its own size;
- every led/png/NN.png has exactly the panel's size;
- a screenshot of every slide is written to ARTIFACTS/<name>/NN.png (default artifacts/led).
Needs: Debian chromium + chromium-driver, pip selenium. Exits 1 on any failure.
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

VARIANTS = ((768, 384), (256, 128))
REFRESH = re.compile(r'<meta\s+http-equiv="refresh"\s+content="(\d+)\s*;\s*url=([^"]+)"', re.I)

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def refresh_of(path):
    with open(path, encoding="utf-8") as f:
        m = REFRESH.search(f.read())
    return (int(m.group(1)), urllib.parse.unquote(m.group(2))) if m else None


def check_chain(led, slides, name):
    """Follows the refresh targets from index.html until a page repeats."""
    first = refresh_of(os.path.join(led, "index.html"))
    if not first:
        fail(f"{name}: led/index.html has no meta refresh")
        return
    visited, page = [], first[1]
    while page not in visited:
        path = os.path.join(led, page)
        if not os.path.isfile(path):
            fail(f"{name}: the loop leads to {page}, which does not exist")
            return
        visited.append(page)
        target = refresh_of(path)
        if not target:
            fail(f"{name}: {page} has no meta refresh, the loop stops there")
            return
        page = target[1]
    expected = [s["html"] for s in slides]
    if page != visited[0]:
        fail(f"{name}: the loop returns to {page}, not to the first slide {visited[0]}")
    if visited != expected:
        fail(f"{name}: the loop visits {visited}, the playlist lists {expected}")
    else:
        print(f"ok   {name}: refresh chain index.html -> {' -> '.join(visited)} -> {page}")


FIT_SCRIPT = """
const w = arguments[0], h = arguments[1];
const de = document.documentElement, out = [];
if (de.scrollWidth !== w || de.scrollHeight !== h) out.push('document is ' + de.scrollWidth + 'x' + de.scrollHeight);
if (window.innerWidth !== w || window.innerHeight !== h) out.push('viewport is ' + window.innerWidth + 'x' + window.innerHeight);
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  const clipped = el.parentElement && el.parentElement.classList.contains('v');  // the strip's moving line
  if (!clipped && (r.left < -0.5 || r.top < -0.5 || r.right > w + 0.5 || r.bottom > h + 0.5))
    out.push('outside the slide: <' + el.tagName.toLowerCase() + '> ' + (el.textContent || '').slice(0, 40) +
             ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
  if (el.classList.contains('t') && el.scrollWidth > el.clientWidth + 1)
    out.push('text cut by the browser (' + el.scrollWidth + ' > ' + el.clientWidth + 'px): ' + el.textContent);
}
if (document.getElementsByTagName('script').length) out.push('has a <script>');
return out;
"""


def check_page(driver, path, w, h, name, shot=None):
    html = open(path, encoding="utf-8").read()
    for m in re.finditer(r'(?:href|src)="([^"]*)"|url\((?:&#39;|\')?([^)&\']*)', html):
        url = m.group(1) or m.group(2) or ""
        if re.match(r"^(https?:)?//", url) or url.startswith("/"):
            fail(f"{name}: {os.path.basename(path)} refers to {url}, not a relative path")
        elif url and not url.startswith("data:") and not url.startswith("#"):
            target = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(url)))
            if not os.path.exists(target):
                fail(f"{name}: {os.path.basename(path)} refers to {url}, which is missing")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False})
    driver.get("file://" + os.path.abspath(path))
    problems = driver.execute_script(FIT_SCRIPT, w, h)
    for p in problems:
        fail(f"{name}: {os.path.basename(path)} at {w}x{h}: {p}")
    if shot:
        os.makedirs(os.path.dirname(shot), exist_ok=True)
        driver.save_screenshot(shot)
        size = png_size(shot)
        if size != (w, h):
            fail(f"{name}: screenshot of {os.path.basename(path)} is {size}, not {w}x{h}")
    return not problems


def check_site(driver, site, artifacts):
    led = site if os.path.basename(os.path.normpath(site)) == "led" else os.path.join(site, "led")
    name = os.path.basename(os.path.normpath(site if led != site else os.path.dirname(os.path.normpath(site))))
    playlist_path = os.path.join(led, "playlist.json")
    if not os.path.isfile(playlist_path):
        fail(f"{site}: no led/playlist.json")
        return
    playlist = json.load(open(playlist_path, encoding="utf-8"))
    w, h, slides = playlist["width"], playlist["height"], playlist["slides"]
    if not name.endswith(f"{w}x{h}"):
        name = f"{name}-{w}x{h}"
    print(f"---- {site}: {len(slides)} slides at {w}x{h}")
    check_chain(led, slides, name)
    fitted = 0
    for i, s in enumerate(slides):
        shot = os.path.join(artifacts, name, os.path.splitext(s["html"])[0] + ".png")
        if check_page(driver, os.path.join(led, s["html"]), w, h, name, shot):
            fitted += 1
        png = os.path.join(led, s["png"])
        size = png_size(png) if os.path.isfile(png) else None
        if size != (w, h):
            fail(f"{name}: {s['png']} is {size}, not {w}x{h}")
    print(f"ok   {name}: {fitted}/{len(slides)} slides fit; PNGs checked; screenshots in {os.path.join(artifacts, name)}")
    strip = os.path.join(led, "strip.html")
    if os.path.isfile(strip):
        m = re.search(r"body\{[^}]*width:(\d+)px;height:(\d+)px", open(strip, encoding="utf-8").read())
        if m:
            sw, sh = int(m.group(1)), int(m.group(2))
            if check_page(driver, strip, sw, sh, name, os.path.join(artifacts, name, "strip.png")):
                print(f"ok   {name}: strip.html fits {sw}x{sh}")
    for f in ("strip.txt", "strip.gb18030.txt", "playlist.m3u", "README.txt"):
        if not os.path.isfile(os.path.join(led, f)):
            fail(f"{name}: led/{f} is missing")
    gb = os.path.join(led, "strip.gb18030.txt")
    if os.path.isfile(gb):
        if open(gb, "rb").read().decode("gb18030") != open(os.path.join(led, "strip.txt"), "rb").read().decode("utf-8"):
            fail(f"{name}: strip.gb18030.txt does not say what strip.txt says")


def build_variants(content, kepu, now, workdir):
    """Builds the content at each variant size; returns the output folders."""
    outputs = []
    for w, h in VARIANTS:
        copy = os.path.join(workdir, f"content-{w}x{h}")
        shutil.copytree(content, copy)
        site = os.path.join(copy, "site.yaml")
        text = open(site, encoding="utf-8-sig").read()
        m = re.search(r"^led:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*)", text, re.M)
        block = f"led:\n  width: {w}\n  height: {h}\n  seconds: 10\n"
        if m:
            body = m.group(1)
            sec = re.search(r"^[ \t]+seconds:.*\n", body, re.M)
            strip = re.search(r"^([ \t]+)strip:.*\n(?:\1[ \t]+.*\n)*", body, re.M)
            block = f"led:\n  width: {w}\n  height: {h}\n" + (sec.group(0) if sec else "") + (strip.group(0) if strip else "")
            text = text[:m.start()] + block + text[m.end():]
        else:
            text += "\n" + block
        open(site, "w", encoding="utf-8").write(text)
        out = os.path.join(workdir, f"{w}x{h}")
        cmd = [kepu, "build", "--content", copy, "--output", out, "--cache", os.path.join(workdir, "cache")]
        if now:
            cmd += ["--now", now]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"kepu build at {w}x{h} failed:\n{r.stdout}{r.stderr}")
            continue
        outputs.append(out)
    return outputs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sites", nargs="*")
    ap.add_argument("--artifacts", default="artifacts/led")
    ap.add_argument("--variants", metavar="CONTENT_DIR")
    ap.add_argument("--no-variants", action="store_true")
    ap.add_argument("--kepu")
    ap.add_argument("--now")
    args = ap.parse_args()
    sites = list(args.sites)
    workdir = tempfile.mkdtemp(prefix="kepu-led-check-")
    try:
        built = [p for p in (".build/debug/kepu", ".build/release/kepu") if os.path.isfile(p)]
        kepu = args.kepu or (max(built, key=os.path.getmtime) if built else None)
        if not args.variants and not args.no_variants and os.path.isdir("content") and kepu:
            args.variants = "content"
            print(f"building ./content at {', '.join(f'{w}x{h}' for w, h in VARIANTS)} with {kepu} (--no-variants to skip)")
        if args.variants and not args.now and sites:
            # Build the variants as of the checked site's date (data/site.json "as_of"), so they show the same slides.
            try:
                args.now = json.load(open(os.path.join(sites[0], "data", "site.json"), encoding="utf-8")).get("as_of")
            except (OSError, ValueError):
                pass
        if args.variants:
            if not kepu:
                fail("--variants needs a kepu binary (swift build -c release --product kepu, or --kepu PATH)")
            else:
                sites += build_variants(args.variants, kepu, args.now, workdir)
        if not sites:
            ap.error("name at least one built site folder, or --variants CONTENT_DIR")
        options = Options()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                  "--force-device-scale-factor=1", "--window-size=3840,2160", "--allow-file-access-from-files"):
            options.add_argument(a)
        if os.path.exists("/usr/bin/chromium"):
            options.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            for site in sites:
                check_site(driver, site, args.artifacts)
        finally:
            driver.quit()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"\n{len(failures)} LED check(s) failed")
        return 1
    print("\nall LED checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
