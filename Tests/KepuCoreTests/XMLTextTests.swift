import KepuCore
import XCTest

final class XMLTextTests: XCTestCase {
    func testEscapesTheFiveCharactersAndDropsWhatXMLForbids() {
        XCTAssertEqual(XMLText.escape("<script>alert(\"x\" & 'y')</script>"),
                       "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        XCTAssertEqual(XMLText.escape("a\u{1}b\u{0}c\tline\nnext\r"), "abc\tline\nnext\r")
        XCTAssertEqual(XMLText.escape("x\u{FFFE}y\u{FFFF}z"), "xyz")
    }

    func testLeavesOrdinaryTextAlone() {
        for text in ["", "科普日：主题活动，服务群众3200人次", "¥1,800.50", "\u{FFFD}", "ＡＢＣ"] {
            XCTAssertEqual(XMLText.escape(text), text)
        }
    }
}
