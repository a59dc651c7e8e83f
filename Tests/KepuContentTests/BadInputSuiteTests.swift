import Foundation
import KepuCore
@testable import KepuContent
import XCTest

/// The bad-input suite of the Robustness issue (#8 §1): each case a small content tree and the exact
/// diagnostic it must produce, every load bounded in time so a hang fails instead of stalling CI.
///
/// Cases already asserted exactly elsewhere are not repeated here: BOM, CRLF, GBK/GB18030, UTF-16 LE
/// with a BOM, NUL in front matter, an empty file, unterminated front matter, a block list, simple
/// aliases, 20 levels of nesting, 64 KB of front matter, negative audience, 2023-02-30, 23-5-20, two
/// slugs in different folders, a report in no project, photos `../../etc/passwd`, `/etc/passwd` and
/// symlinks out of content/ (HygieneTests, DecodingTests, LinkAndBundleTests). File names with spaces
/// and Chinese are built end to end in KepuBuildTests/BadInputBuildTests.
final class BadInputSuiteTests: SiteTestCase {
    static let utf16 = "错误: 文件是 UTF-16（Unicode）编码，Kepu 只读 UTF-8\n    用记事本打开此文件，选“另存为”，把“编码”改为 UTF-8 后保存。"
    static let nul = "错误: 文件中有空字符（NUL），不是纯文本文件\n    请确认这是用文本编辑器保存的 .md 文件，而不是 Word 等文档改了扩展名。"
    static let notUTF8 = "错误: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 等旧编码），读出来会是乱码\n    用记事本打开此文件，选“另存为”，把“编码”改为 UTF-8 后保存。"
    static let notAMap = "错误: 前置信息应是一行一个“字段: 值”\n    例如 title: 科普日活动；不要以 - 开头写成列表。"
    static let aliases = "错误: 前置信息中不支持 YAML 锚点和别名（& 与 *）\n    把引用的内容直接写出来。"
    static let tooDeep = "错误: 前置信息嵌套层数过多\n    前置信息最多只需要三层缩进，请检查括号和缩进。"
    static let tooLarge = "错误: 前置信息过长（超过 64 KB）\n    前置信息只放字段，长文字请写在第二个 --- 之后的正文里。"
    static let head = ["title: 甲", "date: 2023-05-20", "kind: 科普日"]

    /// Loads `bytes` as content/reports/a.md of a standard site on another thread and waits at most
    /// `seconds`: a hang is a failure with a name, not a stuck CI job.
    func bounded(_ bytes: [UInt8], seconds: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let site = makeSite()
        site.writeBytes("reports/a.md", bytes)
        let box = PrintedBox()
        let done = DispatchSemaphore(value: 0)
        let started = Date()
        let folder = site.content
        Thread {
            box.value = ContentLoader.load(contentDirectory: folder).printed
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + seconds) == .success else {
            XCTFail("loading did not finish within \(seconds) s", file: file, line: line)
            return ["<timed out>"]
        }
        box.elapsed = Date().timeIntervalSince(started)
        lastElapsed = box.elapsed
        return box.value
    }

    func bounded(_ text: String, seconds: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        bounded(Array(text.utf8), seconds: seconds, file: file, line: line)
    }

    var lastElapsed: Double = 0

    // MARK: Encoding

    func testUTF16BigEndianAndWithoutBOM() {
        // "---\n" in UTF-16 BE with its BOM, and in UTF-16 LE as some tools write it without one.
        XCTAssertEqual(bounded([0xFE, 0xFF, 0x00, 0x2D, 0x00, 0x2D, 0x00, 0x2D, 0x00, 0x0A]), ["content/reports/a.md:1:1: " + Self.utf16])
        XCTAssertEqual(bounded([0x2D, 0x00, 0x2D, 0x00, 0x2D, 0x00, 0x0A, 0x00, 0x74, 0x00]), ["content/reports/a.md:1:1: " + Self.utf16])
        XCTAssertEqual(bounded([0x00, 0x2D, 0x00, 0x2D, 0x00, 0x2D, 0x00, 0x0A, 0x00, 0x74]), ["content/reports/a.md:1:1: " + Self.utf16])
    }

    func testNulInTheBodyIsNamedAtItsLine() {
        let text = report(Self.head, body: "正文\n\n第二\u{0}段\n")
        XCTAssertEqual(bounded(text), ["content/reports/a.md:8:3: " + Self.nul])
    }

