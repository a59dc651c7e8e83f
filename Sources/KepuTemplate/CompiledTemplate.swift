import KepuCore

// Templates compiled once into a flat program that renders straight into UTF-8 bytes, looking
// values up in a typed tree. swift-mustache finds every value by casting `Any` to protocol types, which was two
// thirds of a build's instructions (callgrind, 1,000 reports: ~2.6 M per report page). The syntax and
// the whitespace rules are swift-mustache's own, ported rule for rule: swift-mustache still parses
// every template first (its errors carry line and column), renders any theme that uses what this
// compiler leaves out (transforms, pragmas, dynamic partials), and is the reference the differential
// tests hold this renderer to, page by page and on the Mustache spec. (Lambdas cannot occur: a
// TemplateValue holds no closure.)

indirect enum TemplateNode: Sendable {
    case text([UInt8])
    /// names empty: the current value (`{{.}}`); anchored: `{{.name}}`, looked up in the current value only.
    /// `at`: the tag's byte offset in its template, for a message naming its line.
    case variable(names: [String], anchored: Bool, escaped: Bool, at: Int)
    case section(names: [String], anchored: Bool, inverted: Bool, [TemplateNode])
    /// `{{> name}}`, or `{{< name}}` with the blocks it overrides; `at` as for a variable.
    case partial(String, indentation: [UInt8]?, blocks: [String: [TemplateNode]]?, at: Int)
    /// `{{$ name}}` in a parent: the child's override, else the default.
    case block(String, [TemplateNode], indentation: [UInt8])
    case blockDefinition(String, [TemplateNode])
}

/// What the compiler leaves to swift-mustache; never shown to staff (the theme then renders the slow way).
struct TemplateUnsupported: Error {}

/// Which `{{name}}` tags found a value, over every page rendered with one compiled library: a tag that
/// ran and never found one is a key no page provides (a typo, or a key the page builders dropped).
final class VariableUsage: @unchecked Sendable {
    private let lock = Lock()
    /// Per variable tag: 0 not rendered, 1 rendered and found nothing, 2 found a value at least once.
    private var seen: [UInt8]

    init(count: Int) { seen = [UInt8](repeating: 0, count: count) }

    /// `touched`: the tags this render marked (a page renders a tenth of the theme's tags: reading them all per
    /// page was 0.5 % of a 10k build).
    func merge(_ run: [UInt8], touched: [Int32]) {
        guard !touched.isEmpty else { return }
        lock.withLock {
            seen.withUnsafeMutableBufferPointer { all in
                for t in touched {
                    let i = Int(t)
                    if run[i] > all[i] { all[i] = run[i] }
                }
            }
        }
    }

    var unprovided: [Int] { lock.withLock { seen.indices.filter { seen[$0] == 1 } } }
}

/// The theme's templates linked into one flat program: instructions of plain integers (no reference
/// counting while rendering, which was a third of the renderer's time when it walked node trees), with
/// all literal text in one byte array and all names in one string array.
struct CompiledTemplates: Sendable {
    fileprivate struct Op: Sendable {
        enum Kind: UInt8, Sendable { case text, variable, unescaped, section, inverted, partial, block }
        var kind: Kind
        /// text: bytes offset, length. variable, section: names start, count, anchored (0/1), and for a
        /// variable its tag's index in `sites` (d), for a section its body as an op range (d..<e). partial: template index (-1 if missing), indentation
        /// offset and length (length -1: none), block set (-1: none). block: name index, default body
        /// (b..<c), indentation offset and length.
        var a: Int32 = 0, b: Int32 = 0, c: Int32 = 0, d: Int32 = 0, e: Int32 = 0
    }

