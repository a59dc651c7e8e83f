import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// The open data: data/site.json, data/projects/<id>.json, data/reports.csv, data/spend.csv,
/// data/indicators.csv, data/sources.csv.
/// The schema is documented in the README; later versions only add fields.
public enum DataFiles {
    public static let schemaVersion = 1

    /// Returns the paths written.
    @discardableResult
    public static func write(_ input: RenderInput, into sink: OutputSink) throws -> [String] {
        var written: [String] = []
        for p in input.ledger.projects {
            let path = "data/projects/\(p.project.id).json"
            try sink.write(path, projectJSON(p, now: input.now).bytes(indent: 2) + [0x0A])
            written.append(path)
        }
        try sink.write("data/site.json", siteJSON(input).bytes(indent: 2) + [0x0A])
        try sink.write("data/reports.csv", reportsCSV(input).bytes)
        try sink.write("data/spend.csv", spendCSV(input).bytes)
        try sink.write("data/indicators.csv", indicatorsCSV(input).bytes)
        try sink.write("data/sources.csv", sourcesCSV(input).bytes)
        return written + ["data/site.json", "data/reports.csv", "data/spend.csv", "data/indicators.csv", "data/sources.csv"]
    }

    static func money(_ m: Money) -> JSON { .string(m.description) }
    /// A measured figure or rate: two decimals, cut, the same digits the pages and the screen show.
    static func number(_ s: Score?) -> JSON { s.map { .number(Figures.dataNumber($0)) } ?? .null }
    /// Points and scores: already rounded half up to two decimals by the ledger, as the form prints them.
    static func points(_ s: Score) -> JSON { .number(Figures.dataPoints(s)) }
    static func text(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }

    static func ruleJSON(_ rule: DeductionRule?, text: String?) -> JSON {
        guard rule != nil || text != nil else { return .null }
        return .object([
            ("deduct", rule.map { .number($0.deduct.description) } ?? .null),
            ("per", rule.map { .number($0.per.description) } ?? .null),
            ("of", rule?.of.map { .number($0.description) } ?? .null),
            ("text", text.map(JSON.string) ?? .null),
        ])
    }

    static func measureJSON(_ m: MeasureResult) -> JSON {
        let x = m.measure
        return .object([
            ("metric", .string(x.metric.rawValue)), ("kinds", x.kinds.map { .array($0.map(JSON.string)) } ?? .null),
            ("op", .string(x.op.rawValue)), ("value", text(x.valueText)), ("target", x.value.map { .number($0.description) } ?? .null),
            ("unit", .string(x.unit)), ("direction", .string(x.direction.rawValue)),
            ("actual", number(m.actual)), ("outcome", m.outcome.map { .string($0.rawValue) } ?? .null),
            ("percent", x.percent.map { .number($0.description) } ?? .null), ("pending", .bool(m.pending)),
            ("met", m.met.map(JSON.bool) ?? .null), ("deduction", number(m.deduction)), ("rule", ruleJSON(x.rule, text: nil)),
        ])
    }

    static func totalsJSON(_ t: Totals) -> JSON {
        .object([
            ("reports", .int(t.reports)), ("activities", .int(t.activities)), ("audience", .int(t.audience)),
            ("spend", money(t.spend)), ("surveyed", .int(t.surveyed)), ("satisfied", .int(t.satisfied)),
            ("satisfaction", number(t.satisfaction)),
        ])
    }

    static func groupJSON(_ g: GroupTotals, key: String) -> JSON {
        guard case let .object(pairs) = totalsJSON(g.totals) else { return .null }
        return .object([(key, .string(g.key))] + pairs)
    }

    /// The 监控表's figures: the project measured as of its monitoring date, with staff's entries; null
    /// before the year's first month end.
    static func monitoringJSON(_ p: ProjectLedger, now: Day) -> JSON {
        guard let asOf = Ledger.monitoringDate(p.project, now: now) else { return .null }
        let then = Ledger.measure(p, asOf: asOf)
        return .object([
            ("as_of", .string(asOf.description)),
            ("totals", totalsJSON(then.totals)),
            ("execution_rate", number(then.execution.rate)),
            ("sources", .array(then.sources.map { s in
                .object([("name", .string(s.source.name)), ("amount", money(s.source.amount)), ("spent", money(s.spent)),
                         ("rate", number(s.rate))])
            })),
            ("indicators", .array(then.indicators.enumerated().map { i, r in
                let e = p.project.monitoring.entries[i]
                return .object([
                    ("name", .string(r.target.name)), ("actual", number(r.actual)),
                    ("outcome", r.outcome.map { .string($0.rawValue) } ?? .null),
                    ("measures", r.target.hasMeasureList ? .array(r.measures.map { number($0.actual) }) : .null),
                    ("forecast", text(e?.forecast)), ("cause", text(e?.cause?.rawValue)),
                    ("likelihood", text(e?.likelihood?.rawValue)), ("measure", text(e?.measure)), ("remark", text(e?.remark)),
                ])
            })),
        ])
    }

