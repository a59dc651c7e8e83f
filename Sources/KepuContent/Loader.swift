import Dispatch
import KepuCore

/// What loading and validating a content folder gives: the content (as far as it could be read)
/// and every diagnostic, sorted.
public struct LoadResult: Sendable {
    public var content: Content?
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var language: Language { content?.site.language ?? .zhCN }
}

/// The load and validate phases: read every file under content/, decode it, then check what needs
/// all files at once (projects of reports, kinds, duplicate slugs, photos on disk).
public enum ContentLoader {
    /// `cache` keeps decoded reports between loads (the dev server's rebuilds): a report file whose
    /// size, modification time and inode are unchanged is not read again.
    ///
    /// `substitutes` reads a report from another file as if it were at the given path under content/ (say
    /// `reports/2023/09/x/index.md` → `/…/index.md.kepu-desk-new`): the staff desk checks what it is about to
    /// write with every check `kepu check` makes, before the file takes its place. A path not on disk yet is added.
    public static func load(contentDirectory: String, cache: ReportCache? = nil, substitutes: [String: String] = [:]) -> LoadResult {
        var root = contentDirectory
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        let display = displayPrefix(root)
        guard FileSystem.kind(of: root) == .directory else {
            return LoadResult(content: nil, diagnostics: [
                Diagnostic(.error, phase: .load, path: display, line: 1, column: 1, .missingContentFolder(path: contentDirectory))])
        }
        var links: [String] = []
        // Under `kepu serve`, the watcher may vouch that only some report files changed: the last listing stands.
        let trusted = cache?.takeTrust(root: root)
        var files: [String]
        if let trusted {
            files = trusted.files
        } else {
            files = FileSystem.listFiles(under: root, links: &links)
            cache?.keepListing(files, root: root, hasLinks: !links.isEmpty)
        }
        var diagnostics: [Diagnostic] = []
        // Resolved once: links and photos are judged by where they really are.
        let rootReal = FileSystem.realPath(root) ?? root
        // A link may lead out of content/ (to /etc/passwd, say): such files are reported, never read or published.
        if !links.isEmpty {
            var outside = Set<String>()
            for link in links {
                guard let real = FileSystem.realPath(root + "/" + link), real.hasPrefix(rootReal + "/") else {
                    outside.insert(link)
                    diagnostics.append(Diagnostic(.error, phase: .load, path: display + "/" + link, line: 1, column: 1,
                                                  .linkOutsideContent(path: display + "/" + link)))
                    continue
                }
            }
            files = files.filter { !outside.contains($0) }
        }

        for file in substitutes.keys.sorted() where !files.contains(file) { files.append(file) }

        // site.yaml first: whether raw HTML is allowed changes how every body renders.
        var site = SiteConfig(title: "", unit: "")
        if files.contains("site.yaml") {
            let path = display + "/site.yaml"
            switch readSource(root + "/site.yaml", path: path, yamlOnly: true) {
            case let .failure(d): diagnostics.append(d)
            case let .success(doc):
                switch FrontMatterParser.parse(doc) {
                case let .failure(d): diagnostics.append(d)
                case let .success(map):
                    var sink = DiagnosticSink(path: path)
                    if let decoded = Decode.site(map, &sink) { site = decoded; site.path = path }
                    diagnostics += sink.items
                }
            }
        } else {
            diagnostics.append(Diagnostic(.error, phase: .load, path: display + "/site.yaml", line: 1, column: 1, .missingSiteFile))
        }

        var projectFiles: [String] = []
        var reportFiles: [String] = []
        var ledFiles: [String] = []
        var staticFiles: [String] = []
        for f in files {
            let md = isMarkdown(f)
            if f.hasPrefix("projects/") && md && !f.dropFirst(9).contains("/") { projectFiles.append(f) }
            else if f.hasPrefix("reports/") && md { reportFiles.append(f) }
            else if f.hasPrefix("led/") && md && !f.dropFirst(4).contains("/") { ledFiles.append(f) }
            else if f.hasPrefix("static/") { staticFiles.append(String(f.dropFirst(7))) }
        }
        // Markdown files inside a bundle other than index.md are the bundle's own documents, not reports.
        // Each file's ancestor folders are looked up in a set: linear in files, however many bundles.
        let bundles = Set(reportFiles.filter(isBundleIndex).map { String($0.dropLast(9)) })
        if !bundles.isEmpty {
            reportFiles = reportFiles.filter { f in
                if isBundleIndex(f) { return true }
                var folder = Substring(f)
                while let slash = folder.lastIndex(of: "/") {
                    folder = folder[..<slash]
                    if bundles.contains(String(folder)) {
                        // Never dropped silently: a stray index.md would otherwise hide whole folders of reports.
                        diagnostics.append(Diagnostic(.warning, phase: .load, path: display + "/" + f, line: 1, column: 1,
                                                      .insideBundle(bundle: display + "/" + folder)))
                        return false
                    }
                }
                return true
            }
        }

        let allowHTML = site.allowHTML
        var projects: [Project] = []
        for f in projectFiles {
            let id = String(f.dropFirst(9).dropLast(3))
            let path = display + "/" + f
            var sink = DiagnosticSink(path: path)
            if let doc = decodeFile(root + "/" + f, path: path, &sink),
               let p = Decode.project(id: id, path: path, doc.0, doc.1, allowHTML: allowHTML,
                                          weights: site.scoring, &sink) {
                projects.append(p)
            }
            diagnostics += sink.items
        }
        projects.sort { ($0.year, $0.id) < ($1.year, $1.id) }

        // Reports are the bulk: decode them on every core, each into its own slot.
        let slots = ConcurrentSlots<(Report?, [Diagnostic])>(count: reportFiles.count)
        let sources = reportFiles
        let base = root
        let readAhead = ReadAhead(root: base, files: sources)
        DispatchQueue.concurrentPerform(iterations: sources.count) { i in
            let f = sources[i]
            let path = display + "/" + f
            let substitute = substitutes[f]
            if let trusted, substitute == nil, !trusted.changed.contains(f), let hit = cache?.lookup(f, allowHTML: allowHTML) {
                slots.set(i, hit)
                return
            }
            let stamp = cache != nil && substitute == nil ? FileSystem.stamp(base + "/" + f) : nil
            if let cache, let stamp, let hit = cache.lookup(f, stamp: stamp, allowHTML: allowHTML) {
                slots.set(i, hit)
                return
            }
            var sink = DiagnosticSink(path: path)
            var report: Report?
            readAhead.reading(i)
            let source = readSource(substitute ?? base + "/" + f, path: path) { readAhead.waitedForDisk(at: i) }
            if let doc = decodeSource(source, &sink) {
                report = Decode.report(slug: slug(of: f), doc.0, doc.1, allowHTML: allowHTML, &sink)
            }
            slots.set(i, (report, sink.items))
            if let cache, let stamp { cache.store(f, stamp: stamp, allowHTML: allowHTML, (report, sink.items)) }
        }
        readAhead.stop()
        // The reports stay in their slots, moved rather than copied: copying 10,000 of them was a serial stretch.
        var datedYears = Set<Int>()
        for i in 0..<sources.count {
            slots.read(i) { slot in
                if let report = slot?.0, report.explicitProject == nil { datedYears.insert(report.date.year) }
            }
        }
        let sharedYears = checkSharedYears(projects, yearsFoundByDate: datedYears, &diagnostics)
        // Checked against the projects on every core too, each in its own slot; then taken in file order.
        let knownProjects = projects
        DispatchQueue.concurrentPerform(iterations: sources.count) { i in
            guard let (decoded, decodedItems) = slots.take(i) else { return }
            guard var report = decoded else { slots.set(i, (nil, decodedItems)); return }
            var items = decodedItems
            validate(&report, file: sources[i], root: base, rootReal: rootReal, display: display, projects: knownProjects,
                     sharedYears: sharedYears, &items)
            slots.set(i, (report, items))
        }
        var reports: [Report] = []
        reports.reserveCapacity(reportFiles.count)
        for i in 0..<sources.count {
            guard let (report, items) = slots.take(i) else { continue }
            diagnostics += items
            if let report { reports.append(report) }
        }
        cache?.forget(except: Set(reportFiles))
        // The slug check beside the sort and the spend check: each was a serial stretch (100 and 60 ms at 100k).
        let listed = reports
        let checked = ConcurrentSlots<(reports: [Report], found: [Diagnostic])>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            var found: [Diagnostic] = []
            if k == 0 {
                checkDuplicateSlugs(listed, &found)
                checked.set(0, ([], found))
            } else {
                // Sorted once, here: the spend check runs in this order, and the ledger and site keep it.
                // The path breaks ties of a duplicate slug (already an error) so the order is still total.
                var sorted = listed
                sorted.sort { Report.precedes($0, $1) || (!Report.precedes($1, $0) && $0.path.precedesInBytes($1.path)) }
                checkProjectSpendTotals(sorted, &found)
                checked.set(1, (sorted, found))
            }
        }
        diagnostics += checked.read(0) { $0!.found } + checked.read(1) { $0!.found }
        reports = checked.take(1)!.reports

