import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuTemplate

/// Report lists and pages, open data, 404, feed, sitemap, robots.
extension SiteBuild {
    // MARK: - Lists

    /// The report lists as jobs that can run side by side: the index, each year with its months, each kind.
    func reportIndexJobs() -> [@Sendable () throws -> Void] {
        // Group once: year → month → indices (chronological), kind → indices.
        var groupedByYear: [Int: [Int: [Int]]] = [:]
        var groupedByKind: [String: [Int]] = [:]
        for (i, r) in reports.enumerated() {
            groupedByYear[r.date.year, default: [:]][r.date.month, default: []].append(i)
            groupedByKind[r.kind, default: []].append(i)
        }
        let byYear = groupedByYear, byKind = groupedByKind
        let years = byYear.keys.sorted(by: >)
        let indexPath = "reports/index.html"
        var jobs: [@Sendable () throws -> Void] = []

        jobs.append {
            var c = page(indexPath, title: t("reports_title"), description: t("reports_description", ["count": format.count(reports.count)]),
                         section: "reports")
            c["count"] = format.count(reports.count)
            c["years"] = years.map { y -> Context in
                let months = byYear[y]!
                return [
                    "year": String(y), "href": href("reports/\(y)/index.html", from: indexPath),
                    "count": format.count(months.values.reduce(0) { $0 + $1.count }),
                    "months": months.keys.sorted().map { m -> Context in
                        ["label": format.shortMonth(m), "count": format.count(months[m]!.count),
                         "href": href("reports/\(y)/\(SiteBuild.monthFolder(m))/index.html", from: indexPath)]
                    },
                ]
        }
        c["kinds"] = kinds.map { k -> Context in
            ["kind": k, "count": format.count(byKind[k]!.count), "href": href("reports/kind/\(kindFolders[k]!)/index.html", from: indexPath)]
        }
        c["reports"] = infos.suffix(20).reversed().map { reportItem($0, from: indexPath) }
        try write(indexPath, template: "reports", context: c)
        }

        for (yi, y) in years.enumerated() {
            jobs.append {
                let path = "reports/\(y)/index.html"
                let months = byYear[y]!
                let count = months.values.reduce(0) { $0 + $1.count }
                var c = page(path, title: t("reports_year_title", ["year": String(y)]),
                             description: t("reports_year_description", ["year": String(y), "count": format.count(count)]),
                             section: "reports")
                c["year"] = String(y)
                c["count"] = format.count(count)
                c["indexHref"] = href(indexPath, from: path)
                // A year of a few hundred reports lists them all; a bigger one links to its month pages only.
                let inline = count <= 300
                c["inline"] = inline
                c["months"] = months.keys.sorted(by: >).map { m -> Context in
                    var mc: Context = ["label": format.month(year: y, month: m), "id": "m-\(m)", "count": format.count(months[m]!.count),
                                       "href": href("reports/\(y)/\(SiteBuild.monthFolder(m))/index.html", from: path)]
                    mc["reports"] = inline ? months[m]!.reversed().map { reportItem(infos[$0], from: path) } : [TemplateValue]()
                    return mc
                }
                // years are newest first: the one before in the list is the later year.
                if yi > 0 { c["laterYear"] = ["year": String(years[yi - 1]), "href": href("reports/\(years[yi - 1])/index.html", from: path)] as Context }
                if yi + 1 < years.count {
                    c["earlierYear"] = ["year": String(years[yi + 1]), "href": href("reports/\(years[yi + 1])/index.html", from: path)] as Context
                }
                try write(path, template: "report-year", context: c)

                for m in months.keys.sorted() {
                    let mpath = "reports/\(y)/\(SiteBuild.monthFolder(m))/index.html"
                    let list = months[m]!
                    let label = format.month(year: y, month: m)
                    var mc = page(mpath, title: t("reports_month_title", ["month": label]),
                                  description: t("reports_month_description", ["month": label, "count": format.count(list.count)]),
                                  section: "reports")
                    mc["year"] = String(y)
                    mc["yearHref"] = href(path, from: mpath)
                    mc["indexHref"] = href(indexPath, from: mpath)
                    mc["count"] = format.count(list.count)
                    mc["reports"] = list.reversed().map { reportItem(infos[$0], from: mpath) }
                    try write(mpath, template: "report-month", context: mc)
                }
            }
        }

        for k in kinds {
            jobs.append {
                let list = Array(byKind[k]!.reversed())
                let folder = "reports/kind/\(kindFolders[k]!)/"
                let pages = max(1, (list.count + SiteBuild.pageSize - 1) / SiteBuild.pageSize)
                func pagePath(_ n: Int) -> String { folder + (n == 1 ? "index.html" : "\(n).html") }
                for n in 1...pages {
                    let path = pagePath(n)
                    var c = page(path, title: t("reports_kind_title", ["kind": k]) + (n > 1 ? " (\(n)/\(pages))" : ""),
                                 description: t("reports_kind_description", ["kind": k, "count": format.count(list.count)]),
                                 section: "reports")
                    c["kind"] = k
                    c["count"] = format.count(list.count)
                    c["indexHref"] = href(indexPath, from: path)
                    let slice = list[((n - 1) * SiteBuild.pageSize)..<min(list.count, n * SiteBuild.pageSize)]
                    c["reports"] = slice.map { reportItem(infos[$0], from: path) }
                    if pages > 1 { c["pageOf"] = t("page_of", ["n": String(n), "count": String(pages)]) }
                    if n > 1 { c["newer"] = ["href": href(pagePath(n - 1), from: path)] as Context }
                    if n < pages { c["older"] = ["href": href(pagePath(n + 1), from: path)] as Context }
                    try write(path, template: "report-kind", context: c)
                }
            }
        }
        return jobs
    }

