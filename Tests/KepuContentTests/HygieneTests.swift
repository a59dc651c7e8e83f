import Foundation
import KepuCore
@testable import KepuContent
import XCTest

/// Each bad input of the Foundation issue, item 3: its message, exactly, at its path:line:column.
final class HygieneTests: SiteTestCase {
    static let impossibleDate = "content/reports/a.md:3:7: 错误: date 的日期“2023-02-30”不存在\n    请核对月份和日期，例如二月没有 30 日。"
    static let notUTF8Text = "错误: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 等旧编码），读出来会是乱码\n    用记事本打开此文件，选“另存为”，把“编码”改为 UTF-8 后保存。"
    static let gbk标题: [UInt8] = [0xB1, 0xEA, 0xCC, 0xE2]
    static let gbk科普日活动: [UInt8] = [0xBF, 0xC6, 0xC6, 0xD5, 0xC8, 0xD5, 0xBB, 0xEE, 0xB6, 0xAF]
    static let gbk呈贡区科协: [UInt8] = [0xB3, 0xCA, 0xB9, 0xB1, 0xC7, 0xF8, 0xBF, 0xC6, 0xD0, 0xAD]

    // MARK: BOM and CRLF

    func testBOMLoadsAndPositionsDoNotShift() throws {
        let site = makeSite()
        site.writeBytes("reports/good.md", [0xEF, 0xBB, 0xBF] + Array(report(["title: 甲", "date: 2023-05-20", "kind: 科普日"]).utf8))
        site.writeBytes("reports/a.md", [0xEF, 0xBB, 0xBF] + Array(report(["title: 甲", "date: 2023-02-30", "kind: 科普日"]).utf8))
        let result = site.load()
        XCTAssertEqual(result.printed, [Self.impossibleDate])
        let r = try XCTUnwrap(result.report("good"))
        XCTAssertEqual(r.title, "甲")
        XCTAssertEqual(r.positions["title"], Position(line: 2, column: 8))
        XCTAssertEqual(r.body.html, "<p>正文第一段。</p>\n")
    }

    func testBOMOnLineOneDoesNotCountAsAColumn() {
        // The first line is the fence, so the BOM matters for errors reported on line 1.
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("title: 甲\n".utf8)
        XCTAssertEqual(diagnostics(bytes: bytes), [
            "content/reports/a.md:1:1: 错误: 文件开头缺少前置信息：第一行应为 ---\n    在第一行写 ---，接着逐行写 title、date 等字段，再用单独一行 --- 结束。",
        ])
        let gbk: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\ntitle: ".utf8) + Self.gbk标题 + Array("\n---\n".utf8)
        XCTAssertEqual(diagnostics(bytes: gbk), ["content/reports/a.md:2:8: " + Self.notUTF8Text])
    }

    func testSiteYAMLWithBOM() throws {
        let site = emptySite()
        site.writeBytes("site.yaml", [0xEF, 0xBB, 0xBF] + Array("title: 站点\nunit: 科协\nexample: 也许\n".utf8))
        let result = site.load()
        XCTAssertEqual(result.printed, ["content/site.yaml:3:10: 错误: example 只能是 true 或 false，这里写的是“也许”\n    是写 true，否写 false。"])
        XCTAssertEqual(result.content?.site.title, "站点")
        let clean = emptySite()
        clean.writeBytes("site.yaml", [0xEF, 0xBB, 0xBF] + Array("title: 站点\r\nunit: 科协\r\n".utf8))
        XCTAssertEqual(clean.load().printed, [])
        XCTAssertEqual(clean.load().content?.site.title, "站点")
        XCTAssertEqual(clean.load().content?.site.unit, "科协")
    }

    func testSiteYAMLPositionsWithBOMOnLineOne() {
        let site = emptySite()
        site.writeBytes("site.yaml", [0xEF, 0xBB, 0xBF] + Array("title: ".utf8) + Self.gbk标题 + Array("\nunit: 科协\n".utf8))
        XCTAssertEqual(site.load().printed, ["content/site.yaml:1:8: " + Self.notUTF8Text])
        let warned = emptySite()
        warned.writeBytes("site.yaml", [0xEF, 0xBB, 0xBF] + Array("titel: 站点\nunit: 科协\n".utf8))
        XCTAssertEqual(warned.load().printed, [
            "content/site.yaml:1:1: 错误: 缺少必填字段 title\n    在前置信息中加一行 title: …",
            "content/site.yaml:1:1: 警告: 不认识的字段 titel，已忽略\n    是不是想写 title？",
        ])
    }