        var announcements: [Announcement] = []
        for f in ledFiles {
            let path = display + "/" + f
            var sink = DiagnosticSink(path: path)
            if let doc = decodeFile(root + "/" + f, path: path, &sink),
               let a = Decode.announcement(slug: String(f.dropFirst(4).dropLast(3)), doc.0, doc.1, allowHTML: allowHTML, &sink) {
                announcements.append(a)
            }
            diagnostics += sink.items
        }
        announcements.sort { ($0.order, $0.slug) < ($1.order, $1.slug) }

        let content = Content(root: root, site: site, projects: projects, reports: reports,
                              announcements: announcements, staticFiles: staticFiles)
        return LoadResult(content: content, diagnostics: Diagnostic.sorted(diagnostics))
    }

    /// Diagnostics name files relative to the site root: the content folder's parent.
    public static func displayPrefix(_ root: String) -> String {
        let name = root.split(separator: "/").last.map(String.init) ?? root
        return name.isEmpty ? "content" : name
    }

    /// `reports/2023/05/2023-05-20-kejizhou.md` → `2023-05-20-kejizhou`; a bundle takes its folder's name.
    /// `活动.MD` from a Windows editor is Markdown too: never leave a report out silently.
    public static func isMarkdown(_ file: String) -> Bool {
        let u = Array(file.utf8.suffix(3))
        return u.count == 3 && u[0] == UInt8(ascii: ".") && (u[1] | 0x20) == UInt8(ascii: "m") && (u[2] | 0x20) == UInt8(ascii: "d")
    }

    /// `…/index.md` in any case (`index.MD` from a Windows editor): a report with its photos beside it.
    /// On bytes: it is asked of every file, 100,000 times in a large build.
    public static func isBundleIndex(_ file: String) -> Bool {
        let tail = Array(file.utf8.suffix(9))
        guard tail.count == 9, tail[0] == UInt8(ascii: "/") else { return false }
        let want = Array("index.md".utf8)
        for k in 0..<8 where (tail[k + 1] | (tail[k + 1] >= 65 && tail[k + 1] <= 90 ? 0x20 : 0)) != want[k] { return false }
        return true
    }

    /// The report's name: its file name without `.md`, or a bundle's folder name.
    public static func slug(of file: String) -> String {
        let u = Array(file.utf8)
        let slash = u.lastIndex(of: UInt8(ascii: "/"))
        if isBundleIndex(file), let slash, let before = u[..<slash].lastIndex(of: UInt8(ascii: "/")) {
            return String(decoding: u[(before + 1)..<slash], as: UTF8.self)
        }
        let start = slash.map { $0 + 1 } ?? 0
        return String(decoding: u[start..<max(start, u.count - 3)], as: UTF8.self)
    }

    /// `waited`: called when some of the bytes had to come from the disk.
    static func readSource(_ full: String, path: String, yamlOnly: Bool = false, waited: () -> Void = {}) -> Result<SourceDocument, Diagnostic> {
        let bytes: [UInt8]
        do {
            var fromDisk = false
            bytes = try FileSystem.readBytes(full, fromDisk: &fromDisk)
            if fromDisk { waited() }
        } catch {
            return .failure(Diagnostic(.error, phase: .load, path: path, line: 1, column: 1, .unreadable(reason: error.description)))
        }
        if yamlOnly {
            // site.yaml has no fences: wrap it so the same splitter checks its encoding, and count lines from 1.
            // A BOM must stay first to be recognised, so it goes before the added fence.
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            var body = bytes.starts(with: bom) ? Array(bytes.dropFirst(3)) : bytes
            // A YAML file may open with its own `---`: drop the dashes, keep the line, so lines still count from 1.
            if body.starts(with: Array("---".utf8)) && (body.count == 3 || [0x0A, 0x0D, 0x20].contains(body[3])) {
                body.removeFirst(3)
            }
            switch SourceSplitter.split(bytes.isEmpty ? [] : bom + Array("---\n".utf8) + body + Array("\n---\n".utf8), path: path) {
            case var .success(doc):
                doc.frontMatterLine = 1
                return .success(doc)
            case let .failure(d):
                var d = d
                if d.problem == .missingFrontMatter || d.problem == .unterminatedFrontMatter { d.problem = .frontMatterNotMapping }
                d.line = max(1, d.line - 1)
                return .failure(d)
            }
        }
        return SourceSplitter.split(bytes, path: path)
    }

    static func decodeFile(_ full: String, path: String, _ sink: inout DiagnosticSink) -> (SourceDocument, YAMLValue)? {
        decodeSource(readSource(full, path: path), &sink)
    }

    static func decodeSource(_ source: Result<SourceDocument, Diagnostic>, _ sink: inout DiagnosticSink) -> (SourceDocument, YAMLValue)? {
        switch source {
        case let .failure(d):
            sink.error(d.line, d.column, d.problem, phase: .load)
            return nil
        case let .success(doc):
            switch FrontMatterParser.parse(doc) {
            case let .failure(d):
                sink.error(d.line, d.column, d.problem, phase: .load)
                return nil
            case let .success(map):
                return (doc, map)
            }
        }
    }

    /// One report file's bytes decoded on their own: what needs no other file (its project, kind and
    /// photos are checked by `load`). For the dev server's rebuilds and for fuzzing.
    public static func decodeReport(_ bytes: [UInt8], path: String, slug: String, allowHTML: Bool) -> (Report?, [Diagnostic]) {
        var sink = DiagnosticSink(path: path)
        var report: Report?
        if let (doc, map) = decodeSource(SourceSplitter.split(bytes, path: path), &sink) {
            report = Decode.report(slug: slug, doc, map, allowHTML: allowHTML, &sink)
        }
        return (report, sink.items)
    }

    /// A project's spending summed over its reports (drafts too: previews include them) stays below a
    /// trillion yuan, the limit of one amount. Each amount is checked on its own; without this, enough large
    /// ones overflowed the totals and crashed the build (#8). Named on the report that crosses the limit,
    /// with the total reached.
    static func checkProjectSpendTotals(_ reports: [Report], _ diagnostics: inout [Diagnostic]) {
        let limit: Int64 = 100_000_000_000_000
        var totals: [String: Int64] = [:]
        // `reports` come in date order (see `load`): totals are counted as spending happened.
        for report in reports where !report.spend.isEmpty {
            let running = totals[report.projectID] ?? 0
            guard running <= limit else { continue }
            var total = running
            var crossing: Money?
            for item in report.spend {
                let (sum, o) = total.addingReportingOverflow(item.amount.fen)
                // running <= limit and one amount <= limit: the sum fits; shown as the total reached.
                if o || sum > limit { crossing = o ? item.amount : Money(fen: sum); break }
                total = sum
            }
            if let crossing {
                let p = report.positions["spend"] ?? report.positions["$"] ?? Position(line: 2, column: 1)
                diagnostics.append(Diagnostic(.error, path: report.path, line: p.line, column: p.column,
                                              .amountTooLarge(key: "spend", found: crossing.description)))
                totals[report.projectID] = limit + 1
            } else {
                totals[report.projectID] = total
            }
        }
    }

    /// Resolves the report's project, checks its kind against the project's list and its photos on disk.
    /// Two projects with one year, when some report relies on its date to find its project: named once, at
    /// the project file that caused it, instead of once on every such report. A project whose id names another
    /// year than its `year` (`kepu-2024` with `year: 2023`) is the copy that kept last year's; when none does,
    /// each project of that year is named. Returns the years so reported.
    /// `yearsFoundByDate`: the years of the reports that name no project.
    static func checkSharedYears(_ projects: [Project], yearsFoundByDate: Set<Int>, _ diagnostics: inout [Diagnostic]) -> Set<Int> {
        var byYear: [Int: [Project]] = [:]
        for p in projects { byYear[p.year, default: []].append(p) }
        var shared = Set<Int>()
        for (year, group) in byYear where group.count > 1 {
            guard yearsFoundByDate.contains(year) else { continue }
            shared.insert(year)
            let copies = group.filter { p in
                let digits = p.id.split { !$0.isASCII || !$0.isNumber }.filter { $0.count == 4 }
                return !digits.isEmpty && !digits.contains { Int(String($0)) == p.year }
            }
            for p in copies.isEmpty ? group : copies {
                let at = p.yearPosition ?? Position(line: 1, column: 1)
                let others = group.filter { $0.id != p.id }.map(\.path)
                diagnostics.append(Diagnostic(.error, path: p.path, line: at.line, column: at.column,
                                              .projectYearShared(year: year, others: others)))
            }
        }
        return shared
    }

    static func validate(_ report: inout Report, file: String, root: String, rootReal: String, display: String, projects: [Project],
                         sharedYears: Set<Int> = [], _ diagnostics: inout [Diagnostic]) {
        func error(_ key: String, _ problem: Problem) {
            let p = report.positions[key] ?? report.positions["$"] ?? Position(line: 2, column: 1)
            diagnostics.append(Diagnostic(.error, path: report.path, line: p.line, column: p.column, problem))
        }
        // By index, never `filter` or a copy: a project is a large value, and this runs for every report.
        var found: Int?
        if let id = report.explicitProject {
            found = projects.firstIndex { $0.id == id }
            if found == nil { error("project", .unknownProject(id: id, known: projects.map(\.id))) }
        } else {
            let year = report.date.year
            var candidates = 0
            for k in projects.indices where projects[k].year == year {
                candidates += 1
                if found == nil { found = k }
            }
            if candidates > 1 {
                found = nil
                if !sharedYears.contains(year) {
                    error("date", .ambiguousProject(date: report.date.description, ids: projects.filter { $0.year == year }.map(\.id)))
                }
            } else if candidates == 0 {
                error("date", .noProjectForDate(date: report.date.description))
            }
        }
        if let k = found {
            report.projectID = projects[k].id
            if let kinds = projects[k].kinds, !kinds.contains(report.kind) {
                error("kind", .kindNotListed(kind: report.kind, project: projects[k].id, kinds: kinds))
            }
            // Each 其中 row's 执行数 sums the items paid from it: a misspelt source would move money between rows.
            for (i, item) in report.spend.enumerated() {
                if let name = item.source, projects[k].source(named: name) == nil {
                    error(report.positions["spend[\(i)].source"] == nil ? "spend" : "spend[\(i)].source",
                          .form(.unknownSource(name: name, known: projects[k].sources.map(\.name))))
                }
            }
        }
        guard !report.bodyImages.isEmpty || !report.photos.isEmpty else { return }
        let folder = file.split(separator: "/").dropLast().joined(separator: "/")
        for image in report.bodyImages {
            // An image the body shows is published only as one of the report's photos; otherwise the page would
            // show its caption alone. Named at its line in the body.
            var name = image.name
            while name.hasPrefix("./") { name.removeFirst(2) }
            if report.photos.contains(where: { $0.name == name || $0.name == "./" + name }) { continue }
            let exists = normalize(folder + "/" + name).map { FileSystem.kind(of: root + "/" + $0) == .file } ?? false
            diagnostics.append(Diagnostic(.error, path: report.path, line: image.position.line, column: image.position.column,
                                          exists ? .bodyImageNotListed(path: image.name) : .photoMissing(path: image.name)))
        }
        guard !report.photos.isEmpty else { return }
        for i in report.photos.indices {
            let name = report.photos[i].name
            let key = report.positions["photos[\(i)]"] == nil ? "photos" : "photos[\(i)]"
            if name.hasPrefix("/") || name.contains("://") || name.hasPrefix("~") || name.contains("\\") {
                error(key, .photoOutsideContent(path: name))
                continue
            }
            guard let relative = normalize(folder + "/" + name) else {
                error(key, .photoOutsideContent(path: name))
                continue
            }
            guard let real = FileSystem.realPath(root + "/" + relative), FileSystem.kind(of: real) == .file else {
                error(key, .photoMissing(path: name))
                continue
            }
            // A symbolic link may point out of content/: judge where the file really is.
            guard real.hasPrefix(rootReal + "/") else {
                error(key, .photoOutsideContent(path: name))
                continue
            }
            report.photos[i].contentPath = relative
        }
    }

    /// Resolves `.` and `..`; nil when the path climbs out of its root.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// Two reports with one slug would write one page; the later path (in byte order) is reported.
    /// Slugs differing only in case collide too: Windows and macOS folders, where the site is opened, ignore case.
    static func checkDuplicateSlugs(_ reports: [Report], _ diagnostics: inout [Diagnostic]) {
        var seen: [String: String] = [:]
        seen.reserveCapacity(reports.count)
        // In path order, so the first of two is always the same one; indices, not copies of reports. The loader
        // hands them over in the listing's order, which is usually that order already.
        let inOrder = reports.indices.dropFirst().allSatisfy { reports[$0 - 1].path.precedesInBytes(reports[$0].path) }
        let order = inOrder ? Array(reports.indices) : reports.indices.sorted { reports[$0].path.precedesInBytes(reports[$1].path) }
        for i in order {
            let slug = reports[i].slug
            // Most slugs are lowercase ASCII already: they are their own key, with nothing allocated.
            let key = slug.utf8.contains { ($0 >= 0x41 && $0 <= 0x5A) || $0 >= 0x80 } ? slug.lowercased() : slug
            if let other = seen[key] {
                diagnostics.append(Diagnostic(.error, path: reports[i].path, line: 1, column: 1,
                                              .duplicateSlug(slug: slug, otherPath: other)))
            } else {
                seen[key] = reports[i].path
            }
        }
    }
}

