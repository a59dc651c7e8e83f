/// A slide as positioned boxes: one layout, drawn twice — as an HTML page and as SVG for the PNG —
/// so both show the same lines at the same places.
struct Canvas: Sendable, Equatable {
    var width: Int
    var height: Int
    var background: String
    /// Drawn without antialiasing (small and one- or two-colour panels).
    var crisp = false
    var elements: [Element] = []
}

enum Align: String, Sendable, Equatable { case start, center, end }

struct TextItem: Sendable, Equatable {
    var x: Double
    var y: Double
    var width: Double
    var lineHeight: Double
    var size: Double
    var bold: Bool
    var color: String
    var align: Align
    var text: String
}

/// A photo: the published copy for the page, the original's bytes for the PNG.
struct PhotoRef: Sendable, Equatable {
    /// Path relative to `led/`, inside it: `photos/3f2a….jpg`.
    var href: String
    /// The original photo under content/, or nil for none.
    var file: String?
    var mime: String?
}

enum Element: Sendable, Equatable {
    case text(TextItem)
    case rect(x: Double, y: Double, width: Double, height: Double, fill: String, radius: Double)
    case photo(x: Double, y: Double, width: Double, height: Double, PhotoRef)
}

struct Rect: Sendable, Equatable {
    var x: Double, y: Double, width: Double, height: Double
    var maxX: Double { x + width }
}

/// One row of a vertical stack. Sizes are relative to the stack's base size, which is chosen as large
/// as the rect allows.
struct Row: Sendable {
    enum Kind: Sendable {
        /// Text of at most `maxLines` lines; it may shrink to `minScale` of its size before it is cut with "…".
        case text(String, bold: Bool, color: String, maxLines: Int, minScale: Double)
        /// A progress bar, `fraction` (0…1) filled.
        case bar(fraction: Double, fill: String, track: String)
        case space
    }
    var kind: Kind
    /// Font size (or bar/space height) relative to the base size.
    var ratio: Double
    /// Left out first when the slide is too small for everything.
    var droppable = false
    var leading = 1.3
    /// When rows after this one are left out, its last line ends with "…" (paragraphs of one text).
    var continues = false

    static func text(_ s: String, _ ratio: Double, bold: Bool = false, color: String, lines: Int = 1,
                     minScale: Double = 0.6, droppable: Bool = false, leading: Double = 1.3, continues: Bool = false) -> Row {
        Row(kind: .text(s, bold: bold, color: color, maxLines: lines, minScale: minScale), ratio: ratio,
            droppable: droppable, leading: leading, continues: continues)
    }
}

/// Places rows top to bottom in a rect, centred vertically, at the largest base size where every row
/// fits without being cut; below the smallest legible size it drops droppable rows, and only then cuts.
struct Stack {
    var rows: [Row]
    var align: Align
    /// Smallest font size worth showing on this panel, px.
    var minFont: Double
    var verticalCenter = true

    struct Placed {
        var height: Double
        var truncated: Bool
        /// The largest share of a row's characters left out by cutting, 0…1.
        var lost: Double = 0
        var items: [(lines: [String], size: Double, lineHeight: Double, row: Row)]
    }

    func measure(_ rows: [Row], base: Double, width: Double) -> Placed {
        var total = 0.0
        var truncated = false
        var lost = 0.0
        var items: [(lines: [String], size: Double, lineHeight: Double, row: Row)] = []
        for row in rows {
            switch row.kind {
            case .space, .bar:
                let h = row.ratio * base
                total += h
                items.append(([], h, h, row))
            case let .text(text, bold, _, maxLines, minScale):
                let size = row.ratio * base
                let floorSize = max(size * minScale, min(size, minFont))
                var chosen = size
                var lines: [String]
                if maxLines <= 1 {
                    let w = TextMetrics.width(text, size: size, bold: bold)
                    if w > width { chosen = max(floorSize, size * width / w * 0.999) }
                    let cut = TextMetrics.ellipsized(text, size: chosen, bold: bold, maxWidth: width)
                    if cut != text {
                        truncated = true
                        lost = max(lost, 1 - Double(cut.count - 1) / Double(max(1, text.count)))
                    }
                    lines = [cut]
                } else {
                    lines = TextMetrics.wrap(text, size: size, bold: bold, maxWidth: width)
                    let oneLine = TextMetrics.width(text, size: size, bold: bold)
                    if lines.count > 1 && oneLine * 0.75 <= width && size * width / oneLine >= floorSize {
                        // Nearly fits on one line: a little smaller reads better than a broken line.
                        chosen = size * width / oneLine * 0.999
                        lines = [text]
                    }
                    while lines.count > maxLines && chosen * 0.93 >= floorSize {
                        chosen *= 0.93
                        lines = TextMetrics.wrap(text, size: chosen, bold: bold, maxWidth: width)
                    }
                    if lines.count > 1 && lines.count <= maxLines {
                        lines = TextMetrics.balancedWrap(text, size: chosen, bold: bold, maxWidth: width)
                    }
                    if lines.count > maxLines {
                        truncated = true
                        let rest = TextMetrics.join(lines[(maxLines - 1)...])
                        lines = Array(lines[..<(maxLines - 1)])
                        lines.append(TextMetrics.ellipsized(rest + "…", size: chosen, bold: bold, maxWidth: width))
                        let shown = lines.reduce(0) { $0 + $1.count } - 1
                        lost = max(lost, 1 - Double(shown) / Double(max(1, text.count)))
                    }
                }
                let lh = chosen * row.leading
                total += lh * Double(lines.count)
                items.append((lines, chosen, lh, row))
            }
        }
        return Placed(height: total, truncated: truncated, lost: lost, items: items)
    }

