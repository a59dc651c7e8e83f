/// A parser for the small part of YAML that front matter uses — block maps and lists, one-line flow
/// lists and maps, plain and quoted scalars, comments — producing exactly what Yams produces for it.
/// Anything else (anchors, block scalars, multi-line values, tags, quoted keys, duplicate keys, any
/// syntax error) makes it give up and return nil, and Yams parses the text instead and reports errors.
/// Why: Yams composes a node tree through libyaml events and costs ~100 µs a front matter; this reads the
/// bytes once and costs a few µs, which is most of the load phase at 10,000 reports.
public enum FastYAML {
    /// Bytes outside the subset in a key (block or flow) and anywhere in a plain scalar inside `[…]` or `{…}`:
    /// YAML's punctuation — `:` `?` `,` brackets, `#`, anchors and aliases `&` `*`, tags `!`, block indicators
    /// `|` `>`, quotes, `%` `@` `` ` `` — and tab. Front matter as staff write it has none of these there, so
    /// the fast path leaves any text that does to Yams instead of trying to match libyaml's every rule
    /// (fuzzing kept finding one more: a `?` after a flow key's colon, `:::` inside a flow key).
    static let outsideSubset: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for c in ":?,[]{}#&*!|>'\"%@`\t".utf8 { table[Int(c)] = true }
        return table
    }()

    /// `lineOffset` is added to line numbers, as FrontMatterParser does for Yams' marks.
    public static func parse(_ text: String, lineOffset: Int) -> YAMLValue? {
        let bytes = Array(text.utf8)
        guard onlyPrintable(bytes) else { return nil }
        var parser = Parser(bytes: bytes, lineOffset: lineOffset)
        return parser.document()
    }

    /// libyaml refuses control characters and reads CR, NEL, LS and PS as line breaks, and a BOM may
    /// only come first: text with any of them is left to Yams (found by fuzzing).
    static func onlyPrintable(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x20 {
                if b != 0x0A && b != 0x09 { return false }
            } else if b == 0x7F {
                return false
            } else if b == 0xC2, i + 1 < n, bytes[i + 1] < 0xA0 {
                return false                                  // U+0080–U+009F, NEL among them
            } else if b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                return false                                  // U+2028, U+2029
            } else if b == 0xEF, i + 2 < n, (bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF) || (bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE) {
                return false                                  // U+FEFF, U+FFFE, U+FFFF
            }
            i += 1
        }
        return true
    }

    private struct Line {
        var start: Int
        var end: Int
        /// Offset of the first non-space byte (== end for blank lines).
        var content: Int
        var number: Int
        var indent: Int { content - start }
    }

    private struct Parser {
        let bytes: [UInt8]
        let lineOffset: Int
        var lines: [Line] = []
        var index = 0
        /// Nesting of blocks; deep nesting is left to Yams after FrontMatterParser's own check.
        var depth = 0

        init(bytes: [UInt8], lineOffset: Int) {
            self.bytes = bytes
            self.lineOffset = lineOffset
            var start = 0
            var number = 1
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                var content = start
                while content < end && bytes[content] == 0x20 { content += 1 }
                // Blank and comment-only lines carry nothing.
                if content < end && bytes[content] != 0x23 {
                    lines.append(Line(start: start, end: end, content: content, number: number))
                }
                if end >= bytes.count { break }
                start = end + 1
                number += 1
            }
        }

        mutating func document() -> YAMLValue? {
            guard !lines.isEmpty else { return nil }
            guard lines[0].indent == 0, let value = block(indent: 0) else { return nil }
            return index == lines.count ? value : nil
        }

        func position(_ line: Line, _ offset: Int) -> Position {
            var column = 1
            var i = line.start
            while i < offset {
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            return Position(line: line.number + lineOffset, column: column)
        }

        func isSequenceEntry(_ line: Line, at offset: Int) -> Bool {
            bytes[offset] == UInt8(ascii: "-") && (offset + 1 == line.end || bytes[offset + 1] == 0x20)
        }

        /// A block (map or list) whose entries start at column `indent` on line `index`.
        mutating func block(indent: Int) -> YAMLValue? {
            depth += 1
            defer { depth -= 1 }
            guard index < lines.count, depth <= FrontMatterParser.maxDepth else { return nil }
            let line = lines[index]
            guard line.indent == indent else { return nil }
            if isSequenceEntry(line, at: line.content) { return sequence(indent: indent) }
            return mapping(indent: indent, firstKeyAt: nil)
        }

        mutating func sequence(indent: Int) -> YAMLValue? {
            var items: [YAMLValue] = []
            let first = lines[index]
            let start = position(first, first.content)
            while index < lines.count, lines[index].indent == indent, isSequenceEntry(lines[index], at: lines[index].content) {
                let line = lines[index]
                var rest = line.content + 1
                while rest < line.end && bytes[rest] == 0x20 { rest += 1 }
                if rest == line.end || bytes[rest] == 0x23 {
                    // `-` alone: the item is the block below it.
                    index += 1
                    guard index < lines.count, lines[index].indent > indent, let value = block(indent: lines[index].indent) else { return nil }
                    items.append(value)
                } else if startsMapping(line, at: rest) {
                    // `- key: value`: a map whose keys line up with this first key.
                    guard let value = mapping(indent: rest - line.start, firstKeyAt: rest) else { return nil }
                    items.append(value)
                } else {
                    guard let value = inlineValue(line, at: rest) else { return nil }
                    items.append(value)
                    index += 1
                }
            }
            if index < lines.count && lines[index].indent > indent { return nil }
            return .list(items, start)
        }

        /// Whether the text at `offset` is `key:` or `key: …` (a plain key).
        func startsMapping(_ line: Line, at offset: Int) -> Bool {
            if isIndicator(bytes[offset]) { return false }
            return keyEnd(line, from: offset) != nil
        }

        /// The offset of the `:` ending a plain key, if the line holds one.
        func keyEnd(_ line: Line, from offset: Int) -> Int? {
            var i = offset
            while i < line.end {
                let b = bytes[i]
                // libyaml reads a tab before the colon as white space, and refuses a key over 1024
                // characters: leave such keys to it (both found by fuzzing).
                if b == 0x09 || i - offset > 1000 { return nil }
                if b == UInt8(ascii: ":") && (i + 1 == line.end || bytes[i + 1] == 0x20) { return i }
                // The subset: a key is a plain word without YAML punctuation (see `outsideSubset`).
                if FastYAML.outsideSubset[Int(b)] { return nil }
                i += 1
            }
            return nil
        }

        func isIndicator(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
                 UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
                 UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
                 UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), 0x09:
                return true
            default:
                return false
            }
        }

        /// A block map at column `indent`. `firstKeyAt` is set when the first key follows `- ` on a list line.
        mutating func mapping(indent: Int, firstKeyAt: Int?) -> YAMLValue? {
            var pairs: [(key: String, keyPosition: Position, value: YAMLValue)] = []
            var seen = SeenKeys()
            var start: Position?
            var keyOffset = firstKeyAt
            while index < lines.count {
                let line = lines[index]
                let offset: Int
                if let k = keyOffset {
                    offset = k
                    keyOffset = nil
                } else {
                    guard line.indent == indent else { break }
                    if isSequenceEntry(line, at: line.content) { return nil }
                    offset = line.content
                }
                guard !isIndicator(bytes[offset]), let colon = keyEnd(line, from: offset) else { return nil }
                var keyEndTrimmed = colon
                while keyEndTrimmed > offset && bytes[keyEndTrimmed - 1] == 0x20 { keyEndTrimmed -= 1 }
                let key = String(decoding: bytes[offset..<keyEndTrimmed], as: UTF8.self)
                guard seen.insert(key) else { return nil }
                let keyPosition = position(line, offset)
                if start == nil { start = keyPosition }
                var rest = colon + 1
                while rest < line.end && bytes[rest] == 0x20 { rest += 1 }
                if rest == line.end || bytes[rest] == 0x23 {
                    index += 1
                    if index < lines.count && lines[index].indent > indent {
                        guard let value = block(indent: lines[index].indent) else { return nil }
                        pairs.append((key, keyPosition, value))
                    } else if index < lines.count && lines[index].indent == indent && isSequenceEntry(lines[index], at: lines[index].content) {
                        // `key:` followed by `- item` at the key's own column is a list too.
                        guard let value = sequence(indent: indent) else { return nil }
                        pairs.append((key, keyPosition, value))
                    } else {
                        // An empty value: libyaml puts the empty scalar where the next token starts;
                        // a null is read as "not given" everywhere, so only its kind matters.
                        pairs.append((key, keyPosition, .scalar("", quoted: false, position(line, line.end))))
                    }
                } else {
                    guard let value = inlineValue(line, at: rest) else { return nil }
                    pairs.append((key, keyPosition, value))
                    index += 1
                }
            }
            if index < lines.count && lines[index].indent > indent { return nil }
            guard let start else { return nil }
            return .map(pairs, start)
        }

        /// A value on the rest of a line: a quoted or plain scalar, or a one-line flow list or map.
        func inlineValue(_ line: Line, at offset: Int) -> YAMLValue? {
            let b = bytes[offset]
            var end = offset
            let value: YAMLValue
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                guard let (text, after) = quoted(line, at: offset) else { return nil }
                value = .scalar(text, quoted: true, position(line, offset))
                end = after
            } else if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                guard let (flowValue, after) = flow(line, at: offset, depth: 0) else { return nil }
                value = flowValue
                end = after
            } else {
                if isIndicator(b) && !(b == UInt8(ascii: "-") && offset + 1 < line.end && bytes[offset + 1] != 0x20) { return nil }
                var i = offset
                var last = offset
                while i < line.end {
                    let c = bytes[i]
                    if c == UInt8(ascii: "#") && bytes[i - 1] == 0x20 { break }
                    // `a: b` inside a value is a syntax error for YAML: leave it to Yams to report.
                    if c == UInt8(ascii: ":") && (i + 1 == line.end || bytes[i + 1] == 0x20) { return nil }
                    if c == 0x09 { return nil }
                    if c != 0x20 { last = i + 1 }
                    i += 1
                }
                return .scalar(String(decoding: bytes[offset..<last], as: UTF8.self), quoted: false, position(line, offset))
            }
            // After a quoted scalar or a flow collection only a comment may follow.
            var i = end
            while i < line.end && bytes[i] == 0x20 { i += 1 }
            if i < line.end && !(bytes[i] == UInt8(ascii: "#") && i > end) { return nil }
            return value
        }

        /// A one-line quoted scalar; returns its text and the offset after the closing quote.
        func quoted(_ line: Line, at offset: Int) -> (String, Int)? {
            let quote = bytes[offset]
            var out: [UInt8] = []
            var i = offset + 1
            while i < line.end {
                let c = bytes[i]
                if quote == UInt8(ascii: "'") {
                    if c == quote {
                        if i + 1 < line.end && bytes[i + 1] == quote { out.append(quote); i += 2; continue }
                        return (String(decoding: out, as: UTF8.self), i + 1)
                    }
                    out.append(c)
                } else {
                    if c == quote { return (String(decoding: out, as: UTF8.self), i + 1) }
                    if c == UInt8(ascii: "\\") {
                        guard i + 1 < line.end else { return nil }
                        switch bytes[i + 1] {
                        case UInt8(ascii: "\""): out.append(0x22)
                        case UInt8(ascii: "\\"): out.append(0x5C)
                        case UInt8(ascii: "/"): out.append(0x2F)
                        case UInt8(ascii: "n"): out.append(0x0A)
                        case UInt8(ascii: "t"): out.append(0x09)
                        default: return nil
                        }
                        i += 2
                        continue
                    }
                    out.append(c)
                }
                i += 1
            }
            return nil
        }

        /// `[a, b]` or `{k: v, k2: v2}` on one line, nested at most a few levels.
        func flow(_ line: Line, at offset: Int, depth: Int) -> (YAMLValue, Int)? {
            guard depth < 4 else { return nil }
            let open = bytes[offset]
            let close: UInt8 = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            let start = position(line, offset)
            var items: [YAMLValue] = []
            var pairs: [(key: String, keyPosition: Position, value: YAMLValue)] = []
            var seen = SeenKeys()
            var i = offset + 1
            func skipSpaces() { while i < line.end && bytes[i] == 0x20 { i += 1 } }
            skipSpaces()
            if i < line.end && bytes[i] == close {
                return (open == UInt8(ascii: "[") ? .list([], start) : .map([], start), i + 1)
            }
            while i < line.end {
                skipSpaces()
                guard i < line.end else { return nil }
                if open == UInt8(ascii: "{") {
                    // key: value
                    guard !isIndicator(bytes[i]) else { return nil }
                    let keyStart = i
                    while i < line.end && !(bytes[i] == UInt8(ascii: ":") && i + 1 < line.end && bytes[i + 1] == 0x20) {
                        if FastYAML.outsideSubset[Int(bytes[i])] { return nil }
                        i += 1
                    }
                    guard i < line.end, i - keyStart <= 1000 else { return nil }
                    var keyEnd = i
                    while keyEnd > keyStart && bytes[keyEnd - 1] == 0x20 { keyEnd -= 1 }
                    let key = String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self)
                    guard !key.isEmpty, seen.insert(key) else { return nil }
                    let keyPosition = position(line, keyStart)
                    i += 1
                    skipSpaces()
                    guard let (value, after) = flowScalarOrNested(line, at: i, close: close, depth: depth) else { return nil }
                    pairs.append((key, keyPosition, value))
                    i = after
                } else {
                    guard let (value, after) = flowScalarOrNested(line, at: i, close: close, depth: depth) else { return nil }
                    items.append(value)
                    i = after
                }
                skipSpaces()
                guard i < line.end else { return nil }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpaces()
                    // A trailing comma before the bracket is allowed by YAML; keep it simple and let Yams judge.
                    if i < line.end && bytes[i] == close { return nil }
                    continue
                }
                if bytes[i] == close {
                    return (open == UInt8(ascii: "[") ? .list(items, start) : .map(pairs, start), i + 1)
                }
                return nil
            }
            return nil
        }

        func flowScalarOrNested(_ line: Line, at offset: Int, close: UInt8, depth: Int) -> (YAMLValue, Int)? {
            guard offset < line.end else { return nil }
            let b = bytes[offset]
            if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { return flow(line, at: offset, depth: depth + 1) }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                guard let (text, after) = quoted(line, at: offset) else { return nil }
                return (.scalar(text, quoted: true, position(line, offset)), after)
            }
            if b == UInt8(ascii: ",") || b == close {
                // An empty entry: rare, and libyaml's placement of it is its own affair.
                return nil
            }
            if isIndicator(b) && !(b == UInt8(ascii: "-") && offset + 1 < line.end && bytes[offset + 1] != 0x20) { return nil }
            var i = offset
            var last = offset
            while i < line.end {
                let c = bytes[i]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { break }
                // libyaml refuses some colons inside flow scalars ("found unexpected ':'"), and `?`, anchors,
                // tags and the like have meanings of their own there: the subset has none of them.
                if FastYAML.outsideSubset[Int(c)] { return nil }
                if c != 0x20 { last = i + 1 }
                i += 1
            }
            return (.scalar(String(decoding: bytes[offset..<last], as: UTF8.self), quoted: false, position(line, offset)), i)
        }
    }
}
