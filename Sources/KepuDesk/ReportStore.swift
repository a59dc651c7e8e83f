import Crypto
import Foundation
import KepuAuthoring
import KepuBuild
import KepuContent
import KepuCore
import KepuPhotos

/// A photo as it came from the browser. Its file name is only shown, never used as a path.
public struct Upload: Sendable {
    public var filename: String
    public var bytes: [UInt8]
    public init(filename: String, bytes: [UInt8]) { self.filename = filename; self.bytes = bytes }
}

/// A problem the loader found in what the desk was about to write, placed at a form field.
public struct FieldProblem: Sendable, Equatable {
    /// A front-matter key (`date`, `spend`, …), `body`, `photos`, or nil for the report as a whole.
    public var field: String?
    public var message: String
    public var hint: String?
    /// As `kepu check` prints it: path:line:column: message.
    public var formatted: String
}

public enum SaveOutcome: Sendable {
    case saved(path: String, commit: String)
    /// Nothing was written (photos already uploaded stay in the report's folder and in the form).
    case invalid([FieldProblem], ReportForm, path: String)
    /// The file changed on disk since the form was opened: nothing was written.
    case conflict(theirs: String, mine: String, hash: String)
    case refused(String)
}

/// Where the desk reads and writes: the content folder, and the build it publishes with.
public struct DeskSettings: Sendable {
    public var contentDirectory: String
    public var outputDirectory: String
    public var themeDirectory: String
    public var cacheDirectory: String
    /// Largest accepted photo, bytes (default 20 MB).
    public var maxPhotoBytes: Int = 20 * 1024 * 1024
    public var secureCookies = false
    /// A session ends after this long without a request (default 30 minutes).
    public var idleSeconds: Double = 30 * 60
    public var language: Language = .zhCN
    /// The build date for publishing (nil: today).
    public var now: Day?
    public var baseURL: String?

    public init(contentDirectory: String, outputDirectory: String = "public", themeDirectory: String = "theme",
                cacheDirectory: String = ".kepu-cache") {
        var c = contentDirectory
        while c.count > 1 && c.hasSuffix("/") { c.removeLast() }
        self.contentDirectory = c
        self.outputDirectory = outputDirectory
        self.themeDirectory = themeDirectory
        self.cacheDirectory = cacheDirectory
    }

    var today: Day { now ?? Day.today() }
}

/// Reads, checks and writes report files. One save at a time: two staff saving at once are serialised, and the
/// file hash catches the one who opened an older version.
public final class ReportStore: @unchecked Sendable {
    public let settings: DeskSettings
    public let repository: ContentRepository
    private let lock = NSLock()

    public init(settings: DeskSettings) {
        self.settings = settings
        repository = ContentRepository(folder: settings.contentDirectory)
    }

    var content: String { settings.contentDirectory }
    var language: Language { settings.language }

    public func load() -> LoadResult { ContentLoader.load(contentDirectory: content) }

    /// Decoded reports kept between dashboard loads: an unchanged file is not read again.
    private let cache = ReportCache()
    public func loadForDashboard() -> LoadResult { ContentLoader.load(contentDirectory: content, cache: cache) }

