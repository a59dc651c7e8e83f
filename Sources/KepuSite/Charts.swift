import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// SVG charts drawn at build time. Each has a <title> and <desc>; the page shows the same figures in a table.
/// Sizes are in a fixed viewBox and scale with the page width (CSS: width 100%).
enum Chart {
    private static func n(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    private static func open(_ width: Int, _ height: Int, cls: String, title: String, desc: String, stretch: Bool = false) -> String {
        "<svg class=\"\(cls)\" viewBox=\"0 0 \(width) \(height)\"\(stretch ? " preserveAspectRatio=\"none\"" : "") role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(Escape.xml(title))</title><desc>\(Escape.xml(desc))</desc>"
    }

    /// A progress bar: the filled share of the target, with the target mark at the end.
    static func progress(fraction: Double, state: String, title: String, desc: String) -> String {
        let f = max(0, min(1, fraction.isFinite ? fraction : 0))
        return open(200, 12, cls: "progress " + state, title: title, desc: desc, stretch: true)
            + "<rect class=\"track\" x=\"0\" y=\"0\" width=\"200\" height=\"12\" rx=\"6\"/>"
            + "<rect class=\"fill\" x=\"0\" y=\"0\" width=\"\(n(200 * f))\" height=\"12\" rx=\"6\"/>"
            + "</svg>"
    }

    struct Bar {
        var label: String
        var value: Double
        var text: String
        /// A second, lighter bar behind (planned against held), as a value on the same scale.
        var reference: Double? = nil
    }

    /// Horizontal bars, a label line above each bar so long Chinese kind names fit on a phone.
    static func bars(_ rows: [Bar], title: String, desc: String) -> String {
        let width = 360
        let rowHeight = 34
        let height = max(1, rows.count) * rowHeight + 4
        let maxValue = max(rows.map { max($0.value, $0.reference ?? 0) }.max() ?? 0, 1e-9)
        var s = open(width, height, cls: "bars", title: title, desc: desc)
        for (i, row) in rows.enumerated() {
            let y = Double(i * rowHeight)
            s += "<text class=\"label\" x=\"0\" y=\"\(n(y + 13))\">\(Escape.xml(row.label))</text>"
            s += "<text class=\"value\" x=\"\(width)\" y=\"\(n(y + 13))\" text-anchor=\"end\">\(Escape.xml(row.text))</text>"
            if let r = row.reference {
                s += "<rect class=\"reference\" x=\"0\" y=\"\(n(y + 18))\" width=\"\(n(Double(width) * r / maxValue))\" height=\"10\" rx=\"2\"/>"
            }
            let w = row.value > 0 ? max(2, Double(width) * row.value / maxValue) : 0
            s += "<rect class=\"bar\" x=\"0\" y=\"\(n(y + 18))\" width=\"\(n(w))\" height=\"10\" rx=\"2\"/>"
        }
        return s + "</svg>"
    }

    /// Cumulative spend by date (a step line) against the milestones and the straight-line pace
    /// from nothing on 1 January to the whole budget on 31 December.
    static func schedule(_ p: ProjectLedger, now: Day, format: FigureFormat, title: String, desc: String,
                         paceLabel: String, spendLabel: String) -> String {
        let width = 360.0, height = 244.0
        let left = 44.0, right = 350.0, top = 12.0, bottom = 196.0
        let year = p.project.year
        let start = Day.firstDay(ofYear: year).ordinal
        let end = Day.lastDay(ofYear: year).ordinal
        let budget = Double(p.project.budget.fen)
        let maxSpend = Double(p.spendCurve.last?.cumulative.fen ?? 0)
        let top100 = max(budget, maxSpend, 1)
        func x(_ day: Day) -> Double {
            let o = min(max(day.ordinal, start), end)
            return left + (right - left) * Double(o - start) / Double(max(1, end - start))
        }
        func y(_ fen: Double) -> Double { bottom - (bottom - top) * fen / top100 }

        var s = open(Int(width), Int(height), cls: "schedule", title: title, desc: desc)
        // Grid: 0, 25, 50, 75, 100 % of the budget.
        if budget > 0 {
            for share in [0, 25, 50, 75, 100] {
                let yy = y(budget * Double(share) / 100)
                s += "<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(yy))\" x2=\"\(n(right))\" y2=\"\(n(yy))\"/>"
                s += "<text class=\"axis\" x=\"\(n(left - 4))\" y=\"\(n(yy + 4))\" text-anchor=\"end\">\(share)%</text>"
            }
        }
        for m in [1, 4, 7, 10] {
            let xx = x(Day(year: year, month: m, day: 1)!)
            s += "<line class=\"tick\" x1=\"\(n(xx))\" y1=\"\(n(bottom))\" x2=\"\(n(xx))\" y2=\"\(n(bottom + 4))\"/>"
            s += "<text class=\"axis\" x=\"\(n(xx))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\">\(Escape.xml(format.shortMonth(m)))</text>"
        }
        s += "<line class=\"axisline\" x1=\"\(n(left))\" y1=\"\(n(bottom))\" x2=\"\(n(right))\" y2=\"\(n(bottom))\"/>"
        // Straight-line pace.
        if budget > 0 {
            s += "<line class=\"pace\" x1=\"\(n(left))\" y1=\"\(n(y(0)))\" x2=\"\(n(right))\" y2=\"\(n(y(budget)))\"/>"
        }
        // Cumulative spend as steps, drawn up to the build date (or the year's end).
        var points = ["\(n(left)),\(n(y(0)))"]
        var last = 0.0
        for point in p.spendCurve where point.day.year <= year {
            let xx = x(point.day)
            points.append("\(n(xx)),\(n(y(last)))")
            last = Double(point.cumulative.fen)
            points.append("\(n(xx)),\(n(y(last)))")
        }
        let endDay = now.ordinal < end ? now : Day.lastDay(ofYear: year)
        if endDay.ordinal >= start { points.append("\(n(x(endDay))),\(n(y(last)))") }
        s += "<polyline class=\"spend\" points=\"\(points.joined(separator: " "))\"/>"
        for m in p.milestones {
            s += "<circle class=\"milestone \(m.state.rawValue)\" cx=\"\(n(x(m.milestone.by)))\" cy=\"\(n(y(Double(m.required.fen))))\" r=\"5\">"
                + "<title>\(Escape.xml(format.date(m.milestone.by) + " " + format.percent(Score(m.milestone.share))))</title></circle>"
        }
        // Legend along the bottom.
        let ly = height - 6
        s += "<line class=\"spend-key\" x1=\"\(n(left))\" y1=\"\(n(ly - 4))\" x2=\"\(n(left + 18))\" y2=\"\(n(ly - 4))\"/>"
        s += "<text class=\"axis\" x=\"\(n(left + 22))\" y=\"\(n(ly))\">\(Escape.xml(spendLabel))</text>"
        s += "<line class=\"pace\" x1=\"\(n(left + 150))\" y1=\"\(n(ly - 4))\" x2=\"\(n(left + 168))\" y2=\"\(n(ly - 4))\"/>"
        s += "<text class=\"axis\" x=\"\(n(left + 172))\" y=\"\(n(ly))\">\(Escape.xml(paceLabel))</text>"
        return s + "</svg>"
    }
}
