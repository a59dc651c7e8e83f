import Foundation
import KepuContent
import KepuCore
import KepuPresentation
import KepuTemplate

/// The loop for vendor software and the staff's instructions.
enum Playlist {
    struct Entry: Sendable, Equatable {
        var html: String
        var png: String
        var seconds: Int
        var title: String
        var schedule: Schedule? = nil
    }

    /// led/loop.mp4 as written: its padding (a black column/row where a side is odd) and length.
    struct VideoInfo: Sendable, Equatable {
        var file: String
        var right: Int
        var bottom: Int
        var seconds: Int
    }

    /// The window as JSON fields: dates, weekdays (1 = Monday … 7 = Sunday), hours, urgent.
    static func scheduleJSON(_ s: Schedule) -> String {
        var fields: [String] = []
        if let from = s.from { fields.append("\"from\": \"\(from)\"") }
        if let until = s.until { fields.append("\"until\": \"\(until)\"") }
        if let days = s.days { fields.append("\"days\": [\(days.map(String.init).joined(separator: ", "))]") }
        if let hours = s.hours { fields.append("\"hours\": \(Markup.json(hours.text))") }
        if s.urgent { fields.append("\"urgent\": true") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func json(_ entries: [Entry], width: Int, height: Int, colors: LEDColors = .full, video: VideoInfo? = nil) -> String {
        var out = "{\n  \"width\": \(width),\n  \"height\": \(height),\n  \"colors\": \(Markup.json(colors.rawValue)),\n"
            + "  \"start\": \"index.html\",\n"
        if let video {
            let pad = Video.padded(width: width, height: height)
            out += "  \"video\": {\"file\": \(Markup.json(video.file)), \"width\": \(pad.width), \"height\": \(pad.height), "
                + "\"padding\": {\"right\": \(video.right), \"bottom\": \(video.bottom)}, \"seconds\": \(video.seconds), "
                + "\"codec\": \"h264\", \"pixel_format\": \"yuv420p\", \"fps\": \(Video.fps)},\n"
        }
        out += "  \"slides\": [\n"
        out += entries.map { e in
            "    {\"html\": \(Markup.json(e.html)), \"png\": \(Markup.json(e.png)), \"seconds\": \(e.seconds), \"title\": \(Markup.json(e.title))"
                + (e.schedule.map { ", \"schedule\": " + scheduleJSON($0) } ?? "") + "}"
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    /// An extended M3U of the PNGs; `#EXTVLCOPT:image-duration` makes VLC show each for its seconds.
    /// A scheduled slide carries its window on a `#KEPU-SCHEDULE:` line (players skip unknown `#` lines).
    static func m3u(_ entries: [Entry]) -> String {
        var out = "#EXTM3U\n"
        for e in entries {
            let title = e.title.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            out += "#EXTINF:\(e.seconds),\(title)\n"
            if let s = e.schedule { out += "#KEPU-SCHEDULE:" + scheduleJSON(s) + "\n" }
            out += "#EXTVLCOPT:image-duration=\(e.seconds)\n\(e.png)\n"
        }
        return out
    }

    /// The operator's guide, `theme/led/README.<language>.txt` (a Mustache template; zh-CN when the site's
    /// language has none), filled in with this build's facts.
    static func readme(site: SiteConfig, frame: Design.Frame, count: Int, hasPhotos: Bool, video: VideoInfo? = nil,
                       gb2312: Bool = true, scheduled: [Entry] = [], themeDirectory: String) throws -> String {
        let words = frame.words
        let colorName: String
        switch site.led.colors {
        case .full: colorName = words.t("led_colors_full")
        case .single: colorName = words.t("led_colors_single")
        case .dual: colorName = words.t("led_colors_dual")
        }
        var c: TemplateContext = [
            "siteTitle": site.title, "count": count, "width": frame.width, "height": frame.height, "colorName": colorName,
            "example": site.example, "hasPhotos": hasPhotos, "gb2312": gb2312, "hasScheduled": !scheduled.isEmpty,
            "scheduled": scheduled.map { e -> TemplateContext in
                ["png": e.png, "title": e.title, "when": e.schedule.map { when($0, words: words) } ?? ""]
            },
        ]
        if let video {
            var v: TemplateContext = ["fps": Video.fps, "seconds": video.seconds]
            if video.right > 0 || video.bottom > 0 {
                let pad = Video.padded(width: frame.width, height: frame.height)
                let sides = video.right > 0 && video.bottom > 0 ? "led_side_both" : (video.right > 0 ? "led_side_right" : "led_side_bottom")
                v["padded"] = ["width": pad.width, "height": pad.height, "sides": words.t(sides)] as TemplateContext
            } else {
                v["padded"] = false
            }
            c["video"] = v
        } else {
            c["video"] = false
        }
        c["strip"] = site.led.strip.map { ["width": $0.width, "height": $0.height] as TemplateContext }
        let folder = themeDirectory + "/led/"
        var path = folder + "README." + site.language.rawValue + ".txt"
        if !FileManager.default.fileExists(atPath: path) { path = folder + "README.zh-CN.txt" }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(.error, phase: .render, path: path, line: 1, column: 1, .theme(.fileMissing))
        }
        let library = try TemplateLibrary(texts: ["readme": text], paths: ["readme": path])
        return library.render("readme", c.templateValue)
    }

    /// An announcement's window in words: "2024-01-01至2024-01-31，每周一、二，08:30-17:30".
    static func when(_ s: Schedule, words: UIStrings) -> String {
        var parts: [String] = []
        if s.from != nil || s.until != nil {
            parts.append(words.t("led_when_dates", ["from": s.from?.description ?? "", "until": s.until?.description ?? ""]))
        }
        if let days = s.days {
            let names = words.t("led_weekday_names").split(separator: ",").map(String.init)
            let listed = days.map { names.indices.contains($0 - 1) ? names[$0 - 1] : String($0) }
            parts.append(words.t("led_when_days", ["days": listed.joined(separator: words.t("led_list_separator"))]))
        }
        if let hours = s.hours { parts.append(hours.text) }
        if s.urgent { parts.append(words.t("led_when_urgent")) }
        return parts.joined(separator: words.t("led_when_separator"))
    }
}
