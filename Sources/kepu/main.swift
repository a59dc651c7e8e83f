import ArgumentParser
import Foundation
import KepuAuthoring
import KepuBuild
import KepuContent
import KepuCore
import KepuDesk
import KepuServe

/// The executable stays thin: arguments in, one call into KepuBuild, exit code out.
struct Kepu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kepu",
        abstract: "Kepu：科普经费公开网站生成器 — builds a budget project's public transparency site from Markdown reports.",
        subcommands: [Check.self, Build.self, New.self, Serve.self, Desk.self]
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
    @Flag(help: "Build everything even when nothing changed since the last build into this output.") var rebuild = false

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
        options.unchangedCheck = rebuild ? .remember : .skip
        ProcessLifetime.exitsAfterThisWork()
        let report = Builder.build(options)
        FileHandle.standardError.write(report.printedDiagnostics)
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

struct Desk: ParsableCommand {
    // `kepu desk [options]` runs the desk (its default subcommand); `kepu desk user …` manages accounts. The
    // desk's options live in the subcommand, so `--content` after `user add` reaches the user command.
    static let configuration = CommandConfiguration(
        abstract: "The staff desk: record activities from a browser, with accounts, history and publishing.",
        subcommands: [DeskServe.self, DeskUserCommand.self],
        defaultSubcommand: DeskServe.self
    )
}

struct DeskServe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the staff desk.")

    @Option(help: "The content folder (a git repository; one is made if it is not).") var content = "content"
    @Option(help: "The address to listen on (default: this computer only).") var host = "127.0.0.1"
    @Option(help: "The port (0: any free port).") var port: Int = 1314
    @Option(help: "Where publishing builds the site.") var output = "public"
    @Option(help: "The theme folder.") var theme = "theme"
    @Option(help: "The cache folder for photos and slide images.") var cache = ".kepu-cache"
    @Option(help: "The users file (default: desk-users.json beside the content folder).") var users: String?
    @Flag(name: .customLong("secure-cookies"), help: "Mark cookies Secure (behind HTTPS).") var secureCookies = false
    @Option(name: .customLong("max-photo-mb"), help: "Largest photo accepted, in MB (default 20).") var maxPhotoMB: Int = 20
    @Option(help: "The build date for publishing, YYYY-MM-DD (default: today).") var now: String?
    @Option(name: .customLong("base-url"), help: "The base URL the published site is built with.") var baseURL: String?
    @Option(name: .customLong("idle-minutes"), help: "Minutes without a request after which a session ends (default 30).") var idleMinutes: Int = 30

    func validate() throws {
        if let now, (try? Day.parse(now)) == nil {
            throw CLI.invalid("--now 应是一个存在的日期，例如 2024-01-15，这里是“\(now)”", "--now must be a date like 2024-01-15, not \"\(now)\"")
        }
        if !(0...65535).contains(port) { throw CLI.invalid("--port 应在 0 到 65535 之间", "--port must be 0 to 65535") }
        if !(1...500).contains(maxPhotoMB) { throw CLI.invalid("--max-photo-mb 应在 1 到 500 之间", "--max-photo-mb must be 1 to 500") }
    }

    func run() throws {
        let usersPath = users ?? UserStore.defaultPath(content: content)
        let store: UserStore
        do {
            try UserStore.checkPlace(usersPath, content: content, output: output)
            store = try UserStore(path: usersPath)
        } catch {
            FileHandle.standardError.write((CLI.current == .en ? "error: " : "错误: ") + error.message(CLI.current) + "\n")
            throw ExitCode(1)
        }
        var settings = DeskSettings(contentDirectory: content, outputDirectory: output, themeDirectory: theme, cacheDirectory: cache)
        settings.secureCookies = secureCookies
        settings.maxPhotoBytes = maxPhotoMB * 1024 * 1024
        settings.language = CLI.current
        settings.now = now.flatMap { try? Day.parse($0) }
        settings.baseURL = baseURL
        settings.idleSeconds = Double(idleMinutes) * 60
        let code = DeskServer.run(settings: settings, users: store, host: host, port: port)
        if code != 0 { throw ExitCode(code) }
    }
}

