import KepuCore
@testable import KepuContent
import XCTest

final class SiteDecodingTests: SiteTestCase {
    func testDefaultsApplied() throws {
        let site = makeSite()
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let s = try XCTUnwrap(result.content?.site)
        XCTAssertEqual(s.title, "测试站点")
        XCTAssertEqual(s.unit, "测试区科协")
        XCTAssertEqual(s.languageTag, "zh-CN")
        XCTAssertEqual(s.language, .zhCN)
        XCTAssertEqual(result.language, .zhCN)
        XCTAssertEqual(s.baseURL, "/")
        XCTAssertNil(s.description)
        XCTAssertFalse(s.example)
        XCTAssertFalse(s.allowHTML)
        XCTAssertEqual(s.scoring, ScoringWeights(execution: Exact(10), output: Exact(50), effect: Exact(30), satisfaction: Exact(10)))
        XCTAssertEqual(s.led, LEDConfig(width: 1920, height: 1080, seconds: 10, strip: nil))
        XCTAssertNil(s.period)
    }

    func testEveryField() throws {
        let site = makeSite(siteYAML: """
            title: "呈贡区科协: 科普经费公开"
            unit: 昆明市呈贡区科学技术协会
            language: en
            base_url: https://kx.example.gov.cn/kepu
            description: 科普经费使用情况
            example: true
            html: true
            scoring:
              execution: 20
              output: 40.5
              effect: 29.5
              satisfaction: 10
            led:
              width: 3840
              height: 2160
              seconds: 15
              strip:
                width: 1280
                height: 160
            period:
              from: 2023
              to: 2025
              goal: 三年目标
            """)
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let s = try XCTUnwrap(result.content?.site)
        XCTAssertEqual(s.title, "呈贡区科协: 科普经费公开")
        XCTAssertEqual(s.unit, "昆明市呈贡区科学技术协会")
        XCTAssertEqual(s.languageTag, "en")
        XCTAssertEqual(s.language, .en)
        XCTAssertEqual(result.language, .en)
        XCTAssertEqual(s.baseURL, "https://kx.example.gov.cn/kepu/")
        XCTAssertEqual(s.description, "科普经费使用情况")
        XCTAssertTrue(s.example)
        XCTAssertTrue(s.allowHTML)
        XCTAssertEqual(s.scoring, ScoringWeights(execution: Exact(20), output: Exact(units: 405, scale: 1),
                                                 effect: Exact(units: 295, scale: 1), satisfaction: Exact(10)))
        XCTAssertEqual(s.led, LEDConfig(width: 3840, height: 2160, seconds: 15, strip: StripConfig(width: 1280, height: 160)))
        XCTAssertEqual(s.period, Period(from: 2023, to: 2025, goal: "三年目标"))
    }

    func testPartialScoringKeepsOtherDefaults() throws {
        let site = makeSite(siteYAML: TestSite.siteYAML + "scoring:\n  execution: 20\n  output: 40\nled:\n  seconds: 8\n")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let s = try XCTUnwrap(result.content?.site)
        XCTAssertEqual(s.scoring, ScoringWeights(execution: Exact(20), output: Exact(40), effect: Exact(30), satisfaction: Exact(10)))
        XCTAssertEqual(s.led, LEDConfig(width: 1920, height: 1080, seconds: 8, strip: nil))
    }

    func testSiteErrors() {
        let site = makeSite(siteYAML: "title: 站点\nexample: 是的\nscoring:\n  execution: 0\n  output: 0\n  effect: 0\n  satisfaction: 0\n")
        XCTAssertEqual(site.load().printed, [
            "content/site.yaml:1:1: 错误: 缺少必填字段 unit\n    在前置信息中加一行 unit: …",
            "content/site.yaml:2:10: 错误: example 只能是 true 或 false，这里写的是“是的”\n    是写 true，否写 false。",
            "content/site.yaml:4:3: 错误: scoring 的各项分值之和必须大于 0\n    默认为 execution: 10, output: 50, effect: 30, satisfaction: 10。",
        ])
    }

    func testMissingSiteFileAndMissingFolder() {
        let site = emptySite()
        XCTAssertEqual(site.load().printed, ["content/site.yaml:1:1: 错误: 缺少网站设置文件 site.yaml\n    在 content 文件夹中新建 site.yaml，至少写 title 和 unit。"])
        let missing = ContentLoader.load(contentDirectory: site.base + "/nowhere/content")
        XCTAssertEqual(missing.printed, ["content:1:1: 错误: 找不到内容文件夹 \(site.base)/nowhere/content\n    用 --content 指定内容文件夹，默认是当前目录下的 content。"])
        XCTAssertNil(missing.content)
    }
}

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

