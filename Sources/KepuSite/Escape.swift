import KepuCore

/// Escaping for text that Swift writes itself (SVG, feed, sitemap); Mustache escapes the rest.
enum Escape {
    static func xml(_ s: String) -> String { XMLText.escape(s) }

    /// Percent-encodes a path for an href; `/` stays.
    static func path(_ s: String) -> String { URLPath.escape(s) }

    /// Decodes %XX sequences (for matching image sources written by cmark to photo names).
    static func unpercent(_ s: String) -> String {
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: return b - 48
            case 65...70: return b - 55
            case 97...102: return b - 87
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A file or folder name from user text (a kind): characters that file systems or URLs mind become "-".
    static func fileName(_ s: String) -> String {
        // Most names (every report's slug) need nothing: say so from the bytes, without building a new string.
        // All the characters changed below are ASCII but U+3000 (E3 80 80), whose lead byte is checked.
        func special(_ b: UInt8) -> Bool {
            switch b {
            case 0x2F, 0x5C, 0x3A, 0x2A, 0x3F, 0x22, 0x3C, 0x3E, 0x7C, 0x23, 0x25, 0x20, 0xE3: return true
            default: return b < 0x20
            }
        }
        if let first = s.utf8.first, first != UInt8(ascii: "."), s.allBytes({ !special($0) }) {
            return s
        }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "/", "\\", ":", "*", "?", "\"", "<", ">", "|", "#", "%", " ", "\t", "\n", "\r", "\u{3000}":
                out += "-"
            default:
                out.unicodeScalars.append(c.value < 0x20 ? "-" : c)
            }
        }
        while out.hasPrefix(".") { out.removeFirst() }
        return out.isEmpty ? "-" : out
    }
}
