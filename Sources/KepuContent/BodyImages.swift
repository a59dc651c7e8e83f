import Foundation
import KepuCore

/// An image a report's body shows, `![说明](photo-2.jpg)`, with where it is written.
public struct BodyImage: Sendable, Equatable {
    public var name: String
    public var position: Position
}

/// Finds the images a Markdown body names, and image syntax Markdown would print as literal text:
/// a space in the file name, full-width `！` `【】` `（）` typed by a Chinese input method.
/// Why a scan and not cmark's tree: a broken image is exactly what cmark does not report, and a body
/// without `!` or `！` (nearly all of them) costs one byte search.
enum BodyImages {
    static func scan(_ body: String, firstLine: Int) -> (images: [BodyImage], broken: [(String, Position)]) {
        // memchr, not Sequence.contains: this runs over every body (1.7 % of a 10k build's CPU went to the latter).
        guard body.containsBytes("!") || body.containsBytes("！") else { return ([], []) }
        var images: [BodyImage] = []
        var broken: [(String, Position)] = []
        // Lines as bytes: most hold no image, and only those that may are read as characters (columns count them).
        var fence: UInt8 = 0
        for (n, bytes) in body.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let trimmed = bytes.drop { $0 == 0x20 }
            if fence != 0 {
                if trimmed.starts(with: [fence, fence, fence]) { fence = 0 }
                continue
            }
            if trimmed.starts(with: [0x60, 0x60, 0x60]) || trimmed.starts(with: [0x7E, 0x7E, 0x7E]) { fence = trimmed.first!; continue }
            if bytes.starts(with: [0x20, 0x20, 0x20, 0x20]) { continue }  // an indented code block
            guard mayHoldImage(bytes) else { continue }
            let chars = Array(Substring(bytes))
            var i = 0
            while i + 1 < chars.count {
                let bang = chars[i]
                guard (bang == "!" || bang == "！") && (chars[i + 1] == "[" || chars[i + 1] == "【") else { i += 1; continue }
                let position = Position(line: firstLine + n, column: i + 1)
                var j = i + 2
                while j < chars.count && chars[j] != "]" && chars[j] != "】" { j += 1 }
                guard j + 1 < chars.count, chars[j + 1] == "(" || chars[j + 1] == "（" else { i += 2; continue }
                var k = j + 2
                var depth = 0  // `![a](b(1).jpg)`: Markdown allows balanced parentheses in the target
                while k < chars.count && !((chars[k] == ")" && depth == 0) || chars[k] == "）") {
                    if chars[k] == "(" { depth += 1 } else if chars[k] == ")" { depth -= 1 }
                    k += 1
                }
                let written = String(chars[i..<min(k + 1, chars.count)])
                var target = String(chars[(j + 2)..<min(k, chars.count)]).trimmingSpaces
                let fullWidth = bang == "！" || chars[i + 1] == "【" || chars[j] == "】" || chars[j + 1] == "（"
                    || (k < chars.count && chars[k] == "）")
                // `![a](b.jpg "title")`: a title after the name is Markdown; any other space breaks the image.
                if let space = target.firstIndex(of: " ") {
                    let after = String(target[space...]).trimmingSpaces
                    if after.hasPrefix("\"") || after.hasPrefix("'") { target = String(target.prefix { $0 != " " }) }
                }
                if target.hasPrefix("<") && target.hasSuffix(">") { target = String(target.dropFirst().dropLast()) }
                // Full-width brackets are ordinary Chinese prose too (欢迎参加！【科普讲座】（免费）): only one whose
                // target names a file (it has an extension) is a broken image.
                let namesAFile = target.contains(".") || target.contains("．")
                if fullWidth && !namesAFile { i = k + 1; continue }
                if fullWidth || k >= chars.count || target.isEmpty || target.contains(" ") || target.contains("\u{3000}") {
                    broken.append((written, position))
                } else if !target.contains(":") {
                    // `https://…`, `javascript:…`, `data:…`: not a file of the report (links are cmark's business).
                    images.append(BodyImage(name: target, position: position))
                }
                i = k + 1
            }
        }
        return (images, broken)
    }

    /// `![`, `！[`, `!【` or `！【` somewhere in the line's bytes.
    static func mayHoldImage(_ line: Substring.UTF8View) -> Bool {
        var i = line.startIndex
        while let bang = line[i...].firstIndex(where: { $0 == 0x21 || $0 == 0xEF }) {
            var next = line.index(after: bang)
            if line[bang] == 0xEF {
                // ！ is EF BC 81.
                guard line[next...].starts(with: [0xBC, 0x81]) else { i = next; continue }
                next = line.index(next, offsetBy: 2)
            }
            let rest = line[next...]
            if rest.first == 0x5B || rest.starts(with: [0xE3, 0x80, 0x90]) { return true }  // [ or 【
            i = next
        }
        return false
    }

    /// Nothing but white space and HTML comments: the body `kepu new report` leaves to fill in.
    static func isUnwritten(_ body: String) -> Bool {
        var rest = Substring(body)
        var sawComment = false
        while true {
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\u{3000}" }
            if rest.isEmpty { return sawComment }
            guard rest.hasPrefix("<!--"), let end = rest.range(of: "-->") else { return false }
            sawComment = true
            rest = rest[end.upperBound...]
        }
    }
}
