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

    public init(succeeded: Bool, diagnostics: [Diagnostic], language: Language, summary: String) {
        self.succeeded = succeeded
        self.diagnostics = diagnostics
        self.language = language
        self.summary = summary
    }
}

/// Builds the site into a folder for the server. The server asks for every build in a fresh folder and switches
/// to it only when it succeeded, so a faster (incremental) builder can take the previous folder as its start.
public protocol SiteBuilding: Sendable {
    /// - Parameters:
    ///   - folder: where to build; does not exist yet.
    ///   - previous: the folder of the last good build, if any (never modified while it is being served).
    ///   - changed: the paths that changed since the last build (empty for the first build).
    func build(into folder: String, previous: String?, changed: [String]) -> BuildOutcome
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
        let options = BuildOptions(contentDirectory: contentDirectory, outputDirectory: folder, themeDirectory: themeDirectory,
                                   cacheDirectory: cacheDirectory, now: now ?? localToday(), includeDrafts: includeDrafts,
                                   baseURL: baseURL)
        let report = Builder.build(options)
        let ms = Int(report.totalMilliseconds.rounded())
        let phases = report.timings.map { "\(phaseName($0.0, report.language)) \(Int($0.1.rounded()))" }.joined(separator: ", ")
        let summary: String
        switch report.language {
        case .zhCN:
            summary = "\(report.pages) 个网页、\(report.slides) 张大屏幻灯片、\(report.files) 个文件，用时 \(ms) 毫秒（\(phases)）"
                + (report.warnings > 0 ? "，\(report.warnings) 个警告" : "")
        case .en:
            summary = "\(report.pages) pages, \(report.slides) slides, \(report.files) files in \(ms) ms (\(phases))"
                + (report.warnings > 0 ? ", \(report.warnings) warnings" : "")
        }
        return BuildOutcome(succeeded: report.succeeded, diagnostics: report.diagnostics, language: report.language,
                            summary: summary)
    }
}

func phaseName(_ p: Phase, _ language: Language) -> String {
    guard language == .zhCN else { return p.rawValue }
    switch p {
    case .load: return "读取"
    case .validate: return "读取与校验"
    case .aggregate: return "汇总"
    case .render: return "生成"
    case .write: return "写入"
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
func localToday() -> Day {
    let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
    return Day(year: c.year!, month: c.month!, day: c.day!)!
}
