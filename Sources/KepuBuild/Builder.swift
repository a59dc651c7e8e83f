import Foundation
import KepuContent
import KepuCore
import KepuForms
import KepuLED
import KepuLedger
import KepuPresentation
import KepuPhotos
import KepuSite
import Synchronization

public struct BuildOptions: Sendable {
    public var contentDirectory: String
    public var outputDirectory: String
    public var themeDirectory: String
    /// Caches kept between builds (photos, slide PNGs); never inside the output.
    /// Keep what the output holds in the cache, for the next build into the same folder. Off for builds
    /// into a new folder each time (the dev server's full mode), where it would only pile up.
    public var remembersOutput = true
    public var cacheDirectory: String
    public var now: Day
    public var includeDrafts: Bool
    /// Overrides site.yaml's base_url.
    public var baseURL: String?
    /// led/loop.mp4: off by default (tests, `kepu serve`); `kepu build` makes it when ffmpeg is installed,
    /// and `--led-video` requires it.
    public var ledVideo: LEDVideo = .off
    /// `--gzip`: a `.gz` beside every text file (deterministic bytes), for a server's `gzip_static`.
    public var gzip = false
    /// `kepu build`: when nothing changed since the last build into this output, stop after checking
    /// that (see `UpToDate`). Needs `remembersOutput`.
    public var unchangedCheck = UnchangedCheck.off

    public init(contentDirectory: String = "content", outputDirectory: String = "public", themeDirectory: String = "theme",
                cacheDirectory: String? = nil, now: Day, includeDrafts: Bool = false, baseURL: String? = nil) {
        self.contentDirectory = contentDirectory
        self.outputDirectory = outputDirectory
        self.themeDirectory = themeDirectory
        self.cacheDirectory = cacheDirectory ?? ".kepu-cache"
        self.now = now
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
    }
}

/// Whether a build looks for "nothing changed since the last build into this output" (see `UpToDate`).
public enum UnchangedCheck: Sendable {
    /// Tests, `kepu serve`, the desk: every build is a full one, and none is remembered.
    case off
    /// `kepu build --rebuild`: a full build, remembered for the next one.
    case remember
    /// `kepu build`: stops after the check when nothing changed; else a full build, remembered.
    case skip
}

/// What a build did, for the terminal summary and for tests.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var language: Language = .zhCN
    public var succeeded = false
    public var projects = 0
    public var reports = 0
    public var draftsLeftOut = 0
    public var pages = 0
    public var slides = 0
    public var photos = 0
    public var files = 0
    /// Milliseconds per phase, in order.
    public var timings: [(Phase, Double)] = []
    /// Set when nothing changed since the last build into this output and nothing was written: that
    /// build's diagnostics as they were printed, and its number of warnings.
    public var unchanged: (diagnostics: String, warnings: Int)?
    /// Milliseconds spent finding that nothing changed.
    public var checkMilliseconds: Double = 0

    public var errors: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warnings: Int { unchanged?.warnings ?? diagnostics.filter { $0.severity == .warning }.count }
    /// The diagnostics as the terminal shows them.
    public var printedDiagnostics: String { unchanged?.diagnostics ?? Terminal.diagnostics(diagnostics, language) }
    public var totalMilliseconds: Double { timings.reduce(0) { $0 + $1.1 } }
}

