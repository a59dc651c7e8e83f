import Foundation
import KepuContent
import KepuCore
import KepuLedger

/// The one line a text strip scrolls: the headline figures of the current project.
enum Strip {
    static func line(_ input: RenderInput, example: Bool) -> String {
        var parts: [String] = []
        let site = input.content.site
        if let ledger = input.ledger.current {
            let t = ledger.totals
            parts.append("\(site.unit) \(ledger.project.year)年\(ledger.project.name)")
            for fig in Slides.figures(ledger) {
                // ¥ is left out: single-colour controller fonts (GB2312) lack it; 元 says the same.
                var text = "\(fig.label)\(fig.value)"
                if fig.label == "经费支出" {
                    text = "经费支出\(Format.moneyYuan(t.spend))，预算\(Format.moneyYuan(ledger.project.budget))"
                    if let rate = ledger.execution.rate { text += "，执行率\(Format.percent(rate))" }
                }
                if let target = fig.target { text += "（\(target.replacingOccurrences(of: " ", with: ""))）" }
                parts.append(text)
            }
        } else {
            parts.append("\(site.unit) \(site.title)")
        }
        if example { parts.append("【示例数据】") }
        return parts.joined(separator: "　　")
    }

    /// A page of exactly width×height px scrolling the line right to left, forever, with CSS only.
    /// Without CSS animation (very old players) the line stands still, starting at the left edge.
    static func html(_ line: String, width: Int, height: Int, title: String, language: String) -> String {
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
        html,body{margin:0;padding:0;overflow:hidden;background:\(Design.background)}
        body{position:relative;width:\(width)px;height:\(height)px;font-family:\(pageFonts)}
        .v{position:absolute;left:0;top:0;width:\(width)px;height:\(height)px;overflow:hidden;white-space:nowrap}
        .m{display:inline-block;white-space:nowrap;color:\(Design.accent);font-size:\(Markup.n(size))px;line-height:\(height)px;\
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
