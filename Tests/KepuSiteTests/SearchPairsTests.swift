import Foundation
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
                SiteBuild.searchPairs(htmlBytes: Array(html.utf8), 4, limit: limit, into: &fromHTML)
                SiteBuild.searchPairs(SiteBuild.plainText(html), 4, limit: limit, into: &fromText)
                XCTAssertEqual(fromHTML, fromText, "\(html.prefix(40)) limit \(limit)")
            }
        }
    }

    /// From the body's bytes, as the search index reads it, the pairs are those of the String made of them,
    /// malformed sequences included (each a U+FFFD, which is no letter and so ends a pair).
    func testPairsFromBytesEqualThePairsOfTheirString() {
        let bodies: [[UInt8]] = [
            Array("<p>科普日 AB&amp;C</p>科技周".utf8),
            Array("科".utf8) + [0xE6, 0x99] + Array("普日".utf8) + [0xFF, 0x41, 0x42, 0xC0, 0xAF] + Array("技术".utf8),
            [0xED, 0xA0, 0x80] + Array("ab".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("cd&lt;".utf8) + [0xE7],
            [],
        ]
        for bytes in bodies {
            for limit in [Int.max, 3, 7] {
                var fromBytes: [UInt64: UInt8] = [:]
                var fromString: [UInt64: UInt8] = [:]
                SiteBuild.searchPairs(htmlBytes: bytes, 4, limit: limit, into: &fromBytes)
                SiteBuild.searchPairs(htmlBytes: Array(String(decoding: bytes, as: UTF8.self).utf8), 4, limit: limit, into: &fromString)
                XCTAssertEqual(fromBytes, fromString, "\(bytes) limit \(limit)")
            }
        }
        var pairs: [UInt64: UInt8] = [:]
        SiteBuild.searchPairs(htmlBytes: Array("科".utf8) + [0xFF] + Array("普".utf8), 4, limit: .max, into: &pairs)
        XCTAssertTrue(pairs.isEmpty, "a malformed byte between two letters joined them: \(pairs)")
    }

    /// The term files are written as bytes: base 36 as `String(_:radix:)` writes it, and one file as search.js reads it.
    func testTermFilesAreWrittenAsTheScriptReadsThem() {
        for n in [0, 1, 35, 36, 37, 1295, 1296, 46655, 46656, 4_194_303, Int(Int32.max), Int.max] {
            var bytes: [UInt8] = []
            SiteBuild.appendBase36(n, to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(n, radix: 36))
        }
        func posting(_ a: Unicode.Scalar, _ b: Unicode.Scalar, doc: Int, mask: UInt64) -> UInt64 {
            (UInt64(a.value) << 21 | UInt64(b.value)) << 22 | UInt64(doc) << 3 | mask
        }
        // 科普 in reports 2 (title) and 40 (body); ab in report 7 (meta and body).
        let sorted = [posting("a", "b", doc: 7, mask: 3), posting("科", "普", doc: 2, mask: 4), posting("科", "普", doc: 40, mask: 1)].sorted()
        XCTAssertEqual(String(decoding: SiteBuild.termFile(5, sorted), as: UTF8.self),
                       "KepuSearch.terms(5,{\"ab\":\"\(String(8 << 3 | 3, radix: 36))\",\"科普\":\"\(String(3 << 3 | 4, radix: 36)),\(String(38 << 3 | 1, radix: 36))\"});\n")
        XCTAssertEqual(String(decoding: SiteBuild.termFile(0, []), as: UTF8.self), "KepuSearch.terms(0,{});\n")
    }

    /// The index kept in the cache reads back as written: files empty, small and larger than the reader's
    /// buffer, names with any bytes but a line break; a cut or padded file is not taken.
    func testTheCachedIndexReadsBackExactlyAndRefusesACutFile() throws {
        let folder = NSTemporaryDirectory() + "kepu-search-cache-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var files: [(String, [UInt8])] = [("search/idx-1/t/0.js", []), ("search/idx-1/t/1.js", Array("科普\n\n".utf8))]
        for i in 0..<40 {
            files.append(("search/idx-1/d/\(i).js", (0..<(i * 7_919 % 200_000)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }))
        }
        let file = folder + "/a.idx"
        SearchIndexCache.write(files, folder: "idx-1", to: file, in: folder)
        let back = try XCTUnwrap(SearchIndexCache.read(file))
        XCTAssertEqual(back.folder, "idx-1")
        XCTAssertEqual(back.files.map(\.0), files.map(\.0))
        XCTAssertEqual(back.files.map(\.1), files.map(\.1))

        let whole = try XCTUnwrap(FileManager.default.contents(atPath: file))
        try whole.dropLast(1).write(to: URL(fileURLWithPath: file))
        XCTAssertNil(SearchIndexCache.read(file), "a file cut short")
        try (whole + Data("x\n".utf8)).write(to: URL(fileURLWithPath: file))
        XCTAssertNil(SearchIndexCache.read(file), "a record cut short after the last one")
        XCTAssertNil(SearchIndexCache.read(folder + "/missing.idx"))
        // Writing again replaces the earlier index: only one .idx is kept.
        SearchIndexCache.write(files, folder: "idx-1", to: folder + "/b.idx", in: folder)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".idx") }, ["b.idx"])
    }
}
