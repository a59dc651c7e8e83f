import KepuCore

/// Escaping and number printing shared by the HTML and SVG writers.
enum Markup {
    /// Escapes text for HTML and XML content and attribute values (both quote kinds).
    static func escape(_ s: String) -> String { XMLText.escape(s) }

    /// A coordinate with at most one decimal: "12", "12.5". Deterministic on every platform.
    static func n(_ d: Double) -> String {
        let tenths = Int((d * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = tenths.magnitude
        return m % 10 == 0 ? "\(sign)\(m / 10)" : "\(sign)\(m / 10).\(m % 10)"
    }

    /// JSON string literal (KepuCore's JSON: `<`, `>` and `&` escaped too, safe to inline anywhere).
    static func json(_ s: String) -> String { JSON.string(s).serialized() }
}

/// The fonts pages ask for: the one the PNGs are drawn with first, then what Windows, macOS and
/// Android players have.
let pageFonts = "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",\"Hiragino Sans GB\",SimHei,\"WenQuanYi Micro Hei\",sans-serif"
/// The family named in the SVG for librsvg (fontconfig falls back per glyph when it is missing).
let svgFont = "Noto Sans CJK SC"

/// A slide as an HTML page of exactly width×height CSS px.
enum Page {
    static func html(_ c: Canvas, title: String, refresh: (seconds: Int, next: String)?, language: String,
                     schedule: (Schedule, next: String)? = nil) -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="\(Markup.escape(language))">
        <head>
        <meta http-equiv="Content-Type" content="text/html; charset=utf-8">

        """
        if let refresh {
            out += "<meta http-equiv=\"refresh\" content=\"\(refresh.seconds); url=\(Markup.escape(refresh.next))\">\n"
        }
        out += """
        <meta name="viewport" content="width=\(c.width), height=\(c.height), initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>
        html,body{margin:0;padding:0;overflow:hidden;background:\(c.background)}
        body{position:relative;width:\(c.width)px;height:\(c.height)px;font-family:\(pageFonts);color:#fff\(c.crisp ? ";-webkit-font-smoothing:none;font-smooth:never;text-rendering:optimizeSpeed" : "")}
        div{position:absolute;margin:0;padding:0;overflow:hidden}
        .t{white-space:nowrap;text-overflow:ellipsis}
        .b{font-weight:700}
        .c{text-align:center}
        .e{text-align:right}
        .p{background-position:center;background-size:cover;background-repeat:no-repeat}
        </style>

        """
        if let (s, next) = schedule {
            // Optional: where JavaScript runs, a slide outside its days or hours passes straight to the next.
            // Without it the page shows as the build date decided.
            out += "</head>\n<body data-next=\"\(Markup.escape(next))\""
            if let from = s.from { out += " data-from=\"\(from)\"" }
            if let until = s.until { out += " data-until=\"\(until)\"" }
            if let days = s.days { out += " data-days=\"\(days.map(String.init).joined(separator: ","))\"" }
            if let hours = s.hours { out += " data-hours=\"\(hours.start)-\(hours.end)\"" }
            out += ">\n"
        } else {
            out += "</head>\n<body>\n"
        }
        for e in c.elements {
            switch e {
            case let .text(t):
                var cls = "t"
                if t.bold { cls += " b" }
                if t.align == .center { cls += " c" } else if t.align == .end { cls += " e" }
                out += "<div class=\"\(cls)\" style=\"left:\(Markup.n(t.x))px;top:\(Markup.n(t.y))px;width:\(Markup.n(t.width))px;"
                    + "height:\(Markup.n(t.lineHeight))px;font-size:\(Markup.n(t.size))px;line-height:\(Markup.n(t.lineHeight))px;"
                    + "color:\(t.color)\">\(Markup.escape(t.text))</div>\n"
            case let .rect(x, y, w, h, fill, radius):
                out += "<div style=\"left:\(Markup.n(x))px;top:\(Markup.n(y))px;width:\(Markup.n(w))px;height:\(Markup.n(h))px;"
                    + "background:\(fill)\(radius > 0 ? ";border-radius:\(Markup.n(radius))px" : "")\"></div>\n"
            case let .photo(x, y, w, h, photo):
                out += "<div class=\"p\" style=\"left:\(Markup.n(x))px;top:\(Markup.n(y))px;width:\(Markup.n(w))px;height:\(Markup.n(h))px;"
                    + "background-image:url(&#39;\(Markup.escape(photo.href))&#39;)\"></div>\n"
            }
        }
        if schedule != nil { out += "<script src=\"schedule.js\"></script>\n" }
        out += "</body>\n</html>\n"
        return out
    }

    /// led/schedule.js: read by slides with a window. Dates and weekdays are those of the player's clock.
    /// `?skip=N` counts slides passed in a row, so a loop whose every slide is outside its hours stops
    /// skipping and shows what the build chose rather than spinning.
    static let scheduleScript = #"""
    // Kepu: a slide outside its days or hours passes straight to the next one (optional; without
    // JavaScript every slide shows as the build date decided).
    (function () {
      var b = document.body, d = new Date();
      if (!b || !b.getAttribute("data-next")) return;
      function pad(n) { return (n < 10 ? "0" : "") + n; }
      var day = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
      var weekday = d.getDay() === 0 ? 7 : d.getDay(), minute = d.getHours() * 60 + d.getMinutes();
      var from = b.getAttribute("data-from"), until = b.getAttribute("data-until");
      var days = b.getAttribute("data-days"), hours = b.getAttribute("data-hours");
      var ok = (!from || day >= from) && (!until || day <= until);
      if (ok && days) ok = ("," + days + ",").indexOf("," + weekday + ",") >= 0;
      if (ok && hours) { var h = hours.split("-"); ok = minute >= +h[0] && minute < +h[1]; }
      if (ok) return;
      var m = /[?&]skip=(\d+)/.exec(location.search), skipped = m ? +m[1] : 0;
      if (skipped >= 200) return;
      location.replace(b.getAttribute("data-next") + "?skip=" + (skipped + 1));
    })();

    """#
}

/// A photo ready for the SVG: its bytes as a data: URI, and how it is turned.
struct EmbeddedPhoto: Sendable {
    var uri: String
    var orientation: Int
}

/// A slide as SVG for librsvg. `photoData` gives each photo file as a data: URI.
enum SVGWriter {
    static func svg(_ c: Canvas, photoData: (PhotoRef) -> EmbeddedPhoto?) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
            + "width=\"\(c.width)\" height=\"\(c.height)\" viewBox=\"0 0 \(c.width) \(c.height)\""
            // librsvg draws text and shapes without antialiasing for these: no grey fringe on a LED.
            + (c.crisp ? " text-rendering=\"optimizeSpeed\" shape-rendering=\"crispEdges\"" : "") + ">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(c.width)\" height=\"\(c.height)\" fill=\"\(c.background)\"/>\n"
        out += "<g font-family=\"\(svgFont)\">\n"
        for e in c.elements {
            switch e {
            case let .text(t):
                let x: Double
                let anchor: String
                switch t.align {
                case .start: x = t.x; anchor = "start"
                case .center: x = t.x + t.width / 2; anchor = "middle"
                case .end: x = t.x + t.width; anchor = "end"
                }
                // Baseline: the middle of the line box plus 0.38 em, the middle of an ideograph's em box.
                let baseline = t.y + t.lineHeight / 2 + t.size * 0.38
                out += "<text x=\"\(Markup.n(x))\" y=\"\(Markup.n(baseline))\" font-size=\"\(Markup.n(t.size))\""
                    + "\(t.bold ? " font-weight=\"bold\"" : "") fill=\"\(t.color)\" text-anchor=\"\(anchor)\">"
                    + "\(Markup.escape(t.text))</text>\n"
            case let .rect(x, y, w, h, fill, radius):
                out += "<rect x=\"\(Markup.n(x))\" y=\"\(Markup.n(y))\" width=\"\(Markup.n(w))\" height=\"\(Markup.n(h))\""
                    + "\(radius > 0 ? " rx=\"\(Markup.n(radius))\"" : "") fill=\"\(fill)\"/>\n"
            case let .photo(x, y, w, h, photo):
                guard let data = photoData(photo) else {
                    out += "<rect x=\"\(Markup.n(x))\" y=\"\(Markup.n(y))\" width=\"\(Markup.n(w))\" height=\"\(Markup.n(h))\" fill=\"\(Design.track)\"/>\n"
                    continue
                }
                let p = Orientation.placement(data.orientation, x: x, y: y, w: w, h: h)
                if p.transform != nil {
                    // Clip to the box: a turned image is placed in a box of swapped sides.
                    out += "<svg x=\"\(Markup.n(x))\" y=\"\(Markup.n(y))\" width=\"\(Markup.n(w))\" height=\"\(Markup.n(h))\" "
                        + "viewBox=\"\(Markup.n(x)) \(Markup.n(y)) \(Markup.n(w)) \(Markup.n(h))\" overflow=\"hidden\">"
                }
                out += "<image x=\"\(Markup.n(p.x))\" y=\"\(Markup.n(p.y))\" width=\"\(Markup.n(p.w))\" height=\"\(Markup.n(p.h))\" "
                    + (p.transform.map { "transform=\"\($0)\" " } ?? "")
                    + "preserveAspectRatio=\"xMidYMid slice\" xlink:href=\"\(Markup.escape(data.uri))\"/>"
                out += p.transform != nil ? "</svg>\n" : "\n"
            }
        }
        out += "</g>\n</svg>\n"
        return out
    }
}
