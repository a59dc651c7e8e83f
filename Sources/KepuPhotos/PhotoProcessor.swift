import Dispatch
import Foundation
import KepuCore

/// One report photo to publish: where it is, and where its web copies go.
public struct PhotoJob: Sendable, Hashable {
    /// Absolute path of the original photo.
    public var source: String
    /// Output-relative path without extension, e.g. "photos/2023-09-16-kepuri/photo-1";
    /// the copies are written as `<outputBase>-1280.jpg` and `<outputBase>-400.jpg`.
    public var outputBase: String

    public init(source: String, outputBase: String) {
        self.source = source
        self.outputBase = outputBase
    }
}

/// The web copies of one photo, as output-relative paths, and their sizes in pixels.
public struct PhotoResult: Sendable, Hashable {
    /// The large copy, e.g. "photos/2023-09-16-kepuri/photo-1-1280.jpg".
    public var large: String
    /// The thumbnail, e.g. "photos/2023-09-16-kepuri/photo-1-400.jpg".
    public var thumbnail: String
    /// Size of the large copy (for `<img width height>`).
    public var width: Int
    public var height: Int
    /// Size of the thumbnail.
    public var thumbnailWidth: Int
    public var thumbnailHeight: Int

    public init(large: String, thumbnail: String, width: Int, height: Int, thumbnailWidth: Int, thumbnailHeight: Int) {
        self.large = large
        self.thumbnail = thumbnail
        self.width = width
        self.height = height
        self.thumbnailWidth = thumbnailWidth
        self.thumbnailHeight = thumbnailHeight
    }
}

/// A photo that could not be published: the build fails with it, so a report never loses a photo silently.
/// Its text is the catalogue's (CommandProblem.photo, or Problem.photoUnusable on the report's line).
public struct PhotoError: Error, Equatable, Sendable {
    /// Absolute path of the original photo.
    public var source: String
    public var fault: PhotoFault

    public init(source: String, fault: PhotoFault) {
        self.source = source
        self.fault = fault
    }

    public var problem: CommandProblem { .photo(source: source, fault: fault) }
}

/// Resizes report photos to web sizes with libvips, cached by content. Contract with KepuBuild.
///
/// Each photo becomes a large copy at most `largeSize` px on its longer side and a thumbnail at most
/// `thumbnailSize` px: JPEG, progressive, metadata stripped, EXIF orientation applied, never enlarged.
/// Results are kept under `<cacheDirectory>/photos/`, keyed by a 128-bit hash of the photo's bytes and a
/// hash of the settings, so an unchanged photo is never decoded again: a cached run only reads, hashes and copies.
public struct PhotoProcessor: Sendable {
    public let cacheDirectory: String
    public let largeSize: Int
    public let thumbnailSize: Int
    public let quality: Int

    public init(cacheDirectory: String, largeSize: Int = 1280, thumbnailSize: Int = 400, quality: Int = 82) {
        self.cacheDirectory = cacheDirectory
        self.largeSize = largeSize
        self.thumbnailSize = thumbnailSize
        self.quality = quality
    }

    /// Bump when the pipeline changes in a way that changes the bytes written.
    static let pipelineVersion = 1

    /// Processes each job (concurrently, one photo per core), reusing cached results, and writes the copies
    /// through `sink`. Returns the results keyed by `job.source`.
    /// - Throws: the `PhotoError` of the first failing job in `jobs` order, naming its source file; or the
    ///   sink's own error if a copy cannot be written.
    public func process(_ jobs: [PhotoJob], into sink: OutputSink) throws -> [String: PhotoResult] {
        guard !jobs.isEmpty else { return [:] }
        let photosDirectory = cacheDirectory + "/photos"
        do {
            try FileManager.default.createDirectory(atPath: photosDirectory, withIntermediateDirectories: true)
        } catch {
            throw PhotoError(source: jobs[0].source, fault: .cacheFailed(detail: "\(photosDirectory): \(error.localizedDescription)"))
        }
        // Another size, quality, pipeline or libvips version may give other bytes: other cache entries.
        let settings = "kepu-photos/\(Self.pipelineVersion) large=\(largeSize) thumbnail=\(thumbnailSize) q=\(quality) vips=\(Vips.identity)"
        let settingsKey = String(Vips.hash(Array(settings.utf8)).prefix(8))
        let outcomes = Outcomes(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            do {
                let entry = try cachedEntry(for: job.source, settingsKey: settingsKey, in: photosDirectory)
                let result = PhotoResult(
                    large: "\(job.outputBase)-\(largeSize).jpg",
                    thumbnail: "\(job.outputBase)-\(thumbnailSize).jpg",
                    width: entry.size.width, height: entry.size.height,
                    thumbnailWidth: entry.size.thumbnailWidth, thumbnailHeight: entry.size.thumbnailHeight)
                try sink.copyFile(from: entry.large, to: result.large)
                try sink.copyFile(from: entry.thumbnail, to: result.thumbnail)
                outcomes.set(index, .success(result))
            } catch {
                outcomes.set(index, .failure(error))
            }
        }
        var results: [String: PhotoResult] = [:]
        for (job, outcome) in zip(jobs, outcomes.all) {
            results[job.source] = try outcome!.get()
        }
        return results
    }

