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

    static let dayNames = ["一", "二", "三", "四", "五", "六", "日"]

    /// 2024-01-01 至 2024-01-31，周一、二，08:30-17:30 — for the playlist and README.
    var text: String {
        var parts: [String] = []
        if from != nil || until != nil { parts.append("\(from?.description ?? "")至\(until?.description ?? "")") }
        if let days { parts.append("每周" + days.map { Self.dayNames[$0 - 1] }.joined(separator: "、")) }
        if let hours { parts.append(hours.text) }
        if urgent { parts.append("紧急") }
        return parts.joined(separator: "，")
    }
}

/// A headline figure of the current project against its target.
struct Figure: Sendable, Equatable {
    enum Status: Sendable, Equatable { case met, behind, over, none }
    var label: String
    /// The figure, big: "1.05万人次".
    var value: String
    /// What the figure rests on, small: "合计 10,530 人次".
    var detail: String?
    /// "年度目标 ≥ 1万人次", from the project's target row.
    var target: String?
    var status: Status
    /// "已达标", "进度 87%".
    var statusText: String?
    /// How full the bar is, 0…1; nil for no bar.
    var fraction: Double?
}

struct ReportCard: Sendable, Equatable {
    var title: String
    var kind: String
    var date: String
    var venue: String?
    var people: String
    var photo: PhotoRef?
}

enum Slides {
    /// How many of the latest reports get a slide.
    static let latestReports = 3

    static func build(_ input: RenderInput) -> [Slide] {
        let site = input.content.site
        let seconds = max(1, site.led.seconds)
        var slides: [Slide] = []
        let current = input.ledger.current
        let projectTitle = current.map { "\($0.project.year)年 \($0.project.name)" } ?? site.title

        slides.append(Slide(title: projectTitle, seconds: seconds, section: site.title,
                            content: .title(unit: site.unit, project: current?.project.name, year: current?.project.year,
                                            siteTitle: site.title)))

        if let ledger = current {
            for figure in figures(ledger) {
                slides.append(Slide(title: figure.label, seconds: seconds, section: projectTitle, content: .figure(figure)))
            }
        }

        for report in latest(input) {
            slides.append(Slide(title: report.title, seconds: seconds, section: "最新活动",
                                content: .report(card(report, input: input))))
        }

        let shown = announcements(input)
        // An urgent notice valid on the build date is the only slide while it is valid.
        let urgent = shown.filter(\.urgent)
        if !urgent.isEmpty { slides = [] }
        for a in urgent.isEmpty ? shown : urgent {
            slides.append(Slide(title: a.title, seconds: max(1, a.seconds ?? seconds), section: a.urgent ? "紧急通知" : "通知公告",
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

    static func card(_ r: Report, input: RenderInput) -> ReportCard {
        var photo: PhotoRef?
        if let first = r.photos.first, input.photos[first.contentPath] != nil {
            let ext = first.contentPath.split(separator: ".").last.map { $0.lowercased() } ?? ""
            let mime: String? = ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"][ext]
            let root = input.content.root
            // The renderer copies it into led/photos/, resized for the panel, and sets the href.
            photo = PhotoRef(href: "", file: (root.hasSuffix("/") ? root : root + "/") + first.contentPath, mime: mime)
        }
        let venue = r.venue.map { $0.trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 }
        return ReportCard(title: r.title, kind: r.kind, date: Format.day(r.date), venue: venue,
                          people: r.audience > 0 ? "服务群众 \(Format.count(r.audience))人次" : "", photo: photo)
    }

    /// The measure a headline figure is judged against: one for the whole project (no `kinds`), with a value.
    static func indicator(_ ledger: ProjectLedger, _ metrics: [Metric]) -> MeasureResult? {
        for m in metrics {
            if let found = ledger.measure(of: m), found.measure.measure.value != nil { return found.measure }
        }
        return nil
    }

    /// The approved value as the target table writes it, the same text as on the site.
    static func targetText(_ m: MeasureResult, prefix: String = "年度目标") -> String {
        "\(prefix) " + Figures.approved(m.measure.op, m.measure.valueText, unit: m.measure.unit)
    }

    static func status(_ m: MeasureResult?, progress: Score?) -> (Figure.Status, String?) {
        guard let m, let met = m.met else { return (.none, nil) }
        if met { return (.met, "已达标") }
        if m.measure.direction == .down { return (.over, "超出目标") }
        if let progress { return (.behind, "完成目标的 \(Format.percent(progress))") }
        return (.behind, "未达标")
    }

    static func figures(_ ledger: ProjectLedger) -> [Figure] {
        let t = ledger.totals
        var out: [Figure] = []

        // Activities held.
        do {
            let row = indicator(ledger, [.activities])
            let progress = row.flatMap { r in r.measure.value.map { Score(t.activities).divided(by: Score($0)).times(Score(100)) } }
            let (status, text) = self.status(row, progress: progress)
            out.append(Figure(label: "开展科普活动", value: "\(Format.grouped(t.activities))次",
                              detail: "活动报告 \(Format.grouped(t.reports)) 篇",
                              target: row.map { targetText($0) }, status: status, statusText: text,
                              fraction: progress.map { $0.approximate / 100 }))
        }
        // People served.
        do {
            let row = indicator(ledger, [.audience])
            let progress = row.flatMap { r in r.measure.value.map { Score(t.audience).divided(by: Score($0)).times(Score(100)) } }
            let (status, text) = self.status(row, progress: progress)
            out.append(Figure(label: "服务群众", value: "\(Format.count(t.audience))人次",
                              detail: t.audience >= 10_000 ? "合计 \(Format.grouped(t.audience)) 人次" : nil,
                              target: row.map { targetText($0) }, status: status, statusText: text,
                              fraction: progress.map { $0.approximate / 100 }))
        }
        // Spend against the budget.
        do {
            let budget = ledger.project.budget
            let rate = ledger.execution.rate
            var detail = "全年预算 \(Format.money(budget))"
            if let rate { detail += "，执行率 \(Format.percent(rate))" }
            // Judged only against a row of the table (a spend cap or an execution rate), as on the home page:
            // spending under the budget is not in itself a target missed.
            let row = indicator(ledger, [.spend, .execution])
            // Against an execution-rate target, progress is the rate over the target rate.
            var progress: Score?
            if let row, row.measure.metric == .execution, let actual = row.actual, let value = row.measure.value {
                progress = actual.divided(by: Score(value)).times(Score(100))
            }
            let (status, text) = self.status(row, progress: progress)
            let target = row.map { $0.measure.metric == .execution ? targetText($0, prefix: "执行率目标") : targetText($0) }
            out.append(Figure(label: "经费支出", value: Format.money(t.spend), detail: detail, target: target,
                              status: status, statusText: text, fraction: rate.map { $0.approximate / 100 }))
        }
        // Satisfaction.
        do {
            let row = indicator(ledger, [.satisfaction])
            if let s = t.satisfaction {
                let progress = row.flatMap { r in r.measure.value.map { s.divided(by: Score($0)).times(Score(100)) } }
                let (status, text) = self.status(row, progress: progress)
                out.append(Figure(label: "群众满意度", value: Format.percent(s),
                                  detail: "问卷 \(Format.grouped(t.surveyed)) 份，满意 \(Format.grouped(t.satisfied)) 份",
                                  target: row.map { targetText($0) }, status: status, statusText: text,
                                  fraction: s.approximate / 100))
            } else {
                out.append(Figure(label: "群众满意度", value: "暂无问卷", detail: nil,
                                  target: row.map { targetText($0) }, status: .none, statusText: nil, fraction: nil))
            }
        }
        return out
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
