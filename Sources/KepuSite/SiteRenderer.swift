import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import KepuTemplate

/// Renders the public transparency site (pages, feed, sitemap) into the output.
///
/// Links: every link between pages is relative ("../../reports/index.html"), with the `index.html`
/// written out, so the same files work at the server root, under a sub-path and opened from disk.
/// `baseURL` is used only where a URL must be absolute: feed, sitemap, canonical and og:url (and the
/// 404 page, which a server shows at any depth).
public struct SiteRenderer: Sendable {
    /// Render with swift-mustache rather than the compiled templates: the reference, for tests.
    var referenceEngine = false
    /// The pages of the last render, for a rebuild to skip those whose data did not change.
    var memo: PageMemo?

    public init(memo: PageMemo? = nil) { self.memo = memo }

    /// A project's folder in the output ("projects/kepu-2023"): the workbooks go beside its pages.
    public static func projectFolder(_ id: String) -> String { "projects/" + Escape.fileName(id) }

    init(referenceEngine: Bool) { self.referenceEngine = referenceEngine }

    /// Returns the number of HTML pages written.
    public func render(_ input: RenderInput, into sink: OutputSink) throws -> Int {
        let started = Date()
        var theme: Theme
        if let kept = memo?.theme(input.themeDirectory, input.content.site.language), !referenceEngine {
            theme = kept
        } else {
            theme = try Theme.load(directory: input.themeDirectory, language: input.content.site.language)
            if referenceEngine { theme.templates.useReferenceEngine() } else { memo?.keep(theme, input.themeDirectory, input.content.site.language) }
        }
        let loaded = Date()
        let site = SiteBuild(input: input, theme: theme, sink: sink, memo: memo)
        if getenv("KEPU_SITE_TIMING") != nil {
            FileHandle.standardError.write(Data(("site: theme \(Int(loaded.timeIntervalSince(started) * 1000)) ms, "
                + "lists prepared \(Int(Date().timeIntervalSince(loaded) * 1000)) ms \(memoryNote())\n").utf8))
        }
        defer { ProcessLifetime.keepUntilExit(site) }
        return try site.run()
    }
}

/// A page's data: typed (KepuTemplate's TemplateContext), so a value no template can show does not compile.
typealias Context = TemplateContext
/// A context built as plain template values, for the pages there are thousands of.
typealias PageFields = [TemplateKey: TemplateValue]

extension Dictionary where Key == TemplateKey, Value == TemplateValue {
    var context: Context { TemplateContext(self) }
}

/// The list job running on this thread (jobs run on `concurrentPerform`'s threads), so the page log can note
/// which job writes which page: `kepu serve` runs the jobs of the pages open in a browser first next time.
enum RunningJob {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var index: Int? {
        get { pthread_getspecific(key).map { Int(bitPattern: $0) - 1 } }
        set { pthread_setspecific(key, newValue.flatMap { UnsafeRawPointer(bitPattern: $0 + 1) }) }
    }
}

/// Pages written so far, shared by the threads that render report pages.
final class PageLog: @unchecked Sendable {
    private let lock = Lock()
    private var paths: [String] = []
    private var firstError: Error?
    private var firstOrder = Int.max

    /// Under `kepu serve`: which list job wrote each page (RunningJob), for the next rebuild's order.
    private var jobOfPage: [String: Int]?

    init(recordingJobs: Bool = false) { jobOfPage = recordingJobs ? [:] : nil }

    func add(_ path: String) {
        guard jobOfPage != nil, let job = RunningJob.index else { lock.withLock { paths.append(path) }; return }
        lock.withLock { paths.append(path); jobOfPage?[path] = job }
    }
    var all: [String] { lock.withLock { paths }.sortedByBytes() }
    var jobs: [String: Int] { lock.withLock { jobOfPage ?? [:] } }
    /// Those of these pages a list job has written (or kept as they were) in this render: looked up, not searched
    /// for among every page written so far.
    func written(_ wanted: [String]) -> [String] {
        lock.withLock { wanted.filter { jobOfPage?[$0] != nil } }
    }
    /// Keeps the error of the earliest job (`order`), so the same failure is reported on every run.
    func fail(_ error: Error, order: Int = 0) {
        lock.withLock {
            if order < firstOrder { firstError = error; firstOrder = order }
        }
    }
    var error: Error? { lock.withLock { firstError } }
}

/// What each page (other than report pages, which a rebuild already limits) was rendered from, kept by
/// `kepu serve`'s rebuilder: a page whose template data is equal to the last build's is neither rendered
/// nor written again. The rebuilder clears it whenever the theme or anything but report files changes,
/// since the same data would then render differently.
public final class PageMemo: @unchecked Sendable {
    private let lock = Lock()
    private var pages: [String: (template: String, value: TemplateValue)] = [:]

    public init() {}

    /// The compiled theme of the last render: the rebuilder clears the memo whenever a theme file changes.
    private var compiledTheme: (directory: String, language: Language, theme: Theme)?

    /// Each report's search pairs by a hash of what they are made from, and the last search index made:
    /// a saved report costs its own pairs, not every report's (SearchPages).
    private var pairsByReport: [UInt64: [UInt64]] = [:]
    private var lastSearchIndex: (key: UInt64, index: (folder: String, files: [(String, [UInt8])]))?
    /// Each file of the search index's titles and links, by a hash of its reports' entries.
    private var docsFiles: [UInt64: [UInt8]] = [:]
    /// Each report's list entry of the last render, by folder depth and page path (ReportItems).
    private var listItems: [String: (info: ReportInfo, value: TemplateValue)] = [:]

