/// Escaping of user text for HTML and XML — element content and attribute values in either quote —
/// shared by every writer (pages, SVG charts, feed, sitemap, LED slides, the dev server's overlay).
public enum XMLText {
    /// `& < > " '` become entities; C0 control characters other than tab, LF and CR, and U+FFFE/U+FFFF,
    /// are left out (XML 1.0 forbids them; a stray one would break the feed). Works on UTF-8 bytes and
    /// returns the text untouched when nothing needs escaping, which is most text.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            let i = mayNeedEscaping.withUnsafeBufferPointer { firstToEscape(bytes, from: 0, table: $0) }
            if i == bytes.count { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[0..<i])
            escape(bytes, from: i, into: &out)
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    /// The same escaping of text given as UTF-8 bytes, appended to a byte buffer.
    public static func escape(utf8 bytes: [UInt8], into out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { escape($0, from: 0, into: &out) }
    }

    /// The same escaping, appended to a byte buffer: what compiled page templates write into.
    public static func escape(_ text: String, into out: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ escape($0, from: 0, into: &out) }) != nil { return }
        var text = text
        text.withUTF8 { escape($0, from: 0, into: &out) }
    }

    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into out: inout [UInt8]) {
        let n = bytes.count
        // The table's buffer once per text, not per byte (every escaped tag on every page comes here).
        mayNeedEscaping.withUnsafeBufferPointer { table in
            var i = start
            while i < n {
                // Copy the run of plain bytes in one go: most text has nothing to escape.
                let j = firstToEscape(bytes, from: i, table: table)
                if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j])) }
                if j == n { return }
                let b = bytes[j]
                i = j + 1
                switch b {
                case 0x26: append("&amp;", to: &out)
                case 0x3C: append("&lt;", to: &out)
                case 0x3E: append("&gt;", to: &out)
                case 0x22: append("&quot;", to: &out)
                case 0x27: append("&#39;", to: &out)
                case 0xEF: i += 2                                            // U+FFFE, U+FFFF (special() checked)
                default: continue                                            // other C0 controls: left out
                }
            }
        }
    }

    private static func append(_ entity: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
    }

    /// Bytes that may need escaping: `& < > " '`, C0 controls but tab/LF/CR, and 0xEF (U+FFFE/U+FFFF's
    /// lead byte). One table load per byte in the scan loop.
    private static let mayNeedEscaping: [Bool] = (0..<256).map { b in
        (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b == 0xEF
    }

    /// The index of the first byte from `start` that needs escaping, or the count.
    @inline(__always)
    private static func firstToEscape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, table: UnsafeBufferPointer<Bool>) -> Int {
        let n = bytes.count
        var j = start
        while j < n {
            // Eight bytes at a time while none of them may need escaping (titles, names, dates).
            if j + 8 <= n && !anyMarked(word: UnsafeRawPointer(bytes.baseAddress! + j).loadUnaligned(as: UInt64.self)) {
                j += 8
                continue
            }
            if table[Int(bytes[j])] && special(bytes, j) { return j }
            j += 1
        }
        return n
    }

    /// Whether any of eight bytes is one the table marks; false positives only where a byte truly matches (the
    /// borrow of a zero byte runs upwards only), which the byte loop then sorts out.
    @inline(__always)
    private static func anyMarked(word w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        var found = (w &- ones &* 0x20) & ~w & highs                      // a byte below 0x20
        found |= hasZeroByte(w ^ (ones &* 0x26)) | hasZeroByte(w ^ (ones &* 0x3C)) | hasZeroByte(w ^ (ones &* 0x3E))
        found |= hasZeroByte(w ^ (ones &* 0x22)) | hasZeroByte(w ^ (ones &* 0x27)) | hasZeroByte(w ^ (ones &* 0xEF))
        return found != 0
    }

    /// For a byte the table marks: whether it really needs escaping (0xEF only before BF BE / BF BF).
    private static func special(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        if b == 0xEF { return i + 2 < bytes.count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE }
        return true
    }
}
