import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// Figures as the screen shows them, in Chinese: 1.05万人次, ¥19,658.40, 93.51%.
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

    /// 93.51% — the same text as on the site and in the data (Figures.percent).
    static func percent(_ s: Score) -> String { Figures.percent(s) }

    /// ≥ / ≤ / = as printed before a target.
    static func op(_ c: Comparison) -> String { c.symbol }

    /// 2023年9月16日
    static func day(_ d: Day) -> String { Figures.zhDate(d) }
}