    func keptItem(_ key: String) -> (info: ReportInfo, value: TemplateValue)? { lock.withLock { listItems[key] } }

    /// Each report's list entry of the last render with the report it was made from, by the report's path.
    private var infosByPath: [String: (report: Report, info: ReportInfo)] = [:]

    var keptInfos: [String: (report: Report, info: ReportInfo)] {
        get { lock.withLock { infosByPath } }
        set { lock.withLock { infosByPath = newValue } }
    }

    func keepItems(_ items: [String: (info: ReportInfo, value: TemplateValue)]) { lock.withLock { listItems = items } }

    /// Set by `kepu serve` for one rebuild: told the paths of the pages of the reports just saved as soon as
    /// they are written, ahead of every list and data file, so a tab showing one reloads at once; then those
    /// of the other pages open in a browser (`openPages`), as the jobs that write them end, which go first.
    private var earlyPagesHandler: (@Sendable ([String]) -> Void)?
    private var open: Set<String> = []
    /// Which list job wrote each page in the last render: the jobs of the open pages run first.
    private var jobOfPage: [String: Int] = [:]

    /// The site paths of the pages open in a browser (`reports/2023/05/index.html`), for one rebuild.
    public var openPages: Set<String> {
        get { lock.withLock { open } }
        set { lock.withLock { open = newValue } }
    }

    var pageJobs: [String: Int] {
        get { lock.withLock { jobOfPage } }
        set { lock.withLock { jobOfPage = newValue } }
    }

    public var earlyPages: (@Sendable ([String]) -> Void)? {
        get { lock.withLock { earlyPagesHandler } }
        set { lock.withLock { earlyPagesHandler = newValue } }
    }

    public func clear() {
        lock.withLock { pages = [:]; compiledTheme = nil; pairsByReport = [:]; lastSearchIndex = nil; docsFiles = [:]; listItems = [:]; infosByPath = [:]; jobOfPage = [:] }
    }

    var searchDocs: [UInt64: [UInt8]] {
        get { lock.withLock { docsFiles } }
        set { lock.withLock { docsFiles = newValue } }
    }

    var searchPairs: [UInt64: [UInt64]] {
        get { lock.withLock { pairsByReport } }
        set { lock.withLock { pairsByReport = newValue } }
    }

    func searchIndex(_ key: UInt64) -> (folder: String, files: [(String, [UInt8])])? {
        lock.withLock { lastSearchIndex.flatMap { $0.key == key ? $0.index : nil } }
    }

    func keepSearchIndex(_ key: UInt64, _ index: (folder: String, files: [(String, [UInt8])])) {
        lock.withLock { lastSearchIndex = (key, index) }
    }

    func theme(_ directory: String, _ language: Language) -> Theme? {
        lock.withLock { compiledTheme.flatMap { $0.directory == directory && $0.language == language ? $0.theme : nil } }
    }

    func keep(_ theme: Theme, _ directory: String, _ language: Language) {
        lock.withLock { compiledTheme = (directory, language, theme) }
    }

    func unchanged(_ path: String, _ template: String, _ value: TemplateValue) -> Bool {
        guard let last = lock.withLock({ pages[path] }) else { return false }
        return last.template == template && last.value == value
    }

    func store(_ path: String, _ template: String, _ value: TemplateValue) { lock.withLock { pages[path] = (template, value) } }
}

/// Hands out chunks 0..<count, each once, each the farthest from the chunks still being worked on (ties: the
/// lowest). With two threads that is the first and the last chunk, then the second and the last but one: they
/// meet in the middle, and never work on neighbours before then. Report pages are in date order, so far-apart
/// chunks write into different years' folders.
final class SpreadChunks: @unchecked Sendable {
    private let lock = Lock()
    private var left: [Int]
    private var running: [Int] = []

    init(_ count: Int) { left = Array(0 ..< count) }

    /// The next chunk. Called once per chunk (concurrentPerform's slots), so one is always left.
    func take() -> Int {
        lock.withLock {
            var best = 0, bestDistance = -1
            for (at, c) in left.enumerated() {
                var distance = Int.max
                for r in running { distance = min(distance, abs(r - c)) }
                if distance > bestDistance { best = at; bestDistance = distance }
            }
            let c = left.remove(at: best)
            running.append(c)
            return c
        }
    }

    func done(_ c: Int) { lock.withLock { running.removeAll { $0 == c } } }
}

/// Milliseconds since the last lap, from whichever thread asks.
final class LapClock: @unchecked Sendable {
    private let lock = Lock()
    private var last = Date()
    func lap() -> Int {
        lock.withLock {
            let now = Date()
            defer { last = now }
            return Int(now.timeIntervalSince(last) * 1000)
        }
    }
}

/// Rendered fragments shared by many pages, by key.
final class PartCache: @unchecked Sendable {
    private let lock = Lock()
    private var parts: [String: String] = [:]

    func get(_ key: String, _ make: () -> String) -> String {
        if let hit = lock.withLock({ parts[key] }) { return hit }
        let made = make()
        lock.withLock { parts[key] = made }
        return made
    }
}

/// A report as every list shows it, formatted once per build. A class: each of the dozen lists a report appears in
/// holds it, and copying ten strings into each was measurable at 100k reports.
final class ReportInfo: Sendable {
    let index: Int
    let path: String
    let title: String
    let date: String
    let isoDate: String
    let kind: String
    let kindPath: String
    let venue: String?
    let people: String
    let spend: String?
    let summary: String

