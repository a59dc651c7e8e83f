import KepuCore
import XCTest

final class XMLTextTests: XCTestCase {
    func testEscapesTheFiveCharactersAndDropsWhatXMLForbids() {
        XCTAssertEqual(XMLText.escape("<script>alert(\"x\" & 'y')</script>"),
                       "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        XCTAssertEqual(XMLText.escape("a\u{1}b\u{0}c\tline\nnext\r"), "abc\tline\nnext\r")
        XCTAssertEqual(XMLText.escape("x\u{FFFE}y\u{FFFF}z"), "xyz")
    }

    /// The scan reads eight bytes at a time: every character that needs escaping, and every near miss (0xEF of
    /// full-width punctuation, tab, the bytes beside each special one), at every offset from a word's start and
    /// at the very end, against the byte-by-byte rule written out here.
    func testEveryOffsetAgainstTheByteRule() {
        func reference(_ text: String) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                case "\u{FFFE}", "\u{FFFF}": break
                case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": break
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        let fillers = ["a", "科", "，", "\u{FFFD}", "\u{FF5E}", "%", "=", "?", "\u{1F}", " "]
        let specials = ["&", "<", ">", "\"", "'", "\u{0}", "\u{1}", "\u{1F}", "\t", "\n", "\r", "\u{FFFE}", "\u{FFFF}", "\u{FEFF}",
                        "\u{7F}", "(", "$", "!", "\u{FFEF}"]
        var cases = 0
        for filler in fillers {
            for special in specials {
                for before in 0..<17 {
                    for after in [0, 1, 7, 8, 9] {
                        let text = String(repeating: filler, count: before) + special + String(repeating: "b", count: after)
                        XCTAssertEqual(XMLText.escape(text), reference(text), "\(Array(text.utf8))")
                        var bytes: [UInt8] = Array("前".utf8)
                        XMLText.escape(text, into: &bytes)
                        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "前" + reference(text))
                        cases += 1
                    }
                }
            }
        }
        XCTAssertEqual(cases, fillers.count * specials.count * 17 * 5)
    }

    func testLeavesOrdinaryTextAlone() {
        for text in ["", "科普日：主题活动，服务群众3200人次", "¥1,800.50", "\u{FFFD}", "ＡＢＣ"] {
            XCTAssertEqual(XMLText.escape(text), text)
        }
    }

    func testGroupedDigitsAtEveryLength() {
        XCTAssertEqual(Figures.grouped(0), "0")
        XCTAssertEqual(Figures.grouped(7), "7")
        XCTAssertEqual(Figures.grouped(999), "999")
        XCTAssertEqual(Figures.grouped(1000), "1,000")
        XCTAssertEqual(Figures.grouped(-1234567), "-1,234,567")
        XCTAssertEqual(Figures.grouped(Int64.max), "9,223,372,036,854,775,807")
        XCTAssertEqual(Figures.grouped(Int64.min), "-9,223,372,036,854,775,808")
        XCTAssertEqual(Figures.money(Money(fen: -123456789)), "-¥1,234,567.89")
        // Commas every three digits from the right, written out the slow way.
        func reference(_ v: Int64) -> String {
            String(String(v).reversed().enumerated().map { $0 > 0 && $0 % 3 == 0 ? ",\($1)" : "\($1)" }.joined().reversed())
        }
        var n: Int64 = 1
        for _ in 0..<18 {
            for v in [n, n * 10 - 1, n + 7, n * 3 + 12] { XCTAssertEqual(Figures.grouped(v), reference(v), "\(v)") }
            n *= 10
        }
    }
}
