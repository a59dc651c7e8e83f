import Foundation
import KepuContent
import KepuCore
@testable import KepuSite
import XCTest

/// The search page's script element, the one a page may hold (escaping tests leave it out of their search).
let searchScriptTag = #"<script src="(\.\./)*assets/search\.js"></script>"#

/// The site over several years (issue 17): the menu of a project's pages, the projects index, corrections,
/// the search index, body links.
final class ManyYearsTests: XCTestCase {
    static let project2023 = """
    ---
    name: 人均科普经费
    unit: 测试区科学技术协会
    year: 2023
    budget: 10000
    ---
    二〇二三年。
    """
    static let project2024 = """
    ---
    name: 科普惠民经费
    unit: 测试区科学技术协会
    year: 2024
    budget: 20000
    ---
    二〇二四年。
    """
    static let files: [String: String] = [
        "site.yaml": "title: 测试科普\nunit: 测试区科协\n",
        "projects/kp-2023.md": project2023,
        "projects/kp-2024.md": project2024,
        "reports/2023/kepuri.md": """
        ---
        title: 2023年全国科普日主场活动
        date: 2023-09-16
        kind: 科普日
        venue: 斗南街道花卉广场
        audience: 500
        updated: 2023-10-09
        corrections:
          - {date: 2023-09-20, text: 参与人数由 300 更正为 500。}
          - {date: 2023-10-08, text: 补充活动照片说明。}
        ---
        全国科普日当天，斗南街道开展主题活动。另见[进校园](school.md)。
        """,
        "reports/2023/school.md": """
        ---
        title: 冬季安全进校园
        date: 2023-11-02
        kind: 进校园
        venue: 第一中学
        audience: 300
        corrections:
          - {date: 2023-11-05, text: 更正学校名称。}
        ---
        在第一中学讲解冬季用电安全。
        """,
        "reports/2024/spring.md": "---\ntitle: 春季科普讲座\ndate: 2024-03-01\nkind: 讲座\naudience: 80\n---\n讲座内容。\n",
    ]

    let now = Day(year: 2024, month: 4, day: 1)!

    func built(_ extra: [String: String] = [:]) throws -> (Built, ContentTree) {
        let tree = try ContentTree(Self.files.merging(extra) { _, new in new })
        return (try build(tree.root.path, now: now), tree)
    }

    /// The menu's links with their labels and whether each is marked current.
    func menu(_ html: String) -> [(label: String, href: String, current: Bool)] {
        guard let start = html.range(of: "<nav aria-label=\"网站导航\">"),
              let end = html.range(of: "</nav>", range: start.upperBound..<html.endIndex) else { return [] }
        let nav = html[start.upperBound..<end.lowerBound]
        return nav.components(separatedBy: "<li>").dropFirst().map { item in
            let href = item.components(separatedBy: "href=\"")[1].components(separatedBy: "\"")[0]
            let label = item.components(separatedBy: ">")[1].components(separatedBy: "<")[0]
            return (label, href, item.contains("aria-current=\"page\""))
        }
    }

    func testAProjectsPagesCarryItsOwnMenuAndOtherPagesTheNewest() throws {
        let (b, tree) = try built()
        defer { tree.remove() }
        for sub in ["", "evaluation/", "spend/", "outreach/"] {
            let items = menu(b.text("projects/kp-2023/\(sub)index.html"))
            let project = items.first { $0.label == "项目" }
            XCTAssertEqual(project?.href, sub.isEmpty ? "../../projects/kp-2023/index.html" : "../../../projects/kp-2023/index.html", sub)
            for label in ["自评表", "支出", "服务人次"] {
                XCTAssertTrue(items.first { $0.label == label }?.href.contains("kp-2023/") == true, "\(sub): \(label)")
            }
            XCTAssertFalse(items.contains { $0.href.contains("kp-2024") }, "a 2023 page's menu leads to 2024: \(sub)")
        }
        // The 2023 project page: 项目 is current and is 2023 itself.
        XCTAssertEqual(menu(b.text("projects/kp-2023/index.html")).filter(\.current).map(\.label), ["项目"])
        // A report's page belongs to its project too.
        let report = menu(b.text("reports/2023/kepuri.html"))
        XCTAssertTrue(report.first { $0.label == "项目" }?.href.hasSuffix("projects/kp-2023/index.html") == true)
        XCTAssertFalse(report.contains { $0.href.contains("kp-2024") })
        XCTAssertEqual(report.filter(\.current).map(\.label), ["活动报告"])
        // Elsewhere the newest.
        for page in ["index.html", "reports/index.html", "reports/2024/spring.html", "search/index.html"] {
            let items = menu(b.text(page))
            XCTAssertTrue(items.first { $0.label == "项目" }?.href.hasSuffix("projects/kp-2024/index.html") == true, page)
            XCTAssertFalse(items.contains { $0.href.contains("kp-2023") }, page)
            XCTAssertTrue(items.contains { $0.label == "历年项目" && $0.href.hasSuffix("projects/index.html") }, page)
        }
        // The index: both years, newest first, each linked, with budget and grade.
        let index = b.text("projects/index.html")
        let y2024 = try XCTUnwrap(index.range(of: "projects/kp-2024/index.html\">科普惠民经费"))
        let y2023 = try XCTUnwrap(index.range(of: "kp-2023/index.html\">人均科普经费"))
        XCTAssertLessThan(y2024.lowerBound, y2023.lowerBound)
        XCTAssertTrue(index.contains(yuan(Money(fen: 2_000_000))) && index.contains(yuan(Money(fen: 1_000_000))))
        XCTAssertEqual(index.components(separatedBy: "class=\"badge grade-").count - 1, 2)
        XCTAssertEqual(menu(index).filter(\.current).map(\.label), ["历年项目"])
    }

