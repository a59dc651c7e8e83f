import Foundation

extension String {
    /// Whether the text holds `needle`, compared as UTF-8 bytes (memchr for the first byte, then
    /// memcmp). The standard library's generic `firstRange(of:)` instantiated type metadata on every
    /// call: 40 % of a 10,000-report build (perf), for a search in each report body.
    public func containsBytes(_ needle: StaticString) -> Bool {
        var text = self
        return text.withUTF8 { ByteSearch.contains($0, needle) }
    }
}

extension String {
    /// Whether both texts are the same bytes. Swift's `==` is canonical equivalence (豈 U+F900 equals 豈 U+8C48,
    /// é equals e + U+0301): right for reading, wrong for deciding whether a published page is unchanged.
    public func sameBytes(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var a = self, b = other
        return a.withUTF8 { x in b.withUTF8 { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }
}

extension Optional where Wrapped == String {
    /// `sameBytes` for a text that may be absent: two absent texts are the same.
    public func sameBytes(as other: String?) -> Bool {
        switch (self, other) {
        case (nil, nil): return true
        case let (a?, b?): return a.sameBytes(as: b)
        default: return false
        }
    }
}

extension Array where Element == UInt8 {
    /// Whether the bytes hold `needle` (as `String.containsBytes`).
    public func containsBytes(_ needle: StaticString) -> Bool {
        withUnsafeBufferPointer { ByteSearch.contains($0, needle) }
    }
}

enum ByteSearch {
    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard let base = hay.baseAddress, n > 0, n <= hay.count else { return n == 0 }
        let first = Int32(needle.utf8Start.pointee)
        var i = 0
        let last = hay.count - n
        while i <= last {
            guard let hit = memchr(base + i, first, last - i + 1) else { return false }
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + at, needle.utf8Start, n) == 0 { return true }
            i = at + 1
        }
        return false
    }
}

extension String {
    /// Byte order of the UTF-8 (what `utf8.lexicographicallyPrecedes` gives), with memcmp: the generic
    /// sequence comparison was a quarter of loading 10,000 reports under `kepu serve`, in sorting paths.
    public func precedesInBytes(_ other: String) -> Bool {
        if let answer = utf8.withContiguousStorageIfAvailable({ a in
            other.utf8.withContiguousStorageIfAvailable { b -> Bool in
                let n = Swift.min(a.count, b.count)
                let order = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }), let answer { return answer }
        return utf8.lexicographicallyPrecedes(other.utf8)
    }
}

/// A string's first 32 bytes as big-endian words, and its place (see `sortedByBytes`).
private struct ByteSortKey {
    var w0, w1, w2, w3: UInt64
    var index: Int
}

extension Array where Element == String {
    /// The strings in byte order (`precedesInBytes`). Sorted by their first 32 bytes, read once into four
    /// big-endian words, and by the whole text only where those tie: comparing Strings through their storage on
    /// every step was most of sorting 100,000 paths (130 ms, one core, before a build could start).
    public func sortedByBytes() -> [String] {
        var keys: [ByteSortKey] = []
        keys.reserveCapacity(count)
        for (i, s) in enumerated() {
            var w = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            var text = s
            text.withUTF8 { bytes in
                // Missing bytes count as 0: a shorter string's key is never above a longer one it begins.
                Swift.withUnsafeMutableBytes(of: &w) { raw in
                    raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes).prefix(32)))
                }
            }
            keys.append(ByteSortKey(w0: UInt64(bigEndian: w.0), w1: UInt64(bigEndian: w.1), w2: UInt64(bigEndian: w.2),
                            w3: UInt64(bigEndian: w.3), index: i))
        }
        keys.sort { a, b in
            if a.w0 != b.w0 { return a.w0 < b.w0 }
            if a.w1 != b.w1 { return a.w1 < b.w1 }
            if a.w2 != b.w2 { return a.w2 < b.w2 }
            if a.w3 != b.w3 { return a.w3 < b.w3 }
            return self[a.index].precedesInBytes(self[b.index])
        }
        return keys.map { self[$0.index] }
    }
}

extension String {
    /// Whether every UTF-8 byte passes `test`, over the contiguous bytes (the UTF8View's iterator was 0.7 % of a
    /// 10k build in URLPath.escape alone: it runs for every link on every page).
    @inlinable
    public func allBytes(_ test: (UInt8) -> Bool) -> Bool {
        if let all = utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(test) }) { return all }
        return utf8.allSatisfy(test)
    }

    /// How many times the byte occurs (memchr from hit to hit).
    public func countOfByte(_ byte: UInt8) -> Int {
        if let n = utf8.withContiguousStorageIfAvailable({ bytes -> Int in
            guard var at = bytes.baseAddress else { return 0 }
            let end = at + bytes.count
            var n = 0
            while at < end, let hit = memchr(at, Int32(byte), end - at) {
                n += 1
                at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return n
        }) { return n }
        return utf8.reduce(0) { $0 + ($1 == byte ? 1 : 0) }
    }
}

extension Array where Element == UInt8 {
    /// The number's decimal digits (a minus sign first), as `String(n)` writes them, without making a String.
    public mutating func appendDecimal(_ n: Int64) {
        if n < 0 { append(UInt8(ascii: "-")) }
        appendDigits(n.magnitude, radix: 10)
    }

    public mutating func appendDecimal(_ n: UInt64) { appendDigits(n, radix: 10) }

    /// Lower-case hexadecimal digits, as `String(n, radix: 16)` writes them.
    public mutating func appendHex(_ n: UInt64) { appendDigits(n, radix: 16) }

    private mutating func appendDigits(_ n: UInt64, radix: UInt64) {
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: enough for 20 decimal digits
        var count = 0
        var rest = n
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                let d = UInt8(rest % radix)
                buffer[31 - count] = d < 10 ? 48 + d : 87 + d
                count += 1
                rest /= radix
            } while rest > 0
            append(contentsOf: buffer[(32 - count)...])
        }
    }
}
