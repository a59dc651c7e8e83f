import ArgumentParser
import Foundation
import KepuCore

/// The command line in the staff's language: help written for them, and ArgumentParser's English errors
/// replaced by a sentence they can act on. Chinese unless `LANG` (or `LC_ALL`) or the site's `language` is English.
enum CLI {
    static func language(arguments: [String]) -> Language {
        let env = ProcessInfo.processInfo.environment
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[name], !v.isEmpty {
                if v.lowercased().hasPrefix("en") { return .en }
                break
            }
        }
        // The site's own language: content/site.yaml, or the folder given with --content.
        var content = "content"
        if let i = arguments.firstIndex(of: "--content"), i + 1 < arguments.count { content = arguments[i + 1] }
        if let eq = arguments.first(where: { $0.hasPrefix("--content=") }) { content = String(eq.dropFirst(10)) }
        if let text = try? String(contentsOfFile: content + "/site.yaml", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("language:") {
                let value = line.dropFirst(9).trimmingCharacters(in: CharacterSet(charactersIn: " \"'\r"))
                if value.lowercased().hasPrefix("en") { return .en }
            }
        }
        return .zhCN
    }

    /// The command path in the arguments (`new report`), for help and usage lines.
    static func commandPath(_ arguments: [String]) -> [String] {
        guard let first = arguments.first else { return [] }
        if ["check", "build", "serve"].contains(first) { return [first] }
        if first == "desk" {
            guard arguments.count > 1, arguments[1] == "user" else { return ["desk"] }
            if arguments.count > 2 && ["add", "remove", "password"].contains(arguments[2]) { return ["desk", "user", arguments[2]] }
            return ["desk", "user"]
        }
        guard first == "new" else { return [] }
        if arguments.count > 1 && ["report", "project"].contains(arguments[1]) { return ["new", arguments[1]] }
        return ["new"]
    }

    static let current = language(arguments: Array(CommandLine.arguments.dropFirst()))

    /// A usage error in the current language.
    static func invalid(_ chinese: String, _ english: String) -> ValidationError {
        ValidationError(current == .en ? english : chinese)
    }

    static func wantsHelp(_ arguments: [String]) -> Bool {
        arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help"
    }

    static func help(_ path: [String], _ language: Language) -> String {
        let key = path.joined(separator: " ")
        return (language == .en ? english[key] : chinese[key]) ?? (language == .en ? english[""]! : chinese[""]!)
    }

    static func usage(_ path: [String], _ language: Language) -> String {
        let text = help(path, language)
        return text.split(separator: "\n").first(where: { $0.hasPrefix("用法") || $0.hasPrefix("usage") }).map(String.init) ?? ""
    }

    /// ArgumentParser's message for a usage error, said again in Chinese.
    static func translate(_ message: String) -> String {
        func quoted(_ s: String) -> String {
            guard let a = s.firstIndex(of: "'"), let b = s[s.index(after: a)...].firstIndex(of: "'") else { return "" }
            return String(s[s.index(after: a)..<b])
        }
        let m = message.replacingOccurrences(of: "Error: ", with: "")
        if m.hasPrefix("Unknown option") { return "不认识的选项 \(quoted(m))" }
        if m.hasPrefix("Missing expected argument") {
            let what = quoted(m)
            return what.contains("title") ? "缺少标题，例如 kepu new report \"2023年全国科普日主场活动\"" : "缺少参数 \(what)"
        }
        if m.hasPrefix("Missing value for") { return "选项 \(quoted(m).split(separator: " ").first.map(String.init) ?? "") 后面缺少值" }
        if m.hasPrefix("Unexpected argument") || m.hasPrefix("Unexpected arguments") { return "多余的参数 \(quoted(m))" }
        if m.contains("is invalid for") {
            let value = quoted(m)
            let rest = m.components(separatedBy: "for ").last ?? ""
            return "\(quoted(rest).split(separator: " ").first.map(String.init) ?? "选项") 的值“\(value)”不对"
        }
        if m.hasPrefix("Missing expected subcommand") || m.contains("subcommand") { return "请写出要做的事，例如 kepu check、kepu build、kepu new report" }
        if m.contains("Missing expected argument") || m.contains("Missing") { return "缺少必需的选项：\(quoted(m))" }
        return m
    }

    static let chinese: [String: String] = [
        "": """
            Kepu：科普经费公开网站生成器。把 content 文件夹里的项目和活动报告检查、汇总、自评，生成网站 public/。

            用法：kepu <命令> [选项]

            命令：
              check          检查 content 里的所有文件，逐条指出问题
              build          检查并生成网站（默认写到 public/）
              new report     新建一篇活动报告
              new project    照上一年度的项目新建下一年度的项目
              serve          边写边预览：打开浏览器看网站，保存后自动刷新
              desk           科普工作台：工作人员用浏览器或手机记录活动、上传照片、审核发布
              desk user      添加、删除工作台用户，修改密码

            每个命令后加 --help 查看说明，例如 kepu new report --help。
            """,
        "check": """
            检查 content 文件夹里的所有文件，逐条指出哪个文件、第几行、第几列有什么问题，最后给出统计。

            用法：kepu check [--content 文件夹]

            选项：
              --content 文件夹    内容文件夹（默认 content）
              -h, --help         显示这段说明

            没有错误时退出码为 0（可以有警告），有错误为 1，用法写错为 2。
            """,
        "build": """
            检查全部内容，汇总、自评，生成网站。有任何错误时什么也不写，原来的网站保持不变。

            用法：kepu build [--content 文件夹] [--output 文件夹] [--now 日期] [--drafts] [--base-url 网址] [--theme 文件夹] [--cache 文件夹]
                  [--led-video | --no-led-video] [--gzip] [--rebuild]

            选项：
              --content 文件夹    内容文件夹（默认 content）
              --output 文件夹     网站写到哪里（默认 public）；只有全部成功才替换
              --now 日期          构建日期，如 2024-01-15（默认今天）；决定自评是预估还是结果
              --drafts           也生成草稿（预览用）
              --base-url 网址     网站地址，如 https://kx.example.gov.cn/kepu/（默认用 site.yaml 的 base_url）
              --theme 文件夹      主题文件夹（默认 theme）
              --cache 文件夹      照片和大屏图片的缓存（默认 .kepu-cache）
              --led-video        一定生成大屏视频 led/loop.mp4（需要 ffmpeg，没有时构建失败）
              --no-led-video     不生成大屏视频（默认：装了 ffmpeg 就生成）
              --gzip             每个文本文件旁再写一个 .gz，供 nginx 的 gzip_static 使用
              --rebuild          全部重新生成；默认在内容、主题和选项都没有改动、网站也没被改过时只做检查
              -h, --help         显示这段说明
            """,
        "new": """
            新建文件。

            用法：kepu new report "标题" [选项]
                  kepu new project --year 年度 --from 项目编号 [选项]

            kepu new report --help、kepu new project --help 查看各自的说明。
            """,
        "new report": """
            按模板新建一篇活动报告，填好标题、日期、所属项目和类型，并显示文件位置。同一标题再运行一次会找到已有的文件并停止，不会覆盖。

            用法：kepu new report "标题" [--kind 类型] [--date 日期] [--slug 文件名] [--project 项目编号] [--content 文件夹] [--theme 文件夹]

            选项：
              --kind 类型         活动类型，如 科普日
              --date 日期         活动日期，如 2023-09-16（默认今天）
              --slug 文件名       日期后面的文件名：小写英文字母、数字和连字符（默认由标题得出）
              --project 项目编号   所属项目（默认按日期所在年度找）
              --content 文件夹    内容文件夹（默认 content）
              --theme 文件夹      主题文件夹，模板是其中的 archetypes/report.md（默认 theme）
              -h, --help         显示这段说明
            """,
        "new project": """
            照上一年度的项目文件新建下一年度的项目：复制绩效目标表（保留注释），支出进度节点的日期移到新年度，
            清空上一年度的实际值、依据、偏差原因和自评表内容，保留活动计划和支出进度。显示新文件的位置和还要填写的内容。

            用法：kepu new project --year 年度 --from 项目编号 [--budget 金额] [--id 新项目编号] [--content 文件夹]

            选项：
              --year 年度         新项目的预算年度，如 2024
              --from 项目编号     照哪个项目复制，如 kepu-2023
              --budget 金额       新年度的全年预算数，如 2万元（不写则保留原数，记得改）
              --id 新项目编号      新文件名（默认把原编号里的年份换成新年度，如 kepu-2024）
              --content 文件夹    内容文件夹（默认 content）
              -h, --help         显示这段说明
            """,
        "serve": """
            边写边预览：生成网站到临时文件夹并在浏览器中打开，content 或 theme 里的文件一保存，网页就自动刷新。
            文件有错时，页面上会显示哪个文件第几行有什么问题。按 Ctrl-C 停止。

            用法：kepu serve [--content 文件夹] [--theme 文件夹] [--port 端口] [--host 地址] [--drafts] [--poll 毫秒] [--now 日期] [--cache 文件夹] [--base-url 网址] [--full]

            选项：
              --port 端口         端口（默认 1313；0 表示任选一个空闲端口）
              --host 地址         监听地址（默认 127.0.0.1，只有本机能看；0.0.0.0 让同一网络的电脑也能看）
              --drafts           也显示草稿
              --poll 毫秒         每隔多少毫秒扫描一次文件（网络共享文件夹用，至少 50）
              --now 日期          构建日期，如 2024-01-15
              --full             每次保存后全部重新生成
              --content、--theme、--cache、--base-url  同 kepu build
              -h, --help         显示这段说明
            """,
        "desk": """
            科普工作台：工作人员在电脑或手机浏览器里记录活动、上传照片；审核人员发布后网站自动重新生成。
            每次保存都是内容文件夹 git 版本库里的一次提交，作者是保存的人。

            用法：kepu desk [--content 文件夹] [--host 地址] [--port 端口] [--output 文件夹] [--users 文件] [--secure-cookies]

            选项：
              --content 文件夹    内容文件夹（默认 content；不是 git 版本库时会自动建立）
              --host 地址         监听地址（默认 127.0.0.1，只有本机；对外请放在 HTTPS 的 nginx 后面）
              --port 端口         端口（默认 1314；0 表示任选一个空闲端口）
              --output 文件夹     发布时网站生成到哪里（默认 public），与 kepu build 相同
              --users 文件        用户文件（默认 content 旁边的 desk-users.json，不能放在 content 或网站文件夹里）
              --secure-cookies   登录 cookie 只走 HTTPS（nginx 用 HTTPS 时自动如此）
              --max-photo-mb 数   每张照片最大多少 MB（默认 20）
              --idle-minutes 数   多少分钟不操作自动退出登录（默认 30）
              --now 日期          发布时的构建日期（默认今天）
              --theme、--cache、--base-url  同 kepu build
              -h, --help         显示这段说明

            先用 kepu desk user add 添加用户。
            """,
        "desk user": """
            管理工作台用户。密码从标准输入读取（在终端里输入时不显示，要输两次）。

            用法：kepu desk user add 名字 --role 填报|审核 [--content 文件夹] [--users 文件]
                  kepu desk user remove 名字
                  kepu desk user password 名字

            填报：记录活动、保存草稿；审核：还可以发布。
            """,
        "desk user add": """
            添加一个工作台用户。密码从标准输入读取，至少 8 个字符，只保存 bcrypt 哈希。

            用法：kepu desk user add 名字 --role 填报|审核 [--content 文件夹] [--users 文件]
            """,
        "desk user remove": """
            删除一个工作台用户。

            用法：kepu desk user remove 名字 [--content 文件夹] [--users 文件]
            """,
        "desk user password": """
            修改用户的密码，新密码从标准输入读取。

            用法：kepu desk user password 名字 [--content 文件夹] [--users 文件]
            """,
    ]

    static let english: [String: String] = [
        "": """
            Kepu: builds a budget project's public transparency site from Markdown reports.

            usage: kepu <command> [options]

            commands:
              check          load and check content/, print every problem
              build          check and build the site (into public/)
              new report     write a new report to fill in
              new project    write next year's project from this year's
              serve          preview the site, rebuilt on every save
              desk           the staff desk: record activities from a browser or phone, review, publish
              desk user      add or remove desk users, set passwords

            Add --help to a command for its options.
            """,
        "check": """
            Load and check content/, print every problem and a summary.

            usage: kepu check [--content DIR]

            Exit 0 when clean (warnings allowed), 1 on any error, 2 on bad usage.
            """,
        "build": """
            Check, sum, score and write the site; on any error nothing is written.

            usage: kepu build [--content DIR] [--output DIR] [--now YYYY-MM-DD] [--drafts] [--base-url URL] [--theme DIR] [--cache DIR]
                              [--led-video | --no-led-video] [--gzip] [--rebuild]

            When content, theme, options and the output are as the last build left them, it only checks that
            and stops; --rebuild builds everything anyway.
            """,
        "new": """
            usage: kepu new report "TITLE" [options]
                   kepu new project --year YEAR --from ID [options]
            """,
        "new report": """
            Write a new report from the template, with title, date, project and kind filled in; prints its path.
            Run again with the same title, it finds the file and stops.

            usage: kepu new report "TITLE" [--kind K] [--date YYYY-MM-DD] [--slug S] [--project ID] [--content DIR] [--theme DIR]
            """,
        "new project": """
            Write next year's project from an existing one: the target table copied with its comments, milestone dates
            moved into the new year, last year's actuals, evidence, reasons and form cleared; prints what to fill in.

            usage: kepu new project --year YEAR --from ID [--budget AMOUNT] [--id NEW-ID] [--content DIR]
            """,
        "serve": """
            Build into a temporary folder, serve it, rebuild on every save and reload open pages.

            usage: kepu serve [--content DIR] [--theme DIR] [--port 1313] [--host 127.0.0.1] [--drafts] [--poll MS] [--now YYYY-MM-DD] [--cache DIR] [--base-url URL] [--full]
            """,
        "desk": """
            The staff desk: record activities from a browser or phone, upload photos; reviewers publish and the site
            is rebuilt. Every save is a git commit in the content folder's repository, authored by the member of staff.

            usage: kepu desk [--content DIR] [--host 127.0.0.1] [--port 1314] [--output DIR] [--users FILE] [--secure-cookies] [--max-photo-mb 20] [--idle-minutes 30]
            """,
        "desk user": """
            usage: kepu desk user add NAME --role 填报|审核 [--content DIR] [--users FILE]
                   kepu desk user remove NAME
                   kepu desk user password NAME
            The password is read from standard input.
            """,
        "desk user add": """
            usage: kepu desk user add NAME --role 填报|审核 [--content DIR] [--users FILE]
            """,
        "desk user remove": """
            usage: kepu desk user remove NAME [--content DIR] [--users FILE]
            """,
        "desk user password": """
            usage: kepu desk user password NAME [--content DIR] [--users FILE]
            """,
    ]
}
