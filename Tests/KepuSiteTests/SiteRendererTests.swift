import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuSite
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a visitor sees, on a small content tree: the figures equal the ledger, user text is escaped
/// everywhere, drafts appear nowhere, the example banner is on every page, links resolve.
final class SiteRendererTests: XCTestCase {
    static let evilTitle = #"Evil "quoted" <script>alert(1)</script>"#
    static let evilVenue = #"<script>venue()</script> "Hall""#
    static let evilTag = #"<script>tag()</script>"#
    static let evilItem = #"<script>item()</script> "posters""#

    static let files: [String: String] = [
        "site.yaml": """
        title: 测试区科协科普经费公开
        unit: 测试区科学技术协会
        example: true
        """,
        "projects/kp-2023.md": """
        ---
        name: 人均科普经费
        unit: 测试区科学技术协会
        year: 2023
        budget: "1万元"
        funding: 财政拨款
        basis: [科普法]
        goal: 开展科普活动
        plan: {科普日: 1, 进社区: 2}
        schedule:
          - {by: 2023-06-30, share: 50}
          - {by: 2023-12-31, share: 100}
        targets:
          - {name: 活动次数, level1: 产出指标, level2: 数量指标, metric: activities, op: ">=", value: 3, unit: 次}
          - {name: 服务人次, level1: 产出指标, level2: 数量指标, metric: audience, op: ">=", value: 1000, unit: 人次}
          - {name: 社会效益, level1: 效益指标, level2: 社会效益指标, metric: manual, op: "=", value: 90, unit: "%", actual: 部分达成, percent: 80}
          - {name: 群众满意, level1: 满意度指标, level2: 服务对象满意度指标, metric: satisfaction, op: ">=", value: 90, unit: "%"}
        ---
        项目说明。
        """,
        "reports/2023/evil.md": """
        ---
        title: '\(evilTitle)'
        date: 2023-05-20
        kind: 科普日
        venue: '\(evilVenue)'
        audience: 640
        spend:
          - {item: '\(evilItem)', amount: "1,234.56"}
          - {item: 展板, amount: 800}
        satisfaction: {surveyed: 100, satisfied: 93}
        tags: ['\(evilTag)', '"q"']
        photos: [nowhere.jpg]
        ---
        Body with <script>raw()</script> HTML and ![a missing photo](nowhere.jpg).
        """,
        // Listed and on disk, but not published (no processed copy is handed to the renderer).
        "reports/2023/nowhere.jpg": "jpeg",
        "reports/2023/shequ.md": """
        ---
        title: 进社区讲座
        date: 2023-08-02
        kind: 进社区
        venue: 幸福社区
        audience: 120
        spend: 300
        ---
        讲座。
        """,
        "reports/2023/draft.md": """
        ---
        title: SECRET-DRAFT-TITLE
        date: 2023-09-01
        kind: 进社区
        audience: 999
        spend: 5000
        draft: true
        ---
        SECRET-DRAFT-BODY
        """,
    ]

    var tree: ContentTree!
    var built: Built!
    let now = Day(year: 2023, month: 10, day: 1)!

    override func setUpWithError() throws {
        tree = try ContentTree(Self.files)
        built = try build(tree.root.path, now: now)
    }

    override func tearDown() { tree?.remove() }

    var project: ProjectLedger { built.ledger.projects[0] }

    func testWritesEveryKindOfPage() {
        let paths = Set(built.sink.files.keys)
        for p in ["index.html", "projects/kp-2023/index.html", "projects/kp-2023/evaluation/index.html",
                  "projects/kp-2023/spend/index.html", "projects/kp-2023/outreach/index.html", "reports/index.html",
                  "reports/2023/index.html", "reports/kind/科普日/index.html", "reports/2023/evil.html",
                  "reports/2023/shequ.html", "open-data/index.html", "404.html", "feed.xml", "sitemap.xml",
                  "robots.txt", "assets/site.css"] {
            XCTAssertTrue(paths.contains(p), "missing \(p)")
        }
        XCTAssertEqual(built.pages, built.htmlPaths.count - 1, "the count is of pages, 404.html aside")
        XCTAssertFalse(paths.contains { $0.hasPrefix("data/") || $0.hasPrefix("led/") }, "data/ and led/ belong to others")
    }

