import CNative
import Glibc

/// The only code that asks for slides to be drawn: librsvg and cairo are called from CNative's plain C
/// functions (opened on first use, not linked). Draws SVG text into PNG bytes of exactly the given
/// size (RGB, no alpha: LED controllers want opaque images).
enum Rasterizer {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// With a `palette`, every pixel is then set to the nearest of its colours (0xRRGGBB).
    static func png(svg: String, width: Int, height: Int, palette: [UInt32]? = nil) throws(Failure) -> [UInt8] {
        var error = [CChar](repeating: 0, count: 512)
        var png: UnsafeMutablePointer<UInt8>?
        var length = 0
        let data = Array(svg.utf8)
        let colors = palette ?? []
        let status = data.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { text in
                colors.withUnsafeBufferPointer { p in
                    kepu_svg_png_palette(text.baseAddress, text.count, Int32(width), Int32(height), p.baseAddress, Int32(p.count),
                                         &png, &length, &error, error.count)
                }
            }
        }
        defer { free(png) }
        guard status == 0, let png else { throw Failure(description: text(error)) }
        return Array(UnsafeBufferPointer(start: png, count: length))
    }

    /// Decodes a PNG into 0xRRGGBB pixels, row by row (for checks: glyphs drawn, photos embedded).
    static func pixels(png: [UInt8]) throws(Failure) -> (width: Int, height: Int, pixels: [UInt32]) {
        var error = [CChar](repeating: 0, count: 512)
        var width: Int32 = 0, height: Int32 = 0
        var pixels: UnsafeMutablePointer<UInt32>?
        let status = png.withUnsafeBufferPointer {
            kepu_png_pixels($0.baseAddress, $0.count, &width, &height, &pixels, &error, error.count)
        }
        defer { free(pixels) }
        guard status == 0, let pixels else { throw Failure(description: text(error)) }
        return (Int(width), Int(height), Array(UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height))))
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The librsvg version in use.
    static var version: String { String(cString: kepu_rsvg_version()) }

    /// The installed librsvg file (path, size, time), read without loading it: part of the PNG cache key
    /// (a new librsvg may draw differently), so a build whose slides are all cached never opens it.
    static var identity: String { String(cString: kepu_rsvg_identity()) }
}
