import KepuContent
import KepuCore
import KepuLedger

/// The text of each kind of figure, the same on every output (pages, slides, the strip, data files): a
/// figure is shortened by cutting, never rounded up, so it never reads as a target reached when it is not;
/// scores are rounded half up to two decimals, as the national rule prints them.
extension Figures {
    /// 98.29% — every percentage: two decimals, cut.
    public static func percent(_ s: Score) -> String { s.cut(2).fixed(2) + "%" }

    /// `part` of `whole` as `percent(_:)` prints it, in integer arithmetic (every report page shows one).
    public static func percent(_ part: Int, of whole: Int) -> String { Score.percentText(part, of: whole, places: 2) + "%" }

    /// A percentage as a number for the data files: the same two decimals, cut.
    public static func percentNumber(_ s: Score) -> String { s.cut(2).fixed(2) }

    /// A measured figure or rate as a JSON number: the digits the pages show (two decimals, cut), without
    /// trailing zeros: 98.29, 10530, 1.96.
    public static func dataNumber(_ s: Score) -> String { s.cut(2).description }

    /// Points or a score as a JSON number: two decimals, half up, as the form prints them: 9.83, 12.5.
    public static func dataPoints(_ s: Score) -> String { s.rounded(2).description }

    /// 9.83 — a score or points: two decimals.
    public static func score(_ s: Score) -> String { s.fixed(2) }

    /// A decimal with at most two decimals, cut, trailing zeros dropped, digits grouped: 1.96, 10,530.
    public static func number(_ s: Score) -> String {
        let text = s.cut(2).description
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        guard let whole = Int64(parts[0]) else { return text }
        return (negative ? "-" : "") + grouped(whole) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A measured value in its unit: 93.51%, 10,530人次, 1.96万元, 11次.
    public static func quantity(_ s: Score, unit: String) -> String {
        if unit == "%" || unit == "％" { return percent(s) }
        return number(s) + unit
    }

    /// An approved value exactly as the target table writes it, with its sign: "= 10000人次", "≥ 85%".
    public static func approved(_ op: Comparison, _ valueText: String?, unit: String) -> String {
        guard let valueText else { return op.symbol }
        return op.symbol + " " + valueText + unit
    }
}
