import CNative
import CRsvg
import CVips
import Foundation
import XCTest

/// CNative opens libvips and librsvg with dlopen and declares what it calls itself: the constants and
/// struct layouts it writes out must be the headers' own.
final class CNativeTests: XCTestCase {
    func constant(_ name: String) -> Int { kepu_native_constant(name) }

    func text(_ buffer: [CChar]) -> String { String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }

    func testConstantsMatchTheHeaders() {
        XCTAssertEqual(constant("VIPS_SIZE_DOWN"), Int(VIPS_SIZE_DOWN.rawValue))
        XCTAssertEqual(constant("VIPS_FORMAT_UCHAR"), Int(VIPS_FORMAT_UCHAR.rawValue))
        XCTAssertEqual(constant("VIPS_FORMAT_USHORT"), Int(VIPS_FORMAT_USHORT.rawValue))
        XCTAssertEqual(constant("G_LOG_LEVEL_WARNING"), Int(G_LOG_LEVEL_WARNING.rawValue))
        XCTAssertEqual(constant("G_LOG_LEVEL_MESSAGE"), Int(G_LOG_LEVEL_MESSAGE.rawValue))
        XCTAssertEqual(constant("G_LOG_LEVEL_INFO"), Int(G_LOG_LEVEL_INFO.rawValue))
        XCTAssertEqual(constant("RSVG_HANDLE_FLAG_UNLIMITED"), Int(RSVG_HANDLE_FLAG_UNLIMITED.rawValue))
        XCTAssertEqual(constant("CAIRO_FORMAT_RGB24"), Int(CAIRO_FORMAT_RGB24.rawValue))
        XCTAssertEqual(constant("CAIRO_STATUS_SUCCESS"), Int(CAIRO_STATUS_SUCCESS.rawValue))
        XCTAssertEqual(constant("CAIRO_STATUS_READ_ERROR"), Int(CAIRO_STATUS_READ_ERROR.rawValue))
        XCTAssertEqual(constant("CAIRO_STATUS_WRITE_ERROR"), Int(CAIRO_STATUS_WRITE_ERROR.rawValue))
        XCTAssertEqual(constant("sizeof(GError)"), MemoryLayout<GError>.size)
        XCTAssertEqual(constant("offsetof(GError, message)"), MemoryLayout<GError>.offset(of: \.message))
        XCTAssertEqual(constant("sizeof(RsvgRectangle)"), MemoryLayout<RsvgRectangle>.size)
        XCTAssertEqual(constant("no such constant"), -1)
    }

    func testVersionsAreTheLinkedLibraries() {
        XCTAssertEqual(String(cString: kepu_vips_version()), String(cString: vips_version_string()))
        XCTAssertEqual(String(cString: kepu_rsvg_version()), "\(LIBRSVG_MAJOR_VERSION).\(LIBRSVG_MINOR_VERSION).\(LIBRSVG_MICRO_VERSION)")
        // The cache keys name the installed files, found without loading them.
        XCTAssertTrue(String(cString: kepu_vips_identity()).contains("libvips.so.42"), String(cString: kepu_vips_identity()))
        XCTAssertTrue(String(cString: kepu_rsvg_identity()).contains("librsvg-2.so.2"), String(cString: kepu_rsvg_identity()))
    }

    func testSVGToPNGAndBack() throws {
        let svg = Array(##"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"><rect width="2" height="2" fill="#ff0000"/><rect x="2" width="2" height="2" fill="#0000ff"/></svg>"##.utf8)
        var png: UnsafeMutablePointer<UInt8>?
        var length = 0
        var error = [CChar](repeating: 0, count: 256)
        let status = svg.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { kepu_svg_png($0.baseAddress, $0.count, 4, 2, &png, &length, &error, error.count) }
        }
        XCTAssertEqual(status, 0, text(error))
        defer { free(png) }
        let bytes = Array(UnsafeBufferPointer(start: try XCTUnwrap(png), count: length))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG signature")
        var width: Int32 = 0, height: Int32 = 0
        var pixels: UnsafeMutablePointer<UInt32>?
        XCTAssertEqual(bytes.withUnsafeBufferPointer { kepu_png_pixels($0.baseAddress, $0.count, &width, &height, &pixels, &error, error.count) }, 0)
        defer { free(pixels) }
        XCTAssertEqual([width, height], [4, 2])
        let p = Array(UnsafeBufferPointer(start: try XCTUnwrap(pixels), count: 8))
        XCTAssertEqual(p, [0xFF0000, 0xFF0000, 0x0000FF, 0x0000FF, 0xFF0000, 0xFF0000, 0x0000FF, 0x0000FF])
        // A broken document is an error with librsvg's reason, not a crash.
        let bad = Array("<svg".utf8)
        var none: UnsafeMutablePointer<UInt8>?
        let failed = bad.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { kepu_svg_png($0.baseAddress, $0.count, 4, 2, &none, &length, &error, error.count) }
        }
        XCTAssertEqual(failed, -1)
        XCTAssertNil(none)
        XCTAssertTrue(text(error).hasPrefix("librsvg cannot read the slide"), text(error))
    }
}
