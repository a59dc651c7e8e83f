import KepuContent
import KepuCore
import KepuLedger

/// All formatting of figures for people to read; templates only place the strings.
struct Format: Sendable {
    let language: Language

    /// 12345 → "12,345".
    func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    func count(_ n: Int) -> String { grouped(Int64(n)) }

    /// ¥12,345.67, exact to the fen.
    func money(_ m: Money) -> String {
        let cents = m.fen.magnitude % 100
        return (m.fen < 0 ? "-" : "") + "¥" + grouped(Int64(m.fen.magnitude / 100)) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// People served, short form for cards: 2,600人次, 1.2万人次 (10,850 people in English).
    func people(_ n: Int) -> String {
        switch language {
        case .zhCN:
            if n < 10000 { return count(n) + "人次" }
            let tenths = (n + 500) / 1000
            return "\(tenths / 10).\(tenths % 10)万人次"
        case .en:
            return count(n) + (n == 1 ? " person" : " people")
        }
    }

    /// People served, exact: 10,850人次.
    func peopleExact(_ n: Int) -> String {
        language == .zhCN ? count(n) + "人次" : count(n) + (n == 1 ? " person" : " people")
    }

    /// 85.0 % (one decimal, half up, with a no-break space so it never wraps).
    func percent(_ s: Score) -> String { s.fixed(1) + "\u{00A0}%" }

    /// `part` of `whole` as `percent` shows it, in integer arithmetic (every report page shows one).
    func percent(_ part: Int, of whole: Int) -> String { Score.percentText(part, of: whole, places: 1) + "\u{00A0}%" }

    func percent(_ s: Score?, none: String) -> String { s.map(percent) ?? none }

    func date(_ d: Day) -> String {
        switch language {
        case .zhCN: return "\(d.year)年\(d.month)月\(d.day)日"
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

    /// A score: two decimals, "98.29".
    func score(_ s: Score) -> String { s.fixed(2) }

    /// A measured or target value in a row's unit: 10,850人次, 93.5 %, 1.94万元.
    func value(_ s: Score, unit: String) -> String {
        if unit == "%" || unit == "％" { return percent(s) }
        return plainNumber(s) + (language == .en && !unit.isEmpty ? " " : "") + unit
    }

    func value(_ e: Exact, unit: String) -> String { value(Score(e), unit: unit) }

    /// At most two decimals, integer part grouped.
    func plainNumber(_ s: Score) -> String {
        let text = s.rounded(2).description
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        guard let whole = Int64(parts[0]) else { return text }
        return (negative ? "-" : "") + grouped(whole) + (parts.count > 1 ? "." + parts[1] : "")
    }

    func op(_ c: Comparison) -> String {
        switch c {
        case .atLeast: return "≥"
        case .atMost: return "≤"
        case .equal: return "="
        }
    }
}

/// Escaping for text that Swift writes itself (SVG, feed, sitemap); Mustache escapes the rest.
enum Escape {
    static func xml(_ s: String) -> String { XMLText.escape(s) }

    /// Percent-encodes a path for an href; `/` stays.
    static func path(_ s: String) -> String {
        func plain(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                return true
            default:
                return false
            }
        }
        // Every link on every page passes here: bytes in, bytes out, and most paths need nothing.
        if s.utf8.allSatisfy(plain) { return s }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count * 3)
        for b in s.utf8 {
            if plain(b) { out.append(b) } else { out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

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
