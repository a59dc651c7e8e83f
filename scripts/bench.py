#!/usr/bin/env python3
"""Kepu against Hugo on the same generated corpora, side by side.

    scripts/bench.py                      # 1k and 10k reports, 3 alternating runs each
    scripts/bench.py --sizes 1000 10000 100000 --runs 3

Builds Kepu in release mode, generates corpora with ../shared/bench/make_corpus.py (kept in
--work between runs), then for each size alternates a Kepu build and a Hugo build
(../shared/bench/hugo_build.sh, when `hugo` is installed) and prints the median wall time, the
median CPU time (user + system) and the largest peak memory (max RSS) of each, with Kepu/Hugo
ratios. It also times the sample site (caches warm), a no-change rebuild at the largest size
below 100k, and a one-report incremental rebuild under `kepu serve`'s rebuilder
(`kepu-bench`, a separate executable), and both tools building into an empty output folder, as on a clean clone.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

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


def corpus(work, n):
    path = os.path.join(work, f"corpus-{n}")
    if not os.path.exists(os.path.join(path, "content")):
        subprocess.run([sys.executable, os.path.join(SHARED, "make_corpus.py"), "--reports", str(n),
                        "--out", path, "--expect"], check=True)
    return path


def summarize(samples):
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples),
            max(s[2] for s in samples))


def row(label, kepu, hugo=None):
    k = f"{kepu[0]:8.2f} s {kepu[1]:8.2f} s {kepu[2]:8.0f} MiB"
    if hugo is None:
        return f"{label:<28} {k}"
    h = f"{hugo[0]:8.2f} s {hugo[1]:8.2f} s {hugo[2]:8.0f} MiB"
    ratios = f"{kepu[0] / hugo[0]:6.2f} {kepu[1] / hugo[1]:6.2f} {kepu[2] / hugo[2]:6.2f}"
    return f"{label:<28} {k}   {h}   {ratios}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.environ.get("BENCH_DIR", "/tmp/kepu-bench"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)

    for product in ("kepu", "kepu-bench"):
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    kepu = os.path.join(ROOT, ".build", "release", "kepu")
    kepu_bench = os.path.join(ROOT, ".build", "release", "kepu-bench")
    have_hugo = shutil.which("hugo") is not None
    print(f"machine: {os.cpu_count()} cores; kepu release build; hugo: {'yes' if have_hugo else 'not installed'}")
    print(f"{'':<28} {'Kepu wall':>10} {'cpu':>10} {'peak':>12}   {'Hugo wall':>10} {'cpu':>10} {'peak':>12}   "
          f"{'wall×':>6} {'cpu×':>6} {'mem×':>6}")

    for n in a.sizes:
        c = corpus(a.work, n)
        out_k = os.path.join(a.work, f"out-kepu-{n}")
        out_h = os.path.join(a.work, f"out-hugo-{n}")
        kepu_cmd = [kepu, "build", "--content", os.path.join(c, "content"), "--output", out_k,
                    "--cache", os.path.join(a.work, f"cache-{n}"), "--theme", os.path.join(ROOT, "theme"),
                    "--now", "2026-01-01"]
        hugo_cmd = ["bash", os.path.join(SHARED, "hugo_build.sh"), c, out_h]
        ks, hs = [], []
        # A first unmeasured Kepu build fills the caches (slide PNGs) as a user's second build would find them.
        subprocess.run(kepu_cmd, check=True, stdout=subprocess.DEVNULL)
        for i in range(a.runs):
            # Alternate which goes first so neither always meets a warm page cache.
            order = [("k", kepu_cmd), ("h", hugo_cmd)] if i % 2 == 0 else [("h", hugo_cmd), ("k", kepu_cmd)]
            for who, cmd in order:
                if who == "h" and not have_hugo:
                    continue
                (ks if who == "k" else hs).append(timed(cmd))
        print(row(f"{n} reports, full build", summarize(ks), summarize(hs) if hs else None), flush=True)
        if n < 100000:
            # As on a clean clone: no earlier output to reuse (Kepu keeps the replaced output beside the
            # new one and rewrites only changed files; Hugo overwrites in place). Removed outside the timing.
            ke, he = [], []
            for i in range(a.runs):
                for folder in (out_k, os.path.join(a.work, f".out-kepu-{n}.kepu-old"), out_h):
                    shutil.rmtree(folder, ignore_errors=True)
                subprocess.run(["sync"], check=False)
                ke.append(timed(kepu_cmd))
                if have_hugo:
                    he.append(timed(hugo_cmd))
            print(row(f"{n} reports, empty output", summarize(ke), summarize(he) if he else None), flush=True)
            print(row(f"{n} reports, no change", summarize([timed(kepu_cmd) for _ in range(a.runs)])), flush=True)
            rebuild = [kepu_bench, "--content", os.path.join(c, "content"),
                       "--theme", os.path.join(ROOT, "theme"), "--cache", os.path.join(a.work, f"cache-{n}"),
                       "--now", "2026-01-01"]
            p = subprocess.run(rebuild, capture_output=True, text=True)
            if p.returncode == 0:
                print(f"{str(n) + ' reports, one changed':<28} {p.stdout.strip()}", flush=True)

    sample_out = os.path.join(a.work, "out-sample")
    sample = [kepu, "build", "--content", os.path.join(ROOT, "content"), "--output", sample_out,
              "--cache", os.path.join(a.work, "cache-sample"), "--theme", os.path.join(ROOT, "theme"),
              "--now", "2024-01-15"]
    subprocess.run(sample, check=True, stdout=subprocess.DEVNULL)
    print(row("sample site, caches warm", summarize([timed(sample) for _ in range(max(3, a.runs))])))


if __name__ == "__main__":
    main()
