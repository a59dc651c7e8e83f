import Dispatch
import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// Renders the LED screen's slides into `led/` of the output. Contract with KepuBuild.
///
/// Writes `led/index.html` (starts the loop), `led/01.html` … (one page per slide, exactly
/// width×height CSS px, each refreshing to the next, the last to the first; relative paths only, no
/// JavaScript but the optional `schedule.js` of announcements with hours), `led/photos/…` (every photo a
/// slide shows, resized for the panel: `led/` alone is complete), `led/png/01.png` … (the same slides
/// drawn by librsvg, cached by content), `led/loop.mp4` (when ffmpeg is there or asked for),
/// `led/strip.html`, `led/strip.txt`, `led/strip.gb18030.txt`, `led/strip.gb2312.txt` (when every character
/// is in GB2312), `led/playlist.json`, `led/playlist.m3u` and `led/README.txt`.
public struct LEDRenderer: Sendable {
    /// A photo resized for the panel: JPEG bytes within size×size, upright. KepuBuild hands in KepuPhotos'
    /// cached libvips copy; without one the original file is copied as it is.
    public typealias PanelPhoto = @Sendable (_ source: String, _ size: Int) throws -> [UInt8]

    var panelPhoto: PanelPhoto?
    var video: LEDVideo

    public init(panelPhoto: PanelPhoto? = nil, video: LEDVideo = .off) {
        self.panelPhoto = panelPhoto
        self.video = video
    }

    /// What a render did: slides written, and warnings (characters a GB2312 strip card cannot show, a
    /// video that could not be made when it was not asked for).
    public struct Result: Sendable {
        public var slides: Int
        public var diagnostics: [Diagnostic]
    }

    /// Slide sizes are clamped to what a panel can be; cairo refuses surfaces beyond 32767 px.
    static let sizeRange = 16...8192

    /// Returns the number of slides written.
    public func render(_ input: RenderInput, into sink: OutputSink) throws -> Int {
        try renderScreen(input, into: sink).slides
    }

    /// One slide as shown: a page of the small design, or a whole slide.
    struct Shown {
        var canvas: Canvas
        var slide: Slide
        var seconds: Int
        var title: String
    }

