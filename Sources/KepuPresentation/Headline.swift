import KepuContent
import KepuCore
import KepuLedger

/// A headline figure of a project against its target: what an LED slide and the text strip show, built once
/// from the ledger with the one set of figure rules and the UI words, so a screen never words or rounds a
/// figure its own way.
public struct HeadlineFigure: Sendable, Equatable {
    public enum Status: Sendable, Equatable { case met, behind, over, none }
    public enum Kind: Sendable, Equatable { case activities, people, spend, satisfaction }

    public var kind: Kind
    public var label: String
    /// The figure, big: "1.05万人次".
    public var value: String
    /// What the figure rests on, small: "合计 10,530 人次".
    public var detail: String?
    /// "年度目标 = 10000人次": the approved value as the target table writes it.
    public var target: String?
    public var status: Status
    /// "已达标", "完成目标的 87.50%".
    public var statusText: String?
    /// How full the bar is, 0…1; nil for no bar.
    public var fraction: Double?
    /// The figure in one line for a text strip, without ¥ (font-chip cards lack it; 元 says the same).
    public var line: String

    public init(kind: Kind, label: String, value: String, detail: String?, target: String?, status: Status,
                statusText: String?, fraction: Double?, line: String) {
        self.kind = kind
        self.label = label
        self.value = value
        self.detail = detail
        self.target = target
        self.status = status
        self.statusText = statusText
        self.fraction = fraction
        self.line = line
    }
}

public enum Headline {
    /// Activities, people served, spending and satisfaction of `ledger`, each against the measure of the
    /// table that judges it (one for the whole project, no `kinds`). Spending is judged only by a row that
    /// caps it or judges execution: spending under the budget is not in itself a target missed.
    public static func figures(_ ledger: ProjectLedger, words: UIStrings, format: FigureFormat) -> [HeadlineFigure] {
        let t = ledger.totals
        func measure(_ metrics: [Metric]) -> MeasureResult? {
            for m in metrics {
                if let found = ledger.measure(of: m), found.measure.measure.value != nil { return found.measure }
            }
            return nil
        }
        func target(_ m: MeasureResult, _ key: String = "led_target") -> String {
            words.t(key, ["value": Figures.approved(m.measure.op, m.measure.valueText, unit: m.measure.unit)])
        }
        func status(_ m: MeasureResult?, progress: Score?) -> (HeadlineFigure.Status, String?) {
            guard let m, let met = m.met else { return (.none, nil) }
            if met { return (.met, words.t("led_met")) }
            if m.measure.direction == .down { return (.over, words.t("led_over")) }
            if let progress { return (.behind, words.t("led_progress", ["percent": format.percent(progress)])) }
            return (.behind, words.t("led_behind"))
        }
        func progress(_ actual: Score, _ m: MeasureResult?) -> Score? {
            m.flatMap { r in r.measure.value.map { actual.divided(by: Score($0)).times(Score(100)) } }
        }
        func line(_ f: HeadlineFigure, _ text: String) -> String {
            // A strip is one tight line: in Chinese the spaces around a sign go (年度目标≥10次).
            let squeeze: (String) -> String = { format.language == .zhCN ? $0.replacingOccurrences(of: " ", with: "") : $0 }
            return text + (f.target.map { words.t("strip_target", ["target": squeeze($0)]) } ?? "")
        }
        var out: [HeadlineFigure] = []

        do {
            let row = measure([.activities])
            let p = progress(Score(t.activities), row)
            let (s, text) = status(row, progress: p)
            var f = HeadlineFigure(kind: .activities, label: words.t("led_activities"),
                                   value: words.t("led_times", ["count": format.count(t.activities)]),
                                   detail: words.t("led_reports", ["count": format.count(t.reports)]),
                                   target: row.map { target($0) }, status: s, statusText: text,
                                   fraction: p.map { $0.approximate / 100 }, line: "")
            f.line = line(f, words.t("strip_figure", ["label": f.label, "value": f.value]))
            out.append(f)
        }
        do {
            let row = measure([.audience])
            let p = progress(Score(t.audience), row)
            let (s, text) = status(row, progress: p)
            var f = HeadlineFigure(kind: .people, label: words.t("led_people"),
                                   value: words.t("led_people_value", ["count": format.short(t.audience)]),
                                   detail: t.audience >= 10_000 ? words.t("led_people_total", ["count": format.count(t.audience)]) : nil,
                                   target: row.map { target($0) }, status: s, statusText: text,
                                   fraction: p.map { $0.approximate / 100 }, line: "")
            f.line = line(f, words.t("strip_figure", ["label": f.label, "value": f.value]))
            out.append(f)
        }
        do {
            let rate = ledger.execution.rate
            let row = measure([.spend, .execution])
            var p: Score?
            if let row, row.measure.metric == .execution, let actual = row.actual { p = progress(actual, row) }
            let (s, text) = status(row, progress: p)
            var detail = words.t("led_budget", ["budget": format.money(ledger.project.budget)])
            if let rate { detail += words.t("led_rate_suffix", ["rate": format.percent(rate)]) }
            var f = HeadlineFigure(kind: .spend, label: words.t("led_spend"), value: format.money(t.spend), detail: detail,
                                   target: row.map { $0.measure.metric == .execution ? target($0, "led_target_rate") : target($0) },
                                   status: s, statusText: text, fraction: rate.map { $0.approximate / 100 }, line: "")
            var text0 = words.t("strip_spend", ["spend": format.moneyYuan(t.spend), "budget": format.moneyYuan(ledger.project.budget)])
            if let rate { text0 += words.t("strip_rate", ["rate": format.percent(rate)]) }
            f.line = line(f, text0)
            out.append(f)
        }
        do {
            let row = measure([.satisfaction])
            var f: HeadlineFigure
            if let sat = t.satisfaction {
                let p = progress(sat, row)
                let (s, text) = status(row, progress: p)
                f = HeadlineFigure(kind: .satisfaction, label: words.t("led_satisfaction"), value: format.percent(sat),
                                   detail: words.t("led_surveys", ["surveyed": format.count(t.surveyed),
                                                                    "satisfied": format.count(t.satisfied)]),
                                   target: row.map { target($0) }, status: s, statusText: text,
                                   fraction: sat.approximate / 100, line: "")
            } else {
                f = HeadlineFigure(kind: .satisfaction, label: words.t("led_satisfaction"), value: words.t("led_no_survey"),
                                   detail: nil, target: row.map { target($0) }, status: .none, statusText: nil, fraction: nil,
                                   line: "")
            }
            f.line = line(f, words.t("strip_figure", ["label": f.label, "value": f.value]))
            out.append(f)
        }
        return out
    }
}
