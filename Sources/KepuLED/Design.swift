import KepuPresentation
import KepuContent

/// The look of the slides: colours and where each part of a slide goes, for any panel from
/// 256×128 to 3840×2160, wide or near-square. Sizes follow the panel; nothing is fixed in px.
enum Design {
    static let background = "#06152b"
    static let band = "#0c2a52"
    static let white = "#ffffff"
    static let muted = "#a9bdd9"
    static let accent = "#ffd23f"
    static let good = "#3ddc84"
    static let warn = "#ff9f43"
    static let track = "#1d3a66"
    static let badge = "#c62828"

    struct Frame {
        var width: Int
        var height: Int
        var example: Bool
        /// The UI words (theme/i18n) in the site's language: the few a layout adds around the slide's own text.
        var words: UIStrings
        var palette: Palette = .full

        /// Panels under about 128 px get the small design: native CJK sizes, a few lines a page.
        var small: Bool { height < 128 || width < 128 }
        /// No antialiasing where a pixel is a LED the eye sees on its own: small and one- or two-colour panels.
        var crisp: Bool { small || palette.only != nil }
    }

    /// The colours of one kind of panel, by role.
    struct Palette: Sendable, Equatable {
        var background, band, white, muted, accent, good, warn, track, badge, badgeText: String
        /// The only colours the panel can light (0xRRGGBB): every PNG pixel is set to one of them. nil: any.
        var only: [UInt32]?

        static let full = Palette(background: Design.background, band: Design.band, white: Design.white, muted: Design.muted,
                                  accent: Design.accent, good: Design.good, warn: Design.warn, track: Design.track,
                                  badge: Design.badge, badgeText: Design.white, only: nil)
        /// Red on black. Bands, tracks and badge boxes are left unlit: lit, they would hide the text on them.
        static let single = Palette(background: "#000000", band: "#000000", white: "#ff0000", muted: "#ff0000", accent: "#ff0000",
                                    good: "#ff0000", warn: "#ff0000", track: "#000000", badge: "#000000", badgeText: "#ff0000",
                                    only: [0x000000, 0xFF0000])
        /// Red and green, and yellow where both are lit: yellow for what matters, green for labels, red for warnings.
        static let dual = Palette(background: "#000000", band: "#000000", white: "#ffff00", muted: "#00ff00", accent: "#ffff00",
                                  good: "#00ff00", warn: "#ff0000", track: "#000000", badge: "#000000", badgeText: "#ff0000",
                                  only: [0x000000, 0xFF0000, 0x00FF00, 0xFFFF00])

        static func of(_ colors: LEDColors) -> Palette {
            switch colors {
            case .full: return .full
            case .single: return .single
            case .dual: return .dual
            }
        }
    }

    /// The smallest font worth drawing on this panel.
    static func minFont(_ f: Frame) -> Double { max(10, Double(min(f.width, f.height)) / 30) }

