import KepuCore

/// Reads typed fields out of a front-matter map, reporting every problem at the value's position.
/// Hand-written conversion (not Codable) keeps positions and costs a fraction of a decoder.
struct Fields {
    let position: Position
    private var entries = SmallKeyMap<(keyPosition: Position, value: YAMLValue)>()
    private let context: String
    /// Keys whose value a comma split (`{amount: 1,800}` read as `amount: 1` and a key `800`): already an
    /// error, so they count as given but yield nothing, and no second "missing" error follows.
    private var broken: Set<String> = []

    /// `context` prefixes nested keys in messages: `spend[2].amount`.
    init(_ value: YAMLValue, known: [String], context: String = "", sink: inout DiagnosticSink) {
        self.position = value.position
        self.context = context
        guard case let .map(pairs, _) = value else { return }
        var misspelt: [String] = []
        defer {
            // `amout: 600` is reported as misspelt; a second "amount is missing" would say the same again.
            for key in misspelt where entries[key] == nil { broken.insert(key) }
        }
        for (k, pair) in pairs.enumerated() {
            entries.addIfAbsent(pair.key, (pair.keyPosition, pair.value))
            if known.contains(pair.key) { continue }
            if k > 0, let whole = Fields.commaSplit(pairs[k - 1].value, then: pair) {
                // Inside braces YAML splits `1,800元` at the comma; never take that as 1 yuan.
                let p = pairs[k - 1].value.position
                sink.error(p.line, p.column, .commaSplitNumber(key: context + pairs[k - 1].key, found: whole))
                broken.insert(pairs[k - 1].key)
                continue
            }
            if pair.key.unicodeScalars.first == "\u{3000}" {
                // `　audience: 100`: a full-width space typed as indentation makes the key unrecognisable.
                sink.error(pair.keyPosition.line, pair.keyPosition.column, .fullWidthSpaceIndent)
                continue
            }
            let suggestion = Fields.nearest(pair.key, in: known)
            if let suggestion, Keys.figureBearing.contains(suggestion) {
                // A misspelt field that feeds a figure would silently count as 0: an error, never a warning.
                sink.error(pair.keyPosition.line, pair.keyPosition.column,
                           .misspelledField(key: context + pair.key, suggestion: context + suggestion))
                misspelt.append(suggestion)
            } else {
                sink.warning(pair.keyPosition.line, pair.keyPosition.column,
                             .unknownField(key: context + pair.key, suggestion: suggestion.map { context + $0 }))
            }
        }
    }

    /// `amount: 1,800.50` inside `{…}`: YAML reads `amount: 1` and a key `800.50` with no value, right
    /// after the comma. Returns the text as written (`1,800.50`) when `pair` is such a remainder.
    static func commaSplit(_ previous: YAMLValue, then pair: (key: String, keyPosition: Position, value: YAMLValue)) -> String? {
        guard pair.value.isNull, let first = pair.key.utf8.first, first >= 0x30 && first <= 0x39,
              case let .scalar(text, false, p) = previous, !previous.isNull,
              let last = text.utf8.last, last >= 0x30 && last <= 0x39,
              // Right after the comma, or after a space too (`1, 800`): both split one number in two.
              pair.keyPosition.line == p.line, pair.keyPosition.column > p.column + text.unicodeScalars.count
        else { return nil }
        return text + "," + pair.key
    }

    func label(_ key: String) -> String { context + key }

    func has(_ key: String) -> Bool {
        if !broken.isEmpty && broken.contains(key) { return true }
        guard let e = entries[key] else { return false }
        return !e.value.isNull
    }

    func value(_ key: String) -> YAMLValue? {
        guard let e = entries[key], !e.value.isNull, broken.isEmpty || !broken.contains(key) else { return nil }
        return e.value
    }

    /// Where to point for a missing field: the map itself.
    private func missing(_ key: String, _ sink: inout DiagnosticSink) {
        sink.error(position.line, position.column, .missingField(key: label(key)))
    }

    /// The scalar text of a key, or an error when it is a list or map.
    private func scalar(_ key: String, required: Bool, _ sink: inout DiagnosticSink) -> (String, Position)? {
        guard let v = value(key) else {
            if required && !broken.contains(key) { missing(key, &sink) }
            return nil
        }
        guard case let .scalar(text, _, p) = v else {
            sink.error(v.position.line, v.position.column, .expectedText(key: label(key)))
            return nil
        }
        return (text, p)
    }

    func text(_ key: String, required: Bool = false, _ sink: inout DiagnosticSink) -> String? {
        guard let (t, p) = scalar(key, required: required, &sink) else { return nil }
        if required && t.trimmingSpaces.isEmpty {
            sink.error(p.line, p.column, .emptyText(key: label(key)))
            return nil
        }
        return t
    }

    func textPosition(_ key: String) -> Position? { value(key)?.position }

