import KepuCore
@testable import KepuContent
import XCTest

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

    /// A report's field positions: looked up, replaced and removed by key, compared as a dictionary would be.
    func testFieldPositionsActLikeADictionary() {
        var p = FieldPositions()
        XCTAssertNil(p["title"])
        p["title"] = Position(line: 2, column: 8)
        p["$"] = Position(line: 2, column: 1)
        p["spend[0].source"] = Position(line: 12, column: 13)
        XCTAssertEqual(p["title"], Position(line: 2, column: 8))
        XCTAssertEqual(p["spend[0].source"], Position(line: 12, column: 13))
        p["title"] = Position(line: 3, column: 8)
        XCTAssertEqual(p["title"], Position(line: 3, column: 8))
        XCTAssertEqual(p.count, 3)
        let other: FieldPositions = ["spend[0].source": Position(line: 12, column: 13), "$": Position(line: 2, column: 1),
                                     "title": Position(line: 3, column: 8)]
        XCTAssertEqual(p, other, "the same entries in another order")
        p["$"] = nil
        XCTAssertNil(p["$"])
        XCTAssertEqual(p.count, 2)
        XCTAssertNotEqual(p, other)
        p["$"] = Position(line: 2, column: 2)
        XCTAssertNotEqual(p, other, "one place differs")
    }
}
