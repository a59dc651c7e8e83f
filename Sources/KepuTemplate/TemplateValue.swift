import KepuCore

/// A page's data as the templates see it: typed, so a lookup is a dictionary read, never a cast, and a
/// value the templates could not show cannot be put in at all. Numbers are text: the page builders
/// format every figure themselves (Money is never a float), so the engine never guesses a format.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    /// Text as well-formed UTF-8 bytes, shown exactly as `.text` of the same characters would be. For text made
    /// as bytes (a report body's HTML from cmark): making a String of it checked every byte again.
    case utf8([UInt8])
    case flag(Bool)
    case list([TemplateValue])
    case map([TemplateKey: TemplateValue])
    /// An item many pages list the same way (a report's entry in its month's, kind's and venue's lists): made
    /// when a page first needs it, and what a section renders from it kept for the next page (`SharedItem`).
    case shared(any SharedItem)

    /// Back to plain values, for a theme rendered by swift-mustache itself.
    var plain: Any {
        switch self {
        case .text(let s): return s
        case .utf8(let b): return String(decoding: b, as: UTF8.self)
        case .flag(let b): return b
        case .list(let l): return l.map(\.plain)
        case .map(let m): return Dictionary(uniqueKeysWithValues: m.map { ($0.key.text, $0.value.plain) })
        case .shared(let item): return item.make().plain
        }
    }

    /// A shared item as the value it stands for; any other value as it is.
    var made: TemplateValue {
        if case .shared(let item) = self { return item.make() }
        return self
    }

    /// The same bytes shown: text is compared byte for byte, not by Swift's canonical equivalence (`kepu serve`
    /// decides by this whether a page must be written again).
    public static func == (a: TemplateValue, b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.text(let x), .text(let y)): return x.sameBytes(as: y)
        case (.utf8(let x), .utf8(let y)): return x == y
        case (.text(let s), .utf8(let b)), (.utf8(let b), .text(let s)): return s.utf8.elementsEqual(b)
        case (.flag(let x), .flag(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.map(let x), .map(let y)): return x == y
        case (.shared, _), (_, .shared): return a.made == b.made
        default: return false
        }
    }
}

/// A list item whose rendering is the same on every page that lists it, given the section it is rendered by: a
/// report's entry at one folder depth. The first page to render it keeps the bytes in `cache` under `key`; the
/// others paste them, without making the item's value again. Bytes are kept only when every name the section
/// looked up was found in the item itself (a name found in the page around it could differ on the next page),
/// and only for a section with no partial or block in it and no indentation to add.
/// A class: the value is then one reference, and TemplateValue stays as small as its other cases (an existential
/// struct made every value 40 bytes, and a 10k build 14 % slower).
public protocol SharedItem: AnyObject, Sendable {
    /// Equal keys, equal values, for as long as `cache` is used; nil: never kept.
    var key: Int? { get }
    var cache: SectionCache { get }
    func make() -> TemplateValue
}

/// The bytes sections rendered from shared items, by item key. One per build; cleared once the pages that
/// share items are written.
public final class SectionCache: @unchecked Sendable {
    private let lock = Lock()
    private var rendered: [Int: (body: Int, bytes: [UInt8])] = [:]

    public init() {}

    /// What the section starting at op `body` rendered from the item `key`, if kept.
    func bytes(_ key: Int, body: Int) -> [UInt8]? {
        lock.withLock {
            guard let hit = rendered[key], hit.body == body else { return nil }
            return hit.bytes
        }
    }

    /// Keeps one section's bytes per item: the first kept stays (another section rendering the same item renders
    /// it each time).
    func keep(_ key: Int, body: Int, _ bytes: [UInt8]) {
        lock.withLock { if rendered[key] == nil { rendered[key] = (body, bytes) } }
    }

    public var count: Int { lock.withLock { rendered.count } }

    public func clear() { lock.withLock { rendered = [:] } }
}

/// A key of a template map: its text, and a hash made once, when the key is made. The compiled templates make
/// theirs once per theme; a page's keys are made as the page's data is. String keys were hashed with SipHash on
/// every lookup, once per map on the way out from the innermost value: a tenth of a 10k build's CPU, with the
/// hashing of the keys as the data was built.
public struct TemplateKey: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let text: String
    private let hash: UInt64

    public init(_ text: String) {
        self.text = text
        hash = Self.fnv1a(text)
    }

    public init(stringLiteral text: String) { self.init(text) }

    public var description: String { text }

    public static func == (a: TemplateKey, b: TemplateKey) -> Bool { a.hash == b.hash && a.text == b.text }

    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// What Dictionary asks for: the hash made once, mixed with the table's seed (as Hasher would, the seed keeps
    /// two tables from ordering their keys alike), without Hasher's rounds.
    public func _rawHashValue(seed: Int) -> Int {
        var x = hash ^ UInt64(UInt(bitPattern: seed))
        x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        x = (x ^ (x >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return Int(bitPattern: UInt(truncatingIfNeeded: x ^ (x >> 33)))
    }

    /// FNV-1a over the UTF-8 bytes: keys are short names from the page builders and the theme, never chosen by
    /// someone who could aim collisions at a table.
    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        if let done = text.utf8.withContiguousStorageIfAvailable({ bytes -> UInt64 in
            var h = h
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            return h
        }) { return done }
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// A value a template can show. Only these types can go into page data, so a figure that was never
/// formatted (a Double), a closure or any other value is a compile-time error, not a blank on a page.
public protocol TemplateRepresentable: Sendable {
    var templateValue: TemplateValue { get }
}

extension TemplateValue: TemplateRepresentable {
    public var templateValue: TemplateValue { self }
}

extension String: TemplateRepresentable {
    public var templateValue: TemplateValue { .text(self) }
}

extension Substring: TemplateRepresentable {
    public var templateValue: TemplateValue { .text(String(self)) }
}

extension Bool: TemplateRepresentable {
    public var templateValue: TemplateValue { .flag(self) }
}

/// Counts only (a page number, a span); figures are formatted text by the time they reach a page.
extension Int: TemplateRepresentable {
    public var templateValue: TemplateValue { .text(String(self)) }
}

extension Array: TemplateRepresentable where Element: TemplateRepresentable {
    public var templateValue: TemplateValue { .list(map(\.templateValue)) }
}

/// A page's (or part of a page's) data, built key by key with the same syntax a dictionary has:
/// `c["name"] = project.name`, `["text": label, "span": 2]`. Setting nil removes the key.
public struct TemplateContext: TemplateRepresentable, ExpressibleByDictionaryLiteral, Equatable {
    public var values: [TemplateKey: TemplateValue]

    public init() { values = [:] }

    public init(_ values: [TemplateKey: TemplateValue]) { self.values = values }

    public init(dictionaryLiteral elements: (TemplateKey, any TemplateRepresentable)...) {
        values = Dictionary(elements.map { ($0.0, $0.1.templateValue) }, uniquingKeysWith: { _, last in last })
    }

    public subscript(key: TemplateKey) -> (any TemplateRepresentable)? {
        get { values[key] }
        set { values[key] = newValue?.templateValue }
    }

    public var templateValue: TemplateValue { .map(values) }

    /// Another context's keys added, as a dictionary merges.
    public mutating func merge(_ other: TemplateContext, uniquingKeysWith combine: (TemplateValue, TemplateValue) -> TemplateValue) {
        values.merge(other.values, uniquingKeysWith: combine)
    }
}
