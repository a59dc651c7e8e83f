import Foundation
import KepuBuild
import KepuCore
@testable import KepuServe
import KepuTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `kepu serve` end to end on loopback: a small content tree in a temporary folder, a server on a free port,
/// requests on a raw socket, edits on disk, and what a browser would be sent.
final class ServeTests: XCTestCase {
    var work: String!
    var content: String { work + "/content" }

    static let repositoryRoot = KepuTestSupport.repositoryRoot

    static let project = """
        ---
        name: 2023年科普经费
        unit: 测试区科协
        year: 2023
        budget: 2万元
        kinds: [科技周, 科普日]
        ---
        项目说明。

        """

    static func report(date: String = "2023-05-20", audience: Int) -> String {
        "---\ntitle: 科技周启动\ndate: \(date)\nkind: 科技周\nvenue: 市民广场\naudience: \(audience)\n---\n\n科技周在市民广场启动。\n"
    }

    let reportFile = "reports/2023/05/2023-05-20-kejizhou.md"
    let reportSlug = "2023-05-20-kejizhou"

    /// The URL path of a report's page in the build being served, found by its slug (the site decides where
    /// report pages go: `reports/2023/<slug>.html`, `reports/2023/<slug>/index.html`, …).
    func pagePath(_ server: DevServer, slug: String) -> String? {
        guard let root = server.servedFolder,
              let files = FileManager.default.enumerator(atPath: root + "/reports")?.allObjects as? [String] else { return nil }
        let matches = files.filter { $0.hasSuffix(".html") && $0.contains(slug) }.sorted { $0.count < $1.count }
        return matches.first.map { "/reports/" + $0 }
    }

    var theme: String { work + "/theme" }

