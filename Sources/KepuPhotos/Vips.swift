import CVipsShim

/// The only Swift that touches libvips: every call goes through the plain C functions of CVipsShim.
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

    /// The libvips version string, e.g. "8.14.1"; part of the cache key, as another version may encode
    /// other bytes.
    static var version: String {
        String(cString: kepu_vips_version())
    }

    /// Decodes `bytes` (shrink-on-load), fits the picture within `maxSize`×`maxSize` without enlarging
    /// it, turns it upright and writes it to `path` as a progressive, metadata-free JPEG. Returns the size
    /// written.
    static func thumbnail(
        _ bytes: [UInt8], to path: String, maxSize: Int, quality: Int
    ) throws(Failure) -> (width: Int, height: Int) {
        try start()
        var width: Int32 = 0
        var height: Int32 = 0
        var error = [CChar](repeating: 0, count: errorCapacity)
        let status = bytes.withUnsafeBytes { buffer in
            kepu_vips_thumbnail(
                buffer.baseAddress, buffer.count, path, Int32(maxSize), Int32(quality),
                &width, &height, &error, error.count)
        }
        guard status == 0 else { throw Failure(message: text(error)) }
        return (Int(width), Int(height))
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

    /// SHA-256 of `bytes` as 64 lowercase hex digits (GLib's, at C speed even in a debug build).
    static func sha256(_ bytes: [UInt8]) -> String {
        var hex = [CChar](repeating: 0, count: 65)
        let status = bytes.withUnsafeBytes { buffer in
            kepu_sha256_hex(buffer.baseAddress, buffer.count, &hex)
        }
        precondition(status == 0, "GLib could not compute SHA-256")
        return text(hex)
    }

    private static let errorCapacity = 1024

    private static func text(_ chars: [CChar]) -> String {
        let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
