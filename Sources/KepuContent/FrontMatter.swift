import KepuCore
import Yams

/// A YAML value with the file position it came from. Plain scalars are kept as the text written:
/// a title `2023` stays "2023", a date stays text until a field asks for a `Day`.
public indirect enum YAMLValue: Sendable {
    case scalar(String, quoted: Bool, Position)
    case list([YAMLValue], Position)
    case map([(key: String, keyPosition: Position, value: YAMLValue)], Position)

    public var position: Position {
        switch self {
        case let .scalar(_, _, p), let .list(_, p), let .map(_, p): return p
        }
    }

    /// The value as written, roughly, for a message: `[11, x]`.
    public var plainText: String {
        switch self {
        case let .scalar(t, _, _): return t
        case let .list(items, _): return "[" + items.map(\.plainText).joined(separator: ", ") + "]"
        case let .map(pairs, _): return "{" + pairs.map { "\($0.key): \($0.value.plainText)" }.joined(separator: ", ") + "}"
        }
    }

    /// Plain empty scalars, `~` and `null` mean "not given".
    public var isNull: Bool {
        if case let .scalar(text, quoted, _) = self, !quoted {
            // By length first: a Chinese title compared with "null" took String's Unicode path, four times
            // for every field read (3 % of loading a report).
            switch text.utf8.count {
            case 0: return true
            case 1: return text == "~"
            case 4: return text == "null" || text == "Null" || text == "NULL"
            default: return false
            }
        }
        return false
    }
}

/// Line and column in the file (not in the YAML snippet): 1-based.
public struct Position: Sendable, Hashable, Comparable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
}

/// Where each front-matter field of a report is written (`title`, `spend[0].source`, `$` for the block), for
/// messages. A short list, not a dictionary: a dozen entries, read only to place a message, where a
/// dictionary's table took about 600 bytes a report (58 MB of a 100,000-report build's peak).
public struct FieldPositions: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private struct Entry: Sendable, Equatable {
        var key: String
        var line: Int32
        var column: Int32
    }
    private var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, Position)...) {
        for (key, position) in elements { self[key] = position }
    }

    public var count: Int { entries.count }

    public subscript(key: String) -> Position? {
        get {
            entries.first { $0.key == key }.map { Position(line: Int($0.line), column: Int($0.column)) }
        }
        set {
            let i = entries.firstIndex { $0.key == key }
            guard let p = newValue else {
                if let i { entries.remove(at: i) }
                return
            }
            // Lines and columns past Int32 (a 2 GB file) are clamped; such a file never gets this far.
            let entry = Entry(key: key, line: Int32(clamping: p.line), column: Int32(clamping: p.column))
            if let i { entries[i] = entry } else {
                if entries.isEmpty { entries.reserveCapacity(12) }
                entries.append(entry)
            }
        }
    }

    /// The same keys at the same places, in any order (as dictionaries compare).
    public static func == (a: FieldPositions, b: FieldPositions) -> Bool {
        a.entries.count == b.entries.count && a.entries.allSatisfy { b[$0.key] == Position(line: Int($0.line), column: Int($0.column)) }
    }
}

/// Parses front matter YAML into `YAMLValue`s, translating YAML errors into diagnostics people can act on.
public enum FrontMatterParser {
    public static let maxDepth = 16

    public static func parse(_ document: SourceDocument) -> Result<YAMLValue, Diagnostic> {
        let offset = document.frontMatterLine - 1
        if let value = FastYAML.parse(document.frontMatter, lineOffset: offset) {
            guard case .map = value else {
                let p = value.position
                return .failure(Diagnostic(.error, phase: .load, path: document.path, line: p.line, column: p.column,
                                           .frontMatterNotMapping))
            }
            return .success(value)
        }
        return parseWithYams(document, offset: offset)
    }

