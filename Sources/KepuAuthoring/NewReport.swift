import Foundation
import KepuContent
import KepuCore

#if canImport(Glibc)
import Glibc
#endif

/// `kepu new report "标题"`: a new report file from an archetype, with its date, project and kind filled in.
public enum NewReport {
    public struct Request: Sendable {
        public var title: String
        public var kind: String?
        public var date: Day
        public var slug: String?
        public var project: String?
        public var contentDirectory: String
        public var themeDirectory: String

        public init(title: String, kind: String? = nil, date: Day, slug: String? = nil, project: String? = nil,
                    contentDirectory: String = "content", themeDirectory: String = "theme") {
            self.title = title
            self.kind = kind
            self.date = date
            self.slug = slug
            self.project = project
            self.contentDirectory = contentDirectory
            self.themeDirectory = themeDirectory
        }
    }

    /// What was written.
    public struct Created: Sendable, Equatable {
        /// The new file, as `<content>/reports/YYYY/MM/<date>-<slug>.md`.
        public var path: String
        /// `<date>-<slug>`: the report's slug on the site.
        public var slug: String
        public var project: String
        /// Where the template came from (a file path, or "built-in").
        public var template: String
    }

    /// Its texts are the catalogue's (KepuCore/CommandProblem.swift).
    public typealias Failure = CommandProblem

    /// Writes the new report and returns where. Never overwrites a file.
    public static func create(_ request: Request) throws(Failure) -> Created {
        let title = request.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .emptyTitle }
        let kind = request.kind?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let slug = request.slug, !isValidSlug(slug) { throw .invalidSlug(slug) }

        var content = request.contentDirectory
        while content.count > 1 && content.hasSuffix("/") { content.removeLast() }
        guard FileSystem.kind(of: content) == .directory else { throw .missingContentFolder(request.contentDirectory) }

        let loaded = ContentLoader.load(contentDirectory: content)
        let projects = loaded.content?.projects ?? []
        let project = try resolveProject(date: request.date, explicit: request.project?.nilIfEmpty, projects: projects,
                                         brokenProjectFiles: brokenProjectFiles(loaded))
        if let kind, let kinds = project.kinds, !kinds.contains(kind) {
            throw .kindNotListed(kind: kind, project: project.id, kinds: kinds)
        }

        // The slug: given, or derived from the title; a different report already holding it gets a hash suffix.
        let existing = existingReportSlugs(under: content + "/reports")
        let datePrefix = request.date.description
        var slug: String
        if let given = request.slug {
            slug = datePrefix + "-" + given
            if let other = existing[slug], !samePath(other, folder(for: request.date, in: content) + "/" + slug + ".md") {
                throw .slugTaken(slug: slug, path: other)
            }
        } else {
            slug = datePrefix + "-" + derivedSlug(title: title, kind: kind)
            if let other = existing[slug] {
                // Read from the file itself: a report still unfilled (no kind yet) does not load as a report,
                // and it is exactly the one a second run with the same title must find.
                if titleWritten(in: other)?.trimmingCharacters(in: .whitespacesAndNewlines) == title {
                    throw .reportExists(path: other)
                }
                slug += "-" + titleHash(title)
                if let other = existing[slug] { throw .reportExists(path: other) }
            }
        }

