import FlyingFox
import FlyingSocks
import Foundation
import KepuBuild
import KepuCore

#if canImport(Glibc)
import Glibc
#endif

public struct ServeOptions: Sendable {
    public var contentDirectory: String
    public var themeDirectory: String
    /// An IP address; `localhost` means 127.0.0.1.
    public var host: String
    /// 0 picks a free port.
    public var port: UInt16
    /// Poll the folders every so many milliseconds instead of using inotify.
    public var pollMilliseconds: Int?
    /// How long to wait after the last change before rebuilding.
    public var debounceMilliseconds: Int
    /// The wait when every change was a finished write (an editor's save closed or renamed into place): only
    /// long enough to gather the other files of the same save.
    public var settledDebounceMilliseconds: Int
    /// How often each open page's event stream gets a comment, so closed pages are noticed.
    public var heartbeatSeconds: Double
    /// Where the temporary build folder goes (default: the system's temporary folder).
    public var temporaryParent: String?
    /// The terminal's language (the command line's: LANG), until the first build says the site's.
    public var language: Language

    public init(contentDirectory: String = "content", themeDirectory: String = "theme", host: String = "127.0.0.1",
                port: UInt16 = 1313, pollMilliseconds: Int? = nil, debounceMilliseconds: Int = 100,
                heartbeatSeconds: Double = 10, temporaryParent: String? = nil, language: Language = .zhCN) {
        self.language = language
        self.contentDirectory = contentDirectory
        self.themeDirectory = themeDirectory
        self.host = host
        self.port = port
        self.pollMilliseconds = pollMilliseconds
        self.debounceMilliseconds = debounceMilliseconds
        self.settledDebounceMilliseconds = min(debounceMilliseconds, 15)
        self.heartbeatSeconds = heartbeatSeconds
        self.temporaryParent = temporaryParent
    }
}

/// What the server is showing now: the last good build, and the problems of the last build if it failed.
struct SiteState: Sendable {
    var root: String?
    var problems: LiveOverlay.Problems?
    /// Counts finished builds; pages carry it, so one loaded before a rebuild knows to reload.
    var generation = 0
    /// The site's language, as of the last build: the terminal speaks it.
    var language: Language = .zhCN
}

/// `kepu serve`: builds into a temporary folder, serves it, rebuilds on every save and reloads open pages.
public final class DevServer: Sendable {
    public let options: ServeOptions
    let builder: any SiteBuilding
    let log: @Sendable (String) -> Void
    let channel = ReloadChannel()
    let site = Locked(SiteState())
    private let pending = Locked<(paths: [String], last: UInt64, settled: Bool)>(([], 0, true))
    private let runtime = Locked<Runtime>(Runtime())
    private let buildCounter = Locked(0)

    private struct Runtime: @unchecked Sendable {
        var temporary: String?
        var server: HTTPServer?
        var serverTask: Task<Void, Never>?
        var serverFailure: String?
        var serverEnded = false
        var watcher: ChangeWatcher?
        var rebuildTask: Task<Void, Never>?
        var heartbeatTask: Task<Void, Never>?
        var wake: AsyncStream<Void>.Continuation?
        var port: UInt16 = 0
        var stopped = false
    }

    /// - Parameters:
    ///   - builder: how to build; `FullRebuild` for now, an incremental builder later.
    ///   - log: where terminal lines go (stderr in the command).
    public init(options: ServeOptions, builder: any SiteBuilding, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.builder = builder
        self.log = log
    }