    public func renderScreen(_ input: RenderInput, into sink: OutputSink) throws -> Result {
        let site = input.content.site
        // The same UI words as the site's, in the site's language.
        let words = try UIStrings.load(themeDirectory: input.themeDirectory, language: site.language)
        let frame = Design.Frame(width: clamp(site.led.width), height: clamp(site.led.height), example: site.example,
                                 words: words, palette: .of(site.led.colors))
        var diagnostics: [Diagnostic] = []
        var slides = Slides.build(input, words: words)
        var photoFiles: [String: (href: String, embedded: EmbeddedPhoto)] = [:]
        for (i, slide) in slides.enumerated() {
            guard case var .report(card) = slide.content, let photo = card.photo else { continue }
            // A one- or two-colour panel cannot show a photo; a small one has no room for it.
            if frame.palette.only != nil || frame.small {
                card.photo = nil
            } else if let file = photo.file {
                if photoFiles[file] == nil, let copy = try panelCopy(file, mime: photo.mime, frame: frame) {
                    try sink.write("led/" + copy.href, copy.bytes)
                    photoFiles[file] = (copy.href, copy.embedded)
                }
                if let copy = photoFiles[file] {
                    card.photo = PhotoRef(href: copy.href, file: file, mime: "image/jpeg")
                } else {
                    card.photo = nil
                }
            } else {
                card.photo = nil
            }
            slides[i].content = .report(card)
        }

        var shown: [Shown] = []
        for slide in slides {
            if frame.small {
                let pages = SmallDesign.pages(slide, frame: frame)
                // The slide's time shared among its pages, at least 3 s each to be read.
                let each = pages.count <= 1 ? slide.seconds : max(3, (slide.seconds + pages.count - 1) / pages.count)
                for (n, page) in pages.enumerated() {
                    shown.append(Shown(canvas: page, slide: slide, seconds: each,
                                       title: pages.count > 1 ? "\(slide.title)（\(n + 1)/\(pages.count)）" : slide.title))
                }
            } else {
                shown.append(Shown(canvas: Design.canvas(slide, frame: frame), slide: slide, seconds: slide.seconds, title: slide.title))
            }
        }
        let digits = max(2, String(shown.count).count)
        let names = shown.indices.map { i -> String in
            let s = String(i + 1)
            return String(repeating: "0", count: digits - s.count) + s
        }
        let cache = PNGCache(directory: input.cacheDirectory)
        var entries: [Playlist.Entry] = []

        var svgs: [String] = []
        for (i, item) in shown.enumerated() {
            let next = names[(i + 1) % shown.count] + ".html"
            let schedule = item.slide.schedule.flatMap { s in (s.days != nil || s.hours != nil || s.from != nil || s.until != nil) ? s : nil }
            let page = Page.html(item.canvas, title: "\(i + 1)/\(shown.count) \(item.title)",
                                 refresh: (item.seconds, next), language: site.languageTag,
                                 schedule: schedule.map { ($0, next) })
            try sink.write("led/\(names[i]).html", text: page)
            svgs.append(SVGWriter.svg(item.canvas) { photo in photo.file.flatMap { photoFiles[$0]?.embedded } })
            entries.append(Playlist.Entry(html: "\(names[i]).html", png: "png/\(names[i]).png", seconds: item.seconds,
                                          title: item.title, schedule: item.slide.schedule))
        }
        if shown.contains(where: { $0.slide.schedule != nil }) {
            try sink.write("led/schedule.js", text: Page.scheduleScript)
        }
        // Slides not in the cache are drawn in parallel, one per core: each has its own librsvg handle.
        let pngs = try cache.pngs(svgs: svgs, width: frame.width, height: frame.height, palette: frame.palette.only)
        for (i, png) in pngs.enumerated() {
            try sink.write("led/png/\(names[i]).png", png)
        }

        // index.html starts the loop at the first slide.
        let start = Canvas(width: frame.width, height: frame.height, background: frame.palette.background)
        try sink.write("led/index.html", text: Page.html(start, title: site.title, refresh: (0, names[0] + ".html"),
                                                         language: site.languageTag))

        let strip = Strip.parts(input, example: site.example, words: words)
        let line = strip.map(\.text).joined(separator: Strip.separator)
        if let size = site.led.strip {
            try sink.write("led/strip.html", text: Strip.html(line, width: clamp(size.width), height: clamp(size.height),
                                                              title: site.title, language: site.languageTag, palette: frame.palette))
        }
        // The text files are useful to any text controller, so they are written with or without a strip size.
        try sink.write("led/strip.txt", text: line + "\r\n")
        try sink.write("led/strip.gb18030.txt", try Transcode.gb18030(line + "\r\n"))
        let outside = Strip.outsideGB2312(strip)
        diagnostics += outside
        if outside.isEmpty {
            try sink.write("led/strip.gb2312.txt", try Transcode.convert(Array((line + "\r\n").utf8), from: "UTF-8", to: "GB2312"))
        }

        var videoPadding: (right: Int, bottom: Int)?
        if video != .off {
            if let ffmpeg = Video.ffmpeg() {
                do {
                    let mp4 = try Video.mp4(ffmpeg: ffmpeg, pngs: pngs, seconds: shown.map(\.seconds), width: frame.width,
                                            height: frame.height, cacheDirectory: input.cacheDirectory)
                    try sink.write("led/loop.mp4", mp4)
                    let pad = Video.padded(width: frame.width, height: frame.height)
                    videoPadding = (pad.right, pad.bottom)
                } catch let failure as Video.Failure {
                    let d = Diagnostic(video == .required ? .error : .warning, phase: .render, path: "led/loop.mp4", line: 1, column: 1,
                                       .ledVideoFailed(reason: failure.reason))
                    if video == .required { throw d }
                    diagnostics.append(d)
                }
            } else if video == .required {
                throw Diagnostic(.error, phase: .render, path: "led/loop.mp4", line: 1, column: 1, .ledVideoNoFFmpeg)
            }
        }

        let video = videoPadding.map { Playlist.VideoInfo(file: "loop.mp4", right: $0.right, bottom: $0.bottom,
                                                          seconds: shown.reduce(0) { $0 + $1.seconds }) }
        try sink.write("led/playlist.json", text: Playlist.json(entries, width: frame.width, height: frame.height,
                                                                colors: site.led.colors, video: video))
        try sink.write("led/playlist.m3u", text: Playlist.m3u(entries))
        try sink.write("led/README.txt", [0xEF, 0xBB, 0xBF] + Array(try Playlist.readme(
            site: site, frame: frame, count: shown.count, hasPhotos: !photoFiles.isEmpty, video: video,
            gb2312: outside.isEmpty, scheduled: entries.filter { $0.schedule != nil }, themeDirectory: input.themeDirectory)
            .replacingOccurrences(of: "\n", with: "\r\n").utf8))
        return Result(slides: shown.count, diagnostics: diagnostics)
    }

