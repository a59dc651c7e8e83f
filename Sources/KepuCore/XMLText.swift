/// Escaping of user text for HTML and XML — element content and attribute values in either quote —
/// shared by every writer (pages, SVG charts, feed, sitemap, LED slides, the dev server's overlay).
public enum XMLText {
    /// `& < > " '` become entities; C0 control characters other than tab, LF and CR, and U+FFFE/U+FFFF,
    /// are left out (XML 1.0 forbids them; a stray one would break the feed). Works on UTF-8 bytes and
    /// returns the text untouched when nothing needs escaping, which is most text.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            let n = bytes.count
            var i = 0
            while i < n && !special(bytes, i) { i += 1 }
            if i == n { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(n + 16)
            out.append(contentsOf: bytes[0..<i])
            while i < n {
                let b = bytes[i]
                i += 1
                switch b {
                case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]             // &amp;
                case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]                   // &lt;
                case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]                   // &gt;
                case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]       // &quot;
                case 0x27: out += [0x26, 0x23, 0x33, 0x39, 0x3B]            // &#39;
                case 0x09, 0x0A, 0x0D: out.append(b)
                case 0..<0x20: continue
                case 0xEF where i + 1 < n && bytes[i] == 0xBF && bytes[i + 1] >= 0xBE:
                    i += 2                                                   // U+FFFE, U+FFFF
                default: out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    private static func special(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        if b < 0x20 { return b != 0x09 && b != 0x0A && b != 0x0D }
        if b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 { return true }
        return b == 0xEF && i + 2 < bytes.count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE
    }
}
