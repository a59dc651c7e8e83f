import KepuPresentation

/// Slides for panels under about 128 px (P10 door-head signs: 64×32, 128×32, 160×64, 352×80): what such a
/// panel can show, a few short lines, at the sizes CJK bitmap fonts are drawn at (16, 24, 32 px), one
/// line of text per line of LEDs. A slide whose lines do not fit on one screen becomes several pages, one
/// after the other, so nothing is cut.
enum SmallDesign {
    /// Native CJK font sizes, largest first.
    static let sizes: [Int] = [32, 24, 16]
    /// A long announcement on a tiny panel stops here (its last line says "…"), not after fifty pages.
    static let maxPages = 8

    struct Line: Equatable {
        var text: String
        var color: String
        var bold = false
    }

    /// What a slide says on a small panel, most important first.
    static func lines(_ slide: Slide, frame f: Frame) -> [Line] {
        let p = f.palette
        var out: [Line] = []
        switch slide.content {
        case let .title(unit, project, year, siteTitle):
            if let project, let year {
                out.append(Line(text: f.words.t("led_small_title", ["year": String(year), "name": project]), color: p.accent, bold: true))
            } else {
                out.append(Line(text: project ?? siteTitle, color: p.accent, bold: true))
            }
            out.append(Line(text: unit, color: p.muted))
        case let .figure(fig):
            out.append(Line(text: fig.label, color: p.muted))
            out.append(Line(text: fig.value, color: p.accent, bold: true))
            // The target and status only where there is room for them on a page or two.
            if f.height >= 48, let target = fig.target { out.append(Line(text: target.replacingOccurrences(of: " ", with: ""), color: p.white)) }
            if let status = fig.statusText {
                let color: String
                switch fig.status {
                case .met: color = p.good
                case .behind, .over: color = p.warn
                case .none: color = p.muted
                }
                out.append(Line(text: status, color: color))
            }
        case let .report(card):
            // The year is the project's, and a small panel has no room for it.
            out.append(Line(text: "\(card.kind) \(card.dayMonth)", color: p.muted))
            out.append(Line(text: card.title, color: p.accent, bold: true))
            if !card.people.isEmpty { out.append(Line(text: card.people.replacingOccurrences(of: " ", with: ""), color: p.white)) }
        case let .announcement(title, paragraphs):
            out.append(Line(text: title, color: p.accent, bold: true))
            for para in paragraphs { out.append(Line(text: para, color: p.white)) }
        }
        if f.example { out.append(Line(text: f.words.t("led_example"), color: p.badgeText)) }
        return out
    }

    /// Each line wrapped at `size` to the panel's width.
    static func wrapped(_ lines: [Line], size: Int, width: Int) -> [(String, Line)] {
        var out: [(String, Line)] = []
        for line in lines {
            for piece in TextMetrics.wrap(line.text, size: Double(size), bold: line.bold, maxWidth: Double(width)) {
                out.append((piece, line))
            }
        }
        return out
    }

    /// The largest native size that needs no more pages than the smallest one, and the pages at that size.
    static func pages(_ slide: Slide, frame f: Frame) -> [Canvas] {
        let lines = lines(slide, frame: f)
        let usable = sizes.filter { $0 <= f.height }
        let candidates = usable.isEmpty ? [min(16, f.height)] : usable
        func layout(_ size: Int) -> [[(String, Line)]] {
            let perPage = max(1, f.height / size)
            let all = wrapped(lines, size: size, width: f.width)
            return stride(from: 0, to: all.count, by: perPage).map { Array(all[$0..<min(all.count, $0 + perPage)]) }
        }
        let fewest = layout(candidates.last!).count
        var size = candidates.last!
        var chosen = layout(size)
        for s in candidates {
            let l = layout(s)
            if l.count <= fewest { size = s; chosen = l; break }
        }
        if chosen.count > maxPages {
            chosen = Array(chosen.prefix(maxPages))
            var last = chosen[maxPages - 1]
            let (text, line) = last.removeLast()
            last.append((TextMetrics.ellipsized(text + "…", size: Double(size), bold: line.bold, maxWidth: Double(f.width)), line))
            chosen[maxPages - 1] = last
        }
        return chosen.map { page in
            var c = Canvas(width: f.width, height: f.height, background: f.palette.background, crisp: true)
            // Whole pixels: a glyph row on a LED row, the block centred.
            var y = (f.height - page.count * size) / 2
            for (text, line) in page {
                c.elements.append(.text(TextItem(x: 0, y: Double(y), width: Double(f.width), lineHeight: Double(size),
                                                 size: Double(size), bold: line.bold && size >= 24, color: line.color, align: .center,
                                                 text: text)))
                y += size
            }
            return c
        }
    }
}

typealias Frame = Design.Frame
