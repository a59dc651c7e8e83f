import KepuContent
import KepuCore
@testable import KepuLedger
import XCTest

/// The 自评表 rule as written (CONTENT_FORMAT.md, Scoring): `of: 100`, several measures on one approved row, the
/// national bands, money counted by the day it was paid, 其中 rows per source, and each figure rounded before
/// the total is added — a project worked out by hand to the cent of a point.
final class FormScoringTests: XCTestCase {
    static let project = """
    ---
    name: 手算项目
    unit: 测试单位
    year: 2023
    budget: 10000
    initial_budget: 12000
    sources:
      - {name: 当年财政拨款, amount: 8000}
      - {name: 上年结转资金, amount: 2000}
    schedule:
      - {by: 2023-06-30, share: 50}
      - {by: 2023-12-31, share: 80}
    targets:
      - name: 完成3次活动，服务群众1000人次
        level1: 产出指标
        level2: 数量指标
        op: "="
        value: 1000
        unit: 人次
        points: 20
        measures:
          - {metric: activities, op: "=", value: 3, unit: 次}
          - {metric: audience, op: "=", value: 1000, unit: 人次}
      - {name: 支出进度, level1: 产出指标, level2: 时效指标, metric: schedule, op: "=", value: 100, unit: "%", points: 15,
         rule: {deduct: 25, per: 50, of: 100}}
      - {name: 项目经费, level1: 产出指标, level2: 成本指标, metric: spend, op: "=", value: 10000, unit: 元, points: 15}
      - {name: 社会效益, level1: 效益指标, level2: 社会效益指标, metric: manual, actual: 部分达成, percent: 70, points: 30}
      - {name: 满意度, level1: 满意度指标, level2: 服务对象满意度指标, metric: satisfaction, op: ">=", value: 90, unit: "%", points: 10}
    ---
    """

    func site() -> TestContent {
        let t = TestContent()
        t.write("projects/p.md", Self.project)
        // Paid on 07-05, after the 06-30 milestone: by the report's date it would have met it.
        t.write("reports/a.md", """
        ---
        title: 甲
        date: 2023-03-01
        kind: 科普日
        audience: 400
        spend: [{item: 展板, amount: 4000, paid: 2023-07-05}]
        satisfaction: {surveyed: 100, satisfied: 85}
        ---
        """)
        t.write("reports/b.md", """
        ---
        title: 乙
        date: 2023-05-01
        kind: 科普日
        audience: 350
        spend:
          - item: 讲师
            amount: 1500
            source: 上年结转资金
        ---
        """)
        t.report("c", date: "2023-09-01", audience: 150, spend: "\"3,333.33\"")
        return t
    }

