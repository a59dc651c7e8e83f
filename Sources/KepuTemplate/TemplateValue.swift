import KepuCore

/// A page's data as the templates see it: typed, so a lookup is a dictionary read, never a cast, and a
/// value the templates could not show cannot be put in at all. Numbers are text: the page builders
/// format every figure themselves (Money is never a float), so the engine never guesses a format.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case map([String: TemplateValue])

    /// A value of a page builder's `[String: Any]` context with no template form: a `Double` (a figure
    /// must be formatted, exactly, before it reaches a page), a closure, any other type. Before, such a
    /// value was left out, so the page showed nothing where the figure belonged.
    public struct Unconvertible: Error, Equatable, CustomStringConvertible {
        /// Where in the context: "report.spend" or "reports[3].title".
        public let key: String
        public let type: String
        public var description: String { "page data \"\(key)\" is a \(type), which a template cannot show" }
    }

    /// The page builders' `[String: Any]` contexts, converted once per page: an adapter until every page
    /// has a typed model. Throws for a value it cannot convert, naming its key.
    public static func converting(_ context: [String: Any]) throws(Unconvertible) -> TemplateValue {
        .map(try convertMap(context, at: ""))
    }

    private static func convertMap(_ d: [String: Any], at key: String) throws(Unconvertible) -> [String: TemplateValue] {
        var out: [String: TemplateValue] = [:]
        out.reserveCapacity(d.count)
        for (k, v) in d { out[k] = try convert(v, at: key.isEmpty ? k : key + "." + k) }
        return out
    }

    private static func convert(_ any: Any, at key: String) throws(Unconvertible) -> TemplateValue {
        switch any {
        case let s as String: return .text(s)
        case let v as TemplateValue: return v
        case let b as Bool: return .flag(b)
        case let i as Int: return .text(String(i))
        case let s as Substring: return .text(String(s))
        case let a as [TemplateValue]: return .list(a)
        case let d as [String: TemplateValue]: return .map(d)
        case let a as [String]: return .list(a.map { .text($0) })
        case let d as [String: Any]: return .map(try convertMap(d, at: key))
        case let a as [Any]:
            var out: [TemplateValue] = []
            out.reserveCapacity(a.count)
            for (i, v) in a.enumerated() { out.append(try convert(v, at: "\(key)[\(i)]")) }
            return .list(out)
        default:
            throw Unconvertible(key: key, type: String(describing: type(of: any)))
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
}