    public static func projectJSON(_ p: ProjectLedger, now: Day) -> JSON {
        let project = p.project
        let indicators: [JSON] = p.indicators.map { i in
            let t = i.target
            return .object([
                ("name", .string(t.name)), ("level1", .string(t.group.rawValue)), ("level2", .string(t.level2)),
                ("nature", text(t.nature)), ("content", text(t.content)),
                ("metric", t.metric.map { .string($0.rawValue) } ?? .null), ("op", .string(t.op.rawValue)),
                ("value", text(t.valueText)), ("target", t.value.map { .number($0.description) } ?? .null),
                ("unit", .string(t.unit)), ("direction", t.hasMeasureList ? .null : .string(t.measures[0].direction.rawValue)),
                ("actual", number(i.actual)), ("outcome", i.outcome.map { .string($0.rawValue) } ?? .null),
                ("percent", t.hasMeasureList ? .null : t.measures[0].percent.map { .number($0.description) } ?? .null),
                ("pending", .bool(i.pending)), ("met", i.met.map(JSON.bool) ?? .null), ("points", points(i.points)),
                ("deduction", number(i.deduction)), ("score", points(i.score)), ("rule", ruleJSON(t.rule, text: t.ruleText)),
                ("measures", t.hasMeasureList ? .array(i.measures.map(measureJSON)) : .null),
                ("evidence", text(t.evidence)), ("basis", text(t.basis)), ("reason", text(t.reason)),
            ])
        }
        let review = project.review
        let sig = project.signatures
        return .object([
            ("schema", .int(schemaVersion)),
            ("id", .string(project.id)), ("name", .string(project.name)), ("year", .int(project.year)),
            ("unit", .string(project.unit)), ("department", .string(project.department)),
            ("funding", project.funding.map(JSON.string) ?? .null),
            ("budget", money(project.budget)), ("initial_budget", money(project.initialBudget)),
            ("budget_left", money(p.budgetLeft)),
            ("sources", .array(p.sources.map { s in
                .object([("name", .string(s.source.name)), ("amount", money(s.source.amount)), ("spent", money(s.spent)),
                         ("rate", number(s.rate))])
            })),
            ("totals", totalsJSON(p.totals)),
            ("by_kind", .array(p.byKind.map { groupJSON($0, key: "kind") })),
            ("by_month", .array(p.byMonth.map { groupJSON($0, key: "month") })),
            ("by_venue", .array(p.byVenue.map { groupJSON($0, key: "venue") })),
            ("plan", .array(p.plan.map { .object([("kind", .string($0.kind)), ("planned", $0.planned.map(JSON.int) ?? .null), ("held", .int($0.held))]) })),
            ("schedule", .array(p.milestones.map { m in
                .object([("by", .string(m.milestone.by.description)), ("share", .number(m.milestone.share.description)),
                         ("required", money(m.required)), ("spent", money(m.spentByThen)), ("state", .string(m.state.rawValue))])
            })),
            ("indicators", .array(indicators)),
            ("execution", .object([("rate", number(p.execution.rate)), ("points", points(p.execution.points)),
                                   ("score", points(p.execution.score))])),
            ("score", points(p.score)), ("grade", .string(p.grade.rawValue)), ("final", .bool(p.final)),
            ("pending", .int(p.pendingCount)),
            ("review", .object([("conclusion", text(review.conclusion)), ("problems", text(review.problems)),
                                ("measures", text(review.measures))])),
            ("signatures", .object([("leader", text(sig.leader)), ("finance", text(sig.finance)),
                                    ("filled_by", text(sig.filledBy)), ("phone", text(sig.phone)),
                                    ("date", text(sig.date?.description))])),
            ("monitoring", monitoringJSON(p, now: now)),
            ("reports", .array(p.reports.map { .string($0.slug) })),
        ])
    }

