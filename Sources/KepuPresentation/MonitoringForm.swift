import KepuContent
import KepuCore
import KepuLedger

/// 项目支出绩效目标执行监控表 (财预〔2019〕136号): the project as of a date, its figures so far beside the
/// year's targets, and, per target, what staff give in `monitoring` — never a forecast of Kepu's own.
public struct MonitoringForm: Sendable {
    public struct FundsRow: Sendable {
        public var label: String
        public var initial: FormFigure?
        public var budget: FormFigure?
        public var spend: FormFigure?
        public var rate: FormFigure?
    }

    public struct IndicatorRow: Sendable {
        public var level1: String
        public var level2: String
        public var level1Span: Int
        public var level2Span: Int
        public var name: String
        /// 年度指标值 as approved: "= 10000人次".
        public var target: String
        /// 度量单位, for the workbook's number format.
        public var unit: String
        /// 截至 as_of 执行情况: the figure so far.
        public var actual: FormFigure
        /// 全年预计完成情况: staff's words, or the sentence that none was given.
        public var forecast: String
        public var forecastGiven: Bool
        public var cause: String
        public var likelihood: String
        public var measure: String
        public var remark: String
    }

    public var year: Int
    public var name: String
    public var department: String
    public var unit: String
    public var asOf: Day
    /// 2023年6月30日.
    public var asOfText: String
    /// "1—6月" as the form's column heads say it.
    public var periodText: String
    public var total: FundsRow
    public var sources: [FundsRow]
    public var goal: String
    /// 截至 as_of 的总体执行情况, generated from the figures.
    public var progress: String
    public var rows: [IndicatorRow]
    /// What the five causes and three likelihoods are, printed under the table as the national form does.
    public var legend: String

    public var fileName: String { MonitoringForm.fileName(asOf: asOf) }
    /// The workbook's file name beside the page: the date in the name, as a form of another date is another form.
    public static func fileName(asOf: Day) -> String { "monitoring-" + asOf.description + ".xlsx" }

    /// `p` is the year's ledger; the form measures it again as of `asOf` (Ledger.measure(_:asOf:)).
    public init(_ p: ProjectLedger, asOf: Day, text x: FormText) {
        let now = Ledger.measure(p, asOf: asOf)
        let project = p.project
        year = project.year
        name = project.name
        department = project.department
        unit = project.unit
        self.asOf = asOf
        asOfText = x.format.date(asOf)
        periodText = x.t("monitoring_period", ["from": x.format.shortMonth(1), "to": x.format.shortMonth(asOf.month)])
        total = FundsRow(label: x.t("funds_total"), initial: x.money(project.initialBudget), budget: x.money(project.budget),
                         spend: x.money(now.totals.spend), rate: x.percent(now.execution.rate))
        sources = EvaluationForm.sourceRows(now, x).map {
            FundsRow(label: $0.label, initial: $0.initial, budget: $0.budget, spend: $0.spend, rate: $0.rate)
        }
        goal = project.goal ?? FormText.dash
        progress = x.t("monitoring_progress", [
            "date": asOfText, "activities": x.format.count(now.totals.activities),
            "people": x.format.peopleExact(now.totals.audience), "spend": x.format.money(now.totals.spend),
            "rate": x.format.percent(now.execution.rate, none: FormText.dash),
        ])
        let spans = indicatorSpans(now.indicators)
        rows = now.indicators.enumerated().map { i, ind in
            let entry = project.monitoring.entries[i]
            let actual = x.actual(ind)
            let forecast = entry?.forecast
            return IndicatorRow(
                level1: x.group(ind.target.group), level2: ind.target.level2, level1Span: spans[i].level1,
                level2Span: spans[i].level2, name: ind.target.name, target: x.target(ind.target), unit: ind.target.unit, actual: actual,
                forecast: forecast ?? x.t("monitoring_no_forecast", ["actual": actual.text]), forecastGiven: forecast != nil,
                cause: entry?.cause?.rawValue ?? "", likelihood: entry?.likelihood?.rawValue ?? "",
                measure: entry?.measure ?? "", remark: entry?.remark ?? "")
        }
        legend = x.t("monitoring_legend", [
            "causes": DeviationCause.allCases.map(\.rawValue).joined(separator: "、"),
            "likelihoods": Likelihood.allCases.map(\.rawValue).joined(separator: "、"),
        ])
    }
}
