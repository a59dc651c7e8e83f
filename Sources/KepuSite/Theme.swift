import Foundation
import KepuCore
import KepuPresentation
import KepuTemplate

/// The theme folder, read and compiled once per build: Mustache templates (flat in templates/,
/// because a parent layout in a subfolder fails to parse), the stylesheet and the UI strings.
struct Theme: Sendable {
    /// The templates, compiled (KepuTemplate): errors in them are thrown by `load` with file and line.
    var templates: TemplateLibrary
    /// UI strings of the site's language (i18n/<lang>.yaml), falling back to zh-CN for missing keys.
    let strings: [String: String]
    let css: [UInt8]
    /// The search page's script (search.js), copied to assets/.
    var searchScript: [UInt8] = []
    /// `strings` as a template value, made once: every page shows it as `t`.
    let stringsValue: TemplateValue

    /// Every page template the renderer asks for; a missing one is an error, not a blank page.
    static let pageTemplates = ["home", "project", "evaluation", "reports", "report-year", "report-month", "report-kind", "report",
                                "spend", "spend-month", "outreach", "open-data", "not-found", "site-header", "site-footer",
                                "projects", "corrections", "search", "report-venue"]

    static func load(directory: String, language: Language) throws -> Theme {
        let templatesDir = directory + "/templates"
        let templates = try TemplateLibrary.load(directory: templatesDir)
        var problems: [Diagnostic] = []
        for name in pageTemplates where !templates.names.contains(name) {
            problems.append(Diagnostic(.error, phase: .render, path: templatesDir + "/" + name + ".mustache",
                                       line: 1, column: 1, .templateError(detail: "missing template")))
        }
        if let first = Diagnostic.sorted(problems).first { throw first }

        let strings = try UIStrings.load(themeDirectory: directory, language: language).table
        let cssPath = directory + "/site.css"
        guard let css = FileManager().contents(atPath: cssPath) else {
            throw Diagnostic(.error, phase: .render, path: cssPath, line: 1, column: 1, .templateError(detail: "missing stylesheet"))
        }
        let scriptPath = directory + "/search.js"
        guard let script = FileManager().contents(atPath: scriptPath) else {
            throw Diagnostic(.error, phase: .render, path: scriptPath, line: 1, column: 1, .templateError(detail: "missing search script"))
        }
        return Theme(templates: templates, strings: strings, css: Array(css), searchScript: Array(script),
                     stringsValue: .map(strings.mapValues { .text($0) }))
    }

    /// A page from a builder's `[String: Any]` context: a value no template can show is an error naming
    /// the template and the key, never left out.
    func render(_ name: String, _ context: [String: Any]) throws -> String {
        String(decoding: try renderBytes(name, context), as: UTF8.self)
    }

    func render(_ name: String, _ value: TemplateValue) -> String { templates.render(name, value) }

    func renderBytes(_ name: String, _ value: TemplateValue) -> [UInt8] { templates.render(name, value) }

    func renderBytes(_ name: String, _ context: [String: Any]) throws -> [UInt8] {
        templates.render(name, try value(name, context))
    }

    /// The adapter from the page builders' contexts, its failure as a build error.
    func value(_ template: String, _ context: [String: Any]) throws -> TemplateValue {
        do {
            return try TemplateValue.converting(context)
        } catch {
            throw Diagnostic(.error, phase: .render, path: templates.path(of: template), line: 1, column: 1,
                             .templateError(detail: error.description))
        }
    }

    func t(_ key: String) -> String { strings[key] ?? key }

    func t(_ key: String, _ values: [String: String]) -> String { UIStrings(table: strings).t(key, values) }
}
