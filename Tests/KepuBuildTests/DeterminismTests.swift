import Foundation
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// #8 §5: the same content gives the same bytes, whatever the thread count or the order in which
/// the file system lists the files. (Two plain runs: BuildTests.testTwoBuildsAreByteIdentical.)
final class DeterminismTests: RobustnessTestCase {
    func testSameBytesOnOneCoreAndOnAll() throws {
        let binary = kepuBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("no kepu binary beside the tests at \(binary)") }
        guard shell("command -v taskset", timeout: 10).0 == 0 else { throw XCTSkip("taskset is not installed: cannot pin a build to one core") }
        func command(_ name: String) -> String {
            "\(sq(binary)) build --content \(sq(repositoryRoot + "/content")) --theme \(sq(repositoryRoot + "/theme")) --output \(sq(work + "/" + name)) --cache \(sq(work + "/cache-" + name)) --now 2024-01-15"
        }
        let all = shell(command("all"), timeout: 300)
        XCTAssertEqual(all.0, 0, all.1)
        let one = shell("taskset -c 0 " + command("one"), timeout: 300)
        XCTAssertEqual(one.0, 0, one.1)
        // The pinned process really saw one core.
        XCTAssertEqual(shell("taskset -c 0 nproc", timeout: 10).1.trimmingCharacters(in: .whitespacesAndNewlines), "1")
        assertSameBytes(snapshot(work + "/all"), snapshot(work + "/one"), "all cores vs one core")
    }

    func testSameBytesWhateverTheFileSystemOrder() throws {
        // A copy of the sample content whose folders and files are created in reverse order (and with
        // fresh inodes), so directory listings come back in another order.
        let source = repositoryRoot + "/content"
        let reversed = work + "/reversed"
        var folders: [String] = [], files: [String] = []
        let e = FileManager.default.enumerator(atPath: source)!
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: source + "/" + f, isDirectory: &isDir)
            if isDir.boolValue { folders.append(f) } else { files.append(f) }
        }
        XCTAssertGreaterThan(files.count, 10)
        try FileManager.default.createDirectory(atPath: reversed, withIntermediateDirectories: true)
        for f in folders.sorted().reversed() {
            try FileManager.default.createDirectory(atPath: reversed + "/" + f, withIntermediateDirectories: true)
        }
        for f in files.sorted().reversed() {
            try Data(contentsOf: URL(fileURLWithPath: source + "/" + f)).write(to: URL(fileURLWithPath: reversed + "/" + f))
        }
        let a = Builder.build(BuildOptions(contentDirectory: source, outputDirectory: work + "/a", themeDirectory: repositoryRoot + "/theme",
                                           cacheDirectory: work + "/cache-a", now: try Day.parse("2024-01-15")))
        XCTAssertTrue(a.succeeded, Terminal.diagnostics(a.diagnostics, .en))
        let b = Builder.build(BuildOptions(contentDirectory: reversed, outputDirectory: work + "/b", themeDirectory: repositoryRoot + "/theme",
                                           cacheDirectory: work + "/cache-b", now: try Day.parse("2024-01-15")))
        XCTAssertTrue(b.succeeded, Terminal.diagnostics(b.diagnostics, .en))
        assertSameBytes(snapshot(work + "/a"), snapshot(work + "/b"), "sample content vs its reversed copy")
    }
}