    func testWorkedByHand() throws {
        let t = site()
        let p = Ledger.aggregate(t.load(), now: day("2024-01-10")).projects[0]
        XCTAssertEqual(p.totals.spend, Money(fen: 883_333))
        // 06-30 needs 5,000.00: only 1,500.00 was paid by then (甲's 4,000.00 on 07-05) → missed.
        // 12-31 needs 8,000.00: 8,833.33 → met. Without `paid` both would be met.
        XCTAssertEqual(p.milestones.map(\.state), [.missed, .met])
        XCTAssertEqual(p.milestones[0].spentByThen, Money(yuan: 1500))

        // 其中 rows: 当年财政拨款 4,000.00 + 3,333.33 = 7,333.33 of 8,000.00 (91.666… %); 上年结转资金 1,500.00 of 2,000.00.
        XCTAssertEqual(p.sources.map(\.spent), [Money(fen: 733_333), Money(yuan: 1500)])
        XCTAssertEqual(p.sources.map { $0.rate.map { $0.cut(2).fixed(2) } }, ["91.66", "75.00"])
        XCTAssertEqual(p.project.initialBudget, Money(yuan: 12000))

        // Execution: 8,833.33 / 10,000 = 88.3333 % of 10 points = 8.83333 → 8.83.
        XCTAssertEqual(p.execution.score.description, "8.83")
        // 数量: activities 3 = 3 (up: met, share 1); audience 900 of 1,000 → 0.9. The lowest: 20 × 0.9 = 18.
        XCTAssertEqual(p.indicators[0].measures.map(\.met), [true, false])
        XCTAssertEqual(p.indicators[0].score.description, "18")
        XCTAssertEqual(p.indicators[0].met, false)
        // 时效: 1 of 2 milestones = 50 %, 50 short at {deduct: 25, per: 50, of: 100} → 25 of 100 → 15 × 75 / 100.
        XCTAssertEqual(p.indicators[1].deduction?.description, "25")
        XCTAssertEqual(p.indicators[1].score.description, "11.25")
        // 成本: spend judged downwards by default (a cost is kept under, not reached): 8,833.33 ≤ 10,000 → 15.
        XCTAssertEqual(p.indicators[2].measures[0].measure.direction, .down)
        XCTAssertEqual(p.indicators[2].score.description, "15")
        // 社会效益: 部分达成 at 70 % of 30 = 21.
        XCTAssertEqual(p.indicators[3].score.description, "21")
        // 满意度: 85 % of 90 % → 10 × 85 / 90 = 9.444… → 9.44.
        XCTAssertEqual(p.indicators[4].score.description, "9.44")
        // The total adds the rounded figures as the printed form does: 8.83 + 18 + 11.25 + 15 + 21 + 9.44 = 83.52
        // (the unrounded sum, 83.5277…, would print 83.53).
        XCTAssertEqual(p.score.description, "83.52")
        XCTAssertEqual(p.grade, .good)
        // A finished form: the rows short of target without a reason are named (warnings, not errors).
        let review = Ledger.review(Ledger.aggregate(t.load(), now: day("2024-01-10")))
        XCTAssertEqual(review.map(\.severity), [.warning, .warning, .warning, .warning])
        XCTAssertEqual(review.map { $0.message(.zhCN) }, [
            "指标“完成3次活动，服务群众1000人次”未达到目标，自评表的偏差原因分析为空",
            "指标“支出进度”未达到目标，自评表的偏差原因分析为空",
            "指标“社会效益”未达到目标，自评表的偏差原因分析为空",
            "指标“满意度”未达到目标，自评表的偏差原因分析为空",
        ])
    }

    func testPointsDistributedInHundredthsAddUpTo100() {
        // 50 over three rows: 16.67, 16.67, 16.66.
        let a = PointsAllocation.allocate(weights: .national, hasExecution: true, groups: [.output, .output, .output, .effect, .satisfaction],
                                          named: [nil, nil, nil, nil, nil])
        XCTAssertEqual(a.rows, [1667, 1667, 1666, 3000, 1000])
        XCTAssertEqual(a.total, 10000)
        // A province's 20 / 80: execution 20, the rest as weighted.
        let w = ScoringWeights(execution: Exact(20), output: Exact(40), effect: Exact(30), satisfaction: Exact(10))
        XCTAssertEqual(PointsAllocation.allocate(weights: w, hasExecution: true, groups: [.output], named: [nil]),
                       PointsAllocation(execution: 3333, rows: [6667]), "effect and satisfaction pass their 40 on in proportion, 20:40")
    }

    func testPendingRowIsLeftOutOfTheForecastAndAnErrorOnceTheYearIsOver() throws {
        let t = TestContent()
        t.write("projects/p.md", """
        ---
        name: 待评项目
        unit: 测试单位
        year: 2023
        budget: 100
        targets:
          - {name: 数量, level1: 产出指标, metric: activities, op: ">=", value: 1, unit: 次}
          - {name: 质量, level1: 产出指标, metric: manual, op: ">=", value: 85, unit: "%"}
          - {name: 效益, level1: 效益指标, metric: manual, actual: 待评}
          - {name: 满意, level1: 满意度指标, metric: manual, actual: 达成}
        ---
        """)
        t.report("a", date: "2023-03-01", spend: "100")
        let during = Ledger.aggregate(t.load(), now: day("2023-06-01"))
        let p = during.projects[0]
        XCTAssertEqual(p.indicators.map(\.pending), [false, true, true, false])
        XCTAssertEqual(p.pendingCount, 2)
        XCTAssertNil(p.indicators[1].met, "not assessed is neither met nor missed")
        // 10 + 25 + 0 (pending) + 0 (pending) + 10 = 45: the forecast counts only what has been assessed.
        XCTAssertEqual(p.score.description, "45")
        XCTAssertEqual(Ledger.review(during).filter { $0.severity == .error }, [])
        let after = Ledger.review(Ledger.aggregate(t.load(), now: day("2024-01-02")))
        XCTAssertEqual(after.filter { $0.severity == .error }.map { "\($0.path):\($0.line):\($0.column): " + $0.message(.zhCN) }, [
            "content/projects/p.md:8:5: 2023 年度已结束，指标“质量”仍为待评",
            "content/projects/p.md:9:5: 2023 年度已结束，指标“效益”仍为待评",
        ])
    }

