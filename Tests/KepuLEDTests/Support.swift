import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import XCTest
@_exported import KepuTestSupport
@testable import KepuLED

/// A content tree in a temporary folder.
final class TempTree {
    let root: String
    init() {
        root = NSTemporaryDirectory() + "kepu-led-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: root) }

    func file(_ path: String, _ text: String) {
        let full = root + "/" + path
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: full, contents: Data(text.utf8)))
    }

    func bytes(_ path: String, _ data: [UInt8]) {
        let full = root + "/" + path
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: full, contents: Data(data)))
    }

    var content: String { root + "/content" }
    var cache: String { root + "/cache" }
}

struct Rendered {
    var input: RenderInput
    var sink: MemorySink
    var count: Int
    func text(_ path: String) -> String { sink.text(path) ?? "" }
    func bytes(_ path: String) -> [UInt8] { sink.files[path] ?? [] }
}

/// Loads a content folder, aggregates it and renders the LED slides into memory.
func renderLED(content: String, now: String, cache: String, photos: [String: PublishedPhoto] = [:],
               renderer: LEDRenderer = LEDRenderer(), diagnostics: UnsafeMutablePointer<[Diagnostic]>? = nil,
               edit: (inout Content) -> Void = { _ in }, file: StaticString = #filePath, line: UInt = #line) throws -> Rendered {
    let result = ContentLoader.load(contentDirectory: content)
    XCTAssertEqual(result.errors.map { $0.formatted(.en) }, [], file: file, line: line)
    var c = try XCTUnwrap(result.content, file: file, line: line)
    edit(&c)
    let day = try Day.parse(now)
    let ledger = Ledger.aggregate(c, now: day)
    let input = RenderInput(content: c, ledger: ledger, now: day, includeDrafts: false, baseURL: "/",
                            themeDirectory: themeDirectory, cacheDirectory: cache, photos: photos)
    let sink = MemorySink()
    let screen = try renderer.renderScreen(input, into: sink)
    diagnostics?.pointee = screen.diagnostics
    let count = screen.slides
    return Rendered(input: input, sink: sink, count: count)
}

/// Width and height from a PNG's IHDR chunk.
func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.count > 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
    func be(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
    return (be(16), be(20))
}

/// The refresh target of a page: `<meta http-equiv="refresh" content="10; url=02.html">`.
func refreshTarget(_ html: String) -> (seconds: Int, url: String)? {
    guard let meta = html.range(of: "<meta http-equiv=\"refresh\" content=\"") else { return nil }
    let rest = html[meta.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    let content = rest[..<end]
    let parts = content.split(separator: ";", maxSplits: 1)
    guard parts.count == 2, let seconds = Int(parts[0].trimmingCharacters(in: .whitespaces)) else { return nil }
    let url = parts[1].trimmingCharacters(in: .whitespaces)
    guard url.lowercased().hasPrefix("url=") else { return nil }
    return (seconds, String(url.dropFirst(4)))
}

/// The theme's UI words in Chinese, as the slides get them.
let testWords = try! UIStrings.load(themeDirectory: themeDirectory, language: .zhCN)
/// The one set of figure rules, in Chinese.
let zh = FigureFormat(language: .zhCN)
