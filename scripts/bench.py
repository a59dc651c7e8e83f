#!/usr/bin/env python3
"""Kepu against Hugo on the same generated corpora, side by side.

    scripts/bench.py                      # 1k and 10k reports, 3 alternating runs each
    scripts/bench.py --sizes 1000 10000 100000 --runs 3

Builds Kepu in release mode, generates corpora with ../shared/bench/make_corpus.py (kept in
--work between runs), then for each size alternates a Kepu build and a Hugo build
(../shared/bench/hugo_build.sh, when `hugo` is installed) and prints the median wall time, the
median CPU time (user + system) and the largest peak memory (max RSS) of each, with Kepu/Hugo
ratios. Kepu is timed three ways against the same Hugo builds: run again with nothing changed (it only
checks that), with --rebuild (every page written again into the folder already there), and into an empty
output folder, as on a clean clone. At every size it times the floors: copying the output, making its
files from memory on every core (`kepu-bench --create-floor`), reading the corpus; reading the reports
and rendering their bodies with cmark alone, on every core. Below 100k it also times one-report
rebuilds under `kepu serve`'s rebuilder (`kepu-bench`, a separate executable) and `kepu serve` against
`hugo server` (a save → every open page rebuilt; two pages open as tabs); and the sample site (caches
warm). A run starts five minutes after the last one's deletions (see forget_deleted).
"""
import argparse
import glob
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))


def timed(cmd, cwd=ROOT):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak MiB)."""
    fmt = "%e %U %S %M"
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", fmt] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    last = p.stderr.strip().splitlines()[-1].split()
    _, user, system, rss_kb = last[-4:]
    return wall, float(user) + float(system), int(rss_kb) / 1024


def bench_row(label, cmd):
    """A row kepu-bench measures, or why it has none (a failed measurement is never a missing row)."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode == 0:
        print(f"{label:<28} {p.stdout.strip()}", flush=True)
    else:
        why = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
        print(f"{label:<28} FAILED: {why}", flush=True)


def corpus(work, n):
    path = os.path.join(work, f"corpus-{n}")
    if not os.path.exists(os.path.join(path, "content")):
        subprocess.run([sys.executable, os.path.join(SHARED, "make_corpus.py"), "--reports", str(n),
                        "--out", path, "--expect"], check=True)
    return path


def summarize(samples):
    """Median wall, median CPU, largest peak memory, and the spread of the wall times (fastest, slowest)."""
    walls = [s[0] for s in samples]
    return (statistics.median(walls), statistics.median(s[1] for s in samples), max(s[2] for s in samples),
            min(walls), max(walls))


def spread(lo, hi, unit="s"):
    return f"({lo:.2f}–{hi:.2f})" if unit == "s" else f"({lo:.0f}–{hi:.0f})"


def row(label, kepu, hugo=None):
    k = f"{kepu[0]:8.2f} s {spread(kepu[3], kepu[4]):>13} {kepu[1]:8.2f} s {kepu[2]:8.0f} MiB"
    if hugo is None:
        return f"{label:<28} {k}"
    h = f"{hugo[0]:8.2f} s {spread(hugo[3], hugo[4]):>13} {hugo[1]:8.2f} s {hugo[2]:8.0f} MiB"
    ratios = f"{kepu[0] / hugo[0]:6.2f} {kepu[1] / hugo[1]:6.2f} {kepu[2] / hugo[2]:6.2f}"
    return f"{label:<28} {k}   {h}   {ratios}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return False


class OpenTab(threading.Thread):
    """A browser tab as `kepu serve` sees it: the live-reload event stream, naming the page it shows (live.js)."""

    def __init__(self, page_url):
        super().__init__(daemon=True)
        u = urllib.parse.urlsplit(page_url)
        self.path = u.path
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        self.target = "/__kepu/events?page=" + urllib.parse.quote(u.path, safe="")
        # When the tab was last told to reload (its page named in a `pages` event, or the rebuild's end).
        self.told = None
        self.start()

    def run(self):
        try:
            self.conn.request("GET", self.target)
            r = self.conn.getresponse()
            event, data = None, []
            while True:
                line = r.fp.readline()
                if not line:
                    return
                line = line.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line == "":
                    if (event == "pages" and self.path in data[1:]) or (event == "reload" and self.told is None):
                        self.told = time.monotonic()
                    event, data = None, []
        except Exception:
            pass

    def close(self):
        try:
            self.conn.sock and self.conn.sock.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass
        self.conn.close()


