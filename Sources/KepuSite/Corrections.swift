import KepuContent
import KepuCore
import KepuTemplate

/// Dated corrections (政府信息公开条例: a change to published information is itself made public): each report
/// page shows its own, corrections/index.html lists every one on the site, newest first.
extension SiteBuild {
    static let correctionsPath = "corrections/index.html"

    /// The report page's fields for its `updated` day and its corrections.
    func correctionFields(_ r: Report, from path: String) -> PageFields {
        var f: PageFields = ["updated": .flag(false), "corrections": .list([]), "hasCorrections": .flag(false)]
        if r.lastModified > r.date {
            f["updated"] = .map(["date": .text(format.date(r.lastModified)), "isoDate": .text(r.lastModified.description)])
        }
        if !r.corrections.isEmpty {
            f["hasCorrections"] = .flag(true)
            f["corrections"] = .list(r.corrections.sorted { $0.date > $1.date }.map {
                .map(["date": .text(format.date($0.date)), "isoDate": .text($0.date.description), "text": .text($0.text)])
            })
            f["correctionsHref"] = .text(href(SiteBuild.correctionsPath, from: path))
        }
        return f
    }

    func writeCorrections() throws {
        let path = SiteBuild.correctionsPath
        var all: [(day: Day, order: Int, text: String, info: ReportInfo)] = []
        for info in infos {
            for (n, c) in reports[info.index].corrections.enumerated() {
                all.append((c.date, info.index * 1000 + n, c.text, info))
            }
        }
        // Newest first; on one day, the later report first, a report's entries as written.
        all.sort { $0.day != $1.day ? $0.day > $1.day : ($0.order / 1000 != $1.order / 1000 ? $0.order > $1.order : $0.order < $1.order) }
        var c = page(path, title: t("corrections_title"),
                     description: t("corrections_description", ["count": format.count(all.count)]), section: "")
        c["count"] = format.count(all.count)
        c["hasEntries"] = !all.isEmpty
        c["entries"] = all.map { e -> Context in
            ["date": format.date(e.day), "isoDate": e.day.description, "text": e.text, "title": e.info.title,
             "href": href(e.info.path, from: path), "reportDate": e.info.date]
        }
        try write(path, template: "corrections", context: c)
    }
}