    fileprivate let templateIndex: [String: Int]
    /// Template names in index order, and their text, for messages.
    let templateNames: [String]
    let sources: [[UInt8]]
    /// Each variable tag: its template, byte offset and name as written.
    let sites: [(template: Int, offset: Int, key: String)]
    /// `{{> x}}` and `{{< x}}` naming no template (they would render as nothing).
    let missingPartials: [(template: Int, offset: Int, key: String)]
    fileprivate let usage: VariableUsage
    /// The program itself (ops, literal bytes, names, blocks), in memory a render reads through pointers.
    fileprivate let memory: ProgramMemory

    /// nil when any template needs swift-mustache: then every page renders through it, so partials
    /// and parents never mix two engines.
    init?(_ texts: [String: String]) {
        var trees: [(String, [TemplateNode])] = []
        var sources: [[UInt8]] = []
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            var parser = TemplateParser(Array(text.utf8))
            guard let nodes = try? parser.parseTemplate() else { return nil }
            trees.append((name, nodes))
            sources.append(parser.bytes)
        }
        var linker = Linker(templateIndex: Dictionary(uniqueKeysWithValues: trees.enumerated().map { ($1.0, $0) }))
        var ranges: [Range<Int>] = []
        for (t, (_, nodes)) in trees.enumerated() {
            linker.template = t
            ranges.append(linker.emit(nodes))
        }
        templateNames = trees.map(\.0)
        self.sources = sources
        sites = linker.sites
        missingPartials = linker.missingPartials
        usage = VariableUsage(count: linker.sites.count)
        templateIndex = linker.templateIndex
        var pure = [Bool](repeating: false, count: linker.ops.count + 1)
        for op in linker.ops where op.kind == .section || op.kind == .inverted {
            pure[Int(op.d)] = linker.ops[Int(op.d)..<Int(op.e)].allSatisfy { $0.kind != .partial && $0.kind != .block }
        }
        memory = ProgramMemory(ops: linker.ops, bytes: linker.bytes, names: linker.names, blockSets: linker.blockSets,
                               templateRanges: ranges, pureBodies: pure, siteCount: linker.sites.count)
    }

    func render(_ name: String, _ root: TemplateValue) -> [UInt8] {
        guard let index = templateIndex[name] else { return [] }
        return withExtendedLifetime(memory) {
            var run = TemplateRun(memory: memory, stack: [root.made])
            run.out.reserveCapacity(16 * 1024)
            run.render(memory.templateRanges[index])
            usage.merge(run.seen, touched: run.touched)
            return run.out
        }
    }

    /// Variable tags rendered so far that never found a value (see VariableUsage).
    func unprovided() -> [(template: Int, offset: Int, key: String)] { usage.unprovided.map { sites[$0] } }

    /// Flattens parsed trees: a section's body is emitted right after it, so it is a range of ops.
    private struct Linker {
        let templateIndex: [String: Int]
        var ops: [Op] = []
        var bytes: [UInt8] = []
        var names: [TemplateKey] = []
        var blockSets: [[String: Range<Int>]] = []
        var sites: [(template: Int, offset: Int, key: String)] = []
        var missingPartials: [(template: Int, offset: Int, key: String)] = []
        var template = 0

        init(templateIndex: [String: Int]) { self.templateIndex = templateIndex }

        mutating func bytesRef(_ b: [UInt8]) -> (Int32, Int32) {
            let offset = Int32(bytes.count)
            bytes += b
            return (offset, Int32(b.count))
        }

        mutating func namesRef(_ path: [String]) -> (Int32, Int32) {
            let start = Int32(names.count)
            names += path.map { TemplateKey($0) }
            return (start, Int32(path.count))
        }

        mutating func emit(_ nodes: [TemplateNode]) -> Range<Int> {
            let start = ops.count
            for node in nodes { emit(node) }
            return start..<ops.count
        }

        /// Appends one node; a body goes after its op, which is patched with the body's range.
        mutating func emit(_ node: TemplateNode) {
            switch node {
            case .text(let b):
                let (o, n) = bytesRef(b)
                ops.append(Op(kind: .text, a: o, b: n))
            case .variable(let path, let anchored, let escaped, let offset):
                let (s, n) = namesRef(path)
                ops.append(Op(kind: escaped ? .variable : .unescaped, a: s, b: n, c: anchored ? 1 : 0, d: Int32(sites.count)))
                sites.append((template, offset, (anchored ? "." : "") + path.joined(separator: ".")))
            case .section(let path, let anchored, let inverted, let body):
                let (s, n) = namesRef(path)
                let at = ops.count
                ops.append(Op(kind: inverted ? .inverted : .section, a: s, b: n, c: anchored ? 1 : 0))
                let range = emit(body)
                ops[at].d = Int32(range.lowerBound)
                ops[at].e = Int32(range.upperBound)
            case .partial(let name, let indentation, let blocks, let offset):
                if templateIndex[name] == nil { missingPartials.append((template, offset, name)) }
                var op = Op(kind: .partial, a: Int32(templateIndex[name] ?? -1), b: 0, c: -1, d: -1)
                if let indentation { (op.b, op.c) = bytesRef(indentation) }
                let at = ops.count
                ops.append(op)
                if let blocks {
                    // Block bodies are emitted after the partial op and skipped when rendering it.
                    var set: [String: Range<Int>] = [:]
                    for (block, body) in blocks.sorted(by: { $0.key < $1.key }) { set[block] = emit(body) }
                    ops[at].d = Int32(blockSets.count)
                    ops[at].e = Int32(ops.count)
                    blockSets.append(set)
                } else {
                    ops[at].e = Int32(ops.count)
                }
            case .block(let name, let defaults, let indentation):
                let (s, _) = namesRef([name])
                let at = ops.count
                ops.append(Op(kind: .block, a: s))
                let range = emit(defaults)
                ops[at].b = Int32(range.lowerBound)
                ops[at].c = Int32(range.upperBound)
                (ops[at].d, ops[at].e) = bytesRef(indentation)
            case .blockDefinition:
                break
            }
        }
    }
}

