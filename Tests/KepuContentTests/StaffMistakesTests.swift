import Foundation
import KepuCore
@testable import KepuContent
import XCTest

/// Issue 13: mistakes staff really make, typing in Notepad with a Chinese input method. Each one is
/// either an error at its file, line and column with a message that says what to do (`kepu check` exits 1),
/// or is read exactly as the writer meant — and then the figure it produces is checked.
final class StaffMistakesTests: SiteTestCase {
    static let head = ["title: 甲", "date: 2023-05-20", "kind: 科普日"]

    enum Expect {
        /// `line:column` and the first line of the message (after `错误: `), exactly.
        case error(String, String)
        /// Accepted with no error: the report's spend in fen, audience, activities and survey.
        case figures(spendFen: Int64, audience: Int, activities: Int = 1, survey: (Int, Int)? = nil)
    }

    struct Case {
        var name: String
        var lines: [String]
        var body = "正文第一段。\n"
        var photos: [String] = []
        var expect: Expect
    }

    static let cases: [Case] = [
        // Spend in flow form, as staff copy it from the README
        Case(name: "flow amount with thousands comma and 元", lines: head + ["spend: [{item: 展板制作, amount: 1,800元}]"],
             expect: .error("5:30", "第 1 笔支出的金额“1,800元”被逗号断开了：在 { } 或 [ ] 里，英文逗号用来分隔各项")),
        Case(name: "flow amount with thousands comma and a space", lines: head + ["spend: [{item: 展板制作, amount: 1, 800}]"],
             expect: .error("5:30", "第 1 笔支出的金额“1,800”被逗号断开了：在 { } 或 [ ] 里，英文逗号用来分隔各项")),
        Case(name: "flow amount with thousands comma and decimals", lines: head + ["spend:", "  - {item: 展板, amount: 1,800.50}"],
             expect: .error("6:24", "第 1 笔支出的金额“1,800.50”被逗号断开了：在 { } 或 [ ] 里，英文逗号用来分隔各项")),
        Case(name: "second flow item cut at its comma", lines: head + ["spend:", "  - {item: 展板, amount: 600}", "  - {item: 资料, amount: 12,000}"],
             expect: .error("7:24", "第 2 笔支出的金额“12,000”被逗号断开了：在 { } 或 [ ] 里，英文逗号用来分隔各项")),
        Case(name: "flow amount quoted as the README says", lines: head + ["spend: [{item: 展板制作, amount: \"1,800元\"}]"],
             expect: .figures(spendFen: 180_000, audience: 0)),
        Case(name: "block amount with comma needs no quotes", lines: head + ["spend:", "  - item: 展板", "    amount: 1,800元"],
             expect: .figures(spendFen: 180_000, audience: 0)),
        Case(name: "one amount on its own line", lines: head + ["spend: 1,800"], expect: .figures(spendFen: 180_000, audience: 0)),
        Case(name: "flow list of amounts cut at a comma", lines: head + ["spend: [1,800.50]"],
             expect: .error("5:9", "第 1 笔支出 不是金额：“1,800.50”")),
        Case(name: "misspelt amount in a flow item", lines: head + ["spend: [{item: 展板, amout: 600}]"],
             expect: .error("5:20", "字段名 第 1 笔支出的amout 写错了；它会影响统计数字，不能忽略")),
        Case(name: "misspelt amount in a block item", lines: head + ["spend:", "  - item: 展板", "    amonut: 600"],
             expect: .error("7:5", "字段名 第 1 笔支出的amonut 写错了；它会影响统计数字，不能忽略")),
        Case(name: "spend written as a map", lines: head + ["spend: {item: 展板, amount: 600}"],
             expect: .error("5:8", "spend 应是一个列表")),
        Case(name: "amount with a Chinese full stop as decimal point", lines: head + ["spend: [{item: 展板, amount: 1800。50}]"],
             expect: .error("5:28", "第 1 笔支出的金额 不是金额：“1800。50”")),
        Case(name: "amount in full-width digits", lines: head + ["spend: [{item: 展板, amount: １８００}]"],
             expect: .figures(spendFen: 180_000, audience: 0)),
        Case(name: "amount with a full-width comma", lines: head + ["spend:", "  - item: 展板", "    amount: 1，800"],
             expect: .figures(spendFen: 180_000, audience: 0)),
        Case(name: "amount with full-width yen sign", lines: head + ["spend: ￥600"], expect: .figures(spendFen: 60_000, audience: 0)),
        Case(name: "amount in 万元", lines: head + ["spend: [{item: 设备, amount: 0.18万元}]"], expect: .figures(spendFen: 180_000, audience: 0)),
        Case(name: "negative amount", lines: head + ["spend: [{item: 退款, amount: -100}]"],
             expect: .error("5:28", "第 1 笔支出的金额 不能是负数：“-100”")),
        Case(name: "amount to the li", lines: head + ["spend: 100.005"],
             expect: .error("5:8", "spend 精确到分即可，“100.005”的小数位太多")),
        // Audience and activities
        Case(name: "misspelt audience", lines: head + ["audiance: 100"],
             expect: .error("5:1", "字段名 audiance 写错了；它会影响统计数字，不能忽略")),
        Case(name: "audience written in Chinese", lines: head + ["人次: 100"],
             expect: .error("5:1", "字段名 人次 写错了；它会影响统计数字，不能忽略")),
        Case(name: "audience in full-width digits", lines: head + ["audience: １２０"], expect: .figures(spendFen: 0, audience: 120)),
        Case(name: "audience with a unit", lines: head + ["audience: 120人次"],
             expect: .error("5:11", "audience 应是不小于 0 的整数，这里写的是“120人次”")),
        Case(name: "audience with a thousands comma", lines: head + ["audience: 1,200"], expect: .figures(spendFen: 0, audience: 1200)),
        Case(name: "audience with a decimal", lines: head + ["audience: 12.5"],
             expect: .error("5:11", "audience 应是不小于 0 的整数，这里写的是“12.5”")),
        Case(name: "misspelt activities", lines: head + ["activites: 0"],
             expect: .error("5:1", "字段名 activites 写错了；它会影响统计数字，不能忽略")),
        Case(name: "activities zero for a purchase", lines: head + ["activities: 0", "spend: 600"],
             expect: .figures(spendFen: 60_000, audience: 0, activities: 0)),
        Case(name: "indented with a full-width space", lines: head + ["\u{3000}audience: 100"],
             expect: .error("5:1", "这一行用全角空格（中文空格）缩进，字段认不出来")),
        Case(name: "list indented with a full-width space", lines: head + ["spend:", "\u{3000}- {item: 展板, amount: 600}"],
             expect: .error("6:1", "这一行用全角空格（中文空格）缩进，字段认不出来")),
        Case(name: "full-width colon after a figure field", lines: head + ["audience：100"],
             expect: .error("5:9", "字段名后面用了中文冒号“：”")),
        // Satisfaction
        Case(name: "survey flow form cut at commas", lines: head + ["satisfaction: {surveyed: 1,200, satisfied: 1000}"],
             expect: .error("5:26", "满意度调查的调查人数“1,200”被逗号断开了：在 { } 或 [ ] 里，英文逗号用来分隔各项")),
        Case(name: "survey in block form with commas", lines: head + ["satisfaction:", "  surveyed: 1,200", "  satisfied: 1,100"],
             expect: .figures(spendFen: 0, audience: 0, survey: (1200, 1100))),
        Case(name: "misspelt satisfied", lines: head + ["satisfaction: {surveyed: 100, satisifed: 90}"],
             expect: .error("5:31", "字段名 满意度调查的satisifed 写错了；它会影响统计数字，不能忽略")),
        Case(name: "satisfied over surveyed", lines: head + ["satisfaction: {surveyed: 90, satisfied: 100}"],
             expect: .error("5:41", "满意人数（100）多于调查人数（90）")),
        Case(name: "survey in full-width digits", lines: head + ["satisfaction: {surveyed: １００, satisfied: ９０}"],
             expect: .figures(spendFen: 0, audience: 0, survey: (100, 90))),
        Case(name: "satisfaction written as a percentage", lines: head + ["satisfaction: 95%"],
             expect: .error("5:15", "satisfaction 应是若干“字段: 值”")),
        // Dates, kind, draft
        Case(name: "date in full-width digits", lines: ["title: 甲", "date: ２０２３－０５－２０", "kind: 科普日", "audience: 5"],
             expect: .figures(spendFen: 0, audience: 5)),
        Case(name: "date with Chinese characters", lines: ["title: 甲", "date: 2023年5月20日", "kind: 科普日"],
             expect: .error("3:7", "date 不是日期：“2023年5月20日”")),
        Case(name: "misspelt draft", lines: head + ["darft: true"],
             expect: .error("5:1", "字段名 darft 写错了；它会影响统计数字，不能忽略")),
        Case(name: "misspelt date", lines: ["title: 甲", "dat: 2023-05-20", "kind: 科普日"],
             expect: .error("3:1", "字段名 dat 写错了；它会影响统计数字，不能忽略")),
        Case(name: "unknown field that changes no figure", lines: head + ["备注: 无", "audience: 7"],
             expect: .figures(spendFen: 0, audience: 7)),
        // Photos and bodies
        Case(name: "body image with a space in its name", lines: head, body: "现场：\n\n![现场](现场 照片.jpg)\n",
             expect: .error("8:1", "正文中的图片写法有误：![现场](现场 照片.jpg)")),
        Case(name: "body image typed with full-width brackets", lines: head, body: "现场：\n\n！[现场]（a.jpg）\n",
             expect: .error("8:1", "正文中的图片写法有误：！[现场]（a.jpg）")),
        Case(name: "body image that does not exist", lines: head, body: "正文。\n\n![图](不存在.jpg)\n",
             expect: .error("8:1", "找不到照片 不存在.jpg")),
        Case(name: "body image on disk but not among photos", lines: head, body: "正文 ![图](a.jpg)\n", photos: ["a.jpg"],
             expect: .error("6:4", "正文中的图片 a.jpg 不在 photos 列表里，不会发布，只会显示说明文字")),
        Case(name: "body image listed in photos", lines: head + ["photos: [a.jpg]", "audience: 3"], body: "正文 ![图](a.jpg \"现场\")\n",
             photos: ["a.jpg"], expect: .figures(spendFen: 0, audience: 3)),
        Case(name: "photos separated by a Chinese comma", lines: head + ["photos: [a.jpg，b.jpg]"], photos: ["a.jpg", "b.jpg"],
             expect: .error("5:10", "找不到照片 a.jpg，b.jpg")),
        Case(name: "image syntax inside a code block is left alone", lines: head + ["audience: 4"], body: "```\n![x](a b.jpg)\n```\n",
             expect: .figures(spendFen: 0, audience: 4)),
        Case(name: "report left as kepu new report wrote it", lines: head + ["venue:", "audience:"],
             body: "\n<!-- 在这一行下面写正文：活动时间、地点、内容。 -->\n",
             expect: .error("9:1", "这篇报告还没有写正文（仍是 kepu new report 生成的样子），不能发布和计入统计")),
        Case(name: "unwritten report kept as a draft", lines: head + ["draft: true"], body: "<!-- 在这一行下面写正文 -->\n",
             expect: .figures(spendFen: 0, audience: 0)),
    ]

