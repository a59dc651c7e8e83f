import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import KepuContent
import KepuCore
@testable import KepuDesk
import KepuTestSupport
import XCTest

final class DeskReportTests: XCTestCase {
    /// A hand-written draft with comments, an unusual key order, CRLF line endings and a formatted body.
    static let handWritten = [
        "---",
        "# 这是工作人员自己写的说明，要保留",
        "date: 2023-07-02",
        "title: 手写的报告",
        "kind: 进社区   # 行尾注释",
        "venue: 老地方",
        "",
        "# 支出按发票写",
        "spend:",
        "  - {item: 展板, amount: \"¥1,860.50\"}",
        "  - item: 宣传品",
        "    amount: 800元",
        "audience: 300",
        "draft: true",
        "---",
        "",
        "第一段，  两个空格保留。",
        "",
        "* 星号列表",
        "",
    ].joined(separator: "\r\n")

    /// The lines only one side has (a longest-common-subsequence diff): what `diff` prints as - and +.
    func lineDiff(_ a: String, _ b: String) -> (removed: [String], added: [String]) {
        // Split on scalars: "\r\n" is one Character in Swift, and these files keep their CRLF.
        func split(_ s: String) -> [String] {
            s.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        }
        let x = split(a), y = split(b)
        var l = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in stride(from: x.count - 1, through: 0, by: -1) {
            for j in stride(from: y.count - 1, through: 0, by: -1) {
                l[i][j] = x[i] == y[j] ? l[i + 1][j + 1] + 1 : max(l[i + 1][j], l[i][j + 1])
            }
        }
        var i = 0, j = 0
        var removed: [String] = [], added: [String] = []
        while i < x.count || j < y.count {
            if i < x.count && j < y.count && x[i] == y[j] { i += 1; j += 1 }
            else if j < y.count && (i == x.count || l[i][j + 1] >= l[i + 1][j]) { added.append(y[j]); j += 1 }
            else { removed.append(x[i]); i += 1 }
        }
        return (removed, added)
    }

    func testEditingOneFieldChangesOnlyItsLine() throws {
        let fx = try DeskFixture()
        let path = "reports/2023/07/2023-07-02-shouxie.md"
        try Self.handWritten.write(toFile: fx.content + "/" + path, atomically: true, encoding: .utf8)
        let opened = try XCTUnwrap(fx.store.open(path))
        XCTAssertEqual(opened.form.venue, "老地方")
        XCTAssertEqual(opened.form.spend.map(\.amount), ["1860.50", "800.00"])
        var form = opened.form
        form.venue = "吴家营街道社区活动中心"
        let user = try XCTUnwrap(fx.users.user("wang"))
        let outcome = fx.store.save(.init(path: path, isNew: false, form: form, openedHash: opened.hash, user: user))
        guard case .saved = outcome else { return XCTFail("\(outcome)") }
        let after = fx.read(path)
        let diff = lineDiff(Self.handWritten, after)
        XCTAssertEqual(diff.removed, ["venue: 老地方\r"])
        XCTAssertEqual(diff.added, ["venue: 吴家营街道社区活动中心\r"])
        XCTAssertEqual(after.replacingOccurrences(of: "吴家营街道社区活动中心", with: "老地方"), Self.handWritten,
                       "comments, order, CRLF and the body byte for byte")
        // An untouched form (the same values again) writes nothing at all.
        let again = try XCTUnwrap(fx.store.open(path))
        _ = fx.store.save(.init(path: path, isNew: false, form: again.form, openedHash: again.hash, user: user))
        XCTAssertEqual(fx.read(path), after)
        // Two fields: two lines; the spend block is rewritten only when a row changes.
        var two = again.form
        two.audience = "350"
        two.spend[1].amount = "900"
        _ = fx.store.save(.init(path: path, isNew: false, form: two, openedHash: again.hash, user: user))
        let third = fx.read(path)
        let d2 = lineDiff(after, third)
        XCTAssertEqual(d2.removed.sorted(), ["  - item: 宣传品\r", "  - {item: 展板, amount: \"¥1,860.50\"}\r", "    amount: 800元\r", "audience: 300\r"].sorted())
        XCTAssertEqual(d2.added.sorted(), ["  - {item: \"展板\", amount: \"1860.50\"}\r", "  - {item: \"宣传品\", amount: \"900\"}\r", "audience: 350\r"].sorted())
        XCTAssertTrue(third.contains("# 支出按发票写\r\nspend:\r\n"))
        // Each save was a commit by the member of staff.
        XCTAssertTrue(fx.git(["log", "-n", "1", "--format=%an|%s"]).hasPrefix("wang|修改报告：手写的报告"))
    }