    /// The full YAML parser: for what FastYAML leaves alone, and for naming syntax errors.
    public static func parseWithYams(_ document: SourceDocument, offset: Int) -> Result<YAMLValue, Diagnostic> {
        func fail(_ line: Int, _ column: Int, _ problem: Problem) -> Result<YAMLValue, Diagnostic> {
            .failure(Diagnostic(.error, phase: .load, path: document.path, line: line + offset, column: column, problem))
        }
        if let (line, column, problem) = precheck(document.frontMatter) {
            return fail(line, column, problem)
        }
        let node: Node?
        do {
            // The encoding is named: its default reads the whole process environment on every call.
            node = try Yams.compose(yaml: document.frontMatter, Resolver.basic, Constructor.default, .utf8)
        } catch let error as YamlError {
            let (line, column, problem) = describe(error, yaml: document.frontMatter)
            return fail(line, column, problem)
        } catch {
            return fail(1, 1, .yamlSyntax(detail: "\(error)"))
        }
        guard let node else {
            // `---` directly followed by `---`: an empty map, so required fields are reported by name.
            return .success(.map([], Position(line: document.frontMatterLine, column: 1)))
        }
        let value = convert(node, offset: offset)
        guard case .map = value else {
            let p = value.position
            return .failure(Diagnostic(.error, phase: .load, path: document.path, line: p.line, column: p.column,
                                       .frontMatterNotMapping))
        }
        return .success(value)
    }

    private static func convert(_ node: Node, offset: Int) -> YAMLValue {
        let mark = node.mark
        let position = Position(line: (mark?.line ?? 1) + offset, column: mark?.column ?? 1)
        switch node {
        case let .scalar(scalar):
            return .scalar(scalar.string, quoted: scalar.style != .plain, position)
        case let .sequence(sequence):
            return .list(sequence.map { convert($0, offset: offset) }, position)
        case let .mapping(mapping):
            var pairs: [(key: String, keyPosition: Position, value: YAMLValue)] = []
            pairs.reserveCapacity(mapping.count)
            for (k, v) in mapping {
                let kp = Position(line: (k.mark?.line ?? 1) + offset, column: k.mark?.column ?? 1)
                pairs.append((k.scalar?.string ?? "", kp, convert(v, offset: offset)))
            }
            return .map(pairs, position)
        case .alias:
            return .scalar("", quoted: false, position)
        }
    }

