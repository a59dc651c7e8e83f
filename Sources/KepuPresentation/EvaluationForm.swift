import KepuContent
import KepuCore
import KepuLedger

/// 项目支出绩效自评表 (财预〔2020〕10号), row by row as the national form lays it out: what the page and the
/// workbook both show.
public struct EvaluationForm: Sendable {
    /// A 项目资金 row: 年度资金总额 or a 其中 row (its label the source's name, without 其中：). nil cells print "—".
    public struct FundsRow: Sendable {
        public var label: String
        public var initial: FormFigure?
        public var budget: FormFigure?
        public var spend: FormFigure?
        public var points: FormFigure?
        public var rate: FormFigure?
        public var score: FormFigure?
    }

    public struct IndicatorRow: Sendable {
        public var level1: String
        public var level2: String
        /// Rows the 一级 / 二级 cell spans from this row; 0 where a cell above covers it.
        public var level1Span: Int
        public var level2Span: Int
        public var name: String
        /// 指标性质 as approved ("=", "≥"); empty without a value.
        public var op: String
        /// 指标值 exactly as approved ("10000"); empty when none.
        public var value: String
        public var unit: String
        public var actual: FormFigure
        public var points: FormFigure
        /// 待评 rows show words, not 0.
        public var score: FormFigure
        public var reason: String
    }

    public struct Labeled: Sendable {
        public var label: String
        public var text: String
    }

    public var year: Int
    public var name: String
    public var department: String
    public var unit: String
    public var total: FundsRow
    public var sources: [FundsRow]
    public var goal: String
    public var achieved: String
    public var rows: [IndicatorRow]
    public var totalPoints: FormFigure
    public var totalScore: FormFigure
    public var grade: String
    /// The year is not over: the total is a forecast.
    public var forecast: Bool
    public var pendingNote: String?
    public var review: [Labeled]
    public var signatures: [Labeled]

    /// The workbook's file name beside the page.
    public static let fileName = "evaluation.xlsx"

    public init(_ p: ProjectLedger, text x: FormText) {
        let project = p.project
        year = project.year
        name = project.name
        department = project.department
        unit = project.unit
        total = FundsRow(label: x.t("funds_total"), initial: x.money(project.initialBudget), budget: x.money(project.budget),
                         spend: x.money(p.totals.spend), points: x.score(p.execution.points), rate: x.percent(p.execution.rate),
                         score: x.score(p.execution.score))
        sources = EvaluationForm.sourceRows(p, x)
        goal = project.goal ?? FormText.dash
        achieved = x.t("evaluation_achieved", [
            "activities": x.format.count(p.totals.activities), "people": x.format.peopleExact(p.totals.audience),
            "spend": x.format.money(p.totals.spend), "rate": x.format.percent(p.execution.rate, none: FormText.dash),
            "satisfaction": x.format.percent(p.totals.satisfaction, none: x.t("no_survey")),
        ])
        let spans = indicatorSpans(p.indicators)
        rows = zip(p.indicators, spans).map { ind, span in
            IndicatorRow(level1: x.group(ind.target.group), level2: ind.target.level2, level1Span: span.level1,
                         level2Span: span.level2, name: ind.target.name,
                         op: ind.target.valueText == nil ? "" : ind.target.op.symbol, value: ind.target.valueText ?? "",
                         unit: ind.target.unit, actual: x.actual(ind), points: x.score(ind.points),
                         score: ind.pending ? x.words(x.t("status_pending")) : x.score(ind.score),
                         reason: ind.target.reason ?? "")
        }
        totalPoints = x.score(p.indicators.reduce(p.execution.points) { $0 + $1.points })
        totalScore = x.score(p.score)
        grade = x.grade(p.grade)
        forecast = !p.final
        pendingNote = p.pendingCount > 0 ? x.t("pending_left_out", ["count": String(p.pendingCount)]) : nil
        let review = project.review
        self.review = [
            Labeled(label: x.t("review_conclusion"), text: review.conclusion ?? ""),
            Labeled(label: x.t("review_problems"), text: review.problems ?? ""),
            Labeled(label: x.t("review_measures"), text: review.measures ?? ""),
        ]
        let sig = project.signatures
        signatures = [
            Labeled(label: x.t("sign_leader"), text: sig.leader ?? ""),
            Labeled(label: x.t("sign_finance"), text: sig.finance ?? ""),
            Labeled(label: x.t("sign_filled_by"), text: sig.filledBy ?? ""),
            Labeled(label: x.t("sign_phone"), text: sig.phone ?? ""),
            Labeled(label: x.t("sign_date"), text: sig.date.map(x.format.date) ?? ""),
        ]
    }

    /// 项目资金 其中 rows: the national form's three (当年财政拨款, 上年结转资金, 其他资金) always, "—" where the
    /// project has none, then any other source the project names.
    static func sourceRows(_ p: ProjectLedger, _ x: FormText) -> [FundsRow] {
        let standard = ["当年财政拨款", "上年结转资金", "其他资金"]
        func row(_ label: String, _ s: SourceResult?) -> FundsRow {
            guard let s else { return FundsRow(label: label) }
            // 年初预算数 per source is known only when the budget was not adjusted during the year.
            let initial = p.project.initialBudget == p.project.budget ? x.money(s.source.amount) : nil
            return FundsRow(label: label, initial: initial, budget: x.money(s.source.amount), spend: x.money(s.spent),
                            rate: s.rate.map { x.percent($0) })
        }
        var rows = standard.map { name in row(name, p.sources.first { $0.source.name == name }) }
        for s in p.sources where !standard.contains(s.source.name) { rows.append(row(s.source.name, s)) }
        return rows
    }
}
