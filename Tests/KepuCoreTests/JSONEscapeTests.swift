import KepuCore
import XCTest

/// One JSON string escaper, in bytes (the search index, the open-data files, `kepu serve`'s status): every case it
/// changes and the neighbours it leaves alone, written out by hand.
final class JSONEscapeTests: XCTestCase {
    func testEscapesWhatJSONAndAScriptElementNeed() {
        let cases: [(String, String)] = [
            ("", #""""#),
            ("科普日", #""科普日""#),
            ("a\"b\\c", #""a\"b\\c""#),
            ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
            ("</script><!--", #""\u003c/script\u003e\u003c!--""#),
            ("R&D", #""R\u0026D""#),
            ("\u{01}\u{1F}\u{7F}", "\"\\u0001\\u001f\u{7F}\""),
            ("\u{2028}\u{2029}", #""\u2028\u2029""#),
            ("E2 alone: \u{2027}\u{2030}", "\"E2 alone: \u{2027}\u{2030}\""),
            ("emoji 🎉 and 𠀀", #""emoji 🎉 and 𠀀""#),
            ("末尾\u{2028}", #""末尾\u2028""#),
        ]
        for (text, expected) in cases {
            var bytes: [UInt8] = []
            JSON.escape(text, into: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected, text)
            XCTAssertEqual(JSON.quoted(text), expected, text)
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
