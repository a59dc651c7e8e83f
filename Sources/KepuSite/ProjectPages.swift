import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuTemplate

/// The project, 自评表, spend and outreach pages.
extension SiteBuild {
    func projectHeader(_ p: ProjectLedger, from path: String) -> Context {
        var c = scoreContext(p)
        c["name"] = p.project.name
        c["year"] = String(p.project.year)
        c["projectHref"] = href(projectPath(p.project.id), from: path)
        c["evaluationHref"] = href(projectPath(p.project.id, "evaluation"), from: path)
        c["selfReportHref"] = href(projectPath(p.project.id, "self-report"), from: path)
        c["monitoringHref"] = Ledger.monitoringDate(p.project, now: input.now).map { _ in href(projectPath(p.project.id, "monitoring"), from: path) } ?? false
        c["spendHref"] = href(projectPath(p.project.id, "spend"), from: path)
        c["outreachHref"] = href(projectPath(p.project.id, "outreach"), from: path)
        return c
    }

    func scheduleContext(_ p: ProjectLedger) -> Context {
        let budget = format.money(p.project.budget)
        let chart = Chart.schedule(p, now: input.now, format: format,
                                   title: t("chart_schedule_title", ["name": p.project.name]),
                                   desc: t("chart_schedule_desc", ["spend": format.money(p.totals.spend), "budget": budget,
                                                                   "met": String(p.milestones.filter { $0.state == .met }.count),
                                                                   "count": String(p.milestones.count)]),
                                   paceLabel: t("legend_pace"), spendLabel: t("legend_spend"))
        let rows: [Context] = p.milestones.map { m in
            ["by": format.date(m.milestone.by), "share": format.percent(Score(m.milestone.share)),
             "required": format.money(m.required), "spent": format.money(m.spentByThen),
             "state": t("milestone_" + m.state.rawValue), "stateClass": m.state.rawValue]
        }
        var months: [Context] = []
        var running = Money.zero
        for g in p.byMonth {
            running += g.totals.spend
            months.append(["month": format.monthKey(g.key), "amount": format.money(g.totals.spend), "cumulative": format.money(running)])
        }
        return ["svg": chart, "milestones": rows, "hasMilestones": !rows.isEmpty, "months": months]
    }

    // MARK: - Project

    func writeProject(_ p: ProjectLedger) throws {
        let path = projectPath(p.project.id)
        var c = page(path, title: p.project.name + "（\(p.project.year)）",
                     description: p.project.goal ?? p.project.body.firstParagraph, section: "project", project: p.project.id)
        c["project"] = projectHeader(p, from: path)
        var overview: Context = [
            "unit": p.project.unit, "department": p.project.department,
            "budget": format.money(p.project.budget), "initialBudget": format.money(p.project.initialBudget),
            "basis": p.project.basis, "hasBasis": !p.project.basis.isEmpty,
            "bodyHTML": p.project.body.html,
        ]
        if let f = p.project.funding { overview["funding"] = f }
        if let g = p.project.goal { overview["goal"] = g }
        c["overview"] = overview
        c["figures"] = [
            "activities": format.count(p.totals.activities) + t("unit_times"),
            "people": format.peopleExact(p.totals.audience),
            "spend": format.money(p.totals.spend),
            "rate": format.percent(p.execution.rate, none: "—"),
            "left": format.money(p.budgetLeft),
            "satisfaction": format.percent(p.totals.satisfaction, none: t("no_survey")),
            "reports": format.count(p.totals.reports),
        ] as Context
        c["targets"] = p.indicators.map { r -> Context in
            let (statusText, cls) = status(r.met, final: p.final)
            var row: Context = [
                "level1": groupLabel(r.target.group), "level2": r.target.level2, "name": r.target.name,
                "target": targetText(r.target), "actual": actualText(r), "status": statusText, "statusClass": cls,
                "points": format.score(r.points), "score": format.score(r.score),
                "rule": false, "evidence": false, "basis": false,
            ]
            if let e = r.target.evidence { row["evidence"] = e }
            if let rule = r.target.ruleText { row["rule"] = rule }
            if let basis = r.target.basis { row["basis"] = basis }
            return row
        }
        c["execution"] = [
            "rate": format.percent(p.execution.rate, none: "—"), "points": format.score(p.execution.points),
            "score": format.score(p.execution.score),
        ] as Context
        // Planned against held, by kind.
        let planRows = p.plan.map { row -> Context in
            var r: Context = ["kind": row.kind, "held": format.count(row.held)]
            r["planned"] = row.planned.map(format.count) ?? "—"
            if let planned = row.planned {
                let (s, cls) = status(row.held >= planned, final: p.final)
                r["status"] = s
                r["statusClass"] = cls
            }
            return r
        }
        c["plan"] = planRows
        c["hasPlan"] = !planRows.isEmpty
        c["planChart"] = Chart.bars(p.plan.map {
            Chart.Bar(label: $0.kind, value: Double($0.held),
                      text: t("held_of_planned", ["held": format.count($0.held), "planned": $0.planned.map(format.count) ?? "—"]),
                      reference: $0.planned.map(Double.init))
        }, title: t("chart_plan_title"), desc: p.plan.map { "\($0.kind) \($0.held)/\($0.planned.map(String.init) ?? "—")" }.joined(separator: "；"))
        c["schedule"] = scheduleContext(p)
        // The eight latest of this project's: a scan from the end that stops there, not a filter of all.
        c["reports"] = Array(infos.reversed().lazy.filter { reports[$0.index].projectID == p.project.id }.prefix(8)
            .map { reportItem($0, from: path) })
        c["hasOthers"] = ledger.projects.count > 1
        c["others"] = ledger.projects.filter { $0.project.id != p.project.id }.reversed().map {
            ["name": $0.project.name, "year": String($0.project.year), "href": href(projectPath($0.project.id), from: path)] as Context
        }
        try write(path, template: "project", context: c)
    }

