import Foundation
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// The output a build replaces becomes the next build's staging folder: files already holding the right
/// bytes stay as they are, everything else ends exactly as a build into an empty folder would leave it.
final class RecyclingTests: RobustnessTestCase {
    func inode(_ path: String) -> UInt64? { FileSystem.stamp(path)?.inode }

    func testRecycledBuildsEqualFreshBuildsAndKeepUnchangedFiles() throws {
        let content = work + "/content"
        copySampleContent(to: content)
        let output = work + "/public"
        let old = work + "/.public.kepu-old"
        XCTAssertTrue(Builder.build(options(content: content, output: output)).succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: old), "nothing to keep after the first build")
        let firstInode = try XCTUnwrap(inode(output + "/open-data/index.html"))
        XCTAssertTrue(Builder.build(options(content: content, output: output)).succeeded)
        XCTAssertTrue(FileManager.default.fileExists(atPath: old + "/" + OutputFolder.marker), "the replaced output is kept, marked")

        // Change the content: one report edited, one removed, one added; and another build date.
        let edited = content + "/reports/2023/05/2023-05-20-kejizhou.md"
        let text = try String(contentsOfFile: edited, encoding: .utf8)
        try text.replacingOccurrences(of: "title: ", with: "title: 改过的").write(toFile: edited, atomically: true, encoding: .utf8)
        let removed = try XCTUnwrap(FileSystem.listFiles(under: content + "/reports").first { $0.hasSuffix(".md") && !$0.contains("05-20") && !$0.contains("/index.md") })
        try FileManager.default.removeItem(atPath: content + "/reports/" + removed)
        write(content, "reports/2023/12/2023-12-01-new.md", "---\ntitle: 新加的一次活动\ndate: 2023-12-01\nkind: 科普日\naudience: 10\n---\n正文。\n")
        // An earlier build's leftovers in the way: a folder where a page goes, a file where a folder goes.
        try FileManager.default.removeItem(atPath: old + "/reports/index.html")
        try FileManager.default.createDirectory(atPath: old + "/reports/index.html/deep", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: old + "/assets/site.css.d"))
        try? FileManager.default.removeItem(atPath: old + "/data")
        try Data("a file where data/ goes".utf8).write(to: URL(fileURLWithPath: old + "/data"))

        let report = Builder.build(options(content: content, output: output, now: "2024-01-16"))
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        let fresh = work + "/fresh"
        XCTAssertTrue(Builder.build(options(content: content, output: fresh, now: "2024-01-16")).succeeded)
        let recycled = snapshot(output)
        XCTAssertEqual(Set(recycled.keys), Set(snapshot(fresh).keys), "no stale file is left, none is missing")
        XCTAssertEqual(recycled, snapshot(fresh))
        let removedSlug = URL(fileURLWithPath: removed).deletingPathExtension().lastPathComponent
        XCTAssertFalse(recycled.keys.contains { $0.hasSuffix("/" + removedSlug + ".html") }, "the removed report's page is gone")
        // Folders the new build does not use are gone too.
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + "/reports/index.html/deep"))
        // A page whose bytes did not change was not written again: the third build reused the first's file.
        XCTAssertEqual(inode(output + "/open-data/index.html"), firstInode)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/.public.kepu-staging"))
    }

    /// The cache remembers what each tree holds, so an unchanged file is not even read; a file edited by
    /// hand in the kept folder (same size, other bytes) is noticed by its stamp and written again.
    func testManifestSkipsReadsButNeverTrustsAnEditedFile() throws {
        let output = work + "/public"
        let old = work + "/.public.kepu-old"
        for _ in 0..<3 { XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: output)).succeeded) }
        let manifests = try FileManager.default.contentsOfDirectory(atPath: work + "/cache/output").filter { $0.hasSuffix(".tsv") }
        XCTAssertEqual(manifests.count, 2, "one for the output and one for the folder kept beside it: \(manifests)")
        let page = old + "/open-data/index.html"
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: page))
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        usleep(20_000)
        try bytes.write(to: URL(fileURLWithPath: page))
        XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: output)).succeeded)
        XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: work + "/fresh")).succeeded)
        XCTAssertEqual(snapshot(output), snapshot(work + "/fresh"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work + "/cache/output").filter { $0.hasSuffix(".tsv") }.count, 3,
                       "two for the output and the folder kept beside it, one for the fresh output (built once)")
    }

    /// A symbolic link in the kept folder (put into the published site by hand) is replaced, never
    /// written through: nothing outside the output changes.
    func testLinksInTheKeptFolderAreNotFollowed() throws {
        let output = work + "/public"
        let old = work + "/.public.kepu-old"
        for _ in 0..<2 { XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: output)).succeeded) }
        try Data("outside".utf8).write(to: URL(fileURLWithPath: work + "/outside.html"))
        try FileManager.default.createDirectory(atPath: work + "/outside-folder", withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: old + "/open-data/index.html")
        try FileManager.default.createSymbolicLink(atPath: old + "/open-data/index.html", withDestinationPath: work + "/outside.html")
        try FileManager.default.removeItem(atPath: old + "/assets")
        try FileManager.default.createSymbolicLink(atPath: old + "/assets", withDestinationPath: work + "/outside-folder")
        XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: output)).succeeded)
        XCTAssertEqual(FileManager.default.contents(atPath: work + "/outside.html"), Data("outside".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work + "/outside-folder"), [])
        XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: work + "/fresh")).succeeded)
        XCTAssertEqual(snapshot(output), snapshot(work + "/fresh"))
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: output + "/assets"), "a real folder now")
    }

    /// A crash between the two renames of a swap leaves no output, the last one set aside and a new tree
    /// staged. The next build puts the last output back first, so even a failing build leaves the site.
    func testACrashDuringTheSwapNeverLosesTheSite() throws {
        let output = work + "/public"
        let old = work + "/.public.kepu-old"
        let staging = work + "/.public.kepu-staging"
        for _ in 0..<2 { XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: output)).succeeded) }
        let before = snapshot(output)
        try FileManager.default.removeItem(atPath: old)
        try FileManager.default.moveItem(atPath: output, toPath: old)
        try FileManager.default.createDirectory(atPath: staging + "/half", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: staging + "/" + OutputFolder.marker))
        let broken = work + "/content"
        copySampleContent(to: broken)
        write(broken, "reports/2023/12/bad.md", "---\ntitle: 坏的\ndate: 2023-02-30\nkind: 科普日\n---\n")
        XCTAssertFalse(Builder.build(options(content: broken, output: output)).succeeded)
        XCTAssertEqual(snapshot(output), before, "the last good site is back in place")
    }

    func testAFolderWithoutTheMarkerIsNeverRecycled() throws {
        let output = work + "/public"
        _ = previous(output)
        let old = work + "/.public.kepu-old"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: old + "/notes.txt"))
        let report = Builder.build(options(content: repositoryRoot + "/content", output: output))
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.diagnostics.filter { $0.severity == .error }.map(\.problem), [.outputNotKepu(path: old)])
        XCTAssertEqual(FileManager.default.contents(atPath: old + "/notes.txt"), Data("mine".utf8))
    }

    /// Files are created by name in a descriptor of their folder, kept for at most 256 folders: past that, by the
    /// whole path. Either way every file lands where its path says, a folder first made as another's parent
    /// gets its files too, and no descriptor is left open once the output is in place.
    func testFilesInManyFoldersLandByTheirPathsAndNoDescriptorStaysOpen() throws {
        func openUnder(_ folder: String) -> Int {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return fds.filter { ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) ?? "").hasPrefix(folder) }.count
        }
        let output = work + "/public"
        var expected: [String: Data] = [:]
        do {
            let folder = OutputFolder(path: output)
            let sink = try folder.prepare()
            // 300 folders two levels deep (the parent first made only as a parent), then a file in each parent.
            for i in 0..<300 {
                let path = "p\(i % 7)/f\(i)/page.html"
                try sink.write(path, Array("第\(i)页".utf8))
                expected[path] = Data("第\(i)页".utf8)
            }
            for p in 0..<7 {
                try sink.write("p\(p)/index.html", Array("目录\(p)".utf8))
                expected["p\(p)/index.html"] = Data("目录\(p)".utf8)
            }
            try sink.write("top.html", Array("顶".utf8))
            expected["top.html"] = Data("顶".utf8)
            XCTAssertGreaterThan(openUnder(work + "/"), 250, "the folders' descriptors are kept while the build writes")
            try folder.commit(sink)
            XCTAssertEqual(openUnder(work + "/"), 0, "none is left open once the output is in place")
        }
        let written = snapshot(output).filter { !$0.key.hasPrefix(".") && $0.key != OutputFolder.marker }
        XCTAssertEqual(written, expected)
    }

    func previous(_ output: String) -> [String: Data] {
        let report = Builder.build(options(content: repositoryRoot + "/content", output: output))
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        return snapshot(output)
    }
}
