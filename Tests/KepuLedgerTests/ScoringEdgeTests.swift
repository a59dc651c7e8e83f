import Foundation
import KepuContent
import KepuCore
@testable import KepuLedger
import XCTest

final class ScoringEdgeTests: XCTestCase {
    static let project = """
    ---
    name: 测试项目
    unit: 测试单位
    year: 2023
    budget: %BUDGET%
    schedule:
      - {by: 2023-06-30, share: 50}
      - {by: 2023-12-31, share: 100}
    targets:
      - {name: 活动次数, level1: 产出指标, level2: 数量指标, metric: activities, op: ">=", value: 4, unit: 次}
      - {name: 支出进度, level1: 产出指标, level2: 时效指标, metric: schedule, op: "=", value: 100, unit: "%", rule: {deduct: 25, per: 50}}
      - {name: 满意度, level1: 满意度指标, level2: 服务对象满意度指标, metric: satisfaction, op: ">=", value: 90, unit: "%", rule: {deduct: 10, per: 10}}
    ---
    """

    func site(budget: String = "1000") -> TestContent {
        let t = TestContent()
        t.write("projects/p.md", Self.project.replacingOccurrences(of: "%BUDGET%", with: budget))
        return t
    }

    func testNoReports() throws {
        let t = site()
        let p = Ledger.aggregate(t.load(), now: day("2024-01-01")).projects[0]
        XCTAssertEqual(p.totals, Totals())
        XCTAssertNil(p.totals.satisfaction)
        // No effect rows: 效益 30 passes to the others in proportion: 10/50/10 of 70 → ×100/70, in hundredths
        // that add up to 100: 14.285… → 14.29 (a larger remainder than 满意度's), 71.428… → 71.43, 14.28.
        // 产出's 71.43 over two rows: 35.72 and 35.71.
        // Execution 0 %; activities 0/4 → 0; schedule both missed → 0; satisfaction: no value → 0.
        XCTAssertEqual(p.execution.points.description, "14.29")
        XCTAssertEqual(p.indicators.map { $0.points.description }, ["35.72", "35.71", "14.28"])
        XCTAssertNil(p.indicators[2].actual)
        XCTAssertNil(p.indicators[2].met)
        XCTAssertEqual(p.score.description, "0")
        XCTAssertEqual(p.grade, .poor)
    }

    func testZeroBudgetHasNoExecutionRateAndNoNaN() throws {
        let t = site(budget: "0")
        t.report("a", date: "2023-03-01", spend: "100")
        let p = Ledger.aggregate(t.load(), now: day("2024-01-01")).projects[0]
        XCTAssertNil(p.execution.rate)
        XCTAssertEqual(p.execution.points.description, "0")
        // Execution passes its 10 points on: output 50 and satisfaction 10 scaled by 100/60 (no effect rows either):
        // 83.333… and 16.666… → 83.33 and 16.67 (the larger remainder), 产出 over two rows: 41.67 and 41.66.
        XCTAssertEqual(p.indicators.map { $0.points.description }, ["41.67", "41.66", "16.67"])
        for i in p.indicators { XCTAssertFalse(i.score.description.contains("NaN")) }
    }

    func testOverspendCapsExecutionAtItsPoints() throws {
        let t = site()
        t.report("a", date: "2023-03-01", spend: "1500")
        let p = Ledger.aggregate(t.load(), now: day("2024-01-01")).projects[0]
        XCTAssertEqual(p.execution.rate?.description, "150")
        XCTAssertEqual(p.execution.score, p.execution.points)
        XCTAssertEqual(p.budgetLeft, Money(fen: -50_000))
    }

    func testSatisfactionRuleCountsPartOfAUnitAsWhole() throws {
        let t = site()
        // 88 % against 90 % with {deduct: 10, per: 10}: 2 short → one whole unit → 10 off.
        t.report("a", date: "2023-03-01", surveyed: 100, satisfied: 88)
        let p = Ledger.aggregate(t.load(), now: day("2024-01-01")).projects[0]
        XCTAssertEqual(p.indicators[2].actual?.description, "88")
        XCTAssertEqual(p.indicators[2].deduction?.description, "10")
        XCTAssertEqual(p.indicators[2].score.description, "4.28")  // 14.28 − 10: without `of`, points of the row
    }

