import Foundation
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// #8 §1, structure: file and folder names with spaces and Chinese load and give working pages.
final class BadInputBuildTests: RobustnessTestCase {
    func testFileNamesWithSpacesAndChineseBuildWorkingPages() throws {
        let content = work + "/content"
        write(content, "site.yaml", "title: 测试站点\nunit: 测试区科协\n")
        write(content, "projects/2023 科普 项目.md", "---\nname: 2023年科普经费\nunit: 测试区科协\nyear: 2023\nbudget: 2万元\n---\n项目说明。\n")
        write(content, "reports/上半年 活动/科普日 活动 总结.md", "---\ntitle: 科普日\ndate: 2023-09-16\nkind: 科普日\n---\n正文。\n")
        write(content, "reports/下半年/进 社区/index.md", "---\ntitle: 进社区\ndate: 2023-10-16\nkind: 进社区\nphotos: [现场 照片.jpg]\n---\n正文。\n")
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: try XCTUnwrap(samplePhoto())))
        try jpeg.write(to: URL(fileURLWithPath: content + "/reports/下半年/进 社区/现场 照片.jpg"))
        let loaded = ContentLoader.load(contentDirectory: content)
        XCTAssertEqual(loaded.diagnostics.map { $0.formatted(.zhCN) }, [])
        XCTAssertEqual(loaded.content?.reports.map(\.slug), ["科普日 活动 总结", "进 社区"])
        XCTAssertEqual(loaded.content?.reports.map(\.projectID), ["2023 科普 项目", "2023 科普 项目"])

        let output = work + "/public"
        let report = Builder.build(options(content: content, output: output))
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        let files = snapshot(output).keys.sorted()
        let reportPages = files.filter { $0.hasPrefix("reports/2023/") && $0.hasSuffix(".html") && !$0.hasSuffix("index.html") }
        XCTAssertEqual(reportPages.count, 2, files.joined(separator: "\n"))
        // Every link on the site's pages that points into the site resolves to a file that exists.
        var checked = 0
        for page in files where page.hasSuffix(".html") {
            let html = String(decoding: FileManager.default.contents(atPath: output + "/" + page)!, as: UTF8.self)
            for href in Self.links(in: html) where !href.contains("://") && !href.hasPrefix("#") && !href.hasPrefix("mailto:") {
                let path = href.split(separator: "#").first.map(String.init) ?? href
                guard !path.isEmpty else { continue }
                let decoded = path.removingPercentEncoding ?? path
                var target = URL(fileURLWithPath: output + "/" + page).deletingLastPathComponent().appendingPathComponent(decoded).standardized.path
                if decoded.hasSuffix("/") { target += "/index.html" }
                XCTAssertTrue(FileManager.default.fileExists(atPath: target), "\(page) links to \(href), which does not exist")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20)
        // The project's page, under its id with spaces, and a photo of the bundle.
        XCTAssertTrue(files.contains { $0.hasPrefix("projects/") && $0.contains("2023") && $0.hasSuffix("index.html") }, files.joined(separator: "\n"))
        XCTAssertTrue(files.contains { $0.hasPrefix("photos/") && $0.hasSuffix(".jpg") }, files.joined(separator: "\n"))
    }

    /// Bodies that are quadratic or deeply recursive for naive Markdown parsers, and a summary of each
    /// on the LED screen: the whole site builds, bounded in time, with no crash.
    func testPathologicalMarkdownBuildsInBoundedTime() throws {
        let content = work + "/content"
        write(content, "site.yaml", "title: 测试站点\nunit: 测试区科协\n")
        write(content, "projects/p2023.md", "---\nname: 2023年科普经费\nunit: 测试区科协\nyear: 2023\nbudget: 2万元\n---\n项目说明。\n")
        let bodies: [String: String] = [
            "brackets": String(repeating: "[", count: 100_000),
            "quotes": String(repeating: "> ", count: 20_000) + "x",
            "lists": (0..<3000).map { String(repeating: "  ", count: $0) + "- x" }.joined(separator: "\n"),
            "emphasis": String(repeating: "*a **a ", count: 30_000),
            "links": String(repeating: "[a](", count: 30_000),
            "backticks": String(repeating: "`", count: 50_000) + "a" + String(repeating: "`", count: 49_999),
            "entity": "&#" + String(repeating: "9", count: 100_000) + ";",
            "table": String(repeating: "|a|", count: 20_000) + "\n" + String(repeating: "|-|", count: 20_000) + "\n" + String(repeating: "|b|", count: 20_000),
            "angles": String(repeating: "<", count: 100_000),
            "long-line": String(repeating: "科普", count: 1_000_000),
        ]
        for (i, (name, body)) in bodies.sorted(by: { $0.key < $1.key }).enumerated() {
            write(content, "reports/\(name).md", "---\ntitle: \(name)\ndate: 2023-05-\(10 + i)\nkind: 科普日\n---\n" + body + "\n")
        }
        let box = BuildBox()
        let done = DispatchSemaphore(value: 0)
        let opts = options(content: content, output: work + "/public")
        Thread {
            box.report = Builder.build(opts)
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + 120) == .success else { return XCTFail("the build did not finish within 120 s") }
        let report = try XCTUnwrap(box.report)
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        XCTAssertEqual(report.reports, bodies.count)
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/public/reports/2023/quotes.html"))
    }

    func samplePhoto() -> String? {
        let e = FileManager.default.enumerator(atPath: repositoryRoot + "/content/reports")!
        while let f = e.nextObject() as? String {
            if f.hasSuffix(".jpg") { return repositoryRoot + "/content/reports/" + f }
        }
        return nil
    }

    static func links(in html: String) -> [String] {
        HostileContentTests.tags(in: html).flatMap { tag in
            tag.attributes.filter { $0.0 == "href" || $0.0 == "src" }.map { HostileContentTests.decodeEntities($0.1) }
        }
    }
}

final class BuildBox: @unchecked Sendable {
    var report: BuildReport?
}