    func testInvalidUTF8InTheMiddleOfABody() {
        // A stray byte, a sequence cut short, an overlong encoding and a UTF-16 surrogate in UTF-8 form:
        // each named at the line and column (in characters) of its first bad byte.
        let before = Array(report(Self.head, body: "第一行\n\n活动abc").utf8)
        XCTAssertEqual(bounded(before + [0xFF] + Array("def\n".utf8)), ["content/reports/a.md:8:6: " + Self.notUTF8])
        XCTAssertEqual(bounded(before + [0xE4, 0xB8] + Array("\n后文\n".utf8)), ["content/reports/a.md:8:6: " + Self.notUTF8])
        XCTAssertEqual(bounded(before + [0xC0, 0xAF] + Array("\n".utf8)), ["content/reports/a.md:8:6: " + Self.notUTF8])
        XCTAssertEqual(bounded(before + [0xED, 0xA0, 0x80] + Array("\n".utf8)), ["content/reports/a.md:8:6: " + Self.notUTF8])
        // Cut short at the very end of the file.
        XCTAssertEqual(bounded(Array(report(Self.head, body: "结尾").utf8) + [0xE4]), ["content/reports/a.md:6:3: " + Self.notUTF8])
    }

    // MARK: Front matter shape

    func testEmptyFrontMatter() {
        let missing = ["title", "date", "kind"].map { "content/reports/a.md:2:1: 错误: 缺少必填字段 \($0)\n    在前置信息中加一行 \($0): …" }
        XCTAssertEqual(bounded("---\n---\n"), missing)
        XCTAssertEqual(bounded("---\r\n---\r\n正文\r\n"), missing)
        XCTAssertEqual(bounded("---\n\n   \n---\n正文\n"), missing)
    }

    func testAListOrAScalarInsteadOfAMap() {
        XCTAssertEqual(bounded("---\n[title, date, kind]\n---\n正文\n"), ["content/reports/a.md:2:1: " + Self.notAMap])
        XCTAssertEqual(bounded("---\n- 甲\n- 乙\n---\n"), ["content/reports/a.md:2:1: " + Self.notAMap])
        XCTAssertEqual(bounded("---\n科普日活动\n---\n正文\n"), ["content/reports/a.md:2:1: " + Self.notAMap])
    }

