import Foundation
import KepuAuthoring
import KepuContent
import KepuCore
import KepuTestSupport
import XCTest

/// `kepu new report`: a content tree in a temporary folder, a new report, and what `kepu check` says of it.
final class NewReportTests: XCTestCase {
    var base: String!
    var content: String { base + "/content" }
    var theme: String { base + "/theme" }

    static let repositoryRoot = KepuTestSupport.repositoryRoot

    static let project2023 = """
        ---
        name: 2023年科普经费
        unit: 测试区科协
        year: 2023
        budget: 2万元
        kinds: [科技周, 科普日, 进社区, 反邪教, 设备]
        ---
        项目说明。

        """

    override func setUp() {
        base = NSTemporaryDirectory() + "kepu-new-" + UUID().uuidString
        write("content/site.yaml", "title: 测试站点\nunit: 测试区科协\n")
        write("content/projects/p2023.md", Self.project2023)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: base) }

    func write(_ relative: String, _ text: String) {
        let full = base + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Writes a sentence of body text into a new report: until then it is unwritten, an error (issue 13).
    func writeBody(_ path: String) {
        try! Data((read(path) + "活动在斗南街道举行。\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Every report file under content/reports given a body.
    func writeBodies() {
        for f in FileManager.default.enumerator(atPath: content + "/reports")?.allObjects as? [String] ?? [] where f.hasSuffix(".md") {
            writeBody(content + "/reports/" + f)
        }
    }

    func request(_ title: String, kind: String? = "科普日", date: String = "2023-09-16", slug: String? = nil,
                 project: String? = nil) -> NewReport.Request {
        NewReport.Request(title: title, kind: kind, date: try! Day.parse(date), slug: slug, project: project,
                          contentDirectory: content, themeDirectory: theme)
    }

    func failure(_ r: NewReport.Request) -> NewReport.Failure? {
        do {
            _ = try NewReport.create(r)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Slugs

    func testChineseTitleGetsStableASCIISlugFromItsKind() {
        let title = "2023年全国科普日呈贡区主场活动"
        let slug = NewReport.derivedSlug(title: title, kind: "科普日")
        XCTAssertEqual(slug, "kepuri")
        XCTAssertEqual(NewReport.derivedSlug(title: title, kind: "科普日"), slug, "same title, same slug")
        XCTAssertTrue(NewReport.isValidSlug(slug))
        XCTAssertEqual(NewReport.derivedSlug(title: "科技三下乡活动", kind: "科技三下乡"), "sanxiaxiang")
        XCTAssertEqual(NewReport.derivedSlug(title: "第38届青少年科技创新大赛", kind: "青少年科技创新大赛"), "chuangxin")
        XCTAssertEqual(NewReport.derivedSlug(title: "科普讲座", kind: "进社区"), "jinshequ")
    }

    func testSlugFromASCIIWordsOrKindNamedInTitleOrReport() {
        XCTAssertEqual(NewReport.derivedSlug(title: "LED大屏更新", kind: "设备"), "led")
        XCTAssertEqual(NewReport.derivedSlug(title: "2023年 VR 科普体验 Day", kind: nil), "vr-day")
        // No kind given, but the title names one.
        XCTAssertEqual(NewReport.derivedSlug(title: "5月进学校宣讲", kind: nil), "jinxuexiao")
        // A kind outside the table, a title with no ASCII words: never empty.
        XCTAssertEqual(NewReport.derivedSlug(title: "防灾减灾宣传", kind: "防灾减灾"), "report")
        XCTAssertEqual(NewReport.derivedSlug(title: "2023年", kind: nil), "report")
        for title in ["科普日", "！！！", "a", "ÄÖÜ", "2023", String(repeating: "word ", count: 40)] {
            let s = NewReport.derivedSlug(title: title, kind: nil)
            XCTAssertTrue(NewReport.isValidSlug(s), "\(title) → \(s)")
        }
    }

    func testTitleHashIsShortStableHex() {
        let h = NewReport.titleHash("2023年全国科普日")
        XCTAssertEqual(h.count, 6)
        XCTAssertEqual(h, NewReport.titleHash("2023年全国科普日"))
        XCTAssertNotEqual(h, NewReport.titleHash("2023年全国科普日 "))
        XCTAssertTrue(h.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    func testSlugValidation() {
        for good in ["kepuri", "kepuri-douna", "2023", "a1-b2-c3"] { XCTAssertTrue(NewReport.isValidSlug(good), good) }
        for bad in ["", "Kepuri", "kepu ri", "kepu_ri", "-kepuri", "kepuri-", "kepu--ri", "科普日", "../x", "a/b", "kepuri.md"] {
            XCTAssertFalse(NewReport.isValidSlug(bad), bad)
        }
        XCTAssertEqual(failure(request("科普日", slug: "Bad Slug")), .invalidSlug("Bad Slug"))
    }

    // MARK: Writing

    func testWritesReportThatPassesCheck() throws {
        let title = "2023年全国科普日: 走进“斗南” #1 \"主场\""
        let created = try NewReport.create(request(title))
        XCTAssertEqual(created.path, content + "/reports/2023/09/2023-09-16-kepuri.md")
        XCTAssertEqual(created.slug, "2023-09-16-kepuri")
        XCTAssertEqual(created.project, "p2023")
        XCTAssertEqual(created.template, "built-in")
        let text = read(created.path)
        XCTAssertTrue(text.contains("date: 2023-09-16\n"), text)
        XCTAssertTrue(text.contains("kind: \"科普日\"\n"))
        XCTAssertTrue(text.contains("project: \"p2023\"\n"))
        XCTAssertTrue(text.contains("# 服务人次"), "fields are explained in Chinese")

        // Left as written it is not published: the body is still the template's note.
        XCTAssertEqual(ContentLoader.load(contentDirectory: content).errors.map(\.problem), [.reportUnwritten])
        // With a body, what `kepu check` would say: nothing, and the title comes back exactly.
        writeBody(created.path)
        let loaded = ContentLoader.load(contentDirectory: content)
        XCTAssertEqual(loaded.diagnostics, [], loaded.diagnostics.map { $0.formatted(.zhCN) }.joined(separator: "\n"))
        let report = try XCTUnwrap(loaded.content?.reports.first { $0.slug == "2023-09-16-kepuri" })
        XCTAssertEqual(report.title, title)
        XCTAssertEqual(report.kind, "科普日")
        XCTAssertEqual(report.projectID, "p2023")
        XCTAssertEqual(report.audience, 0)
        XCTAssertEqual(report.activities, 1)
        XCTAssertFalse(report.draft)
    }

    func testEveryFieldIsInTheTemplate() throws {
        let created = try NewReport.create(request("字段齐全"))
        let text = read(created.path)
        for key in ["title", "date", "kind", "project", "venue", "audience", "activities", "spend", "satisfaction",
                    "photos", "tags", "draft", "summary"] {
            XCTAssertTrue(text.contains("\n" + key + ":"), key)
        }
    }

    func testFilledInTemplatePassesCheck() throws {
        let created = try NewReport.create(request("填好的报告"))
        var text = read(created.path)
        text = text.replacingOccurrences(of: "venue:\n", with: "venue: 斗南街道\n")
        text = text.replacingOccurrences(of: "audience:\n", with: "audience: 320\n")
        text = text.replacingOccurrences(of: "#  - {item: 展板制作", with: "  - {item: 展板制作")
        text = text.replacingOccurrences(of: "satisfaction:\n", with: "satisfaction: {surveyed: 30, satisfied: 29}\n")
        text += "活动在斗南街道举行。\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: created.path))
        let loaded = ContentLoader.load(contentDirectory: content)
        XCTAssertEqual(loaded.errors, [], loaded.diagnostics.map { $0.formatted(.zhCN) }.joined(separator: "\n"))
        let report = try XCTUnwrap(loaded.content?.reports.first)
        XCTAssertEqual(report.audience, 320)
        XCTAssertEqual(report.totalSpend, Money(fen: 186_050))
    }

    func testWithoutKindTheFileAsksForIt() throws {
        let created = try NewReport.create(request("科普讲座", kind: nil))
        XCTAssertTrue(created.path.hasSuffix("/2023-09-16-report.md"), created.path)
        let loaded = ContentLoader.load(contentDirectory: content)
        XCTAssertEqual(loaded.errors.map(\.problem), [.missingField(key: "kind"), .reportUnwritten])
    }

    func testNeverOverwrites() throws {
        let first = try NewReport.create(request("2023年全国科普日主场活动"))
        let edited = read(first.path).replacingOccurrences(of: "venue:\n", with: "venue: 斗南\n")
        try Data(edited.utf8).write(to: URL(fileURLWithPath: first.path))
        // The same title again: the same file, refused.
        XCTAssertEqual(failure(request("2023年全国科普日主场活动")), .reportExists(path: first.path))
        // An explicit slug naming the same file: refused.
        XCTAssertEqual(failure(request("另一个标题", slug: "kepuri")), .reportExists(path: first.path))
        XCTAssertEqual(read(first.path), edited)
        // Even a file that is no report at all is left alone: the new one gets its own name.
        try Data("staff wrote this".utf8).write(to: URL(fileURLWithPath: first.path))
        let second = try NewReport.create(request("2023年全国科普日主场活动"))
        XCTAssertNotEqual(second.path, first.path)
        XCTAssertEqual(read(first.path), "staff wrote this")
    }

    /// The first file still unfilled and without a kind does not load as a report; the second run with the same
    /// title must still find it (issue 13: it used to write `…-report-<hash>.md`).
    func testTheSameTitleAgainFindsAnUnfilledFirstFile() throws {
        let first = try NewReport.create(request("科普讲座", kind: nil))
        XCTAssertEqual(failure(request("科普讲座", kind: nil)), .reportExists(path: first.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: content + "/reports/2023/09"), ["2023-09-16-report.md"])
    }

    func testAnotherTitleOnTheSameDayGetsAHashSuffix() throws {
        let first = try NewReport.create(request("2023年全国科普日主场活动"))
        let second = try NewReport.create(request("2023年全国科普日分会场活动"))
        let suffix = NewReport.titleHash("2023年全国科普日分会场活动")
        XCTAssertEqual(second.slug, "2023-09-16-kepuri-" + suffix)
        XCTAssertNotEqual(first.path, second.path)
        XCTAssertEqual(failure(request("2023年全国科普日分会场活动")), .reportExists(path: second.path))
        writeBodies()
        let loaded = ContentLoader.load(contentDirectory: content)
        XCTAssertEqual(loaded.errors, [])
        XCTAssertEqual(loaded.content?.reports.count, 2)
    }

    func testSlugTakenByAReportElsewhereIsRefused() throws {
        // Slugs are unique across folders: a bundle with the same name in another month counts.
        write("content/reports/misc/2023-09-16-douna/index.md", "---\ntitle: x\ndate: 2023-09-16\nkind: 科普日\n---\n")
        XCTAssertEqual(failure(request("斗南", slug: "douna")),
                       .slugTaken(slug: "2023-09-16-douna", path: content + "/reports/misc/2023-09-16-douna/index.md"))
    }

    func testSlugDifferingOnlyInCaseIsTaken() throws {
        // The loader counts 2023-09-16-Douna and 2023-09-16-douna as one slug, so `new` must too.
        write("content/reports/misc/2023-09-16-Douna.md", "---\ntitle: x\ndate: 2023-09-16\nkind: 科普日\n---\n")
        XCTAssertEqual(failure(request("斗南", slug: "douna")),
                       .slugTaken(slug: "2023-09-16-douna", path: content + "/reports/misc/2023-09-16-Douna.md"))
    }

    // MARK: Projects

    func testDateOutsideEveryProjectIsAnError() {
        let f = failure(request("科普日", date: "2021-09-18"))
        XCTAssertEqual(f, .noProjectForDate(date: "2021-09-18", brokenProjects: []))
        XCTAssertTrue(f!.message(.zhCN).contains("日期 2021-09-18 不属于任何项目的年度"), f!.message(.zhCN))
        XCTAssertFalse(FileManager.default.fileExists(atPath: content + "/reports/2021"))
    }

    func testBrokenProjectFileIsNamedWhenNoProjectFits() {
        write("content/projects/p2024.md", "---\nname: 2024\nyear: 2024\nbudget: -1\n---\n")
        let f = failure(request("科普日", date: "2024-09-18"))
        XCTAssertEqual(f, .noProjectForDate(date: "2024-09-18", brokenProjects: ["content/projects/p2024.md"]))
    }

    func testSeveralProjectsInTheYearNeedProject() throws {
        write("content/projects/q2023.md", Self.project2023.replacingOccurrences(of: "2023年科普经费", with: "另一项目"))
        XCTAssertEqual(failure(request("科普日")), .ambiguousProject(date: "2023-09-16", ids: ["p2023", "q2023"]))
        XCTAssertTrue(failure(request("科普日"))!.message(.zhCN).contains("p2023、q2023"))
        let created = try NewReport.create(request("科普日", project: "q2023"))
        XCTAssertEqual(created.project, "q2023")
        XCTAssertTrue(read(created.path).contains("project: \"q2023\"\n"))
        writeBody(created.path)
        XCTAssertEqual(ContentLoader.load(contentDirectory: content).errors, [])
        XCTAssertEqual(failure(request("科普日2", project: "nope")), .unknownProject(id: "nope", known: ["p2023", "q2023"]))
    }

    func testKindOutsideTheProjectsListIsRefused() {
        XCTAssertEqual(failure(request("培训班", kind: "培训")),
                       .kindNotListed(kind: "培训", project: "p2023", kinds: ["科技周", "科普日", "进社区", "反邪教", "设备"]))
    }

    // MARK: Templates

    func testContentArchetypeWinsOverTheTheme() throws {
        write("theme/archetypes/report.md", "---\ntitle: {{title}}\ndate: {{date}}\nkind: {{kind}}\n# theme\n---\n")
        write("content/archetypes/report.md", "---\ntitle: {{title}}\ndate: {{date}}\nkind: {{kind}}\nproject: {{project}}\n# content\n---\n正文\n")
        let created = try NewReport.create(request("模板"))
        XCTAssertEqual(created.template, content + "/archetypes/report.md")
        XCTAssertTrue(read(created.path).contains("# content"))
        XCTAssertEqual(ContentLoader.load(contentDirectory: content).errors, [])
    }

    func testThemeArchetypeIsUsedAndMatchesTheBuiltInCopy() throws {
        let shipped = read(Self.repositoryRoot + "/theme/archetypes/report.md")
        XCTAssertEqual(shipped, NewReport.builtInTemplate, "theme/archetypes/report.md and NewReport.builtInTemplate differ")
        write("theme/archetypes/report.md", shipped)
        let created = try NewReport.create(request("主题模板"))
        XCTAssertEqual(created.template, theme + "/archetypes/report.md")
        let noTheme = NewReport.Request(title: "内置模板", kind: "科普日", date: try Day.parse("2023-09-17"),
                                        contentDirectory: content, themeDirectory: base + "/nowhere")
        let builtIn = try NewReport.create(noTheme)
        XCTAssertEqual(builtIn.template, "built-in")
        writeBodies()
        XCTAssertEqual(ContentLoader.load(contentDirectory: content).errors, [])
    }

    func testYAMLQuotingKeepsAnyTitle() {
        XCTAssertEqual(NewReport.yamlQuoted("a: b"), "\"a: b\"")
        XCTAssertEqual(NewReport.yamlQuoted("say \"hi\" \\ now"), "\"say \\\"hi\\\" \\\\ now\"")
        XCTAssertEqual(NewReport.yamlQuoted("tab\there"), "\"tab\\there\"")
        XCTAssertEqual(NewReport.yamlQuoted("\u{1}"), "\"\\u0001\"")
    }

    func testMissingContentFolder() {
        let r = NewReport.Request(title: "x", date: try! Day.parse("2023-01-01"), contentDirectory: base + "/none")
        XCTAssertEqual(failure(r), .missingContentFolder(base + "/none"))
    }

    func testEmptyTitle() {
        XCTAssertEqual(failure(request("   ")), .emptyTitle)
    }
}