    /// A scalar's text as written, trimmed, without reporting anything (the typed reader reports).
    func scalarText(_ key: String) -> String? {
        guard case let .scalar(t, _, _)? = value(key) else { return nil }
        let trimmed = t.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The text of a key with where it is written, for checks of its own.
    func textWithPosition(_ key: String, _ sink: inout DiagnosticSink) -> (String, Position)? {
        scalar(key, required: false, &sink)
    }

    func wholeNumber(_ key: String, limit: Int = 100_000_000, _ sink: inout DiagnosticSink) -> Int? {
        guard let (t, p) = scalar(key, required: false, &sink) else { return nil }
        return Fields.parseWholeNumber(t, key: label(key), at: p, limit: limit, &sink)
    }

    static func parseWholeNumber(_ written: String, key: String, at p: Position, limit: Int, _ sink: inout DiagnosticSink) -> Int? {
        let t = written.halfWidthFigures
        var n = 0
        var digits = 0
        var group = 0
        var grouped = false
        for b in t.utf8 {
            // `1,200` is 1200; a comma anywhere else (`1,2`) is not a thousands separator.
            if b == UInt8(ascii: ",") && digits > 0 && (grouped ? group == 3 : group <= 3) {
                grouped = true
                group = 0
                continue
            }
            group += 1
            guard b >= 48 && b <= 57 else {
                sink.error(p.line, p.column, .expectedWholeNumber(key: key, found: written))
                return nil
            }
            digits += 1
            n = n &* 10 &+ Int(b - 48)
            if digits > 12 || n > limit {
                sink.error(p.line, p.column, .numberTooLarge(key: key, found: written))
                return nil
            }
        }
        if digits == 0 || (grouped && group != 3) {
            sink.error(p.line, p.column, .expectedWholeNumber(key: key, found: written))
            return nil
        }
        return n
    }

    func exact(_ key: String, _ sink: inout DiagnosticSink) -> Exact? {
        guard let (t, p) = scalar(key, required: false, &sink) else { return nil }
        guard let e = Exact.parse(t.halfWidthFigures.replacingPercent) else {
            sink.error(p.line, p.column, .expectedNumber(key: label(key), found: t))
            return nil
        }
        return e
    }

    func percent(_ key: String, _ sink: inout DiagnosticSink) -> Exact? {
        guard let e = exact(key, &sink) else { return nil }
        if e < Exact(0) || Exact(100) < e {
            let p = value(key)!.position
            sink.error(p.line, p.column, .percentOutOfRange(key: label(key), found: e.description))
            return nil
        }
        return e
    }

    func money(_ key: String, required: Bool = false, _ sink: inout DiagnosticSink) -> Money? {
        guard let (t, p) = scalar(key, required: required, &sink) else { return nil }
        return Fields.parseMoney(t, key: label(key), at: p, &sink)
    }

    static func parseMoney(_ t: String, key: String, at p: Position, _ sink: inout DiagnosticSink) -> Money? {
        do {
            return try Money.parse(t.halfWidthFigures)
        } catch .negative {
            sink.error(p.line, p.column, .negativeAmount(key: key, found: t))
        } catch .tooManyDecimals {
            sink.error(p.line, p.column, .amountTooManyDecimals(key: key, found: t))
        } catch .tooLarge {
            sink.error(p.line, p.column, .amountTooLarge(key: key, found: t))
        } catch {
            sink.error(p.line, p.column, .invalidAmount(key: key, found: t))
        }
        return nil
    }

    func day(_ key: String, required: Bool = false, _ sink: inout DiagnosticSink) -> Day? {
        guard let (t, p) = scalar(key, required: required, &sink) else { return nil }
        do {
            return try Day.parse(t.halfWidthFigures)
        } catch .impossible {
            sink.error(p.line, p.column, .impossibleDate(key: label(key), found: t))
        } catch {
            sink.error(p.line, p.column, .malformedDate(key: label(key), found: t))
        }
        return nil
    }

    func bool(_ key: String, _ sink: inout DiagnosticSink) -> Bool? {
        guard let (t, p) = scalar(key, required: false, &sink) else { return nil }
        switch t.lowercased() {
        case "true", "yes", "on", "是": return true
        case "false", "no", "off", "否": return false
        default:
            sink.error(p.line, p.column, .expectedBool(key: label(key), found: t))
            return nil
        }
    }

    /// A list of texts; a single text is taken as a list of one, as people write `tags: 科普`.
    func textList(_ key: String, _ sink: inout DiagnosticSink) -> [(String, Position)]? {
        guard let v = value(key) else { return nil }
        switch v {
        case let .scalar(t, _, p):
            return [(t, p)]
        case let .list(items, _):
            var out: [(String, Position)] = []
            for item in items {
                guard case let .scalar(t, _, p) = item else {
                    sink.error(item.position.line, item.position.column, .expectedText(key: label(key)))
                    return nil
                }
                if !item.isNull { out.append((t, p)) }
            }
            return out
        case .map:
            sink.error(v.position.line, v.position.column, .expectedList(key: label(key)))
            return nil
        }
    }

    /// Nearest known key within two edits, for "did you mean".
    static func nearest(_ key: String, in known: [String]) -> String? {
        if let named = Keys.chineseNames[key.trimmingSpaces], known.contains(named) { return named }
        var best: (String, Int)?
        for k in known {
            let d = editDistance(Array(key.unicodeScalars), Array(k.unicodeScalars))
            if d <= 2 && d < max(k.unicodeScalars.count, 2) && (best == nil || d < best!.1) { best = (k, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension String {
    /// `85%` and `85 %` read as 85: staff copy percentages from spreadsheets.
    var replacingPercent: String {
        var s = self
        if s.hasSuffix("%") || s.hasSuffix("％") { s.removeLast() }
        return s.trimmingSpaces
    }
}

extension String {
    /// Digits and the marks around them as a Chinese input method types them in full width (`１,８００`,
    /// `１，８００`, `２０２３－０５－２０`, `８５％`, an ideographic space) read as the ASCII the writer meant,
    /// trimmed. Text without full-width forms comes back as it was, at the cost of one byte scan.
    var halfWidthFigures: String {
        guard utf8.contains(where: { $0 == 0xEF || $0 == 0xE3 }) else { return trimmingSpaces }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            switch s.value {
            case 0xFF10...0xFF19, 0xFF0C, 0xFF0D, 0xFF0E, 0xFF05: out.append(Unicode.Scalar(s.value - 0xFEE0)!)
            case 0x3000: out.append(" ")
            default: out.append(s)
            }
        }
        return String(out).trimmingSpaces
    }
}