def serve_case(name, command, url_of, report, runs, cwd=ROOT):
    """Starts a live-preview server, then `runs` times: saves `report` with a new word at the start of its
    body (so in its summary on the list pages too) and times how long until every page `url_of` names shows
    the word (save → every open page rebuilt, end to end, as a reader's reload would see it). For Kepu those
    pages are open as tabs (their event streams name them). Returns the milliseconds, or None if the server
    never came up."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    tabs = []
    try:
        urls = url_of(proc)
        if not urls:
            return None
        if name == "kepu":
            tabs = [OpenTab(u) for u in urls]
        original = open(report, encoding="utf-8").read()
        body = original.index("\n---\n", 4) + len("\n---\n")
        while original[body] == "\n":
            body += 1
        samples = []
        try:
            for i in range(runs + 1):
                word = f"BENCH{os.getpid()}x{i}"
                text = original[:body] + word + original[body:]
                # Written as editors on this machine save: a new file renamed over the old one.
                tmp = report + ".tmp-bench"
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(text)
                for tab in tabs:
                    tab.told = None
                start = time.monotonic()
                os.replace(tmp, report)
                # One page after the other: polling them all at once would take a core from the rebuild.
                if not all(wait_for(lambda url=url: word in fetch(url), 60) for url in urls):
                    return None
                # And each tab told to reload (kepu serve): its page named early, or the rebuild's end.
                if not wait_for(lambda: all(tab.told is not None for tab in tabs), 60):
                    return None
                end = max([time.monotonic()] if not tabs else [tab.told for tab in tabs])
                if i > 0:  # the first save warms what each server keeps between rebuilds
                    samples.append((end - start) * 1000)
                time.sleep(0.3)
        finally:
            with open(report, "w", encoding="utf-8") as f:
                f.write(original)
        return statistics.median(samples), min(samples), max(samples)
    finally:
        for tab in tabs:
            tab.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def forget_deleted(work, trash, wait=True):
    """Deletes the old outputs, then waits until the disk has forgotten the deletions of the last run. ext4
    without a journal skips an inode freed in the last 60 s (300 s while its table block is unwritten) when it
    makes a file, reading past each one (`recently_deleted`): right after a run had deleted half a million
    files, creating 10k files took 0.70 s where it takes 0.23 s, for both tools. So every run starts five
    minutes after the last one's deletions."""
    stamp = os.path.join(work, ".deleted-at")
    if os.path.exists(trash):
        shutil.rmtree(trash, ignore_errors=True)
        os.makedirs(work, exist_ok=True)
        with open(stamp, "w") as f:
            f.write(str(time.time()))
    try:
        left = float(open(stamp).read()) + 310 - time.time() if wait else 0
    except (OSError, ValueError):
        left = 0
    if left > 0:
        print(f"(waiting {left:.0f} s for the disk to forget the files the last run deleted)", flush=True)
        time.sleep(left)


