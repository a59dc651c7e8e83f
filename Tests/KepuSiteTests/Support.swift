import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuSite
@_exported import KepuTestSupport
import XCTest

/// A content tree in a fresh temporary folder.
struct ContentTree {
    let root: URL

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kepu-site-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

struct Built {
    let input: RenderInput
    let sink: MemorySink
    let pages: Int

    var ledger: SiteLedger { input.ledger }
    var htmlPaths: [String] { sink.files.keys.filter { $0.hasSuffix(".html") }.sorted() }
    func text(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard let t = sink.text(path) else {
            XCTFail("missing \(path); have \(sink.files.keys.sorted())", file: file, line: line)
            return ""
        }
        return t
    }
}

/// Load, aggregate and render a content folder into memory.
func build(_ contentDirectory: String, now: Day, baseURL: String = "/", includeDrafts: Bool = false,
           photos: [String: PublishedPhoto] = [:], theme: String = themeDirectory,
           file: StaticString = #filePath, line: UInt = #line) throws -> Built {
    let result = ContentLoader.load(contentDirectory: contentDirectory)
    guard let content = result.content, result.errors.isEmpty else {
        XCTFail("content errors: \(result.errors.map { $0.formatted(.en) })", file: file, line: line)
        throw CocoaError(.fileReadCorruptFile)
    }
    let ledger = Ledger.aggregate(content, now: now, includeDrafts: includeDrafts)
    let input = RenderInput(content: content, ledger: ledger, now: now, includeDrafts: includeDrafts, baseURL: baseURL,
                            themeDirectory: theme, cacheDirectory: NSTemporaryDirectory(), photos: photos)
    let sink = MemorySink()
    let pages = try SiteRenderer().render(input, into: sink)
    return Built(input: input, sink: sink, pages: pages)
}

/// 12345.6 yuan as the pages print it: ¥12,345.60. Written independently of KepuSite's formatter.
func yuan(_ m: Money) -> String {
    let whole = String(m.fen / 100)
    var grouped = ""
    for (i, c) in whole.enumerated() {
        if i > 0 && (whole.count - i) % 3 == 0 { grouped.append(",") }
        grouped.append(c)
    }
    let cents = m.fen % 100
    return "¥" + grouped + "." + (cents < 10 ? "0" : "") + String(cents)
}
