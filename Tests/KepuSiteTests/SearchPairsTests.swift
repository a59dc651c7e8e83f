@testable import KepuSite
import XCTest

/// The search index reads a body's pairs straight from its HTML; they must be exactly the pairs of the
/// body's plain text (tags as spaces, cmark's entities as their characters), limit included.
final class SearchPairsTests: XCTestCase {
    func testPairsFromHTMLEqualThePairsOfItsPlainText() {
        let bodies = [
            "<p>9月16日，全国科普日主场活动在斗南街道举行。</p>\n<h2>活动<em>内容</em></h2><p>AB&amp;C &lt;d&gt; &quot;e&quot; &#39;f&#39;</p>",
            "<p>R&amp;D 科普&amp;科技 a&b &nbsp;x &unknown; y&</p>",
            "<ul><li>一</li><li>二三</li></ul><p>tail&lt;</p>",
            "&amp;&lt;科普&gt;日&#39;",
            "<p>科普日</p>" + String(repeating: "科技周活动", count: 400),
            "",
        ]
        for html in bodies {
            for limit in [Int.max, 5, 12, 1000] {
                var fromHTML: [UInt64: UInt8] = [:]
                var fromText: [UInt64: UInt8] = [:]
                SiteBuild.searchPairs(html: html, 4, limit: limit, into: &fromHTML)
                SiteBuild.searchPairs(SiteBuild.plainText(html), 4, limit: limit, into: &fromText)
                XCTAssertEqual(fromHTML, fromText, "\(html.prefix(40)) limit \(limit)")
            }
        }
    }
}
