import Foundation
import KepuCore
import Yams

/// The words every output shows around the figures, one table per language (theme/i18n/zh-CN.yaml,
/// theme/i18n/en.yaml): the site's templates, the LED slides and the forms read the same table.
public struct UIStrings: Sendable {
    /// Keys to texts; zh-CN fills in whatever the site's language lacks.
    public let table: [String: String]

    public init(table: [String: String]) { self.table = table }

    public func t(_ key: String) -> String { table[key] ?? key }

    /// A string with `{name}` placeholders filled in.
    /// One pass: a value that itself contains "{name}" (a kind typed by staff) is never filled in again.
    public func t(_ key: String, _ values: [String: String]) -> String {
        let template = t(key)
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let v = values[name] { out += v } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// libyaml's own words for what it could not read, without its copy of the file.
    static func yamlDetail(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _): return problem
        default: return "\(error)"
        }
    }

    private static let parsed = Locked<[String: (bytes: Data, table: [String: String])]>([:])

    /// Reads `<theme>/i18n/zh-CN.yaml` and, for another language, its own file over it.
    public static func load(themeDirectory directory: String, language: Language) throws -> UIStrings {
        var isFolder: ObjCBool = false
        guard FileManager().fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            // No theme at all (a wrong --theme, or run outside the site's folder): say so once.
            throw Diagnostic(.error, phase: .render, path: directory, line: 1, column: 1, .themeMissing(path: directory))
        }
        func read(_ tag: String) throws -> [String: String]? {
            let path = directory + "/i18n/" + tag + ".yaml"
            guard let data = FileManager().contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                return nil
            }
            // The site, the LED slides and the forms each ask for the words; parse a file once for the same bytes.
            if let known = parsed.withLock({ $0[path] }), known.bytes == data { return known.table }
            do {
                // Read as YAML nodes, not `Any`: every key and value is a scalar's own text.
                guard let mapping = try Yams.compose(yaml: text)?.mapping else {
                    throw Diagnostic(.error, phase: .render, path: path, line: 1, column: 1,
                                     .theme(.wordsNotKeyText))
                }
                var out: [String: String] = [:]
                for (k, v) in mapping {
                    guard let key = k.scalar?.string, let value = v.scalar?.string else {
                        throw Diagnostic(.error, phase: .render, path: path, line: k.mark?.line ?? 1, column: 1,
                                         .theme(.wordsNotKeyText))
                    }
                    out[key] = value
                }
                parsed.withLock { $0[path] = (data, out) }
                return out
            } catch let error as YamlError {
                var line = 1
                var column = 1
                if case let .scanner(_, _, mark, _) = error { line = mark.line; column = mark.column }
                if case let .parser(_, _, mark, _) = error { line = mark.line; column = mark.column }
                throw Diagnostic(.error, phase: .render, path: path, line: line, column: column,
                                 .theme(.wordsUnreadable(detail: Self.yamlDetail(error))))
            }
        }
        // zh-CN.yaml holds every key; without it pages would show key names instead of words.
        guard let base = try read("zh-CN") else {
            throw Diagnostic(.error, phase: .render, path: directory + "/i18n/zh-CN.yaml", line: 1, column: 1,
                             .theme(.fileMissing))
        }
        guard language != .zhCN, let own = try read(language.rawValue) else { return UIStrings(table: base) }
        return UIStrings(table: base.merging(own) { _, new in new })
    }
}