final class MonitoringDecodingTests: SiteTestCase {
    static let head = """
        ---
        name: 项目
        unit: 科协
        year: 2023
        budget: 2万元
        targets:
          - {name: 活动次数, level1: 产出指标, level2: 数量指标, metric: activities, op: ">=", value: 10, unit: 次}
          - {name: 满意度, level1: 满意度指标, level2: 服务对象满意度指标, metric: satisfaction, op: ">=", value: 90, unit: "%"}

        """

    func testMonitoringEntriesByTargetName() throws {
        let site = makeSite()
        site.write("projects/p2023.md", Self.head + """
            monitoring:
              as_of: 2023-07-31
              targets:
                - {target: 满意度, forecast: 不低于90%, cause: 人员保障, likelihood: 有可能, measure: 增加问卷, remark: 备注}
            ---

            """)
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let m = try XCTUnwrap(result.content?.projects.first?.monitoring)
        XCTAssertEqual(m.asOf, Day(year: 2023, month: 7, day: 31))
        XCTAssertEqual(m.entries, [1: MonitoringEntry(forecast: "不低于90%", cause: .staff, likelihood: .possible,
                                                      measure: "增加问卷", remark: "备注")])
    }

    func testBadMonitoringEntriesAreErrorsAtTheirLine() {
        let site = makeSite()
        site.write("projects/p2023.md", Self.head + """
            monitoring:
              as_of: 2022-06-30
              targets:
                - {target: 活动数, forecast: 12次}
                - {target: 活动次数, likelihood: 很可能}
                - {target: 满意度, cause: 天气}
                - {target: 满意度}
            ---

            """)
        XCTAssertEqual(site.load().printed, [
            "content/projects/p2023.md:10:10: 错误: 监控截止日期 2022-06-30 不在项目年度 2023 年内\n    请写本年度内的日期，例如 2023-06-30。",
            "content/projects/p2023.md:12:16: 错误: 监控表中的“活动数”不是本项目绩效目标表中的指标\n    target 须与 targets 中某一行的 name 完全一致，可选：活动次数；满意度。",
            "content/projects/p2023.md:13:34: 错误: 完成目标可能性“很可能”不在监控表规定的选项中\n    只能写：确定能、有可能、完全不可能。",
            "content/projects/p2023.md:14:28: 错误: 偏差原因“天气”不在监控表规定的选项中\n    只能写：经费保障、制度保障、人员保障、硬件条件保障、其他；具体情况写在 remark 中。",
            "content/projects/p2023.md:15:16: 错误: 监控表中指标“满意度”写了两次\n    每个指标只写一项，请合并。",
        ])
    }
}

final class ReportDecodingTests: SiteTestCase {
    func testEveryReportField() throws {
        let site = makeSite()
        site.write("projects/p2024.md", "---\nname: 2024年\nunit: 科协\nyear: 2024\nbudget: 1000\n---\n")
        site.write("reports/2023/05/2023-05-20-kejizhou.md", report([
            "title: 科技周：走进社区",
            "date: 2023-5-20",
            "kind: 科技周",
            "project: p2024",
            "venue: 斗南社区",
            "audience: 1,200",
            "activities: 3",
            "spend:",
            "  - {item: 展板制作, amount: 1800.5}",
            "  - item: 宣传册",
            "    amount: \"¥1,200.50\"",
            "  - 600元",
            "satisfaction: {surveyed: 100, satisfied: 95}",
            "photos: [a.jpg, sub/b.png]",
            "tags: [科技周, 社区]",
            "draft: true",
            "summary: 一句话摘要",
        ], body: "第一段\n第二行。\n\n第二段。\n"))
        site.write("reports/2023/05/a.jpg", "jpg")
        site.write("reports/2023/05/sub/b.png", "png")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let r = try XCTUnwrap(result.report("2023-05-20-kejizhou"))
        XCTAssertEqual(r.path, "content/reports/2023/05/2023-05-20-kejizhou.md")
        XCTAssertEqual(r.title, "科技周：走进社区")
        XCTAssertEqual(r.date, Day(year: 2023, month: 5, day: 20))
        XCTAssertEqual(r.kind, "科技周")
        XCTAssertEqual(r.projectID, "p2024")
        XCTAssertEqual(r.explicitProject, "p2024")
        XCTAssertEqual(r.venue, "斗南社区")
        XCTAssertEqual(r.audience, 1200)
        XCTAssertEqual(r.activities, 3)
        XCTAssertEqual(r.spend, [SpendItem(item: "展板制作", amount: Money(fen: 180_050)),
                                 SpendItem(item: "宣传册", amount: Money(fen: 120_050)),
                                 SpendItem(item: "", amount: Money(fen: 60_000))])
        XCTAssertEqual(r.totalSpend, Money(fen: 360_100))
        XCTAssertEqual(r.satisfaction, Survey(surveyed: 100, satisfied: 95))
        XCTAssertEqual(r.photos, [Photo(name: "a.jpg", contentPath: "reports/2023/05/a.jpg"),
                                  Photo(name: "sub/b.png", contentPath: "reports/2023/05/sub/b.png")])
        XCTAssertEqual(r.tags, ["科技周", "社区"])
        XCTAssertTrue(r.draft)
        XCTAssertEqual(r.summary, "一句话摘要")
        XCTAssertEqual(r.body.html, "<p>第一段\n第二行。</p>\n<p>第二段。</p>\n")
        XCTAssertEqual(r.body.firstParagraph, "第一段第二行。")
        XCTAssertEqual(r.positions["title"], Position(line: 2, column: 8))
        XCTAssertEqual(r.positions["date"], Position(line: 3, column: 7))
        XCTAssertEqual(r.positions["spend"], Position(line: 10, column: 3))
        XCTAssertEqual(r.positions["$"], Position(line: 2, column: 1))
    }