    func testEveryStaffMistakeIsAnErrorOrReadAsMeant() throws {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 40)
        for c in Self.cases {
            let site = makeSite()
            for p in c.photos { site.writeBytes("reports/" + p, [0xFF, 0xD8, 0xFF, 0xD9]) }
            site.write("reports/a.md", report(c.lines, body: c.body))
            let result = site.load()
            let errors = result.errors.map { $0.formatted(.zhCN) }
            // kepu check's exit status: 1 with any error, else 0.
            let exit = result.errors.isEmpty ? 0 : 1
            switch c.expect {
            case let .error(at, message):
                XCTAssertEqual(exit, 1, c.name)
                let first = errors.first?.split(separator: "\n").first.map(String.init)
                XCTAssertEqual(first, "content/reports/a.md:\(at): 错误: \(message)", c.name)
                XCTAssertEqual(errors.count, 1, "\(c.name): \(errors)")
                // A hint follows every one of these, and no parser English is in it.
                XCTAssertTrue(errors.first?.contains("\n    ") ?? false, c.name)
                XCTAssertFalse(errors.joined().contains("did not find") || errors.joined().contains("expected"), c.name)
            case let .figures(spendFen, audience, activities, survey):
                XCTAssertEqual(exit, 0, "\(c.name): \(errors)")
                let r = try XCTUnwrap(result.report("a"), c.name)
                XCTAssertEqual(r.totalSpend.fen, spendFen, c.name)
                XCTAssertEqual(r.audience, audience, c.name)
                XCTAssertEqual(r.activities, activities, c.name)
                XCTAssertEqual(r.satisfaction.map { [$0.surveyed, $0.satisfied] }, survey.map { [$0.0, $0.1] }, c.name)
            }
        }
    }

    /// Broken YAML goes to libyaml, whose messages are English: none of its words reach a Chinese message.
    func testNoParserEnglishInChineseMessages() {
        let broken = [
            ["title: 甲", "tags: [科普, 社区", "date: 2023-05-20"], ["title: \"甲", "date: 2023-05-20"],
            ["title: 甲", "spend: [{item: 展板 amount: 600}]"], ["title: 甲", "  venue: 广场"], ["title: @甲"],
            ["title: 甲", "spend:", "  - {item: a, amount: 1}", " - {item: b, amount: 2}"], ["title: 甲", "tags: !x"],
            ["title: 甲", "date: 2023-05-20", "date: 2023-05-21"], ["title: \"a\\q\""], ["- title: 甲"],
        ]
        for lines in broken {
            let printed = diagnostics(for: report(lines))
            XCTAssertFalse(printed.isEmpty, "\(lines)")
            for message in printed {
                let english = message.range(of: "[a-z]{3,} [a-z]{3,}", options: .regularExpression)
                XCTAssertNil(english, message)
            }
        }
    }

    // MARK: Projects

    func testACopiedProjectThatKeptItsYearIsOneErrorAtTheCopy() {
        let site = makeSite()
        site.write("projects/p2024.md", TestSite.project2023)
        for n in 1...11 {
            site.write("reports/r\(n).md", report(["title: 活动\(n)", "date: 2023-05-\(10 + n)", "kind: 科普日"]))
        }
        XCTAssertEqual(site.load().printed, [
            "content/projects/p2024.md:4:7: 错误: 这个项目的 year 是 2023，与 content/projects/p2023.md 相同：报告无法按日期分到项目\n"
                + "    如果这是复制来的新年度项目，请把 year 改成新的年度；两个项目确实同一年度时，每篇报告用 project: 指明所属项目。",
        ])
    }

    func testTwoProjectsOfOneYearAreFineWhenEveryReportNamesItsProject() {
        let site = makeSite()
        site.write("projects/q2023.md", "---\nname: 另一个\nunit: 科协\nyear: 2023\nbudget: 100\n---\n")
        site.write("reports/a.md", report(Self.head + ["project: q2023"]))
        XCTAssertEqual(site.load().printed, [])
    }

    func testTargetProblems() {
        let site = makeSite()
        site.write("projects/p2023.md", """
            ---
            name: 项目
            unit: 科协
            year: 2023
            budget: 100
            targets:
              - {name: 活动, level1: 产出指标, metric: activities, value: 10, points: -10}
              - name: 人次
                level1: 产出指标
                metric: audience
                valeu: 1000
            ---

            """)
        XCTAssertEqual(site.load().errors.map { $0.formatted(.zhCN).split(separator: "\n")[0] }, [
            "content/projects/p2023.md:7:69: 错误: 第 1 个指标的分值 不能是负数：“-10”",
            "content/projects/p2023.md:11:5: 错误: 字段名 第 2 个指标的valeu 写错了；它会影响统计数字，不能忽略",
        ])
    }

    func testAPlannedKindTheProjectDoesNotHaveIsAnError() {
        let site = makeSite()
        site.write("projects/p2023.md", TestSite.project2023.replacingOccurrences(of: "budget: 2万元", with: "budget: 2万元\nplan: {科技周: 1, 科普曰: 1}"))
        XCTAssertEqual(site.load().errors.map { $0.formatted(.zhCN) }, [
            "content/projects/p2023.md:6:16: 错误: plan 中的活动类型“科普曰”不在项目的 kinds 中，举办次数会一直是 0\n    可用的类型：科技周、科普日、进社区、反邪教。",
        ])
    }

    func testIndexInCapitalsIsABundle() throws {
        let site = makeSite()
        site.write("reports/2023/kepuri/index.MD", report(Self.head + ["photos: [a.jpg]"]))
        site.writeBytes("reports/2023/kepuri/a.jpg", [0xFF, 0xD8, 0xFF, 0xD9])
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.content?.reports.map(\.slug), ["kepuri"])
    }

    func testKeysNamedInChinese() {
        XCTAssertEqual(Problem.zhKey("audience"), "audience")
        XCTAssertEqual(Problem.zhKey("spend[2].amount"), "第 2 笔支出的金额")
        XCTAssertEqual(Problem.zhKey("targets[3].rule.per"), "第 3 个指标的扣分标准的每差单位")
        XCTAssertEqual(Problem.leafKey("targets[3].rule.per"), "per")
        XCTAssertEqual(Problem.leafKey("spend[2]"), "spend")
    }
}
