import KepuContent
import KepuCore
import KepuLedger

/// All formatting of figures for people to read; templates only place the strings.
struct Format: Sendable {
    let language: Language

    func grouped(_ n: Int64) -> String { Figures.grouped(n) }

    func count(_ n: Int) -> String { grouped(Int64(n)) }

    /// ¥12,345.67, exact to the fen.
    func money(_ m: Money) -> String { Figures.money(m) }

    /// People served, short form for cards: 2,600人次, 1.05万人次 (cut, as on the LED screen: a card
    /// never shows 2.0万 for 19,960 beside a 2万 target marked "not met"); 10,850 people in English.
    func people(_ n: Int) -> String {
        switch language {
        case .zhCN:
            return n < 10000 ? count(n) + "人次" : Figures.wan(n) + "人次"
        case .en:
            return count(n) + (n == 1 ? " person" : " people")
        }
    }

    /// People served, exact: 10,850人次.
    func peopleExact(_ n: Int) -> String {
        language == .zhCN ? count(n) + "人次" : count(n) + (n == 1 ? " person" : " people")
    }

    /// 98.29% — the one text of a percentage on every output (Figures.percent: two decimals, cut).
    func percent(_ s: Score) -> String { Figures.percent(s) }

    /// `part` of `whole` as `percent` shows it, in integer arithmetic (every report page shows one).
    func percent(_ part: Int, of whole: Int) -> String { Figures.percent(part, of: whole) }

    func percent(_ s: Score?, none: String) -> String { s.map(percent) ?? none }

    func date(_ d: Day) -> String {
        switch language {
        case .zhCN: return Figures.zhDate(d)
        case .en: return "\(d.day) \(Format.monthNames[d.month - 1]) \(d.year)"
        }
    }

    func month(year: Int, month: Int) -> String {
        switch language {
        case .zhCN: return "\(year)年\(month)月"
        case .en: return "\(Format.monthNames[month - 1]) \(year)"
        }
    }

    /// "2023-05" → 2023年5月.
    func monthKey(_ key: String) -> String {
        let parts = key.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return key }
        return month(year: y, month: m)
    }

    func shortMonth(_ m: Int) -> String {
        language == .zhCN ? "\(m)月" : String(Format.monthNames[m - 1].prefix(3))
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// A score or points: two decimals, "9.83".
    func score(_ s: Score) -> String { Figures.score(s) }

    /// A measured value in its unit: 10,530人次, 93.51%, 1.96万元 (Figures.quantity; a space before the unit in English).
    func value(_ s: Score, unit: String) -> String {
        if language == .en && !unit.isEmpty && unit != "%" && unit != "％" { return Figures.number(s) + " " + unit }
        return Figures.quantity(s, unit: unit)
    }

    func op(_ c: Comparison) -> String { c.symbol }
}

/// Escaping for text that Swift writes itself (SVG, feed, sitemap); Mustache escapes the rest.
enum Escape {
    static func xml(_ s: String) -> String { XMLText.escape(s) }

    /// Percent-encodes a path for an href; `/` stays.
    static func path(_ s: String) -> String { URLPath.escape(s) }

    /// Decodes %XX sequences (for matching image sources written by cmark to photo names).
    static func unpercent(_ s: String) -> String {
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: return b - 48
            case 65...70: return b - 55
            case 97...102: return b - 87
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A file or folder name from user text (a kind): characters that file systems or URLs mind become "-".
    static func fileName(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "/", "\\", ":", "*", "?", "\"", "<", ">", "|", "#", "%", " ", "\t", "\n", "\r", "\u{3000}":
                out += "-"
            default:
                out.unicodeScalars.append(c.value < 0x20 ? "-" : c)
            }
        }
        while out.hasPrefix(".") { out.removeFirst() }
        return out.isEmpty ? "-" : out
    }
}
