/// What a command says when it cannot do what it was asked (`kepu new report`, `kepu new project`, `kepu serve`,
/// the photo step of a build). Problem names a place in a file; these name an argument or the machine.
/// With Problem, FormProblem and SiteProblem this is the one catalogue of what Kepu tells its users: every
/// text is here, in each language, and nowhere else.
public enum CommandProblem: Error, Equatable, Sendable {
    // Both `kepu new` commands
    case missingContentFolder(String)
    case writeFailed(path: String, reason: String)
    // `kepu new report`
    case emptyTitle
    case invalidSlug(String)
    case unknownProject(id: String, known: [String])
    case noProjectForDate(date: String, brokenProjects: [String])
    case ambiguousProject(date: String, ids: [String])
    case kindNotListed(kind: String, project: String, kinds: [String])
    case reportExists(path: String)
    case slugTaken(slug: String, path: String)
    case unreadableTemplate(path: String)
    // `kepu new project`
    case unknownProjectToCopy(id: String, known: [String])
    case unreadableProject(path: String)
    case sameYear(year: Int)
    case invalidYear(String)
    case invalidBudget(String)
    case invalidID(String)
    case projectExists(path: String)
    // `kepu serve`
    case badHost(String)
    case cannotListen(host: String, port: UInt16, reason: String)
    case temporaryFolder(reason: String)
    case watchFailed(reason: String)
    // Photos: `source` is the original's path; the build names a report's photo on its line instead
    // (Problem.photoUnusable), so these texts are read only where no report lists the file.
    case photo(source: String, fault: PhotoFault)

    /// The sentence printed after "错误: " / "error: ".
    public func message(_ language: Language) -> String {
        language == .en ? english : chinese
    }

    private var chinese: String {
        switch self {
        case let .missingContentFolder(path):
            return "找不到内容文件夹 \(path)。请在网站文件夹中运行，或用 --content 指明内容文件夹。"
        case let .writeFailed(path, reason):
            return "无法写入 \(path)：\(reason)"
        case .emptyTitle:
            return "标题不能为空。用法：kepu new report \"2023年全国科普日主场活动\""
        case let .invalidSlug(s):
            return "文件名 --slug “\(s)” 不合规：只能用小写英文字母、数字和连字符 -，并以字母或数字开头和结尾，例如 kepuri-douna"
        case let .unknownProject(id, known):
            return "没有编号为“\(id)”的项目。已有的项目：\(Self.list(known, .zhCN))"
        case let .noProjectForDate(date, broken):
            var text = "日期 \(date) 不属于任何项目的年度：projects 文件夹中没有 year 为 \(date.prefix(4)) 的项目。"
                + "请核对 --date，或用 --project 指明所属项目。"
            if !broken.isEmpty {
                text += "另外，这些项目文件有错误、没能读入：\(broken.joined(separator: "、"))（运行 kepu check 查看）。"
            }
            return text
        case let .ambiguousProject(date, ids):
            return "日期 \(date) 同时属于多个项目：\(ids.joined(separator: "、"))。请用 --project 指明所属项目。"
        case let .kindNotListed(kind, project, kinds):
            return "项目 \(project) 没有“\(kind)”这种活动类型。可用的类型：\(kinds.joined(separator: "、"))"
        case let .reportExists(path):
            return "文件已存在，没有覆盖：\(path)。要另写一篇，请换个标题或用 --slug 指定文件名。"
        case let .slugTaken(slug, path):
            return "已有一篇报告叫 \(slug)（\(path)），报告的文件名不能重复。请用 --slug 换一个文件名。"
        case let .unreadableTemplate(path):
            return "报告模板 \(path) 读不出来（文件须为 UTF-8 编码）。"
        case let .unknownProjectToCopy(id, known):
            return "没有编号为“\(id)”的项目可以复制。已有的项目：\(Self.list(known, .zhCN))"
        case let .unreadableProject(path):
            return "项目文件 \(path) 读不出来（须为 UTF-8 编码，以 --- 开头）。"
        case let .sameYear(year):
            return "--year \(year) 与被复制项目的年度相同；新项目应是另一个年度。"
        case let .invalidYear(year):
            return "--year 应是四位数的年份，例如 2024，这里是“\(year)”。"
        case let .invalidBudget(budget):
            return "--budget 不是金额：“\(budget)”。可写成 20000、2万元、\"20,000.00\"。"
        case let .invalidID(id):
            return "--id “\(id)” 不合规：只能用小写英文字母、数字和连字符 -，例如 kepu-2024。"
        case let .projectExists(path):
            return "文件已存在，没有覆盖：\(path)。要另建，请用 --id 换一个项目编号。"
        case let .badHost(host):
            return "--host “\(host)” 不是 IP 地址：请写 127.0.0.1（只有本机能打开）或 0.0.0.0（局域网内都能打开）"
        case let .cannotListen(host, port, reason):
            return "无法在 \(host):\(port) 上启动预览服务：\(reason)。端口可能已被占用，请用 --port 换一个，例如 --port 1314"
        case let .temporaryFolder(reason):
            return "无法创建临时文件夹：\(reason)"
        case let .watchFailed(reason):
            return "无法监视文件改动：\(reason)。可以改用 --poll 500"
        case let .photo(source, fault):
            return "照片 \(source)：\(fault.text(.zhCN))"
        }
    }

