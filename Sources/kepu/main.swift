import ArgumentParser
import Foundation
import KepuAuthoring
import KepuBuild
import KepuContent
import KepuCore
import KepuServe

/// The executable stays thin: arguments in, one call into KepuBuild, exit code out.
struct Kepu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kepu",
        abstract: "Kepu：科普经费公开网站生成器 — builds a budget project's public transparency site from Markdown reports.",
        subcommands: [Check.self, Build.self, New.self, Serve.self]
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
    @Flag(name: .customLong("led-video"), help: "Make led/loop.mp4 with ffmpeg; without ffmpeg the build fails (default: made when ffmpeg is installed).")
    var ledVideo = false
    @Flag(name: .customLong("no-led-video"), help: "Do not make led/loop.mp4 even when ffmpeg is installed.") var noLEDVideo = false
    @Flag(help: "Write a .gz beside every text file, for nginx's gzip_static (same bytes on every build).") var gzip = false

    func validate() throws {
        if ledVideo && noLEDVideo { throw ValidationError("--led-video and --no-led-video contradict each other") }
        if let now, (try? Day.parse(now)) == nil {
            throw ValidationError("--now must be a date like 2024-01-15, not \"\(now)\"")
        }
        if let baseURL, !SiteConfig.isSafeBaseURL(baseURL) {
            throw ValidationError("--base-url must be a path like /kepu/ or an http(s) address, not \"\(baseURL)\"")
        }
    }

    func run() throws {
        let day = now.flatMap { try? Day.parse($0) } ?? Day.today()
        var options = BuildOptions(contentDirectory: content, outputDirectory: output, themeDirectory: theme,
                                   cacheDirectory: cache, now: day, includeDrafts: drafts, baseURL: baseURL)
        options.ledVideo = ledVideo ? .required : noLEDVideo ? .off : .auto
        options.gzip = gzip
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

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a new report from the archetype (content/archetypes/ or theme/archetypes/).",
        subcommands: [NewReportCommand.self]
    )
}

struct NewReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write content/reports/YYYY/MM/<date>-<slug>.md, with date, project and kind filled in; prints its path."
    )

    @Argument(help: "The report's title, e.g. \"2023年全国科普日主场活动\".") var title: String
    @Option(help: "The activity kind, e.g. 科普日.") var kind: String?
    @Option(help: "The day it happened, YYYY-MM-DD (default: today).") var date: String?
    @Option(help: "The file name after the date: lowercase ASCII letters, digits, hyphens (default: derived from the title).") var slug: String?
    @Option(help: "The project id (default: the project whose year holds the date).") var project: String?
    @Option(help: "The content folder.") var content = "content"
    @Option(help: "The theme folder (its archetypes/report.md is the template).") var theme = "theme"

    func validate() throws {
        if let date, (try? Day.parse(date)) == nil {
            throw ValidationError("--date must be a date like 2023-09-16, not \"\(date)\"")
        }
        if let slug, !NewReport.isValidSlug(slug) {
            throw ValidationError("--slug may hold only lowercase ASCII letters, digits and single hyphens (e.g. kepuri-douna), not \"\(slug)\"")
        }
    }

    func run() throws {
        let day = date.flatMap { try? Day.parse($0) } ?? Day.today()
        let request = NewReport.Request(title: title, kind: kind, date: day, slug: slug, project: project,
                                        contentDirectory: content, themeDirectory: theme)
        do {
            let created = try NewReport.create(request)
            print(created.path)
            FileHandle.standardError.write("已写好新报告（项目 \(created.project)）。用编辑器打开它，按 # 后的说明填写；"
                + "运行 kepu check 检查，或用 kepu serve 边写边预览。\n")
        } catch {
            FileHandle.standardError.write("错误: " + error.message(.zhCN) + "\n")
            throw ExitCode(1)
        }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build into a temporary folder, serve it, rebuild on every save and reload open pages."
    )

    @Option(help: "The content folder.") var content = "content"
    @Option(help: "The theme folder.") var theme = "theme"
    @Option(help: "The cache folder for photos and slide images.") var cache = ".kepu-cache"
    @Option(help: "The port to listen on (0: any free port).") var port: UInt16 = 1313
    @Option(help: "The address to listen on; 0.0.0.0 lets other machines on the network open the preview.") var host = "127.0.0.1"
    @Flag(help: "Include drafts.") var drafts = false
    @Option(help: "Poll for changes every MS milliseconds instead of inotify (network shares).") var poll: Int?
    @Option(help: "The build date, YYYY-MM-DD (default: today).") var now: String?
    @Option(name: .customLong("base-url"), help: "The base URL the preview is built with (default: /, the server's root).") var baseURL: String?
    @Flag(help: "Rebuild everything into a fresh folder after each save, instead of only what changed.") var full = false

    func validate() throws {
        if let now, (try? Day.parse(now)) == nil {
            throw ValidationError("--now must be a date like 2024-01-15, not \"\(now)\"")
        }
        if let poll, poll < 50 { throw ValidationError("--poll must be at least 50 (milliseconds)") }
    }

    func run() throws {
        // The preview is served at the root: site.yaml's base_url (say https://kx.example.gov.cn/kepu/) would send
        // the 404 page's links to /kepu/… . --base-url still wins.
        let settings = FullRebuild(contentDirectory: content, themeDirectory: theme, cacheDirectory: cache,
                                   now: now.flatMap { try? Day.parse($0) }, includeDrafts: drafts, baseURL: baseURL ?? "/")
        let builder: any SiteBuilding = full ? settings : IncrementalRebuild(settings)
        let options = ServeOptions(contentDirectory: content, themeDirectory: theme, host: host, port: port,
                                   pollMilliseconds: poll)
        let code = ServeCommand.run(options: options, builder: builder)
        if code != 0 { throw ExitCode(code) }
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