    /// A JPEG of the photo at `source` within `size`×`size` (upright, never enlarged), for an LED panel's
    /// slides: made once per photo and size, kept in the cache by content like the site's copies.
    public func panelCopy(source: String, size: Int) throws -> [UInt8] {
        let photosDirectory = cacheDirectory + "/photos"
        let bytes = try readPhoto(source)
        let settings = "kepu-photos/\(Self.pipelineVersion) panel=\(size) q=\(quality) vips=\(Vips.identity)"
        let key = Vips.hash(bytes) + "-" + String(Vips.hash(Array(settings.utf8)).prefix(8))
        let path = "\(photosDirectory)/\(key)-panel.jpg"
        if let data = FileManager.default.contents(atPath: path), !data.isEmpty { return [UInt8](data) }
        try? FileManager.default.createDirectory(atPath: photosDirectory, withIntermediateDirectories: true)
        let temporary = ".tmp-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: path + temporary)
            try? FileManager.default.removeItem(atPath: path + temporary + "-small")
        }
        do {
            // The shim makes two copies at once; the second, tiny one is thrown away.
            _ = try Vips.thumbnails(bytes, largePath: path + temporary, largeSize: size,
                                    thumbnailPath: path + temporary + "-small", thumbnailSize: 8, quality: quality)
        } catch {
            throw PhotoError(source: source, fault: .undecodable(detail: error.message))
        }
        guard let data = FileManager.default.contents(atPath: path + temporary) else {
            throw PhotoError(source: source, fault: .cacheFailed(detail: path + temporary))
        }
        // A cache that cannot be written costs only time next build.
        _ = rename(path + temporary, path)
        return [UInt8](data)
    }

    // MARK: - Cache

    typealias Sizes = Vips.Sizes

    struct Entry {
        var large: String, thumbnail: String, size: Sizes
    }

    /// The cache entry for the photo at `source`, made now if it is not there yet. The sidecar
    /// (`<key>.size`) is written last, so an entry with a sidecar is complete.
    func cachedEntry(for source: String, settingsKey: String, in directory: String) throws(PhotoError) -> Entry {
        let bytes = try readPhoto(source)
        let key = Vips.hash(bytes) + "-" + settingsKey
        let base = "\(directory)/\(key)"
        let large = "\(base)-\(largeSize).jpg"
        let thumbnail = "\(base)-\(thumbnailSize).jpg"
        let sidecar = "\(base).size"
        let fileManager = FileManager.default
        if let sizes = Self.readSidecar(sidecar),
           fileManager.fileExists(atPath: large), fileManager.fileExists(atPath: thumbnail) {
            return Entry(large: large, thumbnail: thumbnail, size: sizes)
        }
        // Written under unique temporary names and renamed into place, so two jobs (or two builds)
        // working on the same photo never see half a file.
        let temporary = ".tmp-\(UUID().uuidString)"
        defer {
            for path in [large, thumbnail, sidecar] { try? fileManager.removeItem(atPath: path + temporary) }
        }
        let sizes: Sizes
        do {
            sizes = try Vips.thumbnails(
                bytes, largePath: large + temporary, largeSize: largeSize,
                thumbnailPath: thumbnail + temporary, thumbnailSize: thumbnailSize, quality: quality)
        } catch {
            // The shim reports write failures as "cannot create/write <path>"; everything else is the photo.
            if error.message.hasPrefix("cannot create ") || error.message.hasPrefix("cannot write ") {
                throw PhotoError(source: source, fault: .cacheFailed(detail: error.message))
            }
            throw PhotoError(source: source, fault: .undecodable(detail: error.message))
        }
        do {
            let text = "\(sizes.width) \(sizes.height) \(sizes.thumbnailWidth) \(sizes.thumbnailHeight)\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: sidecar + temporary))
            try Self.moveIntoPlace(large + temporary, large)
            try Self.moveIntoPlace(thumbnail + temporary, thumbnail)
            try Self.moveIntoPlace(sidecar + temporary, sidecar)
        } catch {
            throw PhotoError(source: source, fault: .cacheFailed(detail: "\(base): \(Self.describe(error))"))
        }
        return Entry(large: large, thumbnail: thumbnail, size: sizes)
    }

    private func readPhoto(_ source: String) throws(PhotoError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw PhotoError(source: source, fault: .missing)
        }
        guard !isDirectory.boolValue else {
            throw PhotoError(source: source, fault: .folder)
        }
        let data: Data
        do {
            // Read, not mapped: a photo replaced mid-build must not crash the build.
            data = try Data(contentsOf: URL(fileURLWithPath: source))
        } catch {
            throw PhotoError(source: source, fault: .unreadable(detail: Self.describe(error)))
        }
        guard !data.isEmpty else {
            throw PhotoError(source: source, fault: .empty)
        }
        return data
    }

    private struct RenameFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Renames over any existing file (rename(2) replaces atomically on POSIX).
    private static func moveIntoPlace(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else {
            throw RenameFailed(description: "cannot rename \(from) to \(to): \(String(cString: strerror(errno)))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? CocoaError { return error.localizedDescription }
        return String(describing: error)
    }

    static func readSidecar(_ path: String) -> Sizes? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let numbers = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 4, numbers.allSatisfy({ $0 > 0 }) else { return nil }
        return Sizes(width: numbers[0], height: numbers[1], thumbnailWidth: numbers[2], thumbnailHeight: numbers[3])
    }
}

/// One slot per job, filled from the worker threads.
private final class Outcomes: @unchecked Sendable {
    private var slots: [Result<PhotoResult, any Error>?]
    private let lock = Lock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: Result<PhotoResult, any Error>) {
        lock.withLock { slots[index] = outcome }
    }

    var all: [Result<PhotoResult, any Error>?] { lock.withLock { slots } }
}
