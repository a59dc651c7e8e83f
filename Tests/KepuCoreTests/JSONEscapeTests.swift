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

    /// The layout of the open-data files, written as bytes: indentation per level, empty containers on one line,
    /// negative numbers, decimal text as given, keys escaped like strings.
    func testSerializedLayout() {
        let value = JSON.object([
            ("name", .string("科普<日>")), ("n", .int(-42)), ("rate", .number("98.29")), ("ok", .bool(true)), ("none", .null),
            ("empty", .array([])), ("nothing", .object([])),
            ("rows", .array([.int(1), .object([("k\"", .string("v"))]), .array([.bool(false)])])),
        ])
        XCTAssertEqual(value.serialized(), #"{"name":"科普\u003c日\u003e","n":-42,"rate":98.29,"ok":true,"none":null,"#
            + #""empty":[],"nothing":{},"rows":[1,{"k\"":"v"},[false]]}"#)
        XCTAssertEqual(value.serialized(indent: 2), """
            {
              "name": "科普\\u003c日\\u003e",
              "n": -42,
              "rate": 98.29,
              "ok": true,
              "none": null,
              "empty": [],
              "nothing": {},
              "rows": [
                1,
                {
                  "k\\"": "v"
                },
                [
                  false
                ]
              ]
            }
            """)
        XCTAssertEqual(value.bytes(indent: 2), Array(value.serialized(indent: 2).utf8))
    }
}