/// Decoded reports kept between loads, keyed by their path under content/.
public final class ReportCache: @unchecked Sendable {
    private struct Entry {
        var stamp: FileStamp
        var allowHTML: Bool
        var value: (Report?, [Diagnostic])
    }

    private var entries: [String: Entry] = [:]
    private var decoded: Set<String> = []
    private let lock = Lock()
    /// The files under content/ at the last full listing (as a set too: asked of every watcher path), and whether
    /// any was a symbolic link.
    private var listing: (root: String, files: [String], known: Set<String>, hasLinks: Bool)?
    /// Set by `trust(watcherPaths:root:)` for the next load only.
    private var trustedChanges: Set<String>?

    public init() {}

    /// Takes a file watcher's word (`kepu serve`) on what changed since the last load: the paths as it names them,
    /// under the content folder `root`. Returns whether only report files may have changed: every path is a
    /// report's Markdown, hidden (never content), or a file that is gone and was not there at the last listing (an
    /// editor's temporary file). When, besides, no report came or went and the folder holds no symbolic link, the
    /// next load keeps the last listing and reads only the reports named, without a `stat` of every other file.
    public func trust(watcherPaths paths: [String], root: String) -> Bool {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        return lock.withLock {
            trustedChanges = nil
            guard let listing, listing.root == root, !paths.isEmpty else { return false }
            var changed = Set<String>()
            var sameFiles = !listing.hasLinks
            for full in paths {
                guard full.hasPrefix(root + "/") else { return false }
                let path = String(full.dropFirst(root.count + 1))
                if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                let kind = FileSystem.kind(of: full)
                let listed = listing.known.contains(path)
                if path.hasPrefix("reports/") && ContentLoader.isMarkdown(path) && kind != .directory && kind != .other {
                    if (kind == .file) != listed { sameFiles = false }  // a report came or went
                    changed.insert(path)
                    continue
                }
                if kind == nil && !listed { continue }
                return false
            }
            if sameFiles { trustedChanges = changed }
            return true
        }
    }

