import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuTemplate

/// The pages of the finance bureau's forms: each context is made from a KepuPresentation form model alone,
/// the model the workbooks are made from.
enum EvaluationPage {
    static func cell(_ f: FormFigure?) -> String { f?.text ?? FormText.dash }

    static func context(_ form: EvaluationForm) -> Context {
        func funds(_ r: EvaluationForm.FundsRow) -> Context {
            ["label": r.label, "initial": cell(r.initial), "budget": cell(r.budget), "spend": cell(r.spend),
             "points": cell(r.points), "rate": cell(r.rate), "score": cell(r.score)]
        }
        let total = funds(form.total)
        let head: Context = [
            "name": form.name, "department": form.department, "unit": form.unit,
            "initialBudget": total["initial"]!, "budget": total["budget"]!, "spend": total["spend"]!,
            "points": total["points"]!, "rate": total["rate"]!, "score": total["score"]!,
            "goal": form.goal, "achieved": form.achieved,
            "sources": form.sources.map(funds), "sourceSpan": String(form.sources.count + 2),
        ]
        let rows: [Context] = form.rows.map { r in
            [
                "name": r.name, "op": r.op, "value": r.value, "unit": r.unit, "actual": r.actual.text,
                "points": r.points.text, "score": r.score.text, "reason": r.reason,
                "level1": r.level1Span > 0 ? ["text": r.level1, "span": String(r.level1Span)] as Context : false,
                "level2": r.level2Span > 0 ? ["text": r.level2, "span": String(r.level2Span)] as Context : false,
            ]
        }
        var totalRow: Context = ["points": form.totalPoints.text, "score": form.totalScore.text, "grade": form.grade]
        if let n = form.pendingNote { totalRow["pending"] = n }
        return [
            "head": head, "rows": rows, "rowSpan": String(rows.count + 1), "total": totalRow,
            "review": form.review.map { ["label": $0.label, "text": $0.text] as Context },
            "signatures": form.signatures.map { ["label": $0.label, "text": $0.text] as Context },
        ]
    }
}

extension SiteBuild {
    // MARK: - 监控表

    func writeMonitoring(_ p: ProjectLedger) throws {
        guard let asOf = Ledger.monitoringDate(p.project, now: input.now) else { return }
        let path = projectPath(p.project.id, "monitoring")
        let form = MonitoringForm(p, asOf: asOf, text: formText)
        var c = page(path, title: t("monitoring_title") + "：" + p.project.name + "（\(p.project.year)）",
                     description: t("monitoring_description", ["name": p.project.name, "date": form.asOfText]),
                     section: "monitoring", project: p.project.id)
        c["project"] = projectHeader(p, from: path)
        c["workbookHref"] = href(SiteRenderer.projectFolder(p.project.id) + "/monitoring/" + form.fileName, from: path)
        let cell = EvaluationPage.cell
        func funds(_ r: MonitoringForm.FundsRow) -> Context {
            ["label": r.label, "initial": cell(r.initial), "budget": cell(r.budget), "spend": cell(r.spend), "rate": cell(r.rate)]
        }
        c["form"] = [
            "year": String(form.year), "name": form.name, "department": form.department, "unit": form.unit,
            "asOf": form.asOfText, "period": form.periodText, "total": funds(form.total), "sources": form.sources.map(funds),
            "sourceSpan": String(form.sources.count + 2), "goal": form.goal, "progress": form.progress,
            "rowSpan": String(form.rows.count + 1), "legend": form.legend,
            "rows": form.rows.map { r -> Context in
                [
                    "name": r.name, "target": r.target, "actual": r.actual.text, "forecast": r.forecast,
                    "noForecast": !r.forecastGiven, "cause": r.cause, "likelihood": r.likelihood, "measure": r.measure,
                    "remark": r.remark,
                    "level1": r.level1Span > 0 ? ["text": r.level1, "span": String(r.level1Span)] as Context : false,
                    "level2": r.level2Span > 0 ? ["text": r.level2, "span": String(r.level2Span)] as Context : false,
                ]
            },
        ] as Context
        try write(path, template: "monitoring", context: c)
    }

    // MARK: - 自评报告

    func writeSelfReport(_ p: ProjectLedger) throws {
        let path = projectPath(p.project.id, "self-report")
        let report = SelfReport(p, now: input.now, text: formText)
        var c = page(path, title: report.title, description: t("report_description", ["name": p.project.name]),
                     section: "self-report", project: p.project.id)
        c["project"] = projectHeader(p, from: path)
        c["report"] = [
            "title": report.title, "unit": report.unit, "date": report.dateText,
            "note": report.note ?? false,
            "sections": report.sections.map { s -> Context in
                [
                    "title": s.title,
                    "blocks": s.blocks.map { b -> Context in
                        var block: Context = ["paragraph": b.paragraph ?? false, "html": b.html ?? false, "table": false]
                        if let table = b.table {
                            block["table"] = [
                                "caption": table.caption,
                                "head": table.head.enumerated().map { ["text": $1, "num": table.numeric.contains($0)] as Context },
                                "rows": table.rows.map { row in
                                    ["cells": row.enumerated().map { ["text": $1, "num": table.numeric.contains($0)] as Context }] as Context
                                },
                            ] as Context
                        }
                        return block
                    },
                ]
            },
        ] as Context
        try write(path, template: "self-report", context: c)
    }
}