    func testSiteYAMLMayOpenWithAFence() throws {
        let site = emptySite()
        site.write("site.yaml", "---\ntitle: 站点\nunit: 科协\nhtml: 也许\n")
        let result = site.load()
        XCTAssertEqual(result.printed, ["content/site.yaml:4:7: 错误: html 只能是 true 或 false，这里写的是“也许”\n    是写 true，否写 false。"])
        XCTAssertEqual(result.content?.site.title, "站点")
        let fenced = emptySite()
        fenced.write("site.yaml", "---\r\ntitle: 站点\r\nunit: 科协\r\n---\r\n")
        XCTAssertEqual(fenced.load().printed, [])
        XCTAssertEqual(fenced.load().content?.site.unit, "科协")
    }

    func testCRLFLoadsAndPositionsAreRight() throws {
        let site = makeSite()
        let crlf = { (text: String) in Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }
        site.writeBytes("reports/good.md", crlf(report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "venue: 广场"],
                                                      body: "第一行\n第二行\n\n第二段\n")))
        site.writeBytes("reports/a.md", crlf(report(["title: 甲", "date: 2023-02-30", "kind: 科普日", "audiance: 5"])))
        let result = site.load()
        XCTAssertEqual(result.printed, [
            Self.impossibleDate,
            "content/reports/a.md:5:1: 错误: 字段名 audiance 写错了；它会影响统计数字，不能忽略\n    是不是想写 audience？",
        ])
        let r = try XCTUnwrap(result.report("good"))
        XCTAssertEqual(r.title, "甲")
        XCTAssertEqual(r.venue, "广场")
        XCTAssertEqual(r.body.html, "<p>第一行\n第二行</p>\n<p>第二段</p>\n")
        XCTAssertEqual(r.summary, "第一行第二行")
        XCTAssertEqual(r.positions["venue"], Position(line: 5, column: 8))
    }

    func testCRLFProjectFile() throws {
        let site = makeSite()
        site.writeBytes("projects/p2023.md", Array(TestSite.project2023.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.content?.project("p2023")?.kinds, ["科技周", "科普日", "进社区", "反邪教"])
        XCTAssertEqual(result.content?.project("p2023")?.body.html, "<p>项目说明。</p>\n")
    }

    // MARK: Encoding

    func testGBKTitleIsNamedAtItsFirstByte() {
        let bytes = Array("---\ntitle: ".utf8) + Self.gbk标题 + Array("\ndate: 2023-05-20\nkind: 科普日\n---\n".utf8)
        XCTAssertEqual(diagnostics(bytes: bytes), ["content/reports/a.md:2:8: " + Self.notUTF8Text])
    }

    func testGBKAfterChineseUTF8CountsCharactersNotBytes() {
        let bytes = Array("---\ntitle: 科普日\ndate: 2023-05-20\nkind: 科普日\nvenue: 呈贡 ".utf8) + Self.gbk呈贡区科协
            + Array("\n---\n".utf8)
        XCTAssertEqual(diagnostics(bytes: bytes), ["content/reports/a.md:5:11: " + Self.notUTF8Text])
    }

    func testWholeFileInGB18030() {
        // What an old editor saves: every Chinese character in GBK. The first one is on line 2.
        let bytes = Array("---\ntitle: ".utf8) + Self.gbk科普日活动 + Array("\ndate: 2023-09-16\nkind: ".utf8)
            + [0xBF, 0xC6, 0xC6, 0xD5, 0xC8, 0xD5] + Array("\n---\n".utf8) + Self.gbk科普日活动 + [0x0A]
        XCTAssertEqual(diagnostics(bytes: bytes), ["content/reports/a.md:2:8: " + Self.notUTF8Text])
    }

    func testGBKInBodyIsNamedInTheBody() {
        let bytes = Array(report(["title: 甲", "date: 2023-05-20", "kind: 科普日"], body: "第一行\n\n活动：").utf8)
            + Self.gbk科普日活动 + [0x0A]
        XCTAssertEqual(diagnostics(bytes: bytes), ["content/reports/a.md:8:4: " + Self.notUTF8Text])
    }

    func testGBKInSiteYAML() {
        let site = emptySite()
        site.writeBytes("site.yaml", Array("title: 站点\nunit: ".utf8) + Self.gbk呈贡区科协 + [0x0A])
        XCTAssertEqual(site.load().printed, ["content/site.yaml:2:7: " + Self.notUTF8Text])
    }

    func testUTF16AndNul() {
        XCTAssertEqual(diagnostics(bytes: [0xFF, 0xFE, 0x2D, 0x00, 0x2D, 0x00, 0x2D, 0x00]),
                       ["content/reports/a.md:1:1: 错误: 文件是 UTF-16（Unicode）编码，Kepu 只读 UTF-8\n    用记事本打开此文件，选“另存为”，把“编码”改为 UTF-8 后保存。"])
        XCTAssertEqual(diagnostics(bytes: Array("---\ntitle: a\u{0}b\n---\n".utf8)),
                       ["content/reports/a.md:2:9: 错误: 文件中有空字符（NUL），不是纯文本文件\n    请确认这是用文本编辑器保存的 .md 文件，而不是 Word 等文档改了扩展名。"])
        XCTAssertEqual(diagnostics(bytes: []), ["content/reports/a.md:1:1: 错误: 文件是空的\n    请写上前置信息（以 --- 开头和结尾）和正文，或删除此文件。"])
        XCTAssertEqual(diagnostics(bytes: Array("\n  \n".utf8)), ["content/reports/a.md:1:1: 错误: 文件是空的\n    请写上前置信息（以 --- 开头和结尾）和正文，或删除此文件。"])
    }

    // MARK: Front matter structure

    func testMissingFrontMatter() {
        let expected = "content/reports/a.md:1:1: 错误: 文件开头缺少前置信息：第一行应为 ---\n    在第一行写 ---，接着逐行写 title、date 等字段，再用单独一行 --- 结束。"
        XCTAssertEqual(diagnostics(for: "title: 甲\ndate: 2023-05-20\n\n正文\n"), [expected])
        XCTAssertEqual(diagnostics(for: "# 科普日\n\n正文\n"), [expected])
        XCTAssertEqual(diagnostics(for: "----\ntitle: 甲\n---\n"), [expected])
    }

    func testUnterminatedFrontMatter() {
        XCTAssertEqual(diagnostics(for: "---\ntitle: 甲\ndate: 2023-05-20\nkind: 科普日\n\n正文\n"), [
            "content/reports/a.md:1:1: 错误: 前置信息没有结束：找不到结束的 --- 行\n    在最后一个字段之后加单独一行 ---，正文写在它下面。",
        ])
        XCTAssertEqual(diagnostics(for: "---\n"), [
            "content/reports/a.md:1:1: 错误: 前置信息没有结束：找不到结束的 --- 行\n    在最后一个字段之后加单独一行 ---，正文写在它下面。",
        ])
    }

    func testFenceWithTrailingSpacesAndNoBody() throws {
        let site = makeSite()
        site.write("reports/f.md", "---  \ntitle: 甲\ndate: 2023-05-20\nkind: 科普日\n--- ")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.report("f")?.body.html, "")
        XCTAssertEqual(result.report("f")?.summary, "")
    }

    func testFrontMatterThatIsAList() {
        XCTAssertEqual(diagnostics(for: "---\n- title: 甲\n---\n"), [
            "content/reports/a.md:2:1: 错误: 前置信息应是一行一个“字段: 值”\n    例如 title: 科普日活动；不要以 - 开头写成列表。",
        ])
    }

    func testTabIndentation() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "spend:", "\t- 100"])), [
            "content/reports/a.md:6:1: 错误: 前置信息中不能用 Tab 键缩进\n    把这一行开头的 Tab 换成空格（两个空格为一级）。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "satisfaction:", "  \tsurveyed: 10"])), [
            "content/reports/a.md:4:3: 错误: 前置信息中不能用 Tab 键缩进\n    把这一行开头的 Tab 换成空格（两个空格为一级）。",
        ])
    }

    func testUnquotedColonInTitle() {
        XCTAssertEqual(diagnostics(for: report(["title: 科普日: 主题", "date: 2023-05-20", "kind: 科普日"])), [
            "content/reports/a.md:2:11: 错误: 这一行的值里有英文冒号“: ”，YAML 会把它当成新的字段\n    把值用英文双引号括起来，例如 title: \"科普日: 主题活动\"，或改用中文冒号“：”。",
        ])
        XCTAssertEqual(diagnostics(for: report(["date: 2023-05-20", "kind: 科普日", "venue: 地点: 广场"])), [
            "content/reports/a.md:4:10: 错误: 这一行的值里有英文冒号“: ”，YAML 会把它当成新的字段\n    把值用英文双引号括起来，例如 title: \"科普日: 主题活动\"，或改用中文冒号“：”。",
        ])
    }

    func testFullWidthColonAfterAKey() {
        // What a Chinese input method types; libyaml alone would blame the next line.
        XCTAssertEqual(diagnostics(for: report(["title：科普日", "date: 2023-05-20", "kind: 科普日"])), [
            "content/reports/a.md:2:6: 错误: 字段名后面用了中文冒号“：”\n    改成英文冒号加一个空格，例如 title: 科普日活动。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date：2023-05-20", "kind: 科普日"])), [
            "content/reports/a.md:3:5: 错误: 字段名后面用了中文冒号“：”\n    改成英文冒号加一个空格，例如 title: 科普日活动。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "satisfaction:", "  surveyed ：10", "  satisfied: 9"])), [
            "content/reports/a.md:6:12: 错误: 字段名后面用了中文冒号“：”\n    改成英文冒号加一个空格，例如 title: 科普日活动。",
        ])
    }

    func testMissingColonIsNamedOnItsLine() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "venue 广场"])), [
            "content/reports/a.md:5:1: 错误: 这一行缺少英文冒号，应写成“字段: 值”\n    在字段名后加英文冒号和一个空格，例如 venue: 广场。",
        ])
    }

    func testUnclosedQuoteOrBracketIsNamedWhereItOpens() {
        XCTAssertEqual(diagnostics(for: report(["title: \"科普日", "date: 2023-05-20", "kind: 科普日"])), [
            "content/reports/a.md:2:8: 错误: 前置信息格式有误：引号或括号没有结束\n    检查这一行和上一行的缩进、冒号和引号是否成对。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "tags: [科普, 社区", "date: 2023-05-20", "kind: 科普日"])), [
            "content/reports/a.md:3:7: 错误: 前置信息格式有误：方括号 [ ] 里缺少英文逗号，或缺少配对的 ]\n    检查这一行和上一行的缩进、冒号和引号是否成对。",
        ])
    }

    func testWrongIndentationIsNotCalledAnUnquotedColon() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "  venue: 广场"])), [
            "content/reports/a.md:5:8: 错误: 前置信息格式有误：这里不能再写“字段: 值”，请检查冒号和缩进\n    检查这一行和上一行的缩进、冒号和引号是否成对。",
        ])
    }

    func testColonsThatAreFine() throws {
        let site = makeSite()
        site.write("reports/a.md", report(["title: \"科普日: 主题\"", "date: 2023-05-20", "kind: 科普日", "venue: 地点：广场"]))
        site.write("reports/b.md", report(["title: 时间 9:30 开始", "date: 2023-05-20", "kind: 科普日", "venue: http://a.cn/x"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.report("a")?.title, "科普日: 主题")
        XCTAssertEqual(result.report("a")?.venue, "地点：广场")
        XCTAssertEqual(result.report("b")?.title, "时间 9:30 开始")
        XCTAssertEqual(result.report("b")?.venue, "http://a.cn/x")
    }

    func testTitlesYAMLWouldReadAsDatesOrNumbersKeepTheirText() throws {
        let titles = ["2023-05-20", "1.50", "2023", "010", "1e3", "0x1F", ".5", "yes", "No", "true", "12:30", "1,000", "+1", "-0.0"]
        let site = makeSite()
        for (i, t) in titles.enumerated() {
            site.write("reports/t\(i).md", report(["title: \(t)", "date: 2023-05-\(10 + i)", "kind: 科普日", "venue: 3.10"]))
        }
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        for (i, t) in titles.enumerated() {
            XCTAssertEqual(result.report("t\(i)")?.title, t)
            XCTAssertEqual(result.report("t\(i)")?.venue, "3.10")
        }
    }

    func testDuplicateKey() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "title: 乙"])), [
            "content/reports/a.md:5:1: 错误: 字段 title 写了两次\n    删掉其中一个。",
        ])
    }

    func testDuplicateKeyInAListItem() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "spend:",
                                                "  - item: 展板", "    amount: 100", "    amount: 200"])), [
            "content/reports/a.md:8:5: 错误: 字段 amount 写了两次\n    删掉其中一个。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "satisfaction:",
                                                "  surveyed: 100", "  # 备注", "", "  surveyed: 90"])), [
            "content/reports/a.md:9:3: 错误: 字段 surveyed 写了两次\n    删掉其中一个。",
        ])
    }

    func testAliasesAreRefused() {
        XCTAssertEqual(diagnostics(for: report(["title: &t 甲", "date: 2023-05-20", "kind: 科普日", "venue: *t"])), [
            "content/reports/a.md:2:8: 错误: 前置信息中不支持 YAML 锚点和别名（& 与 *）\n    把引用的内容直接写出来。",
        ])
    }

    func testNestingTooDeepAndFrontMatterTooLarge() {
        let deep = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "tags: " + deep])), [
            "content/reports/a.md:3:23: 错误: 前置信息嵌套层数过多\n    前置信息最多只需要三层缩进，请检查括号和缩进。",
        ])
        let long = (0..<3000).map { "tag\($0): \(String(repeating: "x", count: 20))" }
        XCTAssertEqual(diagnostics(for: report(["title: 甲"] + long)), [
            "content/reports/a.md:2:1: 错误: 前置信息过长（超过 64 KB）\n    前置信息只放字段，长文字请写在第二个 --- 之后的正文里。",
        ])
    }

    // MARK: Fields

    func testUnknownKeySuggestsTheNearest() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "audiance: 120"])), [
            "content/reports/a.md:5:1: 错误: 字段名 audiance 写错了；它会影响统计数字，不能忽略\n    是不是想写 audience？",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "remarks: 无",
                                                "satisfaction:", "  surveyed: 10", "  satisifed: 5"])), [
            "content/reports/a.md:5:1: 警告: 不认识的字段 remarks，已忽略\n    请对照内容格式说明检查字段名。",
            "content/reports/a.md:8:3: 错误: 字段名 满意度调查的satisifed 写错了；它会影响统计数字，不能忽略\n    是不是想写 satisfied？",
        ])
    }

    /// An unknown key that cannot change a figure (`remark`, near nothing that counts) stays a warning;
    /// a misspelt figure field is an error (see testUnknownKeySuggestsTheNearest).
    func testUnknownKeyIsOnlyAWarningWhenNoFigureDependsOnIt() throws {
        let site = makeSite()
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "audience: 120", "summery: 简介"]))
        let result = site.load()
        XCTAssertEqual(result.errors.count, 0)
        XCTAssertEqual(result.warnings.map(\.problem), [.unknownField(key: "summery", suggestion: "summary")])
        XCTAssertEqual(result.report("a")?.audience, 120)
    }

    func testKindTheProjectDoesNotList() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 培训"])), [
            "content/reports/a.md:4:7: 错误: 活动类型“培训”不在项目 p2023 的 kinds 列表中\n    可用的类型：科技周、科普日、进社区、反邪教；或在项目文件的 kinds 中加上它。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: \"科普日 \""])), [
            "content/reports/a.md:4:7: 错误: 活动类型“科普日 ”前后有多余的空格\n    改为 kind: 科普日。",
        ])
    }

    func testNegativeAndNonIntegerAudience() {
        func expected(_ found: String, line: Int = 5) -> String {
            "content/reports/a.md:\(line):11: 错误: audience 应是不小于 0 的整数，这里写的是“\(found)”\n    请用阿拉伯数字，例如 audience: 120。"
        }
        let base = ["title: 甲", "date: 2023-05-20", "kind: 科普日"]
        XCTAssertEqual(diagnostics(for: report(base + ["audience: -5"])), [expected("-5")])
        XCTAssertEqual(diagnostics(for: report(base + ["audience: 12.5"])), [expected("12.5")])
        XCTAssertEqual(diagnostics(for: report(base + ["audience: 约300"])), [expected("约300")])
        XCTAssertEqual(diagnostics(for: report(base + ["audience: 1e3"])), [expected("1e3")])
        XCTAssertEqual(diagnostics(for: report(base + ["audience: 99999999999"])), [
            "content/reports/a.md:5:11: 错误: audience 的数值“99999999999”太大，不像是真实数据\n    请核对数字是否多写了位数。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["activities: -1"])), [
            "content/reports/a.md:5:13: 错误: activities 应是不小于 0 的整数，这里写的是“-1”\n    请用阿拉伯数字，例如 activities: 120。",
        ])
    }

    func testSatisfiedMoreThanSurveyed() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日",
                                                "satisfaction:", "  surveyed: 50", "  satisfied: 60"])), [
            "content/reports/a.md:7:14: 错误: 满意人数（60）多于调查人数（50）\n    satisfied 不能大于 surveyed，请核对问卷统计。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日",
                                                "satisfaction: {surveyed: 50, satisfied: 60}"])), [
            "content/reports/a.md:5:41: 错误: 满意人数（60）多于调查人数（50）\n    satisfied 不能大于 surveyed，请核对问卷统计。",
        ])
    }

    func testAmountErrors() {
        let base = ["title: 甲", "date: 2023-05-20", "kind: 科普日"]
        XCTAssertEqual(diagnostics(for: report(base + ["spend: 1800.505"])), [
            "content/reports/a.md:5:8: 错误: spend 精确到分即可，“1800.505”的小数位太多\n    金额最多两位小数（到分），例如 1800.50。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["spend:", "  - {item: 展板, amount: 1800.505}", "  - {item: 资料, amount: \"0.0000001万\"}"])), [
            "content/reports/a.md:6:24: 错误: 第 1 笔支出的金额 精确到分即可，“1800.505”的小数位太多\n    金额最多两位小数（到分），例如 1800.50。",
            "content/reports/a.md:7:24: 错误: 第 2 笔支出的金额 精确到分即可，“0.0000001万”的小数位太多\n    金额最多两位小数（到分），例如 1800.50。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["spend:", "  - item: 退款", "    amount: -100"])), [
            "content/reports/a.md:7:13: 错误: 第 1 笔支出的金额 不能是负数：“-100”\n    退款或冲销请在说明中写明，金额写实际支出。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["spend: 一千八百元"])), [
            "content/reports/a.md:5:8: 错误: spend 不是金额：“一千八百元”\n    金额可写成 1800、1800.50、\"1,800.50\"、\"¥1,800.50\"、\"1800元\" 或 \"0.18万\"。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["spend: 1800,50"])), [
            "content/reports/a.md:5:8: 错误: spend 不是金额：“1800,50”\n    金额可写成 1800、1800.50、\"1,800.50\"、\"¥1,800.50\"、\"1800元\" 或 \"0.18万\"。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["spend: 9999999999999999"])), [
            "content/reports/a.md:5:8: 错误: spend 的金额“9999999999999999”太大\n    请核对是否多写了位数。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["spend:", "  - item: 展板"])), [
            "content/reports/a.md:6:5: 错误: 缺少必填字段 第 1 笔支出的金额\n    在前置信息中加一行 amount: …",
        ])
    }

    func testCommaInsideBracesDoesNotTurnAnAmountIntoOneYuan() {
        // In `{…}` YAML splits `1,800.50` at the comma: amount "¥1" and a stray key "800.50".
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日",
                                                "spend:", "  - {item: 展板, amount: ¥1,800.50}", "  - {item: 资料, amount: \"1,800.50\"}"])), [
            "content/reports/a.md:6:24: 错误: 第 1 笔支出的金额“¥1,800.50”被逗号断开了：在 { } 或 [ ] 里，英文逗号用来分隔各项\n    给它加英文双引号，例如 amount: \"¥1,800.50\"；或去掉千位分隔的逗号。",
        ])
    }

    func testCommaInsideBracketsDoesNotMakeTwoAmounts() throws {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "spend: [1,800.50, 2,000,000元]"])), [
            "content/reports/a.md:5:9: 错误: 第 1 笔支出 不是金额：“1,800.50”\n    金额可写成 1800、1800.50、\"1,800.50\"、\"¥1,800.50\"、\"1800元\" 或 \"0.18万\"。",
            "content/reports/a.md:5:19: 错误: 第 3 笔支出 不是金额：“2,000,000元”\n    金额可写成 1800、1800.50、\"1,800.50\"、\"¥1,800.50\"、\"1800元\" 或 \"0.18万\"。",
        ])
        let site = makeSite()
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "spend: [600, 200.5, \"1,800\"]"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.report("a")?.spend.map(\.amount.fen), [60_000, 20_050, 180_000])
    }

    func testWholeNumbersWithGroupingCommas() throws {
        let base = ["title: 甲", "date: 2023-05-20", "kind: 科普日"]
        XCTAssertEqual(diagnostics(for: report(base + ["audience: 1,2"])), [
            "content/reports/a.md:5:11: 错误: audience 应是不小于 0 的整数，这里写的是“1,2”\n    请用阿拉伯数字，例如 audience: 120。",
        ])
        XCTAssertEqual(diagnostics(for: report(base + ["audience: 1200,5"])), [
            "content/reports/a.md:5:11: 错误: audience 应是不小于 0 的整数，这里写的是“1200,5”\n    请用阿拉伯数字，例如 audience: 120。",
        ])
        let site = makeSite()
        site.write("reports/a.md", report(base + ["audience: 12,345,678"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.report("a")?.audience, 12_345_678)
    }

    func testImpossibleAndMalformedDates() {
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-02-30", "kind: 科普日"])), [Self.impossibleDate])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023-02-29", "kind: 科普日"])), [
            "content/reports/a.md:3:7: 错误: date 的日期“2023-02-29”不存在\n    请核对月份和日期，例如二月没有 30 日。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 23-5-20", "kind: 科普日"])), [
            "content/reports/a.md:3:7: 错误: date 不是日期：“23-5-20”\n    日期写成 年-月-日，年份四位，例如 2023-05-20。",
        ])
        XCTAssertEqual(diagnostics(for: report(["title: 甲", "date: 2023年5月20日", "kind: 科普日"])), [
            "content/reports/a.md:3:7: 错误: date 不是日期：“2023年5月20日”\n    日期写成 年-月-日，年份四位，例如 2023-05-20。",
        ])
    }

    func testLeapDayIsFine() throws {
        let site = makeSite()
        site.write("projects/p2024.md", "---\nname: 2024年\nunit: 科协\nyear: 2024\nbudget: 1000\n---\n")
        site.write("reports/a.md", report(["title: 甲", "date: \"2024-02-29\"", "kind: 科普日"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.report("a")?.date, Day(year: 2024, month: 2, day: 29))
        XCTAssertEqual(result.report("a")?.projectID, "p2024")
    }

    func testTwoReportsWithTheSameSlug() {
        let site = makeSite()
        site.write("reports/2023/kepuri.md", report(["title: 甲", "date: 2023-09-16", "kind: 科普日"]))
        site.write("reports/old/kepuri/index.md", report(["title: 乙", "date: 2023-09-17", "kind: 科普日"]))
        site.write("reports/zz/kepuri.md", report(["title: 丙", "date: 2023-09-18", "kind: 科普日"]))
        XCTAssertEqual(site.load().printed, [
            "content/reports/old/kepuri/index.md:1:1: 错误: 报告名“kepuri”与 content/reports/2023/kepuri.md 重复，网页地址会冲突\n    请给其中一个文件（或文件夹）改名。",
            "content/reports/zz/kepuri.md:1:1: 错误: 报告名“kepuri”与 content/reports/2023/kepuri.md 重复，网页地址会冲突\n    请给其中一个文件（或文件夹）改名。",
        ])
    }

    /// The loader passes its reports in path order, and the check then skips its sort; out of order, it sorts, and
    /// the report named is still the later path, whatever the order given.
    func testDuplicateSlugNamesTheLaterPathInAnyOrder() {
        func named(_ path: String, _ slug: String) -> Report {
            Report(slug: slug, path: path, title: "甲", date: Day(year: 2023, month: 9, day: 16)!, kind: "科普日",
                   projectID: "p", explicitProject: nil, venue: nil, audience: 1, activities: 1, spend: [], satisfaction: nil,
                   photos: [], tags: [], draft: false, summary: "", body: .init(html: "", firstParagraph: ""), positions: [:])
        }
        let reports = [named("content/reports/b/Kepuri.md", "Kepuri"), named("content/reports/a/kepuri.md", "kepuri"),
                       named("content/reports/c/其他.md", "其他")]
        for order in [reports, reports.reversed(), [reports[1], reports[0], reports[2]]] {
            var diagnostics: [Diagnostic] = []
            ContentLoader.checkDuplicateSlugs(order, &diagnostics)
            XCTAssertEqual(diagnostics.map(\.path), ["content/reports/b/Kepuri.md"])
            XCTAssertEqual(diagnostics.first?.problem, .duplicateSlug(slug: "Kepuri", otherPath: "content/reports/a/kepuri.md"))
        }
    }

    func testSlugsDifferingOnlyInCaseCollide() {
        let site = makeSite()
        site.write("reports/a/KePuRi.md", report(["title: 甲", "date: 2023-09-16", "kind: 科普日"]))
        site.write("reports/b/kepuri.md", report(["title: 乙", "date: 2023-09-17", "kind: 科普日"]))
        XCTAssertEqual(site.load().printed, [
            "content/reports/b/kepuri.md:1:1: 错误: 报告名“kepuri”与 content/reports/a/KePuRi.md 重复，网页地址会冲突\n    请给其中一个文件（或文件夹）改名。",
        ])
    }

    // MARK: Photos

    func testPhotoThatDoesNotExist() {
        let site = makeSite()
        site.write("reports/a.jpg", "jpg")
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "photos: [a.jpg, nope.jpg]"]))
        site.write("reports/b.md", report(["title: 乙", "date: 2023-05-21", "kind: 科普日", "photos:", "  - a.jpg", "  - A.JPG", "  - sub"]))
        site.write("reports/sub/x.jpg", "x")
        XCTAssertEqual(site.load().printed, [
            "content/reports/a.md:5:17: 错误: 找不到照片 nope.jpg\n    照片路径相对于这篇报告所在的文件夹；请检查文件名和扩展名的大小写。",
            "content/reports/b.md:7:5: 错误: 找不到照片 A.JPG\n    照片路径相对于这篇报告所在的文件夹；请检查文件名和扩展名的大小写。",
            "content/reports/b.md:8:5: 错误: 找不到照片 sub\n    照片路径相对于这篇报告所在的文件夹；请检查文件名和扩展名的大小写。",
        ])
    }

    func testPhotoOutsideContent() {
        let site = makeSite()
        _ = site.writeOutside("outside.jpg", "secret")
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日", "photos: [../../etc/passwd]"]))
        site.write("reports/b.md", report(["title: 乙", "date: 2023-05-21", "kind: 科普日", "photos:", "  - /etc/passwd",
                                          "  - ../../outside.jpg", "  - C:\\photos\\a.jpg", "  - https://a.cn/x.jpg"]))
        XCTAssertEqual(site.load().printed, [
            "content/reports/a.md:5:10: 错误: 照片 ../../etc/passwd 不在 content 文件夹内\n    把照片放到报告旁边（同一文件夹），用文件名引用。",
            "content/reports/b.md:6:5: 错误: 照片 /etc/passwd 不在 content 文件夹内\n    把照片放到报告旁边（同一文件夹），用文件名引用。",
            "content/reports/b.md:7:5: 错误: 照片 ../../outside.jpg 不在 content 文件夹内\n    把照片放到报告旁边（同一文件夹），用文件名引用。",
            "content/reports/b.md:8:5: 错误: 照片 C:\\photos\\a.jpg 不在 content 文件夹内\n    把照片放到报告旁边（同一文件夹），用文件名引用。",
            "content/reports/b.md:9:5: 错误: 照片 https://a.cn/x.jpg 不在 content 文件夹内\n    把照片放到报告旁边（同一文件夹），用文件名引用。",
        ])
    }

    func testPhotoElsewhereInsideContentIsFine() throws {
        let site = makeSite()
        site.write("static/photos/shared.jpg", "x")
        site.write("reports/2023/05/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日",
                                                   "photos: [../../../static/photos/shared.jpg]"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.report("a")?.photos.map(\.contentPath), ["static/photos/shared.jpg"])
    }

    func testSymlinkPointingOutsideContent() throws {
        let site = makeSite()
        let outside = site.writeOutside("outside.jpg", "secret")
        site.symlink("reports/link.jpg", to: outside)
        site.write("reports/real.jpg", "ok")
        site.symlink("reports/inside.jpg", to: site.content + "/reports/real.jpg")
        site.symlink("reports/folder", to: site.base)
        site.write("reports/a.md", report(["title: 甲", "date: 2023-05-20", "kind: 科普日",
                                          "photos: [inside.jpg, link.jpg, folder/outside.jpg]"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [
            "content/reports/a.md:5:22: 错误: 照片 link.jpg 不在 content 文件夹内\n    把照片放到报告旁边（同一文件夹），用文件名引用。",
            "content/reports/a.md:5:32: 错误: 照片 folder/outside.jpg 不在 content 文件夹内\n    把照片放到报告旁边（同一文件夹），用文件名引用。",
            // The link itself is named too (LinkAndBundleTests): it is never read.
            "content/reports/link.jpg:1:1: 错误: content/reports/link.jpg 是指向 content 文件夹以外的链接，为安全起见没有读取\n    把文件本身复制到 content 文件夹里，不要用快捷方式或链接。",
        ])
        XCTAssertEqual(result.report("a")?.photos.map(\.contentPath), ["reports/inside.jpg", "", ""])
    }

    // MARK: Language, sorting, many errors at once

    func testEnglishSite() throws {
        let site = makeSite(siteYAML: "title: Test\nunit: Association\nlanguage: en\n")
        site.write("reports/a.md", report(["title: A", "date: 2023-02-30", "kind: 科普日", "audiance: 5"]))
        site.writeBytes("reports/b.md", Array("---\ntitle: ".utf8) + Self.gbk标题 + Array("\n---\n".utf8))
        site.write("reports/c.md", report(["title: Science Day: open house", "date: 2023-05-20", "kind: 科普日"]))
        let result = site.load()
        XCTAssertEqual(result.language, .en)
        XCTAssertEqual(result.diagnostics.map { $0.formatted(result.language) }, [
            "content/reports/a.md:3:7: error: date is not a day of the calendar: \"2023-02-30\"\n    check the month and the day",
            "content/reports/a.md:5:1: error: the field name audiance is misspelt; it feeds a figure and cannot be ignored\n    did you mean audience?",
            "content/reports/b.md:2:8: error: the file is not UTF-8 (it looks like GBK/GB18030 or another legacy encoding)\n    open it in your editor and save it again with the encoding set to UTF-8",
            "content/reports/c.md:2:19: error: this value contains `: `, which YAML reads as a new key\n    put the value in double quotes: title: \"Science Day: open house\"",
        ])
    }

    func testEnglishSiteWithErrorsInSiteYAMLStillSpeaksEnglish() {
        let site = makeSite(siteYAML: "language: en\nunit: Association\nexample: maybe\n")
        let result = site.load()
        XCTAssertEqual(result.language, .en)
        XCTAssertEqual(result.diagnostics.map { $0.formatted(result.language) }, [
            "content/site.yaml:1:1: error: missing required field title\n    add a line `title: …` to the front matter",
            "content/site.yaml:3:10: error: example must be true or false, not \"maybe\"",
        ])
    }

    func testDiagnosticsSortedByPathThenLineAndAllReported() {
        let site = makeSite()
        site.write("site.yaml", "title: 站点\nunit: 科协\nhtml: 也许\n")
        site.write("reports/b.md", report(["title: 乙", "date: 2023-05-20", "kind: 科普日", "audience: -1", "spend: -5"]))
        site.write("reports/a.md", report(["title: 甲", "date: 2023-02-30", "kind: 科普日", "audiance: 1", "spend: 1.001"]))
        site.write("projects/p2023.md", TestSite.project2023.replacingOccurrences(of: "budget: 2万元", with: "budget: 2万元\nbudgte: 1"))
        site.write("led/x.md", "title: 无前置信息\n")
        let result = site.load()
        XCTAssertEqual(result.diagnostics.map { "\($0.path):\($0.line):\($0.column)" }, [
            "content/led/x.md:1:1",
            "content/projects/p2023.md:6:1",
            "content/reports/a.md:3:7",
            "content/reports/a.md:5:1",
            "content/reports/a.md:6:8",
            "content/reports/b.md:5:11",
            "content/reports/b.md:6:8",
            "content/site.yaml:3:7",
        ])
        // audiance and budgte feed figures: errors too.
        XCTAssertEqual(result.errors.count, 8)
        XCTAssertEqual(result.warnings.count, 0)
    }

    func testLoadingIsDeterministic() {
        let site = makeSite()
        for i in 0..<40 {
            site.write("reports/r\(i).md", report(["title: 甲", "date: 2023-05-\(10 + i % 18)", "kind: 科普日", "audience: -\(i)"]))
        }
        let first = site.load().printed
        XCTAssertEqual(first.count, 40)
        for _ in 0..<3 { XCTAssertEqual(site.load().printed, first) }
    }
}
