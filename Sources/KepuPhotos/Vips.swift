import CNative
import Foundation
import KepuCore

/// The only Swift that touches libvips: every call goes through the plain C functions of CNative.
enum Vips {
    /// A failure reported by libvips (or the shim), as one line of text.
    struct Failure: Error, Sendable {
        var message: String
    }

    /// libvips is started once per process, on first use, from whichever thread gets there first.
    /// Each pipeline runs on one thread: KepuPhotos already processes one photo per core.
    private static let started: Failure? = {
        var error = [CChar](repeating: 0, count: errorCapacity)
        let status = kepu_vips_init("kepu", 1, &error, error.count)
        return status == 0 ? nil : Failure(message: text(error))
    }()

    static func start() throws(Failure) {
        if let failure = started { throw failure }
    }

    /// The libvips version string, e.g. "8.14.1".
    static var version: String {
        String(cString: kepu_vips_version())
    }

    /// The installed libvips file (path, size, time), read without loading it: the cache key's part, so a
    /// build whose photos are all cached never opens libvips.
    static var identity: String {
        String(cString: kepu_vips_identity())
    }

    struct Sizes: Equatable, Sendable {
        var width: Int, height: Int, thumbnailWidth: Int, thumbnailHeight: Int
    }

    /// Decodes `bytes` once (shrink-on-load) and writes two progressive, metadata-free JPEGs: one within
    /// `largeSize`×`largeSize` to `largePath`, one within `thumbnailSize`×`thumbnailSize` to
    /// `thumbnailPath`; upright, never enlarged. Returns the sizes written.
    static func thumbnails(
        _ bytes: some ContiguousBytes, largePath: String, largeSize: Int, thumbnailPath: String, thumbnailSize: Int, quality: Int
    ) throws(Failure) -> Sizes {
        try start()
        var sizes: [Int32] = [0, 0, 0, 0]
        var error = [CChar](repeating: 0, count: errorCapacity)
        let status = bytes.withUnsafeBytes { buffer in
            kepu_vips_thumbnails(
                buffer.baseAddress, buffer.count, largePath, Int32(largeSize), thumbnailPath, Int32(thumbnailSize),
                Int32(quality), &sizes, &error, error.count)
        }
        guard status == 0 else { throw Failure(message: text(error)) }
        return Sizes(width: Int(sizes[0]), height: Int(sizes[1]), thumbnailWidth: Int(sizes[2]), thumbnailHeight: Int(sizes[3]))
    }

    /// Writes 8-bit RGB pixels (3 bytes a pixel, row by row) as a JPEG; tests use it to make photos.
    static func writeJPEG(rgb pixels: [UInt8], width: Int, height: Int, quality: Int = 90, to path: String) throws(Failure) {
        precondition(pixels.count == width * height * 3, "expected \(width)×\(height)×3 bytes")
        try start()
        var error = [CChar](repeating: 0, count: errorCapacity)
        let status = pixels.withUnsafeBufferPointer { buffer in
            kepu_vips_write_rgb_jpeg(buffer.baseAddress, Int32(width), Int32(height), Int32(quality), path, &error, error.count)
        }
        guard status == 0 else { throw Failure(message: text(error)) }
    }

    /// The mean value of all bands over a rectangle of an image file (0 black … 255 white); for tests.
    static func mean(of path: String, left: Int, top: Int, width: Int, height: Int) throws(Failure) -> Double {
        try start()
        var mean = 0.0
        var error = [CChar](repeating: 0, count: errorCapacity)
        guard kepu_vips_region_mean(path, Int32(left), Int32(top), Int32(width), Int32(height), &mean, &error, error.count) == 0 else {
            throw Failure(message: text(error))
        }
        return mean
    }

    /// A 128-bit content hash as 32 hex digits: XXH64 of `bytes` under two seeds. Kept as it was when
    /// XXH64 moved to the official source, so the photo cache stays valid.
    static func hash(_ bytes: some ContiguousBytes) -> String {
        bytes.withUnsafeBytes { buffer in
            [UInt64(0), 0x4B65_7075_5068_6F74].map { seed in
                let digits = String(ContentHash.xxh64(buffer, seed: seed), radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }.joined()
        }
    }

    private static let errorCapacity = 1024

    private static func text(_ chars: [CChar]) -> String {
        let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