    // MARK: - One page per report

    /// Renders a run of report pages, each written as soon as it is rendered; run on all cores.
    /// `skipping`: pages already written this build (the reports just saved, under `kepu serve`).
    func writeReportPages(_ range: Range<Int>, order: Int, skipping written: Set<Int> = []) {
        for i in range {
            if log.error != nil { return }
            if written.contains(i) { continue }
            // A rebuild renders only the reports that changed and their neighbours; the other pages stay.
            if let only = input.reportPages, !only.contains(reports[i].slug) {
                sink.keep(infos[i].path)
                log.add(infos[i].path)
                continue
            }
            do { try writeReport(i) } catch { log.fail(error, order: order); return }
        }
    }

    /// The hottest page: its fields are built typed, with no `Any` to convert (see CompiledTemplate.swift).
    func writeReport(_ i: Int) throws {
        let r = reports[i]
        let info = infos[i]
        let path = info.path
        let published = r.photos.compactMap { input.photos[$0.contentPath] }
        // A report belongs to its project: a 2023 report's menu leads to the 2023 project.
        var c = pageFields(path, title: r.title, description: info.summary, section: "reports", ogType: "article",
                           image: published.first?.large, project: r.projectID)
        var report = SiteBuild.reportFields(info, from: path)
        report["activities"] = .text(format.count(r.activities))
        report["draft"] = .flag(r.draft)
        // false, not absent: an absent key would be looked up in the page's context.
        for key: TemplateKey in ["project", "total", "survey", "hasTags", "hasPhotos"] { report[key] = .flag(false) }
        // Most bodies link to no report file and show no photo (neither rewrite has anything to do): their HTML
        // goes in as cmark wrote it, as bytes.
        let body = r.body.htmlBytes
        if body.containsBytes(SiteBuild.reportLinkMark) || body.containsBytes(SiteBuild.imageMark) {
            report["bodyHTML"] = .text(rewriteImages(rewriteReportLinks(r.body.html, report: r, from: path), report: r, from: path))
        } else {
            report["bodyHTML"] = .utf8(body)
        }
        report["yearHref"] = .text(href("reports/\(r.date.year)/index.html", from: path))
        report["year"] = .text(String(r.date.year))
        if let pi = projectIndex[r.projectID] {
            // Read in place: a copy of the project (a large value) per report page cost more than the page's links.
            report["project"] = .map(["name": .text(ledger.projects[pi].project.name + "（\(ledger.projects[pi].project.year)）"),
                                      "href": .text(href(projectPath(ledger.projects[pi].project.id), from: path))])
        }
        if !r.spend.isEmpty {
            report["items"] = .list(r.spend.map {
                .map(["item": .text($0.item.trimmingSpaces.isEmpty ? t("item_unnamed") : $0.item), "amount": .text(format.money($0.amount))])
            })
            report["total"] = .text(format.money(r.totalSpend))
        }
        if let s = r.satisfaction {
            report["survey"] = .map([
                "surveyed": .text(format.count(s.surveyed)), "satisfied": .text(format.count(s.satisfied)),
                "rate": .text(format.percent(s.satisfied, of: s.surveyed)),
            ])
        }
        if !r.tags.isEmpty { report["tags"] = .list(r.tags.map { .text($0) }); report["hasTags"] = .flag(true) }
        var photos: [TemplateValue] = []
        for (n, photo) in r.photos.enumerated() {
            guard let p = input.photos[photo.contentPath] else { continue }
            let scale = min(1.0, 400.0 / Double(max(p.width, p.height, 1)))
            photos.append(.map([
                "large": .text(href(p.large, from: path)), "thumbnail": .text(href(p.thumbnail, from: path)),
                "width": .text(String(max(1, Int((Double(p.width) * scale).rounded())))),
                "height": .text(String(max(1, Int((Double(p.height) * scale).rounded())))),
                "alt": .text(t("photo_alt", ["title": r.title, "n": String(n + 1)])),
            ]))
        }
        if !photos.isEmpty { report["photos"] = .list(photos); report["hasPhotos"] = .flag(true) }
        report.merge(correctionFields(r, from: path)) { _, new in new }
        c["report"] = .map(report)
        if i > 0 { c["previous"] = .map(["title": .text(infos[i - 1].title), "href": .text(href(infos[i - 1].path, from: path))]) }
        if i + 1 < infos.count { c["next"] = .map(["title": .text(infos[i + 1].title), "href": .text(href(infos[i + 1].path, from: path))]) }
        try write(path, template: "report", fields: c)
    }

