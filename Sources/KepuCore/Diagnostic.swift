/// The language of messages and pages: Chinese for a zh-CN site, English for `language: en`.
public enum Language: String, Sendable, Equatable {
    case zhCN = "zh-CN"
    case en = "en"

    /// Any `zh*` tag reads as Chinese, any `en*` as English; others fall back to Chinese, the staff's language.
    public init(tag: String) {
        self = tag.lowercased().hasPrefix("en") ? .en : .zhCN
    }
}

public enum Severity: String, Sendable, Equatable, Comparable {
    case error
    case warning

    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
}

/// The build phase a diagnostic came from.
public enum Phase: String, Sendable, Equatable {
    case load, validate, aggregate, render, write
}

/// The one type for everything a user is told about their content: where (path relative to the
/// site root, line and column counted in the file as they see it) and what (a problem, which
/// carries its own message and hint in each language).
public struct Diagnostic: Error, Equatable, Sendable {
    public var severity: Severity
    public var phase: Phase
    public var path: String
    public var line: Int
    public var column: Int
    public var problem: Problem

    public init(_ severity: Severity = .error, phase: Phase = .validate, path: String, line: Int, column: Int,
                _ problem: Problem) {
        self.severity = severity
        self.phase = phase
        self.path = path
        self.line = max(1, line)
        self.column = max(1, column)
        self.problem = problem
    }

    public func message(_ language: Language) -> String { problem.text(language).message }
    public func hint(_ language: Language) -> String? { problem.text(language).hint }

    /// `path:line:col: error: message`, then the hint indented on the next line.
    public func formatted(_ language: Language) -> String {
        let (message, hint) = problem.text(language)
        let label: String
        switch (severity, language) {
        case (.error, .zhCN): label = "错误"
        case (.warning, .zhCN): label = "警告"
        case (.error, .en): label = "error"
        case (.warning, .en): label = "warning"
        }
        var out = "\(path):\(line):\(column): \(label): \(message)"
        if let hint { out += "\n    \(hint)" }
        return out
    }

    /// Sorted by path, then line and column, so the output reads like the files.
    public static func sorted(_ list: [Diagnostic]) -> [Diagnostic] {
        list.sorted { a, b in
            if a.path != b.path { return a.path.precedesInBytes(b.path) }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            return a.severity < b.severity
        }
    }
}

/// Collects diagnostics from one file's decoding; cheap to create per file.
public struct DiagnosticSink: Sendable {
    public let path: String
    public private(set) var items: [Diagnostic] = []

    public init(path: String) { self.path = path }

    public mutating func error(_ line: Int, _ column: Int, _ problem: Problem, phase: Phase = .validate) {
        items.append(Diagnostic(.error, phase: phase, path: path, line: line, column: column, problem))
    }

    public mutating func warning(_ line: Int, _ column: Int, _ problem: Problem, phase: Phase = .validate) {
        items.append(Diagnostic(.warning, phase: phase, path: path, line: line, column: column, problem))
    }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