    func takeTrust(root: String) -> (files: [String], changed: Set<String>)? {
        lock.withLock {
            defer { trustedChanges = nil }
            guard let changed = trustedChanges, let listing, listing.root == root else { return nil }
            return (listing.files, changed)
        }
    }

    func keepListing(_ files: [String], root: String, hasLinks: Bool) {
        lock.withLock { listing = (root, files, Set(files), hasLinks) }
    }

    /// A report as last decoded, without checking its file: only for a file the watcher says is unchanged.
    func lookup(_ path: String, allowHTML: Bool) -> (Report?, [Diagnostic])? {
        lock.withLock {
            guard let e = entries[path], e.allowHTML == allowHTML else { return nil }
            return e.value
        }
    }

    func lookup(_ path: String, stamp: FileStamp, allowHTML: Bool) -> (Report?, [Diagnostic])? {
        lock.withLock {
            guard let e = entries[path], e.stamp == stamp, e.allowHTML == allowHTML else { return nil }
            return e.value
        }
    }

    func store(_ path: String, stamp: FileStamp, allowHTML: Bool, _ value: (Report?, [Diagnostic])) {
        lock.withLock {
            entries[path] = Entry(stamp: stamp, allowHTML: allowHTML, value: value)
            decoded.insert(path)
        }
    }

    func forget(except live: Set<String>) {
        lock.withLock { entries = entries.filter { live.contains($0.key) } }
    }

    /// Paths (under content/) decoded afresh since the last call: new or changed files.
    public func takeDecoded() -> Set<String> {
        lock.withLock {
            defer { decoded = [] }
            return decoded
        }
    }
}