    func testDefaultsAndProjectByYear() throws {
        let site = makeSite()
        site.write("reports/b.md", report(["title: 科普日", "date: 2023-09-16", "kind: 科普日"],
                                         body: "## 标题\n\n活动在**广场**举行。\n"))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let r = try XCTUnwrap(result.report("b"))
        XCTAssertEqual(r.projectID, "p2023")
        XCTAssertNil(r.explicitProject)
        XCTAssertNil(r.venue)
        XCTAssertEqual(r.audience, 0)
        XCTAssertEqual(r.activities, 1)
        XCTAssertEqual(r.spend, [])
        XCTAssertEqual(r.totalSpend, .zero)
        XCTAssertNil(r.satisfaction)
        XCTAssertEqual(r.photos, [])
        XCTAssertEqual(r.tags, [])
        XCTAssertFalse(r.draft)
        XCTAssertEqual(r.summary, "活动在广场举行。")  // the first paragraph
    }

    func testSingleAmountSpendAndSingleTag() throws {
        let site = makeSite()
        site.write("reports/c.md", report(["title: 设备", "date: 2023-08-18", "kind: 进社区", "activities: 0",
                                          "spend: 0.18万", "tags: 设备"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let r = try XCTUnwrap(result.report("c"))
        XCTAssertEqual(r.activities, 0)
        XCTAssertEqual(r.spend, [SpendItem(item: "", amount: Money(yuan: 1_800))])
        XCTAssertEqual(r.tags, ["设备"])
    }

    func testEveryAmountFormInAFile() throws {
        // Block style: unquoted `1,800.50` is fine there (in a flow map `{…}` the comma would split it).
        let forms = ["1800", "1800.5", "\"1,800.50\"", "\"¥1,800.50\"", "\"￥1,800.50\"", "\"1800元\"", "\"0.18万\"", "\"2万元\"",
                     "1800元", "0.18万", "2万元", "¥1,800.50"]
        let site = makeSite()
        site.write("reports/m.md", report(["title: 金额", "date: 2023-01-02", "kind: 科普日", "spend:"]
                                          + forms.flatMap { ["  - item: x", "    amount: \($0)"] }))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let r = try XCTUnwrap(result.report("m"))
        XCTAssertEqual(r.spend.map(\.amount.fen), [180_000, 180_050, 180_050, 180_050, 180_050, 180_000, 180_000, 2_000_000,
                                                   180_000, 180_000, 2_000_000, 180_050])
    }

    func testSlugFromFileNameOrBundleFolder() throws {
        let site = makeSite()
        site.write("reports/2023/05/2023-05-20-kejizhou.md", report(["title: 甲", "date: 2023-05-20", "kind: 科技周"]))
        site.write("reports/2023/09/2023-09-16-kepuri/index.md",
                   report(["title: 乙", "date: 2023-09-16", "kind: 科普日", "photos:", "  - photo-1.jpg", "  - ./photo-2.jpg"]))
        site.write("reports/2023/09/2023-09-16-kepuri/photo-1.jpg", "1")
        site.write("reports/2023/09/2023-09-16-kepuri/photo-2.jpg", "2")
        // Markdown beside a bundle's index.md is not read as a report, and is named so (since 817a6d7: a stray
        // index.md must not silently hide the reports beside it).
        site.write("reports/2023/09/2023-09-16-kepuri/notes.md", "no front matter here")
        site.write("reports/top.md", report(["title: 丙", "date: 2023-01-05", "kind: 进社区"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [
            "content/reports/2023/09/2023-09-16-kepuri/notes.md:1:1: 警告: 这个文件在带照片的报告文件夹 content/reports/2023/09/2023-09-16-kepuri 里，不会作为报告读取\n    报告文件夹里只放 index.md 和照片；其他报告请移到外面。",
        ])
        let content = try XCTUnwrap(result.content)
        // Sorted by date, then slug.
        XCTAssertEqual(content.reports.map(\.slug), ["top", "2023-05-20-kejizhou", "2023-09-16-kepuri"])
        XCTAssertEqual(content.reports.map(\.path), ["content/reports/top.md",
                                                     "content/reports/2023/05/2023-05-20-kejizhou.md",
                                                     "content/reports/2023/09/2023-09-16-kepuri/index.md"])
        XCTAssertEqual(result.report("2023-09-16-kepuri")?.photos.map(\.contentPath),
                       ["reports/2023/09/2023-09-16-kepuri/photo-1.jpg", "reports/2023/09/2023-09-16-kepuri/photo-2.jpg"])
    }

    func testHiddenFilesAndOtherFoldersAreIgnored() throws {
        let site = makeSite()
        site.writeBytes("reports/._a.md", [0x00, 0x05, 0x16, 0x07, 0xFF])  // macOS AppleDouble
        site.write("reports/.draft/b.md", "not front matter")
        site.write("reports/notes.txt", "not a report")
        site.write("drafts/c.md", "not front matter")
        site.write("projects/sub/x.md", "not front matter")
        site.write("static/docs/说明.txt", "文件")
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.content?.reports.map(\.slug), ["a"])
        XCTAssertEqual(result.content?.projects.map(\.id), ["p2023"])
        XCTAssertEqual(result.content?.staticFiles, ["docs/说明.txt"])
    }

    func testUpperCaseExtensionIsMarkdownToo() throws {
        let site = makeSite()
        site.write("reports/HuoDong.MD", report(["title: 甲", "date: 2023-05-20", "kind: 科普日"]))
        site.write("projects/q2024.MD", "---\nname: 2024年\nunit: 科协\nyear: 2024\nbudget: 100\n---\n")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.content?.reports.map(\.slug), ["HuoDong"])
        XCTAssertEqual(result.content?.projects.map(\.id), ["p2023", "q2024"])
    }

    func testReportsSortedByDateThenSlug() throws {
        let site = makeSite()
        site.write("reports/z.md", report(["title: z", "date: 2023-03-01", "kind: 科普日"]))
        site.write("reports/a/y.md", report(["title: y", "date: 2023-03-01", "kind: 科普日"]))
        site.write("reports/x.md", report(["title: x", "date: 2023-02-01", "kind: 科普日"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.content?.reports.map(\.slug), ["x", "y", "z"])
    }

    func testProjectChoiceErrors() {
        let site = makeSite()
        site.write("projects/q2023.md", "---\nname: 另一个\nunit: 科协\nyear: 2023\nbudget: 100\n---\n")
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日"]))
        site.write("reports/b.md", report(["title: 乙", "date: 2022-05-20", "kind: 科普日", "project: p2022"]))
        site.write("reports/c.md", report(["title: 丙", "date: 2021-05-20", "kind: 科普日"]))
        site.write("reports/d.md", report(["title: 丁", "date: 2023-05-20", "kind: 科普日", "project: q2023"]))
        // Two projects of one year and a report that relies on its date: named at both project files (neither
        // id names another year, so neither is the copy), once, not on every report.
        XCTAssertEqual(site.load().printed, [
            "content/projects/p2023.md:4:7: 错误: 这个项目的 year 是 2023，与 content/projects/q2023.md 相同：报告无法按日期分到项目\n    如果这是复制来的新年度项目，请把 year 改成新的年度；两个项目确实同一年度时，每篇报告用 project: 指明所属项目。",
            "content/projects/q2023.md:4:7: 错误: 这个项目的 year 是 2023，与 content/projects/p2023.md 相同：报告无法按日期分到项目\n    如果这是复制来的新年度项目，请把 year 改成新的年度；两个项目确实同一年度时，每篇报告用 project: 指明所属项目。",
            "content/reports/b.md:5:10: 错误: 没有编号为“p2022”的项目\n    project 应是 projects 文件夹中某个文件的名字（不含 .md）：p2023、q2023。",
            "content/reports/c.md:3:7: 错误: 日期 2021-05-20 不属于任何项目的年度\n    请核对日期，或用 project: 指明所属项目。",
        ])
    }

    func testRequiredFields() {
        XCTAssertEqual(diagnostics(for: report(["venue: 广场", "title: \"  \""])), [
            "content/reports/a.md:2:1: 错误: 缺少必填字段 date\n    在前置信息中加一行 date: …",
            "content/reports/a.md:2:1: 错误: 缺少必填字段 kind\n    在前置信息中加一行 kind: …",
            "content/reports/a.md:3:8: 错误: title 不能为空\n    请填写内容。",
        ])
        XCTAssertEqual(diagnostics(for: "---\n---\n正文\n"), [
            "content/reports/a.md:2:1: 错误: 缺少必填字段 title\n    在前置信息中加一行 title: …",
            "content/reports/a.md:2:1: 错误: 缺少必填字段 date\n    在前置信息中加一行 date: …",
            "content/reports/a.md:2:1: 错误: 缺少必填字段 kind\n    在前置信息中加一行 kind: …",
        ])
    }

    func testRawHTMLFollowsSiteSetting() throws {
        let body = "<iframe src=\"x\"></iframe>\n\n[链接](javascript:alert(1))\n"
        let safe = makeSite()
        safe.write("reports/h.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日"], body: body))
        let safeHTML = try XCTUnwrap(safe.load().report("h")).body.html
        XCTAssertEqual(safeHTML, "<!-- raw HTML omitted -->\n<p><a href=\"\">链接</a></p>\n")
        let open = makeSite(siteYAML: TestSite.siteYAML + "html: true\n")
        open.write("reports/h.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日"], body: body))
        let openHTML = try XCTUnwrap(open.load().report("h")).body.html
        XCTAssertEqual(openHTML, "<iframe src=\"x\"></iframe>\n<p><a href=\"javascript:alert(1)\">链接</a></p>\n")
    }
}

final class AnnouncementDecodingTests: SiteTestCase {
    func testEveryAnnouncementField() throws {
        let site = makeSite()
        site.write("led/b-notice.md", "---\ntitle: 科普日通知\nseconds: 20\norder: 2\nfrom: 2023-09-01\nuntil: 2023-9-16\n---\n9月16日**科普日**活动。\n")
        site.write("led/a-plain.md", "---\ntitle: 防诈骗\n---\n")
        site.write("led/c-first.md", "---\ntitle: 首条\norder: 1\n---\n")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let list = try XCTUnwrap(result.content?.announcements)
        XCTAssertEqual(list.map(\.slug), ["a-plain", "c-first", "b-notice"])  // by order, then slug
        let a = list[2]
        XCTAssertEqual(a.path, "content/led/b-notice.md")
        XCTAssertEqual(a.title, "科普日通知")
        XCTAssertEqual(a.seconds, 20)
        XCTAssertEqual(a.order, 2)
        XCTAssertEqual(a.from, Day(year: 2023, month: 9, day: 1))
        XCTAssertEqual(a.until, Day(year: 2023, month: 9, day: 16))
        XCTAssertEqual(a.body.html, "<p>9月16日<strong>科普日</strong>活动。</p>\n")
        XCTAssertTrue(a.isShown(on: Day(year: 2023, month: 9, day: 1)!))
        XCTAssertTrue(a.isShown(on: Day(year: 2023, month: 9, day: 16)!))
        XCTAssertFalse(a.isShown(on: Day(year: 2023, month: 8, day: 31)!))
        XCTAssertFalse(a.isShown(on: Day(year: 2023, month: 9, day: 17)!))
        let plain = list[0]
        XCTAssertNil(plain.seconds)  // the site's seconds apply
        XCTAssertEqual(plain.order, 0)
        XCTAssertNil(plain.from)
        XCTAssertNil(plain.until)
        XCTAssertTrue(plain.isShown(on: Day(year: 1999, month: 1, day: 1)!))
    }

    func testUntilBeforeFrom() {
        let site = makeSite()
        site.write("led/x.md", "---\ntitle: 通知\nfrom: 2023-09-16\nuntil: 2023-09-01\nsecond: 5\n---\n")
        XCTAssertEqual(site.load().printed, [
            "content/led/x.md:4:8: 错误: 开始日期 2023-09-16 晚于结束日期 2023-09-01\n    from 应不晚于 until。",
            "content/led/x.md:5:1: 警告: 不认识的字段 second，已忽略\n    是不是想写 seconds？",
        ])
    }
}
