import Foundation
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// `kepu build` with nothing changed only checks that, and says so; any change to what a build reads, or
/// to the output it left, means a full build that ends as a fresh one would.
final class UpToDateTests: RobustnessTestCase {
    var content: String { work + "/content" }
    var output: String { work + "/public" }

    func checking(now: String = "2024-01-15") -> BuildOptions {
        var o = options(content: content, output: output, now: now)
        o.unchangedCheck = .skip
        return o
    }

    /// The sample content, copied and left to settle: a file changed within the second before a build
    /// is never trusted by its stamp.
    func settledSample() {
        copySampleContent(to: content)
        // A warning for the unchanged build to repeat.
        write(content, "reports/2023/12/2023-12-01-new.md",
              "---\ntitle: 新加的一次活动\ndate: 2023-12-01\nkind: 科普日\naudience: 10\nfoo: 1\n---\n正文。\n")
        usleep(1_100_000)
    }

    func built(_ o: BuildOptions, file: StaticString = #filePath, line: UInt = #line) -> BuildReport {
        let report = Builder.build(o)
        XCTAssertTrue(report.succeeded, report.printedDiagnostics, file: file, line: line)
        return report
    }

    func testAnUnchangedBuildOnlyChecksAndRepeatsTheLastReport() throws {
        settledSample()
        let first = built(checking())
        XCTAssertNil(first.unchanged, "nothing remembered yet")
        XCTAssertGreaterThan(first.warnings, 0, "the sample has warnings to repeat")
        let page = output + "/index.html"
        let stampBefore = FileSystem.stamp(page)
        let treeBefore = snapshot(output)

        let second = built(checking())
        let same = try XCTUnwrap(second.unchanged, "nothing changed: only checked")
        XCTAssertEqual(same.diagnostics, first.printedDiagnostics, "the same warnings, word for word")
        XCTAssertEqual(second.printedDiagnostics, first.printedDiagnostics)
        XCTAssertEqual(second.warnings, first.warnings)
        XCTAssertEqual([second.projects, second.reports, second.draftsLeftOut, second.pages, second.slides, second.photos, second.files],
                       [first.projects, first.reports, first.draftsLeftOut, first.pages, first.slides, first.photos, first.files])
        XCTAssertEqual(second.language, first.language)
        XCTAssertEqual(FileSystem.stamp(page), stampBefore, "nothing was written")
        XCTAssertEqual(snapshot(output), treeBefore)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/.public.kepu-staging"))

        let summary = Terminal.buildSummary(second, output: "public")
        XCTAssertTrue(summary.hasPrefix("没有改动："), summary)
        XCTAssertTrue(summary.contains("--rebuild"), summary)
        XCTAssertTrue(summary.contains("网页      \(first.pages)"), summary)

        // Without the check (tests, `kepu serve`, `--rebuild`) every build is a full one.
        XCTAssertNil(built(options(content: content, output: output)).unchanged)
        var rebuild = checking()
        rebuild.unchangedCheck = .remember
        XCTAssertNil(built(rebuild).unchanged)
        XCTAssertNotNil(built(checking()).unchanged, "what --rebuild wrote is remembered")

        var english = second
        english.language = .en
        XCTAssertTrue(Terminal.buildSummary(english, output: "public").hasPrefix("nothing changed: "))
    }

    func testAChangedInputIsBuiltAndTheOutputMatchesAFreshBuild() throws {
        settledSample()
        _ = built(checking())
        XCTAssertNotNil(built(checking()).unchanged)

        // A figure changed in a report: a full build, whose pages show it.
        let edited = content + "/reports/2023/05/2023-05-20-kejizhou.md"
        let text = try String(contentsOfFile: edited, encoding: .utf8)
        try text.replacingOccurrences(of: "title: ", with: "title: 改过的").write(toFile: edited, atomically: true, encoding: .utf8)
        let afterEdit = built(checking())
        XCTAssertNil(afterEdit.unchanged, "a report changed")
        XCTAssertTrue(try String(contentsOfFile: output + "/reports/index.html", encoding: .utf8).contains("改过的"))
        // Saved within the second before that build: its stamp is not trusted, so the next one builds too.
        XCTAssertNil(built(checking()).unchanged, "a save in the build's clock tick could keep its stamp")

        // Another build date, another output.
        XCTAssertNil(built(checking(now: "2024-01-16")).unchanged)
        usleep(1_100_000)
        XCTAssertNil(built(checking()).unchanged, "back to the first date")
        XCTAssertNotNil(built(checking()).unchanged)

        XCTAssertTrue(Builder.build(options(content: content, output: work + "/fresh")).succeeded)
        XCTAssertEqual(snapshot(output), snapshot(work + "/fresh"))
    }

    func testAnOutputChangedByHandIsBuiltAgain() throws {
        settledSample()
        _ = built(checking())
        let page = output + "/index.html"
        let original = try XCTUnwrap(FileManager.default.contents(atPath: page))

        // Same size, other bytes: seen by its stamp.
        var bytes = original
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        usleep(20_000)
        try bytes.write(to: URL(fileURLWithPath: page))
        XCTAssertNil(built(checking()).unchanged, "an edited page")
        XCTAssertEqual(FileManager.default.contents(atPath: page), original, "put back")

        // A file removed, a file added, an empty folder added.
        XCTAssertNotNil(built(checking()).unchanged)
        try FileManager.default.removeItem(atPath: page)
        XCTAssertNil(built(checking()).unchanged, "a removed page")
        XCTAssertEqual(FileManager.default.contents(atPath: page), original)
        try Data("x".utf8).write(to: URL(fileURLWithPath: output + "/extra.txt"))
        XCTAssertNil(built(checking()).unchanged, "an added file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + "/extra.txt"))
        try FileManager.default.createDirectory(atPath: output + "/empty", withIntermediateDirectories: true)
        XCTAssertNil(built(checking()).unchanged, "an added folder")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + "/empty"))

        // Each of those builds remembered what it left.
        XCTAssertNotNil(built(checking()).unchanged)
    }

    func testASymbolicLinkInTheContentIsNeverTrusted() throws {
        settledSample()
        try FileManager.default.createDirectory(atPath: work + "/elsewhere", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: work + "/elsewhere/notes.txt"))
        try FileManager.default.createSymbolicLink(atPath: content + "/linked", withDestinationPath: work + "/elsewhere")
        usleep(1_100_000)
        _ = built(checking())
        XCTAssertNil(built(checking()).unchanged, "what a link points to may change without its stamp changing")
    }
}