    /// Checks libyaml would handle badly or not at all: tabs in indentation (named exactly), aliases
    /// (a few lines of them expand to gigabytes), and nesting deep enough to exhaust a thread's stack.
    static func precheck(_ yaml: String) -> (Int, Int, Problem)? {
        var line = 1
        var depth = 0
        // Indents of the enclosing block levels: nesting is how many, not how many spaces (fuzzing found
        // a shallow map indented 40 spaces called too deep).
        var indents: [Int] = []
        // A quoted scalar may go on over several lines: what is inside it is text, not an alias or a key.
        var quote: UInt8 = 0
        for raw in yaml.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            defer { line += 1 }
            let bytes = Array(raw)
            var i = 0
            var indent = 0
            while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) {
                // A tab inside a quoted scalar's continuation is only text.
                if bytes[i] == 0x09 && quote == 0 { return (line, i + 1, .yamlTab) }
                i += 1
                indent += 1
            }
            if quote == 0 {
                if i >= bytes.count || bytes[i] == UInt8(ascii: "#") { continue }
                while let last = indents.last, last > indent { indents.removeLast() }
                if indents.last != indent { indents.append(indent) }
                if indents.count - 1 > maxDepth { return (line, i + 1, .yamlTooDeep) }
            }
            var valueStart = quote == 0
            var flow = false
            var column = i
            var k = i
            while k < bytes.count {
                let b = bytes[k]
                if b & 0xC0 != 0x80 { column += 1 }
                if quote != 0 {
                    // `''` in single quotes and `\x` in double quotes are escapes, not the closing quote
                    // (fuzzing found `'''k: *a'''` read as an alias).
                    let escaped = (quote == UInt8(ascii: "'") && b == quote && k + 1 < bytes.count && bytes[k + 1] == quote)
                        || (quote == UInt8(ascii: "\"") && b == UInt8(ascii: "\\") && k + 1 < bytes.count)
                    if escaped {
                        if bytes[k + 1] & 0xC0 != 0x80 { column += 1 }
                        k += 2
                        continue
                    }
                    if b == quote { quote = 0 }
                } else if valueStart && (b == UInt8(ascii: "&") || b == UInt8(ascii: "*"))
                            && k + 1 < bytes.count && bytes[k + 1] != 0x20 {
                    return (line, column, .yamlAlias)
                } else if valueStart && (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) {
                    quote = b
                    valueStart = false
                } else if b == UInt8(ascii: "#") && k > 0 && bytes[k - 1] == 0x20 {
                    break
                } else if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                    if valueStart { flow = true }
                    if flow {
                        depth += 1
                        if depth > maxDepth { return (line, column, .yamlTooDeep) }
                    }
                    valueStart = flow
                    k += 1
                    continue
                } else if flow && (b == UInt8(ascii: "]") || b == UInt8(ascii: "}")) {
                    depth = max(0, depth - 1)
                } else if b == UInt8(ascii: ",") && flow {
                    valueStart = true
                    k += 1
                    continue
                } else if b != 0x20 {
                    // `- ` and `key: ` start a value; anything else is inside a plain scalar.
                    if b == UInt8(ascii: "-") && valueStart && k + 1 < bytes.count && bytes[k + 1] == 0x20 {
                        k += 1
                        continue
                    }
                    if b == UInt8(ascii: ":") && (k + 1 == bytes.count || bytes[k + 1] == 0x20) {
                        valueStart = true
                        k += 1
                        continue
                    }
                    valueStart = false
                }
                k += 1
            }
        }
        return nil
    }

    /// The first line of the form `key：value` (full-width colon, no ASCII colon before it): line, column, key.
    static func fullWidthColon(in yaml: String) -> (Int, Int, String)? {
        let colon: [UInt8] = [0xEF, 0xBC, 0x9A]
        var line = 0
        for raw in yaml.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            let bytes = Array(raw)
            var i = 0
            while i < bytes.count && bytes[i] == 0x20 { i += 1 }
            if i + 1 < bytes.count && bytes[i] == UInt8(ascii: "-") && bytes[i + 1] == 0x20 { i += 2 }
            let keyStart = i
            while i < bytes.count, bytes[i] < 0x80,
                  (bytes[i] >= UInt8(ascii: "a") && bytes[i] <= UInt8(ascii: "z")) || (bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z"))
                    || (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")) || bytes[i] == UInt8(ascii: "_") {
                i += 1
            }
            guard i > keyStart else { continue }
            let key = String(decoding: bytes[keyStart..<i], as: UTF8.self)
            while i < bytes.count && bytes[i] == 0x20 { i += 1 }
            if i + 3 <= bytes.count && Array(bytes[i..<(i + 3)]) == colon {
                return (line, i + 1, key)  // everything before the colon is ASCII: bytes are columns
            }
        }
        return nil
    }

    /// The first line that starts (after ASCII spaces) with an ideographic space U+3000.
    static func fullWidthIndent(in yaml: String) -> (Int, Int)? {
        var line = 0
        for raw in yaml.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            let rest = raw.drop { $0 == 0x20 }
            if rest.starts(with: [0xE3, 0x80, 0x80]) { return (line, raw.count - rest.count + 1) }
        }
        return nil
    }

    /// Whether the line has a `: ` before the given column (1-based, in characters).
    static func colonBefore(column: Int, line: Int, in yaml: String) -> Bool {
        guard let text = yaml.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(line - 1).first else {
            return true
        }
        let before = Array(text.unicodeScalars.prefix(max(0, column - 1)))
        for k in before.indices.dropLast() where before[k] == ":" && (before[k + 1] == " " || before[k + 1] == "\t") {
            return true
        }
        return false
    }

    /// Line and column of the second `key:` in a block mapping that starts at the given position.
    static func secondOccurrence(of key: String, yaml: String, mappingLine: Int, mappingColumn: Int) -> (Int, Int)? {
        let indent = mappingColumn - 1
        var seen = 0
        var line = 0
        for raw in yaml.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            if line < mappingLine { continue }
            let bytes = Array(raw)
            var i = 0
            while i < bytes.count && bytes[i] == 0x20 { i += 1 }
            if i == bytes.count || bytes[i] == UInt8(ascii: "#") { continue }
            // The mapping's first line may start with `- `; later lines of the mapping sit at its indentation.
            if line == mappingLine { i = indent } else if i < indent { break } else if i > indent { continue }
            for candidate in [key, "\"\(key)\"", "'\(key)'"] {
                let word = Array(candidate.utf8)
                guard i + word.count <= bytes.count, Array(bytes[i..<(i + word.count)]) == word else { continue }
                var k = i + word.count
                while k < bytes.count && bytes[k] == 0x20 { k += 1 }
                guard k < bytes.count, bytes[k] == UInt8(ascii: ":") else { continue }
                seen += 1
                if seen == 2 { return (line, indent + 1) }
                break
            }
        }
        return nil
    }

    /// Turns libyaml's English into a problem a staff member can act on, at the right spot.
    static func describe(_ error: YamlError, yaml: String) -> (Int, Int, Problem) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            // A Chinese input method types `title：…`; libyaml then fails a line or two later, so look first.
            if let (line, column, _) = fullWidthColon(in: yaml) {
                return (line, column, .yamlFullWidthColon)
            }
            // A full-width space typed as indentation (`　- {item: …}`) confuses libyaml a line later.
            if let (line, column) = fullWidthIndent(in: yaml) {
                return (line, column, .fullWidthSpaceIndent)
            }
            if problem.contains("could not find expected ':'"), let context, context.text.contains("simple key") {
                // libyaml gives up on the next line; the key without its colon is where the context began.
                // At the top level that line can only be a field; further in, it may be a list item without `- `.
                if context.mark.column == 1 { return (context.mark.line, context.mark.column, .yamlMissingColon) }
                return (context.mark.line, context.mark.column, .yamlSyntax(detail: problem))
            }
            if let context, context.text.contains("quoted scalar") || context.text.contains("flow") {
                // An unclosed quote or bracket is found at the end of the text; name where it was opened.
                return (context.mark.line, context.mark.column, .yamlSyntax(detail: problem))
            }
            if problem.contains("mapping values are not allowed") {
                // `title: 科普日: 主题` has a `: ` before the offending one on its line; a key at the start of
                // a line that is merely indented wrongly has none, and is a plain syntax problem.
                if colonBefore(column: mark.column, line: mark.line, in: yaml) {
                    return (mark.line, mark.column, .yamlUnquotedColon)
                }
                return (mark.line, mark.column, .yamlSyntax(detail: problem))
            }
            if problem.contains("tab") {
                return (mark.line, mark.column, .yamlTab)
            }
            return (mark.line, mark.column, .yamlSyntax(detail: problem))
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the start of the mapping; point at the second occurrence, the one to remove.
            let key = duplicates.sorted().first ?? ""
            let (line, column) = secondOccurrence(of: key, yaml: yaml, mappingLine: context.mark.line,
                                                  mappingColumn: context.mark.column)
                ?? (context.mark.line, context.mark.column)
            return (line, column, .yamlDuplicateKey(key: key))
        case let .reader(problem, _, _, _):
            return (1, 1, .yamlSyntax(detail: problem))
        default:
            return (1, 1, .yamlSyntax(detail: "\(error)"))
        }
    }
}
