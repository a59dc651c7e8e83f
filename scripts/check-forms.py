#!/usr/bin/env python3
"""Checks the finance bureau's workbooks of a built site.

Usage: check-forms.py PUBLIC_DIR [ARTIFACTS_DIR]

- openpyxl reads every projects/<id>/evaluation/evaluation.xlsx and monitoring/monitoring-<date>.xlsx back: each
  figure equals the project's data JSON (data/projects/<id>.json) and is stored as a number, the merged cells
  and the print settings (A4, one page wide, title rows repeated) are as intended;
- LibreOffice (headless, one start for all workbooks) converts each to PDF: A4 and one page wide (pdfinfo: as
  many pages as the sheet is tall, here one), and a PNG of each (pdftoppm) is kept in ARTIFACTS_DIR.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal

import openpyxl

failures = []


def fail(msg):
    failures.append(msg)


def number(cell, where):
    """The cell's value as a Decimal; a failure unless it is stored as a number."""
    v = cell.value
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        fail(f"{where}: {cell.coordinate} is {v!r}, not a number")
        return None
    return Decimal(repr(v)).quantize(Decimal("0.01"))


def same(cell, expected, where):
    got = number(cell, where)
    if got is not None and got != Decimal(str(expected)).quantize(Decimal("0.01")):
        fail(f"{where}: {cell.coordinate} is {got}, the data JSON says {expected}")


def find_row(ws, col, text):
    for row in ws.iter_rows(min_col=col, max_col=col):
        if row[0].value == text:
            return row[0].row
    return None


def check_print(ws, where, landscape):
    ps = ws.page_setup
    if str(ps.paperSize) != "9":
        fail(f"{where}: paper size {ps.paperSize}, not A4 (9)")
    if ps.orientation != ("landscape" if landscape else "portrait"):
        fail(f"{where}: orientation {ps.orientation}")
    if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage:
        fail(f"{where}: not fitted to the page")
    if ps.fitToWidth not in (1, None) or ps.fitToHeight != 0:
        fail(f"{where}: fit {ps.fitToWidth} wide × {ps.fitToHeight} tall, not one page wide")
    if (ws.print_title_rows or "").replace("$", "") != "1:2":
        fail(f"{where}: repeated rows {ws.print_title_rows!r}, not 1:2")


def indicator_merges(ws, first, spans, col):
    merged = {str(r) for r in ws.merged_cells.ranges}
    for i, n in enumerate(spans):
        if n > 1:
            ref = f"{col}{first + i}:{col}{first + i + n - 1}"
            if ref not in merged:
                fail(f"{ws.title}: {ref} should be merged")


def spans(names):
    out = []
    i = 0
    while i < len(names):
        j = i
        while j < len(names) and names[j] == names[i]:
            j += 1
        out += [j - i] + [0] * (j - i - 1)
        i = j
    return out


