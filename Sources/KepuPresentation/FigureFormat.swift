import KepuContent
import KepuCore
import KepuLedger

/// Figures as people read them, in a site's language: every output (pages, slides, the strip, the
/// forms) formats through this and `Figures`, so one figure has one text. Templates only place the strings.
public struct FigureFormat: Sendable {
    public let language: Language

    public init(language: Language) { self.language = language }

    public func grouped(_ n: Int64) -> String { Figures.grouped(n) }

    public func count(_ n: Int) -> String { grouped(Int64(n)) }

    /// ¥12,345.67, exact to the fen.
    public func money(_ m: Money) -> String { Figures.money(m) }

    /// People served, short form for cards: 2,600人次, 1.05万人次 (cut, as on the LED screen: a card
    /// never shows 2.0万 for 19,960 beside a 2万 target marked "not met"); 10,850 people in English.
    public func people(_ n: Int) -> String {
        switch language {
        case .zhCN:
            return n < 10000 ? count(n) + "人次" : Figures.wan(n) + "人次"
        case .en:
            return count(n) + (n == 1 ? " person" : " people")
        }
    }

    /// People served, exact: 10,850人次.
    public func peopleExact(_ n: Int) -> String {
        language == .zhCN ? count(n) + "人次" : count(n) + (n == 1 ? " person" : " people")
    }

    /// 98.29% — the one text of a percentage on every output (Figures.percent: two decimals, cut).
    public func percent(_ s: Score) -> String { Figures.percent(s) }

    /// `part` of `whole` as `percent` shows it, in integer arithmetic (every report page shows one).
    public func percent(_ part: Int, of whole: Int) -> String { Figures.percent(part, of: whole) }

    public func percent(_ s: Score?, none: String) -> String { s.map(percent) ?? none }

    public func date(_ d: Day) -> String {
        switch language {
        case .zhCN: return Figures.zhDate(d)
        case .en: return "\(d.day) \(FigureFormat.monthNames[d.month - 1]) \(d.year)"
        }
    }

    /// A date without its year: 9月16日, 16 September.
    public func dayMonth(_ d: Day) -> String {
        language == .zhCN ? "\(d.month)月\(d.day)日" : "\(d.day) \(FigureFormat.monthNames[d.month - 1])"
    }

    public func month(year: Int, month: Int) -> String {
        switch language {
        case .zhCN: return "\(year)年\(month)月"
        case .en: return "\(FigureFormat.monthNames[month - 1]) \(year)"
        }
    }

    /// "2023-05" → 2023年5月.
    public func monthKey(_ key: String) -> String {
        let parts = key.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return key }
        return month(year: y, month: m)
    }

    public func shortMonth(_ m: Int) -> String {
        language == .zhCN ? "\(m)月" : String(FigureFormat.monthNames[m - 1].prefix(3))
    }

    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// A score or points: two decimals, "9.83".
    public func score(_ s: Score) -> String { Figures.score(s) }

    /// A measured value in its unit: 10,530人次, 93.51%, 1.96万元 (Figures.quantity; a space before the unit in English).
    public func value(_ s: Score, unit: String) -> String {
        if language == .en && !unit.isEmpty && unit != "%" && unit != "％" { return Figures.number(s) + " " + unit }
        return Figures.quantity(s, unit: unit)
    }

    public func op(_ c: Comparison) -> String { c.symbol }

    /// A count for a screen: below 10,000 in full (9,999), above in 万, cut (Figures.wan): 1.05万.
    public func short(_ n: Int) -> String { n.magnitude < 10_000 ? Figures.grouped(n) : Figures.wan(n) }

    /// 19,658.40元 — for text controllers whose fonts lack ¥.
    public func moneyYuan(_ m: Money) -> String { Figures.money(m, symbol: "") + "元" }
}
