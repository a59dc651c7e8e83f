import KepuCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One content file split into its front matter and body, with the line numbers needed to point
/// back into the file as the person sees it in their editor.
public struct SourceDocument: Sendable {
    /// Path relative to the site root, as diagnostics print it.
    public var path: String
    /// The YAML between the fences; BOM removed, CRLF turned into LF (line numbers unchanged).
    public var frontMatter: String
    /// The file line on which the front matter's first line stands (2 when the file starts with `---`).
    public var frontMatterLine: Int
    public var body: String
    public var bodyLine: Int

    public init(path: String, frontMatter: String, frontMatterLine: Int, body: String, bodyLine: Int) {
        self.path = path
        self.frontMatter = frontMatter
        self.frontMatterLine = frontMatterLine
        self.body = body
        self.bodyLine = bodyLine
    }
}

/// Turns the bytes of a content file into a `SourceDocument`, or the one diagnostic that says why not.
/// Works on bytes: at 10,000 files, Foundation's string splitting alone cost more than the whole budget.
public enum SourceSplitter {
    /// Front matter past this size is not a list of fields; refusing it keeps YAML parsing bounded.
    public static let frontMatterLimit = 64 * 1024

    public static func split(_ raw: [UInt8], path: String) -> Result<SourceDocument, Diagnostic> {
        func fail(_ line: Int, _ column: Int, _ problem: Problem) -> Result<SourceDocument, Diagnostic> {
            .failure(Diagnostic(.error, phase: .load, path: path, line: line, column: column, problem))
        }
        if raw.isEmpty { return fail(1, 1, .emptyFile) }
        if raw.count >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF)) {
            return fail(1, 1, .utf16)
        }
        // UTF-16 without a BOM: every other byte of the opening "---" is zero. Named as UTF-16, not as NUL bytes.
        if looksLikeBOMlessUTF16(raw) { return fail(1, 1, .utf16) }
        var start = 0
        if raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF { start = 3 }
        // Bad bytes come before every other problem. The whole file is checked here only when it has a NUL
        // or something else fails; otherwise making the two strings below checks it (the fences are
        // ASCII), which spares a third pass over every file.
        func badBytes() -> Result<SourceDocument, Diagnostic>? {
            guard let bad = firstInvalidUTF8(raw, from: start) else { return nil }
            let (line, column) = position(of: bad, in: raw, from: start)
            // A NUL is valid UTF-8, but a text file never has one; UTF-16 without a BOM is full of them.
            return fail(line, column, raw[bad] == 0 ? .nulByte : .notUTF8)
        }
        func failAfterBytes(_ line: Int, _ column: Int, _ problem: Problem) -> Result<SourceDocument, Diagnostic> {
            badBytes() ?? fail(line, column, problem)
        }
        let hasNUL = raw.withUnsafeBufferPointer { b in start < b.count && memchr(b.baseAddress! + start, 0, b.count - start) != nil }
        if hasNUL, let bad = badBytes() { return bad }
        // CRLF → LF. Removing the CR keeps every line number; columns count characters, not the CR.
        var bytes: [UInt8]
        if containsCR(raw, from: start) {
            bytes = []
            bytes.reserveCapacity(raw.count - start)
            var i = start
            while i < raw.count {
                let b = raw[i]
                if b == 0x0D && i + 1 < raw.count && raw[i + 1] == 0x0A { i += 1; continue }
                bytes.append(b)
                i += 1
            }
        } else {
            bytes = start == 0 ? raw : Array(raw[start...])
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }) { return failAfterBytes(1, 1, .emptyFile) }

        // The first line must be the fence.
        guard let firstEnd = lineEnd(bytes, from: 0), isFence(bytes, 0, firstEnd) else {
            return failAfterBytes(1, 1, .missingFrontMatter)
        }
        var lineStart = firstEnd + 1
        var lineNumber = 2
        while lineStart <= bytes.count {
            let end = lineEnd(bytes, from: lineStart) ?? bytes.count
            if isFence(bytes, lineStart, end) {
                let yamlBytes = bytes[(firstEnd + 1)..<lineStart]
                if yamlBytes.count > frontMatterLimit { return failAfterBytes(2, 1, .frontMatterTooLarge) }
                let bodyStart = min(end + 1, bytes.count)
                guard let frontMatter = String(validating: yamlBytes, as: UTF8.self),
                      let body = String(validating: bytes[bodyStart...], as: UTF8.self) else {
                    return badBytes() ?? fail(1, 1, .notUTF8)
                }
                return .success(SourceDocument(path: path, frontMatter: frontMatter, frontMatterLine: 2,
                                               body: body, bodyLine: lineNumber + 1))
            }
            if end >= bytes.count { break }
            lineStart = end + 1
            lineNumber += 1
        }
        return failAfterBytes(1, 1, .unterminatedFrontMatter)
    }

    /// Index of the `\n` ending the line that starts at `from`, or nil at the end of the bytes.
    /// memchr: a 5 MB front matter is scanned line by line, and this must stay fast even in debug builds.
    private static func lineEnd(_ bytes: [UInt8], from: Int) -> Int? {
        guard from < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int in
            let base = buffer.baseAddress!
            guard let hit = memchr(base + from, 0x0A, buffer.count - from) else { return buffer.count }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The first four code units of the file are ASCII in UTF-16 (LE or BE) with no BOM.
    static func looksLikeBOMlessUTF16(_ raw: [UInt8]) -> Bool {
        guard raw.count >= 8 else { return false }
        let le = (0..<4).allSatisfy { raw[2 * $0] != 0 && raw[2 * $0] < 0x80 && raw[2 * $0 + 1] == 0 }
        let be = (0..<4).allSatisfy { raw[2 * $0] == 0 && raw[2 * $0 + 1] != 0 && raw[2 * $0 + 1] < 0x80 }
        return le || be
    }

    /// `---` alone on its line (trailing spaces allowed, as editors leave them).
    private static func isFence(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 3, bytes[start] == 0x2D, bytes[start + 1] == 0x2D, bytes[start + 2] == 0x2D else { return false }
        var i = start + 3
        while i < end {
            if bytes[i] != 0x20 && bytes[i] != 0x09 { return false }
            i += 1
        }
        return true
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8], from start: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        var i = start
        while i < offset {
            let b = bytes[i]
            if b == 0x0A { line += 1; column = 1 }
            else if b & 0xC0 != 0x80 && b != 0x0D { column += 1 }
            i += 1
        }
        return (line, column)
    }

    /// Offset of the first byte that is not well-formed UTF-8, or a NUL; nil when all is well.
    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            // Fast path (the optimized standard library, even in debug builds): no NUL and valid UTF-8.
            let rest = UnsafeBufferPointer(rebasing: buffer[start...])
            if rest.isEmpty { return nil }
            if memchr(rest.baseAddress!, 0, rest.count) == nil && String(validating: rest, as: UTF8.self) != nil { return nil }
            return firstInvalidUTF8(buffer, from: start)
        }
    }

    /// Whether the bytes from `start` hold a carriage return.
    static func containsCR(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            start < buffer.count && memchr(buffer.baseAddress! + start, 0x0D, buffer.count - start) != nil
        }
    }

    private static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if c == 0 { return i }
                i += 1
                continue
            }
            var need = 0
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            if i + need >= n { return i }
            let second = b[i + 1]
            if second < lo || second > hi { return i }
            var k = 2
            while k <= need {
                let x = b[i + k]
                if x < 0x80 || x > 0xBF { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}
