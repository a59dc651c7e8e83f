/// A submitted form: text fields (a name may repeat) and files. Read from `application/x-www-form-urlencoded`
/// or `multipart/form-data` bodies.
public struct FormData: Sendable {
    public var fields: [(String, String)] = []
    public var files: [(field: String, upload: Upload)] = []

    public init() {}

    public subscript(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }
    public func all(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }

    public static func parse(contentType: String?, body: [UInt8]) -> FormData? {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("multipart/form-data") {
            guard let b = boundary(contentType!) else { return nil }
            return multipart(body, boundary: b)
        }
        return urlEncoded(String(decoding: body, as: UTF8.self))
    }

    public static func urlEncoded(_ text: String) -> FormData {
        var form = FormData()
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = decode(String(kv[0])), v = kv.count > 1 ? decode(String(kv[1])) : ""
            form.fields.append((k, v))
        }
        return form
    }

    static func decode(_ s: String) -> String {
        var bytes: [UInt8] = []
        var u = Array(s.utf8)[...]
        while let c = u.first {
            u = u.dropFirst()
            if c == UInt8(ascii: "+") { bytes.append(0x20) }
            else if c == UInt8(ascii: "%"), u.count >= 2, let h = hex(u[u.startIndex]), let l = hex(u[u.startIndex + 1]) {
                bytes.append(h << 4 | l)
                u = u.dropFirst(2)
            } else { bytes.append(c) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x37
        case 0x61...0x66: return c - 0x57
        default: return nil
        }
    }

    static func boundary(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let p = part.trimmingSpaces
            if p.lowercased().hasPrefix("boundary=") {
                var b = String(p.dropFirst(9))
                if b.hasPrefix("\"") && b.hasSuffix("\"") && b.count >= 2 { b = String(b.dropFirst().dropLast()) }
                return b.isEmpty || b.utf8.count > 200 ? nil : b
            }
        }
        return nil
    }

    /// RFC 7578 parts: headers, a blank line, the content, then CRLF and the next delimiter.
    static func multipart(_ body: [UInt8], boundary: String) -> FormData? {
        var form = FormData()
        let delimiter = Array(("--" + boundary).utf8)
        let next = Array(("\r\n--" + boundary).utf8)
        guard var pos = find(delimiter, in: body, from: 0) else { return nil }
        pos += delimiter.count
        while pos + 1 < body.count {
            if body[pos] == UInt8(ascii: "-") && body[pos + 1] == UInt8(ascii: "-") { break }
            // CRLF after the delimiter.
            guard body[pos] == 0x0D, body[pos + 1] == 0x0A else { return nil }
            pos += 2
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: pos) else { return nil }
            let headers = String(decoding: body[pos..<headerEnd], as: UTF8.self)
            let start = headerEnd + 4
            guard let end = find(next, in: body, from: start) else { return nil }
            let content = Array(body[start..<end])
            var name: String?
            var filename: String?
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: String(line))
                filename = parameter("filename", in: String(line))
            }
            if let name {
                if let filename {
                    // An empty file input sends a part with no name and no bytes: nothing was chosen.
                    if !(filename.isEmpty && content.isEmpty) {
                        form.files.append((name, Upload(filename: filename, bytes: content)))
                    }
                } else {
                    form.fields.append((name, String(decoding: content, as: UTF8.self)))
                }
            }
            pos = end + next.count
        }
        return form
    }

    static func parameter(_ key: String, in line: String) -> String? {
        var rest = Substring(line)
        while let r = rest.range(of: key + "=\"") {
            let before = rest[..<r.lowerBound].last
            if before == nil || before == " " || before == ";" {
                let after = rest[r.upperBound...]
                guard let close = after.firstIndex(of: "\"") else { return nil }
                return String(after[..<close])
            }
            rest = rest[r.upperBound...]
        }
        return nil
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = hay.count - needle.count
        return hay.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count && h[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}
