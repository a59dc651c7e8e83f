import KepuCore

/// Text widths estimated from the character classes of Noto Sans CJK (ideographs are exactly 1 em;
/// Latin and digits narrower). Estimates err on the wide side, so text placed by them fits in the PNG
/// (drawn with Noto Sans CJK SC) and, with CSS ellipsis as a safety net, in browsers with other fonts.
/// No font file is read: the same input gives the same layout on every machine.
enum TextMetrics {
    /// Width of one character in em.
    static func advance(_ s: Unicode.Scalar) -> Double {
        let v = s.value
        switch v {
        case 0x20: return 0.25
        case 0x30...0x39: return 0.58                       // digits
        case 0x41...0x5A:                                    // capitals
            return (s == "M" || s == "W") ? 0.9 : 0.68
        case 0x61...0x7A:                                    // lower case
            return (s == "m" || s == "w") ? 0.85 : (s == "i" || s == "l" || s == "j" || s == "t" || s == "f" || s == "r") ? 0.36 : 0.58
        case 0x2C, 0x2E, 0x3A, 0x3B, 0x27, 0x21, 0x7C: return 0.3  // , . : ; ' ! |
        case 0x25: return 0.9                               // %
        case 0x40: return 1.0                               // @
        case 0x21...0x7E: return 0.6                        // other ASCII punctuation
        case 0xA5: return 0.62                              // ¥
        case 0x0300...0x036F, 0x200B...0x200D, 0xFE00...0xFE0F: return 0  // combining, zero width
        case 0xC0...0x24F: return 0.7                       // accented Latin letters
        // Everything else — CJK, full-width forms, and the punctuation and symbols a Chinese font
        // draws full width (· “ ” ‘ ’ — … × ≤ ≥) — one em.
        default: return 1.0
        }
    }