    func testMilestoneMissedThenCaughtUpStaysMissed() throws {
        let t = site()
        t.report("a", date: "2023-03-01", spend: "100")   // by 06-30 only 100 of the 500 needed
        t.report("b", date: "2023-08-01", spend: "900")   // by 12-31 all 1000
        let p = Ledger.aggregate(t.load(), now: day("2024-01-01")).projects[0]
        XCTAssertEqual(p.milestones.map(\.state), [.missed, .met])
        XCTAssertEqual(p.indicators[1].actual?.description, "50")
        // 50 short at {deduct: 25, per: 50} → 1 unit → 25 off the row's 35.71 points → 10.71.
        XCTAssertEqual(p.indicators[1].deduction?.description, "25")
        XCTAssertEqual(p.indicators[1].score.description, "10.71")
        XCTAssertEqual(p.spendCurve.map(\.cumulative), [Money(yuan: 100), Money(yuan: 1000)])
    }

    func testForecastBeforeTheYearEnds() throws {
        let t = site()
        t.report("a", date: "2023-03-01", spend: "600", activities: 4)
        let ledger = Ledger.aggregate(t.load(), now: day("2023-07-01"))
        let p = ledger.projects[0]
        XCTAssertFalse(p.final)
        XCTAssertEqual(p.milestones.map(\.state), [.met, .pending])
        XCTAssertEqual(p.indicators[1].actual?.description, "100")
        XCTAssertTrue(Ledger.aggregate(t.load(), now: day("2024-01-01")).projects[0].final)
    }

    func testOnlyManualRows() throws {
        let t = TestContent()
        t.write("projects/p.md", """
        ---
        name: 定性项目
        unit: 测试单位
        year: 2023
        budget: 100
        targets:
          - {name: 甲, level1: 产出指标, metric: manual, actual: 达成}
          - {name: 乙, level1: 产出指标, metric: manual, actual: 部分达成, percent: 80}
          - {name: 丙, level1: 效益指标, metric: manual, actual: 未达成, percent: 50}
          - {name: 丁, level1: 效益指标, metric: manual, actual: 部分达成, percent: 60}
        ---
        """)
        t.report("a", date: "2023-05-01", spend: "100")
        let p = Ledger.aggregate(t.load(), now: day("2024-01-01")).projects[0]
        // No satisfaction rows: its 10 goes to execution/output/effect in proportion (10:50:30 of 90), in
        // hundredths: 11.11, 55.56 (the largest remainder takes the spare hundredth), 33.33.
        // Output 55.56 / 2 = 27.78 per row; effect 33.33 / 2 = 16.67 and 16.66.
        // Execution 100 % of 11.11 → 11.11. 甲 达成 100 % → 27.78; 乙 部分达成 80 % → 22.224 → 22.22;
        // 丙 未达成 50 % of 16.67 → 8.335 → 8.34 (half up); 丁 部分达成 60 % of 16.66 → 9.996 → 10.00.
        // Total of the rounded figures = 11.11 + 27.78 + 22.22 + 8.34 + 10.00 = 79.45 → 中.
        XCTAssertEqual(p.indicators.map(\.outcome), [.achieved, .partlyAchieved, .notAchieved, .partlyAchieved])
        XCTAssertEqual(p.indicators.map { $0.points.description }, ["27.78", "27.78", "16.67", "16.66"])
        XCTAssertEqual(p.indicators.map { $0.score.description }, ["27.78", "22.22", "8.34", "10"])
        XCTAssertEqual(p.score.description, "79.45")
        XCTAssertEqual(p.grade, .fair)
    }

    func testMilestoneRequirementIsRoundedUpToTheFen() {
        // 33.33 % of 1,000.01 = 333.3033… → 333.31: a milestone is met only when the whole share is spent.
        XCTAssertEqual(Ledger.requiredSpend(budget: Money(fen: 100_001), share: Exact(units: 3333, scale: 2)), Money(fen: 33_331))
        XCTAssertEqual(Ledger.requiredSpend(budget: Money(yuan: 20_000), share: Exact(25)), Money(yuan: 5_000))
        XCTAssertEqual(Ledger.requiredSpend(budget: Money(fen: 1), share: Exact(50)), Money(fen: 1))
        XCTAssertEqual(Ledger.requiredSpend(budget: Money(fen: 100_000_000_000_000), share: Exact(100)), Money(fen: 100_000_000_000_000))
    }

    func testRoundingHalfUpOnceAtTheEnd() throws {
        XCTAssertEqual(Score(Exact(units: 89995, scale: 3)).rounded(2).description, "90")
        XCTAssertEqual(Score(Exact(units: 89994, scale: 3)).rounded(2).description, "89.99")
        XCTAssertEqual(Grade(score: Score(Exact(units: 8999, scale: 2))), .good)
        XCTAssertEqual(Grade(score: Score(90)), .excellent)
        XCTAssertEqual(Grade(score: Score(60)), .fair)
        XCTAssertEqual(Grade(score: Score(Exact(units: 5999, scale: 2))), .poor)
    }
}
