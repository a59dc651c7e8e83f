import ArgumentParser
import Foundation
import KepuBuild
import KepuContent
import KepuCore

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

    func run() throws {
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
}
