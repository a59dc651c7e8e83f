/// A report file edited line by line: setting one front-matter key replaces that key's lines and nothing else,
/// so comments, the order of keys, blank lines, line endings and the body stay exactly as staff (or an editor)
/// wrote them. The desk never re-serialises a whole file.
public struct FrontMatterEditor: Sendable, Equatable {
    /// Lines without their line ending.
    public private(set) var lines: [String]
    /// `\r\n` when the file came from a Windows editor, kept for every line the desk writes.
    public let newline: String
    let bom: Bool
    let endsWithNewline: Bool
    /// Index of the opening and closing `---` lines.
    public private(set) var open: Int
    public private(set) var close: Int

    public init?(text: String) {
        var t = Substring(text)
        bom = t.hasPrefix("\u{FEFF}")
        if bom { t = t.dropFirst() }
        newline = t.contains("\r\n") ? "\r\n" : "\n"
        // Split on scalars: in a Swift String "\r\n" is one Character, which a split on "\n" would not see.
        var split = t.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var scalars = String.UnicodeScalarView(line)
            if scalars.last == "\r" { scalars.removeLast() }
            return String(scalars)
        }
        endsWithNewline = split.last == ""
        if endsWithNewline { split.removeLast() }
        lines = split
        guard let first = lines.firstIndex(where: { !$0.trimmingSpaces.isEmpty }), lines[first].trimmingSpaces == "---",
              let end = lines[(first + 1)...].firstIndex(where: { $0.trimmingSpaces == "---" }) else { return nil }
        open = first
        close = end
    }

    public var text: String {
        (bom ? "\u{FEFF}" : "") + lines.joined(separator: newline) + (endsWithNewline ? newline : "")
    }

    /// The body: everything after the closing `---`, with `\n` line endings.
    public var body: String {
        let rest = lines[(close + 1)...]
        return rest.joined(separator: "\n") + (endsWithNewline && !rest.isEmpty ? "\n" : "")
    }

    /// The top-level key a line starts, if any: `title: …` → `title`. Comments, list items and indented lines start none.
    static func key(of line: String) -> String? {
        guard let c = line.unicodeScalars.first, c.properties.isAlphabetic || c == "_" else { return nil }
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let after = line[line.index(after: colon)...]
        guard after.isEmpty || after.hasPrefix(" ") || after.hasPrefix("\t") else { return nil }
        let name = line[..<colon]
        guard !name.contains(" "), !name.contains("#") else { return nil }
        return String(name)
    }

    /// The lines of a key: its own line and every line after it up to its last indented line (or `- ` item)
    /// before the next key. Comments and blank lines inside the value (`  # 发票` between two items) are part of
    /// it; those after its last line stay where they are, notes about the next key.
    public func range(of key: String) -> Range<Int>? {
        guard let start = ((open + 1)..<close).first(where: { Self.key(of: lines[$0]) == key }) else { return nil }
        var end = start + 1
        var j = start + 1
        while j < close && Self.key(of: lines[j]) == nil {
            let line = lines[j]
            let continues = line.hasPrefix("- ") || line == "-"
                || ((line.first == " " || line.first == "\t") && !line.trimmingSpaces.isEmpty)
            if continues { end = j + 1 }
            j += 1
        }
        return start..<end
    }

    /// The top-level key whose lines hold `line` (1-based, as diagnostics count), `body` after the front matter.
    public func field(atLine line: Int) -> String? {
        let i = line - 1
        if i > close { return "body" }
        guard i > open && i < close else { return nil }
        for k in stride(from: i, to: open, by: -1) {
            if let key = Self.key(of: lines[k]) { return range(of: key).map { $0.contains(i) } == true ? key : nil }
        }
        return nil
    }

    /// Replaces the key's lines with `value` (full lines, the first starting with `key:`), or adds them before the
    /// closing `---` when the key is not there yet. Returns whether anything changed.
    @discardableResult
    public mutating func set(_ key: String, _ value: [String]) -> Bool {
        if let r = range(of: key) {
            if Array(lines[r]) == value { return false }
            lines.replaceSubrange(r, with: value)
            close += value.count - r.count
        } else {
            lines.insert(contentsOf: value, at: close)
            close += value.count
        }
        return true
    }

    /// Adds one item line at the end of a block list key (`corrections:` followed by `  - {…}` lines), or sets
    /// the key to a one-item list when it is absent or empty. Returns false for a flow list (`[…]`) or any other
    /// form, which the caller then writes whole.
    @discardableResult
    public mutating func append(_ key: String, item: String) -> Bool {
        guard let r = range(of: key) else {
            set(key, [key + ":", "  - " + item])
            return true
        }
        guard lines[r.lowerBound].trimmingSpaces == key + ":" else { return false }
        if r.count == 1 {
            set(key, [key + ":", "  - " + item])
            return true
        }
        let last = lines[r.upperBound - 1]
        let indent = String(last.prefix { $0 == " " })
        lines.insert(indent + "- " + item, at: r.upperBound)
        close += 1
        return true
    }

    /// Removes a key's lines and the comment lines right above them (its note in the template).
    public mutating func remove(_ key: String) {
        guard var r = range(of: key) else { return }
        while r.lowerBound - 1 > open && lines[r.lowerBound - 1].hasPrefix("#") { r = (r.lowerBound - 1)..<r.upperBound }
        // And one blank line, so the gap between the neighbours stays one line.
        if r.lowerBound - 1 > open && lines[r.lowerBound - 1].trimmingSpaces.isEmpty { r = (r.lowerBound - 1)..<r.upperBound }
        lines.removeSubrange(r)
        close -= r.count
    }

    /// Replaces the body (text after the closing `---`); unchanged text changes nothing.
    @discardableResult
    public mutating func setBody(_ text: String) -> Bool {
        var t = text.replacingOccurrences(of: "\r\n", with: "\n")
        if t == body { return false }
        if !t.isEmpty && !t.hasSuffix("\n") { t += "\n" }
        var new = t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if new.last == "" { new.removeLast() }
        // A blank line between the closing fence and the text, as kepu new writes it.
        if let first = new.first, !first.isEmpty { new.insert("", at: 0) }
        lines.replaceSubrange((close + 1)..., with: new)
        return true
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
