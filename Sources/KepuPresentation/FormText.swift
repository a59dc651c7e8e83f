import KepuContent
import KepuCore
import KepuLedger

/// A figure on a form: the text every page prints and the number a workbook stores, made together so a
/// page and its spreadsheet cannot disagree. `value` is nil where the cell is words only (—, 待评, 达成).
public struct FormFigure: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// 元, two decimals.
        case money
        /// Per cent, two decimals, cut (the number is 98.29, not 0.9829).
        case percent
        /// Points and scores, two decimals.
        case score
        /// A measured value in its unit: whole numbers grouped, others two decimals.
        case quantity
    }
    public var text: String
    public var value: Score?
    public var kind: Kind

    public init(text: String, value: Score?, kind: Kind) {
        self.text = text
        self.value = value
        self.kind = kind
    }
}

/// The words and figures the forms share: one place that turns a ledger row into its cells.
public struct FormText: Sendable {
    public let strings: UIStrings
    public let format: FigureFormat

    public init(strings: UIStrings, language: Language) {
        self.strings = strings
        self.format = FigureFormat(language: language)
    }

    public func t(_ key: String) -> String { strings.t(key) }
    public func t(_ key: String, _ values: [String: String]) -> String { strings.t(key, values) }

    public static let dash = "—"

    public func money(_ m: Money) -> FormFigure { FormFigure(text: format.money(m), value: Score(fen: m), kind: .money) }
    public func percent(_ s: Score?) -> FormFigure {
        FormFigure(text: format.percent(s, none: FormText.dash), value: s?.cut(2), kind: .percent)
    }
    public func score(_ s: Score) -> FormFigure { FormFigure(text: format.score(s), value: s.rounded(2), kind: .score) }
    public func words(_ text: String) -> FormFigure { FormFigure(text: text, value: nil, kind: .quantity) }

    /// 实际完成值 of one measure: its value in its unit, a qualitative result, 待评 or 无数据.
    public func actual(_ m: MeasureResult) -> FormFigure {
        if m.pending { return words(t("status_pending")) }
        if let o = m.outcome { return words(outcome(o)) }
        if let a = m.actual { return FormFigure(text: format.value(a, unit: m.measure.unit), value: a.cut(2), kind: .quantity) }
        return words(t("status_nodata"))
    }

    /// A row's 实际完成值: "11次；10,530人次" for a row of several measures (then words only in a workbook).
    public func actual(_ r: IndicatorResult) -> FormFigure {
        let parts = r.measures.map(actual)
        if parts.count == 1 { return parts[0] }
        return words(parts.map(\.text).joined(separator: "；"))
    }

    public func outcome(_ o: Outcome) -> String {
        switch o {
        case .achieved: return t("outcome_achieved")
        case .partlyAchieved: return t("outcome_partly")
        case .notAchieved: return t("outcome_not")
        }
    }

    public func group(_ g: IndicatorGroup) -> String {
        switch g {
        case .output: return t("group_output")
        case .effect: return t("group_effect")
        case .satisfaction: return t("group_satisfaction")
        }
    }

    public func grade(_ g: Grade) -> String {
        switch g {
        case .excellent: return t("grade_a")
        case .good: return t("grade_b")
        case .fair: return t("grade_c")
        case .poor: return t("grade_d")
        }
    }

    /// 指标性质, 指标值 and 度量单位 exactly as approved: "= 10000人次".
    public func target(_ tg: Target) -> String {
        tg.valueText == nil ? FormText.dash : Figures.approved(tg.op, tg.valueText, unit: tg.unit)
    }
}

/// Merged cells of the national forms: 一级指标 spans its group, 二级指标 its run of rows. A span of 0
/// means the cell above covers this row.
public func indicatorSpans(_ list: [IndicatorResult]) -> [(level1: Int, level2: Int)] {
    var spans = [(level1: Int, level2: Int)](repeating: (0, 0), count: list.count)
    var i = 0
    while i < list.count {
        var j = i
        while j < list.count && list[j].target.group == list[i].target.group { j += 1 }
        spans[i].level1 = j - i
        var k = i
        while k < j {
            var m = k
            while m < j && list[m].target.level2 == list[k].target.level2 { m += 1 }
            spans[k].level2 = m - k
            k = m
        }
        i = j
    }
    return spans
}