    func testHomeFiguresEqualTheLedger() {
        let home = built.text("index.html")
        let t = project.totals
        XCTAssertEqual(t.activities, 2)
        XCTAssertTrue(home.contains(">\(t.activities)次<"), "activities")
        XCTAssertTrue(home.contains(">\(t.audience)人次<"), "people: \(t.audience)")
        XCTAssertTrue(home.contains(yuan(t.spend)), "spend \(yuan(t.spend))")
        XCTAssertTrue(home.contains(yuan(project.project.budget)), "budget")
        XCTAssertTrue(home.contains(Figures.percent(project.execution.rate!)), "execution rate")
        XCTAssertTrue(home.contains("结余 " + yuan(project.budgetLeft)), "what is left of the budget")
        XCTAssertTrue(home.contains(Figures.percent(t.satisfaction!)), "satisfaction")
        XCTAssertTrue(home.contains(project.score.fixed(2)), "score")
        XCTAssertTrue(home.contains("自评预估"), "before the year ends the score is a forecast")
    }

    func testProjectAndEvaluationFiguresEqualTheLedger() {
        let p = project
        for path in ["projects/kp-2023/index.html", "projects/kp-2023/evaluation/index.html"] {
            let page = built.text(path)
            XCTAssertTrue(page.contains(p.score.fixed(2)), "\(path): total score")
            XCTAssertTrue(page.contains(yuan(p.totals.spend)), "\(path): spend")
            XCTAssertTrue(page.contains(p.execution.score.fixed(2)), "\(path): execution score")
            for ind in p.indicators {
                XCTAssertTrue(page.contains(">\(ind.score.fixed(2))<"), "\(path): score of \(ind.target.name)")
                XCTAssertTrue(page.contains(">\(ind.points.fixed(2))<"), "\(path): points of \(ind.target.name)")
                XCTAssertTrue(page.contains(ind.target.name), "\(path): row \(ind.target.name)")
            }
        }
        let sheet = built.text("projects/kp-2023/evaluation/index.html")
        for label in ["项目名称", "主管部门", "实施单位", "年初预算数", "全年预算数", "全年执行数", "执行率", "年度总体目标",
                      "预期目标", "实际完成情况", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值",
                      "偏差原因分析及改进措施", "总分", "其中：当年财政拨款", "上年结转资金", "其他资金", "评价结论", "存在问题",
                      "改进措施", "单位负责人", "财务负责人", "填表人", "联系电话", "填表日期"] {
            XCTAssertTrue(sheet.contains(label), "自评表 column \(label)")
        }
        XCTAssertTrue(sheet.contains(">100.00<"), "the points add up to 100")
        XCTAssertTrue(sheet.contains(">\(p.totals.audience)人次<"), "people measured")
        XCTAssertTrue(sheet.contains(">部分达成<"), "qualitative outcome")
        let spend = built.text("projects/kp-2023/spend/index.html")
        XCTAssertTrue(spend.contains(yuan(p.budgetLeft)), "budget left")
        XCTAssertTrue(spend.contains(yuan(Money(fen: 123456))), "every spend item")
    }

