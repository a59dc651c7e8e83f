import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// The finance bureau's spreadsheets, laid out like the paper forms: the 自评表 and the 监控表 of each project,
/// from the same models as their pages.
public enum FormWorkbooks {
    /// Writes `<folder>/evaluation/evaluation.xlsx` and `<folder>/monitoring/<MonitoringForm.fileName>` for
    /// each project; `folder(id)` is the project's folder as the site names it. Returns the paths written.
    @discardableResult
    public static func write(_ input: RenderInput, strings: UIStrings, folder: (String) -> String,
                             into sink: OutputSink) throws -> [String] {
        let x = FormText(strings: strings, language: input.content.site.language)
        var written: [String] = []
        for p in input.ledger.projects {
            let base = folder(p.project.id)
            let e = base + "/evaluation/" + EvaluationForm.fileName
            try sink.write(e, evaluation(EvaluationForm(p, text: x), text: x, created: input.now))
            written.append(e)
            if let asOf = Ledger.monitoringDate(p.project, now: input.now) {
                let form = MonitoringForm(p, asOf: asOf, text: x)
                let m = base + "/monitoring/" + form.fileName
                try sink.write(m, monitoring(form, text: x, created: input.now))
                written.append(m)
            }
        }
        return written
    }

    typealias Style = Workbook.Style
    static let head = Style(bold: true, align: .center, shaded: true)
    static let plain = Style()

    /// What both forms open with, over eleven columns: the title, the year line, print setup (the two title
    /// rows repeated on every page), 项目名称, 主管部门 and 实施单位. Returns the next free row.
    static func heading(_ s: Workbook.Sheet, title: String, subtitle: String, landscape: Bool, name: String,
                        department: String, unit: String, text x: FormText) -> Int {
        s.text(0, 0, title, Style(bold: true, size: 16, border: false, align: .center, wrap: false), to: (0, 10))
        s.height(0, 28)
        s.text(1, 0, subtitle, Style(border: false, align: .center, wrap: false), to: (1, 10))
        s.printSetup(landscape: landscape, repeatRows: 0...1)
        s.text(2, 0, x.t("project_name"), head); s.text(2, 1, name, plain, to: (2, 10))
        s.text(3, 0, x.t("department"), head); s.text(3, 1, department, plain, to: (3, 4))
        s.text(3, 5, x.t("implementing_unit"), head, to: (3, 6)); s.text(3, 7, unit, plain, to: (3, 10))
        return 4
    }
    static let centered = Style(align: .center)

    /// The 自评表 on one A4 sheet, portrait, in the page's eleven columns.
    public static func evaluation(_ f: EvaluationForm, text x: FormText, created: Day) throws -> [UInt8] {
        let book = try Workbook(title: x.t("sheet_title") + "：" + f.name, author: f.unit, created: created)
        let s = book.sheet(x.t("sheet_title"))
        s.widths([9, 8, 9, 20, 6, 9, 7, 13, 7, 8, 22])
        var r = heading(s, title: x.t("sheet_title"), subtitle: "（\(f.year)\(x.t("year_suffix"))）", landscape: false,
                        name: f.name, department: f.department, unit: f.unit, text: x)
        // 项目资金: a head row, the total, the 其中 rows.
        let fundsRows = f.sources.count + 2
        s.text(r, 0, x.t("funds_yuan"), head, to: (r + fundsRows - 1, 0))
        s.text(r, 1, "", head, to: (r, 2)); s.text(r, 3, x.t("initial_budget"), head)
        s.text(r, 4, x.t("annual_budget"), head, to: (r, 6)); s.text(r, 7, x.t("annual_spend"), head)
        s.text(r, 8, x.t("points_col"), head); s.text(r, 9, x.t("rate"), head); s.text(r, 10, x.t("score_col"), head); r += 1
        for (i, row) in ([f.total] + f.sources).enumerated() {
            s.text(r, 1, (i == 0 ? "" : x.t("of_which")) + row.label, head, to: (r, 2))
            s.figure(r, 3, row.initial); s.figure(r, 4, row.budget, to: (r, 6)); s.figure(r, 7, row.spend)
            s.figure(r, 8, row.points); s.figure(r, 9, row.rate); s.figure(r, 10, row.score)
            r += 1
        }
        s.text(r, 0, x.t("overall_goal"), head, to: (r + 1, 0))
        s.text(r, 1, x.t("expected_goal"), head, to: (r, 5)); s.text(r, 6, x.t("actual_result"), head, to: (r, 10)); r += 1
        s.text(r, 1, f.goal, plain, to: (r, 5)); s.text(r, 6, f.achieved, plain, to: (r, 10))
        s.fit(r, [(f.goal, 48), (f.achieved, 56)]); r += 1
        s.text(r, 0, x.t("indicators"), head, to: (r + f.rows.count, 0))
        for (c, key) in ["level1", "level2", "level3", "nature_col", "value_col", "unit_col", "actual_value", "points_col",
                         "score_col", "reason"].enumerated() {
            s.text(r, c + 1, x.t(key), head)
        }
        r += 1
        let first = r
        for (i, row) in f.rows.enumerated() {
            let y = first + i
            if row.level1Span > 0 { s.text(y, 1, row.level1, centered, to: (y + row.level1Span - 1, 1)) }
            if row.level2Span > 0 { s.text(y, 2, row.level2, centered, to: (y + row.level2Span - 1, 2)) }
            s.text(y, 3, row.name); s.text(y, 4, row.op, centered); s.text(y, 5, row.value, centered)
            s.text(y, 6, row.unit, centered); s.figure(y, 7, row.actual, unit: row.unit); s.figure(y, 8, row.points)
            s.figure(y, 9, row.score); s.text(y, 10, row.reason)
            s.fit(y, [(row.name, 20), (row.reason, 22), (row.actual.text, 13)])
        }
        r = first + f.rows.count
        s.text(r, 0, x.t("total_score"), head, to: (r, 7)); s.figure(r, 8, f.totalPoints, Style(bold: true))
        s.figure(r, 9, f.totalScore, Style(bold: true))
        var grade = x.t("grade") + "：" + f.grade
        if f.forecast { grade += "（" + x.t("forecast_short") + "）" }
        if let n = f.pendingNote { grade += " " + n }
        s.text(r, 10, grade); r += 1
        for item in f.review {
            s.text(r, 0, item.label, head); s.text(r, 1, item.text, plain, to: (r, 10)); s.fit(r, [(item.text, 100)]); r += 1
        }
        s.text(r, 0, f.signatures.map { $0.label + "：" + $0.text }.joined(separator: "    "),
               Style(border: false, wrap: false), to: (r, 10)); r += 1
        s.text(r, 0, x.t("sheet_foot"), Style(size: 9, border: false, wrap: false), to: (r, 10))
        return try book.bytes()
    }

