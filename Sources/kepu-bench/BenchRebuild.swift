import ArgumentParser
import Foundation
import KepuBuild
import KepuContent
import KepuCore
import KepuMarkdown

/// Times what `kepu serve` does after one report is saved: a full first build into a temporary
/// folder, then one report edited and rebuilt. For scripts/bench.py.
struct BenchRebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kepu-bench", abstract: "Time a one-report rebuild as kepu serve does it.")

    @Option var content = "content"
    @Option var theme = "theme"
    @Option var cache = ".kepu-cache"
    @Option var now = "2026-01-01"
    @Option(help: "Rebuilds to time.") var runs = 5
    @Option(help: "What each save changes: audience (a figure: totals and lists) or body (the text: its page and the search index).")
    var edit = "audience"
    @Flag(help: "Instead: the floors under loading, on every core as the loader runs: reading every report file, then also splitting off its front matter and rendering its body with cmark alone.")
    var floors = false
    @Option(help: "Instead: the floor under writing. Every file of this built output is read into memory, then made again under --into on every core as the output sink makes them: folders first, each file by its name in its folder (openat), one write.")
    var createFloor: String?
    @Option(help: "With --create-floor: the folder to make; it must not exist.")
    var into: String?

    func run() throws {
        if floors { return try timeFloors() }
        if let createFloor { return try timeCreating(from: createFloor) }
        let fm = FileManager.default
        let work = NSTemporaryDirectory() + "kepu-bench-rebuild-\(getpid())"
        defer { try? fm.removeItem(atPath: work) }
        // Work on a copy: the benchmark edits a report.
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        try fm.copyItem(atPath: content, toPath: work + "/content")
        let options = BuildOptions(contentDirectory: work + "/content", outputDirectory: work + "/out", themeDirectory: theme,
                                   cacheDirectory: cache, now: try Day.parse(now))
        let rebuilder = Rebuilder(options: options)
        let first = rebuilder.rebuild()
        guard first.succeeded else { throw ValidationError(Terminal.diagnostics(first.diagnostics, .en)) }
        guard let target = FileSystem.listFiles(under: work + "/content/reports").first(where: { $0.hasSuffix(".md") }) else {
            throw ValidationError("no report to change under \(content)/reports")
        }
        let path = work + "/content/reports/" + target
        var times: [Double] = []
        var phases: [[(Phase, Double)]] = []
        var pages = 0
        for i in 0..<runs {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            // A new audience figure (or a word in the body) each time, as a person correcting a report would type.
            try (edit == "body" ? text.replacingOccurrences(of: "本次活动", with: "本次活动W\(i)")
                : text.replacingOccurrences(of: "audience: [0-9]+", with: "audience: \(100 + i)", options: .regularExpression))
                .write(toFile: path, atomically: true, encoding: .utf8)
            let start = DispatchTime.now().uptimeNanoseconds
            // As kepu serve does: with the path the file watcher saw change.
            let report = rebuilder.rebuild(changed: [path])
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            guard report.succeeded else { throw ValidationError(Terminal.diagnostics(report.diagnostics, .en)) }
            phases.append(report.timings)
            pages = rebuilder.lastRenderedReportPages ?? 0
        }
        times.sort()
        print(String(format: "%8.0f ms median (min %.0f, max %.0f) over %d rebuilds, %d report pages rendered each",
                     times[times.count / 2], times.first!, times.last!, runs, pages))
        // Where the time goes, phase by phase (the median of each).
        let names = phases.first?.map { $0.0.rawValue } ?? []
        let medians = names.indices.map { i in phases.map { $0.count > i ? $0[i].1 : 0 }.sorted()[phases.count / 2] }
        print("  phases (median ms): " + zip(names, medians).map { "\($0) \(Int($1.rounded()))" }.joined(separator: ", "))
    }

    /// The least loading can cost: each file read, then read, split (its UTF-8 checked) and its body through cmark,
    /// on every core; the median of `runs`. What the loader adds on top is the YAML, the typed fields and the checks.
    func timeFloors() throws {
        let root = content + "/reports"
        let files = FileSystem.listFiles(under: root).filter { $0.hasSuffix(".md") }
        guard !files.isEmpty else { throw ValidationError("no report under \(root)") }
        func median(_ work: @escaping @Sendable (String) -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now().uptimeNanoseconds
                DispatchQueue.concurrentPerform(iterations: files.count) { work(root + "/" + files[$0]) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            }
            return times.sorted()[times.count / 2]
        }
        let read = median { _ = try? FileSystem.readBytes($0) }
        let cmark = median { path in
            guard let bytes = try? FileSystem.readBytes(path), case let .success(doc) = SourceSplitter.split(bytes, path: path) else { return }
            _ = Markdown.render(doc.body)
        }
        print(String(format: "%8.0f ms reading %d reports; %.0f ms reading, splitting and cmark", read, files.count, cmark))
    }

    /// The least writing a build's output can cost on this disk: its files made from memory, nothing rendered. Each
    /// core takes a run of files in path order, so the two write in different folders at once, as the builder's
    /// spread chunks do (two threads making files in one folder wait on its lock). One run: a second into the same
    /// folder would find the files there, which a build into an empty output never does.
    func timeCreating(from output: String) throws {
        guard let target = into else { throw ValidationError("--create-floor needs --into") }
        guard FileSystem.kind(of: target, followLinks: false) == nil else { throw ValidationError("\(target) exists") }
        let paths = FileSystem.listFiles(under: output).sorted()
        guard !paths.isEmpty else { throw ValidationError("no file under \(output)") }
        let contents = try paths.map { try FileSystem.readBytes(output + "/" + $0) }
        // Each file's folder and name split off before the clock starts: the sink has them at hand too.
        let places = paths.map { path -> (folder: String, name: String) in
            let parts = path.split(separator: "/")
            return (parts.dropLast().joined(separator: "/"), String(parts.last!))
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var folders: [String] = [""]
        for f in Set(places.map(\.folder)) where !f.isEmpty {
            let parts = f.split(separator: "/")
            for depth in 1...parts.count { folders.append(parts.prefix(depth).joined(separator: "/")) }
        }
        var descriptors: [String: Int32] = [:]
        for f in Set(folders).sorted() {  // a parent sorts before its children
            let full = f.isEmpty ? target : target + "/" + f
            guard mkdir(full, 0o755) == 0 else { throw ValidationError("mkdir \(full): errno \(errno)") }
            descriptors[f] = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let made = descriptors
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: cores) { core in
            for i in paths.count * core / cores ..< paths.count * (core + 1) / cores {
                let fd = openat(made[places[i].folder]!, places[i].name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                if fd < 0 || FileSystem.writeAll(fd, contents[i]) != nil { failures.withLock { $0 += 1 } }
                if fd >= 0 { close(fd) }
            }
        }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        for fd in descriptors.values { close(fd) }
        guard failures.withLock({ $0 }) == 0 else { throw ValidationError("\(failures.withLock { $0 }) files not written") }
        let mib = Double(contents.reduce(0) { $0 + $1.count }) / 1_048_576
        print(String(format: "%8.0f ms making %d files (%.0f MiB) in %d folders on %d cores", ms, paths.count, mib,
                     descriptors.count, cores))
    }
}
