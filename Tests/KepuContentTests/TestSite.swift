import Foundation
import KepuCore
@testable import KepuContent
import XCTest

/// A content folder written into a fresh temporary directory: `<tmp>/content/...`, so diagnostics name
/// files `content/...` exactly as `kepu check` prints them. Call `remove()` in tearDown.
final class TestSite {
    let base: String
    var content: String { base + "/content" }

    static let siteYAML = "title: 测试站点\nunit: 测试区科协\n"
    /// A 2023 project that lists its kinds.
    static let project2023 = """
        ---
        name: 2023年科普经费
        unit: 测试区科协
        year: 2023
        budget: 2万元
        kinds: [科技周, 科普日, 进社区, 反邪教]
        ---
        项目说明。

        """

    init() {
        let template = NSTemporaryDirectory() + "kepu-test-XXXXXX"
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { buffer -> String? in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        base = made ?? { preconditionFailure("mkdtemp failed") }()
        try! FileManager.default.createDirectory(atPath: content, withIntermediateDirectories: true)
    }

    /// A site with site.yaml and the 2023 project; add reports to it.
    static func standard(siteYAML: String = TestSite.siteYAML) -> TestSite {
        let site = TestSite()
        site.write("site.yaml", siteYAML)
        site.write("projects/p2023.md", project2023)
        return site
    }

    func write(_ path: String, _ text: String) {
        writeBytes(path, Array(text.utf8))
    }

    func writeBytes(_ path: String, _ bytes: [UInt8]) {
        let full = content + "/" + path
        let folder = (full as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try! Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    /// A file outside content/ (beside it in the temporary directory).
    func writeOutside(_ name: String, _ text: String) -> String {
        let full = base + "/" + name
        try! Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func symlink(_ path: String, to target: String) {
        let full = content + "/" + path
        let folder = (full as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try! FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: target)
    }

    func load() -> LoadResult { ContentLoader.load(contentDirectory: content) }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}

/// A report file from its front-matter lines: `---`, the lines, `---`, a body.
func report(_ lines: [String], body: String = "正文第一段。\n") -> String {
    "---\n" + lines.joined(separator: "\n") + "\n---\n" + body
}

extension LoadResult {
    /// Every diagnostic as `kepu check` prints it for a Chinese site.
    var printed: [String] { diagnostics.map { $0.formatted(.zhCN) } }
    var printedEnglish: [String] { diagnostics.map { $0.formatted(.en) } }

    func report(_ slug: String) -> Report? { content?.reports.first { $0.slug == slug } }
}

class SiteTestCase: XCTestCase {
    var sites: [TestSite] = []

    func makeSite(siteYAML: String = TestSite.siteYAML) -> TestSite {
        let s = TestSite.standard(siteYAML: siteYAML)
        sites.append(s)
        return s
    }

    func emptySite() -> TestSite {
        let s = TestSite()
        sites.append(s)
        return s
    }

    override func tearDown() {
        for s in sites { s.remove() }
        sites = []
        super.tearDown()
    }

    /// Loads a standard site with one report at `path` and returns what was printed.
    func diagnostics(for text: String, at path: String = "reports/a.md") -> [String] {
        let site = makeSite()
        site.write(path, text)
        return site.load().printed
    }

    func diagnostics(bytes: [UInt8], at path: String = "reports/a.md") -> [String] {
        let site = makeSite()
        site.writeBytes(path, bytes)
        return site.load().printed
    }
}
