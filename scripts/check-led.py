#!/usr/bin/env python3
"""Headless Chromium checks of the LED slides of one or more built sites.

Usage: scripts/check-led.py [--artifacts DIR] [--variants CONTENT_DIR | --no-variants] [--kepu BIN] [--now DATE]
                            SITE_DIR [SITE_DIR ...]

SITE_DIR is a built output folder (the one holding led/), or the led/ folder itself. Each is checked at
the size its led/playlist.json records (the panel size from site.yaml).

--variants CONTENT_DIR also builds the content at the VARIANTS below (64x32 to a portrait 1080x1920, one- and
two-colour, 352x80 given as P10 modules) and checks those: the content folder is copied to a temporary folder, the `led:` width and height in its
site.yaml are replaced, and `kepu build` (--kepu, default the newer of .build/debug/kepu and
.build/release/kepu) writes each variant. This is on by default when ./content and a kepu binary exist
(run from the repository root, as scripts/test does); --no-variants turns it off. Variants are built as
of --now, by default the date the first SITE_DIR was built for (its data/site.json "as_of").
Without a kepu binary, variants can also be made by the LED tests:
    KEPU_LED_OUT=artifacts/led-variants swift test --filter KepuLEDTests.SampleTests
then pass artifacts/led-variants/768x384 artifacts/led-variants/256x128 (and more sizes) as SITE_DIRs.

For every site (from a copy of its led/ folder alone, in an empty folder, as on a USB stick):
- no request fails while a slide loads (Chromium's Network.loadingFailed);
- every PNG of a one- or two-colour panel uses only the panel's colours;
- led/loop.mp4, when the playlist names it: ffprobe finds H.264, yuv420p, the panel size padded to even sides,
  and a duration equal to the sum of the slides' seconds;
- strip.gb2312.txt (written when every character is in GB2312) decodes back to strip.txt;
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
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

# (width, height, colors, site.yaml led lines): the panels people own, from P10 door-head signs to a portrait
# 4K-class screen. The small ones are cheap and make their MP4; the big ones are built once, without video
# (the sample site scripts/test builds has one at 1920x1080).
VARIANTS = (
    (64, 32, "single", True), (128, 32, "dual", True), (160, 64, "single", True), (352, 80, "dual", True),
    (768, 384, "full", False), (1080, 1920, "full", False),
)
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


def png_pixels(path):
    """The distinct colours of an 8-bit RGB/RGBA/grey PNG (what cairo writes), as a set of 0xRRGGBB."""
    data = open(path, "rb").read()
    pos, idat, width, height, ctype = 8, b"", 0, 0, 2
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", chunk[:10])
            if depth != 8:
                raise ValueError(f"bit depth {depth}")
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw, stride = zlib.decompress(idat), width * bpp
    prev, colors, i = bytearray(stride), set(), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p_ = a + b - c
                pa, pb, pc = abs(p_ - a), abs(p_ - b), abs(p_ - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if bpp >= 3:
            colors.update((line[x] << 16) | (line[x + 1] << 8) | line[x + 2] for x in range(0, stride, bpp))
        else:
            colors.update(line[x] * 0x10101 for x in range(0, stride, bpp))
        prev = line
    return colors


PALETTES = {"single": {0x000000, 0xFF0000}, "dual": {0x000000, 0xFF0000, 0x00FF00, 0xFFFF00}}


def check_video(led, playlist, name):
    """led/loop.mp4 through ffprobe: H.264, yuv420p, the (even-padded) panel size, the slides' total seconds."""
    video, mp4 = playlist.get("video"), os.path.join(led, "loop.mp4")
    if not video:
        if os.path.isfile(mp4):
            fail(f"{name}: loop.mp4 is there but playlist.json does not describe it")
        return
    if not shutil.which("ffprobe"):
        fail(f"{name}: ffprobe is not installed (scripts/setup --test installs ffmpeg)")
        return
    r = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                        "stream=codec_name,pix_fmt,width,height:format=duration", "-of", "json", mp4],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{name}: ffprobe cannot read loop.mp4: {r.stderr.strip()}")
        return
    info = json.loads(r.stdout)
    st, duration = info["streams"][0], float(info["format"]["duration"])
    w, h = playlist["width"], playlist["height"]
    want_w, want_h = w + w % 2, h + h % 2
    total = sum(s["seconds"] for s in playlist["slides"])
    problems = []
    if st["codec_name"] != "h264": problems.append(f"codec {st['codec_name']}")
    if st["pix_fmt"] != "yuv420p": problems.append(f"pixel format {st['pix_fmt']}")
    if (st["width"], st["height"]) != (want_w, want_h): problems.append(f"size {st['width']}x{st['height']}, not {want_w}x{want_h}")
    if video.get("padding") != {"right": w % 2, "bottom": h % 2}: problems.append(f"padding stated as {video.get('padding')}")
    if abs(duration - total) > 0.05: problems.append(f"{duration:.2f} s long, the slides add up to {total} s")
    for p in problems:
        fail(f"{name}: loop.mp4: {p}")
    if not problems:
        print(f"ok   {name}: loop.mp4 h264 yuv420p {want_w}x{want_h}, {duration:.2f} s = sum of the slides' seconds")