def check_evaluation(path, data):
    where = os.path.relpath(path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    check_print(ws, where, landscape=False)
    if "A1:K1" not in {str(r) for r in ws.merged_cells.ranges}:
        fail(f"{where}: the title A1:K1 is not merged")
    r = find_row(ws, 2, "年度资金总额")
    if not r:
        return fail(f"{where}: no 年度资金总额 row")
    same(ws.cell(r, 4), data["initial_budget"], where)
    same(ws.cell(r, 5), data["budget"], where)
    same(ws.cell(r, 8), data["totals"]["spend"], where)
    same(ws.cell(r, 9), data["execution"]["points"], where)
    same(ws.cell(r, 10), data["execution"]["rate"], where)
    same(ws.cell(r, 11), data["execution"]["score"], where)
    for k, s in enumerate(data["sources"]):
        sr = find_row(ws, 2, "其中：" + s["name"])
        if not sr:
            fail(f"{where}: no row for the source {s['name']}")
            continue
        same(ws.cell(sr, 5), s["amount"], where)
        same(ws.cell(sr, 8), s["spent"], where)
        if s["rate"] is not None:
            same(ws.cell(sr, 10), s["rate"], where)
    head = find_row(ws, 4, "三级指标")
    first = head + 1
    inds = data["indicators"]
    for i, ind in enumerate(inds):
        y = first + i
        if ws.cell(y, 4).value != ind["name"]:
            fail(f"{where}: row {y} is {ws.cell(y, 4).value!r}, not {ind['name']!r}")
        same(ws.cell(y, 9), ind["points"], where)
        if ind["pending"]:
            if ws.cell(y, 10).value != "待评":
                fail(f"{where}: row {y} is pending but shows {ws.cell(y, 10).value!r}")
        else:
            same(ws.cell(y, 10), ind["score"], where)
        if ind["actual"] is not None:
            same(ws.cell(y, 8), ind["actual"], where)
    indicator_merges(ws, first, spans([i["level1"] for i in inds]), "B")
    indicator_merges(ws, first, spans([(i["level1"], i["level2"]) for i in inds]), "C")
    t = find_row(ws, 1, "总分")
    if not t:
        return fail(f"{where}: no 总分 row")
    same(ws.cell(t, 10), data["score"], where)


def check_monitoring(path, data):
    where = os.path.relpath(path)
    m = data["monitoring"]
    if not m:
        return fail(f"{where}: a workbook, but the data JSON has no monitoring")
    if not path.endswith(f"monitoring-{m['as_of']}.xlsx"):
        fail(f"{where}: the file is not named for {m['as_of']}")
    ws = openpyxl.load_workbook(path).worksheets[0]
    check_print(ws, where, landscape=True)
    r = find_row(ws, 2, "年度资金总额")
    if not r:
        return fail(f"{where}: no 年度资金总额 row")
    same(ws.cell(r, 7), data["budget"], where)
    same(ws.cell(r, 8), m["totals"]["spend"], where)
    if m["execution_rate"] is not None:
        same(ws.cell(r, 10), m["execution_rate"], where)
    first = find_row(ws, 4, "三级指标") + 1
    for i, ind in enumerate(m["indicators"]):
        y = first + i
        if ws.cell(y, 4).value != ind["name"]:
            fail(f"{where}: row {y} is {ws.cell(y, 4).value!r}, not {ind['name']!r}")
        if ind["actual"] is not None:
            same(ws.cell(y, 6), ind["actual"], where)
        forecast = ws.cell(y, 7).value or ""
        if ind["forecast"] is not None and forecast != ind["forecast"]:
            fail(f"{where}: row {y} forecast {forecast!r}, the data JSON says {ind['forecast']!r}")
        if ind["forecast"] is None and "未填报" not in forecast:
            fail(f"{where}: row {y} has no forecast and does not say so: {forecast!r}")
        for col, key in ((8, "cause"), (9, "likelihood"), (10, "measure"), (11, "remark")):
            if (ws.cell(y, col).value or None) != ind[key]:
                fail(f"{where}: row {y} {key} {ws.cell(y, col).value!r}, the data JSON says {ind[key]!r}")


def convert(books, artifacts):
    """One LibreOffice start for all workbooks (its first start is slow); pdfinfo and a PNG of each."""
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = os.path.join(tmp, "pdf")
        # Each workbook's name is unique only with its project: copy them flat under unique names first.
        flat = []
        for i, b in enumerate(books):
            name = os.path.join(tmp, f"{i:02d}-" + os.path.basename(b))
            with open(b, "rb") as src, open(name, "wb") as dst:
                dst.write(src.read())
            flat.append(name)
        run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                              "--convert-to", "pdf", "--outdir", pdfs] + flat,
                             capture_output=True, text=True, timeout=600)
        for b, name in zip(books, flat):
            pdf = os.path.join(pdfs, os.path.splitext(os.path.basename(name))[0] + ".pdf")
            if not os.path.isfile(pdf):
                fail(f"{b}: LibreOffice made no PDF ({run.stderr.strip()[:200]})")
                continue
            info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
            pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
            w, h = (float(x) for x in re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
            a4 = sorted((round(w), round(h))) == [595, 842]
            print(f"{os.path.relpath(b)}: {pages} page(s), {w:.0f} x {h:.0f} pt")
            if not a4:
                fail(f"{b}: LibreOffice prints it on {w:.0f} x {h:.0f} pt, not A4")
            # The sample's forms are short: one page wide and one tall. A sheet wider than the page would
            # have spilled onto a second page across.
            if pages != 1:
                fail(f"{b}: LibreOffice prints it on {pages} pages, not one")
            stem = os.path.join(artifacts, os.path.splitext(os.path.basename(name))[0])
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", pdf, stem], check=False)
            with open(pdf, "rb") as src, open(stem + ".pdf", "wb") as dst:
                dst.write(src.read())


def main():
    if len(sys.argv) not in (2, 3) or not os.path.isdir(sys.argv[1]):
        print(__doc__)
        return 2
    root = sys.argv[1]
    artifacts = sys.argv[2] if len(sys.argv) == 3 else os.path.join("artifacts", "forms")
    os.makedirs(artifacts, exist_ok=True)
    books = []
    for data_path in sorted(glob.glob(os.path.join(root, "data", "projects", "*.json"))):
        data = json.load(open(data_path, encoding="utf-8"))
        folder = os.path.join(root, "projects", data["id"])
        e = os.path.join(folder, "evaluation", "evaluation.xlsx")
        if not os.path.isfile(e):
            fail(f"{data['id']}: no 自评表 workbook")
        else:
            check_evaluation(e, data)
            books.append(e)
        found = glob.glob(os.path.join(folder, "monitoring", "*.xlsx"))
        if data["monitoring"] and len(found) != 1:
            fail(f"{data['id']}: {len(found)} 监控表 workbooks, expected one")
        for m in found:
            check_monitoring(m, data)
            books.append(m)
    if not books:
        fail("no workbooks found")
    else:
        convert(books, artifacts)
    for f in failures:
        print("FAIL:", f)
    print(f"check-forms: {len(books)} workbooks, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