    // MARK: - 自评表

    func writeEvaluation(_ p: ProjectLedger) throws {
        let path = projectPath(p.project.id, "evaluation")
        let form = EvaluationForm(p, text: formText)
        var c = page(path, title: t("evaluation_title") + "：" + p.project.name + "（\(p.project.year)）",
                     description: t("evaluation_description", ["name": p.project.name, "score": format.score(p.score)]),
                     section: "evaluation", project: p.project.id)
        c["project"] = projectHeader(p, from: path)
        c["workbookHref"] = href(SiteRenderer.projectFolder(p.project.id) + "/evaluation/" + EvaluationForm.fileName, from: path)
        c.merge(EvaluationPage.context(form)) { _, new in new }
        try write(path, template: "evaluation", context: c)
    }

    // MARK: - Spend

    func groupBars(_ groups: [GroupTotals], label: (String) -> String, value: (Totals) -> Double,
                   text: (Totals) -> String) -> [Chart.Bar] {
        groups.map { Chart.Bar(label: label($0.key), value: value($0.totals), text: text($0.totals)) }
    }

    func writeSpend(_ p: ProjectLedger) throws {
        let path = projectPath(p.project.id, "spend")
        var c = page(path, title: t("spend_title") + "：" + p.project.name + "（\(p.project.year)）",
                     description: t("spend_description", ["name": p.project.name, "spend": format.money(p.totals.spend),
                                                           "budget": format.money(p.project.budget)]),
                     section: "spend", project: p.project.id)
        c["project"] = projectHeader(p, from: path)
        c["summary"] = [
            "budget": format.money(p.project.budget), "spend": format.money(p.totals.spend),
            "left": format.money(p.budgetLeft), "rate": format.percent(p.execution.rate, none: "—"),
        ] as Context
        // Items by month (the reports are in date order). Month ledgers sit beside index.html, so the
        // same relative links serve both.
        // Rows built as typed fields: a project's ledger has a row per item, 20,000 at 10k reports.
        var months: [(key: String, items: [TemplateValue], total: Money)] = []
        for r in p.reports where !r.spend.isEmpty {
            let info = slugIndex[r.slug].map { infos[$0] }
            if months.last?.key != r.date.monthKey { months.append((r.date.monthKey, [], .zero)) }
            let date = TemplateValue.text(format.date(r.date)), title = TemplateValue.text(r.title)
            let link = info.map { TemplateValue.text(href($0.path, from: path)) } ?? .flag(false)
            for s in r.spend {
                let row: PageFields = ["date": date, "title": title,
                                       "item": .text(s.item.trimmingSpaces.isEmpty ? t("item_unnamed") : s.item),
                                       "amount": .text(format.money(s.amount)), "href": link]
                months[months.count - 1].items.append(.map(row))
                months[months.count - 1].total += s.amount
            }
        }
        let count = months.reduce(0) { $0 + $1.items.count }
        c["hasItems"] = count > 0
        if count <= SiteBuild.ledgerLimit {
            c["items"] = months.flatMap(\.items)
            c["ledgerTotal"] = format.money(p.totals.spend)
            c["oneLedger"] = true
        } else {
            // A ledger of thousands of rows is too heavy for a phone: one page per month instead.
            c["oneLedger"] = false
            c["ledgerMonths"] = months.map { m -> Context in
                ["label": format.monthKey(m.key), "count": format.count(m.items.count), "amount": format.money(m.total),
                 "href": href(projectPath(p.project.id, "spend").replacingOccurrences(of: "index.html", with: m.key + ".html"), from: path)]
            }
            for m in months {
                let mpath = path.replacingOccurrences(of: "index.html", with: m.key + ".html")
                var mc = page(mpath, title: t("spend_month_title", ["month": format.monthKey(m.key), "name": p.project.name]),
                              description: t("spend_month_description", ["month": format.monthKey(m.key), "spend": format.money(m.total)]),
                              section: "spend", project: p.project.id)
                mc["spendHref"] = href(path, from: mpath)
                mc["projectName"] = p.project.name + "（\(p.project.year)）"
                mc["items"] = m.items
                mc["ledgerTotal"] = format.money(m.total)
                try write(mpath, template: "spend-month", context: mc)
            }
        }
        let money: (Totals) -> String = { format.money($0.spend) }
        let spendKinds = p.byKind.filter { $0.totals.spend.fen > 0 }
        c["byKind"] = spendKinds.map { ["key": $0.key, "amount": money($0.totals)] as Context }
        c["kindChart"] = Chart.bars(groupBars(spendKinds, label: { $0 }, value: { Double($0.spend.fen) }, text: money),
                                    title: t("chart_spend_kind"),
                                    desc: spendKinds.map { "\($0.key) \(money($0.totals))" }.joined(separator: "；"))
        c["byMonth"] = p.byMonth.map { ["key": format.monthKey($0.key), "amount": money($0.totals)] as Context }
        c["monthChart"] = Chart.bars(groupBars(p.byMonth, label: format.monthKey, value: { Double($0.spend.fen) }, text: money),
                                     title: t("chart_spend_month"),
                                     desc: p.byMonth.map { "\(format.monthKey($0.key)) \(money($0.totals))" }.joined(separator: "；"))
        c["schedule"] = scheduleContext(p)
        try write(path, template: "spend", context: c)
    }