    /// The address to open, once started.
    public var url: String {
        let host: String
        switch options.host {
        case "0.0.0.0", "localhost": host = "127.0.0.1"
        case "::": host = "::1"
        default: host = options.host
        }
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)/"
    }

    public var port: UInt16 { runtime.withLock { $0.port } }

    /// The folder of the build being served (for tests).
    public var servedFolder: String? { site.withLock { $0.root } }

    /// The temporary folder holding the builds; removed by `stop()`.
    public var temporaryFolder: String? { runtime.withLock { $0.temporary } }

    /// Builds once, starts listening and watching. Returns when the site can be opened.
    public func start() async throws {
        let address = try socketAddress()
        guard SafePath.kind(options.contentDirectory) == .directory else {
            throw CommandProblem.missingContentFolder(options.contentDirectory)
        }
        let temporary = try makeTemporaryFolder()
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        runtime.withLock { $0.temporary = temporary; $0.wake = wake }

        // Watch before the first build: a save during it is not lost, it wakes the rebuild loop below.
        let roots = [options.contentDirectory, options.themeDirectory]
        let watcher: ChangeWatcher = options.pollMilliseconds.map { PollingWatcher(roots: roots, milliseconds: $0) }
            ?? InotifyWatcher(roots: roots)
        do {
            try watcher.start { [weak self] batch in self?.noteChange(batch.paths, settled: batch.settled) }
        } catch {
            await stop()
            throw CommandProblem.watchFailed(reason: "\(error)")
        }
        runtime.withLock { $0.watcher = watcher }

        // The first build, before listening: the first page opened shows the site (or its problems).
        let first = await build(changed: [])
        if first.succeeded {
            log(first.language == .zhCN ? "构建完成：\(first.summary)" : "built: \(first.summary)")
        }

        let handler = LiveSiteHandler(site: site, channel: channel, allowedHosts: allowedHosts())
        let config = HTTPServer.Configuration(address: address, timeout: 30, logger: QuietLogger())
        let server = HTTPServer(config: config, handler: handler)
        let task = Task { [runtime] in
            do {
                try await server.run()
            } catch {
                runtime.withLock { $0.serverFailure = "\(error)" }
            }
            runtime.withLock { $0.serverEnded = true }
        }
        runtime.withLock { $0.server = server; $0.serverTask = task }
        let deadline = DispatchTime.now().uptimeNanoseconds + 5_000_000_000
        while await !server.isListening {
            let (ended, failure) = runtime.withLock { ($0.serverEnded, $0.serverFailure) }
            if ended || DispatchTime.now().uptimeNanoseconds > deadline {
                await stop()
                throw CommandProblem.cannotListen(host: options.host, port: options.port, reason: failure ?? (options.language == .en ? "timed out" : "等待超时"))
            }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        var bound = options.port
        switch await server.listeningAddress {
        case let .ip4(_, port)?: bound = port
        case let .ip6(_, port)?: bound = port
        default: break
        }
        runtime.withLock { $0.port = bound }

        // Rebuilds run one at a time; a change during a build wakes the loop once more.
        let rebuildTask = Task { [weak self] in
            for await _ in wakes {
                guard let self else { return }
                if await !self.debounce() { return }
                let paths = self.pending.withLock { p -> [String] in
                    defer { p.paths = []; p.settled = true }
                    return p.paths
                }
                if paths.isEmpty { continue }
                await self.rebuild(changed: paths)
            }
        }
        let seconds = options.heartbeatSeconds
        let heartbeatTask = Task { [channel] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                if Task.isCancelled { break }
                channel.heartbeat()
            }
        }
        runtime.withLock { $0.rebuildTask = rebuildTask; $0.heartbeatTask = heartbeatTask }
    }

    /// Host names a page may be asked for by. On loopback only the machine's own names: a web page elsewhere that
    /// points a name of its own at 127.0.0.1 (DNS rebinding) cannot read the preview, drafts included.
    /// nil: any (listening on every address, where people use the machine's name or address).
    func allowedHosts() -> Set<String>? {
        if options.host == "0.0.0.0" || options.host == "::" { return nil }
        return ["127.0.0.1", "localhost", "::1", options.host.lowercased()]
    }

    /// Records changed paths and wakes the rebuild loop.
    func noteChange(_ paths: [String], settled: Bool = false) {
        let now = DispatchTime.now().uptimeNanoseconds
        pending.withLock { p in
            p.paths.append(contentsOf: paths)
            p.last = now
            p.settled = p.settled && settled
        }
        _ = runtime.withLock { $0.wake }?.yield()
    }

    /// Asks for a rebuild as if these files had changed (tests, or a future "rebuild" key).
    public func requestRebuild(_ paths: [String] = ["(requested)"]) { noteChange(paths) }

    /// Waits until no change has come for the debounce interval. False when cancelled.
    private func debounce() async -> Bool {
        // Polling sees a save only at the next scan: wait one more scan, so a save in two steps is one rebuild.
        let quiet = max(0, options.debounceMilliseconds, options.pollMilliseconds.map { $0 + 20 } ?? 0)
        let settledQuiet = UInt64(max(0, options.settledDebounceMilliseconds)) * 1_000_000
        while true {
            if Task.isCancelled { return false }
            let (last, settled) = pending.withLock { ($0.last, $0.settled) }
            let interval = settled ? settledQuiet : UInt64(quiet) * 1_000_000
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= last + interval { return true }
            try? await Task.sleep(nanoseconds: last + interval - now)
        }
    }

    private func rebuild(changed paths: [String]) async {
        let language = site.withLock { $0.language }
        let shown = displayPaths(paths)
        log(language == .zhCN ? "检测到改动：\(shown)，重新构建……" : "changed: \(shown); rebuilding…")
        let outcome = await build(changed: paths)
        if outcome.succeeded {
            log(outcome.language == .zhCN ? "已重新构建：\(outcome.summary)，已通知 \(channel.count) 个页面刷新"
                : "rebuilt: \(outcome.summary); \(channel.count) pages reloading")
        }
    }

    private func displayPaths(_ paths: [String]) -> String {
        var unique: [String] = []
        for p in paths where !unique.contains(p) { unique.append(p) }
        // An editor's temporary files come and go during a save: name what is still there.
        let present = unique.filter { FileManager.default.fileExists(atPath: $0) }
        if !present.isEmpty { unique = present }
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let names = unique.prefix(3).map { $0.hasPrefix(cwd) ? String($0.dropFirst(cwd.count)) : $0 }
        let more = unique.count > 3 ? (site.withLock { $0.language } == .zhCN ? " 等 \(unique.count) 处" : " and \(unique.count - 3) more") : ""
        return names.joined(separator: site.withLock { $0.language } == .zhCN ? "、" : ", ") + more
    }

    /// One build into a fresh folder; on success the server switches to it, otherwise it keeps the last good one
    /// and shows the problems. Either way every open page is told to reload.
    @discardableResult
    func build(changed: [String]) async -> BuildOutcome {
        guard let temporary = runtime.withLock({ $0.temporary }) else {
            return BuildOutcome(succeeded: false, diagnostics: [], language: .zhCN, summary: "")
        }
        let n = buildCounter.withLock { n -> Int in n += 1; return n }
        let folder = temporary + "/site-\(n)"
        let previous = site.withLock { $0.root }
        let builder = self.builder
        // The saved reports' pages are written before the rest of the site, then the pages open in a browser (each
        // tab names its page when it connects): tabs showing them reload as soon as theirs is written. The event
        // names the generation this build will end with, so such a tab does not reload again then.
        let channel = self.channel
        let coming = site.withLock { $0.generation } + 1
        let early: @Sendable ([String]) -> Void = { paths in
            channel.broadcast(event: "pages", data: ([String(coming)] + paths.map { "/" + URLPath.escape($0) }).joined(separator: "\n"))
        }
        let open = channel.openPages
        let outcome = await withCheckedContinuation { (c: CheckedContinuation<BuildOutcome, Never>) in
            // Builds are synchronous and use every core: keep them off the server's threads.
            DispatchQueue.global(qos: .userInitiated).async {
                c.resume(returning: builder.build(into: folder, previous: previous, changed: changed, open: open, early: early))
            }
        }
        let diagnosticsText = Terminal.diagnostics(outcome.diagnostics, outcome.language)
        let generation: Int
        var stale: [String] = []
        if outcome.succeeded {
            let served = outcome.folder ?? folder
            generation = site.withLock { s -> Int in
                s.root = served
                s.problems = nil
                s.language = outcome.language
                s.generation += 1
                return s.generation
            }
            // Keep the build before (a request may still be reading it); remove older ones.
            let keep = Set([served, previous].compactMap { $0.map { ($0 as NSString).lastPathComponent } })
            if let names = try? FileManager.default.contentsOfDirectory(atPath: temporary) {
                for name in names where !keep.contains(name) { stale.append(temporary + "/" + name) }
            }
            if !outcome.diagnostics.isEmpty { log(trimmed(diagnosticsText)) }
        } else {
            generation = site.withLock { s -> Int in
                s.problems = LiveOverlay.Problems(diagnostics: outcome.diagnostics, language: outcome.language,
                                                  hasGoodSite: s.root != nil)
                s.language = outcome.language
                s.generation += 1
                return s.generation
            }
            stale.append(folder)
            let errors = outcome.diagnostics.filter { $0.severity == .error }.count
            let kept = previous != nil
            log(trimmed(diagnosticsText))
            log(outcome.language == .zhCN
                ? "构建失败：\(errors) 个错误。" + (kept ? "预览继续显示上一次成功的版本，" : "") + "改好并保存后会自动重新构建。"
                : "build failed: \(errors) errors." + (kept ? " Still serving the last good build." : "") + " Save a fix to rebuild.")
        }
        for path in stale { try? FileManager.default.removeItem(atPath: path) }
        // A failed build's reload says so: a tab that reloaded early for its page must still show the problems.
        channel.broadcast(event: "reload", data: outcome.succeeded ? "\(generation)" : "\(generation) failed")
        return outcome
    }

    private func trimmed(_ s: String) -> String {
        var s = s
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    /// Stops watching, closes every connection and removes the temporary folder. Safe to call twice.
    public func stop() async {
        let r = runtime.withLock { r -> Runtime? in
            if r.stopped { return nil }
            r.stopped = true
            return r
        }
        guard let r else { return }
        r.watcher?.stop()
        r.wake?.finish()
        r.heartbeatTask?.cancel()
        r.rebuildTask?.cancel()
        // A build in progress finishes before its folder is removed.
        await r.rebuildTask?.value
        channel.finishAll()
        if let server = r.server { await server.stop(timeout: 0.3) }
        await r.serverTask?.value
        if let temporary = r.temporary { try? FileManager.default.removeItem(atPath: temporary) }
    }

    private func makeTemporaryFolder() throws -> String {
        var parent = options.temporaryParent ?? NSTemporaryDirectory()
        while parent.count > 1 && parent.hasSuffix("/") { parent.removeLast() }
        var template = Array((parent + "/kepu-serve-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw CommandProblem.temporaryFolder(reason: String(cString: strerror(errno)))
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private func socketAddress() throws -> any SocketAddress {
        let host = options.host == "localhost" ? "127.0.0.1" : options.host
        if host.contains(":") {
            guard let a = try? sockaddr_in6.inet6(ip6: host, port: options.port) else { throw CommandProblem.badHost(options.host) }
            return a
        }
        guard let a = try? sockaddr_in.inet(ip4: host, port: options.port) else { throw CommandProblem.badHost(options.host) }
        return a
    }
}

/// FlyingFox logs every request by default; the terminal is for build results.
struct QuietLogger: Logging {
    func logDebug(_ debug: @autoclosure () -> String) {}
    func logInfo(_ info: @autoclosure () -> String) {}
    func logWarning(_ warning: @autoclosure () -> String) {}
    func logError(_ error: @autoclosure () -> String) {}
    func logCritical(_ critical: @autoclosure () -> String) {}
}