/// The pipeline: load → validate → aggregate → render → write, each phase a function of the one before.
/// Loading and validating happen together in ContentLoader (one pass per file, on every core).
public enum Builder {
    public static func build(_ options: BuildOptions) -> BuildReport {
        var report = BuildReport()
        var clock = PhaseClock()

        let output = OutputFolder(path: options.outputDirectory)
        output.restoreAfterInterruptedSwap()
        // What the build reads, fingerprinted to skip this build or the next one (see UpToDate).
        let remembers = options.unchangedCheck != .off && options.remembersOutput
        var fingerprint: () -> UpToDate.Inputs? = { nil }
        if remembers {
            let takenAt = UpToDate.now()
            if options.unchangedCheck == .skip && UpToDate.mayBeUnchanged(options) {
                let (inputs, unchanged) = UpToDate.check(options, takenAt: takenAt)
                if var same = unchanged {
                    same.checkMilliseconds = clock.sinceLastLap
                    return same
                }
                fingerprint = { inputs }
            } else {
                let pending = UpToDate.Fingerprinting(options, takenAt: takenAt)
                fingerprint = { pending.inputs }
            }
        }
        let loaded = ContentLoader.load(contentDirectory: options.contentDirectory)
        guard var input = aggregate(loaded, options: options, report: &report, clock: &clock) else { return report }

        let sink: RecyclingSink
        do {
            sink = try output.prepare(manifests: options.remembersOutput ? options.cacheDirectory + "/output" : nil)
        } catch {
            guard case let .refused(problem) = error else { return report }
            report.diagnostics.append(Diagnostic(.error, phase: .write, path: options.outputDirectory, line: 1, column: 1, problem))
            return report
        }
        // A page per report, two files per photo, and the lists, data files and slides (a few hundred).
        let photos = input.content.reports.reduce(0) { $0 + $1.photos.count }
        sink.expect(files: (input.content.reports.count + 2 * photos + 1_000) * (options.gzip ? 2 : 1))
        let counting = CountingSink(options.gzip ? GzipSink(sink) : sink)
        do {
            try render(&input, options: options, into: counting, report: &report)
            clock.lap(.render, into: &report)
            try output.commit(sink)
            clock.lap(.write, into: &report)
        } catch let OutputFolder.Failure.refused(problem) {
            output.abandon()
            report.diagnostics.append(Diagnostic(.error, phase: .write, path: options.outputDirectory, line: 1, column: 1, problem))
            return report
        } catch let error as Diagnostic {
            output.abandon()
            report.diagnostics.append(error)
            return report
        } catch let CommandProblem.writeFailed(path, reason) {
            output.abandon()
            report.diagnostics.append(Diagnostic(.error, phase: .write, path: options.outputDirectory, line: 1, column: 1,
                                                 .writeFailed(path: path.hasPrefix("/") ? path : options.outputDirectory + "/" + path,
                                                              reason: reason)))
            return report
        } catch {
            output.abandon()
            report.diagnostics.append(Diagnostic(.error, phase: .render, path: options.outputDirectory, line: 1, column: 1,
                                                 .writeFailed(path: options.outputDirectory, reason: "\(error)")))
            return report
        }
        report.files = counting.count
        report.succeeded = true
        if remembers { remember(fingerprint(), sink: sink, report: report, options: options) }
        ProcessLifetime.keepUntilExit((input, loaded))
        return report
    }

    /// What the next `kepu build` needs to find nothing changed: only when no input changed just before.
    static func remember(_ inputs: UpToDate.Inputs?, sink: RecyclingSink, report: BuildReport, options: BuildOptions) {
        guard let inputs, inputs.isSettled, let digest = sink.manifestDigest else {
            UpToDate.forget(options)
            return
        }
        UpToDate.write(UpToDate.Remembered(inputs: inputs.key, output: digest, counts: UpToDate.counts(report),
                                           language: report.language,
                                           diagnostics: Terminal.diagnostics(report.diagnostics, report.language)), options)
    }

    /// The validate phase's verdict and the aggregate phase: the render phase's input, or nil on any error.
    static func aggregate(_ loaded: LoadResult, options: BuildOptions, report: inout BuildReport,
                          clock: inout PhaseClock) -> RenderInput? {
        report.diagnostics = loaded.diagnostics
        report.language = loaded.language
        clock.lap(.validate, into: &report)
        guard let content = loaded.content, loaded.errors.isEmpty else { return nil }
        report.projects = content.projects.count
        report.reports = content.reports.filter { options.includeDrafts || !$0.draft }.count
        report.draftsLeftOut = options.includeDrafts ? 0 : content.reports.filter(\.draft).count
        let ledger = Ledger.aggregate(content, now: options.now, includeDrafts: options.includeDrafts)
        // What only the figures tell: a finished year with a row still 待评 is an error; the rest are warnings.
        // And what only the build date tells: a correction dated before its report or in the future.
        let reviewed = Ledger.review(ledger) + SiteChecks.corrections(content, now: options.now)
        if !reviewed.isEmpty {
            report.diagnostics = Diagnostic.sorted(report.diagnostics + reviewed)
            if reviewed.contains(where: { $0.severity == .error }) { return nil }
        }
        clock.lap(.aggregate, into: &report)
        return RenderInput(content: content, ledger: ledger, now: options.now, includeDrafts: options.includeDrafts,
                           baseURL: options.baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? content.site.baseURL,
                           themeDirectory: options.themeDirectory, cacheDirectory: options.cacheDirectory)
    }

