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
        let fm = FileManager()
        var isFolder: ObjCBool = false
        if !fm.fileExists(atPath: templatesDir, isDirectory: &isFolder) || !isFolder.boolValue {
            // No theme at all (run outside the site's folder, or a wrong --theme): one error saying so,
            // not fifteen "missing template" ones.
            throw Diagnostic(.error, phase: .render, path: directory, line: 1, column: 1, .themeMissing(path: directory))
        }
        let templates = try TemplateLibrary.load(directory: templatesDir)
        var problems: [Diagnostic] = []
        for name in pageTemplates where !templates.names.contains(name) {
            problems.append(Diagnostic(.error, phase: .render, path: templatesDir + "/" + name + ".mustache",
                                       line: 1, column: 1, .theme(.fileMissing)))
        }
        if let first = Diagnostic.sorted(problems).first { throw first }

        let strings = try UIStrings.load(themeDirectory: directory, language: language).table
        let cssPath = directory + "/site.css"
        guard let css = FileManager().contents(atPath: cssPath) else {
            throw Diagnostic(.error, phase: .render, path: cssPath, line: 1, column: 1, .theme(.fileMissing))
        }
        let scriptPath = directory + "/search.js"
        guard let script = FileManager().contents(atPath: scriptPath) else {
            throw Diagnostic(.error, phase: .render, path: scriptPath, line: 1, column: 1, .theme(.fileMissing))
        }
        return Theme(templates: templates, strings: strings, css: Array(css), searchScript: Array(script),
                     stringsValue: .map(Dictionary(uniqueKeysWithValues: strings.map { (TemplateKey($0.key), .text($0.value)) })))
    }

    func render(_ name: String, _ value: TemplateValue) -> String { templates.render(name, value) }

    func renderBytes(_ name: String, _ value: TemplateValue) -> [UInt8] { templates.render(name, value) }

    func t(_ key: String) -> String { strings[key] ?? key }

    var ui: UIStrings { UIStrings(table: strings) }

    func t(_ key: String, _ values: [String: String]) -> String { UIStrings(table: strings).t(key, values) }
}
