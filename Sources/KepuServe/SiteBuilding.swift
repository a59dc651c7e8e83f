import Foundation
import KepuBuild
import KepuCore

/// What one (re)build gave the server.
public struct BuildOutcome: Sendable {
    public var succeeded: Bool
    public var diagnostics: [Diagnostic]
    public var language: Language
    /// One line for the terminal after a successful rebuild.
    public var summary: String
    /// The folder to serve when the build succeeded; nil: the folder the server asked for.
    public var folder: String?

    public init(succeeded: Bool, diagnostics: [Diagnostic], language: Language, summary: String, folder: String? = nil) {
        self.succeeded = succeeded
        self.diagnostics = diagnostics
        self.language = language
        self.summary = summary
        self.folder = folder
    }
}

/// Builds the site for the server. The server offers a fresh folder for every build and switches to what the
/// outcome names only when it succeeded: a full build fills the fresh folder (the last good one stays untouched);
/// an incremental one may instead keep updating one folder of its own beside it and name that.
public protocol SiteBuilding: Sendable {
    /// - Parameters:
    ///   - folder: a fresh folder to build into (it does not exist yet), inside the server's temporary folder.
    ///   - previous: the folder of the last good build, if any.
    ///   - changed: the paths that changed since the last build (empty for the first build).
    func build(into folder: String, previous: String?, changed: [String]) -> BuildOutcome
    /// The same; `early` is told the site paths of pages written ahead of the rest (the reports just saved, then
    /// the `open` pages: site paths of the pages open in a browser), if the builder does that.
    func build(into folder: String, previous: String?, changed: [String], open: Set<String>,
               early: @escaping @Sendable ([String]) -> Void) -> BuildOutcome
}

extension SiteBuilding {
    public func build(into folder: String, previous: String?, changed: [String], open: Set<String>,
                      early: @escaping @Sendable ([String]) -> Void) -> BuildOutcome {
        build(into: folder, previous: previous, changed: changed)
    }
}

/// A full `Builder.build` every time: what `kepu build` does, into the server's folder.
public struct FullRebuild: SiteBuilding {
    public var contentDirectory: String
    public var themeDirectory: String
    public var cacheDirectory: String
    /// nil: today, asked again on every build (a server left running overnight moves on with the calendar).
    public var now: Day?
    public var includeDrafts: Bool
    public var baseURL: String?

    public init(contentDirectory: String, themeDirectory: String, cacheDirectory: String, now: Day?,
                includeDrafts: Bool, baseURL: String? = nil) {
        self.contentDirectory = contentDirectory
        self.themeDirectory = themeDirectory
        self.cacheDirectory = cacheDirectory
        self.now = now
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
    }

    public func build(into folder: String, previous: String?, changed: [String]) -> BuildOutcome {
        var options = BuildOptions(contentDirectory: contentDirectory, outputDirectory: folder, themeDirectory: themeDirectory,
                                   cacheDirectory: cacheDirectory, now: now ?? Day.today(), includeDrafts: includeDrafts,
                                   baseURL: baseURL)
        // A new folder every time: nothing to reuse, so nothing to remember in the cache.
        options.remembersOutput = false
        return BuildOutcome(Builder.build(options))
    }
}

extension BuildOutcome {
    init(_ report: BuildReport, folder: String? = nil) {
        let ms = Int(report.totalMilliseconds.rounded())
        let phases = report.timings.map { "\(Terminal.phaseName($0.0, report.language)) \(Int($0.1.rounded()))" }.joined(separator: ", ")
        let summary: String
        switch report.language {
        case .zhCN:
            summary = "\(report.pages) 个网页、\(report.slides) 张大屏幻灯片、\(report.files) 个文件，用时 \(ms) 毫秒（\(phases)）"
                + (report.warnings > 0 ? "，\(report.warnings) 个警告" : "")
        case .en:
            summary = "\(report.pages) pages, \(report.slides) slides, \(report.files) files in \(ms) ms (\(phases))"
                + (report.warnings > 0 ? ", \(report.warnings) warnings" : "")
        }
        self.init(succeeded: report.succeeded, diagnostics: report.diagnostics, language: report.language,
                  summary: summary, folder: folder)
    }
}

/// KepuBuild's `Rebuilder`: one folder updated in place (`live`, beside the server's fresh folders), reading again
/// only the files that changed and rendering only the pages that depend on them; byte-identical to a full build.
/// Each file is replaced by a rename, so a page is never served half-written. A build that finds errors writes
/// nothing, so the last good site stays.
public final class IncrementalRebuild: SiteBuilding, @unchecked Sendable {
    public let settings: FullRebuild
    private let lock = Lock()
    private var rebuilder: Rebuilder?

    public init(_ settings: FullRebuild) { self.settings = settings }

    public func build(into folder: String, previous: String?, changed: [String]) -> BuildOutcome {
        build(into: folder, previous: previous, changed: changed, open: [], early: { _ in })
    }

    public func build(into folder: String, previous: String?, changed: [String], open: Set<String>,
                      early: @escaping @Sendable ([String]) -> Void) -> BuildOutcome {
        let live = (folder as NSString).deletingLastPathComponent + "/live"
        let now = settings.now ?? Day.today()
        let rebuilder = lock.withLock { () -> Rebuilder in
            // A new day (a server left running overnight) or a new folder: start again from a full build.
            if let r = self.rebuilder, r.options.outputDirectory == live, r.options.now == now { return r }
            let options = BuildOptions(contentDirectory: settings.contentDirectory, outputDirectory: live,
                                       themeDirectory: settings.themeDirectory, cacheDirectory: settings.cacheDirectory,
                                       now: now, includeDrafts: settings.includeDrafts, baseURL: settings.baseURL)
            let r = Rebuilder(options: options)
            self.rebuilder = r
            return r
        }
        return BuildOutcome(rebuilder.rebuild(changed: changed.isEmpty ? nil : changed, open: open, early: early), folder: live)
    }
}

/// Any closure can be a builder (tests, or a later incremental build).
public struct ClosureBuilder: SiteBuilding {
    let body: @Sendable (String, String?, [String]) -> BuildOutcome
    public init(_ body: @escaping @Sendable (String, String?, [String]) -> BuildOutcome) { self.body = body }
    public func build(into folder: String, previous: String?, changed: [String]) -> BuildOutcome {
        body(folder, previous, changed)
    }
}

/// Today in the machine's time zone, as staff would read a wall calendar.