    func testUserTextIsEscapedOnEveryPageAndInTheFeed() {
        for (path, bytes) in built.sink.files where path.hasSuffix(".html") || path.hasSuffix(".xml") {
            // The search page's own script is the one script element a page may hold.
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: searchScriptTag, with: "", options: .regularExpression)
            XCTAssertFalse(text.lowercased().contains("<script"), "\(path) has a raw <script")
            XCTAssertFalse(text.contains(#""quoted""#), "\(path) has a raw quote from the title")
            XCTAssertFalse(text.contains(#""Hall""#) || text.contains(#""posters""#) || text.contains(#""q""#),
                           "\(path) has a raw quote from user text")
        }
        let report = built.text("reports/2023/evil.html")
        XCTAssertTrue(report.contains("Evil &quot;quoted&quot; &lt;script&gt;alert(1)&lt;/script&gt;"), "title")
        XCTAssertTrue(report.contains("&lt;script&gt;venue()&lt;/script&gt; &quot;Hall&quot;"), "venue")
        XCTAssertTrue(report.contains("&lt;script&gt;tag()&lt;/script&gt;"), "tag")
        XCTAssertTrue(report.contains("&lt;script&gt;item()&lt;/script&gt; &quot;posters&quot;"), "spend item")
        XCTAssertTrue(report.contains(#"<meta property="og:title" content="Evil &quot;quoted&quot;"#), "attribute")
        XCTAssertTrue(report.contains("raw HTML omitted"), "raw HTML in the body is left out (cmark safe mode)")
        XCTAssertFalse(report.contains("nowhere.jpg"), "an unpublished photo is not a broken image")
        let spend = built.text("projects/kp-2023/spend/index.html")
        XCTAssertTrue(spend.contains("&lt;script&gt;item()&lt;/script&gt;"), "spend item on the ledger")
        let outreach = built.text("projects/kp-2023/outreach/index.html")
        XCTAssertTrue(outreach.contains("&lt;script&gt;venue()&lt;/script&gt;"), "venue on outreach")
        let feed = built.text("feed.xml")
        XCTAssertTrue(feed.contains("<title>Evil &quot;quoted&quot; &lt;script&gt;alert(1)&lt;/script&gt;</title>"), "feed title")
        XCTAssertTrue(feed.contains(#"<category term="&lt;script&gt;tag()&lt;/script&gt;"/>"#), "feed tag")
        XCTAssertTrue(feed.contains("&lt;script&gt;venue()&lt;/script&gt;"), "feed venue")
        XCTAssertNotNil(try? XMLDocument(xmlString: feed), "the feed is well-formed XML")
        XCTAssertNotNil(try? XMLDocument(xmlString: built.text("sitemap.xml")), "the sitemap is well-formed XML")
    }

    func testDraftAppearsNowhere() {
        for (path, bytes) in built.sink.files {
            XCTAssertFalse(path.contains("draft"), "draft page \(path)")
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(text.contains("SECRET-DRAFT"), "draft text in \(path)")
        }
        XCTAssertFalse(built.text("index.html").contains(yuan(Money(yuan: 5000))), "draft spend not counted")
    }

    func testDraftsShowWhenAsked() throws {
        let preview = try build(tree.root.path, now: now, includeDrafts: true)
        XCTAssertTrue(preview.text("reports/2023/draft.html").contains("草稿"), "a draft is marked in a preview")
    }

    func testExampleBannerOnEveryPage() {
        XCTAssertFalse(built.htmlPaths.isEmpty)
        for path in built.htmlPaths {
            let page = built.text(path)
            XCTAssertTrue(page.contains("class=\"example-banner\"") && page.contains("示例数据"), "no banner on \(path)")
            XCTAssertTrue(page.contains(#"<meta name="robots" content="noindex">"#), "example data kept out of search: \(path)")
        }
    }

    func testEveryPageHasDescriptionAndOpenGraph() {
        for path in built.htmlPaths {
            let page = built.text(path)
            XCTAssertTrue(page.contains("<meta name=\"description\" content=\""), "\(path) description")
            XCTAssertTrue(page.contains("<meta property=\"og:title\""), "\(path) og:title")
            XCTAssertTrue(page.contains("<meta property=\"og:description\""), "\(path) og:description")
            XCTAssertFalse(page.contains("<meta name=\"description\" content=\"\">"), "\(path) empty description")
        }
    }

    /// Relative links resolve inside the output: the site works at the root, under a sub-path and from disk.
    func testInternalLinksResolve() throws {
        let files = Set(built.sink.files.keys)
        let pattern = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        for path in built.htmlPaths where path != "404.html" {
            let page = built.text(path)
            for m in pattern.matches(in: page, range: NSRange(page.startIndex..., in: page)) {
                var link = String(page[Range(m.range(at: 1), in: page)!])
                if link.hasPrefix("http") || link.hasPrefix("#") { continue }
                XCTAssertFalse(link.hasPrefix("/"), "\(path): root-absolute link \(link)")
                if let hash = link.firstIndex(of: "#") { link = String(link[..<hash]) }
                // Written by the build (DataFiles, FormWorkbooks), not the site renderer; BuildTests check them.
                if link.hasPrefix("../data/") || link.contains("/data/") || link.hasSuffix(".xlsx") { continue }
                var parts = path.split(separator: "/").dropLast().map(String.init)
                for seg in link.split(separator: "/") {
                    if seg == ".." { parts.removeLast() } else if seg != "." { parts.append(String(seg)) }
                }
                let target = parts.joined(separator: "/").removingPercentEncoding!
                XCTAssertTrue(files.contains(target), "\(path): broken link \(link) → \(target)")
            }
        }
    }

    func testAbsoluteURLsOnlyWhereNeeded() throws {
        let sub = try build(tree.root.path, now: now, baseURL: "https://kx.example.gov.cn/kepu/")
        let report = sub.text("reports/2023/shequ.html")
        XCTAssertTrue(report.contains(#"<link rel="canonical" href="https://kx.example.gov.cn/kepu/reports/2023/shequ.html">"#))
        XCTAssertTrue(report.contains(#"href="../../assets/site.css""#), "pages link relatively")
        XCTAssertTrue(sub.text("feed.xml").contains("https://kx.example.gov.cn/kepu/reports/2023/shequ.html"))
        XCTAssertTrue(sub.text("sitemap.xml").contains("<loc>https://kx.example.gov.cn/kepu/index.html</loc>")
                      || sub.text("sitemap.xml").contains("<loc>https://kx.example.gov.cn/kepu/</loc>"))
        XCTAssertTrue(sub.text("robots.txt").contains("Sitemap: https://kx.example.gov.cn/kepu/sitemap.xml"))
        XCTAssertTrue(sub.text("404.html").contains(#"href="/kepu/reports/index.html""#), "404 is served at any depth")
        XCTAssertTrue(sub.text("404.html").contains("<style>"), "404 carries its own style")
    }

    func testPreviousAndNext() {
        let first = built.text("reports/2023/evil.html")
        let second = built.text("reports/2023/shequ.html")
        XCTAssertTrue(first.contains(#"<a rel="next" href="../../reports/2023/shequ.html">进社区讲座 →</a>"#))
        XCTAssertFalse(first.contains(#"<a rel="prev""#))
        XCTAssertTrue(second.contains(#"<a rel="prev" href="../../reports/2023/evil.html">← Evil &quot;quoted&quot;"#))
        XCTAssertFalse(second.contains(#"<a rel="next""#))
    }

    func testPublishedPhotosAreShownAndBodyImagesPointAtThem() throws {
        let files = Self.files.merging([
            "reports/2023/bundle/index.md": """
            ---
            title: 有照片的报告
            date: 2023-07-01
            kind: 进社区
            photos: [p1.jpg, p2.jpg]
            ---
            ![现场](p1.jpg)
            """,
            "reports/2023/bundle/p1.jpg": "jpeg", "reports/2023/bundle/p2.jpg": "jpeg",
        ]) { a, _ in a }
        let tree2 = try ContentTree(files)
        defer { tree2.remove() }
        let photos = ["reports/2023/bundle/p1.jpg": PublishedPhoto(large: "photos/bundle/p1-1280.jpg",
                                                                    thumbnail: "photos/bundle/p1-400.jpg", width: 1280, height: 960)]
        let b = try build(tree2.root.path, now: now, photos: photos)
        let page = b.text("reports/2023/bundle.html")
        XCTAssertTrue(page.contains(#"src="../../photos/bundle/p1-400.jpg""#), "thumbnail")
        XCTAssertTrue(page.contains(#"href="../../photos/bundle/p1-1280.jpg""#), "large copy")
        XCTAssertTrue(page.contains(#"<img src="../../photos/bundle/p1-1280.jpg""#), "body image rewritten")
        XCTAssertTrue(page.contains(#"width="400" height="300""#), "thumbnail size")
        XCTAssertFalse(page.contains("p2"), "an unpublished photo is not linked")
    }

    func testRenderingIsDeterministic() throws {
        let again = try build(tree.root.path, now: now)
        XCTAssertEqual(again.sink.files, built.sink.files)
    }

    func testTemplateErrorNamesFileAndLine() throws {
        let theme = FileManager.default.temporaryDirectory.appendingPathComponent("kepu-theme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: theme) }
        // Copy file by file: the theme folder may be a symlink (a build tree linking the repo's theme/),
        // and copying the link would let this test overwrite the real template.
        let source = URL(fileURLWithPath: themeDirectory).resolvingSymlinksInPath()
        for case let rel as String in FileManager.default.enumerator(atPath: source.path)! {
            let from = source.appendingPathComponent(rel)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: from.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            let to = theme.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contentsOf: from).write(to: to)
        }
        XCTAssertFalse(theme.path.hasPrefix(source.path))
        let broken = theme.appendingPathComponent("templates/open-data.mustache")
        try Data("{{<layout}}\n{{$main}}\n<p>{{#files}}</p>\n{{/filez}}\n{{/main}}\n{{/layout}}\n".utf8).write(to: broken)
        XCTAssertThrowsError(try build(tree.root.path, now: now, theme: theme.path)) { error in
            guard let d = error as? Diagnostic else { return XCTFail("\(error)") }
            XCTAssertTrue(d.path.hasSuffix("templates/open-data.mustache"), d.path)
            XCTAssertEqual(d.line, 4)
            XCTAssertEqual(d.phase, .render)
            if case .theme = d.problem {} else { XCTFail("\(d.problem)") }
        }
        try Data("{{<layout}}\n{{$main}}\n\n  {{> no-such-partial}}\n{{/main}}\n{{/layout}}\n".utf8).write(to: broken)
        XCTAssertThrowsError(try build(tree.root.path, now: now, theme: theme.path)) { error in
            guard let d = error as? Diagnostic else { return XCTFail("\(error)") }
            XCTAssertEqual(d.line, 4)
            XCTAssertTrue(d.message(.en).contains("no-such-partial"))
        }
    }

    func testTranslationsHaveTheSameKeys() throws {
        func keys(_ lang: String) throws -> Set<String> {
            let text = try String(contentsOfFile: themeDirectory + "/i18n/\(lang).yaml", encoding: .utf8)
            return Set(text.split(separator: "\n").compactMap { line -> String? in
                guard !line.hasPrefix("#"), !line.hasPrefix(" "), let colon = line.firstIndex(of: ":") else { return nil }
                return String(line[..<colon])
            })
        }
        let zh = try keys("zh-CN"), en = try keys("en")
        XCTAssertEqual(zh.subtracting(en), [], "missing in en.yaml")
        XCTAssertEqual(en.subtracting(zh), [], "missing in zh-CN.yaml")
    }

    func testEnglishSite() throws {
        var files = Self.files
        files["site.yaml"] = "title: Science Fund\nunit: District CAST\nlanguage: en\nexample: true\n"
        let tree2 = try ContentTree(files)
        defer { tree2.remove() }
        let b = try build(tree2.root.path, now: now)
        let home = b.text("index.html")
        XCTAssertTrue(home.contains(#"<html lang="en">"#))
        XCTAssertTrue(home.contains("Example data"))
        XCTAssertTrue(home.contains("20 May 2023") || b.text("reports/index.html").contains("20 May 2023"))
    }

    func testSeveralYears() throws {
        var files = Self.files
        files["site.yaml"] = "title: 测试\nunit: 测试区科协\nperiod: {from: 2023, to: 2025, goal: 三年总体目标文字}\n"
        files["projects/kp-2024.md"] = """
        ---
        name: 二〇二四年科普经费
        unit: 测试区科学技术协会
        year: 2024
        budget: 5000
        ---
        """
        files["reports/2024/a.md"] = "---\ntitle: 新年科普\ndate: 2024-02-01\nkind: 科普日\naudience: 50\nspend: 100\n---\n"
        let tree2 = try ContentTree(files)
        defer { tree2.remove() }
        let b = try build(tree2.root.path, now: Day(year: 2024, month: 3, day: 1)!)
        let home = b.text("index.html")
        XCTAssertTrue(home.contains("2024 二〇二四年科普经费"), "the current project is the latest begun")
        XCTAssertTrue(home.contains("三年总体目标文字"), "the period's goal")
        XCTAssertTrue(home.contains(#"href="projects/kp-2023/index.html""#), "the earlier year in the table")
        XCTAssertTrue(home.contains(yuan(b.ledger.periodBudget!)), "the period's budget")
        XCTAssertFalse(home.contains("class=\"example-banner\""), "no banner on a real site")
        XCTAssertFalse(home.contains("noindex"), "a real site is found by search engines")
        let p2024 = b.text("projects/kp-2024/index.html")
        XCTAssertTrue(p2024.contains(#"href="../../projects/kp-2023/index.html""#), "other years")
        XCTAssertTrue(b.text("reports/index.html").contains(#"href="../reports/2024/02/index.html""#), "month pages")
        XCTAssertNotNil(b.sink.text("reports/2024/02/index.html"))
    }

    func testLongLedgerSplitsByMonth() throws {
        var files = Self.files
        let items = (1...300).map { "  - {item: 物品\($0), amount: 1}" }.joined(separator: "\n")
        files["reports/2023/big1.md"] = "---\ntitle: 大额一\ndate: 2023-06-01\nkind: 进社区\nspend:\n\(items)\n---\n"
        files["reports/2023/big2.md"] = "---\ntitle: 大额二\ndate: 2023-07-01\nkind: 进社区\nspend:\n\(items)\n---\n"
        let tree2 = try ContentTree(files)
        defer { tree2.remove() }
        let b = try build(tree2.root.path, now: now)
        let spend = b.text("projects/kp-2023/spend/index.html")
        XCTAssertTrue(spend.contains(#"href="../../../projects/kp-2023/spend/2023-06.html""#), "month ledger link")
        XCTAssertFalse(spend.contains("物品1<"), "no item rows on the summary page")
        let june = b.text("projects/kp-2023/spend/2023-06.html")
        XCTAssertTrue(june.contains(">物品300<"))
        XCTAssertTrue(june.contains(yuan(Money(yuan: 300))), "the month's total")
        XCTAssertTrue(june.contains(#"href="../../../reports/2023/big1.html""#))
    }

    /// A missing UI string renders as nothing, silently: every {{t.key}} in the templates must exist.
    func testEveryStringTheTemplatesUseExists() throws {
        let text = try String(contentsOfFile: themeDirectory + "/i18n/zh-CN.yaml", encoding: .utf8)
        let keys = Set(text.split(separator: "\n").compactMap { line -> String? in
            guard !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { return nil }
            return String(line[..<colon])
        })
        let folder = themeDirectory + "/templates"
        let pattern = try NSRegularExpression(pattern: #"\{\{t\.([a-z0-9_]+)\}\}"#)
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".mustache") {
            let template = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for m in pattern.matches(in: template, range: NSRange(template.startIndex..., in: template)) {
                let key = String(template[Range(m.range(at: 1), in: template)!])
                XCTAssertTrue(keys.contains(key), "\(file) uses t.\(key), which zh-CN.yaml does not define")
            }
        }
    }
}
