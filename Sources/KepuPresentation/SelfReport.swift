import KepuContent
import KepuCore
import KepuLedger

/// 项目支出绩效自评报告: a document a unit submits — sentences made from the figures, the tables the
/// bureau reads, and the unit's own words (`review`, each row's `reason` and `evidence`, the project's text).
public struct SelfReport: Sendable {
    public struct Table: Sendable {
        public var caption: String
        public var head: [String]
        public var rows: [[String]]
        /// Columns of figures (right-aligned).
        public var numeric: Set<Int>
    }

    /// One paragraph, table or stretch of the project's own Markdown (already HTML, escaped by the renderer).
    public struct Block: Sendable {
        public var paragraph: String?
        public var table: Table?
        public var html: String?
        static func p(_ s: String) -> Block { Block(paragraph: s) }
    }

    public struct Section: Sendable {
        public var title: String
        public var blocks: [Block]
    }

    public var title: String
    public var unit: String
    public var year: Int
    /// The year is not over: the figures are so far and the score a forecast.
    public var note: String?
    public var dateText: String
    public var sections: [Section]

    public init(_ p: ProjectLedger, now: Day, text x: FormText) {
        let project = p.project
        let f = x.format
        title = x.t("report_title", ["year": String(project.year), "name": project.name])
        unit = project.unit
        year = project.year
        dateText = f.date(project.signatures.date ?? now)
        note = p.final ? nil : x.t("report_forecast_note", ["date": f.date(now)])
        let rate = f.percent(p.execution.rate, none: FormText.dash)

        // 一、基本情况
        var basic: [Block] = [.p(x.t("report_overview", [
            "name": project.name, "department": project.department, "unit": project.unit, "year": String(project.year),
            "budget": f.money(project.budget), "funding": project.funding ?? x.t("report_funding_unknown"),
        ]))]
        if !project.body.htmlBytes.isEmpty { basic.append(Block(html: project.body.html)) }
        basic.append(.p(x.t("report_funds", [
            "budget": f.money(project.budget), "initial": f.money(project.initialBudget), "spend": f.money(p.totals.spend),
            "rate": rate, "left": f.money(p.budgetLeft),
        ])))
        let sourceHead = [x.t("report_col_source"), x.t("annual_budget"), x.t("annual_spend"), x.t("rate")]
        basic.append(Block(table: Table(caption: x.t("report_table_sources"), head: sourceHead, rows: p.sources.map {
            [$0.source.name, f.money($0.source.amount), f.money($0.spent), f.percent($0.rate, none: FormText.dash)]
        }, numeric: [1, 2, 3])))
        if !p.milestones.isEmpty {
            let met = p.milestones.filter { $0.state == .met }.count
            basic.append(.p(x.t("report_schedule", ["count": String(p.milestones.count), "met": String(met)])))
            basic.append(Block(table: Table(
                caption: x.t("report_table_schedule"),
                head: [x.t("report_col_by"), x.t("report_col_share"), x.t("report_col_required"), x.t("report_col_spent"), x.t("report_col_state")],
                rows: p.milestones.map {
                    [f.date($0.milestone.by), f.percent(Score($0.milestone.share)), f.money($0.required), f.money($0.spentByThen),
                     x.t("milestone_" + $0.state.rawValue)]
                }, numeric: [1, 2, 3])))
        }
        basic.append(.p(x.t("report_goal", ["goal": project.goal ?? FormText.dash, "count": String(project.targets.count)])))

        // 二、绩效目标实现情况
        var done: [Block] = []
        var summary = x.t("report_achieved", [
            "activities": f.count(p.totals.activities), "people": f.peopleExact(p.totals.audience),
        ])
        if let (_, m) = p.measure(of: .audience), let a = m.actual, let v = m.measure.value, v > Exact(0) {
            summary += x.t("report_achieved_share", ["percent": f.percent(a.divided(by: Score(v)).times(Score(100)))])
        }
        summary += x.t("report_achieved_rest", [
            "satisfaction": f.percent(p.totals.satisfaction, none: x.t("no_survey")), "rate": rate,
        ])
        done.append(.p(summary))
        done.append(Block(table: Table(
            caption: x.t("report_table_indicators"),
            head: [x.t("level2"), x.t("level3"), x.t("report_col_target"), x.t("actual_value"), x.t("points_col"), x.t("score_col")],
            rows: p.indicators.map {
                [$0.target.level2, $0.target.name, x.target($0.target), x.actual($0).text, f.score($0.points),
                 $0.pending ? x.t("status_pending") : f.score($0.score)]
            } + [[x.t("report_execution_row"), "", "", rate, f.score(p.execution.points), f.score(p.execution.score)]],
            numeric: [3, 4, 5])))
        for (i, ind) in p.indicators.enumerated() {
            var s = x.t("report_indicator", [
                "n": String(i + 1), "name": ind.target.name, "target": x.target(ind.target), "actual": x.actual(ind).text,
                "status": SelfReport.statusWord(ind.met, final: p.final, x),
            ])
            if let e = ind.target.evidence { s += x.t("report_evidence", ["evidence": e]) }
            done.append(.p(s))
        }

        // 三、偏差及原因
        var deviations: [Block] = []
        for ind in p.indicators where ind.met == false {
            deviations.append(.p(x.t("report_deviation", [
                "name": ind.target.name, "target": x.target(ind.target), "actual": x.actual(ind).text,
                "reason": ind.target.reason ?? x.t("report_no_reason"),
            ])))
        }
        for m in p.milestones where m.state == .missed {
            deviations.append(.p(x.t("report_milestone_missed", [
                "by": f.date(m.milestone.by), "required": f.money(m.required), "spent": f.money(m.spentByThen),
            ])))
        }
        if deviations.isEmpty { deviations.append(.p(x.t("report_no_deviation"))) }

        // 四、自评结论
        var conclusion: [Block] = [.p(x.t(p.final ? "report_score" : "report_score_forecast", [
            "score": f.score(p.score), "grade": x.grade(p.grade),
        ]))]
        if let c = project.review.conclusion { conclusion.append(.p(c)) }

        // 五、存在问题和改进措施
        var problems: [Block] = []
        if let s = project.review.problems { problems.append(.p(x.t("report_problems", ["text": s]))) }
        if let s = project.review.measures { problems.append(.p(x.t("report_measures", ["text": s]))) }
        if problems.isEmpty { problems.append(.p(x.t("report_not_given"))) }

        sections = [
            Section(title: x.t("report_s1"), blocks: basic),
            Section(title: x.t("report_s2"), blocks: done),
            Section(title: x.t("report_s3"), blocks: deviations),
            Section(title: x.t("report_s4"), blocks: conclusion),
            Section(title: x.t("report_s5"), blocks: problems),
        ]
    }

    static func statusWord(_ met: Bool?, final: Bool, _ x: FormText) -> String {
        switch met {
        case .some(true): return x.t("status_met")
        case .some(false): return final ? x.t("status_missed") : x.t("status_progress")
        case .none: return x.t("status_nodata")
        }
    }
}
