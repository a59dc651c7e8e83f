import KepuAuthoring
import KepuContent
import KepuCore

/// One row of the spend table. `source` and `paid` are kept (hidden) when the file has them.
public struct SpendRow: Sendable, Equatable {
    public var item: String
    public var amount: String
    public var source: String
    public var paid: String
    public init(item: String = "", amount: String = "", source: String = "", paid: String = "") {
        self.item = item; self.amount = amount; self.source = source; self.paid = paid
    }
    var isEmpty: Bool { item.trimmingSpaces.isEmpty && amount.trimmingSpaces.isEmpty }
}

/// The report form's values, as text the way staff typed them. Field names are the front-matter keys
/// (`title`, `date`, `kind`, …; `spend[0][item]`, `satisfaction[surveyed]`).
public struct ReportForm: Sendable, Equatable {
    public var title = ""
    public var date = ""
    public var kind = ""
    public var venue = ""
    public var audience = ""
    public var activities = "1"
    public var spend: [SpendRow] = []
    public var surveyed = ""
    public var satisfied = ""
    public var photos: [String] = []
    public var tags = ""
    public var summary = ""
    public var body = ""
    public var draft = true
    /// For an edit of a published report: what was corrected (becomes a `corrections` entry).
    public var correction = ""

    public init() {}

    /// The form for a report as the loader read it, with its body text from the file.
    public init(report: Report, body: String) {
        title = report.title
        date = report.date.description
        kind = report.kind
        venue = report.venue ?? ""
        audience = report.positions["audience"] == nil ? "" : String(report.audience)
        activities = String(report.activities)
        spend = report.spend.map {
            SpendRow(item: $0.item, amount: Self.amountText($0.amount), source: $0.source ?? "", paid: $0.paid?.description ?? "")
        }
        surveyed = report.satisfaction.map { String($0.surveyed) } ?? ""
        satisfied = report.satisfaction.map { String($0.satisfied) } ?? ""
        photos = report.photos.map(\.name)
        tags = report.tags.joined(separator: "，")
        // The summary the file writes, not the first paragraph the loader falls back to.
        summary = report.positions["summary"] == nil ? "" : report.summary
        self.body = Self.normalizedBody(body)
        draft = report.draft
    }