    // MARK: - Outreach

    func writeOutreach(_ p: ProjectLedger) throws {
        let path = projectPath(p.project.id, "outreach")
        var c = page(path, title: t("outreach_title") + "：" + p.project.name + "（\(p.project.year)）",
                     description: t("outreach_description", ["name": p.project.name, "people": format.peopleExact(p.totals.audience)]),
                     section: "outreach", project: p.project.id)
        c["project"] = projectHeader(p, from: path)
        c["summary"] = [
            "people": format.peopleExact(p.totals.audience), "activities": format.count(p.totals.activities),
            "reports": format.count(p.totals.reports),
            "satisfaction": format.percent(p.totals.satisfaction, none: t("no_survey")),
        ] as Context
        func rows(_ groups: [GroupTotals], label: (String) -> String) -> [Context] {
            groups.map {
                ["key": label($0.key), "people": format.peopleExact($0.totals.audience),
                 "activities": format.count($0.totals.activities),
                 "satisfaction": format.percent($0.totals.satisfaction, none: "—")] as Context
            }
        }
        let people: (Totals) -> String = { format.peopleExact($0.audience) }
        c["byMonth"] = rows(p.byMonth, label: format.monthKey)
        c["monthChart"] = Chart.bars(groupBars(p.byMonth, label: format.monthKey, value: { Double($0.audience) }, text: people),
                                     title: t("chart_people_month"),
                                     desc: p.byMonth.map { "\(format.monthKey($0.key)) \(people($0.totals))" }.joined(separator: "；"))
        c["byKind"] = rows(p.byKind, label: { $0 })
        c["kindChart"] = Chart.bars(groupBars(p.byKind, label: { $0 }, value: { Double($0.audience) }, text: people),
                                    title: t("chart_people_kind"),
                                    desc: p.byKind.map { "\($0.key) \(people($0.totals))" }.joined(separator: "；"))
        let unnamed = t("venue_unnamed")
        c["byVenue"] = rows(p.byVenue, label: { $0.isEmpty ? unnamed : $0 })
        try write(path, template: "outreach", context: c)
    }
}
