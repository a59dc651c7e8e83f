/// The EXIF orientation of a JPEG (1–8; 1 when absent). Phones store photos sideways and say so here;
/// librsvg draws the stored pixels, so the slide's SVG turns the picture itself.
enum Orientation {
    static func of(_ bytes: [UInt8]) -> Int {
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return 1 }
        var i = 2
        while i + 4 <= bytes.count, bytes[i] == 0xFF {
            let marker = bytes[i + 1]
            if marker == 0xDA || marker == 0xD9 { break }  // image data: no more metadata
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 2, i + 2 + length <= bytes.count else { break }
            if marker == 0xE1, length >= 16, Array(bytes[(i + 4)..<(i + 10)]) == [0x45, 0x78, 0x69, 0x66, 0, 0] {
                return exif(Array(bytes[(i + 10)..<(i + 2 + length)])) ?? 1
            }
            i += 2 + length
        }
        return 1
    }

    private static func exif(_ tiff: [UInt8]) -> Int? {
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ o: Int) -> Int? {
            guard o >= 0, o + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[o]) | Int(tiff[o + 1]) << 8 : Int(tiff[o]) << 8 | Int(tiff[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard let a = u16(o), let b = u16(o + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        for n in 0..<min(count, 500) {
            let entry = ifd + 2 + n * 12
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112, let value = u16(entry + 8), (1...8).contains(value) { return value }
        }
        return nil
    }

    /// The SVG `<image>` box and transform that show a photo stored with `orientation` upright,
    /// covering the box (x, y, w, h).
    static func placement(_ orientation: Int, x: Double, y: Double, w: Double, h: Double)
        -> (x: Double, y: Double, w: Double, h: Double, transform: String?) {
        let cx = x + w / 2, cy = y + h / 2
        let swapped = (x: cx - h / 2, y: cy - w / 2, w: h, h: w)
        let n = Markup.n
        switch orientation {
        case 2: return (x, y, w, h, "matrix(-1 0 0 1 \(n(2 * cx)) 0)")
        case 3: return (x, y, w, h, "rotate(180 \(n(cx)) \(n(cy)))")
        case 4: return (x, y, w, h, "matrix(1 0 0 -1 0 \(n(2 * cy)))")
        case 5: return (swapped.x, swapped.y, swapped.w, swapped.h, "matrix(0 1 1 0 \(n(cx - cy)) \(n(cy - cx)))")
        case 6: return (swapped.x, swapped.y, swapped.w, swapped.h, "rotate(90 \(n(cx)) \(n(cy)))")
        case 7: return (swapped.x, swapped.y, swapped.w, swapped.h, "matrix(0 -1 -1 0 \(n(cx + cy)) \(n(cx + cy)))")
        case 8: return (swapped.x, swapped.y, swapped.w, swapped.h, "rotate(-90 \(n(cx)) \(n(cy)))")
        default: return (x, y, w, h, nil)
        }
    }
}
