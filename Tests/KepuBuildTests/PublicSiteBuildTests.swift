import Foundation
@testable import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// `kepu build` for the public site over the years: correction dates against the build date, `--gzip`.
final class PublicSiteBuildTests: XCTestCase {
    var work: String!

    override func setUp() {
        work = NSTemporaryDirectory() + "kepu-public-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: work) }

    /// The sample content with one report of its own beside it.
    func content(report: String) throws -> String {
        let dir = work + "/content"
        try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: dir)
        try report.write(toFile: dir + "/reports/2023/12/fix.md", atomically: true, encoding: .utf8)
        return dir
    }

    func options(_ content: String, now: String = "2024-01-15") -> BuildOptions {
        var o = BuildOptions(contentDirectory: content, outputDirectory: work + "/public", themeDirectory: repositoryRoot + "/theme",
                             cacheDirectory: work + "/cache", now: try! Day.parse(now))
        o.ledVideo = .off
        return o
    }

    func report(_ corrections: String, updated: String = "") -> String {
        "---\ntitle: 更正测试\ndate: 2023-12-10\nkind: 进社区\naudience: 10\n\(updated)corrections:\n\(corrections)---\n正文。\n"
    }

    func testACorrectionBeforeItsReportIsAnErrorAtItsLine() throws {
        let dir = try content(report: report("  - {date: 2023-12-01, text: 早于报道}\n"))
        let result = Builder.build(options(dir))
        XCTAssertFalse(result.succeeded)
        let error = try XCTUnwrap(result.diagnostics.first { $0.severity == .error })
        XCTAssertEqual(error.problem, .site(.changeBeforeReport(key: "corrections[1].date", date: "2023-12-01", reportDate: "2023-12-10")))
        XCTAssertTrue(error.path.hasSuffix("reports/2023/12/fix.md"))
        XCTAssertEqual(error.line, 7)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/public/index.html"), "a failed build writes nothing")
    }

    func testAChangeAfterTheBuildDateIsAnError() throws {
        let dir = try content(report: report("  - {date: 2023-12-20, text: 正常}\n", updated: "updated: 2024-02-01\n"))
        let result = Builder.build(options(dir, now: "2024-01-15"))
        XCTAssertFalse(result.succeeded)
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.map(\.problem),
                       [.site(.changeInFuture(key: "updated", date: "2024-02-01", today: "2024-01-15"))])
        // The same content a month later is fine.
        let later = Builder.build(options(dir, now: "2024-02-15"))
        XCTAssertTrue(later.succeeded, Terminal.diagnostics(later.diagnostics, .en))
    }

    func testGzipWritesDeterministicGzipBesideEveryTextFile() throws {
        var o = options(repositoryRoot + "/content")
        o.gzip = true
        XCTAssertTrue(Builder.build(o).succeeded)
        let root = work + "/public"
        let files = FileManager.default.enumerator(atPath: root)!.allObjects as! [String]
        let texts = files.filter { Gzip.isText($0) }
        XCTAssertTrue(texts.contains("index.html") && texts.contains("assets/site.css") && texts.contains("feed.xml"))
        for f in texts {
            XCTAssertTrue(files.contains(f + ".gz"), "no \(f).gz")
        }
        XCTAssertFalse(files.contains { $0.hasSuffix(".jpg.gz") || $0.hasSuffix(".png.gz") || $0.hasSuffix(".gz.gz") })
        let gz = try XCTUnwrap(FileManager.default.contents(atPath: root + "/index.html.gz"))
        // gzip magic, deflate, no flags (no name), modification time 0: `gzip -n`.
        XCTAssertEqual(Array(gz.prefix(8)), [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0])
        // It unpacks to the page, by the system's gzip.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-dc", root + "/index.html.gz"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let unpacked = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(unpacked, FileManager.default.contents(atPath: root + "/index.html"))
        // A second build gives the same bytes.
        let first = gz
        o.outputDirectory = work + "/again"
        XCTAssertTrue(Builder.build(o).succeeded)
        XCTAssertEqual(FileManager.default.contents(atPath: work + "/again/index.html.gz"), first)
    }
}
