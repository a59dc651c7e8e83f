import ArgumentParser
import Foundation
import KepuBuild
import KepuContent
import KepuCore

/// The executable stays thin: arguments in, one call into KepuBuild, exit code out.
struct Kepu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kepu",
        abstract: "Kepu：科普经费公开网站生成器 — builds a budget project's public transparency site from Markdown reports.",
        subcommands: [Check.self, Build.self]
    )
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load and validate content/, print every problem and a summary.")

    @Option(help: "The content folder.") var content = "content"

    func run() throws {
        let result = ContentLoader.load(contentDirectory: content)
        FileHandle.standardError.write(Terminal.diagnostics(result.diagnostics, result.language))
        print(Terminal.checkSummary(result))
        if !result.errors.isEmpty { throw ExitCode(1) }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site from content/ into public/.")

    @Option(help: "The content folder.") var content = "content"
    @Option(help: "The output folder; replaced only when the build succeeds.") var output = "public"
    @Option(help: "The theme folder (templates, CSS, UI strings).") var theme = "theme"
    @Option(help: "The cache folder for photos and slide images.") var cache = ".kepu-cache"
    @Option(help: "The build date, YYYY-MM-DD (default: today).") var now: String?
    @Flag(help: "Include drafts (for previews).") var drafts = false
    @Option(name: .customLong("base-url"), help: "Where the site is served, overriding site.yaml's base_url.") var baseURL: String?

    func validate() throws {
        if let now, (try? Day.parse(now)) == nil {
            throw ValidationError("--now must be a date like 2024-01-15, not \"\(now)\"")
        }
    }

    func run() throws {
        let day = now.flatMap { try? Day.parse($0) } ?? Kepu.today()
        let options = BuildOptions(contentDirectory: content, outputDirectory: output, themeDirectory: theme,
                                   cacheDirectory: cache, now: day, includeDrafts: drafts, baseURL: baseURL)
        let report = Builder.build(options)
        FileHandle.standardError.write(Terminal.diagnostics(report.diagnostics, report.language))
        if !report.succeeded {
            FileHandle.standardError.write(report.language == .zhCN
                ? "构建失败：\(report.errors) 个错误，\(output)/ 未作改动\n"
                : "build failed: \(report.errors) errors; \(output)/ left unchanged\n")
            throw ExitCode(1)
        }
        print(Terminal.buildSummary(report, output: output), terminator: "")
    }
}

extension Kepu {
    /// Today in the machine's time zone, as staff would read a wall calendar.
    static func today() -> Day {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}

extension FileHandle {
    func write(_ text: String) {
        if !text.isEmpty { write(Data(text.utf8)) }
    }
}

// Bad usage exits 2 (ArgumentParser's default is 64); help and version still exit 0.
do {
    var command = try Kepu.parseAsRoot()
    try command.run()
} catch {
    let code = Kepu.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Kepu.fullMessage(for: error) + "\n")
        exit(2)
    }
    Kepu.exit(withError: error)
}
