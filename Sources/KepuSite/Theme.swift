import Foundation
import KepuCore
import Mustache
import Yams

/// The theme folder, read and compiled once per build: Mustache templates (flat in templates/,
/// because a parent layout in a subfolder fails to parse), the stylesheet and the UI strings.
struct Theme: Sendable {
    let library: MustacheLibrary
    /// The same templates compiled for typed, byte-level rendering; nil when the theme uses Mustache
    /// features the compiler leaves to swift-mustache (see CompiledTemplate.swift).
    var compiled: CompiledTemplates?
    /// UI strings of the site's language (i18n/<lang>.yaml), falling back to zh-CN for missing keys.
    let strings: [String: String]
    let css: [UInt8]
    /// `strings` as a template value, made once: every page shows it as `t`.
    let stringsValue: TemplateValue

    /// Every page template the renderer asks for; a missing one is an error, not a blank page.
    static let pageTemplates = ["home", "project", "evaluation", "reports", "report-year", "report-month", "report-kind", "report",
                                "spend", "spend-month", "outreach", "open-data", "not-found", "site-header", "site-footer"]

    static func load(directory: String, language: Language) throws -> Theme {
        FastHTML.registerOnce()
        let templatesDir = directory + "/templates"
        let fm = FileManager()
        var isFolder: ObjCBool = false
        if !fm.fileExists(atPath: templatesDir, isDirectory: &isFolder) || !isFolder.boolValue {
            // No theme at all (run outside the site's folder, or a wrong --theme): one error saying so,
            // not fifteen "missing template" ones.
            throw Diagnostic(.error, phase: .render, path: directory, line: 1, column: 1, .themeMissing(path: directory))
        }
        var problems: [Diagnostic] = []
        var library = MustacheLibrary()
        var texts: [String: String] = [:]
        let names = ((try? fm.contentsOfDirectory(atPath: templatesDir)) ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in names {
            let path = templatesDir + "/" + file
            guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                problems.append(Diagnostic(.error, phase: .render, path: path, line: 1, column: 1,
                                           .templateError(detail: "unreadable or not UTF-8")))
                continue
            }
            let name = String(file.dropLast(".mustache".count))
            do {
                // Every template escapes with the byte-level escaper (same line numbers: no newline added).
                library.register(try MustacheTemplate(string: FastHTML.pragma + text), named: name)
                texts[name] = text
            } catch let error as MustacheTemplate.ParserError {
                problems.append(Diagnostic(.error, phase: .render, path: path, line: error.context.lineNumber,
                                           column: error.context.columnNumber,
                                           .templateError(detail: "\(error.error)")))
            } catch {
                problems.append(Diagnostic(.error, phase: .render, path: path, line: 1, column: 1,
                                           .templateError(detail: "\(error)")))
            }
        }
        // A missing partial or parent renders as nothing, silently: name it here with its line instead.
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            for (ref, line, column) in references(in: text) where texts[ref] == nil {
                problems.append(Diagnostic(.error, phase: .render, path: templatesDir + "/" + name + ".mustache",
                                           line: line, column: column,
                                           .templateError(detail: "no template named \"\(ref)\"")))
            }
        }
        for name in pageTemplates where texts[name] == nil && !names.contains(name + ".mustache") {
            problems.append(Diagnostic(.error, phase: .render, path: templatesDir + "/" + name + ".mustache",
                                       line: 1, column: 1, .templateError(detail: "missing template")))
        }
        if let first = Diagnostic.sorted(problems).first { throw first }