    func testAConcurrentEditIsRefusedNotOverwritten() async throws {
        let fx = try DeskFixture()
        let path = "reports/2023/07/2023-07-02-shouxie.md"
        try Self.handWritten.write(toFile: fx.content + "/" + path, atomically: true, encoding: .utf8)
        try await fx.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let page = try await b.get(client, "/reports/edit?path=" + path)
            XCTAssertEqual(page.status, .ok)
            let hash = try XCTUnwrap(Browser.value("hash", in: page.text))
            let token = try XCTUnwrap(Browser.csrf(in: page.text))
            XCTAssertTrue(page.text.contains("name=\"venue\" value=\"老地方\""))
            // Someone else saves in an editor meanwhile.
            let theirs = Self.handWritten.replacingOccurrences(of: "audience: 300", with: "audience: 333")
            try theirs.write(toFile: fx.content + "/" + path, atomically: true, encoding: .utf8)
            let r = try await b.multipart(client, "/reports/edit", [
                ("csrf", token), ("path", path), ("hash", hash), ("title", "手写的报告"), ("date", "2023-07-02"), ("kind", "进社区"),
                ("venue", "新地点"), ("audience", "300"), ("activities", "1"),
                ("spend[0][item]", "展板"), ("spend[0][amount]", "1860.50"), ("spend[1][item]", "宣传品"), ("spend[1][amount]", "800.00"),
                ("body", "第一段，  两个空格保留。\n\n* 星号列表"),
            ])
            XCTAssertEqual(r.status, .conflict)
            XCTAssertEqual(fx.read(path), theirs, "the other person's save stays")
            XCTAssertTrue(r.text.contains("audience: 333"), "their version is shown")
            XCTAssertTrue(r.text.contains("venue: 新地点"), "and mine")
        }
    }

    func testANewReportShowsFieldErrorsThenSavesADraftThatAReviewerPublishes() async throws {
        let fx = try DeskFixture()
        try await fx.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let token = try await b.sessionCSRF(client)
            var fields = [("csrf", token), ("path", ""), ("title", "社区防诈骗科普讲座"), ("date", "2023-09-30"), ("kind", "进社区"),
                          ("venue", "乌龙街道"), ("audience", "二百"), ("activities", "1"),
                          ("spend[0][item]", "宣传册"), ("spend[0][amount]", "1,200元"),
                          ("satisfaction[surveyed]", "50"), ("satisfaction[satisfied]", "60"),
                          ("tags", "进社区，防诈骗"), ("body", "9月30日在乌龙街道开展防诈骗科普讲座。")]
            let bad = try await b.multipart(client, "/reports/new", fields, files: [("photos", "a.jpg", jpegBytes), ("photos", "b.jpg", jpegBytes)])
            XCTAssertEqual(bad.status, .unprocessableContent, bad.text)
            // Each problem beside its field, in Chinese, the words kepu check uses.
            XCTAssertTrue(bad.text.contains("id=\"error-audience\""), bad.text)
            XCTAssertTrue(bad.text.contains("id=\"error-satisfaction\""), bad.text.components(separatedBy: "class=\"error\"").dropFirst().map { String($0.prefix(300)) }.joined(separator: "\n"))
            XCTAssertTrue(bad.text.contains("文件没有保存"))
            XCTAssertFalse(fx.git(["log", "--format=%s"]).contains("社区防诈骗科普讲座"))
            // The photos were kept with the form, under generated names, and the chosen path rides along.
            let path = try XCTUnwrap(Browser.value("path", in: bad.text))
            XCTAssertTrue(ReportStore.isNewBundlePath(path), path)
            XCTAssertFalse(FileManager.default.fileExists(atPath: fx.content + "/" + path))
            let kept = bad.text.components(separatedBy: "name=\"photos\" value=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            XCTAssertEqual(kept.count, 2)
            // Fixed, saved: a draft, committed by wang.
            fields = fields.filter { !["audience", "satisfaction[satisfied]", "path"].contains($0.0) }
                + [("audience", "200"), ("satisfaction[satisfied]", "45"), ("path", path)] + kept.map { ("photos", $0) }
            let good = try await b.multipart(client, "/reports/new", fields)
            XCTAssertEqual(good.status, .seeOther, good.text)
            let text = fx.read(path)
            XCTAssertTrue(text.contains("draft: true"))
            XCTAssertTrue(text.contains("audience: 200"))
            XCTAssertTrue(text.contains("photos: [" + kept.joined(separator: ", ") + "]"))
            XCTAssertTrue(text.contains("# 标题（必填）"), "written from the same template as kepu new report")
            XCTAssertFalse(text.contains("project:"), "the project is found by the date, as the loader does")
            XCTAssertEqual(fx.git(["log", "-n", "1", "--format=%an|%s"]).trimmingCharacters(in: .whitespacesAndNewlines), "wang|新建报告：社区防诈骗科普讲座")
            // A 填报 user cannot publish.
            let refused = try await b.post(client, "/reports/publish", [("csrf", token), ("path", path)])
            XCTAssertEqual(refused.status, .forbidden)
            XCTAssertFalse(FileManager.default.fileExists(atPath: fx.output + "/index.html"))
            // The reviewer sees it waiting, and publishes: the same atomic build as kepu build.
            var r = Browser()
            try await r.login(client, "li")
            let dash = try await r.get(client, "/")
            XCTAssertTrue(dash.text.contains("等待审核的草稿（2）"), "the sample's draft and wang's")
            XCTAssertTrue(dash.text.contains("社区防诈骗科普讲座"))
            let edit = try await r.get(client, "/reports/edit?path=" + path)
            XCTAssertTrue(edit.text.contains("审核通过并发布"))
            let rtoken = try XCTUnwrap(Browser.csrf(in: edit.text))
            let published = try await r.post(client, "/reports/publish", [("csrf", rtoken), ("path", path)])
            XCTAssertEqual(published.status, .ok, published.text.components(separatedBy: "<pre>").last ?? "")
            XCTAssertTrue(fx.read(path).contains("draft: false"))
            let slug = path.split(separator: "/")[3]
            let page = fx.output + "/reports/2023/\(slug).html"
            XCTAssertTrue(FileManager.default.fileExists(atPath: page), page)
            XCTAssertTrue(try String(contentsOfFile: page, encoding: .utf8).contains("社区防诈骗科普讲座"))
            let log = fx.git(["log", "-n", "2", "--format=%an|%s"]).split(separator: "\n")
            XCTAssertEqual(log, ["li|发布：社区防诈骗科普讲座", "wang|新建报告：社区防诈骗科普讲座"])
            let history = try await r.get(client, "/reports/history?path=" + path)
            XCTAssertTrue(history.text.contains("发布：社区防诈骗科普讲座"))
            XCTAssertTrue(history.text.contains("wang"))
            XCTAssertEqual(ContentLoader.load(contentDirectory: fx.content).errors, [])
        }
    }

    func testAFailedBuildLeavesTheDraftAndTheSiteAsTheyWere() throws {
        let fx = try DeskFixture()
        XCTAssertTrue(fx.store.build().succeeded)
        let index = try String(contentsOfFile: fx.output + "/index.html", encoding: .utf8)
        // A correction dated after the build date: the loader accepts it, the build does not.
        let path = "reports/2023/07/2023-07-03-weilai.md"
        let text = "---\ntitle: 未来的更正\ndate: 2023-07-03\nkind: 进社区\ndraft: true\ncorrections:\n  - {date: 2024-05-01, text: 太早了}\n---\n\n正文。\n"
        try text.write(toFile: fx.content + "/" + path, atomically: true, encoding: .utf8)
        let reviewer = try XCTUnwrap(fx.users.user("li"))
        guard case let .failed(lines) = fx.store.publish(path, user: reviewer) else { return XCTFail("published") }
        XCTAssertTrue(lines.contains { $0.contains("网站没有改动") })
        XCTAssertEqual(fx.read(path), text, "the draft flag is back")
        XCTAssertEqual(try String(contentsOfFile: fx.output + "/index.html", encoding: .utf8), index)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fx.output + "/reports/2023/2023-07-03-weilai.html"))
    }

    func testEditingAPublishedReportAsksForACorrection() throws {
        let fx = try DeskFixture()
        let path = "reports/2023/05/2023-05-20-kejizhou.md"
        let before = fx.read(path)
        let opened = try XCTUnwrap(fx.store.open(path))
        var form = opened.form
        form.audience = "2700"
        // Only a reviewer corrects what the public sees.
        let reporter = try XCTUnwrap(fx.users.user("wang"))
        guard case .refused = fx.store.save(.init(path: path, isNew: false, form: form, openedHash: opened.hash, user: reporter)) else {
            return XCTFail("a 填报 user changed a published report")
        }
        XCTAssertEqual(fx.read(path), before)
        let user = try XCTUnwrap(fx.users.user("li"))
        guard case let .invalid(problems, _, _) = fx.store.save(.init(path: path, isNew: false, form: form, openedHash: opened.hash, user: user)) else {
            return XCTFail("saved without a correction note")
        }
        XCTAssertEqual(problems.map(\.field), ["correction"])
        XCTAssertEqual(fx.read(path), before)
        form.correction = "参与人数由 2600 人次更正为 2700 人次。"
        guard case .saved = fx.store.save(.init(path: path, isNew: false, form: form, openedHash: opened.hash, user: user)) else {
            return XCTFail("not saved")
        }
        let diff = lineDiff(before, fx.read(path))
        XCTAssertEqual(diff.removed, ["audience: 2600"])
        XCTAssertEqual(diff.added, ["audience: 2700", "corrections:", "  - {date: 2023-10-01, text: \"参与人数由 2600 人次更正为 2700 人次。\"}"])
        let loaded = ContentLoader.load(contentDirectory: fx.content)
        XCTAssertEqual(loaded.errors, [])
        XCTAssertEqual(loaded.content?.reports.first { $0.slug == "2023-05-20-kejizhou" }?.corrections.map(\.text), ["参与人数由 2600 人次更正为 2700 人次。"])
        // The correction is public at once: the save rebuilt the site.
        let page = try String(contentsOfFile: fx.output + "/reports/2023/2023-05-20-kejizhou.html", encoding: .utf8)
        XCTAssertTrue(page.contains("参与人数由 2600 人次更正为 2700 人次。"))
        XCTAssertTrue(fx.git(["log", "-n", "1", "--format=%an|%s"]).hasPrefix("li|修改报告：2023年呈贡区科技活动周启动"))
    }

    func testTheDashboardSaysWhatIsStillToSpend() async throws {
        let fx = try DeskFixture(now: Day(year: 2023, month: 10, day: 1)!)
        try "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2023-08-01\nkind: 进社区\ndraft: true\n---\n\n正文。\n"
            .write(toFile: fx.content + "/reports/2023/08/2023-08-01-xss.md", atomically: true, encoding: .utf8)
        try await fx.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let page = try await b.get(client, "/")
            XCTAssertEqual(page.status, .ok)
            // The next milestone after 1 October is 100 % of 2万元 by 31 December; the sample has paid a little less.
            let loaded = ContentLoader.load(contentDirectory: fx.content)
            let end = Day(year: 2023, month: 12, day: 31)!
            let paid = (loaded.content?.reports ?? []).filter { !$0.draft }
                .flatMap { r in r.spend.filter { ($0.paid ?? r.date) <= end } }
                .reduce(Money.zero) { $0 + $1.amount }
            let missing = Money(fen: 2_000_000) - paid
            XCTAssertTrue(missing > .zero)
            XCTAssertTrue(page.text.contains("还需支出 \(Figures.money(missing)) 才能在 12月31日 达到 100.00%"),
                          page.text.components(separatedBy: "<main>").last ?? "")
            XCTAssertTrue(page.text.contains("人均科普经费"))
            XCTAssertTrue(page.text.contains("还缺照片的报告"))
            XCTAssertTrue(page.text.contains("等待审核的草稿（2）"), "the sample's one draft and the one above")
            XCTAssertTrue(page.text.contains("冬季安全科普进校园（计划）"))
            // Every value is escaped: a title with markup shows as text.
            XCTAssertFalse(page.text.contains("<script"))
            XCTAssertTrue(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let list = try await b.get(client, "/reports")
            XCTAssertFalse(list.text.contains("<script"))
            XCTAssertTrue(list.text.contains("&lt;script&gt;"))
        }
    }

    func testMultipartAndEscaping() {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n标题 <b>\r\n--b\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"x.jpg\"\r\n\r\n".utf8)
            + jpegBytes + Array("\r\n--b\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"\"\r\n\r\n\r\n--b--\r\n".utf8)
        let form = FormData.parse(contentType: "multipart/form-data; boundary=b", body: body)
        XCTAssertEqual(form?["title"], "标题 <b>")
        XCTAssertEqual(form?.files.count, 1, "an empty file input is no upload")
        XCTAssertEqual(form?.files.first?.upload.bytes, jpegBytes)
        XCTAssertEqual(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        XCTAssertEqual(FormData.urlEncoded("a=1+2&b=%E4%B8%AD&c").fields.map { $0.0 + "=" + $0.1 }, ["a=1 2", "b=中", "c="])
        XCTAssertEqual(ReportStore.imageKind([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), "png")
        XCTAssertEqual(ReportStore.imageKind([0, 0, 0, 0x18] + Array("ftypheic".utf8)), "heic")
        XCTAssertNil(ReportStore.imageKind(Array("GIF89a".utf8)))
        XCTAssertFalse(ReportStore.isSafeReportPath("reports/../site.yaml.md"))
        XCTAssertFalse(ReportStore.isSafeReportPath("/etc/passwd.md"))
        XCTAssertFalse(ReportStore.isSafeReportPath("projects/kepu-2023.md"))
        XCTAssertTrue(ReportStore.isSafeReportPath("reports/2023/05/2023-05-20-kejizhou.md"))
    }
}
