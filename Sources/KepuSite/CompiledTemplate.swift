import KepuCore

// Theme templates compiled once into nodes that render straight into UTF-8 bytes, looking values up in
// a typed tree. swift-mustache finds every value by casting `Any` to protocol types, which was two
// thirds of a build's instructions (callgrind, 1,000 reports: ~2.6 M per report page). The syntax and
// the whitespace rules are swift-mustache's own, ported rule for rule: swift-mustache still parses
// every template first (its errors carry line and column), renders any theme that uses what this
// compiler leaves out (transforms, lambdas, set delimiters, pragmas, dynamic partials), and is the
// reference the differential test holds this renderer to, page by page.

/// A page's data as compiled templates see it: typed, so a lookup is a dictionary read, never a cast.
enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case map([String: TemplateValue])

    /// The page builders' `[String: Any]` contexts, converted once per page; nil for a value a template
    /// could not show (swift-mustache would look it up through `Mirror` and find nothing either).
    init?(_ any: Any) {
        switch any {
        case let s as String: self = .text(s)
        case let v as TemplateValue: self = v
        case let b as Bool: self = .flag(b)
        case let a as [TemplateValue]: self = .list(a)
        case let d as [String: TemplateValue]: self = .map(d)
        case let d as [String: Any]: self = .map(d.compactMapValues(TemplateValue.init))
        case let a as [[String: Any]]: self = .list(a.map { .map($0.compactMapValues(TemplateValue.init)) })
        case let a as [String]: self = .list(a.map { .text($0) })
        case let a as [Any]: self = .list(a.compactMap(TemplateValue.init))
        case let i as Int: self = .text(String(i))
        case let s as Substring: self = .text(String(s))
        default: return nil
        }
    }

    /// Back to plain values, for a theme rendered by swift-mustache itself.
    var plain: Any {
        switch self {
        case .text(let s): return s
        case .flag(let b): return b
        case .list(let l): return l.map(\.plain)
        case .map(let m): return m.mapValues(\.plain)
        }
    }

    static func plain(_ context: [String: Any]) -> [String: Any] {
        context.mapValues { value -> Any in
            switch value {
            case let v as TemplateValue: return v.plain
            case let a as [TemplateValue]: return a.map(\.plain)
            case let d as [String: TemplateValue]: return d.mapValues(\.plain)
            case let d as [String: Any]: return plain(d)
            case let a as [[String: Any]]: return a.map(plain)
            default: return value
            }
        }
    }
}

indirect enum TemplateNode: Sendable {
    case text([UInt8])
    /// names empty: the current value (`{{.}}`); anchored: `{{.name}}`, looked up in the current value only.
    case variable(names: [String], anchored: Bool, escaped: Bool)
    case section(names: [String], anchored: Bool, inverted: Bool, [TemplateNode])
    /// `{{> name}}`, or `{{< name}}` with the blocks it overrides.
    case partial(String, indentation: [UInt8]?, blocks: [String: [TemplateNode]]?)
    /// `{{$ name}}` in a parent: the child's override, else the default.
    case block(String, [TemplateNode], indentation: [UInt8])
    case blockDefinition(String, [TemplateNode])
}

/// What the compiler leaves to swift-mustache; never shown to staff (the theme then renders the slow way).
struct TemplateUnsupported: Error {}

struct CompiledTemplates: Sendable {
    let templates: [String: [TemplateNode]]

    /// nil when any template needs swift-mustache: then every page renders through it, so partials
    /// and parents never mix two engines.
    init?(_ texts: [String: String]) {
        var templates: [String: [TemplateNode]] = [:]
        for (name, text) in texts {
            var parser = TemplateParser(Array(text.utf8))
            guard let nodes = try? parser.parseTemplate() else { return nil }
            templates[name] = nodes
        }
        self.templates = templates
    }

    func render(_ name: String, _ root: TemplateValue) -> [UInt8] {
        guard let nodes = templates[name] else { return [] }
        var run = TemplateRun(library: templates, stack: [root])
        run.out.reserveCapacity(16 * 1024)
        run.render(nodes)
        return run.out
    }
}

// MARK: - Rendering

private struct TemplateRun {
    let library: [String: [TemplateNode]]
    var stack: [TemplateValue]
    var out: [UInt8] = []
    var indentation: [UInt8] = []
    var inherited: [String: [TemplateNode]]? = nil