    init(index: Int, path: String, title: String, date: String, isoDate: String, kind: String, kindPath: String,
         venue: String?, people: String, spend: String?, summary: String) {
        self.index = index
        self.path = path
        self.title = title
        self.date = date
        self.isoDate = isoDate
        self.kind = kind
        self.kindPath = kindPath
        self.venue = venue
        self.people = people
        self.spend = spend
        self.summary = summary
    }
}

extension ReportInfo {
    /// Everything a list entry shows is the same bytes (the place in the list aside).
    func sameEntry(as other: ReportInfo) -> Bool {
        path.sameBytes(as: other.path) && title.sameBytes(as: other.title) && date.sameBytes(as: other.date)
            && isoDate.sameBytes(as: other.isoDate) && kind.sameBytes(as: other.kind) && kindPath.sameBytes(as: other.kindPath)
            && venue.sameBytes(as: other.venue) && people.sameBytes(as: other.people) && spend.sameBytes(as: other.spend)
            && summary.sameBytes(as: other.summary)
    }
}

/// A report's list entry on a page at some folder depth: its links depend on nothing else, so every list at
/// that depth renders it alike, and only the first page to list it makes and renders it (`SectionCache`).
final class ReportEntry: SharedItem {
    let info: ReportInfo
    let from: String
    let cache: SectionCache

    init(info: ReportInfo, from: String, cache: SectionCache) {
        self.info = info
        self.from = from
        self.cache = cache
    }

    /// The report's place and the page's depth (Kepu's pages are a few folders deep; past 255, not kept).
    var key: Int? {
        let depth = SiteBuild.depth(from)
        return depth < 256 ? info.index << 8 | depth : nil
    }

    func make() -> TemplateValue { .map(SiteBuild.reportFields(info, from: from)) }
}

/// Each report's list entry as a template value, per folder depth: its links depend on nothing else. Under
/// `kepu serve`, made once per render and shared by every list at that depth (a report is in its month's, kind's
/// and venue's lists), and an entry equal to the last render's is that very value, so comparing a list page with
/// the last one finds its entries identical without reading them.
final class ReportItems: @unchecked Sendable {
    private let lock = Lock()
    private var made: [Int: (info: ReportInfo, depth: Int, value: TemplateValue)] = [:]

    func value(_ info: ReportInfo, depth: Int, memo: PageMemo?, _ make: () -> TemplateValue) -> TemplateValue {
        let key = info.index << 5 | min(depth, 31)
        if let hit = lock.withLock({ made[key] }) { return hit.value }
        var value: TemplateValue
        if let kept = memo?.keptItem("\(depth)|" + info.path), kept.info === info || kept.info.sameEntry(as: info) { value = kept.value } else { value = make() }
        lock.withLock {
            if let first = made[key] { value = first.value } else { made[key] = (info, depth, value) }
        }
        return value
    }

    /// For the memo: this render's entries, by depth and path.
    var kept: [String: (info: ReportInfo, value: TemplateValue)] {
        lock.withLock {
            var out: [String: (info: ReportInfo, value: TemplateValue)] = [:]
            for (_, e) in made { out["\(e.depth)|" + e.info.path] = (e.info, e.value) }
            return out
        }
    }
}

struct SiteBuild: Sendable {
    let input: RenderInput
    let theme: Theme
    let sink: OutputSink
    let format: FigureFormat
    /// The forms' words and figures (自评表, 监控表, 自评报告), the same the workbooks are made from.
    let formText: FormText
    let reports: [Report]
    let infos: [ReportInfo]
    /// Kind → folder name under reports/kind/.
    let kindFolders: [String: String]
    let kinds: [String]
    let log: PageLog
    let memo: PageMemo?
    let parts = PartCache()
    let items = ReportItems()
    /// What every page shows alike, one copy per thread (see ThreadCopies).
    let local = ThreadCopies()
    /// Each report's list entry as its lists' section rendered it, by folder depth: a report is in its month's,
    /// kind's and venue's lists, all three folders deep, and its entry was made and rendered once for each.
    /// Emptied once the list pages are written (at 100,000 reports it holds about 70 MB).
    let entries = SectionCache()
    let projectIndex: [String: Int]
    /// `ledger.current`'s id: the project of the menu on pages of no project of their own.
    let currentProjectID: String?
    /// The footer's "generated on" line, the same on every page.
    let generated: String
    /// The venue pages' groups: the search page lists them, and the venue jobs write them.
    let venues: [VenueGroup]
    /// Report slug → index in `reports`, for links from the ledger's reports to their pages.
    let slugIndex: [String: Int]
    /// Report source path → index in `reports`, for body links to another report's file.
    let reportByPath: [String: Int]