    static func siteJSON(_ input: RenderInput) -> JSON {
        let site = input.content.site
        let ledger = input.ledger
        var period: JSON = .null
        if let p = ledger.period, let totals = ledger.periodTotals, let budget = ledger.periodBudget {
            period = .object([("from", .int(p.from)), ("to", .int(p.to)), ("goal", p.goal.map(JSON.string) ?? .null),
                              ("budget", money(budget)), ("totals", totalsJSON(totals))])
        }
        return .object([
            ("schema", .int(schemaVersion)),
            ("title", .string(site.title)), ("unit", .string(site.unit)), ("language", .string(site.languageTag)),
            ("example", .bool(site.example)), ("as_of", .string(input.now.description)),
            ("projects", .array(ledger.projects.map { p in
                .object([("id", .string(p.project.id)), ("name", .string(p.project.name)), ("year", .int(p.project.year)),
                         ("budget", money(p.project.budget)), ("totals", totalsJSON(p.totals)),
                         ("execution_rate", number(p.execution.rate)), ("score", points(p.score)),
                         ("grade", .string(p.grade.rawValue)), ("final", .bool(p.final)),
                         ("url", .string("data/projects/\(p.project.id).json"))])
            })),
            ("overall", .object([("budget", money(ledger.overallBudget)), ("totals", totalsJSON(ledger.overall))])),
            ("period", period),
        ])
    }

    static func reportsCSV(_ input: RenderInput) -> CSVWriter {
        var csv = CSVWriter(header: ["slug", "date", "project", "kind", "title", "venue", "audience", "activities",
                                     "spend", "surveyed", "satisfied", "tags", "draft"])
        for r in input.publishedReports {
            // Cell by cell: no array per row (10,000 rows).
            csv.add(r.slug)
            csv.add(r.date.description)
            csv.add(r.projectID)
            csv.add(r.kind)
            csv.add(r.title)
            csv.add(r.venue ?? "")
            csv.add(String(r.audience))
            csv.add(String(r.activities))
            csv.add(r.totalSpend.description)
            csv.add(r.satisfaction.map { String($0.surveyed) } ?? "")
            csv.add(r.satisfaction.map { String($0.satisfied) } ?? "")
            csv.add(r.tags.joined(separator: ";"))
            csv.add(r.draft ? "true" : "false")
            csv.endRow()
        }
        return csv
    }

    static func spendCSV(_ input: RenderInput) -> CSVWriter {
        var csv = CSVWriter(header: ["date", "report", "project", "kind", "title", "item", "amount"])
        for r in input.publishedReports {
            guard !r.spend.isEmpty else { continue }
            let date = r.date.description
            for s in r.spend {
                csv.add(date)
                csv.add(r.slug)
                csv.add(r.projectID)
                csv.add(r.kind)
                csv.add(r.title)
                csv.add(s.item)
                csv.add(s.amount.description)
                csv.endRow()
            }
        }
        return csv
    }

    /// Every project's target table, one row per approved row, as the 自评表 prints it.
    static func indicatorsCSV(_ input: RenderInput) -> CSVWriter {
        var csv = CSVWriter(header: ["project", "level1", "level2", "name", "nature", "op", "value", "unit", "actual",
                                     "points", "score", "met", "pending", "reason"])
        for p in input.ledger.projects {
            for i in p.indicators {
                let t = i.target
                let actual = i.measures.map { m -> String in
                    if m.pending { return "" }  // the `pending` column says so
                    if let o = m.outcome { return o.rawValue }
                    return m.actual.map { Figures.quantity($0, unit: m.measure.unit) } ?? ""
                }.joined(separator: "；")
                csv.row([p.project.id, t.group.rawValue, t.level2, t.name, t.nature ?? "", t.op.rawValue, t.valueText ?? "",
                         t.unit, actual, Figures.score(i.points), Figures.score(i.score),
                         i.met.map { $0 ? "true" : "false" } ?? "", i.pending ? "true" : "false", t.reason ?? ""])
            }
        }
        return csv
    }

    /// 项目资金 其中 rows: each project's funding sources with what was paid from them.
    static func sourcesCSV(_ input: RenderInput) -> CSVWriter {
        var csv = CSVWriter(header: ["project", "source", "amount", "spent", "rate"])
        for p in input.ledger.projects {
            for s in p.sources {
                csv.row([p.project.id, s.source.name, s.source.amount.description, s.spent.description,
                         s.rate.map { Figures.percentNumber($0) } ?? ""])
            }
        }
        return csv
    }
}
