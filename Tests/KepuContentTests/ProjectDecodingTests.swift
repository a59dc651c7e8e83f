import KepuCore
@testable import KepuContent
import XCTest

final class ProjectDecodingTests: SiteTestCase {
    static let fullProject = """
        ---
        name: 2023年科普经费
        unit: 测试区科协
        department: 测试区科学技术协会
        year: 2023
        budget: "2万元"
        initial_budget: 18,000.00
        funding: 区级财政拨款
        basis:
          - 《中华人民共和国科学技术普及法》
          - 《全民科学素质行动规划纲要》
        goal: 开展科普活动，提升公民科学素质。
        kinds: [科技周, 科普日, 进社区, 进机关]
        plan: {科技周: 1, 科普日: 1, 进社区: 2, 进机关: 2}
        schedule:
          - {by: 2023-12-31, share: 100}
          - {by: 2023-3-31, share: "25%"}
          - by: 2023-06-30
            share: 50
        targets:
          - name: 开展科普活动次数
            level1: 产出指标
            level2: 数量指标
            metric: activities
            kinds: [进社区, 进机关]
            op: ">="
            value: 10
            unit: 次
            points: 15
            rule: {deduct: 3, per: 1, text: 每少1次扣3分}
            basis: 计划标准
          - name: 预算执行率
            level1: 产出指标
            level2: 时效指标
            metric: execution
            op: ≥
            value: 90
            unit: "%"
            rule: {deduct: 10}
          - name: 科普活动覆盖人次
            level1: 效益指标
            level2: 社会效益指标
            metric: audience
            op: "<="
            value: 10000.5
            unit: 人次
            rule: 未达到指标值的酌情扣分
          - name: 公众科学素质
            level1: 效益指标
            level2: 社会效益指标
            metric: manual
            actual: 部分达成
            evidence: 调查报告
            reason: 疫情影响
            percent: 70
          - name: 群众满意度
            level1: 满意度指标
            level2: 服务对象满意度指标
            metric: manual
            op: =
            value: 90
            actual: 95%
        ---
        ## 项目概况

        呈贡区科协的科普经费项目。

        """

    func testEveryProjectField() throws {
        let site = makeSite()
        site.write("projects/p2023.md", Self.fullProject)
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let p = try XCTUnwrap(result.content?.project("p2023"))
        XCTAssertEqual(p.id, "p2023")
        XCTAssertEqual(p.path, "content/projects/p2023.md")
        XCTAssertEqual(p.name, "2023年科普经费")
        XCTAssertEqual(p.unit, "测试区科协")
        XCTAssertEqual(p.department, "测试区科学技术协会")
        XCTAssertEqual(p.year, 2023)
        XCTAssertEqual(p.budget, Money(yuan: 20_000))
        XCTAssertEqual(p.initialBudget, Money(yuan: 18_000))
        XCTAssertEqual(p.funding, "区级财政拨款")
        XCTAssertEqual(p.basis, ["《中华人民共和国科学技术普及法》", "《全民科学素质行动规划纲要》"])
        XCTAssertEqual(p.goal, "开展科普活动，提升公民科学素质。")
        XCTAssertEqual(p.kinds, ["科技周", "科普日", "进社区", "进机关"])
        XCTAssertEqual(p.plan, [PlanEntry(label: "科技周", kinds: ["科技周"], count: 1), PlanEntry(label: "科普日", kinds: ["科普日"], count: 1),
                                PlanEntry(label: "进社区", kinds: ["进社区"], count: 2), PlanEntry(label: "进机关", kinds: ["进机关"], count: 2)])
        // Default 其中 row and points: 10 execution, 15 named + 35 shared in 产出, 15 + 15 in 效益, 10 满意度.
        XCTAssertEqual(p.sources, [FundingSource(name: "当年财政拨款", amount: Money(yuan: 20_000))])
        XCTAssertEqual(p.points, PointsAllocation(execution: 1000, rows: [1500, 3500, 1500, 1500, 1000]))
        // Sorted by date, whatever the order written.
        XCTAssertEqual(p.schedule, [Milestone(by: Day(year: 2023, month: 3, day: 31)!, share: Exact(25)),
                                    Milestone(by: Day(year: 2023, month: 6, day: 30)!, share: Exact(50)),
                                    Milestone(by: Day(year: 2023, month: 12, day: 31)!, share: Exact(100))])
        XCTAssertEqual(p.body.html, "<h2>项目概况</h2>\n<p>呈贡区科协的科普经费项目。</p>\n")
        XCTAssertEqual(p.targets.count, 5)
        guard p.targets.count == 5 else { return }

        let t0 = p.targets[0]
        XCTAssertEqual(t0.name, "开展科普活动次数")
        XCTAssertEqual(t0.group, .output)
        XCTAssertEqual(t0.level2, "数量指标")
        XCTAssertEqual(t0.metric, .activities)
        XCTAssertEqual(t0.kinds, ["进社区", "进机关"])
        XCTAssertEqual(t0.op, .atLeast)
        XCTAssertEqual(t0.value, Exact(10))
        XCTAssertEqual(t0.unit, "次")
        XCTAssertEqual(t0.points, Exact(15))
        XCTAssertEqual(t0.rule, DeductionRule(deduct: Exact(3), per: Exact(1)))
        XCTAssertEqual(t0.ruleText, "每少1次扣3分")
        XCTAssertEqual(t0.basis, "计划标准")
        XCTAssertNil(t0.actual)
        XCTAssertEqual(t0.position, Position(line: 21, column: 5))

        let t1 = p.targets[1]
        XCTAssertEqual(t1.metric, .execution)
        XCTAssertEqual(t1.level2, "时效指标")
        XCTAssertEqual(t1.op, .atLeast)  // ≥ as Word writes it
        XCTAssertEqual(t1.unit, "%")
        XCTAssertNil(t1.points)
        XCTAssertEqual(t1.rule, DeductionRule(deduct: Exact(10), per: Exact(1)))  // per defaults to 1
        XCTAssertNil(t1.ruleText)
        XCTAssertNil(t1.kinds)

        let t2 = p.targets[2]
        XCTAssertEqual(t2.group, .effect)
        XCTAssertEqual(t2.metric, .audience)
        XCTAssertEqual(t2.op, .atMost)
        XCTAssertEqual(t2.value, Exact(units: 100_005, scale: 1))
        XCTAssertNil(t2.rule)  // a rule written as text is display only
        XCTAssertEqual(t2.ruleText, "未达到指标值的酌情扣分")

        let t3 = p.targets[3]
        XCTAssertEqual(t3.metric, .manual)
        XCTAssertEqual(t3.actual, .outcome(.partlyAchieved))
        XCTAssertEqual(t3.evidence, "调查报告")
        XCTAssertEqual(t3.reason, "疫情影响")
        XCTAssertNil(t3.value)
        XCTAssertEqual(t3.measures.first?.percent, Exact(70))

        let t4 = p.targets[4]
        XCTAssertEqual(t4.group, .satisfaction)
        XCTAssertEqual(t4.op, .equal)
        XCTAssertEqual(t4.actual, .number(Exact(95)))
        XCTAssertEqual(t4.valueText, "90")
        XCTAssertEqual(t4.measures.first?.direction, .up, "an approved = is judged upwards unless the row says otherwise")
    }