    init(input: RenderInput, theme: Theme, sink: OutputSink, memo: PageMemo? = nil) {
        self.input = input
        self.memo = memo
        log = PageLog(recordingJobs: memo != nil)
        self.theme = theme
        self.sink = sink
        let format = FigureFormat(language: input.content.site.language)
        self.format = format
        self.formText = FormText(strings: theme.ui, language: input.content.site.language)
        self.generated = theme.t("footer_generated", ["date": format.date(input.now)])
        let reports = Report.inOrder(input.publishedReports)
        self.reports = reports
        var counts: [String: Int] = [:]
        for r in reports { counts[r.kind, default: 0] += 1 }
        let kinds = counts.keys.sorted { $0.precedesInBytes($1) }
        self.kinds = kinds
        var folders: [String: String] = [:]
        var used: Set<String> = []
        for k in kinds {
            var name = Escape.fileName(k)
            var n = 2
            while used.contains(name) { name = Escape.fileName(k) + "-\(n)"; n += 1 }
            used.insert(name)
            folders[k] = name
        }
        self.kindFolders = folders
        var projectIndex: [String: Int] = [:]
        for (i, p) in input.ledger.projects.enumerated() { projectIndex[p.project.id] = i }
        self.projectIndex = projectIndex
        currentProjectID = input.ledger.current?.project.id
        // Made at their full size: grown entry by entry, each table hashed every key again as it doubled.
        var slugIndex: [String: Int] = .init(minimumCapacity: reports.count)
        var reportByPath: [String: Int] = .init(minimumCapacity: reports.count)
        for (i, r) in reports.enumerated() {
            if slugIndex[r.slug] == nil { slugIndex[r.slug] = i }
            if reportByPath[r.path] == nil { reportByPath[r.path] = i }
        }
        self.slugIndex = slugIndex
        self.reportByPath = reportByPath
        // Each report's page path in order (a name taken twice gets its place appended), then the entries on
        // every core: formatting ten thousand dates and figures was a serial 40 ms before any page could start.
        var usedPaths: Set<String> = .init(minimumCapacity: reports.count)
        var paths: [String] = []
        paths.reserveCapacity(reports.count)
        for (i, r) in reports.enumerated() {
            let folder = Escape.fileName(r.slug)
            // One file per report beside its year's index.html (a file, not a folder: 10,000 folders cost
            // more to create than the pages themselves).
            var path = "reports/\(r.date.year)/\(folder).html"
            if folder == "index" || usedPaths.contains(path) { path = "reports/\(r.date.year)/\(folder)-\(i).html" }
            usedPaths.insert(path)
            paths.append(path)
        }
        let count = reports.count
        let chunks = count == 0 ? 0 : min(count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let slots = ConcurrentSlots<ReportInfo>(count: count)
        let pagePaths = paths, kindFolder = folders
        // Under `kepu serve`, a report the loader kept from the last rebuild keeps its entry (the same object, so the
        // list entries made from it are found the same too).
        let kept = memo?.keptInfos ?? [:]
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in count * c / chunks ..< count * (c + 1) / chunks {
                let r = reports[i]
                if let old = kept[r.path], old.report.sharesFields(with: r), old.info.index == i, old.info.path.sameBytes(as: pagePaths[i]),
                   old.info.kindPath.sameBytes(as: "reports/kind/\(kindFolder[r.kind]!)/index.html") {
                    slots.set(i, old.info)
                    continue
                }
                var spend: String? = nil
                if !r.spend.isEmpty { spend = format.money(r.totalSpend) }
                slots.set(i, ReportInfo(index: i, path: pagePaths[i], title: r.title,
                                        date: format.date(r.date), isoDate: r.date.description, kind: r.kind,
                                        kindPath: "reports/kind/\(kindFolder[r.kind]!)/index.html",
                                        venue: r.venue.flatMap { $0.trimmingSpaces.isEmpty ? nil : $0 },
                                        people: format.peopleExact(r.audience), spend: spend,
                                        summary: r.summary.isEmpty ? r.body.firstParagraph : r.summary))
            }
        }
        let infos = slots.values
        self.infos = infos
        venues = SiteBuild.venueGroups(infos)
        if let memo {
            var keep: [String: (report: Report, info: ReportInfo)] = [:]
            keep.reserveCapacity(count)
            for i in 0..<count { keep[reports[i].path] = (reports[i], infos[i]) }
            memo.keptInfos = keep
        }
    }

    var site: SiteConfig { input.content.site }
    var ledger: SiteLedger { input.ledger }
    func t(_ key: String) -> String { theme.t(key) }
    func t(_ key: String, _ values: [String: String]) -> String { theme.t(key, values) }

    // MARK: - Paths

    static func monthFolder(_ m: Int) -> String { m < 10 ? "0\(m)" : "\(m)" }
    /// Reports listed on one page of a kind; more go on further pages.
    static let pageSize = 100
    /// Spend items shown on one ledger page; more are split into a page per month.
    static let ledgerLimit = 500

    static func depth(_ path: String) -> Int { path.countOfByte(UInt8(ascii: "/")) }

    /// The link from the page at `from` to the output file `to`.
    func href(_ to: String, from: String) -> String { SiteBuild.href(to, from: from) }

    static func href(_ to: String, from: String) -> String {
        String(repeating: "../", count: depth(from)) + Escape.path(to)
    }

    var absoluteBase: String? {
        let b = input.baseURL
        return b.hasPrefix("http://") || b.hasPrefix("https://") ? (b.hasSuffix("/") ? b : b + "/") : nil
    }

    /// The public URL of a page: folders end in "/" rather than "index.html".
    func publicPath(_ path: String) -> String {
        let p = Escape.path(path)
        return p.hasSuffix("index.html") ? String(p.dropLast("index.html".count)) : p
    }

    func projectPath(_ id: String, _ sub: String? = nil) -> String {
        let folder = SiteRenderer.projectFolder(id)
        return sub.map { "\(folder)/\($0)/index.html" } ?? "\(folder)/index.html"
    }

    // MARK: - Writing

    func write(_ path: String, template: String, context: Context) throws {
        let value = context.templateValue
        if let memo, theme.templates.isCompiled {
            try write(path, template: template, value: value, memo: memo)
            return
        }
        try sink.write(path, theme.renderBytes(template, value))
        if path.hasSuffix(".html") { log.add(path) }
    }

