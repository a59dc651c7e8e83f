import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuSite
import XCTest

/// Counts what is written and keeps nothing, so a large site's timing is the renderer's own.
final class CountingSink: OutputSink, @unchecked Sendable {
    private let lock = Lock()
    private(set) var files = 0
    private(set) var bytes = 0
    func write(_ relativePath: String, _ data: [UInt8]) throws { lock.withLock { files += 1; bytes += data.count } }
    func copyFile(from absolutePath: String, to relativePath: String) throws { lock.withLock { files += 1 } }
}

final class PerformanceTests: XCTestCase {
    /// Set KEPU_SITE_PERF_CONTENT to a content folder (e.g. 10,000 generated reports) to time the render.
    func testLargeSiteRenderTime() throws {
        guard let dir = ProcessInfo.processInfo.environment["KEPU_SITE_PERF_CONTENT"] else {
            throw XCTSkip("set KEPU_SITE_PERF_CONTENT to time a large site")
        }
        let now = Day(year: 2024, month: 1, day: 15)!
        let t0 = Date()
        let result = ContentLoader.load(contentDirectory: dir)
        let content = try XCTUnwrap(result.content)
        let ledger = Ledger.aggregate(content, now: now)
        let t1 = Date()
        let sink = CountingSink()
        let input = RenderInput(content: content, ledger: ledger, now: now, includeDrafts: false, baseURL: "/",
                                themeDirectory: themeDirectory, cacheDirectory: NSTemporaryDirectory())
        let pages = try SiteRenderer().render(input, into: sink)
        let t2 = Date()
        print(String(format: "large site: %d reports, load+aggregate %.2f s, render %.2f s, %d pages, %d files, %.1f MB",
                     content.reports.count, t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), pages, sink.files,
                     Double(sink.bytes) / 1e6))
    }
}