def standalone_copy(led, workdir, name):
    """led/ alone, copied to an empty folder: what a USB stick holds."""
    target = os.path.join(workdir, "usb-" + re.sub(r"[^A-Za-z0-9x-]", "_", name), "led")
    shutil.copytree(led, target)
    return target


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
for (const sc of document.getElementsByTagName('script'))
  if (sc.getAttribute('src') !== 'schedule.js') out.push('has a <script> other than the optional schedule.js');
if (h < 128) for (const el of document.body.querySelectorAll('.t'))
  if (el.textContent.indexOf('\u2026') >= 0) out.push('text cut with an ellipsis on a small panel: ' + el.textContent);
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
    driver.get_log("performance")  # drop what earlier pages logged
    driver.get("file://" + os.path.abspath(path))
    problems = driver.execute_script(FIT_SCRIPT, w, h)
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.loadingFailed" and not message["params"].get("canceled"):
            problems.append("a request failed: " + message["params"].get("errorText", "?"))
    for p in problems:
        fail(f"{name}: {os.path.basename(path)} at {w}x{h}: {p}")
    if shot:
        os.makedirs(os.path.dirname(shot), exist_ok=True)
        driver.save_screenshot(shot)
        size = png_size(shot)
        if size != (w, h):
            fail(f"{name}: screenshot of {os.path.basename(path)} is {size}, not {w}x{h}")
    return not problems


def check_site(driver, site, artifacts, workdir):
    led = site if os.path.basename(os.path.normpath(site)) == "led" else os.path.join(site, "led")
    name = os.path.basename(os.path.normpath(site if led != site else os.path.dirname(os.path.normpath(site))))
    # Every slide is opened from a copy of led/ alone, as on a USB stick: nothing outside it may be needed.
    led = standalone_copy(led, workdir, name)
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
        palette = PALETTES.get(playlist.get("colors", "full"))
        if palette and size:
            colors = png_pixels(png)
            if not colors <= palette or len(colors) < 2:
                fail(f"{name}: {s['png']} uses colours {sorted('%06x' % c for c in colors)}, the panel has "
                     f"{sorted('%06x' % c for c in palette)}")
    print(f"ok   {name}: {fitted}/{len(slides)} slides fit from a copy of led/ alone; PNGs checked"
          f"{' (only the ' + playlist['colors'] + '-colour palette)' if playlist.get('colors', 'full') != 'full' else ''}; "
          f"screenshots in {os.path.join(artifacts, name)}")
    check_video(led, playlist, name)
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
    text = open(os.path.join(led, "strip.txt"), "rb").read().decode("utf-8")
    for f, enc in (("strip.gb18030.txt", "gb18030"), ("strip.gb2312.txt", "gb2312")):
        path = os.path.join(led, f)
        if os.path.isfile(path) and open(path, "rb").read().decode(enc) != text:
            fail(f"{name}: {f} does not say what strip.txt says")
    try:
        text.encode("gb2312")
        if not os.path.isfile(os.path.join(led, "strip.gb2312.txt")):
            fail(f"{name}: every strip character is in GB2312, yet strip.gb2312.txt is missing")
    except UnicodeEncodeError:
        pass


def build_variants(content, kepu, now, workdir):
    """Builds the content at each variant size; returns the output folders. 352x80 is given as P10 modules."""
    outputs = []
    for w, h, colors, video in VARIANTS:
        copy = os.path.join(workdir, f"content-{w}x{h}")
        shutil.copytree(content, copy)
        site = os.path.join(copy, "site.yaml")
        text = open(site, encoding="utf-8-sig").read()
        m = re.search(r"^led:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*)", text, re.M)
        size = "  module: p10\n  modules: [11, 5]\n" if (w, h) == (352, 80) else f"  width: {w}\n  height: {h}\n"
        block = f"led:\n{size}  colors: {colors}\n"
        if m:
            body = m.group(1)
            sec = re.search(r"^[ \t]+seconds:.*\n", body, re.M)
            strip = re.search(r"^([ \t]+)strip:.*\n(?:\1[ \t]+.*\n)*", body, re.M)
            block += (sec.group(0) if sec else "") + (strip.group(0) if strip else "")
            text = text[:m.start()] + block + text[m.end():]
        else:
            text += "\n" + block
        open(site, "w", encoding="utf-8").write(text)
        out = os.path.join(workdir, f"{w}x{h}")
        cmd = [kepu, "build", "--content", copy, "--output", out, "--cache", os.path.join(workdir, "cache"),
               "--led-video" if video else "--no-led-video"]
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
            print(f"building ./content at {', '.join(f'{w}x{h}' for w, h, *_ in VARIANTS)} with {kepu} (--no-variants to skip)")
        if args.variants and not args.now and sites:
            # Build the variants as of the checked site's date (data/site.json "as_of"), so they show the same slides.
            try:
                args.now = json.load(open(os.path.join(sites[0], "data", "site.json"), encoding="utf-8")).get("as_of")
            except (OSError, ValueError):
                pass
        if args.variants:
            if not kepu:
                fail("--variants needs a kepu binary (scripts/build-release, or --kepu PATH)")
            else:
                sites += build_variants(args.variants, kepu, args.now, workdir)
        if not sites:
            ap.error("name at least one built site folder, or --variants CONTENT_DIR")
        options = Options()
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                  "--force-device-scale-factor=1", "--window-size=3840,2160", "--allow-file-access-from-files"):
            options.add_argument(a)
        if os.path.exists("/usr/bin/chromium"):
            options.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            for site in sites:
                check_site(driver, site, args.artifacts, workdir)
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
