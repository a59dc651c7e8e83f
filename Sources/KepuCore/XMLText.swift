/// Escaping of user text for HTML and XML — element content and attribute values in either quote —
/// shared by every writer (pages, SVG charts, feed, sitemap, LED slides, the dev server's overlay).
public enum XMLText {
    /// `& < > " '` become entities; C0 control characters other than tab, LF and CR, and U+FFFE/U+FFFF,
    /// are left out (XML 1.0 forbids them; a stray one would break the feed). Works on UTF-8 bytes and
    /// returns the text untouched when nothing needs escaping, which is most text.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var i = 0
            while i < bytes.count && !special(bytes, i) { i += 1 }
            if i == bytes.count { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[0..<i])
            escape(bytes, from: i, into: &out)
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    /// The same escaping, appended to a byte buffer: what compiled page templates write into.
    public static func escape(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { escape($0, from: 0, into: &out) }
    }

    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into out: inout [UInt8]) {
        let n = bytes.count
        var i = start
        while i < n {
            // Copy the run of plain bytes in one go: most text has nothing to escape.
            var j = i
            while j < n && !special(bytes, j) { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j])) }
            if j == n { return }
            let b = bytes[j]
            i = j + 1
            switch b {
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]             // &amp;
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]                   // &lt;
            case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]                   // &gt;
            case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]       // &quot;
            case 0x27: out += [0x26, 0x23, 0x33, 0x39, 0x3B]            // &#39;
            case 0xEF: i += 2                                            // U+FFFE, U+FFFF (special() checked)
            default: continue                                            // other C0 controls: left out
            }
        }
    }

    /// Bytes that may need escaping: `& < > " '`, C0 controls but tab/LF/CR, and 0xEF (U+FFFE/U+FFFF's
    /// lead byte). One table load per byte in the scan loop.
    private static let mayNeedEscaping: [Bool] = (0..<256).map { b in
        (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b == 0xEF
    }

    private static func special(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        guard mayNeedEscaping.withUnsafeBufferPointer({ $0[Int(b)] }) else { return false }
        if b == 0xEF { return i + 2 < bytes.count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE }
        return true
    }
}