        let strings = try loadStrings(directory: directory, language: language)
        let cssPath = directory + "/site.css"
        guard let css = fm.contents(atPath: cssPath) else {
            throw Diagnostic(.error, phase: .render, path: cssPath, line: 1, column: 1, .templateError(detail: "missing stylesheet"))
        }
        return Theme(library: library, compiled: CompiledTemplates(texts), strings: strings, css: Array(css),
                     stringsValue: .map(strings.mapValues { .text($0) }))
    }

    /// `{{> name}}` and `{{< name}}` with their line and column.
    static func references(in text: String) -> [(String, Int, Int)] {
        var out: [(String, Int, Int)] = []
        var line = 1
        var column = 1
        let chars = Array(text.unicodeScalars)
        var i = 0
        while i < chars.count {
            if chars[i] == "\n" { line += 1; column = 1; i += 1; continue }
            if chars[i] == "{", i + 2 < chars.count, chars[i + 1] == "{", chars[i + 2] == ">" || chars[i + 2] == "<" {
                var j = i + 3
                var name = ""
                while j < chars.count, chars[j] != "}" { name.unicodeScalars.append(chars[j]); j += 1 }
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty && !trimmed.hasPrefix("*") { out.append((trimmed, line, column)) }
            }
            column += 1
            i += 1
        }
        return out
    }

    static func loadStrings(directory: String, language: Language) throws -> [String: String] {
        func read(_ tag: String) throws -> [String: String]? {
            let path = directory + "/i18n/" + tag + ".yaml"
            guard let data = FileManager().contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                return nil
            }
            do {
                guard let map = try Yams.load(yaml: text) as? [String: Any] else {
                    throw Diagnostic(.error, phase: .render, path: path, line: 1, column: 1,
                                     .templateError(detail: "UI strings must be `key: text` lines"))
                }
                var out: [String: String] = [:]
                for (k, v) in map { out[k] = "\(v)" }
                return out
            } catch let error as YamlError {
                var line = 1
                var column = 1
                if case let .scanner(_, _, mark, _) = error { line = mark.line; column = mark.column }
                if case let .parser(_, _, mark, _) = error { line = mark.line; column = mark.column }
                throw Diagnostic(.error, phase: .render, path: path, line: line, column: column,
                                 .templateError(detail: "\(error)"))
            }
        }
        // zh-CN.yaml holds every key; without it pages would show key names instead of words.
        guard let base = try read("zh-CN") else {
            throw Diagnostic(.error, phase: .render, path: directory + "/i18n/zh-CN.yaml", line: 1, column: 1,
                             .templateError(detail: "missing UI strings"))
        }
        guard language != .zhCN, let own = try read(language.rawValue) else { return base }
        return base.merging(own) { _, new in new }
    }

    func render(_ name: String, _ context: [String: Any]) -> String {
        String(decoding: renderBytes(name, context), as: UTF8.self)
    }

    func render(_ name: String, _ value: TemplateValue) -> String {
        String(decoding: renderBytes(name, value), as: UTF8.self)
    }

    func renderBytes(_ name: String, _ value: TemplateValue) -> [UInt8] {
        if let compiled { return compiled.render(name, value) }
        return Array((library.render(value.plain, withTemplate: name) ?? "").utf8)
    }

    func renderBytes(_ name: String, _ context: [String: Any]) -> [UInt8] {
        if let compiled, let root = TemplateValue(context) { return compiled.render(name, root) }
        return Array((library.render(TemplateValue.plain(context), withTemplate: name) ?? "").utf8)
    }

    /// swift-mustache's rendering of templates given as text, each behind the pragma as Theme.load puts
    /// it: the reference the compiled renderer is tested against.
    static func referenceRender(_ texts: [String: String], _ name: String, _ context: [String: Any]) throws -> String {
        FastHTML.registerOnce()
        var library = MustacheLibrary()
        for (n, text) in texts { library.register(try MustacheTemplate(string: FastHTML.pragma + text), named: n) }
        return library.render(TemplateValue.plain(context), withTemplate: name) ?? ""
    }

    func t(_ key: String) -> String { strings[key] ?? key }

    /// A UI string with `{name}` placeholders filled in.
    /// One pass: a value that itself contains "{name}" (a kind typed by staff) is never filled in again.
    func t(_ key: String, _ values: [String: String]) -> String {
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
}

/// HTML escaping on UTF-8 bytes (KepuCore's XMLText). swift-mustache's own escaper walks Characters and
/// looks each up in a dictionary: a third of all build instructions at 1,000 reports (callgrind).
struct FastHTML: MustacheContentType {
    static let name = "KEPU_HTML"
    static let pragma = "{{% CONTENT_TYPE: KEPU_HTML }}"
    private static let registration: Void = MustacheContentTypes.register(FastHTML(), named: FastHTML.name)
    static func registerOnce() { _ = registration }

    func escapeText(_ text: String) -> String { FastHTML.escape(text) }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}