    /// The render phase: photos, static files, data files, the public site and the LED slides.
    static func render(_ input: inout RenderInput, options: BuildOptions, into sink: OutputSink, report: inout BuildReport,
                       memo: PageMemo? = nil) throws {
        let started = Date()
        // For profiling by hand (KEPU_SITE_TIMING=1): when the parts of this phase finish.
        let timing = getenv("KEPU_SITE_TIMING") != nil
        input.photos = try publishPhotos(input, options: options, into: sink)
        report.photos = input.photos.count
        try copyStatic(input.content, into: sink)
        if timing {
            FileHandle.standardError.write(Data("render: photos+static \(Int(Date().timeIntervalSince(started) * 1000)) ms\n".utf8))
        }
        // The site keeps both cores busy only in its report pages; the open-data files and the LED slides
        // run beside it rather than after it. Errors are reported in the order the parts used to run.
        // A thread of its own, not a dispatch_apply: a site render nested in one would get a narrower pool.
        let frozen = input
        let results = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Thread {
            results.set(\.data, Result {
                try DataFiles.write(frozen, into: sink)
                if timing {
                    FileHandle.standardError.write(Data("render: data files done at \(Int(Date().timeIntervalSince(started) * 1000)) ms\n".utf8))
                }
                let strings = try UIStrings.load(themeDirectory: frozen.themeDirectory, language: frozen.content.site.language)
                try FormWorkbooks.write(frozen, strings: strings, folder: SiteRenderer.projectFolder, into: sink)
                if timing {
                    FileHandle.standardError.write(Data("render: workbooks done at \(Int(Date().timeIntervalSince(started) * 1000)) ms\n".utf8))
                }
                return 0
            })
            if case .success? = results.get(\.data) {
                let cache = options.cacheDirectory
                let renderer = LEDRenderer(panelPhoto: { source, size in
                    try PhotoProcessor(cacheDirectory: cache).panelCopy(source: source, size: size)
                }, video: options.ledVideo)
                results.set(\.led, Result {
                    let screen = try renderer.renderScreen(frozen, into: sink)
                    results.ledDiagnostics = screen.diagnostics
                    return screen.slides
                })
            }
            if timing {
                FileHandle.standardError.write(Data("render: data+LED done at \(Int(Date().timeIntervalSince(started) * 1000)) ms\n".utf8))
            }
            done.signal()
        }.start()
        results.set(\.site, Result { try SiteRenderer(memo: memo).render(frozen, into: sink) })
        done.wait()
        if case .failure(let error)? = results.get(\.data) { throw error }
        report.pages = try results.get(\.site)!.get()
        report.slides = try results.get(\.led)!.get()
        report.diagnostics += results.ledDiagnostics
    }

    /// What the parts of the render phase returned, filled in from two threads.
    final class ResultBox: @unchecked Sendable {
        struct Parts { var site, data, led: Result<Int, Error>? }
        private let lock = Lock()
        private var parts = Parts()
        /// Warnings of the LED render (set on its thread before `done` is signalled).
        var ledDiagnostics: [Diagnostic] = []
        func set(_ key: WritableKeyPath<Parts, Result<Int, Error>?>, _ value: Result<Int, Error>) {
            lock.withLock { parts[keyPath: key] = value }
        }
        func get(_ key: KeyPath<Parts, Result<Int, Error>?>) -> Result<Int, Error>? { lock.withLock { parts[keyPath: key] } }
    }