    static func canvas(_ slide: Slide, frame f: Frame) -> Canvas {
        // The panel's colours, under the names the layout below uses.
        let p = f.palette
        let background = p.background, band = p.band, white = p.white, muted = p.muted, accent = p.accent
        let good = p.good, warn = p.warn
        var c = Canvas(width: f.width, height: f.height, background: background, crisp: f.crisp)
        let w = Double(f.width), h = Double(f.height)
        let margin = max(4, (min(w, h) * 0.045).rounded())
        var content = Rect(x: margin, y: margin, width: w - 2 * margin, height: h - 2 * margin)
        let minFont = minFont(f)

        // The band at the top: the section on the left, the example mark on the right.
        let bandHeight = max(18, (h * 0.1).rounded())  // at least a 10 px mark on the smallest panels
        let bandFont = (bandHeight * 0.56).rounded(.down)
        var badgeWidth = 0.0
        if case .title = slide.content {} else {
            c.elements.append(.rect(x: 0, y: 0, width: w, height: bandHeight, fill: band, radius: 0))
            content = Rect(x: margin, y: bandHeight + margin * 0.6, width: w - 2 * margin, height: h - bandHeight - margin * 1.6)
        }
        if f.example {
            let text = f.words.t("led_example")
            let pad = bandFont * 0.5
            badgeWidth = TextMetrics.width(text, size: bandFont, bold: true) + 2 * pad
            let badgeHeight = bandHeight * 0.8
            let x = w - badgeWidth - margin * 0.5
            let y = (bandHeight - badgeHeight) / 2
            c.elements.append(.rect(x: x, y: y, width: badgeWidth, height: badgeHeight, fill: p.badge, radius: badgeHeight * 0.15))
            c.elements.append(.text(TextItem(x: x, y: y, width: badgeWidth, lineHeight: badgeHeight, size: bandFont,
                                             bold: true, color: p.badgeText, align: .center, text: text)))
        }
        if case .title = slide.content {
            if f.example { content = Rect(x: margin, y: bandHeight + margin * 0.3, width: w - 2 * margin, height: h - bandHeight - margin * 1.3) }
        } else {
            let available = w - margin - badgeWidth - margin
            c.elements.append(.text(TextItem(x: margin, y: 0, width: available, lineHeight: bandHeight, size: bandFont, bold: false,
                                             color: muted, align: .start,
                                             text: TextMetrics.ellipsized(slide.section, size: bandFont, bold: false, maxWidth: available))))
        }

        let wide = content.width / max(1, content.height) >= 2.2
        switch slide.content {
        case let .title(unit, project, year, siteTitle):
            var rows: [Row] = [.text(unit, 0.55, color: muted, lines: 2, minScale: 0.7)]
            rows.append(.space(0.25))
            rows.append(.text(project ?? siteTitle, 1.0, bold: true, color: white, lines: 2, minScale: 0.6))
            if let year {
                rows.append(.space(0.2))
                rows.append(.text(f.words.t("led_year_band", ["year": String(year)]), 0.55, color: accent, minScale: 0.7))
            }
            if project != nil {
                rows.append(.text(siteTitle, 0.4, color: muted, minScale: 0.7, droppable: true))
            }
            c.elements += Stack(rows: rows, align: .center, minFont: minFont).place(in: content, maxBase: content.height / 3)

        case let .figure(fig):
            let statusColor: String
            switch fig.status {
            case .met: statusColor = good
            case .behind, .over: statusColor = warn
            case .none: statusColor = muted
            }
            var head: [Row] = [.text(fig.label, 0.5, color: muted, minScale: 0.8),
                               .text(fig.value, 1.5, bold: true, color: accent, minScale: 0.3, leading: 1.15)]
            var tail: [Row] = []
            if let detail = fig.detail { tail.append(.text(detail, 0.36, color: muted, lines: 2, minScale: 0.8, droppable: true)) }
            if let fraction = fig.fraction { tail.append(.bar(fraction, fill: statusColor == muted ? accent : statusColor, track: p.track)) }
            if let target = fig.target { tail.append(.text(target, 0.45, color: white, minScale: 0.7)) }
            if let status = fig.statusText { tail.append(.text(status, 0.45, bold: true, color: statusColor, minScale: 0.7)) }
            if wide {
                let gap = margin
                let left = Rect(x: content.x, y: content.y, width: content.width * 0.5 - gap / 2, height: content.height)
                let right = Rect(x: left.maxX + gap, y: content.y, width: content.width - left.width - gap, height: content.height)
                c.elements += Stack(rows: head, align: .start, minFont: minFont).place(in: left, maxBase: left.height / 2)
                c.elements += Stack(rows: tail, align: .start, minFont: minFont).place(in: right, maxBase: right.height / 2)
            } else {
                head.append(.space(0.15))
                c.elements += Stack(rows: head + tail, align: .center, minFont: minFont).place(in: content, maxBase: content.height / 3)
            }

        case let .report(card):
            var rows: [Row] = [.text("\(card.kind)　\(card.date)", 0.5, color: accent, minScale: 0.7),
                               .text(card.title, 1.0, bold: true, color: white, lines: 3, minScale: 0.6)]
            if let venue = card.venue {
                rows.append(.text(f.words.t("led_venue", ["venue": venue]), 0.5, color: muted, lines: 2, minScale: 0.7, droppable: true))
            }
            if !card.people.isEmpty { rows.append(.text(card.people, 0.6, bold: true, color: accent, minScale: 0.7)) }
            var textRect = content
            if let photo = card.photo {
                let landscape = content.width / max(1, content.height) >= 1.2
                if landscape {
                    let pw = min(content.width * 0.45, content.height * 4 / 3)
                    c.elements.append(.photo(x: content.x, y: content.y, width: pw, height: content.height, photo))
                    textRect = Rect(x: content.x + pw + margin, y: content.y, width: content.width - pw - margin, height: content.height)
                } else {
                    let ph = content.height * 0.45
                    c.elements.append(.photo(x: content.x, y: content.y, width: content.width, height: ph, photo))
                    textRect = Rect(x: content.x, y: content.y + ph + margin * 0.5, width: content.width, height: content.height - ph - margin * 0.5)
                }
            }
            if textRect.width / max(1, textRect.height) >= 3.5 {
                // A very wide panel: what and when on the left, where and how many on the right.
                let gap = margin * 2
                let left = Rect(x: textRect.x, y: textRect.y, width: textRect.width * 0.6 - gap / 2, height: textRect.height)
                let right = Rect(x: left.maxX + gap, y: textRect.y, width: textRect.width - left.width - gap, height: textRect.height)
                c.elements += Stack(rows: Array(rows.prefix(2)), align: .start, minFont: minFont).place(in: left, maxBase: left.height / 2)
                c.elements += Stack(rows: Array(rows.dropFirst(2)), align: .start, minFont: minFont).place(in: right, maxBase: right.height / 2)
            } else {
                c.elements += Stack(rows: rows, align: .start, minFont: minFont).place(in: textRect, maxBase: content.height / 4)
            }

        case let .announcement(title, paragraphs):
            let body = paragraphs.map { Row.text($0, 0.7, color: white, lines: 4, minScale: 0.8, droppable: true, continues: true) }
            let head = Row.text(title, 1.0, bold: true, color: accent, lines: 2, minScale: 0.6)
            if content.width / max(1, content.height) >= 3.5 && !body.isEmpty {
                // A very wide panel: the title on the left, the text on the right.
                let gap = margin * 2
                let left = Rect(x: content.x, y: content.y, width: content.width * 0.4 - gap / 2, height: content.height)
                let right = Rect(x: left.maxX + gap, y: content.y, width: content.width - left.width - gap, height: content.height)
                c.elements += Stack(rows: [head], align: .center, minFont: minFont).place(in: left, maxBase: left.height / 2)
                c.elements += Stack(rows: body, align: .start, minFont: minFont).place(in: right, maxBase: right.height / 2)
            } else {
                let rows = [head] + (body.isEmpty ? [] : [.space(0.3)]) + body
                c.elements += Stack(rows: rows, align: .center, minFont: minFont).place(in: content, maxBase: content.height / 3)
            }
        }
        return c
    }
}

extension Row {
    static func space(_ ratio: Double) -> Row { Row(kind: .space, ratio: ratio) }
    static func bar(_ fraction: Double, fill: String, track: String) -> Row {
        Row(kind: .bar(fraction: fraction, fill: fill, track: track), ratio: 0.3, droppable: true)
    }
}
