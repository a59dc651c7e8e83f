#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text in GB18030 for single-colour controller software, through the C library's iconv
/// (glibc and macOS both carry GB18030). The only iconv pointers in Kepu.
enum Transcode {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func gb18030(_ text: String) throws(Failure) -> [UInt8] {
        try convert(Array(text.utf8), from: "UTF-8", to: "GB18030")
    }

    static func fromGB18030(_ bytes: [UInt8]) throws(Failure) -> String {
        String(decoding: try convert(bytes, from: "GB18030", to: "UTF-8"), as: UTF8.self)
    }

    static func convert(_ input: [UInt8], from: String, to: String) throws(Failure) -> [UInt8] {
        let cd = iconv_open(to, from)
        if cd == iconv_t(bitPattern: -1) { throw Failure(description: "iconv cannot convert \(from) to \(to)") }
        defer { iconv_close(cd) }
        var source = input
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let count = output.count
        let result: Int = source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(src.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = src.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 || inLeft != 0 { return -1 }
                return count - outLeft
            }
        }
        if result < 0 { throw Failure(description: "iconv cannot convert the text from \(from) to \(to)") }
        return Array(output[..<result])
    }
}

/// GB2312 (EUC-CN): what font-chip strip cards carry. A character is in it when iconv can write it as
/// GB2312, which is ASCII or two bytes 0xA1–0xFE each, the assigned ones only (the table's gaps fail).
enum GB2312 {
    static func contains(_ ch: Character) -> Bool {
        if ch.isASCII { return true }
        guard let bytes = try? Transcode.convert(Array(String(ch).utf8), from: "UTF-8", to: "GB2312") else { return false }
        return bytes.count == 2 && bytes.allSatisfy { (0xA1...0xFE).contains($0) }
    }
}
