import Foundation
import KepuCore
import Mustache

/// A folder of Mustache templates, checked and compiled once: what the site renders its pages with.
///
/// swift-mustache parses every template first (its errors name file, line and column); the compiled
/// renderer (CompiledTemplate.swift) then renders every page, unless some template uses what it leaves
/// out (transforms, pragmas, dynamic partials): then the whole library renders through
/// swift-mustache, so partials and parents never mix two engines. `isCompiled` tells which.
public struct TemplateLibrary: Sendable {
    private let library: MustacheLibrary
    private var compiled: CompiledTemplates?
    /// Template name → the file it came from, for messages.
    private let paths: [String: String]

    public var isCompiled: Bool { compiled != nil }
    /// The file a template came from, for messages.
    public func path(of name: String) -> String { paths[name] ?? name + ".mustache" }
    public var names: Set<String> { Set(paths.keys) }

    /// Every `*.mustache` file in `directory` (not its subfolders: a parent layout in a subfolder does not
    /// parse). Throws the first problem (by file and line): unreadable text, a syntax error, a partial or
    /// parent that names no template.
    public static func load(directory: String) throws(Diagnostic) -> TemplateLibrary {
        let fm = FileManager()
        var texts: [String: String] = [:]
        var paths: [String: String] = [:]
        var problems: [Diagnostic] = []
        let files = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let path = directory + "/" + file
            let name = String(file.dropLast(".mustache".count))
            paths[name] = path
            guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                problems.append(Diagnostic(.error, phase: .render, path: path, line: 1, column: 1,
                                           .theme(.notUTF8)))
                continue
            }
            texts[name] = text
        }
        do {
            return try TemplateLibrary(texts: texts, paths: paths)
        } catch {
            problems.append(error)
            throw Diagnostic.sorted(problems).first!
        }
    }

    /// Templates given as text (name → template); `paths` names their files in messages.
    public init(texts: [String: String], paths: [String: String] = [:]) throws(Diagnostic) {
        FastHTML.registerOnce()
        var library = MustacheLibrary()
        var problems: [Diagnostic] = []
        var allPaths = paths
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            let path = paths[name] ?? name + ".mustache"
            allPaths[name] = path
            do {
                library.register(try MustacheTemplate(string: FastHTML.pragma + text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                // The pragma is a line of its own: the template's own lines start at the second.
                problems.append(Diagnostic(.error, phase: .render, path: path, line: max(1, error.context.lineNumber - 1),
                                           column: error.context.columnNumber, .theme(.syntax(Self.syntax(error.error)))))
            } catch {
                problems.append(Diagnostic(.error, phase: .render, path: path, line: 1, column: 1, .theme(.syntax(.other("\(error)")))))
            }
            // A missing partial or parent renders as nothing, silently: name it here with its line instead.
            for (ref, line, column) in Self.references(in: text) where texts[ref] == nil {
                problems.append(Diagnostic(.error, phase: .render, path: path, line: line, column: column,
                                           .theme(.noTemplateNamed(ref))))
            }
        }
        let compiled = problems.isEmpty ? CompiledTemplates(texts) : nil
        // The compiler sees partials behind changed delimiters too (`<%> x %>`), which the scan above does not.
        for site in compiled?.missingPartials ?? [] {
            let name = compiled!.templateNames[site.template]
            let (line, column) = Self.position(of: site.offset, in: compiled!.sources[site.template])
            problems.append(Diagnostic(.error, phase: .render, path: allPaths[name] ?? name, line: line, column: column,
                                       .theme(.noTemplateNamed(site.key))))
        }
        if let first = Diagnostic.sorted(problems).first { throw first }
        self.library = library
        self.paths = allPaths
        self.compiled = compiled
    }

    /// Renders with swift-mustache only: the reference the compiled renderer is tested against.
    public mutating func useReferenceEngine() { compiled = nil }

    public func render(_ name: String, _ value: TemplateValue) -> [UInt8] {
        if let compiled { return compiled.render(name, value) }
        return Array((library.render(value.plain, withTemplate: name) ?? "").utf8)
    }

    public func render(_ name: String, _ value: TemplateValue) -> String {
        String(decoding: render(name, value) as [UInt8], as: UTF8.self)
    }

    /// Every `{{name}}` that was rendered but never found a value, in any page rendered so far: a typo
    /// or a key no page provides, which would show as nothing. Sections (`{{#x}}`, `{{^x}}`) are not
    /// counted: an absent key is how a template says "optional". A variable found on one page and
    /// absent on another is not counted either (it is the page's own business, e.g. a report with no
    /// venue). Empty when the library renders through swift-mustache, which does not tell.
    public func unprovidedVariables() -> [Diagnostic] {
        guard let compiled else { return [] }
        return compiled.unprovided().map { site in
            let name = compiled.templateNames[site.template]
            let (line, column) = Self.position(of: site.offset, in: compiled.sources[site.template])
            return Diagnostic(.error, phase: .render, path: paths[name] ?? name, line: line, column: column,
                              .theme(.noPageProvides(site.key)))
        }
    }

    /// swift-mustache's parser error, as the catalogue names it.
    static func syntax(_ error: any Error) -> TemplateSyntax {
        guard let error = error as? MustacheTemplate.Error else { return .other("\(error)") }
        switch error {
        case .sectionCloseNameIncorrect: return .closingNameDiffers
        case .unfinishedName: return .unfinishedTag
        case .expectedSectionEnd: return .sectionNotClosed
        case .invalidSetDelimiter: return .badDelimiter
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection: return .inheritance
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return .pragma
        @unknown default: return .other("\(error)")
        }
    }

    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).unicodeScalars.count + 1
        return (line, column)
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
}

/// HTML escaping on UTF-8 bytes (KepuCore's XMLText), for templates rendered by swift-mustache: its own
/// escaper walks Characters and looks each up in a dictionary (a third of all build instructions at
/// 1,000 reports, callgrind), and leaves control characters in.
struct FastHTML: MustacheContentType {
    static let name = "KEPU_HTML"
    /// On a line of its own, so it is a standalone tag: the template's first line keeps its own
    /// standalone rules (before, a `{{#x}}` alone on line 1 left its newline in the output).
    static let pragma = "{{% CONTENT_TYPE: KEPU_HTML }}\n"
    private static let registration: Void = MustacheContentTypes.register(FastHTML(), named: FastHTML.name)
    static func registerOnce() { _ = registration }

    func escapeText(_ text: String) -> String { XMLText.escape(text) }
}
