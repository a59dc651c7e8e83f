import Foundation
import KepuCore
@testable import KepuContent
import KepuTestSupport
import XCTest

/// The sample site in content/ is the living example of the format: it must check clean.
final class SampleContentTests: XCTestCase {
    static var contentFolder: String { sampleContent }

    func testSampleContentLoadsWithNoErrorsOrWarnings() throws {
        let result = ContentLoader.load(contentDirectory: Self.contentFolder)
        XCTAssertEqual(result.printed, [])
        let content = try XCTUnwrap(result.content)
        XCTAssertEqual(content.site.language, .zhCN)
        XCTAssertTrue(content.site.example)
        XCTAssertEqual(content.projects.map(\.id), ["kepu-2023"])
        let project = try XCTUnwrap(content.project("kepu-2023"))
        XCTAssertEqual(project.year, 2023)
        XCTAssertEqual(project.budget, Money(yuan: 20_000))
        XCTAssertEqual(project.schedule.count, 4)
        XCTAssertFalse(project.targets.isEmpty)
        XCTAssertGreaterThanOrEqual(content.reports.count, 10)
        XCTAssertTrue(content.reports.allSatisfy { $0.projectID == "kepu-2023" })
        XCTAssertEqual(content.reports.filter(\.draft).count, 1)
        // At least one bundle with its photos resolved, and the spend-only LED report.
        XCTAssertTrue(content.reports.contains { r in r.path.hasSuffix("/index.md") && !r.photos.isEmpty
            && r.photos.allSatisfy { !$0.contentPath.isEmpty } })
        XCTAssertTrue(content.reports.contains { $0.activities == 0 && $0.totalSpend > .zero })
        // Sorted by date, then slug; slugs unique.
        XCTAssertEqual(content.reports.map(\.date), content.reports.map(\.date).sorted())
        XCTAssertEqual(Set(content.reports.map(\.slug)).count, content.reports.count)
        XCTAssertFalse(content.announcements.isEmpty)
    }

    func testTrailingSlashOnTheFolderIsHarmless() {
        let result = ContentLoader.load(contentDirectory: Self.contentFolder + "/")
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.content?.root, Self.contentFolder)
    }
}
