import KepuContent
import KepuCore
import KepuLedger

/// The open data: data/site.json, data/projects/<id>.json, data/reports.csv, data/spend.csv.
/// The schema is documented in the README; later versions only add fields.
public enum DataFiles {
    public static let schemaVersion = 1

    /// Returns the paths written.
    @discardableResult
    public static func write(_ input: RenderInput, into sink: OutputSink) throws -> [String] {
        var written: [String] = []
        for p in input.ledger.projects {
            let path = "data/projects/\(p.project.id).json"
            try sink.write(path, text: projectJSON(p).serialized(indent: 2) + "\n")
            written.append(path)
        }
        try sink.write("data/site.json", text: siteJSON(input).serialized(indent: 2) + "\n")
        try sink.write("data/reports.csv", reportsCSV(input).bytes)
        try sink.write("data/spend.csv", spendCSV(input).bytes)
        return written + ["data/site.json", "data/reports.csv", "data/spend.csv"]
    }

    static func money(_ m: Money) -> JSON { .string(m.description) }
    static func number(_ s: Score?, places: Int = 2) -> JSON { s.map { .number($0.rounded(places).description) } ?? .null }

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

    public static func projectJSON(_ p: ProjectLedger) -> JSON {
        let project = p.project
        let indicators: [JSON] = p.indicators.map { i in
            let t = i.target
            var rule: JSON = .null
            if t.rule != nil || t.ruleText != nil {
                rule = .object([
                    ("deduct", t.rule.map { .number($0.deduct.description) } ?? .null),
                    ("per", t.rule.map { .number($0.per.description) } ?? .null),
                    ("text", t.ruleText.map(JSON.string) ?? .null),
                ])
            }
            return .object([
                ("name", .string(t.name)), ("level1", .string(t.group.rawValue)), ("level2", .string(t.level2)),
                ("metric", .string(t.metric.rawValue)), ("op", .string(t.op.rawValue)),
                ("target", t.value.map { .number($0.description) } ?? .null), ("unit", .string(t.unit)),
                ("actual", number(i.actual)), ("outcome", i.outcome.map { .string($0.rawValue) } ?? .null),
                ("met", i.met.map(JSON.bool) ?? .null), ("points", number(i.points)),
                ("deduction", number(i.deduction)), ("score", number(i.score)), ("rule", rule),
                ("evidence", t.evidence.map(JSON.string) ?? .null), ("basis", t.basis.map(JSON.string) ?? .null),
            ])
        }
        return .object([
            ("schema", .int(schemaVersion)),
            ("id", .string(project.id)), ("name", .string(project.name)), ("year", .int(project.year)),
            ("unit", .string(project.unit)), ("department", .string(project.department)),
            ("funding", project.funding.map(JSON.string) ?? .null),
            ("budget", money(project.budget)), ("initial_budget", money(project.initialBudget)),
            ("budget_left", money(p.budgetLeft)),
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
            ("execution", .object([("rate", number(p.execution.rate)), ("points", number(p.execution.points)),
                                   ("score", number(p.execution.score))])),
            ("score", number(p.score)), ("grade", .string(p.grade.rawValue)), ("final", .bool(p.final)),
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
                         ("execution_rate", number(p.execution.rate)), ("score", number(p.score)),
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
            csv.row([r.slug, r.date.description, r.projectID, r.kind, r.title, r.venue ?? "", String(r.audience),
                     String(r.activities), r.totalSpend.description, r.satisfaction.map { String($0.surveyed) } ?? "",
                     r.satisfaction.map { String($0.satisfied) } ?? "", r.tags.joined(separator: ";"), r.draft ? "true" : "false"])
        }
        return csv
    }

    static func spendCSV(_ input: RenderInput) -> CSVWriter {
        var csv = CSVWriter(header: ["date", "report", "project", "kind", "title", "item", "amount"])
        for r in input.publishedReports {
            for s in r.spend {
                csv.row([r.date.description, r.slug, r.projectID, r.kind, r.title, s.item, s.amount.description])
            }
        }
        return csv
    }
}
