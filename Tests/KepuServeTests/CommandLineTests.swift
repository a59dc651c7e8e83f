import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The `kepu` executable itself: `new` prints a path or fails with exit 1, `serve` prints its address and stops
/// cleanly on Ctrl-C (SIGINT) and SIGTERM.
final class CommandLineTests: XCTestCase {
    var work: String!
    var content: String { work + "/content" }

    override func setUp() {
        work = NSTemporaryDirectory() + "kepu-cli-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: work + "/tmp", withIntermediateDirectories: true)
        try! FileManager.default.copyItem(atPath: ServeTests.repositoryRoot + "/theme", toPath: work + "/theme")
        write("site.yaml", "title: 测试站点\nunit: 测试区科协\n")
        write("projects/p2023.md", ServeTests.project)
        write("reports/2023/05/2023-05-20-kejizhou.md", ServeTests.report(audience: 1234))
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: work) }

    func write(_ relative: String, _ text: String) {
        let full = content + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    /// The built `kepu` beside the test bundle.
    func executable() throws -> String {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          Bundle(for: CommandLineTests.self).bundleURL.deletingLastPathComponent()]
        for folder in candidates {
            let path = folder.appendingPathComponent("kepu").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw XCTSkip("the kepu executable is not built beside the tests")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        let out = work + "/out-\(UUID().uuidString)", err = out + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        XCTAssertNotNil(waitFor(seconds: 30) { !process.isRunning }, "kepu \(arguments) did not finish")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Bad usage exits 2 and says what is wrong; `check` exits 1 on a content error and 0 when clean.
    func testExitCodesOfCheckAndBuild() throws {
        let badBase = try run(["build", "--base-url", "javascript:alert(1)", "--output", work + "/out"])
        XCTAssertEqual(badBase.status, 2)
        XCTAssertTrue(badBase.stderr.contains("--base-url must be a path like /kepu/ or an http(s) address"), badBase.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/out"))
        XCTAssertEqual(try run(["build", "--now", "2023-02-30"]).status, 2)
        XCTAssertEqual(try run(["check", "--content", work + "/no-such-folder"]).status, 1)
    }

    func testNewPrintsThePathAndNeverOverwrites() throws {
        let first = try run(["new", "report", "2023年全国科普日主场活动", "--kind", "科普日", "--date", "2023-09-16"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, "content/reports/2023/09/2023-09-16-kepuri.md\n")
        let again = try run(["new", "report", "2023年全国科普日主场活动", "--kind", "科普日", "--date", "2023-09-16"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("文件已存在，没有覆盖：content/reports/2023/09/2023-09-16-kepuri.md"), again.stderr)
        let outside = try run(["new", "report", "科普日", "--date", "2021-09-18"])
        XCTAssertEqual(outside.status, 1)
        XCTAssertTrue(outside.stderr.contains("日期 2021-09-18 不属于任何项目的年度"), outside.stderr)
        XCTAssertEqual(try run(["new", "report", "科普日", "--slug", "Bad_Slug"]).status, 2)
        XCTAssertEqual(try run(["new", "report", "科普日", "--date", "2023-02-30"]).status, 2)
        let check = try run(["check"])
        XCTAssertEqual(check.status, 0, check.stderr)
    }

    func testServeStopsCleanlyOnSigintAndSigterm() throws {
        for signal in [SIGINT, SIGTERM] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try executable())
            process.arguments = ["serve", "--port", "0", "--now", "2024-01-15", "--cache", work + "/cache"]
            process.currentDirectoryURL = URL(fileURLWithPath: work)
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = work + "/tmp"
            process.environment = environment
            let out = work + "/serve.out", err = work + "/serve.err"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            _ = FileManager.default.createFile(atPath: err, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: err)
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            var url = ""
            XCTAssertNotNil(waitFor(seconds: 30) {
                url = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                return url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/")
            }, (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
            let port = try XCTUnwrap(UInt16(url.dropFirst("http://127.0.0.1:".count).dropLast()))
            let page = try RawHTTP(port: port).request("/")
            XCTAssertEqual(page.status, 200)
            let events = try RawHTTP.EventStream(client: RawHTTP(port: port))
            XCTAssertTrue(events.read(seconds: 2) { $0.contains("event: hello") })
            let temporary = try FileManager.default.contentsOfDirectory(atPath: work + "/tmp").filter { $0.hasPrefix("kepu-serve-") }
            XCTAssertEqual(temporary.count, 1)

            // Ctrl-C with a page still open: the server stops, the temporary folder goes, exit 0.
            let stopping = Date()
            kill(process.processIdentifier, signal)
            XCTAssertNotNil(waitFor(seconds: 10) { !process.isRunning }, "still running after signal \(signal)")
            process.waitUntilExit()
            print("signal \(signal) → exit: \(Int(Date().timeIntervalSince(stopping) * 1000)) ms")
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, 0)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work + "/tmp").filter { $0.hasPrefix("kepu-serve-") }, [])
            XCTAssertTrue(((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").contains("已停止"))
        }
    }

    func testPortInUseIsAClearError() throws {
        let holder = try RawHTTPListener()
        let run = try self.run(["serve", "--port", String(holder.port), "--now", "2024-01-15", "--cache", work + "/cache"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("端口可能已被占用"), run.stderr)
    }
}

/// A socket listening on a free loopback port, to make a port busy.
final class RawHTTPListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, len) == 0 && listen(fd, 1) == 0 && getsockname(fd, sp, &len) == 0
            }
        }
        guard ok else {
            close(fd)
            throw RawHTTP.Failure(description: "listen: \(errno)")
        }
        self.fd = fd
        port = UInt16(bigEndian: addr.sin_port)
    }

    deinit { close(fd) }
}