    func testCorrectionsOnTheReportTheListFeedAndSitemap() throws {
        let (b, tree) = try built()
        defer { tree.remove() }
        let page = b.text("reports/2023/kepuri.html")
        XCTAssertTrue(page.contains("<dt>更新日期</dt><dd><time datetime=\"2023-10-09\">"), page)
        let later = try XCTUnwrap(page.range(of: "补充活动照片说明。"))
        let earlier = try XCTUnwrap(page.range(of: "参与人数由 300 更正为 500。"))
        XCTAssertLessThan(later.lowerBound, earlier.lowerBound, "a report's corrections newest first")
        // A report with no change after its date says nothing about updates.
        XCTAssertFalse(b.text("reports/2024/spring.html").contains("更新日期"))

        let list = b.text("corrections/index.html")
        let order = ["更正学校名称。", "补充活动照片说明。", "参与人数由 300 更正为 500。"].map { list.range(of: $0)?.lowerBound }
        XCTAssertFalse(order.contains(nil), list)
        XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted(), "the site's corrections newest first")
        XCTAssertTrue(list.contains("href=\"../reports/2023/school.html\""))

        let feed = b.text("feed.xml")
        let entry = try XCTUnwrap(feed.components(separatedBy: "<entry>").first { $0.contains("全国科普日主场活动") })
        XCTAssertTrue(entry.contains("<updated>2023-10-09T00:00:00Z</updated>"), entry)
        let school = try XCTUnwrap(feed.components(separatedBy: "<entry>").first { $0.contains("冬季安全进校园") })
        XCTAssertTrue(school.contains("<updated>2023-11-05T00:00:00Z</updated>"), "a correction without `updated` dates the change")
        let sitemap = b.text("sitemap.xml")
        XCTAssertTrue(sitemap.contains("reports/2023/kepuri.html</loc><lastmod>2023-10-09</lastmod>"), sitemap)
        XCTAssertTrue(sitemap.contains("reports/2024/spring.html</loc><lastmod>2024-03-01</lastmod>"))
    }

    /// The index files as search.js reads them: a pair's postings, decoded the way the script decodes them.
    func postings(_ b: Built, _ pair: String) throws -> [Int: Int] {
        let files = b.sink.files.keys.filter { $0.hasPrefix("search/idx-") && $0.contains("/t/") }
        let a = pair.unicodeScalars.map(\.value)
        let shard = Int((UInt64(a[0]) * 31 + UInt64(a[1])) % UInt64(files.count))
        let file = try XCTUnwrap(files.first { $0.hasSuffix("/t/\(shard).js") })
        let text = b.text(file)
        guard let r = text.range(of: "\"\(pair)\":\"") else { return [:] }
        let list = text[r.upperBound...].prefix { $0 != "\"" }
        var doc = -1
        var out: [Int: Int] = [:]
        for part in list.split(separator: ",") {
            let v = try XCTUnwrap(Int(part, radix: 36))
            doc += v >> 3
            out[doc] = v & 7
        }
        return out
    }

    func testSearchIndexFindsChineseByPairsWithWhereTheyOccur() throws {
        let (b, tree) = try built()
        defer { tree.remove() }
        // Reports in order: kepuri (0), school (1), spring (2).
        XCTAssertEqual(try postings(b, "科普"), [0: 4 | 2 | 1, 2: 4], "科普: kepuri's title, kind and body; spring's title")
        XCTAssertEqual(try postings(b, "斗南"), [0: 2 | 1], "a venue and the body")
        XCTAssertEqual(try postings(b, "一中"), [1: 2 | 1])
        XCTAssertEqual(try postings(b, "火星"), [:])
        // Dates are indexed as written on the pages and in ISO form.
        XCTAssertEqual(try postings(b, "09").keys.sorted(), [0])
        let docs = try XCTUnwrap(b.sink.files.keys.first { $0.hasPrefix("search/idx-") && $0.hasSuffix("/d/0.js") })
        XCTAssertTrue(b.text(docs).contains("[\"reports/2023/school.html\",\"冬季安全进校园\""), b.text(docs))
        // The page: the form for the script, the browse lists without it.
        let page = b.text("search/index.html")
        XCTAssertTrue(page.contains("data-index=\"" + docs.dropFirst("search/".count).prefix(20) + "/\""), page)
        XCTAssertTrue(page.contains("href=\"../reports/kind/") && page.contains("href=\"../reports/2023/09/index.html\""))
        XCTAssertTrue(page.contains("href=\"../reports/venue/"))
        XCTAssertTrue(b.text("reports/venue/第一中学/index.html").contains("冬季安全进校园"))
    }

    /// A warm build takes the index from the cache (a hash of every entry and body it is made from): the same
    /// files as making it again; a changed body makes it anew.
    func testSearchIndexFromTheCacheIsTheIndexMadeAgain() throws {
        let (first, tree) = try built()
        defer { tree.remove() }
        let again = try build(tree.root.path, now: now)
        let index = { (b: Built) in b.sink.files.filter { $0.key.hasPrefix("search/idx-") } }
        XCTAssertEqual(index(first), index(again))
        XCTAssertFalse(index(first).isEmpty)
        let (changed, tree2) = try built(["reports/2024/spring.md": "---\ntitle: 春季科普讲座\ndate: 2024-03-01\nkind: 讲座\naudience: 80\n---\n火星探测讲座。\n"])
        defer { tree2.remove() }
        XCTAssertNotEqual(Set(index(changed).keys), Set(index(first).keys), "a changed body is a new index folder")
        XCTAssertEqual(try postings(changed, "火星"), [2: 1])
    }

    func testSearchIndexTextCannotCloseTheScript() throws {
        let (b, tree) = try built(["reports/2024/evil.md": "---\ntitle: '</script><b>\"x\\\\'\ndate: 2024-03-02\nkind: 讲座\n---\n"])
        defer { tree.remove() }
        let docs = try XCTUnwrap(b.sink.files.keys.first { $0.hasPrefix("search/idx-") && $0.hasSuffix("/d/0.js") })
        let text = b.text(docs)
        XCTAssertFalse(text.contains("</script>") || text.contains("<b>"), text)
        XCTAssertTrue(text.contains(#"\u003c/script\u003e\u003cb\u003e\"x\\"#), text)
    }

    func testABodyLinkToAMissingPageIsAnErrorAtItsLine() throws {
        let tree = try ContentTree(Self.files.merging([
            "reports/2024/links.md": "---\ntitle: 链接\ndate: 2024-03-05\nkind: 讲座\n---\n第一段。\n\n见[开放数据](../../open-data/index.html)和[外站](https://example.org/x)。\n\n又见[旧页](../2022/gone.html)。\n",
        ]) { _, new in new })
        defer { tree.remove() }
        do {
            _ = try build(tree.root.path, now: now)
            XCTFail("a link to a missing page built")
        } catch let d as Diagnostic {
            XCTAssertEqual(d.problem, .site(.brokenLink(target: "../2022/gone.html")))
            XCTAssertTrue(d.path.hasSuffix("reports/2024/links.md"), d.path)
            XCTAssertEqual(d.line, 10, "the file line of the link's paragraph")
            XCTAssertTrue(d.formatted(.zhCN).contains("不存在"), d.formatted(.zhCN))
        }
    }

    func testALinkToAnotherReportsFileLeadsToItsPage() throws {
        let (b, tree) = try built()
        defer { tree.remove() }
        XCTAssertTrue(b.text("reports/2023/kepuri.html").contains("<a href=\"../../reports/2023/school.html\">进校园</a>"), b.text("reports/2023/kepuri.html"))
        let tree2 = try ContentTree(Self.files.merging(["reports/2024/x.md": "---\ntitle: x\ndate: 2024-03-05\nkind: 讲座\n---\n[无](nothing.md)\n"]) { _, new in new })
        defer { tree2.remove() }
        XCTAssertThrowsError(try build(tree2.root.path, now: now)) { error in
            XCTAssertEqual((error as? Diagnostic)?.problem, .site(.brokenReportLink(target: "nothing.md")))
        }
    }

    func testLinkTargets() {
        func t(_ u: String, base: String = "/") -> SiteBuild.LinkTarget? {
            SiteBuild.linkTarget(u, reportPath: "content/reports/2023/a.md", pagePath: "reports/2023/a.html", basePath: base)
        }
        XCTAssertNil(t("https://x.org/a.html"))
        XCTAssertNil(t("mailto:a@b.c"))
        XCTAssertNil(t("#top"))
        XCTAssertNil(t("//cdn.example/x"))
        XCTAssertEqual(t("b.html"), .output("reports/2023/b.html"))
        XCTAssertEqual(t("../../projects/"), .output("projects/index.html"))
        XCTAssertEqual(t("/kepu/reports/index.html#x", base: "/kepu/"), .output("reports/index.html"))
        XCTAssertEqual(t("/open-data/"), .output("open-data/index.html"))
        XCTAssertEqual(t("../../../../x.html"), .output("../../x.html"), "above the root: matches no file")
        XCTAssertEqual(t("../2024/b.md"), .report("content/reports/2024/b.md"))
        XCTAssertEqual(t("%E6%96%97.md"), .report("content/reports/2023/斗.md"))
    }
}