    /// What a body holds whenever `rewriteImages` has an image to rewrite.
    static let imageMark: StaticString = "<img "

    /// Report bodies name their photos relative to the report file; point those at the published copies,
    /// and show the alt text instead of an image that was not published (never a broken image).
    func rewriteImages(_ html: String, report: Report, from path: String) -> String {
        guard html.containsBytes(SiteBuild.imageMark) else { return html }
        var out = ""
        var rest = Substring(html)
        while let start = rest.range(of: "<img ") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.lowerBound...].firstIndex(of: ">") else { rest = rest[start.lowerBound...]; break }
            let tag = rest[start.lowerBound...end]
            rest = rest[rest.index(after: end)...]
            guard let srcStart = tag.range(of: "src=\""), let srcEnd = tag[srcStart.upperBound...].firstIndex(of: "\"") else {
                continue
            }
            let src = String(tag[srcStart.upperBound..<srcEnd])
            if src.hasPrefix("http://") || src.hasPrefix("https://") { out += tag; continue }
            var name = Escape.unpercent(src.replacingOccurrences(of: "&amp;", with: "&"))
            while name.hasPrefix("./") { name.removeFirst(2) }
            if let photo = report.photos.first(where: { $0.name == name || $0.name == "./" + name }),
               let published = input.photos[photo.contentPath] {
                out += tag[..<srcStart.upperBound] + href(published.large, from: path) + tag[srcEnd...]
            } else {
                var alt = ""
                if let a = tag.range(of: "alt=\""), let e = tag[a.upperBound...].firstIndex(of: "\"") {
                    alt = String(tag[a.upperBound..<e])
                }
                // The alt text is already escaped by cmark.
                if !alt.isEmpty { out += "<span class=\"photo-missing\">" + alt + "</span>" }
            }
        }
        return out + rest
    }

    // MARK: - Open data, 404

    func writeOpenData() throws {
        let path = "open-data/index.html"
        var c = page(path, title: t("data_title"), description: t("data_description"), section: "data")
        var files: [Context] = [
            ["name": "site.json", "href": href("data/site.json", from: path), "desc": t("data_site")],
        ]
        for p in ledger.projects {
            files.append(["name": "projects/\(p.project.id).json", "href": href("data/projects/\(p.project.id).json", from: path),
                          "desc": t("data_project", ["name": p.project.name + "（\(p.project.year)）"])])
        }
        // The finance bureau's workbooks, beside the pages they print.
        for p in ledger.projects {
            let folder = SiteRenderer.projectFolder(p.project.id)
            let label = ["name": p.project.name, "year": String(p.project.year)]
            let e = folder + "/evaluation/" + EvaluationForm.fileName
            files.append(["name": e, "href": href(e, from: path), "desc": t("workbook_evaluation", label)])
            if let asOf = Ledger.monitoringDate(p.project, now: input.now) {
                let m = folder + "/monitoring/" + MonitoringForm.fileName(asOf: asOf)
                files.append(["name": m, "href": href(m, from: path),
                              "desc": t("workbook_monitoring", label.merging(["date": format.date(asOf)]) { a, _ in a })])
            }
        }
        files.append(["name": "reports.csv", "href": href("data/reports.csv", from: path), "desc": t("data_reports")])
        files.append(["name": "spend.csv", "href": href("data/spend.csv", from: path), "desc": t("data_spend")])
        files.append(["name": "indicators.csv", "href": href("data/indicators.csv", from: path), "desc": t("data_indicators")])
        files.append(["name": "sources.csv", "href": href("data/sources.csv", from: path), "desc": t("data_sources")])
        files.append(["name": "feed.xml", "href": href("feed.xml", from: path), "desc": t("data_feed")])
        c["files"] = files
        try write(path, template: "open-data", context: c)
    }

    func writeNotFound() throws {
        // A server shows 404.html at any depth, so its links start from the site's base.
        // Only the path of the base: the page then also works on a preview host.
        var b = input.baseURL
        if let base = absoluteBase, let scheme = base.range(of: "://") {
            b = base[scheme.upperBound...].firstIndex(of: "/").map { String(base[$0...]) } ?? "/"
        }
        let root = b.hasPrefix("/") ? (b.hasSuffix("/") ? b : b + "/") : ""
        var c = page("404.html", title: t("notfound_title"), description: t("notfound_text"), section: "", rootOverride: root)
        // The stylesheet is inlined so the page looks right wherever it is shown, even opened from disk.
        c["inlineCSS"] = String(decoding: theme.css, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        try sink.write("404.html", Array(theme.render("not-found", c.templateValue).utf8))
    }

    // MARK: - Feed, sitemap, robots

    /// Where a page lives for feed readers: absolute when the base URL is, else from the server root.
    func url(_ path: String) -> String {
        (absoluteBase ?? (input.baseURL.hasSuffix("/") ? input.baseURL : input.baseURL + "/")) + publicPath(path)
    }

    func writeFeed() throws {
        let x = Escape.xml
        var s = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        s += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(x(site.languageTag))\">\n"
        s += "<title>\(x(site.title))</title>\n<subtitle>\(x(site.unit))</subtitle>\n"
        s += "<id>\(x(absoluteBase ?? "urn:kepu:" + Escape.path(site.title)))</id>\n"
        s += "<updated>\(input.now.description)T00:00:00Z</updated>\n"
        s += "<link rel=\"self\" href=\"\(x(url("feed.xml")))\"/>\n<link rel=\"alternate\" href=\"\(x(url("index.html")))\"/>\n"
        s += "<author><name>\(x(site.unit))</name></author>\n"
        for info in infos.suffix(50).reversed() {
            let r = reports[info.index]
            let link = url(info.path)
            s += "<entry>\n<title>\(x(r.title))</title>\n"
            s += "<id>\(x(absoluteBase != nil ? link : "urn:kepu:report:" + Escape.path(r.slug)))</id>\n"
            s += "<link rel=\"alternate\" href=\"\(x(link))\"/>\n"
            // The day it last changed: a correction brings the entry back to feed readers.
            s += "<updated>\(r.lastModified.description)T00:00:00Z</updated>\n"
            s += "<category term=\"\(x(r.kind))\"/>\n"
            for (n, tag) in r.tags.enumerated() where tag != r.kind && !r.tags[..<n].contains(tag) {
                s += "<category term=\"\(x(tag))\"/>\n"
            }
            var summary = info.date + " · " + r.kind
            if let v = info.venue { summary += " · " + v }
            summary += " · " + info.people
            if let spend = info.spend { summary += " · " + spend }
            summary += "\n" + info.summary
            s += "<summary>\(x(summary))</summary>\n"
            s += "</entry>\n"
        }
        s += "</feed>\n"
        try sink.write("feed.xml", text: s)
    }

    /// As bytes: a line per page, 10,000 of them on every save under `kepu serve`.
    func sitemap(_ pages: [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(200 + pages.count * 100)
        out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n".utf8
        // A report page's lastmod is the day it last changed (`updated`, corrections), else its own date.
        var changed: [String: Day] = [:]
        changed.reserveCapacity(infos.count)
        for info in infos { changed[info.path] = reports[info.index].lastModified }
        let base = url("")
        for p in pages {
            out += "<url><loc>".utf8
            XMLText.escape(base + publicPath(p), into: &out)
            out += "</loc>".utf8
            if let day = changed[p] {
                out += "<lastmod>".utf8
                out += day.description.utf8
                out += "</lastmod>".utf8
            }
            out += "</url>\n".utf8
        }
        out += "</urlset>\n".utf8
        return out
    }

    func robots() -> String {
        var s = "User-agent: *\nAllow: /\n"
        if absoluteBase != nil { s += "Sitemap: \(url("sitemap.xml"))\n" }
        return s
    }
}
