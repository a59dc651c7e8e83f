import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuSite

/// Rebuilds a site in place, doing only what changed since the last rebuild: the dev server's builder.
///
/// - Reports whose files are unchanged (size, modification time, inode) are not read again.
/// - After report files change, only those reports' pages and their neighbours' (previous/next links)
///   are rendered again; every list, aggregate page, data file and slide is rendered as usual. A change
///   to anything else (site.yaml, a project, an announcement, a photo, static files, the theme) renders all.
/// - A file is written only when its bytes differ from what is there; files no longer produced are removed.
/// The result is byte-identical to a full build of the same content (tested).
public final class Rebuilder: @unchecked Sendable {
    public let options: BuildOptions
    private let cache = ReportCache()
    private let memo = PageMemo()
    private let sink: LiveSink
    private var order: [String] = []
    private var globalFingerprint: UInt64?
    /// Pages of reports rendered by the last rebuild, for tests and the benchmark.
    public private(set) var lastRenderedReportPages: Int?

    /// `options.outputDirectory` is written in place: a folder the caller owns (a temporary one).
    public init(options: BuildOptions) {
        self.options = options
        self.sink = LiveSink(root: options.outputDirectory)
    }

    /// `changed`: the paths a file watcher saw change since the last rebuild (as the watcher names them: the
    /// content folder as given, then the file), or nil when not known. When they are all report files, the
    /// content folder is not listed again, no other file is checked, and the fingerprint of everything else
    /// stands: a save costs the files saved, not a `stat` of every file.
    ///
    /// `early` is told the output paths of the saved reports' pages as soon as they are written, before the
    /// rest of the site (the dev server reloads tabs showing them at once), then those of the `open` pages (the
    /// site paths of the pages open in a browser), whose jobs go first, as each is written.
    public func rebuild(changed: [String]? = nil, open: Set<String> = [], early: (@Sendable ([String]) -> Void)? = nil) -> BuildReport {
        memo.earlyPages = early
        memo.openPages = open
        defer { memo.earlyPages = nil; memo.openPages = [] }
        var report = BuildReport()
        var clock = PhaseClock()
        let onlyReports = globalFingerprint != nil
            && changed.map { cache.trust(watcherPaths: $0, root: options.contentDirectory) } == true
        let loaded = ContentLoader.load(contentDirectory: options.contentDirectory, cache: cache)
        let decoded = cache.takeDecoded()
        guard var input = Builder.aggregate(loaded, options: options, report: &report, clock: &clock) else { return report }
        let content = input.content
        let newOrder = input.publishedReports.map(\.slug)
        let fingerprint = onlyReports ? globalFingerprint! : globalInputsFingerprint()
        if let previous = globalFingerprint, previous == fingerprint {
            input.reportPages = affectedReports(decoded: decoded, content: content, old: order, new: newOrder)
        } else {
            // The theme, the settings or content other than reports changed: equal data may render differently.
            memo.clear()
        }
        do {
            sink.begin()
            try Builder.render(&input, options: options, into: sink, report: &report, memo: memo)
            clock.lap(.render, into: &report)
            try sink.finish()
            clock.lap(.write, into: &report)
        } catch {
            // Named as a full build names it: a photo on its line in the report, anything else as a write failure.
            var path = options.outputDirectory, reason = "\(error)"
            if case let CommandProblem.writeFailed(failed, why) = error {
                path = failed.hasPrefix("/") ? failed : options.outputDirectory + "/" + failed
                reason = why
            }
            report.diagnostics.append((error as? Diagnostic) ?? Diagnostic(.error, phase: .render, path: options.outputDirectory,
                line: 1, column: 1, .writeFailed(path: path, reason: reason)))
            // The next rebuild renders everything again.
            globalFingerprint = nil
            return report
        }
        order = newOrder
        globalFingerprint = fingerprint
        lastRenderedReportPages = input.reportPages?.count ?? newOrder.count
        report.files = sink.fileCount
        report.succeeded = true
        return report
    }

    /// Changed, added and removed reports, with their neighbours in the old and the new order.
    func affectedReports(decoded: Set<String>, content: Content, old: [String], new: [String]) -> Set<String> {
        var changed = Set<String>()
        let prefix = ContentLoader.displayPrefix(options.contentDirectory) + "/"
        for r in content.reports where decoded.contains(String(r.path.dropFirst(prefix.count))) { changed.insert(r.slug) }
        let oldSet = Set(old), newSet = Set(new)
        changed.formUnion(oldSet.symmetricDifference(newSet))
        var affected = changed
        for list in [old, new] {
            for (i, slug) in list.enumerated() where changed.contains(slug) {
                if i > 0 { affected.insert(list[i - 1]) }
                if i + 1 < list.count { affected.insert(list[i + 1]) }
            }
        }
        return affected.intersection(newSet)
    }

    /// Everything but report Markdown files: content/ (site, projects, announcements, photos, static
    /// files) and the theme, by name and stamp; plus the build's own settings.
    func globalInputsFingerprint() -> UInt64 {
        // One line per input, NUL-separated fields (a file name has no NUL), hashed once.
        var text = "\(options.now)\0\(options.includeDrafts)\0\(options.baseURL ?? "")\n"
        for (root, skipReports) in [(options.contentDirectory, true), (options.themeDirectory, false)] {
            for f in FileSystem.listFiles(under: root) {
                if skipReports && f.hasPrefix("reports/") && f.hasSuffix(".md") { continue }
                let s = FileSystem.stamp(root + "/" + f)
                text += f + "\0" + (s.map { "\($0.size) \($0.seconds).\($0.nanoseconds) \($0.inode) \($0.changed)" } ?? "-") + "\n"
            }
        }
        return ContentHash.xxh64(text)
    }
}

/// Writes into a live folder: only files whose bytes changed, each through a temporary name and a
/// rename so a page being served is never half-written; removes files the build no longer produces.
final class LiveSink: OutputSink, @unchecked Sendable {
    private let directory: DirectorySink
    private let lock = Lock()
    /// Output path → hash of its bytes, as on disk.
    private var onDisk: [String: UInt64] = [:]
    private var produced: Set<String> = []

    init(root: String) {
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        directory = DirectorySink(root: root)
    }

    var fileCount: Int { lock.withLock { onDisk.count } }

    func begin() { lock.withLock { produced = [] } }

    func write(_ relativePath: String, _ bytes: [UInt8]) throws {
        let hash = ContentHash.xxh64(bytes)
        let unchanged = lock.withLock { () -> Bool in
            produced.insert(relativePath)
            return onDisk[relativePath] == hash
        }
        if unchanged { return }
        try directory.write(relativePath + ".kepu-tmp", bytes)
        let root = directory.root
        guard rename(root + "/" + relativePath + ".kepu-tmp", root + "/" + relativePath) == 0 else {
            throw CommandProblem.writeFailed(path: relativePath, reason: String(cString: strerror(errno)))
        }
        lock.withLock { onDisk[relativePath] = hash }
    }

    func copyFile(from absolutePath: String, to relativePath: String) throws {
        try write(relativePath, DirectorySink.sourceBytes(absolutePath))
    }

    func keep(_ relativePath: String) { lock.withLock { _ = produced.insert(relativePath) } }

    /// Removes what the last rebuild wrote and this one did not produce or keep.
    func finish() throws {
        let stale = lock.withLock { onDisk.keys.filter { !produced.contains($0) } }
        for path in stale {
            unlink(directory.root + "/" + path)
            lock.withLock { _ = onDisk.removeValue(forKey: path) }
        }
    }
}