    override func setUp() {
        work = NSTemporaryDirectory() + "kepu-serve-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        // A copy of the theme: the server watches it, and nothing here should depend on edits in the repository.
        try! FileManager.default.copyItem(atPath: Self.repositoryRoot + "/theme", toPath: theme)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: work) }

    func write(_ relative: String, _ text: String, under root: String? = nil) {
        let full = (root ?? content) + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func writeContent(audience: Int = 1234) {
        write("site.yaml", "title: 测试站点\nunit: 测试区科协\n")
        write("projects/p2023.md", Self.project)
        write(reportFile, Self.report(audience: audience))
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    }

    let terminal = Lines()

    func startServer(builder: any SiteBuilding, poll: Int? = nil, theme: String? = nil) throws -> DevServer {
        let options = ServeOptions(contentDirectory: content, themeDirectory: theme ?? self.theme,
                                   host: "127.0.0.1", port: 0, pollMilliseconds: poll, temporaryParent: work)
        let terminal = self.terminal
        let server = DevServer(options: options, builder: builder, log: { terminal.append($0) })
        try runAsync { try await server.start() }
        XCTAssertNotEqual(server.port, 0)
        XCTAssertEqual(server.url, "http://127.0.0.1:\(server.port)/")
        return server
    }

    func stop(_ server: DevServer) {
        _ = try? runAsync(timeout: 20) { await server.stop() }
    }

    func fullBuilder() -> FullRebuild {
        FullRebuild(contentDirectory: content, themeDirectory: theme, cacheDirectory: work + "/cache",
                    now: try! Day.parse("2024-01-15"), includeDrafts: false)
    }

    /// A builder that writes a fixed little site, for the tests of serving itself.
    func fixedSite() -> ClosureBuilder {
        ClosureBuilder { folder, _, _ in
            let files = [
                "index.html": "<!DOCTYPE html><html><head><title>首页</title></head><body><h1>首页</h1></body></html>",
                "404.html": "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"assets/site.css\"></head><body>页面不存在</body></html>",
                "assets/site.css": "body{color:#111}",
                "reports/index.html": "<html><body>报告列表</body></html>",
                "data/site.json": "{\"schema\": 1}",
                "led/playlist.m3u": "#EXTM3U\n01.png\n",
                "led/01.png": "PNG",
                "data/reports.csv": "slug\r\n",
            ]
            for (path, text) in files {
                let full = folder + "/" + path
                try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try? Data(text.utf8).write(to: URL(fileURLWithPath: full))
            }
            // Links that lead out of the output: never followed.
            symlink("/etc", folder + "/escape")
            symlink("../../secret.txt", folder + "/link.txt")
            return BuildOutcome(succeeded: true, diagnostics: [], language: .zhCN, summary: "fixed")
        }
    }

    // MARK: End to end

    func testEditReloadBreakAndFix() throws {
        try editReloadBreakAndFix(builder: fullBuilder(), name: "full")
    }

    func testEditReloadBreakAndFixIncremental() throws {
        try editReloadBreakAndFix(builder: IncrementalRebuild(fullBuilder()), name: "incremental")
    }

    func editReloadBreakAndFix(builder: any SiteBuilding, name: String) throws {
        writeContent(audience: 1234)
        let server = try startServer(builder: builder)
        defer { stop(server) }
        let client = RawHTTP(port: server.port)

        let home = try client.request("/")
        XCTAssertEqual(home.status, 200)
        XCTAssertEqual(home.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(home.text.contains("<script src=\"/__kepu/live.js\""), "the live-reload script is injected")
        XCTAssertFalse(home.text.contains("kepu-overlay"))
        let reportPage = try XCTUnwrap(pagePath(server, slug: reportSlug))
        let page = try client.request(reportPage)
        XCTAssertEqual(page.status, 200, reportPage)
        XCTAssertTrue(page.text.contains("1,234"))
        // Only responses carry the script: the built files stay as `kepu build` writes them.
        let served = try XCTUnwrap(server.servedFolder)
        let builtHome = try String(contentsOfFile: served + "/index.html", encoding: .utf8)
        XCTAssertFalse(builtHome.contains("__kepu"))

        let events = try RawHTTP.EventStream(client: client)
        XCTAssertTrue(events.read(seconds: 2) { $0.contains("event: hello") }, events.received)
        XCTAssertTrue(events.received.contains("text/event-stream"))
        // A second tab shows the home page (its totals change with the figure) and says so, as live.js does.
        let homeTab = try RawHTTP.EventStream(client: client, page: "/")
        XCTAssertTrue(homeTab.read(seconds: 2) { $0.contains("event: hello") }, homeTab.received)
        XCTAssertNotNil(waitFor(seconds: 2) { server.channel.openPages == ["index.html"] }, "\(server.channel.openPages)")

        // Edit: the new figure is served within a second of the save.
        let saved = Date()
        write(reportFile, Self.report(audience: 5678))
        let latency = waitFor(seconds: 5) { (try? client.request(reportPage).text.contains("5,678")) == true }
        XCTAssertNotNil(latency, terminal.all)
        print("edit → new figure served (\(name) rebuild): \(Int((latency ?? 99) * 1000)) ms")
        XCTAssertLessThan(latency ?? 99, 1.0, "edit-to-page latency")
        XCTAssertTrue(events.read(seconds: 2) { $0.contains("event: reload") }, events.received)
        print("edit → reload event (\(name) rebuild): \(Int(Date().timeIntervalSince(saved) * 1000)) ms (upper bound)")
        if name == "incremental" {
            // The saved report's page went first, named with the generation the rebuild ends with, one `data:` line
            // each (an event's lines join with line breaks in the browser).
            let received = events.received
            let pages = try XCTUnwrap(received.range(of: "event: pages\ndata: "), received)
            let reload = try XCTUnwrap(received.range(of: "event: reload\ndata: ", range: pages.upperBound..<received.endIndex), received)
            let event = received[pages.upperBound..<reload.lowerBound]
            let generation = String(received[reload.upperBound...].prefix { $0 != "\n" })
            // (The stream is chunked: a chunk's length may follow the event's blank line.)
            XCTAssertTrue(event.hasPrefix("\(generation)\ndata: /\(reportPage.hasPrefix("/") ? String(reportPage.dropFirst()) : reportPage)\n\n"),
                          received)
            // The open home page: its job went first and it was named as soon as it was written, before the end.
            XCTAssertTrue(homeTab.read(seconds: 2) { $0.contains("event: reload") }, homeTab.received)
            let home = homeTab.received
            let named = try XCTUnwrap(home.range(of: "event: pages\ndata: \(generation)\ndata: /index.html\n\n"), home)
            XCTAssertNotNil(home.range(of: "event: reload\ndata: \(generation)\n", range: named.upperBound..<home.endIndex), home)
            XCTAssertTrue(try client.request("/").text.contains("5,678"), "the home page written early shows the figure")
        } else {
            XCTAssertFalse(events.received.contains("event: pages"), "a full build writes no page ahead of the rest")
        }

        // Break it: the last good site stays, with the problem over every page.
        write(reportFile, Self.report(date: "2023-02-30", audience: 9999))
        let expected = "content/reports/2023/05/2023-05-20-kejizhou.md:3:7: 错误: date 的日期“2023-02-30”不存在"
        XCTAssertNotNil(waitFor(seconds: 5) { (try? client.request(reportPage).text.contains("kepu-overlay")) == true }, terminal.all)
        let broken = try client.request(reportPage)
        XCTAssertTrue(broken.text.contains(expected), broken.text)
        // A failed build's reload says so: a tab that reloaded early for its page still reloads to show the problems.
        XCTAssertTrue(events.read(seconds: 2) { $0.range(of: "event: reload\ndata: [0-9]+ failed\n", options: .regularExpression) != nil },
                      events.received)
        XCTAssertTrue(broken.text.contains("5,678"), "the last good build is still served")
        XCTAssertTrue(try client.request("/").text.contains(expected), "the overlay is on every page")
        XCTAssertTrue(terminal.all.contains(expected), "and in the terminal")
        XCTAssertTrue(try client.request("/__kepu/status").text.contains("\"ok\": false"))

        // Fix it: the overlay goes, the new figure shows.
        write(reportFile, Self.report(audience: 4321))
        XCTAssertNotNil(waitFor(seconds: 5) {
            guard let t = try? client.request(reportPage).text else { return false }
            return t.contains("4,321") && !t.contains("kepu-overlay")
        }, terminal.all)
        XCTAssertFalse(try client.request("/").text.contains("kepu-overlay"))
    }

    func testPollingSeesEditsToo() throws {
        writeContent(audience: 1234)
        let server = try startServer(builder: fullBuilder(), poll: 100)
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        let reportPage = try XCTUnwrap(pagePath(server, slug: reportSlug))
        XCTAssertTrue(try client.request(reportPage).text.contains("1,234"))
        write(reportFile, Self.report(audience: 2468))
        let latency = waitFor(seconds: 5) { (try? client.request(reportPage).text.contains("2,468")) == true }
        XCTAssertNotNil(latency, terminal.all)
        print("edit → new figure served (--poll 100): \(Int((latency ?? 99) * 1000)) ms")
    }

    func testReportInANewFolderIsPickedUp() throws {
        writeContent()
        let server = try startServer(builder: fullBuilder())
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        // A new month folder and a bundle folder inside it, created after the server started.
        write("reports/2023/09/2023-09-16-kepuri/index.md",
              "---\ntitle: 科普日\ndate: 2023-09-16\nkind: 科普日\naudience: 777\n---\n正文。\n")
        XCTAssertNotNil(waitFor(seconds: 5) { self.pagePath(server, slug: "2023-09-16-kepuri") != nil }, terminal.all)
        let newPage = try XCTUnwrap(pagePath(server, slug: "2023-09-16-kepuri"))
        XCTAssertEqual(try client.request(newPage).status, 200)
        // And a change inside the new folder is seen as well (the new folder is watched).
        write("reports/2023/09/2023-09-16-kepuri/index.md",
              "---\ntitle: 科普日\ndate: 2023-09-16\nkind: 科普日\naudience: 888\n---\n正文。\n")
        XCTAssertNotNil(waitFor(seconds: 5) {
            (try? client.request(newPage).text.contains("888")) == true
        }, terminal.all)
    }

    func testFirstBuildFailingShowsTheProblemsUntilFixed() throws {
        writeContent()
        write(reportFile, Self.report(date: "2023-13-01", audience: 1))
        let server = try startServer(builder: fullBuilder())
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        let page = try client.request("/anything/")
        XCTAssertEqual(page.status, 500)
        XCTAssertTrue(page.text.contains("kepu-overlay"))
        XCTAssertTrue(page.text.contains("2023-05-20-kejizhou.md:3:7:"), page.text)
        write(reportFile, Self.report(audience: 1))
        XCTAssertNotNil(waitFor(seconds: 5) { (try? client.request("/").status) == 200 }, terminal.all)
    }

    // MARK: Serving files

    func testTraversalAttemptsAre404() throws {
        writeContent()
        write("secret.txt", "SECRET", under: work)
        let server = try startServer(builder: fixedSite())
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        let attempts = [
            "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc/passwd", "/%2e%2e%5cetc", "/%2E%2E/%2E%2E/etc/passwd",
            "/..%2Fetc%2Fpasswd", "/..%5c..%5csecret.txt", "/..\\..\\secret.txt", "/%2e%2e/secret.txt", "/%2e%2e/%2e%2e/secret.txt",
            "/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/./index.html", "/escape/passwd", "/link.txt",
            "//etc/passwd", "/%2fetc/passwd", "/index.html%00", "/%00", "/.kepu-output", "/%252e%252e/%252e%252e/secret.txt",
            "http://127.0.0.1/etc/passwd", "/%c0%ae%c0%ae/etc/passwd", "/index.html/", "/etc/passwd",
        ]
        for target in attempts {
            let r = try client.request(target)
            XCTAssertEqual(r.status, 404, target)
            XCTAssertFalse(r.text.contains("root:"), target)
            XCTAssertFalse(r.text.contains("SECRET"), target)
        }
        // The 404 is the site's own page, its links resolving from the root, with the live script.
        let missing = try client.request("/no/such/page.html")
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.text.contains("页面不存在"))
        XCTAssertTrue(missing.text.contains("<base href=\"/\">"))
        XCTAssertTrue(missing.text.contains("/__kepu/live.js"))
    }

    func testFilesFoldersAndTypes() throws {
        writeContent()
        let server = try startServer(builder: fixedSite())
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        let home = try client.request("/")
        XCTAssertEqual(home.status, 200)
        XCTAssertTrue(home.text.contains("<h1>首页</h1>"), "/ is index.html, not an empty body")
        XCTAssertTrue(home.text.hasSuffix("</body></html>"))
        XCTAssertEqual(home.headers["cache-control"], "no-store")
        let folder = try client.request("/reports?x=1")
        XCTAssertEqual(folder.status, 301)
        XCTAssertEqual(folder.headers["location"], "/reports/?x=1")
        XCTAssertTrue(try client.request("/reports/").text.contains("报告列表"))
        XCTAssertTrue(try client.request("/%E6%97%A0").status == 404)
        let types = [
            "/assets/site.css": "text/css; charset=utf-8", "/data/site.json": "application/json; charset=utf-8",
            "/led/playlist.m3u": "audio/x-mpegurl; charset=utf-8", "/led/01.png": "image/png",
            "/data/reports.csv": "text/csv; charset=utf-8", "/__kepu/live.js": "text/javascript; charset=utf-8",
        ]
        for (path, type) in types {
            let r = try client.request(path)
            XCTAssertEqual(r.status, 200, path)
            XCTAssertEqual(r.headers["content-type"], type, path)
        }
        XCTAssertEqual(try client.request("/assets/site.css").text, "body{color:#111}", "only HTML gets the script")
        let head = try client.request("/", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, [])
        XCTAssertEqual(head.headers["content-length"], String(home.body.count))
        XCTAssertEqual(try client.request("/", method: "POST").status, 405)
    }

    func testOnlyLocalHostNamesOnLoopback() throws {
        writeContent()
        let server = try startServer(builder: fixedSite())
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        for host in ["127.0.0.1:\(server.port)", "localhost:\(server.port)", "LOCALHOST", "[::1]:\(server.port)"] {
            XCTAssertEqual(try client.request("/", host: host).status, 200, host)
        }
        // A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) cannot read the preview.
        for host in ["evil.example", "evil.example:\(server.port)", "127.0.0.1.evil.example"] {
            XCTAssertEqual(try client.request("/", host: host).status, 403, host)
            XCTAssertEqual(try client.request("/__kepu/events", host: host).status, 403, host)
        }
        XCTAssertEqual(LiveSiteHandler.hostName("[::1]:1313"), "::1")
        XCTAssertEqual(LiveSiteHandler.hostName("Example.ORG:80"), "example.org")
    }

    func testBindsLoopbackUnlessToldOtherwise() throws {
        XCTAssertEqual(ServeOptions().host, "127.0.0.1")
        XCTAssertEqual(ServeOptions().port, 1313)
        writeContent()
        let server = try startServer(builder: fixedSite())
        defer { stop(server) }
        XCTAssertEqual(try RawHTTP(port: server.port).request("/").status, 200)
        // Bound to 127.0.0.1 itself: another address of the machine (127.0.0.2 is one on Linux) finds nothing.
        XCTAssertThrowsError(try RawHTTP(port: server.port, address: "127.0.0.2").request("/"))

        let options = ServeOptions(contentDirectory: content, themeDirectory: theme, host: "0.0.0.0", port: 0, temporaryParent: work)
        let open = DevServer(options: options, builder: fixedSite(), log: { _ in })
        try runAsync { try await open.start() }
        defer { stop(open) }
        XCTAssertEqual(try RawHTTP(port: open.port, address: "127.0.0.2").request("/", host: "kx-pc:\(open.port)").status, 200,
                       "--host 0.0.0.0 answers on every address, by any name")
    }

    func testASaveDuringTheFirstBuildIsNotLost() throws {
        writeContent()
        let content = self.content
        let calls = RawHTTPCounter()
        let builder = ClosureBuilder { folder, _, _ in
            calls.add()
            if calls.count == 1 {
                // Staff save while the first build runs.
                try? Data("---\ntitle: x\n---\n".utf8).write(to: URL(fileURLWithPath: content + "/reports/new.md"))
                usleep(300_000)
            }
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try? Data("<html><body>build \(calls.count)</body></html>".utf8).write(to: URL(fileURLWithPath: folder + "/index.html"))
            return BuildOutcome(succeeded: true, diagnostics: [], language: .zhCN, summary: "")
        }
        let server = try startServer(builder: builder)
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        XCTAssertNotNil(waitFor(seconds: 3) { (try? client.request("/").text.contains("build 2")) == true }, terminal.all)
    }

    func testMissingContentFolderIsAnError() throws {
        let options = ServeOptions(contentDirectory: work + "/nope", themeDirectory: theme, port: 0, temporaryParent: work)
        let server = DevServer(options: options, builder: fixedSite(), log: { _ in })
        XCTAssertThrowsError(try runAsync { try await server.start() }) { error in
            XCTAssertEqual(error as? CommandProblem, .missingContentFolder(work + "/nope"))
            XCTAssertTrue((error as? CommandProblem)?.message(.zhCN).contains("找不到内容文件夹") == true, "\(error)")
        }
    }

    func testEventStreamDeliversReloadAndStopCleansUp() throws {
        writeContent()
        let server = try startServer(builder: fixedSite())
        let client = RawHTTP(port: server.port)
        let streams = try (0..<3).map { _ in try RawHTTP.EventStream(client: client) }
        for s in streams { XCTAssertTrue(s.read(seconds: 2) { $0.contains("event: hello\ndata: 1\n") }, s.received) }
        XCTAssertNotNil(waitFor(seconds: 2) { server.channel.count == 3 })
        server.requestRebuild()
        for s in streams { XCTAssertTrue(s.read(seconds: 2) { $0.contains("event: reload\ndata: 2\n") }, s.received) }

        let temporary = try XCTUnwrap(server.temporaryFolder)
        XCTAssertTrue(FileManager.default.fileExists(atPath: temporary))
        let started = Date()
        stop(server)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary), "the temporary folder is removed")
        XCTAssertThrowsError(try client.request("/"), "nothing listens any more")
    }

    func testTabsNameTheirPages() throws {
        XCTAssertEqual(ReloadChannel.sitePath("/"), "index.html")
        XCTAssertEqual(ReloadChannel.sitePath("/reports/2023/05/"), "reports/2023/05/index.html")
        XCTAssertEqual(ReloadChannel.sitePath("/reports/2023/x.html"), "reports/2023/x.html")
        XCTAssertEqual(ReloadChannel.sitePath("/reports/venue/%E4%BC%9A%E8%AE%AE%E5%AE%A4/index.html"),
                       "reports/venue/会议室/index.html", "percent-decoded, as the site's own paths are")
        for bad in ["", "reports/x.html", "/../secret", "/a/./b.html", "/a//b.html", "/__kepu/events", "/%ZZ"] {
            XCTAssertNil(ReloadChannel.sitePath(bad), bad)
        }
        let channel = ReloadChannel()
        // (A stream dropped is a tab closed: each is held until it is removed.)
        let (s1, a) = channel.subscription(generation: 1, page: "/reports/2023/05/")
        let (s2, b) = channel.subscription(generation: 1, page: "/")
        let (s3, c) = channel.subscription(generation: 1, page: "/")
        let (s4, _) = channel.subscription(generation: 1)
        defer { withExtendedLifetime([s1, s2, s3, s4]) {} }
        XCTAssertEqual(channel.openPages, ["reports/2023/05/index.html", "index.html"])
        channel.remove(a)
        channel.remove(b)
        XCTAssertEqual(channel.openPages, ["index.html"], "another tab still shows the home page")
        channel.remove(c)
        XCTAssertEqual(channel.openPages, [])
    }

    func testHeartbeatFindsClosedPages() throws {
        writeContent()
        let options = ServeOptions(contentDirectory: content, themeDirectory: theme, host: "127.0.0.1", port: 0,
                                   heartbeatSeconds: 0.1, temporaryParent: work)
        let server = DevServer(options: options, builder: fixedSite(), log: { _ in })
        try runAsync { try await server.start() }
        defer { stop(server) }
        let client = RawHTTP(port: server.port)
        var stream: RawHTTP.EventStream? = try RawHTTP.EventStream(client: client)
        XCTAssertTrue(stream!.read(seconds: 2) { $0.contains(": keep-alive") }, stream!.received)
        XCTAssertNotNil(waitFor(seconds: 2) { server.channel.count == 1 })
        stream = nil  // the page is closed
        XCTAssertNotNil(waitFor(seconds: 3) { server.channel.count == 0 }, "a closed page's stream is dropped")
    }

    func testThousandRequestsFromFiftyClients() throws {
        writeContent()
        let server = try startServer(builder: fixedSite())
        defer { stop(server) }
        let port = server.port
        let ok = RawHTTPCounter()
        let group = DispatchGroup()
        let started = Date()
        for i in 0..<50 {
            group.enter()
            let thread = Thread {
                let client = RawHTTP(port: port, timeout: 10)
                for k in 0..<20 {
                    let path = ["/", "/assets/site.css", "/reports/", "/data/site.json"][(i + k) % 4]
                    if let r = try? client.request(path), r.status == 200, !r.body.isEmpty { ok.add() } else { ok.fail(path) }
                }
                group.leave()
            }
            thread.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        print("1000 requests from 50 clients: \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        XCTAssertEqual(ok.count, 1000, ok.failures)
    }

    // MARK: Pieces

    func testSafePathSegments() {
        XCTAssertEqual(SafePath.segments(of: "/"), [])
        XCTAssertEqual(SafePath.segments(of: "/reports/2023/"), ["reports", "2023"])
        XCTAssertEqual(SafePath.segments(of: "/%E6%8A%A5%E5%91%8A"), ["报告"])
        XCTAssertEqual(SafePath.segments(of: "/%252e%252e"), ["%2e%2e"], "decoded once only")
        for bad in ["", "x", "/../a", "/a/..", "/%2e%2e/a", "/.%2e/a", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/a%00", "/%ZZ",
                    "//a", "/./a", "/a%0ab", "/.kepu-output"] {
            XCTAssertNil(SafePath.segments(of: bad), bad)
        }
    }

    func testInjectionAndEscaping() {
        let html = Array("<html><body><p>x</p></BODY></html>".utf8)
        let plain = String(decoding: LiveOverlay.inject(into: html, generation: 7, problems: nil), as: UTF8.self)
        XCTAssertTrue(plain.hasSuffix("<script src=\"/__kepu/live.js\" data-generation=\"7\"></script>\n</BODY></html>"), plain)
        let d = Diagnostic(path: "content/reports/<x>.md", line: 2, column: 3, .emptyText(key: "title"))
        let problems = LiveOverlay.Problems(diagnostics: [d], language: .zhCN, hasGoodSite: true)
        let page = String(decoding: LiveOverlay.inject(into: Array("<p>no body tag".utf8), generation: 1, problems: problems), as: UTF8.self)
        XCTAssertTrue(page.hasPrefix("<p>no body tag"))
        XCTAssertTrue(page.contains("content/reports/&lt;x&gt;.md:2:3: 错误:"), page)
        XCTAssertFalse(page.contains("<x>"))
        XCTAssertTrue(page.contains("上一次构建成功的版本"))
    }

    /// A write still open waits the full debounce; one closed or renamed into place is settled and rebuilds sooner.
    func testInotifyTellsFinishedWritesFromOpenOnes() throws {
        let root = work + "/settle-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let batches = Locked<[ChangeBatch]>([])
        let watcher = InotifyWatcher(roots: [root])
        try watcher.start { batch in batches.withLock { $0.append(batch) } }
        defer { watcher.stop() }
        // Open, written, not yet closed: not settled.
        XCTAssertTrue(FileManager.default.createFile(atPath: root + "/a.md", contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: root + "/a.md"))
        usleep(300_000)
        batches.withLock { $0 = [] }
        handle.write(Data("half".utf8))
        XCTAssertNotNil(waitFor(seconds: 2) { batches.withLock { !$0.isEmpty } })
        XCTAssertEqual(batches.withLock { $0.last?.settled }, false)
        // Closed: settled.
        try handle.close()
        XCTAssertNotNil(waitFor(seconds: 2) { batches.withLock { $0.last?.settled == true } })
        // Renamed into place, as editors save: settled.
        usleep(100_000)
        batches.withLock { $0 = [] }
        XCTAssertTrue(FileManager.default.createFile(atPath: root + "/.b.tmp", contents: Data("x".utf8)))
        usleep(100_000)
        batches.withLock { $0 = [] }
        XCTAssertEqual(rename(root + "/.b.tmp", root + "/b.md"), 0)
        XCTAssertNotNil(waitFor(seconds: 2) { batches.withLock { $0.contains { $0.paths.contains(root + "/b.md") } } })
        XCTAssertEqual(batches.withLock { $0.last?.settled }, true)
    }

    func testWatchersSeeNewFoldersAndFiles() throws {
        for make in [{ (roots: [String]) -> ChangeWatcher in InotifyWatcher(roots: roots) },
                     { (roots: [String]) -> ChangeWatcher in PollingWatcher(roots: roots, milliseconds: 50) }] {
            let root = work + "/watch-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
            let seen = Lines()
            let watcher = make([root])
            try watcher.start { batch in for p in batch.paths { seen.append(p) } }
            write("b/c/new.md", "x", under: root)
            XCTAssertNotNil(waitFor(seconds: 2) { seen.all.contains("b/c/new.md") || seen.all.contains("/b") }, "\(watcher)")
            usleep(200_000)
            write("b/c/new.md", "changed", under: root)
            XCTAssertNotNil(waitFor(seconds: 2) { seen.all.components(separatedBy: "b/c/new.md").count >= 2 }, "\(watcher): \(seen.all)")
            write("a/.new.md.swp", "noise", under: root)
            usleep(300_000)
            XCTAssertFalse(seen.all.contains(".swp"))
            watcher.stop()
        }
    }
}

final class RawHTTPCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var ok = 0
    private var failed: [String] = []
    func add() { lock.lock(); ok += 1; lock.unlock() }
    func fail(_ path: String) { lock.lock(); failed.append(path); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return ok }
    var failures: String { lock.lock(); defer { lock.unlock() }; return failed.prefix(10).joined(separator: ", ") }
}
