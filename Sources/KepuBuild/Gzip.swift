import CZlib
import Foundation
import KepuCore

/// `kepu build --gzip`: a `.gz` beside every text file, for nginx's `gzip_static` (no compressing per request).
/// The only code that reaches zlib.
public enum Gzip {
    /// The file types written compressed as well; photos, PNGs and the video are compressed already.
    static let textExtensions: Set<String> = ["html", "css", "js", "xml", "json", "csv", "txt", "svg", "m3u"]

    static func isText(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return textExtensions.contains(String(path[path.index(after: dot)...]))
    }

    /// gzip bytes as `gzip -n -9` writes them: zlib's own header (no name, modification time 0, Unix), so the
    /// same input gives the same bytes on every build and machine.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip wrapper rather than zlib's.
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            fatalError("zlib: deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var source = input
        let written: Int = source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(dst.count)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "zlib: deflate did not finish (\(result))")
                return dst.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<written])
    }
}

/// Writes each text file and its `.gz`.
final class GzipSink: OutputSink, @unchecked Sendable {
    private let inner: OutputSink

    init(_ inner: OutputSink) { self.inner = inner }

    func write(_ relativePath: String, _ bytes: [UInt8]) throws {
        try inner.write(relativePath, bytes)
        if Gzip.isText(relativePath) { try inner.write(relativePath + ".gz", Gzip.compress(bytes)) }
    }

    func copyFile(from absolutePath: String, to relativePath: String) throws {
        try inner.copyFile(from: absolutePath, to: relativePath)
        if Gzip.isText(relativePath), let data = FileManager().contents(atPath: absolutePath) {
            try inner.write(relativePath + ".gz", Gzip.compress(Array(data)))
        }
    }

    func keep(_ relativePath: String) {
        inner.keep(relativePath)
        if Gzip.isText(relativePath) { inner.keep(relativePath + ".gz") }
    }
}