    func testDepartmentAndInitialBudgetDefault() throws {
        let result = makeSite().load()
        let p = try XCTUnwrap(result.content?.project("p2023"))
        XCTAssertEqual(p.department, "测试区科协")
        XCTAssertEqual(p.initialBudget, p.budget)
        XCTAssertEqual(p.budget.fen, 2_000_000)
        XCTAssertEqual(p.plan, [])
        XCTAssertEqual(p.schedule, [])
        XCTAssertEqual(p.targets.count, 0)
        XCTAssertEqual(p.basis, [])
    }

    func testMissingProjectFields() {
        let site = makeSite()
        site.write("projects/p2023.md", "---\nfunding: 财政\nbudget: -5\n---\n")
        XCTAssertEqual(site.load().printed, [
            "content/projects/p2023.md:2:1: 错误: 缺少必填字段 name\n    在前置信息中加一行 name: …",
            "content/projects/p2023.md:2:1: 错误: 缺少必填字段 unit\n    在前置信息中加一行 unit: …",
            "content/projects/p2023.md:2:1: 错误: 缺少必填字段 year\n    在前置信息中加一行 year: …",
            "content/projects/p2023.md:3:9: 错误: budget 不能是负数：“-5”\n    退款或冲销请在说明中写明，金额写实际支出。",
        ])
    }

    func testProjectWithoutKindsAcceptsAnyKind() throws {
        let site = makeSite()
        site.write("projects/p2023.md", "---\nname: 项目\nunit: 科协\nyear: 2023\nbudget: 100\n---\n")
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 设备"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertNil(result.content?.project("p2023")?.kinds)
        XCTAssertEqual(result.report("a")?.kind, "设备")
    }

    func testProjectErrors() {
        let site = makeSite()
        site.write("projects/p2023.md", """
            ---
            name: 项目
            unit: 科协
            year: 2023
            budget: 2万元
            schedule:
              - {by: 2023-02-30, share: 120}
            targets:
              - name: 活动
                level1: 产出
                metric: activity
                op: ">"
                value: 十
              - name: 满意度
                level1: 满意度指标
                metric: manual
            ---

            """)
        XCTAssertEqual(site.load().printed, [
            "content/projects/p2023.md:7:10: 错误: 第 1 个支出进度节点的日期“2023-02-30”不存在\n    请核对月份和日期，例如二月没有 30 日。",
            "content/projects/p2023.md:7:29: 错误: 第 1 个支出进度节点的支出比例 应是 0 到 100 之间的百分数，这里是“120”\n    例如 share: 50 表示 50%。",
            "content/projects/p2023.md:10:13: 错误: 第 1 个指标的一级指标 不能是“产出”\n    可选：产出指标、效益指标、满意度指标。",
            "content/projects/p2023.md:11:13: 错误: 第 1 个指标的计算方式 不能是“activity”\n    可选：activities、audience、spend、execution、schedule、satisfaction、manual。",
            "content/projects/p2023.md:12:9: 错误: 第 1 个指标的指标性质 不能是“>”\n    可选：>=、<=、=。",
            "content/projects/p2023.md:13:12: 错误: 第 1 个指标的指标值 应是一个数，这里写的是“十”\n    请用阿拉伯数字，例如 value: 90。",
        ])
    }
}