        let folder = folder(for: request.date, in: content)
        let path = folder + "/" + slug + ".md"
        let (template, source) = try loadTemplate(content: content, theme: request.themeDirectory)
        let text = fill(template, values: [
            "title": yamlQuoted(title),
            "date": request.date.description,
            "kind": kind.map(yamlQuoted) ?? "",
            "project": yamlQuoted(project.id),
        ])
        try writeNew(path: path, folder: folder, text: text)
        return Created(path: path, slug: slug, project: project.id, template: source)
    }

    /// The `title` in a file's front matter, whatever else in it is wrong.
    static func titleWritten(in path: String) -> String? {
        guard let bytes = try? FileSystem.readBytes(path),
              case let .success(doc) = SourceSplitter.split(bytes, path: path),
              case let .success(.map(pairs, _)) = FrontMatterParser.parse(doc),
              let pair = pairs.first(where: { $0.key == "title" }),
              case let .scalar(text, _, _) = pair.value else { return nil }
        return text
    }

    public static func folder(for date: Day, in content: String) -> String {
        content + "/reports/\(date.year)/" + (date.month < 10 ? "0" : "") + "\(date.month)"
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        (FileSystem.realPath(a) ?? a) == (FileSystem.realPath(b) ?? b)
    }

    /// Resolves the project like the loader does: an explicit id must exist; otherwise the one project whose
    /// year holds the date.
    public static func resolveProject(date: Day, explicit: String?, projects: [Project],
                               brokenProjectFiles: [String]) throws(Failure) -> Project {
        if let explicit {
            guard let p = projects.first(where: { $0.id == explicit }) else {
                throw .unknownProject(id: explicit, known: projects.map(\.id))
            }
            return p
        }
        let candidates = projects.filter { $0.year == date.year }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty { throw .noProjectForDate(date: date.description, brokenProjects: brokenProjectFiles) }
        throw .ambiguousProject(date: date.description, ids: candidates.map(\.id))
    }

    /// Project files that did not load (so a "no project" error can say why).
    public static func brokenProjectFiles(_ loaded: LoadResult) -> [String] {
        var seen: [String] = []
        for d in loaded.errors where d.path.contains("/projects/") && !seen.contains(d.path) { seen.append(d.path) }
        return seen
    }

    /// Report slugs already on disk (`x.md`, or a bundle folder `x/index.md`), lowercased → their path.
    public static func existingReportSlugs(under reports: String) -> [String: String] {
        var out: [String: String] = [:]
        guard FileSystem.kind(of: reports) == .directory else { return out }
        for f in FileSystem.listFiles(under: reports) where ContentLoader.isMarkdown(f) {
            let slug = ContentLoader.slug(of: "reports/" + f)
            // Keyed lowercased: the loader counts slugs differing only in case as duplicates.
            if out[slug.lowercased()] == nil { out[slug.lowercased()] = reports + "/" + f }
        }
        return out
    }

    // MARK: Slugs

    /// Lowercase ASCII letters, digits and single hyphens between them.
    public static func isValidSlug(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last, s.utf8.count <= 80 else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard alnum(first), alnum(last) else { return false }
        var previousHyphen = false
        for b in s.utf8 {
            if b == UInt8(ascii: "-") {
                if previousHyphen { return false }
                previousHyphen = true
            } else if alnum(b) {
                previousHyphen = false
            } else {
                return false
            }
        }
        return true
    }

    /// Common 科协 activity kinds in pinyin, for titles with no ASCII words (there is no pinyin table offline).
    public static let kindSlugs: [(String, String)] = [
        ("青少年科技创新大赛", "chuangxin"),
        ("科技三下乡", "sanxiaxiang"),
        ("科普日", "kepuri"),
        ("科技周", "kejizhou"),
        ("进社区", "jinshequ"),
        ("进机关", "jinjiguan"),
        ("进学校", "jinxuexiao"),
        ("进企业", "jinqiye"),
        ("进基层", "jinjiceng"),
        ("反邪教", "fanxiejiao"),
        ("培训", "peixun"),
        ("设备", "shebei"),
    ]

    /// The part after the date: the title's ASCII words when it has some with a letter, else the kind (or a kind
    /// named in the title) in pinyin, else "report". The same title and kind always give the same slug.
    public static func derivedSlug(title: String, kind: String?) -> String {
        // Words with a letter: a bare year or count ("2023年") says nothing the date does not.
        let words = asciiWords(title).filter { $0.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } }
        if !words.isEmpty {
            var slug = ""
            for w in words {
                let next = slug.isEmpty ? w : slug + "-" + w
                if next.utf8.count > 48 { break }
                slug = next
            }
            return slug.isEmpty ? String(words[0].prefix(48)) : slug
        }
        if let kind, let mapped = kindSlugs.first(where: { $0.0 == kind })?.1 { return mapped }
        // Longest names first, so 青少年科技创新大赛 wins over a shorter kind inside it.
        if let named = kindSlugs.first(where: { title.contains($0.0) })?.1 { return named }
        return "report"
    }

    /// Runs of ASCII letters and digits, lowercased.
    static func asciiWords(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for b in text.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) {
                current.append(b)
            } else if b >= 0x41 && b <= 0x5A {
                current.append(b + 0x20)
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current = []
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// Six hex digits of FNV-1a over the title's UTF-8: short, stable across runs and machines.
    public static func titleHash(_ title: String) -> String {
        var h: UInt32 = 0x811C_9DC5
        for b in title.utf8 {
            h ^= UInt32(b)
            h = h &* 0x0100_0193
        }
        let hex = String(h >> 8, radix: 16)
        return String(repeating: "0", count: max(0, 6 - hex.count)) + hex
    }

    // MARK: Template

    /// content/archetypes/report.md, else theme/archetypes/report.md, else the built-in copy of the latter.
    public static func loadTemplate(content: String, theme: String) throws(Failure) -> (String, String) {
        for path in [content + "/archetypes/report.md", theme + "/archetypes/report.md"]
        where FileSystem.kind(of: path) == .file {
            guard let bytes = try? FileSystem.readBytes(path),
                  let text = String(validatingUTF8Bytes: bytes) else { throw .unreadableTemplate(path: path) }
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, path)
        }
        return (builtInTemplate, "built-in")
    }

    /// Replaces `{{name}}` and `{{ name }}` placeholders in one pass, so a value that itself reads
    /// `{{title}}` (a kind typed by staff) is never filled in again; unknown ones are left as written.
    public static func fill(_ template: String, values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { rest = rest[open.lowerBound...]; break }
            let name = rest[open.upperBound..<close.lowerBound]
            let key = name.hasPrefix(" ") && name.hasSuffix(" ") && name.count > 2 ? name.dropFirst().dropLast() : name
            if let value = values[String(key)] { out += value } else { out += rest[open.lowerBound..<close.upperBound] }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// A YAML double-quoted scalar: any title is safe in it (colons, quotes, `#`, leading `-`, numbers stay text).
    public static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // YAML allows none of C0, DEL, C1, the line separators, BOM, U+FFFE/U+FFFF unescaped.
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
                    || scalar.value == 0x2029 || scalar.value == 0xFEFF || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Creates the file with O_EXCL: an existing file (even one created a moment ago) is never replaced.
    static func writeNew(path: String, folder: String, text: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: folder, reason: "\(error.localizedDescription)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw .reportExists(path: path) }
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        var offset = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                offset += n
            }
        }
        close(fd)
        if failure != 0 {
            unlink(path)
            throw .writeFailed(path: path, reason: String(cString: strerror(failure)))
        }
    }

    /// The template used when neither content/archetypes/report.md nor theme/archetypes/report.md exists.
    /// Kept identical to theme/archetypes/report.md (a test checks).
    public static let builtInTemplate = #"""
        ---
        # 新活动报告。由 kepu new 生成，照着下面的说明填写。
        # 以 # 开头的是说明文字，不会出现在网站上，可以保留，也可以删掉。
        # 必填的是 title、date、kind 三项；其余各项不用时空着即可（或整行删掉）。
        # 写完后运行 kepu check，它会指出哪一行哪一列有问题。

        # 标题（必填）。已加英文双引号，标题里可以有冒号；改标题时保留两端的引号。
        title: {{title}}

        # 活动日期（必填），写成 2023-05-20。
        date: {{date}}

        # 活动类型（必填），例如：科技周、科普日、科技三下乡、进社区、进机关、进企业、进学校、进基层、
        # 反邪教、青少年科技创新大赛、培训、设备。项目文件写了 kinds 时，只能用其中的类型。
        kind: {{kind}}

        # 所属项目编号，即 projects 文件夹里项目文件的名字（不含 .md）。已按日期填好，一般不用改。
        project: {{project}}

        # 活动地点，例如：龙城街道市民广场
        venue:

        # 服务人次，整数，例如：2600（不要写“人次”“约”等文字）。
        audience:

        # 这篇报告算几次活动，一般是 1；纯采购（如 LED 大屏更新）写 0。
        activities: 1

        # 支出，每笔一行，照下面的样子去掉行首的 # 再改：
        #   item 是支出项目，amount 是金额（精确到分）；金额带逗号、元、万或人民币符号时要加英文双引号。
        #   只有一笔时也可以直接写 spend: 600
        spend:
        #  - {item: 展板制作, amount: "1,860.50"}
        #  - {item: 科普宣传品, amount: 800}

        # 满意度问卷：调查人数和其中满意的人数，例如 {surveyed: 200, satisfied: 186}；没有做问卷就空着。
        satisfaction:

        # 照片文件名，照片放在这个文件旁边，例如 [photo-1.jpg, photo-2.jpg]；没有照片就写 []。
        # 照片较多时，可以建一个与本文件同名的文件夹，把本文件改名为 index.md 和照片一起放进去。
        photos: []

        # 标签，例如 [科普日, 防灾减灾]。
        tags: []

        # 列表里显示的一句话简介；不写就用正文第一段。
        summary:

        # 写 true 则暂不公开（草稿）；写完、核对无误后改为 false。
        draft: false
        ---

        <!-- 在这一行下面写正文：活动时间、地点、内容、参加人数、效果等。第一段会作为列表里的简介。这一行说明不会显示在网站上。 -->


        """#
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }

    init?(validatingUTF8Bytes bytes: [UInt8]) {
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        self = s
    }
}