    init(library: [String: [TemplateNode]], stack: [TemplateValue]) {
        self.library = library
        self.stack = stack
    }

    mutating func render(_ nodes: [TemplateNode]) {
        if indentation.isEmpty {
            for node in nodes { render(node) }
            return
        }
        // An indented standalone partial: every line it starts gets the indentation (as swift-mustache:
        // per node, counting only what this call wrote, and "\r\n" is not a line end here).
        let start = out.count
        for node in nodes {
            let mark = out.count
            let lineStart = mark > start && out[mark - 1] == 0x0A && !(mark - 2 >= start && out[mark - 2] == 0x0D)
            render(node)
            if lineStart && out.count > mark { out.insert(contentsOf: indentation, at: mark) }
        }
    }

    mutating func render(_ node: TemplateNode) {
        switch node {
        case .text(let bytes):
            out.append(contentsOf: bytes)
        case .variable(let names, let anchored, let escaped):
            switch lookup(names, anchored) {
            case .text(let s)?:
                if escaped { XMLText.escape(s, into: &out) } else { out.append(contentsOf: s.utf8) }
            case .flag(let b)?:
                out.append(contentsOf: (b ? "true" : "false").utf8)
            case .list?, .map?, nil:
                break
            }
        case .section(let names, let anchored, let inverted, let nodes):
            let value = lookup(names, anchored)
            if inverted {
                switch value {
                case .list(let l)? where l.isEmpty: push(value!, nodes)
                case .flag(false)?, nil: render(nodes)
                default: break
                }
            } else {
                switch value {
                case .list(let l)?: for item in l { push(item, nodes) }
                case .flag(let b)?: if b { render(nodes) }
                case let v?: push(v, nodes)
                case nil: break
                }
            }
        case .partial(let name, let indented, let blocks):
            guard let nodes = library[name] else { return }
            let (savedIndentation, savedInherited) = (indentation, inherited)
            if let indented { indentation += indented }
            // Outer overrides win over a nested parent's, as in the Mustache spec.
            if let blocks { inherited = inherited.map { $0.merging(blocks) { outer, _ in outer } } ?? blocks }
            render(nodes)
            (indentation, inherited) = (savedIndentation, savedInherited)
        case .block(let name, let defaults, let indented):
            let saved = indentation
            indentation += indented
            render(inherited?[name] ?? defaults)
            indentation = saved
        case .blockDefinition:
            break
        }
    }

    mutating func push(_ value: TemplateValue, _ nodes: [TemplateNode]) {
        stack.append(value)
        render(nodes)
        stack.removeLast()
    }

    /// The first name is looked up from the innermost value outwards; the rest only inside what it found.
    func lookup(_ names: [String], _ anchored: Bool) -> TemplateValue? {
        guard let first = names.first else { return stack.last }
        var found: TemplateValue?
        if anchored {
            if case .map(let m)? = stack.last { found = m[first] }
        } else {
            for value in stack.reversed() {
                if case .map(let m) = value, let v = m[first] { found = v; break }
            }
        }
        guard var value = found else { return nil }
        for name in names.dropFirst() {
            guard case .map(let m) = value, let v = m[name] else { return nil }
            value = v
        }
        return value
    }
}

// MARK: - Parsing

/// swift-mustache's parser state machine on UTF-8 bytes: the same standalone-line and indentation rules,
/// so both engines write the same bytes.
private struct TemplateParser {
    struct State {
        var sectionName: String? = nil
        var newLine = true
        var isPartialDefinition = false
        var isPartialDefinitionTopLevel = false
        var partialDefinitionIndent: [UInt8]? = nil

        func inSection(_ name: String, newLine: Bool) -> State {
            var s = self
            s.sectionName = name
            s.isPartialDefinitionTopLevel = false
            if !newLine { s.newLine = false }
            return s
        }

        func inParent(_ name: String) -> State {
            var s = self
            s.sectionName = name
            s.newLine = true
            s.isPartialDefinition = true
            s.isPartialDefinitionTopLevel = true
            return s
        }
    }

    let bytes: [UInt8]
    var pos = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { pos >= bytes.count }

