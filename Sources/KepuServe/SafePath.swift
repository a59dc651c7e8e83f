import Foundation
import KepuContent

/// Maps a request path onto a file inside the served folder, or refuses. Only files that really lie inside
/// the root (after resolving symbolic links) are ever answered; everything doubtful is simply "not found".
public enum SafePath {
    public enum Resolution: Equatable, Sendable {
        /// A regular file inside the root: its real path.
        case file(String)
        /// A folder asked for without its trailing slash: redirect so relative links work.
        case addSlash
        case notFound
    }

    /// `rawPath` is the request target's path exactly as sent (still percent-encoded, no query).
    public static func resolve(_ rawPath: String, root: String) -> Resolution {
        guard let segments = segments(of: rawPath) else { return .notFound }
        guard let rootReal = realPath(root) else { return .notFound }
        let candidate = segments.isEmpty ? rootReal : rootReal + "/" + segments.joined(separator: "/")
        guard let real = realPath(candidate), isInside(real, rootReal) else { return .notFound }
        switch kind(real) {
        case .directory?:
            if !segments.isEmpty && !rawPath.hasSuffix("/") { return .addSlash }
            guard let index = realPath(real + "/index.html"), isInside(index, rootReal), kind(index) == .file else {
                return .notFound
            }
            return .file(index)
        case .file?:
            // `/page.html/` names a file as a folder: not found, like any static server.
            if rawPath.hasSuffix("/") { return .notFound }
            return .file(real)
        default:
            return .notFound
        }
    }

    /// The decoded path segments, or nil when the path is not something a page of the site could link to:
    /// not starting with `/`, encoded slashes or backslashes, NUL, bad percent-encoding, `.` or `..` segments,
    /// backslashes after decoding, or Kepu's own marker file.
    public static func segments(of rawPath: String) -> [String]? {
        guard rawPath.hasPrefix("/"), !rawPath.hasPrefix("//") else { return nil }
        let lower = rawPath.lowercased()
        for banned in ["%2f", "%5c", "%00", "\\"] where lower.contains(banned) { return nil }
        // Decode exactly once: `%252e%252e` stays the literal name `%2e%2e`, never `..`.
        guard let decoded = rawPath.removingPercentEncoding else { return nil }
        if decoded.contains("\0") || decoded.contains("\\") { return nil }
        if decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return nil }
        var out: [String] = []
        for part in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." || part == ".." { return nil }
            if part == ".kepu-output" { return nil }
            out.append(String(part))
        }
        return out
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    static func kind(_ path: String) -> FileSystem.Kind? { FileSystem.kind(of: path) }

    static func realPath(_ path: String) -> String? { FileSystem.realPath(path) }

    /// Content types by extension; UTF-8 for text, so Chinese shows right in every browser.
    public static func contentType(for path: String) -> String {
        let ext = path.split(separator: "/").last.flatMap { name -> Substring? in
            guard let dot = name.lastIndex(of: ".") else { return nil }
            return name[name.index(after: dot)...]
        }.map { $0.lowercased() } ?? ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "json": return "application/json; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "xml": return "application/xml; charset=utf-8"
        case "atom": return "application/atom+xml; charset=utf-8"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "m3u": return "audio/x-mpegurl; charset=utf-8"
        case "m3u8": return "application/vnd.apple.mpegurl"
        case "pdf": return "application/pdf"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "mp4": return "video/mp4"
        case "webmanifest": return "application/manifest+json"
        default: return "application/octet-stream"
        }
    }
}
