import Foundation
import KepuContent
import KepuCore
@testable import KepuLedger
import XCTest

final class SampleProjectTests: XCTestCase {
    /// The sample project (content/projects/kepu-2023.md, the seed's table row for row), scored by hand.
    func testSampleProjectScoredByHand() throws {
        let result = ContentLoader.load(contentDirectory: repositoryRoot + "/content")
        XCTAssertEqual(result.errors.count, 0)
        let ledger = Ledger.aggregate(result.content!, now: day("2024-01-15"))
        let p = try XCTUnwrap(ledger.projects.first { $0.project.id == "kepu-2023" })
        XCTAssertEqual(Ledger.review(ledger), [], "a finished form with every short row explained: no warning")

        // Totals over the 11 published reports (the December draft left out).
        XCTAssertEqual(p.totals.reports, 11)
        XCTAssertEqual(p.totals.activities, 11)          // 农函大 counts 2, LED大屏更新 counts 0
        XCTAssertEqual(p.totals.audience, 10_530)
        XCTAssertEqual(p.totals.spend, Money(fen: 1_965_840))
        XCTAssertEqual(p.totals.surveyed, 1_080)
        XCTAssertEqual(p.totals.satisfied, 1_010)

        // Milestones by the day money was paid: 25 % of 20,000.00 = 5,000.00 by 03-31 (4,133.30 paid: missed);
        // 10,000.00 by 06-30 (met); 15,000.00 by 09-30 (met; the LED item paid 08-25); 20,000.00 by 12-31
        // (19,658.40: missed).
        XCTAssertEqual(p.milestones.map(\.state), [.missed, .met, .met, .missed])
        XCTAssertEqual(p.milestones.map(\.required), [Money(yuan: 5000), Money(yuan: 10000), Money(yuan: 15000), Money(yuan: 20000)])
        XCTAssertEqual(p.milestones[0].spentByThen, Money(fen: 413_330))
        XCTAssertTrue(p.spendCurve.contains { $0.day == day("2023-08-25") }, "the item paid a week after the report")

        // One 其中 row: 当年财政拨款, all 19,658.40 of 20,000.00.
        XCTAssertEqual(p.sources.map(\.spent), [Money(fen: 1_965_840)])

        // 预算执行率: 19,658.40 / 20,000.00 = 98.292 % → 10 × 0.98292 = 9.8292 → 9.83.
        XCTAssertEqual(p.execution.rate?.description, "98.292")
        XCTAssertEqual(p.execution.score.description, "9.83")

        // No 分值 in the seed's table: 产出 50 over its 4 rows = 12.5 each; 效益 30; 满意度 10.
        XCTAssertEqual(p.indicators.map { $0.points.description }, ["12.5", "12.5", "12.5", "12.5", "30", "10"])
        // 数量: measures 11 次 ≥ 10 and 10,530 ≥ 10,000 → both full → 12.5.
        // 质量: 100 % against 85 %, no shortfall → 12.5.
        // 时效: 2 of 4 milestones = 50 %, 50 short at 25 per 25 → 2 × 25 = 50 of 100 → 12.5 × 50 / 100 = 6.25.
        // 成本: 预算编制数与财政拨付数 2 万元 = 2 万元 → 12.5.  社会效益: 达成 → 100 % of 30.
        // 满意度: 1,010 / 1,080 = 93.518… % ≥ 90 % → 10.
        XCTAssertEqual(p.indicators.map { $0.score.description }, ["12.5", "12.5", "6.25", "12.5", "30", "10"])
        XCTAssertEqual(p.indicators[0].measures.map { $0.actual?.description }, ["11", "10530"])
        XCTAssertEqual(p.indicators[2].actual?.description, "50")
        XCTAssertEqual(p.indicators[2].deduction?.description, "50")
        XCTAssertEqual(p.indicators[3].actual?.description, "2")
        XCTAssertEqual(p.indicators[5].actual?.cut(2).description, "93.51")
        XCTAssertEqual(p.indicators.map { $0.met }, [true, true, false, true, true, true])

        // 9.83 + 12.5 + 12.5 + 6.25 + 12.5 + 30 + 10 = 93.58 → 优.
        XCTAssertEqual(p.score.description, "93.58")
        XCTAssertEqual(p.grade, .excellent)
        XCTAssertTrue(p.final)
    }

    func testSampleProjectIsAForecastDuringItsYear() throws {
        let content = ContentLoader.load(contentDirectory: repositoryRoot + "/content").content!
        let p = Ledger.aggregate(content, now: day("2023-10-01")).projects[0]
        XCTAssertFalse(p.final)
        // 12-31 is still ahead: pending, not missed. Of the three decided, Q1 missed, Q2 and Q3 met: 66.67 %.
        XCTAssertEqual(p.milestones.map(\.state), [.missed, .met, .met, .pending])
        XCTAssertEqual(p.indicators[2].actual?.rounded(2).description, "66.67")
    }

    func testDraftsCountOnlyWhenAsked() throws {
        let content = ContentLoader.load(contentDirectory: repositoryRoot + "/content").content!
        let without = Ledger.aggregate(content, now: day("2024-01-15")).projects[0]
        let with = Ledger.aggregate(content, now: day("2024-01-15"), includeDrafts: true).projects[0]
        XCTAssertEqual(with.totals.reports, without.totals.reports + 1)
        XCTAssertFalse(without.reports.contains { $0.draft })
    }
}