    /// Copies content/static/** to the output root as is.
    static func copyStatic(_ content: Content, into sink: OutputSink) throws {
        for file in content.staticFiles {
            try sink.copyFile(from: content.root + "/static/" + file, to: file)
        }
    }

    /// Resizes every published report's photos into photos/<slug>/, reusing the cache.
    static func publishPhotos(_ input: RenderInput, options: BuildOptions, into sink: OutputSink) throws -> [String: PublishedPhoto] {
        var jobs: [PhotoJob] = []
        var byContentPath: [String: String] = [:]
        for r in input.publishedReports {
            for photo in r.photos where !photo.contentPath.isEmpty {
                let source = input.content.root + "/" + photo.contentPath
                let name = photo.contentPath.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? "photo"
                jobs.append(PhotoJob(source: source, outputBase: "photos/\(r.slug)/\(name)"))
                byContentPath[photo.contentPath] = source
            }
        }
        guard !jobs.isEmpty else { return [:] }
        let results: [String: PhotoResult]
        do {
            results = try PhotoProcessor(cacheDirectory: options.cacheDirectory).process(jobs, into: sink)
        } catch let error as PhotoError {
            // A photo that cannot be read or decoded is the content's fault: name it on its line in the report.
            if error.fault.isContents, let place = photoPlace(error.source, input) {
                throw Diagnostic(.error, phase: .render, path: place.report.path, line: place.position.line, column: place.position.column,
                                 .photoUnusable(path: place.photo.name, fault: error.fault))
            }
            guard case let .cacheFailed(detail) = error.fault else {
                throw Diagnostic(.error, phase: .render, path: error.source, line: 1, column: 1,
                                 .photoUnusable(path: error.source, fault: error.fault))
            }
            // The cache folder is the machine's fault: named as the folder that could not be written.
            throw Diagnostic(.error, phase: .render, path: options.cacheDirectory, line: 1, column: 1,
                             .writeFailed(path: options.cacheDirectory + "/photos", reason: detail))
        }
        var published: [String: PublishedPhoto] = [:]
        for (contentPath, source) in byContentPath {
            if let r = results[source] {
                published[contentPath] = PublishedPhoto(large: r.large, thumbnail: r.thumbnail, width: r.width, height: r.height)
            }
        }
        return published
    }
}

/// The first published report listing the photo at `source`, with the photo's position in its front matter.
private func photoPlace(_ source: String, _ input: RenderInput) -> (report: Report, photo: Photo, position: Position)? {
    for r in input.publishedReports {
        for (i, photo) in r.photos.enumerated() where !photo.contentPath.isEmpty && input.content.root + "/" + photo.contentPath == source {
            let position = r.positions["photos[\(i)]"] ?? r.positions["photos"] ?? r.positions["$"] ?? Position(line: 1, column: 1)
            return (r, photo, position)
        }
    }
    return nil
}

/// Counts the files written, for the summary.
/// An atomic count, not a lock: two threads write a file each every few microseconds, and one more lock per file
/// was one more place for them to meet.
final class CountingSink: OutputSink, Sendable {
    private let inner: OutputSink
    private let written = Atomic<Int>(0)

    init(_ inner: OutputSink) { self.inner = inner }

    var count: Int { written.load(ordering: .relaxed) }

    func write(_ relativePath: String, _ bytes: [UInt8]) throws {
        try inner.write(relativePath, bytes)
        written.add(1, ordering: .relaxed)
    }

    func copyFile(from absolutePath: String, to relativePath: String) throws {
        try inner.copyFile(from: absolutePath, to: relativePath)
        written.add(1, ordering: .relaxed)
    }
}

/// Times the phases with a monotonic clock.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds

    var sinceLastLap: Double { Double(DispatchTime.now().uptimeNanoseconds - last) / 1_000_000 }

    mutating func lap(_ phase: Phase, into report: inout BuildReport) {
        let now = DispatchTime.now().uptimeNanoseconds
        report.timings.append((phase, Double(now - last) / 1_000_000))
        last = now
    }
}

extension Day {
    /// Today in the machine's time zone, as staff would read a wall calendar: the default `--now`.
    public static func today() -> Day {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
