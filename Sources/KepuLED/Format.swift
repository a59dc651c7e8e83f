import Foundation
import KepuContent
import KepuCore
import KepuLedger

/// Figures as the screen shows them, in Chinese: 1.05万人次, ¥19,658.40, 93.5%.
/// Nothing is rounded up: a screen never shows a target as reached when it is not.
enum Format {
    /// 1,234 — digits grouped by thousands.
    static func grouped(_ n: Int) -> String { Figures.grouped(n) }

    /// A count of people or things: below 10,000 in full (9,999), above in 万 (Figures.wan: cut).
    static func count(_ n: Int) -> String { n.magnitude < 10_000 ? grouped(n) : Figures.wan(n) }

    /// ¥19,658.40 — exact to the fen.
    static func money(_ m: Money) -> String { Figures.money(m) }

    /// 19,658.40元 — for text controllers whose fonts lack ¥.
    static func moneyYuan(_ m: Money) -> String { Figures.money(m, symbol: "") + "元" }

    /// 93.5% — one decimal, cut (93.56 → 93.5), trailing zero dropped (100%).
    static func percent(_ s: Score) -> String {
        number(s, places: 1) + "%"
    }

    /// A decimal cut to `places` (never rounded up), trailing zeros dropped, grouped by thousands.
    static func number(_ s: Score, places: Int) -> String {
        var input = s.decimal
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .down)
        let text = Score(result).description
        let parts = text.split(separator: ".", maxSplits: 1)
        let negative = parts[0].hasPrefix("-")
        let intPart = Int(parts[0].drop(while: { $0 == "-" })) ?? 0
        var out = (negative ? "-" : "") + grouped(intPart)
        if parts.count == 2 { out += "." + parts[1] }
        return out
    }

    /// A target value with its unit: 10次, 1万人次, 90%, 2万元.
    static func quantity(_ value: Score, unit: String) -> String {
        if unit.hasSuffix("人次") || unit == "人" {
            if let n = value.wholeNumber { return count(n) + unit }
        }
        if let n = value.wholeNumber { return grouped(n) + unit }
        return number(value, places: 2) + unit
    }

    /// ≥ / ≤ / = as printed before a target.
    static func op(_ c: Comparison) -> String { c.symbol }

    /// 2023年9月16日
    static func day(_ d: Day) -> String { Figures.zhDate(d) }
}

extension Score {
    /// The value as an Int when it has no fraction.
    var wholeNumber: Int? {
        let r = rounded(0)
        // Decimal to Int without a Double on the way: figures people read never pass through binary floats.
        guard r == self, r.decimal.magnitude < Decimal(1_000_000_000_000_000) else { return nil }
        return Int(r.description)
    }
}