    func testBillionLaughsIsRefusedQuickly() {
        // Nine levels of nine aliases each: 387 million strings if expanded.
        var lines = Self.head + ["a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        let names = Array("abcdefghij")
        for i in 1..<10 {
            let p = names[i - 1], c = names[i]
            lines.append("\(c): &\(c) [" + Array(repeating: "*\(p)", count: 9).joined(separator: ", ") + "]")
        }
        XCTAssertEqual(bounded(report(lines), seconds: 10), ["content/reports/a.md:5:4: " + Self.aliases])
        XCTAssertLessThan(lastElapsed, 5)
        // The alias used as a key's value, in flow style, and a merge key.
        XCTAssertEqual(bounded(report(Self.head + ["tags: &x [a, b]", "venue: *x"])), ["content/reports/a.md:5:7: " + Self.aliases])
        XCTAssertEqual(bounded(report(Self.head + ["spend: {<<: *m}"])), ["content/reports/a.md:5:13: " + Self.aliases])
    }

    func testQuotedTextThatLooksLikeAnAliasIsText() {
        // Fuzzing found `'''k: *a'''` refused as an alias: `''` is an escaped quote, not the end of the text.
        XCTAssertEqual(bounded(report(Self.head + ["venue: '''科协: *大厅'''"])), [])
        XCTAssertEqual(bounded(report(Self.head + ["venue: \"甲\\\" 乙: *丙\""])), [])
        // A quoted scalar over two lines: the second line is inside it.
        XCTAssertEqual(bounded(report(Self.head + ["venue: \"科协", "  大厅: *一楼\""])), [])
        // After the quote closes, an alias is an alias again.
        XCTAssertEqual(bounded(report(Self.head + ["venue: '甲''乙'", "tags: *x"])), ["content/reports/a.md:6:7: " + Self.aliases])
    }

    func testTenThousandBracketsAndBraces() {
        for opener in ["[", "{"] {
            let text = report(Self.head + ["tags: " + String(repeating: opener, count: 10_000)])
            XCTAssertEqual(bounded(text, seconds: 10), ["content/reports/a.md:5:23: " + Self.tooDeep], opener)
            XCTAssertLessThan(lastElapsed, 5)
        }
        // Deep block indentation, a line per level: named at the line and column of level 17 (x16).
        let nested = (0..<40).map { String(repeating: "  ", count: $0) + "x\($0):" }
        XCTAssertEqual(bounded(report(Self.head + ["spend:"] + nested.map { "  " + $0 })), ["content/reports/a.md:22:35: " + Self.tooDeep])
    }

    func testFiveMegabyteFrontMatterIsRefusedFast() {
        let summary = "summary: " + String(repeating: "长", count: 5 * 1024 * 1024 / 3)
        XCTAssertEqual(bounded(report(Self.head + [summary]), seconds: 10), ["content/reports/a.md:2:1: " + Self.tooLarge])
        XCTAssertLessThan(lastElapsed, 1, "5 MB of front matter took \(lastElapsed) s")
        // 5 MB in 90,000 short lines, and the same without its closing fence.
        let many = (0..<90_000).map { "k\($0): " + String(repeating: "x", count: 50) }
        XCTAssertEqual(bounded(report(Self.head + many), seconds: 10), ["content/reports/a.md:2:1: " + Self.tooLarge])
        XCTAssertLessThan(lastElapsed, 1, "90,000 lines of front matter took \(lastElapsed) s")
        XCTAssertEqual(bounded("---\n" + (Self.head + many).joined(separator: "\n") + "\n", seconds: 10), [
            "content/reports/a.md:1:1: 错误: 前置信息没有结束：找不到结束的 --- 行\n    在最后一个字段之后加单独一行 ---，正文写在它下面。",
        ])
        XCTAssertLessThan(lastElapsed, 1)
    }

    // MARK: Values

    func testPeopleThatAreNotAWholeNumber() {
        func notWhole(_ found: String) -> String {
            "content/reports/a.md:5:11: 错误: audience 应是不小于 0 的整数，这里写的是“\(found)”\n    请用阿拉伯数字，例如 audience: 120。"
        }
        for found in ["1e30", "NaN", ".nan", ".inf", "-.inf", "一千", "1_000"] {
            XCTAssertEqual(bounded(report(Self.head + ["audience: " + found])), [notWhole(found)], found)
        }
        XCTAssertEqual(bounded(report(Self.head + ["audience: 1000000000000000000000000000000"])), [
            "content/reports/a.md:5:11: 错误: audience 的数值“1000000000000000000000000000000”太大，不像是真实数据\n    请核对数字是否多写了位数。",
        ])
    }

    func testMoneyThatIsNotAnAmount() {
        func notAmount(_ found: String, _ key: String = "spend", column: Int = 8) -> String {
            "content/reports/a.md:5:\(column): 错误: \(key) 不是金额：“\(found)”\n    金额可写成 1800、1800.50、\"1,800.50\"、\"¥1,800.50\"、\"1800元\" 或 \"0.18万\"。"
        }
        func negative(_ found: String) -> String {
            "content/reports/a.md:5:8: 错误: spend 不能是负数：“\(found)”\n    退款或冲销请在说明中写明，金额写实际支出。"
        }
        for found in [".nan", "NaN", "1e30", "一千元", ".inf"] {
            XCTAssertEqual(bounded(report(Self.head + ["spend: " + found])), [notAmount(found)], found)
        }
        for found in ["-¥1,800.50", "\"-1800元\"", "-0.01", "\"-0.5万\""] {
            let shown = found.replacingOccurrences(of: "\"", with: "")
            XCTAssertEqual(bounded(report(Self.head + ["spend: " + found])), [negative(shown)], found)
        }
        XCTAssertEqual(bounded(report(Self.head + ["spend: \"1800.505元\""])), [
            "content/reports/a.md:5:8: 错误: spend 精确到分即可，“1800.505元”的小数位太多\n    金额最多两位小数（到分），例如 1800.50。",
        ])
        XCTAssertEqual(bounded(report(Self.head + ["spend: 0.1234567万"])), [
            "content/reports/a.md:5:8: 错误: spend 精确到分即可，“0.1234567万”的小数位太多\n    金额最多两位小数（到分），例如 1800.50。",
        ])
    }

    func testSpendingThatWouldOverflowTheTotals() {
        // Each amount is below the limit of one amount (a trillion yuan); their sums are not. 40 files of 3,000
        // such amounts overflowed Int64 in the ledger and crashed the build.
        let big = "1000000000000元"
        XCTAssertEqual(bounded(report(Self.head + ["spend: [\"\(big)\", 1]"])), [
            "content/reports/a.md:5:8: 错误: spend 的金额“1000000000001.00”太大\n    请核对是否多写了位数。",
        ])
        let site = makeSite()
        let items = Array(repeating: "  - " + big, count: 3000)
        for i in 0..<40 { site.write("reports/r\(i).md", report(Self.head + ["spend:"] + items)) }
        let printed = site.load().printed
        XCTAssertEqual(printed, [
            "content/reports/r0.md:6:3: 错误: spend 的金额“2000000000000.00”太大\n    请核对是否多写了位数。",
        ])
        // Two reports whose amounts together cross the limit: named on the later one, with the total reached.
        let other = makeSite()
        other.write("reports/s.md", report(["title: 乙", "date: 2023-06-20", "kind: 科普日", "spend: 600000000000"]))
        other.write("reports/t.md", report(["title: 丙", "date: 2023-06-21", "kind: 科普日", "spend: 500000000000"]))
        XCTAssertEqual(other.load().printed, [
            "content/reports/t.md:5:8: 错误: spend 的金额“1100000000000.00”太大\n    请核对是否多写了位数。",
        ])
    }

    func testDatesAndKindsAsStaffMistypeThem() {
        XCTAssertEqual(bounded(report(["title: 甲", "date: 23-5-1", "kind: 科普日"])), [
            "content/reports/a.md:3:7: 错误: date 不是日期：“23-5-1”\n    日期写成 年-月-日，年份四位，例如 2023-05-20。",
        ])
        XCTAssertEqual(bounded(report(["title: 甲", "date: \"2023-02-30\"", "kind: 科普日"])), [
            "content/reports/a.md:3:7: 错误: date 的日期“2023-02-30”不存在\n    请核对月份和日期，例如二月没有 30 日。",
        ])
        XCTAssertEqual(bounded(report(["title: 甲", "date: 2023-05-20", "kind: \"科普日 \""])), [
            "content/reports/a.md:4:7: 错误: 活动类型“科普日 ”前后有多余的空格\n    改为 kind: 科普日。",
        ])
        XCTAssertEqual(bounded(report(["title: 甲", "date: 2023-05-20", "kind: \"\u{3000}科普日\""])), [
            "content/reports/a.md:4:7: 错误: 活动类型“\u{3000}科普日”前后有多余的空格\n    改为 kind: 科普日。",
        ])
    }

    // MARK: Structure

    func testOneSlugInTwoFoldersAndAReportInNoProject() {
        let site = makeSite()
        site.write("reports/2023 上半年/科普日.md", report(["title: 甲", "date: 2023-09-16", "kind: 科普日"]))
        site.write("reports/归档/科普日/index.md", report(["title: 乙", "date: 2023-09-17", "kind: 科普日"]))
        site.write("reports/2020/旧活动.md", report(["title: 丙", "date: 2020-09-17", "kind: 科普日"]))
        XCTAssertEqual(site.load().printed, [
            "content/reports/2020/旧活动.md:3:7: 错误: 日期 2020-09-17 不属于任何项目的年度\n    请核对日期，或用 project: 指明所属项目。",
            "content/reports/归档/科普日/index.md:1:1: 错误: 报告名“科普日”与 content/reports/2023 上半年/科普日.md 重复，网页地址会冲突\n    请给其中一个文件（或文件夹）改名。",
        ])
    }
}

private final class PrintedBox: @unchecked Sendable {
    var value: [String] = []
    var elapsed: Double = 0
}

/// #8 §3: base_url reaches the Atom feed and the sitemap as a link, so it must not carry a script.
final class BaseURLTests: SiteTestCase {
    func testBaseURLThatCouldRunIsRefused() {
        func printed(_ value: String) -> [String] {
            makeSite(siteYAML: "title: 测试站点\nunit: 测试区科协\nbase_url: \(value)\n").load().printed
        }
        XCTAssertEqual(printed("\"javascript:alert(1)//\""), [
            "content/site.yaml:3:11: 错误: base_url 应是网址或路径，这里写的是“javascript:alert(1)//”\n    例如 base_url: \"/\"、\"/kepu/\" 或 \"https://kx.example.gov.cn/kepu/\"，不要有空格和引号。",
        ])
        XCTAssertEqual(printed("'https://x.cn/a\"><script>alert(1)</script>/'"), [
            "content/site.yaml:3:11: 错误: base_url 应是网址或路径，这里写的是“https://x.cn/a\"><script>alert(1)</script>/”\n    例如 base_url: \"/\"、\"/kepu/\" 或 \"https://kx.example.gov.cn/kepu/\"，不要有空格和引号。",
        ])
        XCTAssertEqual(printed("\"data:text/html,x\""), [
            "content/site.yaml:3:11: 错误: base_url 应是网址或路径，这里写的是“data:text/html,x”\n    例如 base_url: \"/\"、\"/kepu/\" 或 \"https://kx.example.gov.cn/kepu/\"，不要有空格和引号。",
        ])
        for fine in ["/", "/kepu", "https://kx.example.gov.cn/kepu/", "HTTP://kx.cn", "./", "kepu/", "//kx.cn/kepu/"] {
            XCTAssertEqual(printed("\"\(fine)\""), [], fine)
        }
    }
}