    /// Every misuse of the new fields is an error at its line and column, in Chinese.
    func testMisusesAreErrorsAtTheirPosition() {
        func errors(_ project: String, report: String? = nil) -> [String] {
            let t = TestContent()
            t.write("projects/p.md", project)
            if let report { t.write("reports/r.md", report) }
            return ContentLoader.load(contentDirectory: t.content).errors.map { "\($0.line):\($0.column): " + $0.message(.zhCN) }
        }
        let head = "---\nname: 项目\nunit: 单位\nyear: 2023\nbudget: 100\n"
        XCTAssertEqual(errors(head + "targets:\n  - {name: 甲, level1: 产出指标, metric: manual, actual: 部分达成}\n---\n"),
                       ["7:53: 第 1 个指标的实际值 为“部分达成”，须写 percent（得分占分值的百分比，60–80）"])
        XCTAssertEqual(errors(head + "targets:\n  - {name: 甲, level1: 产出指标, metric: manual, actual: 未达成, percent: 70}\n---\n"),
                       ["7:67: 第 1 个指标的得分比例 为 70，超出“未达成”的得分区间 0–60"])
        // Only 产出 present: execution 10 and 产出 50 become 16.67 and 83.33; 40 named + 16.67 ≠ 100.
        XCTAssertEqual(errors(head + "targets:\n  - {name: 甲, level1: 产出指标, metric: activities, value: 1, points: 40}\n---\n"),
                       ["7:3: 各指标分值与预算执行率分值合计为 56.67，应为 100"])
        XCTAssertEqual(errors(head + "targets:\n  - name: 甲\n    level1: 产出指标\n    measures:\n      - {value: 1}\n---\n"),
                       ["10:9: 缺少必填字段 第 1 个指标的第 1 项考核内容的计算方式"])
        XCTAssertEqual(errors(head + "targets:\n  - {name: 甲, level1: 产出指标, metric: activities, value: 1, rule: {deduct: 5, of: 0}}\n---\n"),
                       ["7:81: 第 1 个指标的扣分标准的满分 为 0，应为大于 0 的数（评分标准“评分100分”写 of: 100）"])
        XCTAssertEqual(errors(head + "schedule:\n  - {by: 2022-06-30, share: 50}\n---\n"),
                       ["7:10: 支出进度节点 2022-06-30 不在项目年度 2023 年内"])
        XCTAssertEqual(errors(head + "sources:\n  - {name: 当年财政拨款, amount: 80}\n  - {name: 其他资金, amount: 10}\n---\n"),
                       ["7:3: sources 各项合计 ¥90.00，与全年预算数 budget ¥100.00 不一致"])
        XCTAssertEqual(errors(head + "kinds: [科普日]\nplan: {科普日: 1, 进社区: 2}\n---\n"),
                       ["7:16: plan 中的活动类型“进社区”不在项目的 kinds 中，举办次数会一直是 0"])
        XCTAssertEqual(errors(head + "---\n", report: "---\ntitle: 甲\ndate: 2023-03-01\nkind: 科普日\nspend:\n  - {item: 展板, amount: 10, source: 上级补助}\n---\n"),
                       ["6:36: 项目没有名为“上级补助”的资金来源"])
        // An item before it that fails (no amount) does not move the error to another line.
        XCTAssertEqual(errors(head + "---\n", report: "---\ntitle: 甲\ndate: 2023-03-01\nkind: 科普日\nspend:\n  - {item: 展板}\n  - {item: 海报, amount: 10, source: 上级补助}\n---\n"),
                       ["6:5: 缺少必填字段 第 1 笔支出的金额", "7:36: 项目没有名为“上级补助”的资金来源"])
        let site = "title: t\nunit: u\nscoring: {execution: 20, output: 50, effect: 30, satisfaction: 10}\n"
        let t = TestContent(site: site)
        XCTAssertEqual(ContentLoader.load(contentDirectory: t.content).errors.map { $0.message(.zhCN) },
                       ["scoring 的四项权重合计为 110，应为 100"])
    }
}
