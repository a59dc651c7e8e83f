import Dispatch
import Foundation
import KepuContent
import KepuCore
import KepuLedger

/// Renders the LED screen's slides into `led/` of the output. Contract with KepuBuild.
///
/// Writes `led/index.html` (starts the loop), `led/01.html` … (one page per slide, exactly
/// width×height CSS px, each refreshing to the next, the last to the first; no JavaScript, relative
/// paths only), `led/png/01.png` … (the same slides drawn by librsvg, cached by content),
/// `led/strip.html`, `led/strip.txt`, `led/strip.gb18030.txt` (when `led.strip` is set),
/// `led/playlist.json`, `led/playlist.m3u` and `led/README.txt`.
public struct LEDRenderer: Sendable {
    public init() {}

    /// Slide sizes are clamped to what a panel can be; cairo refuses surfaces beyond 32767 px.
    static let sizeRange = 16...8192

    /// Returns the number of slides written.
    public func render(_ input: RenderInput, into sink: OutputSink) throws -> Int {
        let site = input.content.site
        let frame = Design.Frame(width: clamp(site.led.width), height: clamp(site.led.height), example: site.example)
        let slides = Slides.build(input)
        let digits = max(2, String(slides.count).count)
        let names = slides.indices.map { i -> String in
            let s = String(i + 1)
            return String(repeating: "0", count: digits - s.count) + s
        }
        let cache = PNGCache(directory: input.cacheDirectory)
        var entries: [Playlist.Entry] = []

        var svgs: [String] = []
        for (i, slide) in slides.enumerated() {
            let canvas = Design.canvas(slide, frame: frame)
            let next = names[(i + 1) % slides.count] + ".html"
            let page = Page.html(canvas, title: "\(i + 1)/\(slides.count) \(slide.title)",
                                 refresh: (slide.seconds, next), language: site.languageTag)
            try sink.write("led/\(names[i]).html", text: page)
            svgs.append(SVGWriter.svg(canvas, photoData: Photos.dataURI))
            entries.append(Playlist.Entry(html: "\(names[i]).html", png: "png/\(names[i]).png", seconds: slide.seconds,
                                          title: slide.title))
        }
        // Slides not in the cache are drawn in parallel, one per core: each has its own librsvg handle.
        let pngs = try cache.pngs(svgs: svgs, width: frame.width, height: frame.height)
        for (i, png) in pngs.enumerated() {
            try sink.write("led/png/\(names[i]).png", png)
        }

        // index.html starts the loop at the first slide.
        let start = Canvas(width: frame.width, height: frame.height, background: Design.background)
        try sink.write("led/index.html", text: Page.html(start, title: site.title, refresh: (0, names[0] + ".html"),
                                                         language: site.languageTag))

        let line = Strip.line(input, example: site.example)
        if let strip = site.led.strip {
            try sink.write("led/strip.html", text: Strip.html(line, width: clamp(strip.width), height: clamp(strip.height),
                                                              title: site.title, language: site.languageTag))
        }
        // The text files are useful to any text controller, so they are written with or without a strip size.
        try sink.write("led/strip.txt", text: line + "\r\n")
        try sink.write("led/strip.gb18030.txt", try Transcode.gb18030(line + "\r\n"))

        try sink.write("led/playlist.json", text: Playlist.json(entries, width: frame.width, height: frame.height))
        try sink.write("led/playlist.m3u", text: Playlist.m3u(entries))
        try sink.write("led/README.txt", [0xEF, 0xBB, 0xBF] + Array(Playlist.readme(site: site, frame: frame, count: slides.count, hasPhotos: slides.contains {
            if case let .report(card) = $0.content { return card.photo != nil }
            return false
        })
            .replacingOccurrences(of: "\n", with: "\r\n").utf8))
        return slides.count
    }

    private func clamp(_ v: Int) -> Int { min(max(v, Self.sizeRange.lowerBound), Self.sizeRange.upperBound) }
}

/// Photos embedded in the SVG as data: URIs (librsvg reads no files for us).
enum Photos {
    @Sendable static func dataURI(_ photo: PhotoRef) -> EmbeddedPhoto? {
        guard let file = photo.file, let mime = photo.mime,
              let data = FileManager.default.contents(atPath: file) else { return nil }
        let orientation = mime == "image/jpeg" ? Orientation.of([UInt8](data.prefix(256 * 1024))) : 1
        return EmbeddedPhoto(uri: "data:\(mime);base64," + data.base64EncodedString(), orientation: orientation)
    }
}

/// PNGs kept in `<cache>/led/<xxh3-128>.png`, keyed by the SVG (photos included), the size and the
/// librsvg version: an unchanged slide is never drawn again.
struct PNGCache: Sendable {
    var directory: String
    static let version = "kepu-led-1"

    func pngs(svgs: [String], width: Int, height: Int) throws -> [[UInt8]] {
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
                let png = try cache.png(svg: svgsToDraw[i], width: width, height: height)
                results.lock.withLock { results.pngs[i] = png }
            } catch {
                results.lock.withLock { if results.error == nil { results.error = error } }
            }
        }
        if let error = results.error { throw error }
        return indices.map { results.pngs[$0] }
    }

    func png(svg: String, width: Int, height: Int) throws -> [UInt8] {
        let key = ContentHash.hex128(Array("\(Self.version)\n\(Rasterizer.identity)\n\(width)x\(height)\n\(svg)".utf8))
        let folder = directory.isEmpty ? "" : directory + "/led"
        let path = folder + "/" + key + ".png"
        if !folder.isEmpty, let data = FileManager.default.contents(atPath: path), data.count > 24,
           data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
           data.suffix(8).prefix(4) == Data("IEND".utf8) {
            // A whole PNG (a cut-off file from an interrupted build is drawn again).
            return [UInt8](data)
        }
        let bytes = try Rasterizer.png(svg: svg, width: width, height: height)
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