    /// The 监控表 on A4 landscape, one page wide.
    public static func monitoring(_ f: MonitoringForm, text x: FormText, created: Day) throws -> [UInt8] {
        let book = try Workbook(title: x.t("monitoring_title") + "：" + f.name, author: f.unit, created: created)
        let s = book.sheet(x.t("nav_monitoring"))
        s.widths([9, 8, 9, 22, 12, 14, 18, 10, 10, 18, 16])
        var r = heading(s, title: x.t("monitoring_title"),
                        subtitle: "（\(f.year)\(x.t("year_suffix"))，\(x.t("monitoring_as_of"))：\(f.asOfText)）",
                        landscape: true, name: f.name, department: f.department, unit: f.unit, text: x)
        let fundsRows = f.sources.count + 2
        s.text(r, 0, x.t("funds_yuan"), head, to: (r + fundsRows - 1, 0))
        s.text(r, 1, "", head, to: (r, 3)); s.text(r, 4, x.t("initial_budget"), head, to: (r, 5))
        s.text(r, 6, x.t("annual_budget"), head); s.text(r, 7, f.periodText + x.t("monitoring_spend"), head, to: (r, 8))
        s.text(r, 9, x.t("rate"), head, to: (r, 10)); r += 1
        for (i, row) in ([f.total] + f.sources).enumerated() {
            s.text(r, 1, (i == 0 ? "" : x.t("of_which")) + row.label, head, to: (r, 3))
            s.figure(r, 4, row.initial, to: (r, 5)); s.figure(r, 6, row.budget); s.figure(r, 7, row.spend, to: (r, 8))
            s.figure(r, 9, row.rate, to: (r, 10))
            r += 1
        }
        s.text(r, 0, x.t("overall_goal"), head, to: (r + 1, 0))
        s.text(r, 1, x.t("expected_goal"), head, to: (r, 5)); s.text(r, 6, x.t("monitoring_goal_progress"), head, to: (r, 10)); r += 1
        s.text(r, 1, f.goal, plain, to: (r, 5)); s.text(r, 6, f.progress, plain, to: (r, 10))
        s.fit(r, [(f.goal, 60), (f.progress, 76)]); r += 1
        s.text(r, 0, x.t("indicators"), head, to: (r + f.rows.count, 0))
        for (c, key) in ["level1", "level2", "level3", "monitoring_target_value", "monitoring_actual", "monitoring_forecast",
                         "monitoring_cause", "monitoring_likelihood", "monitoring_measure", "monitoring_remark"].enumerated() {
            s.text(r, c + 1, x.t(key), head)
        }
        r += 1
        let first = r
        for (i, row) in f.rows.enumerated() {
            let y = first + i
            if row.level1Span > 0 { s.text(y, 1, row.level1, centered, to: (y + row.level1Span - 1, 1)) }
            if row.level2Span > 0 { s.text(y, 2, row.level2, centered, to: (y + row.level2Span - 1, 2)) }
            s.text(y, 3, row.name); s.text(y, 4, row.target, centered)
            s.figure(y, 5, row.actual, unit: row.unit)
            s.text(y, 6, row.forecast); s.text(y, 7, row.cause, centered); s.text(y, 8, row.likelihood, centered)
            s.text(y, 9, row.measure); s.text(y, 10, row.remark)
            s.fit(y, [(row.name, 22), (row.forecast, 18), (row.measure, 18), (row.remark, 16)])
        }
        r = first + f.rows.count
        s.text(r, 0, f.legend, Style(size: 9, border: false), to: (r, 10))
        return try book.bytes()
    }
}
