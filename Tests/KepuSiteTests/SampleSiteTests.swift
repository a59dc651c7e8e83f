import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuSite
import XCTest

/// Renders the repository's sample content. With KEPU_SITE_OUT set, the site is also written to that
/// folder, so the quality scripts (scripts/check-*.{sh,py}) can run on it before `kepu build` exists.
final class SampleSiteTests: XCTestCase {
    func testSampleContentRenders() throws {
        let now = Day(year: 2024, month: 1, day: 15)!
        let built = try build(repoRoot.appendingPathComponent("content").path, now: now)
        XCTAssertGreaterThan(built.pages, 10)
        XCTAssertEqual(built.pages, built.htmlPaths.count - 1, "every page but 404.html is counted")
        let home = built.text("index.html")
        XCTAssertLessThanOrEqual(home.utf8.count, 100_000, "home page ≤ 100 KB")
        if let out = ProcessInfo.processInfo.environment["KEPU_SITE_OUT"] {
            let root = URL(fileURLWithPath: out)
            try? FileManager.default.removeItem(at: root)
            let result = ContentLoader.load(contentDirectory: repoRoot.appendingPathComponent("content").path)
            let content = try XCTUnwrap(result.content)
            let sink = DirectorySink(root)
            let ledger = Ledger.aggregate(content, now: now)
            let input = RenderInput(content: content, ledger: ledger, now: now, includeDrafts: false, baseURL: "/",
                                    themeDirectory: themeDirectory, cacheDirectory: NSTemporaryDirectory())
            _ = try SiteRenderer().render(input, into: sink)
        }
    }
}
