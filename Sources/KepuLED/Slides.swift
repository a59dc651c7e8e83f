import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// What one slide says, before any layout.
struct Slide: Sendable {
    enum Content: Sendable {
        case title(unit: String, project: String?, year: Int?, siteTitle: String)
        case figure(Figure)
        case report(ReportCard)
        case announcement(title: String, paragraphs: [String])
    }
    /// For the playlist and the page title.
    var title: String
    var seconds: Int
    /// The band at the top: what the slide is about.
    var section: String
    var content: Content
    /// When an announcement may show, for players and the optional script; nil: always.
    var schedule: Schedule? = nil
}

/// An announcement's window: dates, weekdays (1 = 一 … 7 = 日) and hours of the day.
struct Schedule: Sendable, Equatable {
    var from: Day?
    var until: Day?
    var days: [Int]?
    var hours: DailyHours?
    var urgent: Bool

    init?(_ a: Announcement) {
        guard a.from != nil || a.until != nil || a.days != nil || a.hours != nil || a.urgent else { return nil }
        from = a.from; until = a.until; days = a.days; hours = a.hours; urgent = a.urgent
    }
}

/// A headline figure of the current project against its target (KepuPresentation builds it).
typealias Figure = HeadlineFigure

struct ReportCard: Sendable, Equatable {
    var title: String
    var kind: String
    var date: String
    /// The date without its year: 9月16日.
    var dayMonth: String = ""
    var venue: String?
    var people: String
    var photo: PhotoRef?
}

enum Slides {
    /// How many of the latest reports get a slide.
    static let latestReports = 3

    static func build(_ input: RenderInput, words: UIStrings) -> [Slide] {
        let site = input.content.site
        let format = FigureFormat(language: site.language)
        let seconds = max(1, site.led.seconds)
        var slides: [Slide] = []
        let current = input.ledger.current
        let projectTitle = current.map { words.t("led_project_title", ["year": String($0.project.year), "name": $0.project.name]) }
            ?? site.title

        slides.append(Slide(title: projectTitle, seconds: seconds, section: site.title,
                            content: .title(unit: site.unit, project: current?.project.name, year: current?.project.year,
                                            siteTitle: site.title)))

        if let ledger = current {
            for figure in Headline.figures(ledger, words: words, format: format) {
                slides.append(Slide(title: figure.label, seconds: seconds, section: projectTitle, content: .figure(figure)))
            }
        }

        for report in latest(input) {
            slides.append(Slide(title: report.title, seconds: seconds, section: words.t("led_latest"),
                                content: .report(card(report, input: input, words: words, format: format))))
        }

        let shown = announcements(input)
        // An urgent notice valid on the build date is the only slide while it is valid.
        let urgent = shown.filter(\.urgent)
        if !urgent.isEmpty { slides = [] }
        for a in urgent.isEmpty ? shown : urgent {
            slides.append(Slide(title: a.title, seconds: max(1, a.seconds ?? seconds), section: words.t(a.urgent ? "led_urgent" : "led_notice"),
                                content: .announcement(title: a.title, paragraphs: PlainText.paragraphs(ofHTML: a.body.html)),
                                schedule: Schedule(a)))
        }
        return slides
    }

    /// Announcements whose window holds the build date, by `order`, then file name.
    static func announcements(_ input: RenderInput) -> [Announcement] {
        input.content.announcements
            .filter { $0.isShown(on: input.now) }
            .sorted { a, b in
                if a.order != b.order { return a.order < b.order }
                return a.slug.precedesInBytes(b.slug)
            }
    }

    /// The latest published reports dated on or before the build date (a report "from the future" of
    /// `--now` is not news yet), newest first.
    static func latest(_ input: RenderInput) -> [Report] {
        func newer(_ a: Report, _ b: Report) -> Bool {
            if a.date != b.date { return b.date < a.date }
            return a.slug.precedesInBytes(b.slug)
        }
        // A few kept in one pass, not all 100,000 sorted for three.
        var kept: [Report] = []
        for r in input.publishedReports where r.date <= input.now {
            guard kept.count < latestReports || newer(r, kept[kept.count - 1]) else { continue }
            kept.insert(r, at: kept.firstIndex { newer(r, $0) } ?? kept.count)
            if kept.count > latestReports { kept.removeLast() }
        }
        return kept
    }

    static func card(_ r: Report, input: RenderInput, words: UIStrings, format: FigureFormat) -> ReportCard {
        var photo: PhotoRef?
        if let first = r.photos.first, input.photos[first.contentPath] != nil {
            let ext = first.contentPath.split(separator: ".").last.map { $0.lowercased() } ?? ""
            let mime: String? = ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"][ext]
            let root = input.content.root
            // The renderer copies it into led/photos/, resized for the panel, and sets the href.
            photo = PhotoRef(href: "", file: (root.hasSuffix("/") ? root : root + "/") + first.contentPath, mime: mime)
        }
        let venue = r.venue.map { $0.trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 }
        return ReportCard(title: r.title, kind: r.kind, date: format.date(r.date), dayMonth: format.dayMonth(r.date), venue: venue,
                          people: r.audience > 0 ? words.t("led_report_people", ["count": format.short(r.audience)]) : "",
                          photo: photo)
    }
}

/// Announcement bodies as plain paragraphs: the slide draws text, not HTML.
enum PlainText {
    static func paragraphs(ofHTML html: String) -> [String] {
        var text = ""
        var i = html.startIndex
        while i < html.endIndex {
            let c = html[i]
            if c == "<", let close = html[i...].firstIndex(of: ">") {
                let tag = html[html.index(after: i)..<close].lowercased()
                let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" }).first.map(String.init) ?? ""
                if tag.hasPrefix("/") {
                    if ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "div"].contains(String(tag.dropFirst())) {
                        text += "\n"
                    }
                } else if name == "br" || name == "hr" {
                    text += "\n"
                } else if name == "li" {
                    text += "• "
                } else if name == "td" || name == "th" {
                    text += " "
                }
                i = html.index(after: close)
            } else {
                text.append(c)
                i = html.index(after: i)
            }
        }
        return text.split(separator: "\n").map { decodeEntities(String($0)).trimmingSpaces }.filter { !$0.isEmpty }
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = String(s[s.index(after: i)..<semi])
                var decoded: String?
                switch name {
                case "amp": decoded = "&"
                case "lt": decoded = "<"
                case "gt": decoded = ">"
                case "quot": decoded = "\""
                case "apos", "#39": decoded = "'"
                case "nbsp": decoded = " "
                default:
                    if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                        decoded = String(Character(u))
                    } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) {
                        decoded = String(Character(u))
                    }
                }
                if let decoded {
                    out += decoded
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}
