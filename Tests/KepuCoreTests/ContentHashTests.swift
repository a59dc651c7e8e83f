import KepuCore
import XCTest

/// Known answers from an independent implementation (PyPI's xxhash 3.x: `xxhash.xxh64_hexdigest`,
/// `xxhash.xxh3_128_hexdigest`), so the vendored source and the Swift wrapper are both checked.
final class ContentHashTests: XCTestCase {
    let chinese = Array(String(repeating: "Kepu 科普", count: 10).utf8)   // 110 bytes: past every short-input path

    func testXXH64KnownAnswers() {
        func hex(_ v: UInt64) -> String { String(v, radix: 16) }
        XCTAssertEqual(hex(ContentHash.xxh64([UInt8]())), "ef46db3751d8e999")
        XCTAssertEqual(hex(ContentHash.xxh64("a")), "d24ec4f1a98c6e5b")
        XCTAssertEqual(hex(ContentHash.xxh64(Array("abc".utf8))), "44bc2cf5ad770999")
        XCTAssertEqual(hex(ContentHash.xxh64([UInt8](), seed: 7)), "95f0626f6f0a4409")
        XCTAssertEqual(hex(ContentHash.xxh64("abc", seed: 7)), "9e755206156676d7")
        XCTAssertEqual(ContentHash.xxh64(chinese), 0x0d60_6bbe_c77b_1a08)
        XCTAssertEqual(hex(ContentHash.xxh64(String(repeating: "x", count: 1000))), "4cb9a3b69cb700e1")
        // The photo cache's second seed: the keys made by the hand-written XXH64 before stay valid.
        XCTAssertEqual(hex(ContentHash.xxh64([UInt8](), seed: 0x4B65_7075_5068_6F74)), "8d566f166439dd5c")
    }

    func testXXH3With128BitsKnownAnswers() {
        XCTAssertEqual(ContentHash.hex128([]), "99aa06d3014798d86001c324468d497f")
        XCTAssertEqual(ContentHash.hex128(Array("a".utf8)), "a96faf705af16834e6c632b61e964e1f")
        XCTAssertEqual(ContentHash.hex128(Array("abc".utf8)), "06b05ab6733a618578af5f94892f3950")
        XCTAssertEqual(ContentHash.hex128(chinese), "95f22774329056b3780d8848534f13d1")
        XCTAssertEqual(ContentHash.hex128(Array(String(repeating: "x", count: 1000).utf8)), "50a1af5a5f2dcf01c0a4877b962cba82")
    }
}
