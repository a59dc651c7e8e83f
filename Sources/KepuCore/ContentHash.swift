import CXXHash

/// Every hash Kepu keeps or compares: xxHash (the official C source, in CXXHash). None of them guards
/// against an attacker: each names Kepu's own cache entries and output files. Swift's `Hasher` is not
/// used for these: it is seeded per process, so a key it made would never match in the next build.
public enum ContentHash {
    /// XXH64: the output manifest (every page, every build), photo and page caches. ~10 GB/s.
    public static func xxh64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        XXH64(bytes.baseAddress, bytes.count, seed)
    }

    public static func xxh64(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { xxh64($0, seed: seed) }
    }

    public static func xxh64(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var text = text
        return text.withUTF8 { xxh64(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// XXH3, 128 bits, as 32 hex digits: a file name for content that is looked up by it (LED slide
    /// PNGs), where 64 bits would leave a collision merely unlikely.
    public static func hex128(_ bytes: [UInt8]) -> String {
        let h = bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return hex(h.high64) + hex(h.low64)
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
