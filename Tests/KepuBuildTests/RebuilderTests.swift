import Foundation
import KepuBuild
import KepuCore
import XCTest

/// The dev server's rebuilds must give exactly what a full build gives.
final class RebuilderTests: XCTestCase {
    var work: String!

    override func setUp() {
        work = NSTemporaryDirectory() + "kepu-rebuild-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try! FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: work + "/content")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: work) }

    func options(_ output: String) -> BuildOptions {
        BuildOptions(contentDirectory: work + "/content", outputDirectory: output, themeDirectory: repositoryRoot + "/theme",
                     cacheDirectory: work + "/cache", now: try! Day.parse("2024-01-15"))
    }

    func snapshot(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: folder)!
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if f != OutputFolder.marker, FileManager.default.fileExists(atPath: folder + "/" + f, isDirectory: &isDir), !isDir.boolValue {
                out[f] = FileManager.default.contents(atPath: folder + "/" + f)
            }
        }
        return out
    }

    /// A fresh full build of the content as it is now, compared file by file with the live folder.
    func assertLiveEqualsFullBuild(_ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let full = work + "/full-\(UUID().uuidString)"
        let report = Builder.build(options(full))
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en), file: file, line: line)
        let a = snapshot(work + "/live"), b = snapshot(full)
        XCTAssertEqual(Set(a.keys), Set(b.keys), "\(label): file sets differ", file: file, line: line)
        for (path, bytes) in b where a[path] != bytes {
            XCTFail("\(label): \(path) differs from a full build", file: file, line: line)
        }
    }

    func edit(_ relative: String, _ change: (String) -> String) throws {
        let path = work + "/content/" + relative
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try change(text).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A new report, 2023-07-01-jiangzuo, in the sample's 2023 project.
    func addReport() throws {
        try """
        ---
        title: 新增的科普讲座
        date: 2023-07-01
        kind: 培训
        audience: 80
        spend: 120
        ---

        新增报告的正文。
        """.write(toFile: work + "/content/reports/2023/07/2023-07-01-jiangzuo.md", atomically: true, encoding: .utf8)
    }

    /// The compiled theme is kept between rebuilds: an edited template must still show on the next one.
    func testATemplateEditShowsOnTheNextRebuild() throws {
        try FileManager.default.copyItem(atPath: repositoryRoot + "/theme", toPath: work + "/theme")
        var o = options(work + "/live")
        o.themeDirectory = work + "/theme"
        let rebuilder = Rebuilder(options: o)
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        let page = work + "/live/index.html"
        XCTAssertFalse(try String(contentsOfFile: page, encoding: .utf8).contains("kepu-template-edit"))
        let templates = work + "/theme/templates"
        let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: templates).first { $0.hasPrefix("home") })
        let text = try String(contentsOfFile: templates + "/" + name, encoding: .utf8)
        try ("<!-- kepu-template-edit -->\n" + text).write(toFile: templates + "/" + name, atomically: true, encoding: .utf8)
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        XCTAssertTrue(try String(contentsOfFile: page, encoding: .utf8).contains("kepu-template-edit"))
    }

    func testIncrementalRebuildsEqualFullBuilds() throws {
        let rebuilder = Rebuilder(options: options(work + "/live"))
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        XCTAssertEqual(rebuilder.lastRenderedReportPages, 11)
        assertLiveEqualsFullBuild("first build")

        // One report changes: its page and its two neighbours' are rendered again, nothing else.
        try edit("reports/2023/05/2023-05-20-kejizhou.md") { $0.replacingOccurrences(of: "audience: ", with: "audience: 1") }
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        XCTAssertEqual(rebuilder.lastRenderedReportPages, 3)
        assertLiveEqualsFullBuild("one report edited")

        // A body edited: the search index is made again with that report's new pairs, the others' from the memo.
        // The full build it is compared with makes its index from scratch (its cached copy removed first).
        let searchFolder = { try FileManager.default.contentsOfDirectory(atPath: self.work + "/live/search").filter { $0.hasPrefix("idx-") } }
        let before = try searchFolder()
        try edit("reports/2023/05/2023-05-20-kejizhou.md") { $0.replacingOccurrences(of: "\n---\n", with: "\n---\n\n斗南街道新增一段正文。\n") }
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        XCTAssertNotEqual(try searchFolder(), before, "the search index must follow a body edit")
        try FileManager.default.removeItem(atPath: work + "/cache/search")
        assertLiveEqualsFullBuild("one report's body edited")

        // Nothing changes: no report page is rendered.
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        XCTAssertEqual(rebuilder.lastRenderedReportPages, 0)

        // A report removed and another added.
        try FileManager.default.removeItem(atPath: work + "/content/reports/2023/06/2023-06-16-jinjiguan.md")
        try addReport()
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        assertLiveEqualsFullBuild("report removed and added")

        // A project change renders everything.
        try edit("projects/kepu-2023.md") { $0.replacingOccurrences(of: "value: 10000", with: "value: 12000") }
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        XCTAssertEqual(rebuilder.lastRenderedReportPages, 11)
        assertLiveEqualsFullBuild("project edited")
    }

    /// Swift's `==` on strings is canonical equivalence: 豈 (U+F900) equals 豈 (U+8C48), and é equals e + U+0301.
    /// The published bytes differ, so a rebuild must compare what it kept by bytes, or the pages keep the old text.
    func testATitleChangedOnlyInItsCanonicalFormIsRewritten() throws {
        let rebuilder = Rebuilder(options: options(work + "/live"))
        let report = work + "/content/reports/2023/05/2023-05-20-kejizhou.md"
        // The title line is written whole: Foundation's search would find a canonically equivalent text.
        func setTitle(_ title: String) throws {
            let lines = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let edited = lines.map { $0.utf8.starts(with: "title:".utf8) ? "title: " + title : String($0) }
            try Data(edited.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: report))
        }
        func reportPage() throws -> Data {
            let folder = work + "/live/reports/2023"
            let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix("2023-05-20-kejizhou") })
            return try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        try setTitle("\u{F900}Cafe\u{301} 科技活动周")
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        assertLiveEqualsFullBuild("a compatibility ideograph and a decomposed accent")
        for (title, label) in [("\u{8C48}Cafe\u{301} 科技活动周", "the ideograph in its unified form"),
                               ("\u{8C48}Caf\u{E9} 科技活动周", "the accent composed")] {
            XCTAssertTrue(title == "\u{F900}Cafe\u{301} 科技活动周", "the test's premise: Swift finds both titles equal")
            try setTitle(title)
            XCTAssertTrue(rebuilder.rebuild().succeeded)
            XCTAssertNotNil(try reportPage().range(of: Data(title.utf8)), "\(label): the report's page shows the new bytes")
            assertLiveEqualsFullBuild(label)
        }
    }

    func testABrokenFileKeepsTheLastGoodOutput() throws {
        let rebuilder = Rebuilder(options: options(work + "/live"))
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        let before = snapshot(work + "/live")
        try edit("reports/2023/05/2023-05-20-kejizhou.md") { $0.replacingOccurrences(of: "date: 2023-05-20", with: "date: 2023-05-32") }
        let report = rebuilder.rebuild()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.diagnostics.filter { $0.severity == .error }.map(\.problem),
                       [.impossibleDate(key: "date", found: "2023-05-32")])
        XCTAssertEqual(snapshot(work + "/live"), before)
        try edit("reports/2023/05/2023-05-20-kejizhou.md") { $0.replacingOccurrences(of: "date: 2023-05-32", with: "date: 2023-05-20") }
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        assertLiveEqualsFullBuild("fixed again")
    }

    /// With the watcher's paths, a rebuild reads only the files named: no listing, no `stat` of the others. It falls
    /// back to checking everything when a file came or went, or something other than a report changed.
    func testTheWatchersPathsAreTheOnlyFilesReadAgain() throws {
        let rebuilder = Rebuilder(options: options(work + "/live"))
        XCTAssertTrue(rebuilder.rebuild().succeeded)
        let content = work + "/content"
        let a = "reports/2023/05/2023-05-20-kejizhou.md", b = "reports/2023/06/2023-06-16-jinjiguan.md"
        func page(_ slug: String) throws -> String {
            let folder = work + "/live/reports/2023"
            let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix(slug) })
            return try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        }

        // Both files change, the watcher names one (and an editor's temporary file, gone again): only that one is read.
        try edit(a) { $0.replacingOccurrences(of: "\n---\n", with: "\n---\n\n甲报告新增的正文。\n") }
        try edit(b) { $0.replacingOccurrences(of: "\n---\n", with: "\n---\n\n乙报告新增的正文。\n") }
        XCTAssertTrue(rebuilder.rebuild(changed: [content + "/" + b, content + "/" + b + ".tmp-save", content + "/reports/.x.swp"]).succeeded)
        XCTAssertTrue(try page("2023-06-16-jinjiguan").contains("乙报告新增的正文"))
        XCTAssertFalse(try page("2023-05-20-kejizhou").contains("甲报告新增的正文"), "a file the watcher did not name is not read")
        // Without the watcher's word, every file is checked again.
        XCTAssertTrue(rebuilder.rebuild(changed: nil).succeeded)
        XCTAssertTrue(try page("2023-05-20-kejizhou").contains("甲报告新增的正文"))
        assertLiveEqualsFullBuild("after a rebuild that checked every file")

        // A new report named by the watcher: the folder is listed again and the report is there.
        try addReport()
        XCTAssertTrue(rebuilder.rebuild(changed: [content + "/reports/2023/07/2023-07-01-jiangzuo.md"]).succeeded)
        assertLiveEqualsFullBuild("a report added")

        // A project named by the watcher: everything is checked and rendered again.
        try edit("projects/kepu-2023.md") { $0.replacingOccurrences(of: "value: 10000", with: "value: 12000") }
        XCTAssertTrue(rebuilder.rebuild(changed: [content + "/projects/kepu-2023.md"]).succeeded)
        XCTAssertEqual(rebuilder.lastRenderedReportPages, 12)
        assertLiveEqualsFullBuild("a project edited")

        // A report removed, named by the watcher.
        try FileManager.default.removeItem(atPath: content + "/" + b)
        XCTAssertTrue(rebuilder.rebuild(changed: [content + "/" + b]).succeeded)
        assertLiveEqualsFullBuild("a report removed")
    }
}