struct DeskUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add or remove desk users, or set a password (read from standard input).",
        subcommands: [DeskUserAdd.self, DeskUserRemove.self, DeskUserPassword.self]
    )
}

struct DeskUserOptions: ParsableArguments {
    @Option(help: "The content folder.") var content = "content"
    @Option(help: "The users file (default: desk-users.json beside the content folder).") var users: String?
    @Option(help: "The output folder (the users file must not be inside it).") var output = "public"

    func open() throws -> UserStore {
        let path = users ?? UserStore.defaultPath(content: content)
        do {
            try UserStore.checkPlace(path, content: content, output: output)
            return try UserStore(path: path)
        } catch {
            FileHandle.standardError.write((CLI.current == .en ? "error: " : "错误: ") + error.message(CLI.current) + "\n")
            throw ExitCode(1)
        }
    }
}

/// The password from standard input: typed without echo at a terminal (twice), else the first line (scripts).
func readPassword() throws -> String {
    let zh = CLI.current != .en
    if isatty(0) != 0 {
        guard let a = getpass(zh ? "密码：" : "Password: "), let first = String(validatingCString: a),
              let b = getpass(zh ? "再输入一次：" : "Again: "), let second = String(validatingCString: b) else { throw ExitCode(1) }
        if first != second {
            FileHandle.standardError.write(zh ? "错误: 两次输入的密码不一样\n" : "error: the passwords differ\n")
            throw ExitCode(1)
        }
        return first
    }
    guard let line = readLine(strippingNewline: true) else {
        FileHandle.standardError.write(zh ? "错误: 请从标准输入提供密码，例如 echo '密码' | kepu desk user add …\n" : "error: give the password on standard input\n")
        throw ExitCode(1)
    }
    return line.hasSuffix("\r") ? String(line.dropLast()) : line
}

func deskUserFailed(_ error: AccountError) -> ExitCode {
    FileHandle.standardError.write((CLI.current == .en ? "error: " : "错误: ") + error.message(CLI.current) + "\n")
    return ExitCode(1)
}

struct DeskUserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user; the password is read from standard input.")
    @Argument(help: "The user name (shown as the author of their commits).") var name: String
    @Option(help: "填报 (records drafts) or 审核 (also publishes).") var role: String
    @OptionGroup var options: DeskUserOptions

    func validate() throws {
        if Role(argument: role) == nil { throw CLI.invalid("--role 应是 填报 或 审核，这里是“\(role)”", "--role must be 填报 (reporter) or 审核 (reviewer), not \"\(role)\"") }
    }

    func run() throws {
        let store = try options.open()
        let password = try readPassword()
        do { try store.add(name, role: Role(argument: role)!, password: password) } catch { throw deskUserFailed(error) }
        print(CLI.current == .en ? "added \(name) (\(role)) to \(store.path)" : "已添加用户 \(name)（\(Role(argument: role)!.rawValue)），保存在 \(store.path)")
    }
}

struct DeskUserRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user.")
    @Argument(help: "The user name.") var name: String
    @OptionGroup var options: DeskUserOptions

    func run() throws {
        let store = try options.open()
        do { try store.remove(name) } catch { throw deskUserFailed(error) }
        print(CLI.current == .en ? "removed \(name); restart the desk to end their sessions" : "已删除用户 \(name)；重启工作台后其登录立即失效")
    }
}

struct DeskUserPassword: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "password", abstract: "Set a user's password, read from standard input.")
    @Argument(help: "The user name.") var name: String
    @OptionGroup var options: DeskUserOptions

    func run() throws {
        let store = try options.open()
        let password = try readPassword()
        do { try store.setPassword(name, password) } catch { throw deskUserFailed(error) }
        print(CLI.current == .en ? "password of \(name) changed" : "已修改 \(name) 的密码")
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