    /// A page rendered from data equal to the last rebuild's is kept as it is on disk.
    private func write(_ path: String, template: String, value: TemplateValue, memo: PageMemo) throws {
        if memo.unchanged(path, template, value) {
            sink.keep(path)
        } else {
            try sink.write(path, theme.renderBytes(template, value))
            memo.store(path, template, value)
        }
        if path.hasSuffix(".html") { log.add(path) }
    }

    func write(_ path: String, template: String, fields: PageFields) throws {
        try sink.write(path, theme.renderBytes(template, .map(fields)))
        if path.hasSuffix(".html") { log.add(path) }
    }

    func run() throws -> Int {
        try sink.write("assets/site.css", theme.css)
        let clock = LapClock()
        // For profiling by hand; the environment is read once per build, not per lap (each read parses it all).
        let timing = getenv("KEPU_SITE_TIMING") != nil
        @Sendable func lap(_ name: String) {
            if timing { FileHandle.standardError.write(Data("site: \(name) \(clock.lap()) ms \(memoryNote())\n".utf8)) }
        }
        // Under `kepu serve`, the pages of the reports just saved come first (the few a rebuild renders), and
        // the server is told: a tab showing one reloads now, not after every list, the search index and the
        // open data. The pool below skips them. Any failure here is left for the pool to meet and report.
        // A report page open in a browser that this rebuild does not render is final already: said at once too.
        let announce = memo?.earlyPages
        let open = announce == nil ? [] : memo?.openPages ?? []
        var early: Set<Int> = []
        if let only = input.reportPages, !only.isEmpty, only.count <= 16, let announce {
            var paths: [String] = []
            var failed = false
            for i in reports.indices where only.contains(reports[i].slug) {
                guard (try? writeReport(i)) != nil else { failed = true; break }
                early.insert(i)
                paths.append(infos[i].path)
            }
            if !failed && !open.isEmpty {
                for i in infos.indices where open.contains(infos[i].path) && !only.contains(reports[i].slug) {
                    paths.append(infos[i].path)
                }
            }
            if !paths.isEmpty { announce(paths) }
        }
        let earlyPages = early
        // One pool for everything: list pages in jobs (a kind's pages, a year's, a project's ledger), the
        // longest first, then chunks of report pages, so both cores stay busy to the end. The first
        // failure in job order is the one reported, whichever thread met it first.
        // The search index first: on a big site it is the longest job after the report pages.
        var jobs: [@Sendable () throws -> Void] = [{ try writeSearch() }]
        jobs += venueJobs()
        jobs += reportIndexJobs()
        jobs.append { try writeProjectsIndex(); try writeCorrections() }
        for p in ledger.projects {
            jobs.append { try writeSpend(p) }
            jobs.append { try writeProject(p); try writeEvaluation(p); try writeOutreach(p) }
            jobs.append { try writeMonitoring(p); try writeSelfReport(p) }
        }
        jobs.append { try writeHome() }
        // Pages of their own that wait on nothing: the open data page, the 404 page, the feed.
        jobs.append { try writeOpenData() }
        jobs.append { try writeNotFound(); try writeFeed() }
        let n = reports.count
        // Chunks of at most about a thousand pages: the last chunk of one core ends about when the other's does
        // (at 100k, chunks of 3,000 left one core idle for up to 90 ms at the end).
        let chunks = n == 0 ? 0 : min(n, max(ProcessInfo.processInfo.activeProcessorCount * 16, n / 1000))
        let listJobs = jobs
        // Under `kepu serve`, the jobs that wrote the pages open in a browser last time go first, and each such
        // page is announced as its job ends (the job order of one render is the same as the last one's unless
        // projects, years, kinds or venues came or went: then the guess is wrong and the page waits for the end).
        let lastJobs = open.isEmpty ? [:] : memo?.pageJobs ?? [:]
        var openByJob: [Int: [String]] = [:]
        for page in open { if let j = lastJobs[page], j < listJobs.count { openByJob[j, default: []].append(page) } }
        let firstJobs = openByJob.keys.sorted()
        let jobOrder = firstJobs + listJobs.indices.filter { openByJob[$0] == nil }
        let openPagesByJob = openByJob
        let listJobsLeft = Locked(listJobs.count)
        // Chunks running at once are far apart in date order, so in different years' folders: making a file takes
        // its folder's lock, and two threads making files in one folder spun on it for 10 % of a 100k build's CPU.
        let spread = SpreadChunks(chunks)
        DispatchQueue.concurrentPerform(iterations: listJobs.count + chunks) { slot in
            if slot < listJobs.count {
                let job = jobOrder[slot]
                let started = timing ? DispatchTime.now().uptimeNanoseconds : 0
                RunningJob.index = job
                do { try listJobs[job]() } catch { log.fail(error, order: job) }
                RunningJob.index = nil
                // The report pages left need no list entries: their memory goes back before the pages' peak.
                if listJobsLeft.withLock({ $0 -= 1; return $0 == 0 }) {
                    if timing { FileHandle.standardError.write(Data("site: list entries kept \(entries.count)\n".utf8)) }
                    entries.clear()
                }
                if let pages = openPagesByJob[job], log.error == nil, let announce {
                    let written = log.written(pages)
                    if !written.isEmpty { announce(written.sorted()) }
                }
                if timing {
                    let ms = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
                    if ms >= 10 { FileHandle.standardError.write(Data("site: list job \(job) took \(ms) ms\n".utf8)) }
                }
            } else {
                let c = spread.take()
                writeReportPages(n * c / chunks ..< n * (c + 1) / chunks, order: listJobs.count + c, skipping: earlyPages)
                spread.done(c)
            }
        }
        if let error = log.error { throw error }
        memo?.keepItems(items.kept)
        if let memo { memo.pageJobs = log.jobs }
        lap("pages")
        let pages = log.all
        // Before the sitemap is written: a link error fails the build with nothing more written. Its
        // bytes are made meanwhile, on the other core.
        let checkedAndSitemap = ConcurrentSlots<Result<[UInt8], Error>>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                checkedAndSitemap.set(0, Result { try checkLinks(written: Set(pages).union(otherOutputs())); return [] })
            } else {
                checkedAndSitemap.set(1, .success(sitemap(pages)))
            }
        }
        let (checked, sitemapBytes) = (checkedAndSitemap.values[0], checkedAndSitemap.values[1])
        _ = try checked.get()
        try sink.write("sitemap.xml", sitemapBytes.get())
        try sink.write("robots.txt", text: robots())
        lap("links checked, sitemap")
        // A `{{name}}` no page filled is a typo or a key the builders dropped: an error, not a blank.
        // Only when every page was rendered: a rebuild (memo) renders some, which proves nothing.
        if memo == nil, let first = Diagnostic.sorted(theme.templates.unprovidedVariables()).first { throw first }
        return pages.count
    }

    // MARK: - Shared context

    /// The layout's fields: titles, description, Open Graph, navigation, banner.
    /// `project`: the project whose page this is, so the menu's 项目 / 自评表 / 支出 / 服务人次 are its own;
    /// other pages lead to the newest project.
    func page(_ path: String, title: String, description: String, section: String, ogType: String = "website",
              image: String? = nil, rootOverride: String? = nil, project: String? = nil) -> Context {
        pageFields(path, title: title, description: description, section: section, ogType: ogType, image: image,
                   rootOverride: rootOverride, project: project).context
    }

    func pageFields(_ path: String, title: String, description: String, section: String, ogType: String = "website",
                    image: String? = nil, rootOverride: String? = nil, project: String? = nil) -> PageFields {
        let root = rootOverride ?? String(repeating: "../", count: SiteBuild.depth(path))
        var c: PageFields = [
            "t": local.value("t") { theme.stringsValue },
            "lang": .text(site.languageTag),
            "root": .text(root),
            "siteTitle": local.value("siteTitle") { .text(site.title) },
            "unit": local.value("unit") { .text(site.unit) },
            "example": .flag(site.example),
            "pageTitle": .text(title),
            "fullTitle": .text(title == site.title ? site.title : title + " · " + site.title),
            "description": .text(Self.clip(description.isEmpty ? site.description ?? site.title : description, 150)),
            "ogType": .text(ogType),
            "ogLocale": .text(site.language == .zhCN ? "zh_CN" : "en_US"),
            "generated": local.value("generated") { .text(generated) },
        ]
        if let base = absoluteBase {
            c["canonical"] = .text(base + publicPath(path))
            if let image { c["ogImage"] = .text(base + Escape.path(image)) }
        }
        // The header (banner, navigation) and footer depend only on the folder depth and the section:
        // render them once each and reuse the HTML, a good part of every report page.
        // By id, not a copy of the project's ledger (a large value: copying it per page was 1 % of a 10k build).
        let menuID = project.flatMap { projectIndex[$0] == nil ? nil : $0 } ?? currentProjectID
        let menuKey = menuID ?? ""
        let headerKey = "h|" + root + "|" + section + "|" + menuKey
        c["headerHTML"] = local.value(headerKey) { .text(parts.get(headerKey) {
            var nav: [TemplateValue] = []
            func item(_ key: String, _ target: String) {
                nav.append(.map(["label": .text(t("nav_" + key)),
                                 "href": .text(rootOverride.map { $0 + Escape.path(target) } ?? href(target, from: path)),
                                 "current": .flag(key == section)]))
            }
            item("home", "index.html")
            if let menuID {
                item("project", projectPath(menuID))
                item("evaluation", projectPath(menuID, "evaluation"))
            }
            item("reports", "reports/index.html")
            if let menuID {
                item("spend", projectPath(menuID, "spend"))
                item("outreach", projectPath(menuID, "outreach"))
            }
            // Every year's project one click away, whichever project the menu above belongs to.
            if !ledger.projects.isEmpty { item("projects", "projects/index.html") }
            item("search", "search/index.html")
            item("data", "open-data/index.html")
            var h = c
            h["nav"] = .list(nav)
            return theme.render("site-header", .map(h))
        }) }
        let footerKey = "f|" + root
        c["footerHTML"] = local.value(footerKey) { .text(parts.get(footerKey) { theme.render("site-footer", .map(c)) }) }
        return c
    }

    static func clip(_ s: String, _ max: Int) -> String {
        var one = s
        if !s.allBytes({ $0 != 0x0A && $0 != 0x0D }) {
            one = s.utf8.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }).map { String(decoding: $0, as: UTF8.self) }
                .joined(separator: " ")
        }
        if one.utf8.count <= max { return one }
        // Fewer scalars than bytes (CJK: a third): counted on the bytes, each scalar's first byte.
        var scalars = 0
        _ = one.allBytes { b in
            if b & 0xC0 != 0x80 { scalars += 1 }
            return scalars <= max
        }
        if scalars <= max { return one }
        // Text whose scalars are each a character of their own (Chinese, ASCII, their punctuation): cut by bytes.
        if let cut = simpleCut(one, max) { return String(decoding: one.utf8.prefix(cut), as: UTF8.self) + "…" }
        // Else characters only as far as the limit: counting all of a long paragraph's was most of this.
        guard let cut = one.index(one.startIndex, offsetBy: max - 1, limitedBy: one.endIndex) else { return one }
        var after = cut
        var more = 0
        while after < one.endIndex && more < 2 {
            after = one.index(after: after)
            more += 1
        }
        return more <= 1 ? one : String(one[..<cut]) + "…"
    }

    /// The byte offset after `max - 1` scalars, when the first `max + 1` scalars are each a character of its own,
    /// so the text has more than `max` characters and its first `max - 1` end there; else nil. Such a scalar
    /// joins neither the one before nor the next (Unicode's grapheme rules: none is Extend, ZWJ, Prepend,
    /// SpacingMark, CR, LF, Hangul or a regional indicator; U+00AD is a control and stands alone): printable
    /// ASCII and Latin-1, CJK ideographs, CJK and general punctuation, full-width forms.
    static func simpleCut(_ s: String, _ max: Int) -> Int? {
        func simple(_ v: UInt32) -> Bool {
            switch v {
            case 0x20...0x7E, 0xA0...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x3000...0x3029, 0x3030...0x303F,
                 0x4E00...0x9FFF, 0xFF01...0xFF5E:
                return true
            default:
                return false
            }
        }
        var scalars = 0
        var bytes = 0
        var cut: Int?
        for v in s.unicodeScalars {
            if scalars == max - 1 { cut = bytes }
            guard simple(v.value) else { return nil }
            scalars += 1
            bytes += UTF8.width(v)
            if scalars == max + 1 { return cut }
        }
        return nil
    }

    func reportItem(_ info: ReportInfo, from path: String) -> TemplateValue {
        // Under `kepu serve` the values themselves are kept, so a list page can be compared with the last one's.
        guard memo != nil else { return .shared(ReportEntry(info: info, from: path, cache: entries)) }
        return items.value(info, depth: SiteBuild.depth(path), memo: memo) { .map(SiteBuild.reportFields(info, from: path)) }
    }

    /// A report's list entry (a static: `ReportEntry` makes it outside any page).
    static func reportFields(_ info: ReportInfo, from path: String) -> PageFields {
        [
            "title": .text(info.title), "href": .text(href(info.path, from: path)), "date": .text(info.date),
            "isoDate": .text(info.isoDate), "kind": .text(info.kind), "kindHref": .text(href(info.kindPath, from: path)),
            "people": .text(info.people),
            // false, not absent: an absent key would be looked up in the enclosing page's context.
            "venue": info.venue.map { .text($0) } ?? .flag(false),
            "spend": info.spend.map { .text($0) } ?? .flag(false),
            "summary": info.summary.isEmpty ? .flag(false) : .text(info.summary),
        ]
    }

    func status(_ met: Bool?, final: Bool) -> (String, String) {
        switch met {
        case .some(true): return (t("status_met"), "ok")
        case .some(false): return final ? (t("status_missed"), "bad") : (t("status_progress"), "wait")
        case .none: return (t("status_nodata"), "none")
        }
    }

    func gradeClass(_ g: Grade) -> String {
        switch g {
        case .excellent: return "grade-a"
        case .good: return "grade-b"
        case .fair: return "grade-c"
        case .poor: return "grade-d"
        }
    }

    func gradeLabel(_ g: Grade) -> String { t("grade_" + gradeClass(g).dropFirst(6)) }

    func scoreContext(_ p: ProjectLedger) -> Context {
        [
            "score": format.score(p.score), "grade": gradeLabel(p.grade), "gradeClass": gradeClass(p.grade),
            "forecast": !p.final, "scoreLabel": p.final ? t("score_final") : t("score_forecast"),
        ]
    }

    /// 指标性质, 指标值 and 度量单位 exactly as approved: "= 10000人次".
    func targetText(_ tg: Target) -> String {
        tg.valueText == nil ? "—" : Figures.approved(tg.op, tg.valueText, unit: tg.unit)
    }

    func targetText(_ m: Measure) -> String {
        m.valueText == nil ? "—" : Figures.approved(m.op, m.valueText, unit: m.unit)
    }

    /// 实际完成值: each measure's value in its unit ("11次；10,530人次"), a qualitative result, or 待评 — the
    /// forms' text (FormText), so a page and a workbook say the same.
    func actualText(_ r: IndicatorResult) -> String { formText.actual(r).text }

    func actualText(_ m: MeasureResult) -> String { formText.actual(m).text }

    func outcomeKey(_ o: Outcome) -> String {
        switch o {
        case .achieved: return "achieved"
        case .partlyAchieved: return "partly"
        case .notAchieved: return "not"
        }
    }

    func groupLabel(_ g: IndicatorGroup) -> String {
        switch g {
        case .output: return t("group_output")
        case .effect: return t("group_effect")
        case .satisfaction: return t("group_satisfaction")
        }
    }

    /// A figure card on the home page: value, target, bar and status.
    func card(label: String, value: String, target: String?, fraction: Double, met: Bool?, final: Bool) -> Context {
        let (statusText, cls) = status(met, final: final)
        var c: Context = [
            "label": label, "value": value, "status": statusText, "statusClass": cls,
            "bar": Chart.progress(fraction: fraction, state: cls, title: label + " " + value,
                                  desc: [label, value, target ?? "", statusText].filter { !$0.isEmpty }.joined(separator: "；")),
        ]
        if let target { c["target"] = target }
        return c
    }


    // MARK: - Home

    func writeHome() throws {
        let path = "index.html"
        var c = page(path, title: site.title, description: site.description ?? t("home_description", ["unit": site.unit]),
                     section: "home")
        if let p = ledger.current {
            var project = projectHeader(p, from: path)
            if let g = p.project.goal { project["goal"] = g }
            c["project"] = project
            c["cards"] = homeCards(p)
        }
        let latest = infos.suffix(6).reversed().map { reportItem($0, from: path) }
        c["reports"] = Array(latest)
        if ledger.projects.count > 1 || ledger.period != nil {
            c["years"] = yearsContext(from: path)
        }
        try write(path, template: "home", context: c)
    }

    func homeCards(_ p: ProjectLedger) -> [Context] {
        var cards: [Context] = []
        let totals = p.totals
        // Activities: against the target row when there is one, else against the plan.
        let planned = p.project.plan.reduce(0) { $0 + $1.count }
        if let (_, m) = p.measure(of: .activities), let v = m.measure.value {
            cards.append(card(label: t("card_activities"), value: format.count(totals.activities) + t("unit_times"),
                              target: t("target_is", ["value": targetText(m.measure)]),
                              fraction: Double(totals.activities) / max(v.approximate, 1e-9), met: m.met, final: p.final))
        } else {
            cards.append(card(label: t("card_activities"), value: format.count(totals.activities) + t("unit_times"),
                              target: planned > 0 ? t("target_is", ["value": format.count(planned) + t("unit_times")]) : nil,
                              fraction: planned > 0 ? Double(totals.activities) / Double(planned) : 0,
                              met: planned > 0 ? totals.activities >= planned : nil, final: p.final))
        }
        if let (_, m) = p.measure(of: .audience), let v = m.measure.value {
            cards.append(card(label: t("card_people"), value: format.people(totals.audience),
                              target: t("target_is", ["value": targetText(m.measure)]),
                              fraction: Double(totals.audience) / max(v.approximate, 1e-9), met: m.met, final: p.final))
        } else {
            cards.append(card(label: t("card_people"), value: format.people(totals.audience), target: nil,
                              fraction: totals.audience > 0 ? 1 : 0, met: nil, final: p.final))
        }
        // Spend against the budget: the execution rate and what is left. Judged (a badge) only when a row of the
        // table judges execution or caps spending: spending less than the budget is not in itself a target missed.
        let rate = p.execution.rate
        let judge = p.measure(of: .execution) ?? p.measure(of: .spend)
        var spendCard = card(label: t("card_spend"), value: format.money(totals.spend),
                             target: t("budget_is", ["value": format.money(p.project.budget)]),
                             fraction: rate.map { $0.approximate / 100 } ?? 0,
                             met: judge?.measure.met, final: p.final)
        spendCard["extra"] = t("rate_left_is", ["rate": format.percent(rate, none: "—"), "left": format.money(p.budgetLeft)])
        if judge == nil { spendCard["status"] = false }
        cards.append(spendCard)
        let sat = totals.satisfaction
        if let (_, m) = p.measure(of: .satisfaction), let v = m.measure.value {
            cards.append(card(label: t("card_satisfaction"), value: format.percent(sat, none: t("no_survey")),
                              target: t("target_is", ["value": targetText(m.measure)]),
                              fraction: (sat?.approximate ?? 0) / max(v.approximate, 1e-9), met: m.met, final: p.final))
        } else {
            cards.append(card(label: t("card_satisfaction"), value: format.percent(sat, none: t("no_survey")), target: nil,
                              fraction: (sat?.approximate ?? 0) / 100, met: nil, final: p.final))
        }
        return cards
    }

    func yearsContext(from path: String) -> Context {
        var rows: [Context] = []
        for p in ledger.projects.reversed() {
            var r = scoreContext(p)
            r["year"] = String(p.project.year)
            r["name"] = p.project.name
            r["href"] = href(projectPath(p.project.id), from: path)
            r["budget"] = format.money(p.project.budget)
            r["spend"] = format.money(p.totals.spend)
            r["rate"] = format.percent(p.execution.rate, none: "—")
            r["activities"] = format.count(p.totals.activities)
            r["people"] = format.peopleExact(p.totals.audience)
            rows.append(r)
        }
        var c: Context = ["rows": rows]
        if let period = ledger.period {
            c["period"] = period.from == period.to ? String(period.from) : "\(period.from)–\(period.to)"
            if let g = period.goal { c["goal"] = g }
            if let totals = ledger.periodTotals {
                c["budget"] = format.money(ledger.periodBudget ?? .zero)
                c["spend"] = format.money(totals.spend)
                c["activities"] = format.count(totals.activities)
                c["people"] = format.peopleExact(totals.audience)
            }
        }
        return c
    }
}

/// Resident memory at its peak and now, for KEPU_SITE_TIMING: where a large build's memory goes.
func memoryNote() -> String {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
    func mebibytes(_ field: String) -> String {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kib = Int(line.dropFirst(field.count + 1).filter(\.isNumber)) else { return "?" }
        return String(kib / 1024)
    }
    return "(memory: peak \(mebibytes("VmHWM")) MiB, now \(mebibytes("VmRSS")) MiB)"
}