    /// Theme.load puts `{{% CONTENT_TYPE … }}` before each template for swift-mustache; that tag counts as
    /// standalone only when the template's first line is blank. Start as the reference engine does after it.
    mutating func parseTemplate() throws -> [TemplateNode] {
        var state = State()
        state.newLine = lineFinished()
        return try parse(state)
    }

    mutating func parse(_ initial: State) throws -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        var state = initial
        var whitespaceBefore: [UInt8] = []
        while !atEnd {
            if state.newLine {
                let start = pos
                while !atEnd && (bytes[pos] == 0x20 || bytes[pos] == 0x09) { pos += 1 }
                let whitespace = Array(bytes[start..<pos])
                if state.isPartialDefinition && !state.isPartialDefinitionTopLevel {
                    if let indent = state.partialDefinitionIndent {
                        whitespaceBefore = Array(whitespace.dropFirst(indent.count))
                    } else {
                        state.partialDefinitionIndent = whitespace
                    }
                } else {
                    whitespaceBefore = whitespace
                }
            }
            let text = readUntilTagOrNewline()
            let newline = newlineLength(at: pos)
            if newline > 0 {
                nodes.append(.text(whitespaceBefore + text + bytes[pos..<pos + newline]))
                state.newLine = true
                pos += newline
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whitespaceBefore + text))
                whitespaceBefore = []
                state.newLine = false
            }
            if atEnd { break }
            var setNewLine = false
            func flushWhitespace() {
                if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)); whitespaceBefore = [] }
            }
            switch bytes[pos] {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[pos] == UInt8(ascii: "^")
                pos += 1
                let name = try readName()
                if standalone(state) { setNewLine = true } else { flushWhitespace() }
                let inner = try parse(state.inSection(name, newLine: setNewLine))
                let (names, anchored) = Self.split(name)
                nodes.append(.section(names: names, anchored: anchored, inverted: inverted, inner))
            case UInt8(ascii: "/"):
                pos += 1
                let name = try readName()
                guard name == state.sectionName else { throw TemplateUnsupported() }
                if !standalone(state) { flushWhitespace() }
                return nodes
            case UInt8(ascii: "!"):
                pos += 1
                guard let close = find(Self.close, from: pos) else { throw TemplateUnsupported() }
                pos = close + 2
                setNewLine = standalone(state)
            case UInt8(ascii: "{"):
                flushWhitespace()
                pos += 1
                let name = try readName()
                guard !atEnd, bytes[pos] == UInt8(ascii: "}") else { throw TemplateUnsupported() }
                pos += 1
                let (names, anchored) = Self.split(name)
                nodes.append(.variable(names: names, anchored: anchored, escaped: false))
            case UInt8(ascii: "&"):
                flushWhitespace()
                pos += 1
                let (names, anchored) = Self.split(try readName())
                nodes.append(.variable(names: names, anchored: anchored, escaped: false))
            case UInt8(ascii: ">"):
                pos += 1
                skipWhitespace()
                let name = try readPartialName()
                if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)) }
                if standalone(state) {
                    setNewLine = true
                    nodes.append(.partial(name, indentation: whitespaceBefore, blocks: nil))
                } else {
                    nodes.append(.partial(name, indentation: nil, blocks: nil))
                }
                whitespaceBefore = []
            case UInt8(ascii: "<"):
                pos += 1
                skipWhitespace()
                let name = try readPartialName()
                if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)) }
                if standalone(state) { setNewLine = true }
                var blocks: [String: [TemplateNode]] = [:]
                for node in try parse(state.inParent(name)) {
                    switch node {
                    case .blockDefinition(let block, let inner): blocks[block] = inner
                    case .text: break
                    default: throw TemplateUnsupported()
                    }
                }
                nodes.append(.partial(name, indentation: whitespaceBefore, blocks: blocks))
                whitespaceBefore = []
            case UInt8(ascii: "$"):
                pos += 1
                let name = try readName()
                if state.isPartialDefinitionTopLevel {
                    if standalone(state) { setNewLine = true }
                    nodes.append(.blockDefinition(name, try parse(state.inSection(name, newLine: setNewLine))))
                } else {
                    if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)) }
                    if standalone(state) { setNewLine = true }
                    let inner = try parse(state.inSection(name, newLine: setNewLine))
                    nodes.append(.block(name, inner, indentation: whitespaceBefore))
                    whitespaceBefore = []
                }
            case UInt8(ascii: "="), UInt8(ascii: "%"):
                throw TemplateUnsupported()
            default:
                flushWhitespace()
                let (names, anchored) = Self.split(try readName())
                nodes.append(.variable(names: names, anchored: anchored, escaped: true))
            }
            state.newLine = setNewLine
        }
        guard state.sectionName == nil else { throw TemplateUnsupported() }
        return nodes
    }

    static let close: [UInt8] = Array("}}".utf8)

    /// Text up to a newline (left unread) or a `{{` (read).
    mutating func readUntilTagOrNewline() -> [UInt8] {
        let start = pos
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x0A || (b == 0x0D && pos + 1 < bytes.count && bytes[pos + 1] == 0x0A) { return Array(bytes[start..<pos]) }
            if b == UInt8(ascii: "{") && pos + 1 < bytes.count && bytes[pos + 1] == UInt8(ascii: "{") {
                let text = Array(bytes[start..<pos])
                pos += 2
                return text
            }
            pos += 1
        }
        return Array(bytes[start..<pos])
    }

    /// Bytes of the newline at `i` (Swift's Character.isNewline), 0 if none.
    func newlineLength(at i: Int) -> Int {
        guard i < bytes.count else { return 0 }
        switch bytes[i] {
        case 0x0D: return i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
        case 0x0A, 0x0B, 0x0C: return 1
        case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85: return 2
        case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9): return 3
        default: return 0
        }
    }

    /// Bytes of the whitespace at `i` (Swift's Character.isWhitespace), 0 if none.
    func whitespaceLength(at i: Int) -> Int {
        guard i < bytes.count else { return 0 }
        let b = bytes[i]
        if b == 0x20 || b == 0x09 { return 1 }
        if let n = Optional(newlineLength(at: i)), n > 0 { return n }
        if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 { return 2 }
        if b == 0xE3, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { return 3 }   // U+3000
        if b == 0xE1, i + 2 < bytes.count, bytes[i + 1] == 0x9A, bytes[i + 2] == 0x80 { return 3 }   // U+1680
        if b == 0xE2, i + 2 < bytes.count {
            let (b1, b2) = (bytes[i + 1], bytes[i + 2])
            if b1 == 0x80 && (b2 <= 0x8A || b2 == 0xAF) { return 3 }                               // U+2000–200A, 202F
            if b1 == 0x81 && b2 == 0x9F { return 3 }                                                // U+205F
        }
        return 0
    }

    mutating func skipWhitespace() {
        while let n = Optional(whitespaceLength(at: pos)), n > 0 { pos += n }
    }

    /// After a tag: the rest of the line is blank (spaces, tabs) — then the newline is consumed.
    mutating func lineFinished() -> Bool {
        if atEnd { return true }
        var p = pos
        while p < bytes.count && (bytes[p] == 0x20 || bytes[p] == 0x09) { p += 1 }
        let n = newlineLength(at: p)
        guard n > 0 else { return false }
        pos = p + n
        return true
    }

    mutating func standalone(_ state: State) -> Bool { state.newLine && lineFinished() }

    static func isNameByte(_ b: UInt8, slash: Bool) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "?"), UInt8(ascii: "*"):
            return true
        case UInt8(ascii: "/"): return slash
        default: return false
        }
    }

    /// A tag's name and its closing `}}`; a transform (`name(x)`) is left to swift-mustache.
    mutating func readName(slash: Bool = false) throws -> String {
        skipWhitespace()
        let start = pos
        while pos < bytes.count && Self.isNameByte(bytes[pos], slash: slash) { pos += 1 }
        let name = String(decoding: bytes[start..<pos], as: UTF8.self)
        skipWhitespace()
        guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "}"), bytes[pos + 1] == UInt8(ascii: "}") else {
            throw TemplateUnsupported()
        }
        pos += 2
        return name
    }

    mutating func readPartialName() throws -> String {
        let name = try readName(slash: true)
        if name.hasPrefix("*") { throw TemplateUnsupported() }
        return name
    }

    func find(_ needle: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && bytes[i + 1] == needle[1] { return i }
            i += 1
        }
        return nil
    }

    /// "a.b" → (["a", "b"], false); ".a" → (["a"], true); "." → ([], true).
    static func split(_ name: String) -> ([String], Bool) {
        (name.split(separator: ".").map(String.init), name.hasPrefix("."))
    }
}