    public static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A path the form may name: a Markdown file under reports/, without `..`, hidden parts or odd characters.
    public static func isSafeReportPath(_ path: String) -> Bool {
        guard path.hasPrefix("reports/"), ContentLoader.isMarkdown(path), path.utf8.count < 400 else { return false }
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty || part.hasPrefix(".") { return false }
        }
        return !path.contains("\\") && !path.unicodeScalars.contains { $0.value < 0x20 }
    }

    public func readText(_ path: String) -> String? {
        guard Self.isSafeReportPath(path), let data = FileManager.default.contents(atPath: content + "/" + path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// The report at `path` with its form, the file's hash and text; nil when it is not a readable report.
    public func open(_ path: String) -> (form: ReportForm, hash: String, report: Report, problems: [Diagnostic])? {
        guard let text = readText(path), let editor = FrontMatterEditor(text: text) else { return nil }
        let loaded = load()
        let display = ContentLoader.displayPrefix(content) + "/" + path
        guard let report = loaded.content?.reports.first(where: { $0.path == display }) else { return nil }
        return (ReportForm(report: report, body: editor.body), Self.hash(text), report,
                loaded.diagnostics.filter { $0.path == display })
    }

    // MARK: Photos

    /// A report's photo to show in the form: a JPEG or PNG under reports/, really inside the content folder (a
    /// symbolic link out of it is not followed), at most 50 MB. Nil for anything else.
    public func photo(_ path: String) -> (bytes: [UInt8], type: String)? {
        let lower = path.lowercased()
        let type = lower.hasSuffix(".png") ? "image/png" : (lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg")) ? "image/jpeg" : nil
        guard let type, path.hasPrefix("reports/"), path.utf8.count < 400, !path.contains("\\"),
              !path.unicodeScalars.contains(where: { $0.value < 0x20 }),
              path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }),
              let root = FileSystem.realPath(content), let real = FileSystem.realPath(content + "/" + path),
              real.hasPrefix(root + "/reports/"), FileSystem.kind(of: real) == .file,
              let size = (try? FileManager.default.attributesOfItem(atPath: real))?[.size] as? Int, size <= 50 * 1024 * 1024,
              let data = FileManager.default.contents(atPath: real) else { return nil }
        return (Array(data), type)
    }

    /// JPEG, PNG or HEIC by their first bytes (never by name or the browser's type): the extension to store it with.
    public static func imageKind(_ b: [UInt8]) -> String? {
        if b.count >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF { return "jpg" }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if b.count >= 12 && Array(b[4..<8]) == Array("ftyp".utf8) {
            let brand = String(decoding: b[8..<12], as: UTF8.self)
            if ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains(brand) { return "heic" }
        }
        return nil
    }

    /// Its texts are the catalogue's (KepuCore/DeskProblem.swift).
    public typealias PhotoError = DeskProblem

    /// Stores photos in the report's folder under names Kepu makes (`photo-<random>.jpg`); returns those names.
    /// The folder is `folder` under content/; an uploaded name never takes part in the path.
    public func storePhotos(_ uploads: [Upload], folder: String) throws(PhotoError) -> [String] {
        var names: [String] = []
        for u in uploads {
            guard u.bytes.count <= settings.maxPhotoBytes else { throw .tooLarge(u.filename, limit: settings.maxPhotoBytes) }
            guard Self.imageKind(u.bytes) != nil else { throw .notAnImage(u.filename) }
        }
        let dir = content + "/" + folder
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw .writeFailed("\(error)")
        }
        for u in uploads {
            let ext = Self.imageKind(u.bytes)!
            let name = "photo-" + String(SessionStore.randomToken().prefix(12)) + "." + ext
            guard FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(u.bytes)) else {
                throw .writeFailed(name)
            }
            names.append(name)
        }
        // Each photo goes through the build's own photo pipeline now: one it cannot read is refused here, beside
        // the photos field, not at publishing; and the copies it makes are in the cache when the site is built.
        let processor = PhotoProcessor(cacheDirectory: settings.cacheDirectory)
        for (u, name) in zip(uploads, names) {
            do {
                _ = try processor.process([PhotoJob(source: dir + "/" + name, outputBase: "check")], into: DiscardingSink())
            } catch {
                for n in names { unlink(dir + "/" + n) }
                rmdir(dir)  // only when it is empty: a new report's folder made for these photos
                throw .undecodable(u.filename, reason: "\(error)")
            }
        }
        return names
    }

    // MARK: Saving

    /// Where a new report goes: `reports/YYYY/MM/<date>-<slug>/index.md`, a bundle so its photos sit beside it.
    public func newReportPath(for form: ReportForm) -> String {
        let day = (try? Day.parse(form.date.trimmingSpaces)) ?? settings.today
        let existing = NewReport.existingReportSlugs(under: content + "/reports")
        let kind = form.kind.trimmingSpaces.isEmpty ? nil : form.kind.trimmingSpaces
        var slug = day.description + "-" + NewReport.derivedSlug(title: form.title, kind: kind)
        if existing[slug.lowercased()] != nil || FileManager.default.fileExists(atPath: folderPath(day) + "/" + slug) {
            slug += "-" + NewReport.titleHash(form.title + SessionStore.randomToken())
        }
        return String(folderPath(day).dropFirst(content.count + 1)) + "/" + slug + "/index.md"
    }

    private func folderPath(_ day: Day) -> String { NewReport.folder(for: day, in: content) }

    /// A new report path the form carries between attempts: desk-made, not yet a file.
    public static func isNewBundlePath(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard parts.count == 5, parts[0] == "reports", parts[4] == "index.md", parts[1].count == 4, parts[2].count == 2,
              parts[1].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isASCII) else { return false }
        return NewReport.isValidSlug(String(parts[3])) && isSafeReportPath(path)
    }

    public struct SaveRequest: Sendable {
        /// The report's path under content/: an existing one to edit, or the one chosen for a new report.
        public var path: String?
        public var isNew: Bool
        public var form: ReportForm
        /// The file's hash when the form was opened (edits only).
        public var openedHash: String?
        public var uploads: [Upload] = []
        public var user: DeskUser
        public init(path: String?, isNew: Bool, form: ReportForm, openedHash: String?, uploads: [Upload] = [], user: DeskUser) {
            self.path = path; self.isNew = isNew; self.form = form; self.openedHash = openedHash; self.uploads = uploads; self.user = user
        }
    }

    public func save(_ request: SaveRequest) -> SaveOutcome {
        lock.lock()
        defer { lock.unlock() }
        var form = request.form
        let zh = language != .en
        let path: String
        var editor: FrontMatterEditor
        var original: ReportForm?
        var wasPublished = false
        if request.isNew {
            if let p = request.path {
                guard Self.isNewBundlePath(p), !FileManager.default.fileExists(atPath: content + "/" + p) else {
                    return .refused(zh ? "这个报告路径不能用。" : "This report path cannot be used.")
                }
                path = p
            } else {
                path = newReportPath(for: form)
            }
            // A new report starts from the same template as `kepu new report`, with its notes for hand editing.
            let template = (try? NewReport.loadTemplate(content: content, theme: settings.themeDirectory).0) ?? NewReport.builtInTemplate
            let text = NewReport.fill(template, values: ["title": NewReport.yamlQuoted(form.title.trimmingSpaces),
                                                        "date": ReportForm.dateScalar(form.date), "kind": "", "project": ""])
            guard let e = FrontMatterEditor(text: text) else { return .refused("template") }
            editor = e
            // The template's project line is dropped: the loader finds the project by the date, as it would for staff.
            editor.remove("project")
            // 填报 users save drafts; a new report is a draft until a 审核 user publishes it.
            form.draft = true
        } else {
            guard let p = request.path, Self.isSafeReportPath(p), let text = readText(p),
                  let e = FrontMatterEditor(text: text), let opened = open(p) else {
                return .refused(zh ? "找不到这篇报告，或它现在有错误无法在这里修改（请用编辑器修改并运行 kepu check）。"
                                   : "The report cannot be found, or has errors that must be fixed in an editor first.")
            }
            path = p
            if let h = request.openedHash, h != Self.hash(text) {
                var mine = e
                apply(form, over: opened.form, to: &mine)
                return .conflict(theirs: text, mine: mine.text, hash: Self.hash(text))
            }
            editor = e
            original = opened.form
            wasPublished = !opened.report.draft
            // What the public sees changes only through a reviewer: a 填报 user corrects drafts, not published reports.
            if wasPublished && request.user.role != .reviewer {
                return .refused(zh ? "这篇报告已经公开，只有审核人员可以更正它。请把要改的地方告诉审核人员。"
                                   : "This report is public: only a reviewer can correct it.")
            }
            // Publishing is the reviewer's step: a save keeps the draft flag as the file has it.
            form.draft = opened.form.draft
        }
        let folder = String(path.split(separator: "/").dropLast().joined(separator: "/"))
        do {
            form.photos += try storePhotos(request.uploads, folder: folder)
        } catch {
            return .invalid([FieldProblem(field: "photos", message: Self.photoMessage(error, language), hint: nil, formatted: "")],
                            form, path: path)
        }

        // An edit of a published report needs its correction note.
        if wasPublished && form.correction.trimmingSpaces.isEmpty && !form.changedKeys(from: original!).isEmpty {
            return .invalid([FieldProblem(field: "correction", message: zh ? "这篇报告已经公开：请写明改了什么（更正说明），会显示在报告页面的更正记录里。"
                                                : "This report is public: say what was corrected; it is shown on the report's page.",
                                          hint: nil, formatted: "")], form, path: path)
        }

        if let original {
            apply(form, over: original, to: &editor)
        } else {
            for key in ReportForm.allKeys where key != "title" { editor.set(key, form.lines(for: key)) }
            editor.setBody(form.body)
        }
        if wasPublished, !form.correction.trimmingSpaces.isEmpty {
            let item = "{date: " + settings.today.description + ", text: " + NewReport.yamlQuoted(form.correction.trimmingSpaces) + "}"
            if !editor.append("corrections", item: item) {
                return .refused(zh ? "这篇报告的 corrections 写法特殊，请用编辑器添加更正。" : "Add the correction in an editor.")
            }
        }
        let text = editor.text
        switch check(text, path: path, editor: editor) {
        case let .failure(list): return .invalid(list.items, form, path: path)
        case .success: break
        }
        let before = request.isNew ? nil : readText(path)
        guard write(text, to: path) else {
            return .refused(zh ? "写入文件失败：\(path)" : "Could not write \(path)")
        }
        // A correction of a published report is public at once: the site is rebuilt, or the file gets its old bytes
        // back and nothing changes.
        if wasPublished {
            let report = build()
            if !report.succeeded {
                if let before { _ = write(before, to: path) }
                return .invalid(report.diagnostics.filter { $0.severity == .error }.map {
                    FieldProblem(field: nil, message: $0.formatted(language), hint: nil, formatted: $0.formatted(language))
                } + [FieldProblem(field: nil, message: zh ? "网站没有改动，文件也没有保存。" : "Nothing was saved; the site was left unchanged.",
                                  hint: nil, formatted: "")], form, path: path)
            }
        }
        let title = form.title.trimmingSpaces
        let message = (request.isNew ? "新建报告：" : "修改报告：") + title
        let files = [path] + form.photos.map { folder + "/" + $0 }.filter { FileManager.default.fileExists(atPath: content + "/" + $0) }
        let r = repository.commit(files, message: message, author: request.user.name)
        return .saved(path: path, commit: r.status == 0 ? message : "")
    }

    /// Sets only the keys whose value the form changed, and the body when it changed.
    func apply(_ form: ReportForm, over original: ReportForm, to editor: inout FrontMatterEditor) {
        for key in form.changedKeys(from: original) { editor.set(key, form.lines(for: key)) }
        if ReportForm.normalizedBody(form.body) != original.body { editor.setBody(ReportForm.normalizedBody(form.body)) }
    }

    /// Writes `text` to a temporary file beside `path`, loads the whole content folder with it in `path`'s place,
    /// and keeps it only when the loader finds no error in it. Problems are mapped to the fields they are on.
    func check(_ text: String, path: String, editor: FrontMatterEditor) -> Result<Void, ProblemList> {
        let full = content + "/" + path
        let tmp = full + ".kepu-desk-" + String(SessionStore.randomToken().prefix(8))
        let folder = (full as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
            return .failure(ProblemList([FieldProblem(field: nil, message: "cannot write \(tmp)", hint: nil, formatted: "")]))
        }
        defer { unlink(tmp) }
        let loaded = ContentLoader.load(contentDirectory: content, substitutes: [path: tmp])
        let display = ContentLoader.displayPrefix(content) + "/" + path
        let errors = loaded.errors.filter { $0.path == display }
        if errors.isEmpty { return .success(()) }
        return .failure(ProblemList(errors.map { d in
            FieldProblem(field: editor.field(atLine: d.line).map(Self.formField), message: d.message(language),
                         hint: d.hint(language), formatted: d.formatted(language))
        }))
    }

    struct ProblemList: Error { var items: [FieldProblem]; init(_ i: [FieldProblem]) { items = i } }

    static func formField(_ key: String) -> String { key == "project" ? "date" : key }

    /// The new bytes take the file's place by rename: a reader sees the old file or the new one, never half.
    func write(_ text: String, to path: String) -> Bool {
        let full = content + "/" + path
        let tmp = full + ".kepu-desk-write-" + String(SessionStore.randomToken().prefix(8))
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else { return false }
        if rename(tmp, full) != 0 { unlink(tmp); return false }
        return true
    }

    static func photoMessage(_ e: PhotoError, _ language: Language) -> String { e.message(language) }

    // MARK: Publishing

    public enum PublishOutcome: Sendable {
        case published(pages: Int)
        case failed([String])
    }

    /// Clears the draft flag and runs the same atomic build as `kepu build`; when the build fails, the file gets its
    /// old bytes back and the public folder is as it was.
    public func publish(_ path: String, user: DeskUser) -> PublishOutcome {
        lock.lock()
        defer { lock.unlock() }
        let zh = language != .en
        guard user.role == .reviewer else { return .failed([zh ? "只有审核人员可以发布。" : "Only reviewers publish."]) }
        guard let text = readText(path), var editor = FrontMatterEditor(text: text) else {
            return .failed([zh ? "找不到这篇报告。" : "No such report."])
        }
        editor.set("draft", ["draft: false"])
        let newText = editor.text
        if case let .failure(list) = check(newText, path: path, editor: editor) {
            return .failed(list.items.map(\.formatted))
        }
        guard write(newText, to: path) else { return .failed(["write \(path)"]) }
        let report = build()
        guard report.succeeded else {
            _ = write(text, to: path)
            return .failed(report.diagnostics.filter { $0.severity == .error }.map { $0.formatted(language) }
                           + [zh ? "网站没有改动。" : "The site was left unchanged."])
        }
        let title = (FrontMatterEditor(text: newText).flatMap { _ in open(path)?.form.title }) ?? path
        _ = repository.commit([path], message: "发布：" + title, author: user.name)
        return .published(pages: report.pages)
    }

    /// `kepu build` with the desk's folders.
    public func build() -> BuildReport {
        var options = BuildOptions(contentDirectory: content, outputDirectory: settings.outputDirectory,
                                   themeDirectory: settings.themeDirectory, cacheDirectory: settings.cacheDirectory,
                                   now: settings.today, includeDrafts: false, baseURL: settings.baseURL)
        options.ledVideo = .off
        return Builder.build(options)
    }
}


/// Where the upload check's copies go: nowhere (the cache keeps them for the build).
struct DiscardingSink: OutputSink {
    func write(_ relativePath: String, _ bytes: [UInt8]) throws {}
    func copyFile(from absolutePath: String, to relativePath: String) throws {}
}