def serve_row(kepu, c, work, n, runs, have_hugo, trash):
    """One report saved under `kepu serve` and `hugo server`, each on its own copy of the corpus."""
    rows = {}
    for who in ("kepu", "hugo"):
        if who == "hugo" and not have_hugo:
            continue
        copy = os.path.join(work, f"serve-{who}-{n}")
        # The last run's copy goes to the trash, not deleted now: deleting its 10,000 files here, just before the
        # 100k runs, made ext4 skip those inodes on every file both tools created next (see forget_deleted).
        if os.path.exists(copy):
            os.makedirs(trash, exist_ok=True)
            os.rename(copy, os.path.join(trash, f"{len(os.listdir(trash))}"))
        shutil.copytree(c, copy)
        report = sorted(glob.glob(os.path.join(copy, "content", "reports", "*", "*", "*.md")))[len(
            glob.glob(os.path.join(copy, "content", "reports", "*", "*", "*.md"))) // 2]
        slug = os.path.basename(report)[:-3]
        port = free_port()
        if who == "kepu":
            cmd = [kepu, "serve", "--content", os.path.join(copy, "content"), "--theme", os.path.join(ROOT, "theme"),
                   "--cache", os.path.join(work, f"cache-{n}"), "--port", str(port), "--now", "2026-01-01"]

            def url_of(proc, slug=slug, port=port):
                line = proc.stdout.readline().strip()  # the address, once the first build is served
                if not line.startswith("http"):
                    return None
                # The saved report's page and its month's list (its summary is there), both open in tabs.
                year, month = slug[:4], slug[5:7]
                return [f"http://127.0.0.1:{port}/reports/{year}/{slug}.html",
                        f"http://127.0.0.1:{port}/reports/{year}/{month}/index.html"]
        else:
            scratch = os.path.join(work, "hugo-scratch")
            cmd = ["hugo", "server", "--source", os.path.join(SHARED, "hugo-site"), "--contentDir",
                   os.path.join(copy, "content"), "--port", str(port), "--bind", "127.0.0.1", "--noBuildLock",
                   "--cacheDir", os.path.join(scratch, "cache"), "--disableFastRender", "--appendPort=false",
                   "--baseURL", f"http://127.0.0.1:{port}/"]

            def url_of(proc, slug=slug, port=port):
                # Hugo's page for the report: its path as `hugo_build.sh` wrote it for this corpus.
                built = glob.glob(os.path.join(work, f"out-hugo-{n}", "**", slug, "index.html"), recursive=True) \
                    or glob.glob(os.path.join(work, f"out-hugo-{n}", "**", slug + ".html"), recursive=True)
                if not built:
                    return None
                rel = os.path.relpath(built[0], os.path.join(work, f"out-hugo-{n}"))
                url = f"http://127.0.0.1:{port}/" + rel.replace("index.html", "")
                # Hugo's lists show no summary: its report page is the one page the word changes (it rebuilds
                # every page before serving any).
                return [url] if wait_for(lambda: "本次活动" in fetch(url), 300) else None
        rows[who] = serve_case(who, cmd, url_of, report, runs)
    k, h = rows.get("kepu"), rows.get("hugo")
    label = f"{n}, saved → open pages (serve)"
    if k is None:
        return f"{label:<28} kepu serve did not come up"
    kt = f"{k[0]:7.0f} ms {spread(k[1], k[2], 'ms'):>13}"
    if h is None:
        return f"{label:<28} {kt}"
    ht = f"{h[0]:7.0f} ms {spread(h[1], h[2], 'ms'):>13}"
    return f"{label:<28} {kt} {'':22}   {ht} {'':22}   {k[0] / h[0]:6.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.environ.get("BENCH_DIR", "/tmp/kepu-bench"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)

    subprocess.run([os.path.join(ROOT, "scripts", "setup"), "--bench"], cwd=ROOT, check=True)
    for product in ("kepu", "kepu-bench"):
        subprocess.run([os.path.join(ROOT, "scripts", "build-release"), product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    kepu = os.path.join(ROOT, ".build", "release", "kepu")
    kepu_bench = os.path.join(ROOT, ".build", "release", "kepu-bench")
    have_hugo = shutil.which("hugo") is not None
    linked = subprocess.run(["ldd", kepu], capture_output=True, text=True).stdout
    allocator = "jemalloc" if "libjemalloc" in linked else "glibc malloc"
    print(f"machine: {os.cpu_count()} cores; kepu release build ({allocator}); hugo: {'yes' if have_hugo else 'not installed'}")
    print(f"{'':<28} {'Kepu wall':>10} {'(min–max)':>13} {'cpu':>10} {'peak':>12}   {'Hugo wall':>10} {'(min–max)':>13} "
          f"{'cpu':>10} {'peak':>12}   {'wall×':>6} {'cpu×':>6} {'mem×':>6}")

    trash = os.path.join(a.work, "trash")
    forget_deleted(a.work, trash)
    for n in a.sizes:
        c = corpus(a.work, n)
        out_k = os.path.join(a.work, f"out-kepu-{n}")
        out_h = os.path.join(a.work, f"out-hugo-{n}")
        kepu_cmd = [kepu, "build", "--content", os.path.join(c, "content"), "--output", out_k,
                    "--cache", os.path.join(a.work, f"cache-{n}"), "--theme", os.path.join(ROOT, "theme"),
                    "--now", "2026-01-01"]
        hugo_cmd = ["bash", os.path.join(SHARED, "hugo_build.sh"), c, out_h]
        checks, rebuilds, hs = [], [], []
        # A first unmeasured Kepu build fills the caches (slide PNGs) as a user's second build would find them.
        # A second after the corpus was written: files changed within the second before a build are not
        # trusted by their stamps, and that build would not be remembered as unchanged.
        time.sleep(1.1)
        subprocess.run(kepu_cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for i in range(a.runs):
            # Alternate which goes first so neither always meets a warm page cache.
            order = [("c", kepu_cmd), ("r", kepu_cmd + ["--rebuild"]), ("h", hugo_cmd)]
            for who, cmd in (order if i % 2 == 0 else order[::-1]):
                if who == "h" and not have_hugo:
                    continue
                {"c": checks, "r": rebuilds, "h": hs}[who].append(timed(cmd))
        hugo = summarize(hs) if hs else None
        # `kepu build` again with nothing changed only checks that (UpToDate); --rebuild writes every page
        # again into the folder already there, as Hugo does on every build.
        print(row(f"{n}, output there, unchanged", summarize(checks), hugo), flush=True)
        print(row(f"{n}, output there, --rebuild", summarize(rebuilds), hugo), flush=True)
        # As on a clean clone: no earlier output to reuse (Kepu keeps the replaced output beside the
        # new one and rewrites only changed files; Hugo overwrites in place). The old outputs are moved
        # into a trash folder, deleted only when the benchmark ends: this disk's ext4 (no journal) skips
        # inodes freed in the last 60 s when it allocates (recently_deleted), so creating 10,000 files
        # in a group where 10,000 were just deleted scans past them all, and a clean clone deletes nothing.
        ke, he = [], []
        for i in range(a.runs):
            for folder in (out_k, os.path.join(a.work, f".out-kepu-{n}.kepu-old"), out_h):
                if os.path.exists(folder):
                    os.makedirs(trash, exist_ok=True)
                    os.rename(folder, os.path.join(trash, f"{len(os.listdir(trash))}"))
            subprocess.run(["sync"], check=False)
            ke.append(timed(kepu_cmd))
            if have_hugo:
                he.append(timed(hugo_cmd))
        print(row(f"{n} reports, empty output", summarize(ke), summarize(he) if he else None), flush=True)
        # The floors under a clean build on this disk, at every size (the goals are judged against them):
        # creating Kepu's own output files (a copy of them, folders and all) and reading the corpus (every
        # file, as the loader does); then, in process, reading the reports and cmark alone on every core.
        copies = []
        for i in range(a.runs):
            target = os.path.join(trash, f"floor-copy-{n}-{i}")  # deleted at the end, as above
            subprocess.run(["sync"], check=False)
            copies.append(timed(["cp", "-r", out_k, target]))
        print(row(f"{n}: floor, create output", summarize(copies)), flush=True)
        # The same files made from memory on every core, as the builder's sink makes them (kepu-bench reads
        # them first, untimed): what writing the output costs a build, with nothing read or rendered.
        made = []
        for i in range(a.runs):
            subprocess.run(["sync"], check=False)
            p = subprocess.run([kepu_bench, "--create-floor", out_k, "--into", os.path.join(trash, f"floor-make-{n}-{i}")],
                               capture_output=True, text=True)
            if p.returncode != 0:
                made = None
                print(f"{n}: floor, make output files FAILED: {(p.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
                break
            made.append(float(p.stdout.split()[0]))
        if made:
            made.sort()
            print(f"{f'{n}: floor, make files, all cores':<28} {made[len(made) // 2] / 1000:8.2f} s "
                  f"{spread(made[0] / 1000, made[-1] / 1000):>13}", flush=True)
        reads = [timed(["bash", "-c", 'find "$1" -type f -print0 | xargs -0 cat > /dev/null', "-",
                        os.path.join(c, "content")]) for _ in range(a.runs)]
        print(row(f"{n}: floor, read corpus", summarize(reads)), flush=True)
        rebuild = [kepu_bench, "--content", os.path.join(c, "content"),
                   "--theme", os.path.join(ROOT, "theme"), "--cache", os.path.join(a.work, f"cache-{n}"),
                   "--now", "2026-01-01"]
        # Under loading, on every core as the loader works: reading the reports, and cmark alone.
        bench_row(f"{n}: floor, load", rebuild + ["--floors", "--runs", str(a.runs)])
        if n < 100000:
            # A figure (totals and lists change) and a word of a body (its page and the search index change).
            for edit in ("audience", "body"):
                bench_row(f"{n} reports, one {edit} edit", rebuild + ["--edit", edit])
            print(serve_row(kepu, c, a.work, n, max(5, a.runs), have_hugo, trash), flush=True)

    forget_deleted(a.work, trash, wait=False)  # the next run waits
    sample_out = os.path.join(a.work, "out-sample")
    sample = [kepu, "build", "--content", os.path.join(ROOT, "content"), "--output", sample_out,
              "--cache", os.path.join(a.work, "cache-sample"), "--theme", os.path.join(ROOT, "theme"),
              "--now", "2024-01-15"]
    subprocess.run(sample, check=True, stdout=subprocess.DEVNULL)
    print(row("sample site, caches warm", summarize([timed(sample) for _ in range(max(3, a.runs))])))


if __name__ == "__main__":
    main()
