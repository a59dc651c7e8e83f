import KepuContent
import KepuCore
@testable import KepuLedger
import XCTest

final class AsOfTests: XCTestCase {
    func site(asOf: String? = nil) -> TestContent {
        let t = TestContent()
        t.write("projects/p.md", """
            ---
            name: 项目
            unit: 科协
            year: 2023
            budget: 2万元
            schedule:
              - {by: 2023-06-30, share: 50}
            \(asOf.map { "monitoring: {as_of: \($0)}" } ?? "")
            ---

            """)
        return t
    }

    func testDefaultDateIsTheLastMonthEndWithinTheYear() {
        let p = site().load().projects[0]
        XCTAssertEqual(Ledger.monitoringDate(p, now: day("2023-07-15")), day("2023-06-30"))
        XCTAssertEqual(Ledger.monitoringDate(p, now: day("2023-07-31")), day("2023-07-31"))
        XCTAssertEqual(Ledger.monitoringDate(p, now: day("2023-03-01")), day("2023-02-28"))
        XCTAssertNil(Ledger.monitoringDate(p, now: day("2023-01-30")))
        XCTAssertNil(Ledger.monitoringDate(p, now: day("2022-12-31")))
        XCTAssertEqual(Ledger.monitoringDate(p, now: day("2024-02-01")), day("2023-12-31"))
        let fixed = site(asOf: "2023-09-30").load().projects[0]
        XCTAssertEqual(Ledger.monitoringDate(fixed, now: day("2024-02-01")), day("2023-09-30"))
    }

    func testAsOfCountsReportsAndMoneyPaidByThen() {
        let t = site()
        // Paid 3 July: not yet spent on 30 June, though the activity was in May.
        t.report("a", date: "2023-05-10", audience: 100, spend: "[{item: 资料, amount: 3000}, {item: 专家, amount: 2000, paid: 2023-07-03}]")
        t.report("b", date: "2023-06-30", audience: 50, spend: "1000")
        t.report("c", date: "2023-07-01", audience: 70, spend: "9000")
        let year = Ledger.aggregate(t.load(), now: day("2023-12-01")).projects[0]
        let then = Ledger.measure(year, asOf: day("2023-06-30"))
        XCTAssertEqual(year.totals.spend, Money(fen: 1_500_000))
        XCTAssertEqual(then.totals.audience, 150)
        XCTAssertEqual(then.totals.spend, Money(fen: 400_000))
        XCTAssertEqual(then.sources[0].spent, Money(fen: 400_000))
        // 50% of 20,000 due on 30 June, 4,000 paid: decided on that day, and missed.
        XCTAssertEqual(then.milestones[0].state, .missed)
        XCTAssertEqual(then.milestones[0].spentByThen, Money(fen: 400_000))
        XCTAssertEqual(then.execution.rate, Score(20))
    }
}