    /// The photo at `file` for this panel, inside led/photos/ under a name from its bytes.
    private func panelCopy(_ file: String, mime: String?, frame: Design.Frame) throws -> (href: String, bytes: [UInt8], embedded: EmbeddedPhoto)? {
        let size = max(frame.width, frame.height)
        var bytes: [UInt8]
        var ext = "jpg"
        var orientation = 1
        if let panelPhoto {
            bytes = try panelPhoto(file, size)
        } else {
            guard let mime, let data = FileManager.default.contents(atPath: file) else { return nil }
            bytes = [UInt8](data)
            ext = mime == "image/png" ? "png" : "jpg"
            orientation = mime == "image/jpeg" ? Orientation.of(Array(bytes.prefix(256 * 1024))) : 1
        }
        let href = "photos/" + String(ContentHash.hex128(bytes).prefix(16)) + "." + ext
        let uri = "data:\(ext == "png" ? "image/png" : "image/jpeg");base64," + Data(bytes).base64EncodedString()
        return (href, bytes, EmbeddedPhoto(uri: uri, orientation: orientation))
    }

    private func clamp(_ v: Int) -> Int { min(max(v, Self.sizeRange.lowerBound), Self.sizeRange.upperBound) }
}

/// PNGs kept in `<cache>/led/<xxh3-128>.png`, keyed by the SVG (photos included), the size and the
/// librsvg version: an unchanged slide is never drawn again.
struct PNGCache: Sendable {
    var directory: String
    static let version = "kepu-led-1"

    func pngs(svgs: [String], width: Int, height: Int, palette: [UInt32]? = nil) throws -> [[UInt8]] {
        final class Results: @unchecked Sendable {
            let lock = Lock()
            var pngs: [[UInt8]]
            var error: Error?
            init(count: Int) { pngs = Array(repeating: [], count: count) }
        }
        // Identical slides (two equal announcements) are drawn once.
        var unique: [String] = []
        var slot: [String: Int] = [:]
        let indices = svgs.map { svg -> Int in
            if let i = slot[svg] { return i }
            slot[svg] = unique.count
            unique.append(svg)
            return unique.count - 1
        }
        let results = Results(count: unique.count)
        let cache = self
        let svgsToDraw = unique
        DispatchQueue.concurrentPerform(iterations: svgsToDraw.count) { i in
            do {
                let png = try cache.png(svg: svgsToDraw[i], width: width, height: height, palette: palette)
                results.lock.withLock { results.pngs[i] = png }
            } catch {
                results.lock.withLock { if results.error == nil { results.error = error } }
            }
        }
        if let error = results.error { throw error }
        return indices.map { results.pngs[$0] }
    }

    func png(svg: String, width: Int, height: Int, palette: [UInt32]? = nil) throws -> [UInt8] {
        let colors = palette.map { $0.map { String($0, radix: 16) }.joined(separator: ",") } ?? "any"
        let key = ContentHash.hex128(Array("\(Self.version)\n\(Rasterizer.identity)\n\(width)x\(height)\n\(colors)\n\(svg)".utf8))
        let folder = directory.isEmpty ? "" : directory + "/led"
        let path = folder + "/" + key + ".png"
        if !folder.isEmpty, let data = FileManager.default.contents(atPath: path), data.count > 24,
           data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
           data.suffix(8).prefix(4) == Data("IEND".utf8) {
            // A whole PNG (a cut-off file from an interrupted build is drawn again).
            return [UInt8](data)
        }
        let bytes = try Rasterizer.png(svg: svg, width: width, height: height, palette: palette)
        if !folder.isEmpty {
            // A cache that cannot be written only costs time; the output is complete either way.
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let temporary = folder + "/." + key + "." + UUID().uuidString + ".tmp"
            if FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) {
                if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
            }
        }
        return bytes
    }
}
