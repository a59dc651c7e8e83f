import KepuCore
import XCTest

/// The search index writes its strings as bytes; they must be the very literals the String escaper writes.
final class JSONEscapeTests: XCTestCase {
    func testBytesEscapeEqualsStringEscape() {
        let samples = [
            "", "科普日", "a\"b\\c", "line\nbreak\r\ttab", "</script><!--", "R&D", "\u{01}\u{1F}\u{7F}",
            "\u{2028}\u{2029}", "E2 alone: \u{2027}\u{2030}", "emoji 🎉 and 𠀀", "末尾\u{2028}",
        ]
        for s in samples {
            var bytes: [UInt8] = []
            JSON.escape(s, into: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), JSON.quoted(s), s)
        }
        var bytes: [UInt8] = []
        JSON.escape("<\u{2028}\"", into: &bytes)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "\"\\u003c\\u2028\\\"\"")
    }
}