/// What a render reads of its program, where it never moves, for the length of the program: a render reads
/// it through pointers. Read as arrays inside the program, reading an op or its bytes retained and released the
/// array (1.5 % of a 10k build's CPU); and a render that held a copy of the program retained and released each
/// of its arrays, the same objects on both cores, once per page.
private final class ProgramMemory: @unchecked Sendable {
    let ops: UnsafeMutableBufferPointer<CompiledTemplates.Op>
    let bytes: UnsafeMutableBufferPointer<UInt8>
    let names: UnsafeMutableBufferPointer<TemplateKey>
    /// Each parent's overriding blocks: block name → body op range.
    let blockSets: [[String: Range<Int>]]
    /// Each template's ops.
    let templateRanges: UnsafeMutableBufferPointer<Range<Int>>
    /// By op index: a section body starting there holds only text, variables and sections (no partial, no block),
    /// so what it renders from a shared item depends on nothing but the item (see `SharedItem`).
    let pureBodies: UnsafeMutableBufferPointer<Bool>
    /// How many variable tags the program has (`sites`).
    let siteCount: Int

    init(ops: [CompiledTemplates.Op], bytes: [UInt8], names: [TemplateKey], blockSets: [[String: Range<Int>]],
         templateRanges: [Range<Int>], pureBodies: [Bool], siteCount: Int) {
        self.ops = .allocate(capacity: ops.count)
        _ = self.ops.initialize(from: ops)
        self.bytes = .allocate(capacity: bytes.count)
        _ = self.bytes.initialize(from: bytes)
        self.names = .allocate(capacity: names.count)
        _ = self.names.initialize(from: names)
        self.blockSets = blockSets
        self.templateRanges = .allocate(capacity: templateRanges.count)
        _ = self.templateRanges.initialize(from: templateRanges)
        self.pureBodies = .allocate(capacity: pureBodies.count)
        _ = self.pureBodies.initialize(from: pureBodies)
        self.siteCount = siteCount
    }

