/// A JSON value with ordered object keys, written by hand so output is byte-stable and numbers keep
/// their decimal form (a JSONEncoder on Double would print 98.29000000000001).
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number already formatted as decimal text ("98.29").
    case number(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public func serialized(indent: Int = 0) -> String {
        String(decoding: bytes(indent: indent), as: UTF8.self)
    }

    /// The serialized text as UTF-8 bytes. Written into bytes: into a String, scalar by scalar with a padding
    /// String made per value, the open-data JSON was a third of the data files' time.
    public func bytes(indent: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, level: 0, indent: indent)
        return out
    }

    private func write(into out: inout [UInt8], level: Int, indent: Int) {
        func newline() { if indent > 0 { out.append(0x0A) } }
        func pad(_ level: Int) { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level)) }
        switch self {
        case .null: out += "null".utf8
        case let .bool(b): out += (b ? "true" : "false").utf8
        case let .int(i): out.appendDecimal(Int64(i))
        case let .number(n): out += n.utf8
        case let .string(s): JSON.escape(s, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            newline()
            for (i, item) in items.enumerated() {
                pad(level + 1)
                item.write(into: &out, level: level + 1, indent: indent)
                if i + 1 < items.count { out.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(level)
            out.append(UInt8(ascii: "]"))
        case let .object(pairs):
            if pairs.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            newline()
            for (i, (key, value)) in pairs.enumerated() {
                pad(level + 1)
                JSON.escape(key, into: &out)
                out += (indent > 0 ? ": " : ":").utf8
                value.write(into: &out, level: level + 1, indent: indent)
                if i + 1 < pairs.count { out.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(level)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON (and so JavaScript) string literal of `s`, safe inside a script element.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        escape(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes quotes, backslashes and control characters; `<`, `>` and `&` too, so JSON dropped into an HTML page
    /// can never close a script element; U+2028 and U+2029, which end a line in JavaScript. Byte by byte: every
    /// character it changes is ASCII but those two (E2 80 A8 / A9).
    public static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case UInt8(ascii: "<"): out.append(contentsOf: "\\u003c".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "\\u003e".utf8)
                case UInt8(ascii: "&"): out.append(contentsOf: "\\u0026".utf8)
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    out.append(contentsOf: (bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    i += 2
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                default:
                    out.append(b)
                }
                i += 1
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// RFC 4180 CSV with a BOM so Excel opens Chinese correctly, and cells that a spreadsheet would run
/// as a formula (=, +, -, @ first) prefixed with an apostrophe.
public struct CSVWriter {
    /// Bytes, not a String: the open-data files are written on every build and every save under `kepu serve`
    /// (40,000 rows at 10k reports; joining Strings cell by cell took 60-110 ms of each).
    private var buffer: [UInt8] = [0xEF, 0xBB, 0xBF]
    private var atRowStart = true

    public init(header: [String]) { row(header) }

    public mutating func row(_ cells: [String]) {
        for cell in cells { add(cell) }
        endRow()
    }

    /// One cell of the current row; `endRow()` ends it.
    public mutating func add(_ cell: String) {
        if !atRowStart { buffer.append(0x2C) }
        atRowStart = false
        CSVWriter.append(cell, to: &buffer)
    }

    public mutating func endRow() {
        buffer.append(0x0D)
        buffer.append(0x0A)
        atRowStart = true
    }

    public var bytes: [UInt8] { buffer }

    public static func cell(_ raw: String) -> String {
        var out: [UInt8] = []
        append(raw, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The cell as RFC 4180 wants it: quoted when it holds a comma, quote or line break, each quote
    /// doubled; an apostrophe first when a spreadsheet would run it as a formula.
    static func append(_ raw: String, to out: inout [UInt8]) {
        guard let first = raw.utf8.first else { return }
        let formula: Bool
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), 0x09, 0x0D: formula = true
        // A negative number is data, not a formula; amounts here are never negative anyway.
        case UInt8(ascii: "-"): formula = Double(raw) == nil
        default: formula = false
        }
        var text = raw
        text.withUTF8 { utf8 in
            let quoted = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if quoted { out.append(0x22) }
            if formula { out.append(0x27) }
            if quoted {
                for byte in utf8 {
                    out.append(byte)
                    if byte == 0x22 { out.append(0x22) }
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: utf8)
            }
        }
    }
}