    /// `1800.5` as `1800.50`: one way of writing each amount, so an untouched row compares equal.
    static func amountText(_ m: Money) -> String {
        let cents = m.fen % 100
        return String(m.fen / 100) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// The body as the text area shows it: no blank lines before, no trailing space after, `\n` endings.
    static func normalizedBody(_ text: String) -> String {
        var t = Substring(text.replacingOccurrences(of: "\r\n", with: "\n"))
        while t.first == "\n" { t = t.dropFirst() }
        while let l = t.last, l == "\n" || l == " " { t = t.dropLast() }
        return String(t)
    }

    public var tagList: [String] {
        tags.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    var filledSpend: [SpendRow] { spend.filter { !$0.isEmpty } }

    // MARK: YAML lines, one key at a time

    /// The lines that write `key`, as `kepu new report` would: texts quoted when YAML would misread them.
    func lines(for key: String) -> [String] {
        switch key {
        case "title": return ["title: " + NewReport.yamlQuoted(title.trimmingSpaces)]
        case "date": return ["date: " + Self.dateScalar(date)]
        case "kind": return ["kind: " + Self.text(kind)]
        case "venue": return ["venue:" + Self.optional(Self.text(venue))]
        case "audience": return ["audience:" + Self.optional(Self.number(audience))]
        case "activities": return ["activities:" + Self.optional(Self.number(activities))]
        case "summary": return ["summary:" + Self.optional(Self.text(summary))]
        case "draft": return ["draft: " + (draft ? "true" : "false")]
        case "tags": return ["tags: [" + tagList.map(Self.text).joined(separator: ", ") + "]"]
        case "photos": return ["photos: [" + photos.map(Self.text).joined(separator: ", ") + "]"]
        case "satisfaction":
            let s = surveyed.trimmingSpaces, d = satisfied.trimmingSpaces
            if s.isEmpty && d.isEmpty { return ["satisfaction:"] }
            var parts: [String] = []
            if !s.isEmpty { parts.append("surveyed: " + Self.number(s)) }
            if !d.isEmpty { parts.append("satisfied: " + Self.number(d)) }
            return ["satisfaction: {" + parts.joined(separator: ", ") + "}"]
        case "spend":
            let rows = filledSpend
            if rows.isEmpty { return ["spend:"] }
            return ["spend:"] + rows.map { row in
                var parts = ["item: " + NewReport.yamlQuoted(row.item.trimmingSpaces),
                             "amount: " + NewReport.yamlQuoted(row.amount.trimmingSpaces)]
                if !row.source.trimmingSpaces.isEmpty { parts.append("source: " + NewReport.yamlQuoted(row.source.trimmingSpaces)) }
                if !row.paid.trimmingSpaces.isEmpty { parts.append("paid: " + Self.dateScalar(row.paid)) }
                return "  - {" + parts.joined(separator: ", ") + "}"
            }
        default: return []
        }
    }

    /// The keys whose value differs between two forms: only these lines of the file are rewritten.
    func changedKeys(from old: ReportForm) -> [String] {
        var keys: [String] = []
        if title.trimmingSpaces != old.title { keys.append("title") }
        if date.trimmingSpaces != old.date { keys.append("date") }
        if kind.trimmingSpaces != old.kind { keys.append("kind") }
        if venue.trimmingSpaces != old.venue { keys.append("venue") }
        if audience.trimmingSpaces != old.audience { keys.append("audience") }
        if activities.trimmingSpaces != old.activities { keys.append("activities") }
        func norm(_ rows: [SpendRow]) -> [SpendRow] {
            rows.filter { !$0.isEmpty }.map {
                SpendRow(item: $0.item.trimmingSpaces, amount: $0.amount.trimmingSpaces, source: $0.source.trimmingSpaces,
                         paid: $0.paid.trimmingSpaces)
            }
        }
        if norm(spend) != norm(old.spend) { keys.append("spend") }
        if surveyed.trimmingSpaces != old.surveyed || satisfied.trimmingSpaces != old.satisfied { keys.append("satisfaction") }
        if photos != old.photos { keys.append("photos") }
        if tagList != old.tagList { keys.append("tags") }
        if summary.trimmingSpaces != old.summary { keys.append("summary") }
        if draft != old.draft { keys.append("draft") }
        return keys
    }

    static let allKeys = ["title", "date", "kind", "venue", "audience", "activities", "spend", "satisfaction", "photos",
                          "tags", "summary", "draft"]

    static func optional(_ s: String) -> String { s.isEmpty ? "" : " " + s }

    /// Digits as they are (a number); anything else quoted, so the loader names it as not a number.
    static func number(_ text: String) -> String {
        let t = text.trimmingSpaces
        if t.isEmpty { return "" }
        return t.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) ? t : NewReport.yamlQuoted(t)
    }

    static func dateScalar(_ text: String) -> String {
        let t = text.trimmingSpaces
        if t.isEmpty { return "" }
        let ok = t.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "-" } && t.first != "-"
        return ok ? t : NewReport.yamlQuoted(t)
    }

    /// A text plain when YAML reads it back as the same text (Chinese words, a place name, `photo-1.jpg`), else
    /// double-quoted: anything YAML could read as a number, a boolean, null, a date or structure.
    static func text(_ raw: String) -> String {
        let t = raw.trimmingSpaces
        if t.isEmpty { return "\"\"" }
        let plainASCII = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.()-".unicodeScalars)
        let forbidden: Set<UInt32> = [0xFEFF, 0x2028, 0x2029, 0x85, 0xA0, 0x3000]
        let chars = t.unicodeScalars.allSatisfy { s in s.value >= 0x80 ? !forbidden.contains(s.value) : plainASCII.contains(s) }
        let first = t.unicodeScalars.first!
        let looksLikeValue = t.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || "+-.eE_:".unicodeScalars.contains($0) }
            || ["true", "false", "yes", "no", "on", "off", "null", "y", "n", ".inf", ".nan"].contains(t.lowercased())
        let safe = chars && first != "-" && first != "." && !looksLikeValue
        return safe ? t : NewReport.yamlQuoted(t)
    }
}