    deinit {
        ops.deallocate()
        bytes.deallocate()
        names.deinitialize().deallocate()
        templateRanges.deallocate()
        pureBodies.deallocate()
    }
}

// MARK: - Rendering

private struct TemplateRun {
    /// The program's memory, not retained: `render` keeps it alive for the whole run.
    unowned(unsafe) let memory: ProgramMemory
    let ops: UnsafeMutableBufferPointer<CompiledTemplates.Op>
    let bytes: UnsafeMutableBufferPointer<UInt8>
    let names: UnsafeMutableBufferPointer<TemplateKey>
    var stack: [TemplateValue]
    var out: [UInt8] = []
    var indentation: [UInt8] = []
    var inherited: [String: Range<Int>]? = nil
    /// VariableUsage's marks for this render, merged once at its end (no lock per tag), and which tags they are.
    var seen: [UInt8]
    var touched: [Int32] = []
    /// The deepest stack index a lookup depended on since a shared item was pushed (see `pushShared`).
    var lowest = Int.max

    init(memory: ProgramMemory, stack: [TemplateValue]) {
        self.memory = memory
        (ops, bytes, names) = (memory.ops, memory.bytes, memory.names)
        self.stack = stack
        seen = [UInt8](repeating: 0, count: memory.siteCount)
    }

    /// Renders the ops in `range`, skipping each section's body (it follows its op) unless rendered.
    mutating func render(_ range: Range<Int>) {
        if indentation.isEmpty {
            var i = range.lowerBound
            while i < range.upperBound { i = step(i) }
            return
        }
        // An indented standalone partial: every line it starts gets the indentation (as swift-mustache:
        // per node, counting only what this call wrote, and "\r\n" is not a line end here).
        let start = out.count
        var i = range.lowerBound
        while i < range.upperBound {
            let mark = out.count
            let lineStart = mark > start && out[mark - 1] == 0x0A && !(mark - 2 >= start && out[mark - 2] == 0x0D)
            i = step(i)
            if lineStart && out.count > mark { out.insert(contentsOf: indentation, at: mark) }
        }
    }