    /// Width in px of `text` at `size` px; bold is a little wider.
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var em = 0.0
        for s in text.unicodeScalars { em += advance(s) }
        return em * size * (bold ? 1.05 : 1.0)
    }

    /// The text cut to fit `maxWidth`, with "…" when cut. Cuts between grapheme clusters only.
    static func ellipsized(_ text: String, size: Double, bold: Bool, maxWidth: Double) -> String {
        if width(text, size: size, bold: bold) <= maxWidth { return text }
        let ellipsis = "…"
        let budget = maxWidth - width(ellipsis, size: size, bold: bold)
        var out = ""
        var used = 0.0
        for ch in text {
            let w = width(String(ch), size: size, bold: bold)
            if used + w > budget { break }
            out.append(ch)
            used += w
        }
        while let last = out.last, last == " " || last == "，" || last == "、" || last == "," { out.removeLast() }
        return out + ellipsis
    }

    /// Characters that may not begin a line (closing punctuation).
    static let noLineStart: Set<Character> = ["，", "。", "、", "；", "：", "！", "？", "）", "》", "”", "’", "」", "』",
                                               ",", ".", ";", ":", "!", "?", ")", "%", "…"]

    /// Characters that may not end a line (opening punctuation).
    static let noLineEnd: Set<Character> = ["（", "《", "“", "‘", "「", "『", "(", "[", "【"]

    /// Like `wrap`, but with lines of even length: the narrowest width that still gives as few lines.
    static func balancedWrap(_ text: String, size: Double, bold: Bool, maxWidth: Double) -> [String] {
        let tokens = Tokens.of(text)
        let lines = wrap(tokens, size: size, bold: bold, maxWidth: maxWidth)
        guard lines.count > 1 else { return lines }
        var lo = maxWidth / Double(lines.count) * 0.9, hi = maxWidth
        var best = lines
        for _ in 0..<14 {
            let mid = (lo + hi) / 2
            let attempt = wrap(tokens, size: size, bold: bold, maxWidth: mid)
            if attempt.count <= lines.count { best = attempt; hi = mid } else { lo = mid }
        }
        return best
    }

    /// A text cut into the pieces a line may break between, with their widths in em: made once per text,
    /// since layout tries many sizes and widths for each (Character-wise tokenizing on every try was
    /// most of a sample-site build).
    struct Tokens {
        /// Each piece with the closing punctuation that must stay with it, and its width in em.
        var pieces: [(text: String, em: Double)] = []

        /// Layout measures the same few texts at many sizes: each is cut once per process.
        static func of(_ text: String) -> Tokens {
            if let hit = cache.lock.withLock({ cache.tokens[text] }) { return hit }
            let made = Tokens(text)
            cache.lock.withLock { cache.tokens[text] = made }
            return made
        }

        private final class Cache: @unchecked Sendable {
            let lock = Lock()
            var tokens: [String: Tokens] = [:]
        }
        private static let cache = Cache()

        init(_ text: String) {
            // Tokens: a run of Latin letters/digits stays whole; every other character is its own token.
            var tokens: [String] = []
            var word = ""
            for ch in text {
                if ch.isASCII && (ch.isLetter || ch.isNumber || ch == "." || ch == "," || ch == "%" || ch == "-") {
                    word.append(ch)
                } else {
                    if !word.isEmpty { tokens.append(word); word = "" }
                    tokens.append(String(ch))
                }
            }
            if !word.isEmpty { tokens.append(word) }
            // Opening punctuation stays with what follows it.
            var joined: [String] = []
            var pending = ""
            for t in tokens {
                if t.count == 1, let c = t.first, noLineEnd.contains(c) { pending += t; continue }
                joined.append(pending + t)
                pending = ""
            }
            if !pending.isEmpty { joined.append(pending) }
            // Closing punctuation stays with what precedes it.
            var i = 0
            while i < joined.count {
                var token = joined[i]
                var j = i
                while j + 1 < joined.count, joined[j + 1].count == 1, let first = joined[j + 1].first, noLineStart.contains(first) {
                    token += joined[j + 1]
                    j += 1
                }
                var em = 0.0
                for s in token.unicodeScalars { em += advance(s) }
                pieces.append((token, em))
                i = j + 1
            }
        }
    }

    /// Breaks `text` into lines no wider than `maxWidth`: between any two ideographs, at spaces in Latin
    /// text, never before closing punctuation. Returns every line (the caller decides how many it shows).
    static func wrap(_ text: String, size: Double, bold: Bool, maxWidth: Double) -> [String] {
        wrap(Tokens.of(text), size: size, bold: bold, maxWidth: maxWidth)
    }

    static func wrap(_ tokens: Tokens, size: Double, bold: Bool, maxWidth: Double) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0.0
        var i = 0
        let pieces = tokens.pieces
        while i < pieces.count {
            let (token, em) = pieces[i]
            let w = em * size * (bold ? 1.05 : 1.0)
            if line.isEmpty && token == " " { i += 1; continue }
            if lineWidth + w <= maxWidth {
                line += token; lineWidth += w
                i += 1
            } else if line.isEmpty {
                // A token wider than the whole line (a long number or URL): break it by characters.
                for ch in token {
                    let cw = width(String(ch), size: size, bold: bold)
                    if lineWidth + cw > maxWidth && !line.isEmpty { lines.append(line); line = ""; lineWidth = 0 }
                    line.append(ch); lineWidth += cw
                }
                i += 1
            } else {
                lines.append(trimTrailingSpace(line))
                line = ""; lineWidth = 0
                // The token goes on the new line (a space is dropped at the break).
                if token == " " { i += 1 }
            }
        }
        if !line.isEmpty { lines.append(trimTrailingSpace(line)) }
        return lines
    }

    /// Wrapped lines back into one text: the space dropped at a break between two Latin words returns.
    static func join(_ lines: ArraySlice<String>) -> String {
        var out = ""
        for line in lines {
            if let a = out.last, let b = line.first, a.isASCII && (a.isLetter || a.isNumber), b.isASCII && (b.isLetter || b.isNumber) {
                out += " "
            }
            out += line
        }
        return out
    }

    private static func trimTrailingSpace(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
