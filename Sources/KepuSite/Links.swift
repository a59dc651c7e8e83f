import KepuContent
import KepuCore

/// Links in report bodies, checked at build time (as Hugo's refLinksErrorLevel: ERROR does): a link to a page
/// of the site that the build does not write is an error at its line, not a 404 a visitor finds later.
/// A link to another report's file (`2023-09-16-kepuri.md`, relative to the report) becomes a link to its page.
extension SiteBuild {
    /// Where a body link leads inside the site, or nil for one that leaves it (a scheme, `//host`, `#part`).
    enum LinkTarget: Equatable {
        /// Another report's source file, as a path in the content folder.
        case report(String)
        /// A file of the output, relative to its root.
        case output(String)
    }

    static func linkTarget(_ url: String, reportPath: String, pagePath: String, basePath: String) -> LinkTarget? {
        var u = url
        if let cut = u.firstIndex(where: { $0 == "#" || $0 == "?" }) { u = String(u[..<cut]) }
        if u.isEmpty || u.hasPrefix("//") { return nil }
        // A scheme (https:, mailto:, tel:) before any slash: not a page of this site.
        if let colon = u.firstIndex(of: ":"), !u[..<colon].contains("/") { return nil }
        u = Escape.unpercent(u)
        if u.hasSuffix(".md") {
            if u.hasPrefix("/") { return .report(normalize(String(u.dropFirst()))) }
            return .report(normalize(folder(of: reportPath) + u))
        }
        var resolved: String
        if u.hasPrefix("/") {
            // From the server root: the site's own base path first (/kepu/reports/… on a site under /kepu/).
            resolved = basePath.count > 1 && u.hasPrefix(basePath) ? String(u.dropFirst(basePath.count)) : String(u.dropFirst())
        } else {
            resolved = folder(of: pagePath) + u
        }
        resolved = normalize(resolved)
        if resolved.isEmpty || resolved.hasSuffix("/") { resolved += "index.html" }
        return .output(resolved)
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// `a/./b/../c` → `a/c`; a `..` above the root stays, so it matches nothing.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        let trailing = path.hasSuffix("/")
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(p)
        }
        return parts.joined(separator: "/") + (trailing && !parts.isEmpty ? "/" : "")
    }

    var basePath: String {
        var b = input.baseURL
        if let base = absoluteBase, let scheme = base.range(of: "://") {
            b = base[scheme.upperBound...].firstIndex(of: "/").map { String(base[$0...]) } ?? "/"
        }
        return b.hasSuffix("/") ? b : b + "/"
    }

    /// The page of the published report whose source file is `contentPath`.
    func reportPage(_ contentPath: String) -> ReportInfo? {
        reportByPath[contentPath].map { infos[$0] }
    }

    /// What a body holds whenever `rewriteReportLinks` has a link to rewrite.
    static let reportLinkMark: StaticString = ".md"

    /// A report body's `.md` links pointed at the reports' pages. Read from the HTML's own hrefs, which cmark
    /// has percent-escaped and entity-escaped: decoded here the same way the check decodes the link.
    func rewriteReportLinks(_ html: String, report r: Report, from path: String) -> String {
        guard html.containsBytes(SiteBuild.reportLinkMark) else { return html }
        var out = ""
        var rest = Substring(html)
        while let start = rest.range(of: "<a href=\"") {
            out += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let written = String(rest[..<end])
            rest = rest[end...]
            let url = written.replacingOccurrences(of: "&amp;", with: "&")
            let bare = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
            guard bare.hasSuffix(".md"),
                  case let .report(target)? = SiteBuild.linkTarget(url, reportPath: r.path, pagePath: path, basePath: basePath),
                  let info = reportPage(target) else { out += written; continue }
            let fragment = url.firstIndex(of: "#").map { String(url[$0...]) } ?? ""
            out += href(info.path, from: path) + fragment
        }
        return out + rest
    }

    /// Every published report's body links against what the build wrote; the first broken one (by file and
    /// line) is thrown. `written`: every file of the output, relative to its root.
    func checkLinks(written: Set<String>) throws {
        var problems: [Diagnostic] = []
        for info in infos {
            let r = reports[info.index]
            for link in r.body.links {
                guard let target = SiteBuild.linkTarget(link.url, reportPath: r.path, pagePath: info.path, basePath: basePath) else { continue }
                let line = r.bodyLine + link.line - 1
                switch target {
                case let .report(path):
                    if reportPage(path) == nil {
                        problems.append(Diagnostic(.error, phase: .render, path: r.path, line: line, column: link.column,
                                                   .site(.brokenReportLink(target: link.url))))
                    }
                case let .output(path):
                    // The LED folder is written beside the site by its own renderer; its files are not pages.
                    if path.hasPrefix("led/") { continue }
                    if !written.contains(path) && !written.contains(path + "/index.html") {
                        problems.append(Diagnostic(.error, phase: .render, path: r.path, line: line, column: link.column,
                                                   .site(.brokenLink(target: link.url))))
                    }
                }
            }
        }
        if let first = Diagnostic.sorted(problems).first { throw first }
    }

    /// The files besides the pages that a body may link to: static files, photos, open data, feed.
    func otherOutputs() -> Set<String> {
        var s = Set(input.content.staticFiles)
        for p in input.photos.values { s.insert(p.large); s.insert(p.thumbnail) }
        for name in ["data/site.json", "data/reports.csv", "data/spend.csv", "data/indicators.csv", "data/sources.csv",
                     "feed.xml", "sitemap.xml", "robots.txt", "assets/site.css", "assets/search.js", "404.html"] {
            s.insert(name)
        }
        for p in ledger.projects { s.insert("data/projects/\(p.project.id).json") }
        return s
    }
}
