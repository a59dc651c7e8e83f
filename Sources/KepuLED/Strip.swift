import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// The one line a text strip scrolls: the headline figures of the current project.
enum Strip {
    static let separator = "　　"

    /// A piece of the line and where its words come from (file, field, position), for messages.
    struct Part {
        var text: String
        var sources: [(path: String, field: String, line: Int, column: Int, text: String)] = []
    }

    static func line(_ input: RenderInput, example: Bool, words: UIStrings) -> String {
        parts(input, example: example, words: words).map(\.text).joined(separator: separator)
    }

    static func parts(_ input: RenderInput, example: Bool, words: UIStrings) -> [Part] {
        var parts: [Part] = []
        let site = input.content.site
        let unitAt = site.positions["unit"]
        let unitSource = (path: site.path, field: "unit", line: unitAt?.line ?? 1, column: unitAt?.column ?? 1, text: site.unit)
        if let ledger = input.ledger.current {
            let project = ledger.project
            let nameSource = (path: project.path, field: "name", line: project.namePosition?.line ?? 1,
                              column: project.namePosition?.column ?? 1, text: project.name)
            // Target units are written in the project file too.
            let targetSource = (path: project.path, field: "targets", line: project.namePosition?.line ?? 1,
                                column: project.namePosition?.column ?? 1,
                                text: project.targets.map(\.unit).joined())
            parts.append(Part(text: words.t("strip_title", ["unit": site.unit, "year": String(project.year), "name": project.name]),
                              sources: [unitSource, nameSource]))
            for fig in Headline.figures(ledger, words: words, format: FigureFormat(language: site.language)) {
                parts.append(Part(text: fig.line, sources: [targetSource]))
            }
        } else {
            let titleAt = site.positions["title"]
            parts.append(Part(text: "\(site.unit) \(site.title)",
                              sources: [unitSource, (path: site.path, field: "title", line: titleAt?.line ?? 1,
                                                     column: titleAt?.column ?? 1, text: site.title)]))
        }
        if example { parts.append(Part(text: words.t("strip_example"))) }
        return parts
    }

    /// One warning per character of the line that GB2312 lacks (a font-chip card would show a blank or
    /// garbage), naming the file and field it was written in. Kepu's own words are all in GB2312.
    static func outsideGB2312(_ parts: [Part]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var seen: Set<Character> = []
        for part in parts {
            for ch in part.text where !seen.contains(ch) && !GB2312.contains(ch) {
                seen.insert(ch)
                let source = part.sources.first { $0.text.contains(ch) } ?? part.sources.first
                out.append(Diagnostic(.warning, phase: .render, path: source?.path ?? "led/strip.txt", line: source?.line ?? 1,
                                      column: source?.column ?? 1,
                                      .stripCharacterNotGB2312(field: source?.field ?? "strip", character: String(ch))))
            }
        }
        return out
    }

    /// A page of exactly width×height px scrolling the line right to left, forever, with CSS only.
    /// Without CSS animation (very old players) the line stands still, starting at the left edge.
    static func html(_ line: String, width: Int, height: Int, title: String, language: String,
                     palette: Design.Palette = .full) -> String {
        let h = Double(height), w = Double(width)
        let size = (h * 0.7).rounded(.down)
        // About two characters a second at the strip's own size, whatever the panel.
        let speed = size * 2.2
        let distance = w + TextMetrics.width(line, size: size) * 1.1
        let total = max(5, distance / speed)
        let seconds = Markup.n(total)
        // Started part-way, so the line's beginning is on screen the moment the page opens.
        let delay = Markup.n(-min(total * 0.9, w / speed))
        return """
        <!DOCTYPE html>
        <html lang="\(Markup.escape(language))">
        <head>
        <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
        <meta name="viewport" content="width=\(width), height=\(height), initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>
        html,body{margin:0;padding:0;overflow:hidden;background:\(palette.background)}
        body{position:relative;width:\(width)px;height:\(height)px;font-family:\(pageFonts)}
        .v{position:absolute;left:0;top:0;width:\(width)px;height:\(height)px;overflow:hidden;white-space:nowrap}
        .m{display:inline-block;white-space:nowrap;color:\(palette.accent);font-size:\(Markup.n(size))px;line-height:\(height)px;\
        -webkit-animation:kepu-strip \(seconds)s linear \(delay)s infinite;animation:kepu-strip \(seconds)s linear \(delay)s infinite}
        @-webkit-keyframes kepu-strip{from{-webkit-transform:translateX(\(width)px)}to{-webkit-transform:translateX(-100%)}}
        @keyframes kepu-strip{from{transform:translateX(\(width)px)}to{transform:translateX(-100%)}}
        </style>
        </head>
        <body>
        <div class="v"><span class="m">\(Markup.escape(line))</span></div>
        </body>
        </html>

        """
    }
}
