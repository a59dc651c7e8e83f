import Foundation
import KepuCore
@testable import KepuContent
import XCTest

final class LinkAndBundleTests: SiteTestCase {
    func testALinkOutOfContentIsReportedAndNeverRead() {
        let site = makeSite()
        let secret = site.writeOutside("secret.txt", "root:x:0:0\n")
        site.symlink("static/passwd.txt", to: secret)
        site.symlink("reports/evil.md", to: secret)
        let result = site.load()
        XCTAssertEqual(result.printed, [
            "content/reports/evil.md:1:1: 错误: content/reports/evil.md 是指向 content 文件夹以外的链接，为安全起见没有读取\n    把文件本身复制到 content 文件夹里，不要用快捷方式或链接。",
            "content/static/passwd.txt:1:1: 错误: content/static/passwd.txt 是指向 content 文件夹以外的链接，为安全起见没有读取\n    把文件本身复制到 content 文件夹里，不要用快捷方式或链接。",
        ])
        XCTAssertEqual(result.content?.staticFiles, [])
    }

    func testALinkInsideContentIsFine() {
        let site = makeSite()
        site.write("static/a.txt", "hello")
        site.symlink("static/b.txt", to: site.content + "/static/a.txt")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        XCTAssertEqual(result.content?.staticFiles, ["a.txt", "b.txt"])
    }

    func testAReportBelowABundleIsNamedNotDropped() {
        let site = makeSite()
        site.write("reports/2023/index.md", report(["title: 误放的 index", "date: 2023-05-01", "kind: 科普日"]))
        site.write("reports/2023/05/a.md", report(["title: 甲", "date: 2023-05-02", "kind: 科普日"]))
        let result = site.load()
        XCTAssertEqual(result.printed, [
            "content/reports/2023/05/a.md:1:1: 警告: 这个文件在带照片的报告文件夹 content/reports/2023 里，不会作为报告读取\n    报告文件夹里只放 index.md 和照片；其他报告请移到外面。",
        ])
        XCTAssertEqual(result.content?.reports.map(\.slug), ["2023"])
    }
}

/// The loader's name for a report, from its path: the file without `.md`, or a bundle's folder.
final class SlugTests: XCTestCase {
    func testSlugsAndBundles() {
        let cases: [(String, String, Bool)] = [
            ("reports/2023/05/2023-05-20-kejizhou.md", "2023-05-20-kejizhou", false),
            ("reports/2023/09/2023-09-16-kepuri/index.md", "2023-09-16-kepuri", true),
            ("reports/a/INDEX.MD", "a", true),
            ("reports/a/Index.Md", "a", true),
            ("reports/a/myindex.md", "myindex", false),
            ("reports/index.md", "index", true),  // an index.md at the top has no folder of its own to name it
            ("reports/科普日.MD", "科普日", false),
        ]
        for (path, slug, bundle) in cases {
            XCTAssertEqual(ContentLoader.slug(of: path), slug, path)
            XCTAssertEqual(ContentLoader.isBundleIndex(path), bundle, path)
        }
    }
}
