import CRsvg

/// The only code that touches librsvg's and cairo's C pointers. Each is released in a `defer` beside
/// its allocation. Draws SVG text into PNG bytes of exactly the given size (RGB, no alpha: LED
/// controllers want opaque images).
enum Rasterizer {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private final class Collected {
        var bytes: [UInt8] = []
    }

    static func png(svg: String, width: Int, height: Int) throws(Failure) -> [UInt8] {
        let data = Array(svg.utf8)
        var error: UnsafeMutablePointer<GError>?
        // From a stream, to pass RSVG_HANDLE_FLAG_UNLIMITED: a photo as a data: URI is an attribute
        // of megabytes, beyond libxml2's default limit of 10 MB.
        let made = data.withUnsafeBufferPointer { buffer -> UnsafeMutablePointer<RsvgHandle>? in
            guard let stream = g_memory_input_stream_new_from_data(buffer.baseAddress, gssize(buffer.count), nil) else { return nil }
            defer { g_object_unref(UnsafeMutableRawPointer(stream)) }
            return rsvg_handle_new_from_stream_sync(stream, nil, RSVG_HANDLE_FLAG_UNLIMITED, nil, &error)
        }
        guard let handle = made else {
            defer { if error != nil { g_error_free(error) } }
            throw Failure(description: "librsvg cannot read the slide: " + message(error))
        }
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }

        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw Failure(description: "cairo cannot make a \(width)×\(height) surface")
        }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw Failure(description: "cairo cannot make a \(width)×\(height) surface")
        }
        guard let cr = cairo_create(surface) else { throw Failure(description: "cairo_create failed") }
        defer { cairo_destroy(cr) }

        var viewport = RsvgRectangle(x: 0, y: 0, width: Double(width), height: Double(height))
        if rsvg_handle_render_document(handle, cr, &viewport, &error) == 0 {
            defer { if error != nil { g_error_free(error) } }
            throw Failure(description: "librsvg cannot draw the slide: " + message(error))
        }
        cairo_surface_flush(surface)

        let collected = Collected()
        let context = Unmanaged.passUnretained(collected).toOpaque()
        let status = cairo_surface_write_to_png_stream(surface, { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let target = Unmanaged<Collected>.fromOpaque(closure).takeUnretainedValue()
            target.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, context)
        withExtendedLifetime(collected) {}
        guard status == CAIRO_STATUS_SUCCESS else {
            throw Failure(description: "cairo cannot write the PNG: " + String(cString: cairo_status_to_string(status)))
        }
        return collected.bytes
    }

    /// Decodes a PNG into 0xRRGGBB pixels, row by row (for checks: glyphs drawn, photos embedded).
    static func pixels(png: [UInt8]) throws(Failure) -> (width: Int, height: Int, pixels: [UInt32]) {
        final class Reader {
            let bytes: [UInt8]
            var offset = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        let reader = Reader(png)
        let made = cairo_image_surface_create_from_png_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let r = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
            let n = Int(length)
            guard r.offset + n <= r.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            r.bytes.withUnsafeBufferPointer { src in
                data.update(from: src.baseAddress! + r.offset, count: n)
            }
            r.offset += n
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(reader).toOpaque())
        withExtendedLifetime(reader) {}
        guard let surface = made else { throw Failure(description: "cairo cannot read the PNG") }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let base = cairo_image_surface_get_data(surface) else {
            throw Failure(description: "cairo cannot read the PNG")
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var out: [UInt32] = []
        out.reserveCapacity(width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { out.append(row[x] & 0xFFFFFF) }
        }
        return (width, height, out)
    }

    /// The librsvg version, part of the PNG cache key: a new librsvg may draw differently.
    static var version: String { "\(LIBRSVG_MAJOR_VERSION).\(LIBRSVG_MINOR_VERSION).\(LIBRSVG_MICRO_VERSION)" }

    private static func message(_ error: UnsafeMutablePointer<GError>?) -> String {
        guard let error, let text = error.pointee.message else { return "unknown error" }
        return String(cString: text)
    }
}
