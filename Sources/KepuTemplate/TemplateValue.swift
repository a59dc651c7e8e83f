import KepuCore

/// A page's data as the templates see it: typed, so a lookup is a dictionary read, never a cast, and a
/// value the templates could not show cannot be put in at all. Numbers are text: the page builders
/// format every figure themselves (Money is never a float), so the engine never guesses a format.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case map([String: TemplateValue])

    /// Back to plain values, for a theme rendered by swift-mustache itself.
    var plain: Any {
        switch self {
        case .text(let s): return s
        case .flag(let b): return b
        case .list(let l): return l.map(\.plain)
        case .map(let m): return m.mapValues(\.plain)
        }
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
    public var values: [String: TemplateValue]

    public init() { values = [:] }

    public init(_ values: [String: TemplateValue]) { self.values = values }

    public init(dictionaryLiteral elements: (String, any TemplateRepresentable)...) {
        values = Dictionary(elements.map { ($0.0, $0.1.templateValue) }, uniquingKeysWith: { _, last in last })
    }

    public subscript(key: String) -> (any TemplateRepresentable)? {
        get { values[key] }
        set { values[key] = newValue?.templateValue }
    }

    public var templateValue: TemplateValue { .map(values) }

    /// Another context's keys added, as a dictionary merges.
    public mutating func merge(_ other: TemplateContext, uniquingKeysWith combine: (TemplateValue, TemplateValue) -> TemplateValue) {
        values.merge(other.values, uniquingKeysWith: combine)
    }
}
