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

final class CorpusTotalsTests: XCTestCase {
    /// Corpora from ../shared/bench/make_corpus.py with several seeds: totals equal expected.json to the fen.
    func testGeneratedCorporaMatchExpectedTotals() throws {
        let script = repositoryRoot + "/../shared/bench/make_corpus.py"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: script), "shared/bench is not beside the repository")
        for seed in [1, 7, 42] {
            let out = NSTemporaryDirectory() + "kepu-corpus-\(seed)-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: out) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, "--reports", "300", "--seed", "\(seed)", "--out", out, "--expect"]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            let loaded = ContentLoader.load(contentDirectory: out + "/content")
            XCTAssertEqual(loaded.errors.count, 0, "\(loaded.errors.first.map { $0.formatted(.en) } ?? "")")
            let ledger = Ledger.aggregate(loaded.content!, now: day("2026-01-01"))
            let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/expected.json"))) as! [String: Any]
            var kinds: [String: Int] = [:]
            for p in ledger.projects {
                let e = try XCTUnwrap(expected[p.project.id] as? [String: Any], p.project.id)
                XCTAssertEqual(p.totals.reports, e["reports"] as? Int)
                XCTAssertEqual(p.totals.activities, e["activities"] as? Int)
                XCTAssertEqual(p.totals.audience, e["audience"] as? Int)
                XCTAssertEqual(p.totals.spend, try Money.parse(e["spend"] as! String), "seed \(seed) \(p.project.id)")
                XCTAssertEqual(p.totals.surveyed, e["surveyed"] as? Int)
                XCTAssertEqual(p.totals.satisfied, e["satisfied"] as? Int)
                for g in p.byKind { kinds[g.key, default: 0] += g.totals.reports }
            }
            XCTAssertEqual(kinds, expected["kinds"] as? [String: Int])
        }
    }
}

final class PercentTextTests: XCTestCase {
    /// The integer shortcut prints exactly what the Decimal arithmetic does: cut, never rounded up.
    func testPercentTextEqualsDecimalArithmetic() {
        for whole in 1...400 {
            for part in 0...whole {
                for places in [0, 1, 2] {
                    XCTAssertEqual(Score.percentText(part, of: whole, places: places),
                                   (Score.ratio(part, whole) * Score(100)).cut(places).fixed(places), "\(part)/\(whole) to \(places)")
                }
            }
        }
        XCTAssertEqual(Score.percentText(1, of: 16, places: 1), "6.2", "6.25 is cut, not rounded up")
        XCTAssertEqual(Score.percentText(1799, of: 2000, places: 2), "89.95")
        XCTAssertEqual(Score.percentText(17999, of: 20000, places: 2), "89.99", "89.995 % never reads as 90.00 %")
        XCTAssertEqual(Score.percentText(186, of: 200, places: 1), "93.0")
        XCTAssertEqual(Score.percentText(123_456_789, of: 987_654_321, places: 2), "12.49")
        XCTAssertEqual(Score.percentText(5, of: 0, places: 1), "0.0", "no one surveyed: zero, as the Decimal path")
    }
}
