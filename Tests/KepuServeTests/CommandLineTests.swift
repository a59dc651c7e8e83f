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

    /// Runs kepu in `work`, in a Chinese environment unless `language` says otherwise.
    func run(_ arguments: [String], language: String = "C.UTF-8") throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = nil
        environment["LC_MESSAGES"] = nil
        environment["LANG"] = language
        process.environment = environment
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
        XCTAssertTrue(badBase.stderr.contains("--base-url 应是路径（如 /kepu/）或 http(s) 网址"), badBase.stderr)
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
        // Left as written, the new report is not published and counted: check names it.
        let unfilled = try run(["check"])
        XCTAssertEqual(unfilled.status, 1)
        XCTAssertTrue(unfilled.stderr.contains("content/reports/2023/09/2023-09-16-kepuri.md:53:1: 错误: 这篇报告还没有写正文"), unfilled.stderr)
        let path = content + "/reports/2023/09/2023-09-16-kepuri.md"
        try Data((try String(contentsOfFile: path, encoding: .utf8) + "活动在斗南举行。\n").utf8).write(to: URL(fileURLWithPath: path))
        let check = try run(["check"])
        XCTAssertEqual(check.status, 0, check.stderr)
    }

    /// The README's promise: the same title again finds the first file and stops — also when the first is
    /// still unfilled and has no kind yet (it then does not load as a report).
    func testNewReportTwiceWithTheSameTitleStops() throws {
        let first = try run(["new", "report", "科普讲座", "--date", "2023-09-16"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, "content/reports/2023/09/2023-09-16-report.md\n")
        let again = try run(["new", "report", "科普讲座", "--date", "2023-09-16"])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stdout, "")
        XCTAssertEqual(again.stderr, "错误: 文件已存在，没有覆盖：content/reports/2023/09/2023-09-16-report.md。要另写一篇，请换个标题或用 --slug 指定文件名。\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: content + "/reports/2023/09"), ["2023-09-16-report.md"])
    }

    func testTheCommandLineSpeaksChinese() throws {
        let date = try run(["new", "report", "科普日", "--date", "2024-02-30"])
        XCTAssertEqual(date.status, 2)
        XCTAssertEqual(date.stderr, "错误: --date 应是一个存在的日期，写成 年-月-日，例如 2023-09-16；“2024-02-30”不是（请核对月份和日期，例如二月没有 30 日）\n"
            + "用法：kepu new report \"标题\" [--kind 类型] [--date 日期] [--slug 文件名] [--project 项目编号] [--content 文件夹] [--theme 文件夹]\n"
            + "运行 kepu new report --help 查看说明。\n")
        let unknown = try run(["build", "--bogus"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("错误: 不认识的选项 --bogus\n用法：kepu build"), unknown.stderr)
        XCTAssertTrue(try run(["new", "report"]).stderr.hasPrefix("错误: 缺少标题"))
        XCTAssertTrue(try run(["serve", "--port", "abc"]).stderr.hasPrefix("错误: --port 的值“abc”不对"))
        for command in [[], ["check"], ["build"], ["new"], ["new", "report"], ["new", "project"], ["serve"]] {
            let help = try run(command + ["--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("用法：kepu"), "\(command): \(help.stdout)")
            XCTAssertFalse(help.stdout.contains("USAGE") || help.stdout.contains("OPTIONS"), "\(command)")
        }
        // English by LANG, or by the site's language.
        let english = try run(["new", "report", "x", "--date", "2024-02-30"], language: "en_US.UTF-8")
        XCTAssertTrue(english.stderr.hasPrefix("error: --date must be a date like 2023-09-16, not \"2024-02-30\""), english.stderr)
        XCTAssertTrue(try run(["check", "--help"], language: "en_GB.UTF-8").stdout.contains("usage: kepu check"))
        write("site.yaml", "title: Test\nunit: Unit\nlanguage: en\n")
        XCTAssertTrue(try run(["build", "--now", "x"]).stderr.hasPrefix("error: --now must be a date like 2024-01-15"))
    }

    /// A second `kepu build` with nothing changed says so and repeats the warnings; `--rebuild` builds anyway.
    func testBuildingAgainWithNothingChangedOnlyChecks() throws {
        write("reports/2023/06/2023-06-01-extra.md", "---\ntitle: 另一次活动\ndate: 2023-06-01\nkind: 科普日\naudience: 10\nfoo: 1\n---\n正文。\n")
        usleep(1_100_000)  // files saved within a second before a build are never trusted by their stamps
        let arguments = ["build", "--output", work + "/site", "--cache", work + "/cache", "--now", "2024-01-15"]
        let first = try run(arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("构建完成"), first.stdout)
        XCTAssertTrue(first.stderr.contains("不认识的字段 foo"), first.stderr)
        let second = try run(arguments)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.hasPrefix("没有改动：内容、主题和选项都与上次构建相同，\(work!)/site/ 已是最新，未重新生成\n"), second.stdout)
        XCTAssertEqual(second.stderr, first.stderr, "the same warnings")
        XCTAssertTrue(second.stdout.contains("（只做了检查；要全部重新生成，加 --rebuild）"), second.stdout)
        let forced = try run(arguments + ["--rebuild"])
        XCTAssertTrue(forced.stdout.hasPrefix("构建完成"), forced.stdout)
        // The environment's language is part of what a build is checked against (the site's language rules its text).
        let english = try run(arguments, language: "en_US.UTF-8")
        XCTAssertTrue(english.stdout.hasPrefix("构建完成"), english.stdout)
        XCTAssertTrue(try run(arguments, language: "en_US.UTF-8").stdout.hasPrefix("没有改动"))
    }

    func testAMissingThemeFolderSaysSo() throws {
        let build = try run(["build", "--theme", "no-theme", "--output", work + "/out", "--now", "2024-01-15"])
        XCTAssertEqual(build.status, 1)
        XCTAssertTrue(build.stderr.contains("no-theme:1:1: 错误: 找不到主题文件夹 no-theme\n    请在网站文件夹中运行，或用 --theme 指明主题文件夹"), build.stderr)
    }

    func testNewProjectStartsAYear() throws {
        let made = try run(["new", "project", "--year", "2024", "--from", "p2023", "--budget", "3万元"])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(made.stdout, "content/projects/p2024.md\n")
        XCTAssertTrue(made.stderr.hasPrefix("已写好新项目 p2024。还要填写或核对："), made.stderr)
        let text = try String(contentsOfFile: content + "/projects/p2024.md", encoding: .utf8)
        XCTAssertTrue(text.contains("year: 2024\n") && text.contains("budget: \"3万元\"\n"), text)
        let again = try run(["new", "project", "--year", "2024", "--from", "p2023"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.hasPrefix("错误: 文件已存在，没有覆盖：content/projects/p2024.md"), again.stderr)
        XCTAssertEqual(try run(["new", "project", "--year", "2024", "--from", "nope"]).status, 1)
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
