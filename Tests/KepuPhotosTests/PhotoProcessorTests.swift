import Foundation
import KepuCore
import KepuTestSupport
import XCTest

@testable import KepuPhotos

final class PhotoProcessorTests: XCTestCase {
    private var root = ""
    private var cache: String { root + "/cache" }

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "kepu-photos-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/content", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: - Sizes

    func testLandscapePhotoGetsA1280CopyAndA400Thumbnail() throws {
        let source = try makePhoto("kepuri.jpg", width: 2000, height: 1500)
        let sink = DirectorySink(root: root + "/public")
        let results = try PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: source, outputBase: "photos/2023-09-16-kepuri/photo-1")], into: sink)

        XCTAssertEqual(results, [source: PhotoResult(
            large: "photos/2023-09-16-kepuri/photo-1-1280.jpg", thumbnail: "photos/2023-09-16-kepuri/photo-1-400.jpg",
            width: 1280, height: 960, thumbnailWidth: 400, thumbnailHeight: 300)])
        let large = try JPEGInfo(sink.bytes("photos/2023-09-16-kepuri/photo-1-1280.jpg"))
        let thumbnail = try JPEGInfo(sink.bytes("photos/2023-09-16-kepuri/photo-1-400.jpg"))
        XCTAssertEqual([large.width, large.height], [1280, 960])
        XCTAssertEqual([thumbnail.width, thumbnail.height], [400, 300])
        for info in [large, thumbnail] {
            XCTAssertTrue(info.progressive, "the copies are progressive JPEGs")
            XCTAssertEqual(info.metadataSegments, [], "EXIF, XMP and ICC are stripped")
        }
        XCTAssertEqual(sink.paths, ["photos/2023-09-16-kepuri/photo-1-1280.jpg", "photos/2023-09-16-kepuri/photo-1-400.jpg"],
                       "the original is not published")
    }

    func testPortraitPhotoKeepsItsAspect() throws {
        let source = try makePhoto("portrait.jpg", width: 1500, height: 2000)
        let sink = DirectorySink(root: root + "/public")
        let result = try XCTUnwrap(PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: source, outputBase: "photos/p")], into: sink)[source])

        XCTAssertEqual([result.width, result.height, result.thumbnailWidth, result.thumbnailHeight], [960, 1280, 300, 400])
        let large = try JPEGInfo(sink.bytes("photos/p-1280.jpg"))
        let thumbnail = try JPEGInfo(sink.bytes("photos/p-400.jpg"))
        XCTAssertEqual([large.width, large.height], [960, 1280])
        XCTAssertEqual([thumbnail.width, thumbnail.height], [300, 400])
    }

    func testSmallPhotoIsNotEnlarged() throws {
        let source = try makePhoto("small.jpg", width: 800, height: 600)
        let sink = DirectorySink(root: root + "/public")
        let result = try XCTUnwrap(PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: source, outputBase: "photos/s")], into: sink)[source])

        XCTAssertEqual([result.width, result.height, result.thumbnailWidth, result.thumbnailHeight], [800, 600, 400, 300])
        let large = try JPEGInfo(sink.bytes("photos/s-1280.jpg"))
        XCTAssertEqual([large.width, large.height], [800, 600])
        XCTAssertTrue(large.progressive)
    }

    func testTinyPhotoKeepsItsSizeInBothCopies() throws {
        let source = try makePhoto("tiny.jpg", width: 120, height: 90)
        let sink = DirectorySink(root: root + "/public")
        let result = try XCTUnwrap(PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: source, outputBase: "t")], into: sink)[source])
        XCTAssertEqual([result.width, result.height, result.thumbnailWidth, result.thumbnailHeight], [120, 90, 120, 90])
    }

    func testEXIFOrientationIsAppliedAndRemoved() throws {
        // A phone held upright stores a landscape picture and orientation 6 (turn 90° clockwise).
        let source = try makePhoto("phone.jpg", width: 2000, height: 1500, orientation: 6)
        XCTAssertEqual(try JPEGInfo(Array(Data(contentsOf: URL(fileURLWithPath: source)))).metadataSegments, ["APP1"],
                       "the fixture carries its EXIF block")
        let sink = DirectorySink(root: root + "/public")
        let result = try XCTUnwrap(PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: source, outputBase: "photos/phone")], into: sink)[source])

        XCTAssertEqual([result.width, result.height, result.thumbnailWidth, result.thumbnailHeight], [960, 1280, 300, 400])
        let large = try JPEGInfo(sink.bytes("photos/phone-1280.jpg"))
        XCTAssertEqual([large.width, large.height], [960, 1280])
        XCTAssertEqual(large.metadataSegments, [], "no orientation tag is left to turn it a second time")
    }

    func testTransparentPNGIsFlattenedOntoWhite() throws {
        // 64×48, red; the left half fully transparent.
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/half-transparent.png").path
        let sink = DirectorySink(root: root + "/public")
        let result = try XCTUnwrap(PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: fixture, outputBase: "photos/logo")], into: sink)[fixture])

        XCTAssertEqual([result.width, result.height, result.thumbnailWidth, result.thumbnailHeight], [64, 48, 64, 48])
        let large = sink.root + "/" + result.large
        XCTAssertEqual(try JPEGInfo(sink.bytes(result.large)).components, 3)
        XCTAssertGreaterThan(try Vips.mean(of: large, left: 2, top: 2, width: 26, height: 44), 250, "transparent shows white")
        XCTAssertLessThan(try Vips.mean(of: large, left: 36, top: 2, width: 26, height: 44), 120, "the red stays red")
    }

    func testOrientedPhotoIsTurnedNotJustResized() throws {
        // Left half dark, right half light; orientation 6 turns it clockwise: dark on top.
        let source = root + "/content/halves.jpg"
        var pixels = [UInt8](repeating: 0, count: 800 * 600 * 3)
        for y in 0..<600 { for x in 400..<800 { for c in 0..<3 { pixels[(y * 800 + x) * 3 + c] = 255 } } }
        try Vips.writeJPEG(rgb: pixels, width: 800, height: 600, to: source)
        try insertOrientation(6, into: source)
        let sink = DirectorySink(root: root + "/public")
        let result = try XCTUnwrap(PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: source, outputBase: "h")], into: sink)[source])

        XCTAssertEqual([result.width, result.height], [600, 800])
        let large = sink.root + "/" + result.large
        XCTAssertLessThan(try Vips.mean(of: large, left: 0, top: 0, width: 600, height: 380), 10)
        XCTAssertGreaterThan(try Vips.mean(of: large, left: 0, top: 420, width: 600, height: 380), 245)
    }

    // MARK: - Cache

    func testUnchangedPhotoIsTakenFromTheCache() throws {
        let source = try makePhoto("kepuri.jpg", width: 2000, height: 1500)
        let processor = PhotoProcessor(cacheDirectory: cache)
        let job = PhotoJob(source: source, outputBase: "photos/k")
        let first = try processor.process([job], into: DirectorySink(root: root + "/public-1"))

        let entries = try FileManager.default.contentsOfDirectory(atPath: cache + "/photos").sorted()
        XCTAssertEqual(entries.count, 3, "a large copy, a thumbnail and a size sidecar: \(entries)")
        let cachedLarge = try XCTUnwrap(entries.first { $0.hasSuffix("-1280.jpg") }).map { cache + "/photos/" + $0 }!
        let modified = try modificationDate(cachedLarge)
        // Mark the cached copy: a second run that decodes the photo again would overwrite the mark.
        let marker = Array("cached copy, not re-made".utf8)
        try Data(marker).write(to: URL(fileURLWithPath: cachedLarge))
        let markedAt = try modificationDate(cachedLarge)
        XCTAssertGreaterThanOrEqual(markedAt, modified)

        let sink = DirectorySink(root: root + "/public-2")
        let second = try processor.process([job], into: sink)

        XCTAssertEqual(second, first)
        XCTAssertEqual(try sink.bytes("photos/k-1280.jpg"), marker, "the cached file was copied, not re-made")
        XCTAssertEqual(try modificationDate(cachedLarge), markedAt)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache + "/photos").sorted(), entries)
    }

    func testChangedPhotoIsProcessedAgain() throws {
        let source = try makePhoto("kepuri.jpg", width: 2000, height: 1500)
        let processor = PhotoProcessor(cacheDirectory: cache)
        let job = PhotoJob(source: source, outputBase: "photos/k")
        _ = try processor.process([job], into: DirectorySink(root: root + "/public-1"))

        _ = try makePhoto("kepuri.jpg", width: 1500, height: 2000) // same path, new picture
        let result = try processor.process([job], into: DirectorySink(root: root + "/public-2"))[source]
        XCTAssertEqual(result?.width, 960)
        XCTAssertEqual(result?.height, 1280)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache + "/photos").count, 6)
    }

    func testOtherSizesDoNotShareCacheEntries() throws {
        let source = try makePhoto("kepuri.jpg", width: 2000, height: 1500)
        let job = PhotoJob(source: source, outputBase: "k")
        _ = try PhotoProcessor(cacheDirectory: cache).process([job], into: DirectorySink(root: root + "/a"))
        let result = try PhotoProcessor(cacheDirectory: cache, largeSize: 1024, thumbnailSize: 200)
            .process([job], into: DirectorySink(root: root + "/b"))[source]
        XCTAssertEqual(result, PhotoResult(large: "k-1024.jpg", thumbnail: "k-200.jpg",
                                           width: 1024, height: 768, thumbnailWidth: 200, thumbnailHeight: 150))
    }

    func testIncompleteCacheEntryIsRemade() throws {
        let source = try makePhoto("kepuri.jpg", width: 2000, height: 1500)
        let processor = PhotoProcessor(cacheDirectory: cache)
        let job = PhotoJob(source: source, outputBase: "k")
        let first = try processor.process([job], into: DirectorySink(root: root + "/a"))
        let thumbnail = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: cache + "/photos").first { $0.hasSuffix("-400.jpg") })
        try FileManager.default.removeItem(atPath: cache + "/photos/" + thumbnail)

        let sink = DirectorySink(root: root + "/b")
        XCTAssertEqual(try processor.process([job], into: sink), first)
        XCTAssertEqual(try JPEGInfo(sink.bytes("k-400.jpg")).width, 400)
    }

    // MARK: - Errors

    func testTextFileNamedJPGFailsNamingTheFile() throws {
        let good = try makePhoto("good.jpg", width: 600, height: 400)
        let bad = root + "/content/notes.jpg"
        try Data("这不是照片 — meeting notes\n".utf8).write(to: URL(fileURLWithPath: bad))
        let jobs = [PhotoJob(source: good, outputBase: "good"), PhotoJob(source: bad, outputBase: "bad")]

        XCTAssertThrowsError(try PhotoProcessor(cacheDirectory: cache).process(jobs, into: DirectorySink(root: root + "/public"))) { error in
            guard let error = error as? PhotoError else { return XCTFail("expected a PhotoError, got \(error)") }
            XCTAssertEqual(error.source, bad)
            guard case .undecodable(let detail) = error.fault else { return XCTFail("\(error.fault)") }
            XCTAssertTrue(detail.contains("not in a known format"), detail)
            // The sentence is the user's language; libvips' own words stay in brackets.
            let chinese = error.problem.message(.zhCN)
            XCTAssertTrue(chinese.hasPrefix("照片 \(bad)：不是能解码的图片"), chinese)
            XCTAssertTrue(error.problem.message(.en).hasPrefix("photo \(bad): not an image that can be decoded"))
        }
    }

    func testTruncatedJPEGFails() throws {
        let source = try makePhoto("cut.jpg", width: 2000, height: 1500)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: source))

        XCTAssertThrowsError(try PhotoProcessor(cacheDirectory: cache).process(
            [PhotoJob(source: source, outputBase: "cut")], into: DirectorySink(root: root + "/public"))) { error in
            XCTAssertEqual((error as? PhotoError)?.source, source)
            XCTAssertEqual((error as? PhotoError).map { if case .undecodable = $0.fault { true } else { false } }, true, "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache + "/photos"), [], "nothing half-made is cached")
    }

    func testMissingAndEmptyFilesFail() throws {
        let missing = root + "/content/gone.jpg"
        let empty = root + "/content/empty.jpg"
        try Data().write(to: URL(fileURLWithPath: empty))
        let processor = PhotoProcessor(cacheDirectory: cache)
        let sink = DirectorySink(root: root + "/public")

        XCTAssertThrowsError(try processor.process([PhotoJob(source: missing, outputBase: "a")], into: sink)) { error in
            XCTAssertEqual(error as? PhotoError, PhotoError(source: missing, fault: .missing))
        }
        XCTAssertThrowsError(try processor.process([PhotoJob(source: empty, outputBase: "b")], into: sink)) { error in
            XCTAssertEqual(error as? PhotoError, PhotoError(source: empty, fault: .empty))
        }
    }

    func testUnwritableCacheFailsNamingThePhoto() throws {
        let source = try makePhoto("kepuri.jpg", width: 600, height: 400)
        let blocked = root + "/cache-is-a-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocked))

        XCTAssertThrowsError(try PhotoProcessor(cacheDirectory: blocked).process(
            [PhotoJob(source: source, outputBase: "k")], into: DirectorySink(root: root + "/public"))) { error in
            XCTAssertEqual((error as? PhotoError)?.source, source)
            XCTAssertEqual((error as? PhotoError).map { if case .cacheFailed = $0.fault { true } else { false } }, true, "\(error)")
        }
    }

    func testFirstFailureInJobOrderIsReported() throws {
        let first = root + "/content/a.jpg"
        let second = root + "/content/b.jpg"
        try Data("no".utf8).write(to: URL(fileURLWithPath: first))
        try Data("no".utf8).write(to: URL(fileURLWithPath: second))
        let good = try (0..<4).map { try makePhoto("g\($0).jpg", width: 300 + $0, height: 200) }
        let jobs = (good + [first] + good + [second]).enumerated().map { PhotoJob(source: $1, outputBase: "p\($0)") }
        for _ in 0..<3 {
            XCTAssertThrowsError(try PhotoProcessor(cacheDirectory: cache).process(jobs, into: DirectorySink(root: root + "/public"))) {
                XCTAssertEqual(($0 as? PhotoError)?.source, first)
            }
        }
    }

    // MARK: - Determinism and concurrency

    func testSamePhotoGivesTheSameBytes() throws {
        let source = try makePhoto("kepuri.jpg", width: 2000, height: 1500)
        let job = PhotoJob(source: source, outputBase: "k")
        let one = DirectorySink(root: root + "/one")
        let two = DirectorySink(root: root + "/two")
        _ = try PhotoProcessor(cacheDirectory: root + "/cache-1").process([job], into: one)
        _ = try PhotoProcessor(cacheDirectory: root + "/cache-2").process([job], into: two)

        XCTAssertEqual(try one.bytes("k-1280.jpg"), try two.bytes("k-1280.jpg"))
        XCTAssertEqual(try one.bytes("k-400.jpg"), try two.bytes("k-400.jpg"))
    }

    func testManyPhotosAtOnce() throws {
        let sources = try (0..<12).map { try makePhoto("m\($0).jpg", width: 1400 + 10 * $0, height: 1000) }
        // The same photo twice, under two names, is fine too.
        let copy = root + "/content/copy-of-m0.jpg"
        try FileManager.default.copyItem(atPath: sources[0], toPath: copy)
        let jobs = (sources + [copy]).enumerated().map { PhotoJob(source: $1, outputBase: "photos/m\($0)") }
        let sink = DirectorySink(root: root + "/public")
        let results = try PhotoProcessor(cacheDirectory: cache).process(jobs, into: sink)

        XCTAssertEqual(Set(results.keys), Set(jobs.map(\.source)))
        for (index, job) in jobs.enumerated() {
            let result = try XCTUnwrap(results[job.source])
            XCTAssertEqual(result.large, "photos/m\(index)-1280.jpg")
            XCTAssertEqual(result.width, 1280)
            let info = try JPEGInfo(sink.bytes(result.large))
            XCTAssertEqual([info.width, info.height], [result.width, result.height])
        }
        XCTAssertEqual(try sink.bytes("photos/m0-1280.jpg"), try sink.bytes("photos/m12-1280.jpg"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache + "/photos").count, 36)
    }

    func testNoJobsIsNothingToDo() throws {
        XCTAssertEqual(try PhotoProcessor(cacheDirectory: cache).process([], into: MemorySink()), [:])
    }

    /// Set KEPU_PHOTO_BENCH=1 to time generated 4000×3000 photos, or to a folder to time its JPEGs
    /// (run with `-c release`).
    func testTimingOfCameraSizedPhotos() throws {
        guard let bench = ProcessInfo.processInfo.environment["KEPU_PHOTO_BENCH"] else { throw XCTSkip("set KEPU_PHOTO_BENCH=1") }
        var sources = ((try? FileManager.default.contentsOfDirectory(atPath: bench)) ?? []).filter { $0.lowercased().hasSuffix(".jpg") }
            .sorted().map { bench + "/" + $0 }
        if sources.isEmpty || bench == "1" {
            sources = try (0..<8).map { try makePhoto("cam\($0).jpg", width: 4000, height: 3000, seed: $0) }
        }
        let count = sources.count
        let jobs = sources.enumerated().map { PhotoJob(source: $1, outputBase: "c\($0)") }
        let processor = PhotoProcessor(cacheDirectory: cache)
        let single = Date()
        _ = try processor.process([jobs[0]], into: DirectorySink(root: root + "/p0"))
        let singleTime = Date().timeIntervalSince(single)
        let fresh = Date()
        let freshCPU = clock()
        _ = try processor.process(Array(jobs.dropFirst()), into: DirectorySink(root: root + "/p1"))
        let freshTime = Date().timeIntervalSince(fresh)
        // CPU time is what a photo costs even when other work shares the machine.
        let cpuPerPhoto = Double(clock() - freshCPU) / Double(CLOCKS_PER_SEC) * 1000 / Double(count - 1)
        let cached = Date()
        _ = try processor.process(jobs, into: DirectorySink(root: root + "/p2"))
        let cachedTime = Date().timeIntervalSince(cached)
        let megabytes = Double(try FileManager.default.attributesOfItem(atPath: sources[0])[.size] as? Int ?? 0) / 1e6
        let peak = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmHWM") } ?? "?"
        print(String(format: "photos (first %.1f MB): one fresh %.0f ms; %d fresh %.0f ms (%.0f ms/photo wall, %.0f ms CPU); %d cached %.1f ms/photo; ",
                     megabytes, singleTime * 1000, count - 1, freshTime * 1000, freshTime * 1000 / Double(count - 1), cpuPerPhoto,
                     count, cachedTime * 1000 / Double(count)) + peak)
    }

    // MARK: - Helpers

    /// Writes a JPEG of a colour gradient with some texture; `orientation` adds an EXIF block with that tag.
    private func makePhoto(_ name: String, width: Int, height: Int, orientation: UInt8? = nil, seed: Int = 0) throws -> String {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { buffer in
            var i = 0
            for y in 0..<height {
                for x in 0..<width {
                    buffer[i] = UInt8(truncatingIfNeeded: x * 255 / width)
                    buffer[i + 1] = UInt8(truncatingIfNeeded: y * 255 / height)
                    buffer[i + 2] = UInt8(truncatingIfNeeded: (x ^ y) &+ seed)
                    i += 3
                }
            }
        }
        let path = root + "/content/" + name
        try Vips.writeJPEG(rgb: pixels, width: width, height: height, to: path)
        if let orientation {
            try insertOrientation(orientation, into: path)
        }
        return path
    }

    /// Adds an EXIF block holding only an Orientation tag right after the JPEG's start marker.
    private func insertOrientation(_ orientation: UInt8, into path: String) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, IFD0 at 8
                             0x00, 0x01, // one entry
                             0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation
                             0x00, 0x00, 0x00, 0x00] // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        bytes.insert(contentsOf: [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload, at: 2)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func modificationDate(_ path: String) throws -> Date {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }
}