    /// The largest base in [low, high] for which `ok` holds, or nil.
    private func search(low: Double, high: Double, _ ok: (Double) -> Bool) -> Double? {
        if ok(high) { return high }
        if !ok(low) { return nil }
        var lo = low, hi = high
        for _ in 0..<24 {
            let mid = (lo + hi) / 2
            if ok(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }

    func place(in rect: Rect, maxBase: Double) -> [Element] {
        guard rect.width > 4, rect.height > 4 else { return [] }
        var rows = self.rows
        let textRatios = rows.compactMap { r -> Double? in if case .text = r.kind { return r.ratio }; return nil }
        let smallest = textRatios.min() ?? 1
        var placed: Placed?
        var dropped = false
        while placed == nil {
            let low = min(minFont / smallest, maxBase)
            let atLow = measure(rows, base: low, width: rect.width)
            if let base = search(low: low, high: maxBase, { b in
                let m = measure(rows, base: b, width: rect.width)
                return m.height <= rect.height && !m.truncated
            }) {
                placed = measure(rows, base: base, width: rect.width)
            } else if atLow.height <= rect.height {
                // Too long to show whole at any legible size: as large as fits, cutting little more than
                // the smallest size would.
                let allowed = min(0.6, atLow.lost + 0.2)
                let base = search(low: low, high: maxBase) { b in
                    let m = measure(rows, base: b, width: rect.width)
                    return m.height <= rect.height && m.lost <= allowed
                } ?? low
                placed = measure(rows, base: base, width: rect.width)
            } else if let drop = rows.lastIndex(where: { $0.droppable }) {
                rows.remove(at: drop)
                dropped = true
            } else {
                // Too small even for the essentials: fit by height, cutting text as needed.
                let base = search(low: 0.5, high: maxBase) { b in measure(rows, base: b, width: rect.width).height <= rect.height } ?? 0.5
                placed = measure(rows, base: base, width: rect.width)
            }
        }
        if dropped, var result = placed, let last = result.items.lastIndex(where: { $0.row.continues && !$0.lines.isEmpty }),
           case let .text(_, bold, _, _, _) = result.items[last].row.kind {
            // Rows were left out after this one: say so.
            var item = result.items[last]
            let line = item.lines.removeLast()
            item.lines.append(line.hasSuffix("…") ? line : TextMetrics.ellipsized(line + "…", size: item.size, bold: bold, maxWidth: rect.width))
            result.items[last] = item
            placed = result
        }
        let result = placed!
        var y = rect.y + (verticalCenter ? max(0, (rect.height - result.height) / 2) : 0)
        var out: [Element] = []
        for item in result.items {
            switch item.row.kind {
            case .space:
                y += item.lineHeight
            case let .bar(fraction, fill, track):
                let h = item.lineHeight
                let barH = h * 0.6
                let top = y + (h - barH) / 2
                out.append(.rect(x: rect.x, y: top, width: rect.width, height: barH, fill: track, radius: barH / 2))
                let f = min(1, max(0, fraction))
                if f > 0 {
                    out.append(.rect(x: rect.x, y: top, width: max(barH, rect.width * f), height: barH, fill: fill, radius: barH / 2))
                }
                y += h
            case let .text(_, bold, color, _, _):
                for line in item.lines {
                    out.append(.text(TextItem(x: rect.x, y: y, width: rect.width, lineHeight: item.lineHeight, size: item.size,
                                              bold: bold, color: color, align: align, text: line)))
                    y += item.lineHeight
                }
            }
        }
        return out
    }
}