    private var english: String {
        switch self {
        case let .missingContentFolder(path): return "there is no content folder \(path); run in the site's folder or use --content"
        case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
        case .emptyTitle: return "the title is empty; usage: kepu new report \"Science Day 2023\""
        case let .invalidSlug(s):
            return "--slug \"\(s)\" may hold only lowercase ASCII letters, digits and hyphens, and must start and end with a letter or digit"
        case let .unknownProject(id, known): return "there is no project \"\(id)\"; projects: \(Self.list(known, .en))"
        case let .noProjectForDate(date, broken):
            return "no project's year holds the date \(date); check --date or name the project with --project"
                + (broken.isEmpty ? "" : " (these project files have errors: \(broken.joined(separator: ", ")))")
        case let .ambiguousProject(date, ids):
            return "the date \(date) falls in several projects' year: \(ids.joined(separator: ", ")); name one with --project"
        case let .kindNotListed(kind, project, kinds):
            return "project \(project) does not list the kind \"\(kind)\"; its kinds: \(kinds.joined(separator: ", "))"
        case let .reportExists(path): return "\(path) exists already; nothing was overwritten (choose another title or --slug)"
        case let .slugTaken(slug, path): return "a report named \(slug) exists already (\(path)); choose another --slug"
        case let .unreadableTemplate(path): return "cannot read the report template \(path) (it must be UTF-8)"
        case let .unknownProjectToCopy(id, known): return "there is no project \"\(id)\" to copy; projects: \(Self.list(known, .en))"
        case let .unreadableProject(path): return "cannot read the project file \(path) (UTF-8, starting with ---)"
        case let .sameYear(year): return "--year \(year) is the year of the project copied; the new one needs another year"
        case let .invalidYear(year): return "--year must be a four-digit year such as 2024, not \"\(year)\""
        case let .invalidBudget(budget): return "--budget is not an amount: \"\(budget)\"; e.g. 20000 or 2万元"
        case let .invalidID(id): return "--id \"\(id)\" may hold only lowercase ASCII letters, digits and hyphens, e.g. kepu-2024"
        case let .projectExists(path): return "\(path) exists already; nothing was overwritten (choose another --id)"
        case let .badHost(host):
            return "--host \"\(host)\" is not an IP address: use 127.0.0.1 (this machine only) or 0.0.0.0 (the local network)"
        case let .cannotListen(host, port, reason):
            return "cannot start the preview on \(host):\(port): \(reason); the port may be in use, choose another with --port, e.g. --port 1314"
        case let .temporaryFolder(reason): return "cannot create a temporary folder: \(reason)"
        case let .watchFailed(reason): return "cannot watch the files for changes: \(reason); try --poll 500"
        case let .photo(source, fault): return "photo \(source): \(fault.text(.en))"
        }
    }

    private static func list(_ ids: [String], _ language: Language) -> String {
        if ids.isEmpty { return language == .en ? "none yet" : "（还没有项目）" }
        return ids.joined(separator: language == .en ? ", " : "、")
    }
}

/// Why a photo cannot be published. The details are the system's or libvips' own words, kept in brackets
/// for whoever fixes the machine; the sentence around them is the user's language.
public enum PhotoFault: Equatable, Sendable {
    case missing
    case folder
    case empty
    /// The file is there and cannot be read (permissions, an I/O error).
    case unreadable(detail: String)
    /// The bytes are not an image libvips decodes (another format, truncated, corrupt).
    case undecodable(detail: String)
    /// The photo cache could not be written: the machine's fault, not the photo's.
    case cacheFailed(detail: String)

    public func text(_ language: Language) -> String {
        switch (self, language) {
        case (.missing, .zhCN): return "文件不存在"
        case (.missing, .en): return "no such file"
        case (.folder, .zhCN): return "这是一个文件夹，不是照片"
        case (.folder, .en): return "it is a folder, not a photo"
        case (.empty, .zhCN): return "文件是空的（0 字节），可能没有复制完整"
        case (.empty, .en): return "the file is empty (0 bytes); it may not have been copied completely"
        case let (.unreadable(detail), .zhCN): return "文件读不出来（\(detail)）"
        case let (.unreadable(detail), .en): return "the file cannot be read (\(detail))"
        case let (.undecodable(detail), .zhCN): return "不是能解码的图片（\(detail)）"
        case let (.undecodable(detail), .en): return "not an image that can be decoded (\(detail))"
        case let (.cacheFailed(detail), .zhCN): return "照片缓存无法写入（\(detail)）"
        case let (.cacheFailed(detail), .en): return "the photo cache cannot be written (\(detail))"
        }
    }

    /// The photo's own fault (a broken file), not the machine's.
    public var isContents: Bool {
        if case .cacheFailed = self { return false }
        return true
    }
}
