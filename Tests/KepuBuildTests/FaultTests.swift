import Foundation
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// #8 §4: a build that fails half-way or is interrupted never takes the site down, and Kepu never
/// replaces a folder it did not create.
final class FaultTests: RobustnessTestCase {
    /// Builds the sample site into `output` and returns its bytes: the "previous output".
    func previousOutput(_ output: String) -> [String: Data] {
        let report = Builder.build(options(content: repositoryRoot + "/content", output: output))
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        return snapshot(output)
    }

    func staging(of output: String) -> String {
        let url = URL(fileURLWithPath: output)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".kepu-staging"
    }

    func testAPhotoThatIsNotAnImageLeavesThePreviousOutput() throws {
        let output = work + "/public"
        let before = previousOutput(output)
        let content = work + "/content"
        copySampleContent(to: content)
        let bundle = content + "/reports/2023/09/2023-09-16-kepuri"
        let photo = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: bundle).sorted().first { $0.hasSuffix(".jpg") })
        try Data("这不是一张照片，是改了扩展名的文本。\n".utf8).write(to: URL(fileURLWithPath: bundle + "/" + photo))
        let report = Builder.build(BuildOptions(contentDirectory: content, outputDirectory: output, themeDirectory: repositoryRoot + "/theme",
                                                cacheDirectory: work + "/cache2", now: try Day.parse("2024-01-15")))
        XCTAssertFalse(report.succeeded)
        let errors = report.diagnostics.filter { $0.severity == .error }
        XCTAssertEqual(errors.count, 1, Terminal.diagnostics(report.diagnostics, .en))
        // Named on its line in the report, in the site's language; not as a write failure of the output.
        XCTAssertEqual(photo, "photo-1.jpg")
        XCTAssertEqual(errors.map { $0.formatted(.zhCN) }, [
            "content/reports/2023/09/2023-09-16-kepuri/index.md:12:10: 错误: 照片 photo-1.jpg：不是能解码的图片（VipsForeignLoad: buffer is not in a known format）。本次没有发布，网站保持原样\n    请换成 JPEG、PNG、WebP 或 TIFF 格式的照片，或从 photos 中去掉它。",
        ])
        XCTAssertEqual(snapshot(output), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging(of: output)))
    }

    func testAFileWhereTheStagingFolderMustGo() throws {
        let output = work + "/public"
        let before = previousOutput(output)
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: staging(of: output)))
        let report = Builder.build(options(content: repositoryRoot + "/content", output: output))
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.diagnostics.filter { $0.severity == .error }.map(\.problem), [.outputNotKepu(path: staging(of: output))])
        XCTAssertEqual(snapshot(output), before)
        // The file is not Kepu's: it is left alone.
        XCTAssertEqual(FileManager.default.contents(atPath: staging(of: output)), Data("not a folder".utf8))
    }

    func testAFileWhereTheCacheFolderMustGoFailsHalfWay() throws {
        let output = work + "/public"
        let before = previousOutput(output)
        let cache = work + "/cache-is-a-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: cache))
        let report = Builder.build(BuildOptions(contentDirectory: repositoryRoot + "/content", outputDirectory: output,
                                                themeDirectory: repositoryRoot + "/theme", cacheDirectory: cache, now: try Day.parse("2024-01-15")))
        XCTAssertFalse(report.succeeded)
        XCTAssertGreaterThanOrEqual(report.errors, 1)
        XCTAssertEqual(snapshot(output), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging(of: output)))
    }

    func testAFileWhereAnOutputFolderMustGo() throws {
        // content/static/** is copied to the output root before the pages: a static file named like a
        // folder the site needs ("reports") makes a write fail half-way through rendering.
        let output = work + "/public"
        let before = previousOutput(output)
        let content = work + "/content"
        copySampleContent(to: content)
        write(content, "static/reports", "a file where the reports/ folder must go")
        let report = Builder.build(options(content: content, output: output))
        XCTAssertFalse(report.succeeded)
        XCTAssertGreaterThanOrEqual(report.errors, 1)
        XCTAssertEqual(snapshot(output), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging(of: output)))
    }

    func testDiskFullLeavesThePreviousOutput() throws {
        let disk = work + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        // The sample site is about 2.2 MB: room for one build, not for a second one beside it.
        let (status, message) = shell("mount -t tmpfs -o size=3m tmpfs \(sq(disk))", timeout: 20)
        guard status == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root and mount permission): \(message)")
        }
        defer { shell("umount \(sq(disk))", timeout: 20) }
        let output = disk + "/public"
        let before = previousOutput(output)
        // A second build needs the staging folder beside the old output: the disk fills half-way.
        let report = Builder.build(BuildOptions(contentDirectory: repositoryRoot + "/content", outputDirectory: output,
                                                themeDirectory: repositoryRoot + "/theme", cacheDirectory: work + "/cache-other",
                                                now: try Day.parse("2024-01-16")))
        XCTAssertFalse(report.succeeded)
        XCTAssertTrue(Terminal.diagnostics(report.diagnostics, .en).contains("No space left on device"), Terminal.diagnostics(report.diagnostics, .en))
        XCTAssertEqual(snapshot(output), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging(of: output)))
    }

    func testOutputWithUserFilesIsRefusedByTheCommand() throws {
        let output = work + "/mine"
        try FileManager.default.createDirectory(atPath: output + "/sub", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: output + "/sub/notes.txt"))
        try Data("index".utf8).write(to: URL(fileURLWithPath: output + "/index.html"))
        let (status, text) = shell("\(sq(kepuBinary)) build --content \(sq(repositoryRoot + "/content")) --theme \(sq(repositoryRoot + "/theme")) --output \(sq(output)) --cache \(sq(work + "/cache")) --now 2024-01-15")
        XCTAssertEqual(status, 1, text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output).sorted(), ["index.html", "sub"])
        XCTAssertEqual(FileManager.default.contents(atPath: output + "/sub/notes.txt"), Data("keep".utf8))
        XCTAssertEqual(FileManager.default.contents(atPath: output + "/index.html"), Data("index".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging(of: output)))
        // Nor the content folder itself, nor a file.
        let content = work + "/content"
        copySampleContent(to: content)
        let contentBefore = snapshot(content)
        let (status2, text2) = shell("\(sq(kepuBinary)) build --content \(sq(content)) --theme \(sq(repositoryRoot + "/theme")) --output \(sq(content)) --cache \(sq(work + "/cache")) --now 2024-01-15")
        XCTAssertEqual(status2, 1, text2)
        XCTAssertEqual(snapshot(content), contentBefore)
        let file = work + "/a-file"
        try Data("file".utf8).write(to: URL(fileURLWithPath: file))
        let (status3, text3) = shell("\(sq(kepuBinary)) build --content \(sq(content)) --theme \(sq(repositoryRoot + "/theme")) --output \(sq(file)) --cache \(sq(work + "/cache")) --now 2024-01-15")
        XCTAssertEqual(status3, 1, text3)
        XCTAssertEqual(FileManager.default.contents(atPath: file), Data("file".utf8))
    }

    /// A corpus like make_corpus.py's, for a clone without ../shared: one 2023 project, `reports` reports.
    func writeCorpus(_ content: String, reports: Int) {
        write(content, "site.yaml", "title: 压力测试\nunit: 测试区科协\n")
        write(content, "projects/p2023.md", "---\nname: 2023年科普经费\nunit: 测试区科协\nyear: 2023\nbudget: 200万元\n---\n说明。\n")
        let kinds = ["科技周", "科普日", "进社区", "进机关", "培训"]
        for i in 0..<reports {
            let month = 1 + i % 12, day = 1 + i % 28
            let date = "2023-" + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
            write(content, "reports/\(month)/r\(i).md", "---\ntitle: 第\(i)次科普活动\ndate: \(date)\nkind: \(kinds[i % kinds.count])\nvenue: 社区活动中心\naudience: \(50 + i % 300)\nspend:\n  - {item: 资料印刷, amount: \(100 + i % 900)}\n  - {item: 场地布置, amount: \"¥1,\(100 + i % 900).50\"}\ntags: [科普, 第\(i % 20)组]\n---\n本次活动围绕科普主题开展，第\(i)次。\n\n- 发放资料\(i % 500)份\n")
        }
    }

    /// SIGINT and SIGKILL sent to `kepu build` of 3,000 reports while it writes: the previous output
    /// stays byte-identical, at most a staging folder is left, and the next build removes it.
    func testInterruptedBuildsLeaveThePreviousOutput() throws {
        let binary = kepuBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("no kepu binary beside the tests at \(binary)") }
        let corpus = work + "/corpus"
        let maker = repositoryRoot + "/../shared/bench/make_corpus.py"
        if ProcessInfo.processInfo.environment["KEPU_TEST_OWN_CORPUS"] == nil, FileManager.default.fileExists(atPath: maker),
           shell("command -v python3", timeout: 10).0 == 0 {
            let (made, makeText) = shell("python3 \(sq(maker)) --reports 3000 --years 1 --seed 8 --out \(sq(corpus))", timeout: 120)
            XCTAssertEqual(made, 0, makeText)
        } else {
            writeCorpus(corpus + "/content", reports: 3000)
        }
        let output = work + "/public"
        let before = previousOutput(output)
        let stagingPath = staging(of: output)

        for signal in [SIGINT, SIGKILL] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["build", "--content", corpus + "/content", "--theme", repositoryRoot + "/theme", "--output", output,
                           "--cache", work + "/cache-corpus", "--now", "2024-01-15"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Wait (bounded) until the build is writing into its staging folder.
            let deadline = Date().addingTimeInterval(180)
            while p.isRunning && Date() < deadline {
                if let names = FileManager.default.enumerator(atPath: stagingPath)?.allObjects, names.count > 20 { break }
                usleep(5_000)
            }
            XCTAssertTrue(p.isRunning, "the build of 3,000 reports finished before it could be interrupted (signal \(signal))")
            let written = FileManager.default.enumerator(atPath: stagingPath)?.allObjects.count ?? 0
            kill(p.processIdentifier, signal)
            print("signal \(signal) sent with \(written) entries in the staging folder")
            let exitDeadline = Date().addingTimeInterval(30)
            while p.isRunning && Date() < exitDeadline { usleep(10_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            XCTAssertEqual(snapshot(output), before, "signal \(signal)")
            let siblings = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix(".public") }
            XCTAssertTrue(siblings.allSatisfy { $0 == ".public.kepu-staging" || $0 == ".public.kepu-old" }, "signal \(signal): \(siblings)")
        }
        // The next build reuses what was left, publishes, and keeps only the replaced output (marked) beside it.
        let report = Builder.build(options(content: repositoryRoot + "/content", output: output, now: "2024-01-16"))
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stagingPath))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix(".public") }, [".public.kepu-old"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/.public.kepu-old/" + OutputFolder.marker))
        // What was published equals a build into an empty folder: nothing of the interrupted builds is left in it.
        XCTAssertTrue(Builder.build(options(content: repositoryRoot + "/content", output: work + "/fresh", now: "2024-01-16")).succeeded)
        XCTAssertEqual(snapshot(output), snapshot(work + "/fresh"))
    }
}
