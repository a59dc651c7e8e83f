import Foundation
import KepuBuild
import KepuContent
import KepuCore
@_exported import KepuTestSupport
import XCTest

/// A temporary work folder for the robustness tests (#8): content trees, builds, the kepu binary.
class RobustnessTestCase: XCTestCase {
    var work: String!

    override func setUp() {
        super.setUp()
        work = NSTemporaryDirectory() + "kepu-robust-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let work {
            // Tests may leave read-only folders or mounts behind a failure; make sure they go.
            _ = shell("umount -l '\(work)'/* 2>/dev/null; chmod -R u+rwX '\(work)' 2>/dev/null; true")
            if ProcessInfo.processInfo.environment["KEPU_KEEP_TEST_OUTPUT"] == nil { try? FileManager.default.removeItem(atPath: work) } else { print("kept \(work)") }
        }
        super.tearDown()
    }

    func options(content: String, output: String, now: String = "2024-01-15") -> BuildOptions {
        BuildOptions(contentDirectory: content, outputDirectory: output, themeDirectory: repositoryRoot + "/theme",
                     cacheDirectory: work + "/cache", now: try! Day.parse(now))
    }

    /// Writes a file under `root`, making its folders.
    func write(_ root: String, _ path: String, _ text: String) {
        writeBytes(root, path, Array(text.utf8))
    }

    func writeBytes(_ root: String, _ path: String, _ bytes: [UInt8]) {
        let full = root + "/" + path
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    func copySampleContent(to folder: String) {
        try! FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: folder)
    }

    /// Every file under a folder with its bytes, for byte-for-byte comparisons.
    func snapshot(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: folder) else { return out }
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + f, isDirectory: &isDir), !isDir.boolValue {
                out[f] = FileManager.default.contents(atPath: folder + "/" + f)
            }
        }
        return out
    }

    func assertSameBytes(_ a: [String: Data], _ b: [String: Data], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(a.count, 10, what, file: file, line: line)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), what, file: file, line: line)
        let differing = a.keys.sorted().filter { a[$0] != b[$0] }
        XCTAssertEqual(differing, [], "\(what): files whose bytes differ", file: file, line: line)
    }

    /// The kepu executable built beside this test bundle.
    var kepuBinary: String {
        let bundle = Bundle(for: RobustnessTestCase.self).bundleURL
        var candidates = [bundle.deletingLastPathComponent().appendingPathComponent("kepu").path]
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("kepu").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Runs a shell command line, bounded by `timeout` seconds; returns (status, stdout+stderr).
    @discardableResult
    func shell(_ command: String, timeout: Double = 120) -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (-1, "\(error)") }
        let output = OutputBox()
        let reader = Thread { output.data = pipe.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            return (-2, "timed out after \(timeout) s: \(command)")
        }
        p.waitUntilExit()
        let end = Date().addingTimeInterval(5)
        while output.data == nil && Date() < end { usleep(10_000) }
        return (p.terminationStatus, String(decoding: output.data ?? Data(), as: UTF8.self))
    }
}

final class OutputBox: @unchecked Sendable {
    var data: Data?
}

/// Quotes a path for /bin/sh.
func sq(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
