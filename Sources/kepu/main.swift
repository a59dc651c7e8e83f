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
            throw CLI.invalid("--now 应是一个存在的日期，例如 2024-01-15，这里是“\(now)”",
                              "--now must be a date like 2024-01-15, not \"\(now)\"")
        }
        if let baseURL, !SiteConfig.isSafeBaseURL(baseURL) {
            throw CLI.invalid("--base-url 应是路径（如 /kepu/）或 http(s) 网址，这里是“\(baseURL)”",
                              "--base-url must be a path like /kepu/ or an http(s) address, not \"\(baseURL)\"")
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
        subcommands: [NewReportCommand.self, NewProjectCommand.self]
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
            throw CLI.invalid("--date 应是一个存在的日期，写成 年-月-日，例如 2023-09-16；“\(date)”不是（请核对月份和日期，例如二月没有 30 日）",
                              "--date must be a date like 2023-09-16, not \"\(date)\"")
        }
        if let slug, !NewReport.isValidSlug(slug) {
            throw CLI.invalid("--slug 只能用小写英文字母、数字和单个连字符 -，例如 kepuri-douna，这里是“\(slug)”",
                              "--slug may hold only lowercase ASCII letters, digits and single hyphens (e.g. kepuri-douna), not \"\(slug)\"")
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
            FileHandle.standardError.write((CLI.current == .en ? "error: " : "错误: ") + error.message(CLI.current) + "\n")
            throw ExitCode(1)
        }
    }
}

struct NewProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Write next year's project file from an existing one; prints its path and what to fill in."
    )

    @Option(help: "The new project's budget year, e.g. 2024.") var year: Int
    @Option(help: "The project to copy, e.g. kepu-2023.") var from: String
    @Option(help: "The new year's budget, e.g. 2万元.") var budget: String?
    @Option(help: "The new project's id (default: the old id with the new year).") var id: String?
    @Option(help: "The content folder.") var content = "content"

    func run() throws {
        let request = NewProject.Request(year: year, from: from, budget: budget, id: id, contentDirectory: content)
        do {
            let created = try NewProject.create(request)
            print(created.path)
            let zh = CLI.current != .en
            var lines: [String] = [zh ? "已写好新项目 \(created.id)。还要填写或核对：" : "wrote project \(created.id); still to fill in or check:"]
            for item in created.toFill {
                switch item {
                case "budget": lines.append(zh ? "- budget：新年度的全年预算数（现在仍是上一年度的数）" : "- budget: still last year's")
                case "review": lines.append(zh ? "- review：年终自评时填写评价结论、存在问题、改进措施" : "- review: at the year's end")
                case "signatures": lines.append(zh ? "- signatures：年终自评时填写负责人、填表人和日期" : "- signatures: at the year's end")
                case "monitoring": lines.append(zh ? "- monitoring：年中监控时填写截止日期、全年预计和偏差原因" : "- monitoring: at mid-year")
                case "sources": lines.append(zh ? "- sources：按新年度预算分配各项资金来源的金额" : "- sources: split the new budget")
                default:
                    if item.hasPrefix("actual×") {
                        let n = item.dropFirst(7)
                        lines.append(zh ? "- \(n) 个 metric: manual 指标的 actual：年终评价时填写（现在是待评）"
                                        : "- actual of \(n) manual rows: at the year's end")
                    }
                }
            }
            lines.append(zh ? "- name、goal、basis 和正文里的年份与内容；运行 kepu check 检查。"
                            : "- the years and wording in name, goal, basis and the body; then run kepu check.")
            FileHandle.standardError.write(lines.joined(separator: "\n") + "\n")
        } catch {
            FileHandle.standardError.write((CLI.current == .en ? "error: " : "错误: ") + error.message(CLI.current) + "\n")
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
            throw CLI.invalid("--now 应是一个存在的日期，例如 2024-01-15，这里是“\(now)”",
                              "--now must be a date like 2024-01-15, not \"\(now)\"")
        }
        if let poll, poll < 50 { throw CLI.invalid("--poll 至少是 50（毫秒）", "--poll must be at least 50 (milliseconds)") }
    }

    func run() throws {
        // The preview is served at the root: site.yaml's base_url (say https://kx.example.gov.cn/kepu/) would send
        // the 404 page's links to /kepu/… . --base-url still wins.
        let settings = FullRebuild(contentDirectory: content, themeDirectory: theme, cacheDirectory: cache,
                                   now: now.flatMap { try? Day.parse($0) }, includeDrafts: drafts, baseURL: baseURL ?? "/")
        let builder: any SiteBuilding = full ? settings : IncrementalRebuild(settings)
        let options = ServeOptions(contentDirectory: content, themeDirectory: theme, host: host, port: port,
                                   pollMilliseconds: poll, language: CLI.current)
        let code = ServeCommand.run(options: options, builder: builder)
        if code != 0 { throw ExitCode(code) }
    }
}

extension FileHandle {
    func write(_ text: String) {
        if !text.isEmpty { write(Data(text.utf8)) }
    }
}

// Help is written for staff, in their language; ArgumentParser's own is English only.
let arguments = Array(CommandLine.arguments.dropFirst())
if CLI.wantsHelp(arguments) {
    print(CLI.help(CLI.commandPath(arguments.first == "help" ? Array(arguments.dropFirst()) : arguments), CLI.current))
    exit(0)
}
// Bad usage exits 2 (ArgumentParser's default is 64), with the usage line, in the staff's language.
do {
    var command = try Kepu.parseAsRoot()
    try command.run()
} catch {
    let code = Kepu.exitCode(for: error)
    if code == .validationFailure {
        let path = CLI.commandPath(arguments)
        let english = Kepu.message(for: error)
        if CLI.current == .en {
            FileHandle.standardError.write("error: " + english + "\n" + CLI.usage(path, .en) + "\n")
        } else {
            // Our own checks (ValidationError) are already in Chinese; ArgumentParser's are translated.
            let text = error is ValidationError ? english : CLI.translate(english)
            FileHandle.standardError.write("错误: " + text + "\n" + CLI.usage(path, .zhCN)
                + "\n运行 kepu " + (path + ["--help"]).joined(separator: " ") + " 查看说明。\n")
        }
        exit(2)
    }
    Kepu.exit(withError: error)
}