/// What a browser would learn from a JPEG's headers: its size, whether it is progressive, and which
/// metadata segments (EXIF/XMP in APP1, ICC in APP2, IPTC in APP13, comments) it carries.
struct JPEGInfo {
    var width = 0
    var height = 0
    var progressive = false
    var components = 0
    var metadataSegments: [String] = []

    struct Malformed: Error {}

    init(_ bytes: [UInt8]) throws {
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw Malformed() }
        var i = 2
        while i + 4 <= bytes.count {
            guard bytes[i] == 0xFF else { throw Malformed() }
            let marker = bytes[i + 1]
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard i + 10 <= bytes.count else { throw Malformed() }
                height = Int(bytes[i + 5]) << 8 | Int(bytes[i + 6])
                width = Int(bytes[i + 7]) << 8 | Int(bytes[i + 8])
                components = Int(bytes[i + 9])
                progressive = marker == 0xC2
            case 0xE1: metadataSegments.append("APP1")
            case 0xE2: metadataSegments.append("APP2")
            case 0xED: metadataSegments.append("APP13")
            case 0xFE: metadataSegments.append("COM")
            case 0xDA: // start of scan: the headers are over
                guard width > 0 else { throw Malformed() }
                return
            default: break
            }
            i += 2 + length
        }
        throw Malformed()
    }
}