    /// Runs the op at `i`; returns the index of the next op at the same level.
    mutating func step(_ i: Int) -> Int {
        let op = ops[i]
        switch op.kind {
        case .text:
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[Int(op.a)..<Int(op.a + op.b)]))
            return i + 1
        case .variable, .unescaped:
            var value = lookup(op)
            if case .shared(let item)? = value { value = item.make() }
            let site = Int(op.d)
            if seen[site] == 0 { touched.append(op.d) }
            seen[site] = value == nil ? max(seen[site], 1) : 2
            switch value {
            case .text(let s)?:
                if op.kind == .variable { XMLText.escape(s, into: &out) } else { out.append(contentsOf: s.utf8) }
            case .utf8(let b)?:
                if op.kind == .variable { XMLText.escape(utf8: b, into: &out) } else { out.append(contentsOf: b) }
            case .flag(let b)?:
                out.append(contentsOf: (b ? "true" : "false").utf8)
            case .list?, .map?, .shared?, nil:
                break
            }
            return i + 1
        case .section, .inverted:
            let body = Int(op.d)..<Int(op.e)
            section(lookup(op), inverted: op.kind == .inverted, body)
            return body.upperBound
        case .partial:
            if op.a >= 0 {
                let (savedIndentation, savedInherited) = (indentation, inherited)
                if op.c >= 0 { indentation += bytes[Int(op.b)..<Int(op.b + op.c)] }
                // Outer overrides win over a nested parent's, as in the Mustache spec.
                if op.d >= 0 {
                    let blocks = memory.blockSets[Int(op.d)]
                    inherited = inherited.map { $0.merging(blocks) { outer, _ in outer } } ?? blocks
                }
                render(memory.templateRanges[Int(op.a)])
                (indentation, inherited) = (savedIndentation, savedInherited)
            }
            return Int(op.e)
        case .block:
            let saved = indentation
            indentation += bytes[Int(op.d)..<Int(op.d + op.e)]
            render(inherited?[names[Int(op.a)].text] ?? Int(op.b)..<Int(op.c))
            indentation = saved
            return Int(op.c)
        }
    }

    /// A section's body for `value`: once per item of a list, once for a true flag or any other value, which it is
    /// rendered inside; an inverted section's for nothing, false or an empty list.
    mutating func section(_ value: TemplateValue?, inverted: Bool, _ body: Range<Int>) {
        if inverted {
            switch value?.made {
            case .list(let l)? where l.isEmpty: push(.list(l), body)
            case .flag(false)?, nil: render(body)
            default: break
            }
        } else {
            switch value {
            case .list(let l)?: for item in l { push(item, body) }
            case .flag(let b)?: if b { render(body) }
            case let v?: push(v, body)
            case nil: break
            }
        }
    }

    mutating func push(_ value: TemplateValue, _ body: Range<Int>) {
        if case .shared(let item) = value { return pushShared(item, body) }
        stack.append(value)
        render(body)
        stack.removeLast()
    }

    /// A shared item's bytes as a page before this one rendered them with this body, else rendered now and kept
    /// when nothing they show came from outside the item (`lowest` did not reach below it).
    mutating func pushShared(_ item: any SharedItem, _ body: Range<Int>) {
        let key = item.key
        let keepable = key != nil && indentation.isEmpty && memory.pureBodies[body.lowerBound]
        if keepable, let kept = item.cache.bytes(key!, body: body.lowerBound) {
            out.append(contentsOf: kept)
            return
        }
        let value = item.make()
        switch value {
        case .list, .flag, .shared:
            section(value, inverted: false, body)
            return
        case .text, .utf8, .map:
            break
        }
        let (start, outer) = (out.count, lowest)
        let floor = stack.count
        lowest = Int.max
        stack.append(value)
        render(body)
        stack.removeLast()
        if keepable && lowest >= floor { item.cache.keep(key!, body: body.lowerBound, Array(out[start...])) }
        lowest = min(outer, lowest)
    }

    /// The first name is looked up from the innermost value outwards; the rest only inside what it found.
    /// Notes in `lowest` the deepest value on the stack the answer depended on (-1: all of them).
    mutating func lookup(_ op: CompiledTemplates.Op) -> TemplateValue? {
        let count = Int(op.b)
        guard count > 0 else {
            lowest = min(lowest, stack.count - 1)
            return stack.last
        }
        let start = Int(op.a)
        let first = names[start]
        var found: TemplateValue?
        var i = stack.count - 1
        while i >= 0 {
            if case .map(let m) = stack[i], let v = m[first] { found = v; break }
            if op.c == 1 { break }
            i -= 1
        }
        lowest = min(lowest, op.c == 1 ? stack.count - 1 : i)
        guard var value = found else { return nil }
        for k in start + 1 ..< start + count {
            if case .shared(let item) = value { value = item.make() }
            guard case .map(let m) = value, let v = m[names[k]] else { return nil }
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
    /// The tag delimiters: `{{` `}}` until a `{{=<% %>=}}` tag sets others, for the rest of the section
    /// it is in (as swift-mustache: `parse` restores them when a section ends).
    var open: [UInt8] = Array("{{".utf8)
    var close: [UInt8] = Array("}}".utf8)

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { pos >= bytes.count }

    /// A template starts on a new line (the pragma TemplateLibrary puts before each template for
    /// swift-mustache is a line of its own, so it does not change that).
    mutating func parseTemplate() throws -> [TemplateNode] {
        try parse(State())
    }

    mutating func parse(_ initial: State) throws -> [TemplateNode] {
        let delimiters = (open, close)
        defer { (open, close) = delimiters }
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
            let tagStart = pos - open.count
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
                guard let end = find(close, from: pos) else { throw TemplateUnsupported() }
                pos = end + close.count
                setNewLine = standalone(state)
            case UInt8(ascii: "{"):
                flushWhitespace()
                pos += 1
                let name = try readName()
                guard !atEnd, bytes[pos] == UInt8(ascii: "}") else { throw TemplateUnsupported() }
                pos += 1
                let (names, anchored) = Self.split(name)
                nodes.append(.variable(names: names, anchored: anchored, escaped: false, at: tagStart))
            case UInt8(ascii: "&"):
                flushWhitespace()
                pos += 1
                let (names, anchored) = Self.split(try readName())
                nodes.append(.variable(names: names, anchored: anchored, escaped: false, at: tagStart))
            case UInt8(ascii: ">"):
                pos += 1
                skipWhitespace()
                let name = try readPartialName()
                if !whitespaceBefore.isEmpty { nodes.append(.text(whitespaceBefore)) }
                if standalone(state) {
                    setNewLine = true
                    nodes.append(.partial(name, indentation: whitespaceBefore, blocks: nil, at: tagStart))
                } else {
                    nodes.append(.partial(name, indentation: nil, blocks: nil, at: tagStart))
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
                nodes.append(.partial(name, indentation: whitespaceBefore, blocks: blocks, at: tagStart))
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
            case UInt8(ascii: "="):
                pos += 1
                try setDelimiters()
                setNewLine = standalone(state)
            case UInt8(ascii: "%"):
                throw TemplateUnsupported()
            default:
                flushWhitespace()
                let (names, anchored) = Self.split(try readName())
                nodes.append(.variable(names: names, anchored: anchored, escaped: true, at: tagStart))
            }
            state.newLine = setNewLine
        }
        guard state.sectionName == nil else { throw TemplateUnsupported() }
        return nodes
    }

    /// Text up to a newline (left unread) or an opening delimiter (read).
    mutating func readUntilTagOrNewline() -> [UInt8] {
        let start = pos
        let first = open[0]
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x0A || (b == 0x0D && pos + 1 < bytes.count && bytes[pos + 1] == 0x0A) { return Array(bytes[start..<pos]) }
            if b == first && starts(with: open, at: pos) {
                let text = Array(bytes[start..<pos])
                pos += open.count
                return text
            }
            pos += 1
        }
        return Array(bytes[start..<pos])
    }

    func starts(with needle: [UInt8], at i: Int) -> Bool {
        guard i + needle.count <= bytes.count else { return false }
        for k in needle.indices where bytes[i + k] != needle[k] { return false }
        return true
    }

    /// `{{=<% %>=}}`, read after the `=`: swift-mustache's rules (two runs of non-whitespace, then `=`
    /// and the current closing delimiter).
    mutating func setDelimiters() throws {
        func run(until stop: (Int) -> Bool) throws -> [UInt8] {
            let start = pos
            while pos < bytes.count && !stop(pos) { pos += 1 }
            guard pos < bytes.count else { throw TemplateUnsupported() }
            return Array(bytes[start..<pos])
        }
        skipWhitespace()
        let newOpen = try run { whitespaceLength(at: $0) > 0 }
        skipWhitespace()
        let newClose = try run { bytes[$0] == UInt8(ascii: "=") || whitespaceLength(at: $0) > 0 }
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "=") else { throw TemplateUnsupported() }
        pos += 1
        guard starts(with: close, at: pos), !newOpen.isEmpty, !newClose.isEmpty else { throw TemplateUnsupported() }
        pos += close.count
        (open, close) = (newOpen, newClose)
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
        guard starts(with: close, at: pos) else { throw TemplateUnsupported() }
        pos += close.count
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
            if starts(with: needle, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// "a.b" → (["a", "b"], false); ".a" → (["a"], true); "." → ([], true).
    static func split(_ name: String) -> ([String], Bool) {
        (name.split(separator: ".").map(String.init), name.hasPrefix("."))
    }
}
