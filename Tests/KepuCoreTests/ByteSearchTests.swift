import KepuCore
import XCTest

final class ByteSearchTests: XCTestCase {
    func testContainsBytes() {
        XCTAssertTrue("<p><img src=x></p>".containsBytes("<img "))
        XCTAssertTrue("<img ".containsBytes("<img "), "the whole text")
        XCTAssertTrue("ab<im<img ".containsBytes("<img "), "after a false start, at the very end")
        XCTAssertFalse("<img".containsBytes("<img "), "longer than the text")
        XCTAssertFalse("".containsBytes("<img "))
        XCTAssertFalse("<IMG src=x>".containsBytes("<img "), "bytes, not case-folded")
        XCTAssertTrue("科普<img 图".containsBytes("<img "), "after and before multi-byte characters")
        XCTAssertTrue("anything".containsBytes(""), "the empty needle is everywhere")
        // Byte arrays answer as the text they hold.
        for text in ["<p><img src=x></p>", "<img ", "ab<im<img ", "<img", "", "<IMG src=x>", "科普<img 图"] {
            XCTAssertEqual(Array(text.utf8).containsBytes("<img "), text.containsBytes("<img "), text)
            XCTAssertEqual(Array(text.utf8).containsBytes(".md"), text.containsBytes(".md"), text)
        }
    }

    /// The same order as the generic UTF-8 comparison, on native and on bridged or sliced strings.
    func testPrecedesInBytesIsUTF8Order() {
        let words = ["", "a", "ab", "b", "B", "a/b", "a-b", "科普", "科", "科普日", "é", "e\u{301}", "Z", "z", "\u{0}", "reports/2023/05"]
        for a in words {
            for b in words {
                XCTAssertEqual(a.precedesInBytes(b), a.utf8.lexicographicallyPrecedes(b.utf8), "\(a.debugDescription) vs \(b.debugDescription)")
                let sliced = String(Substring("x" + a).dropFirst())
                XCTAssertEqual(sliced.precedesInBytes(b), a.utf8.lexicographicallyPrecedes(b.utf8))
            }
        }
    }

    func testCountOfByteAndAllBytes() {
        // Small strings (kept inline), long ones and bridged-looking ones: the same answers as the UTF8View.
        for text in ["", "/", "a/b", "reports/2023/05/index.html", String(repeating: "科/", count: 500) + "x",
                     "///" + String(repeating: "a", count: 40) + "/"] {
            XCTAssertEqual(text.countOfByte(UInt8(ascii: "/")), text.utf8.filter { $0 == UInt8(ascii: "/") }.count, text)
            XCTAssertEqual(text.allBytes { $0 < 0x80 }, text.utf8.allSatisfy { $0 < 0x80 }, text)
        }
        XCTAssertEqual(Substring("a/b/c").description.countOfByte(UInt8(ascii: "/")), 2)
    }

    func testDigitsAsStringWritesThem() {
        for n: Int64 in [0, 7, -7, 10, 99, 100, 1_234_567_890, .max, .min, -1] {
            var bytes: [UInt8] = []
            bytes.appendDecimal(n)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(n))
        }
        for n: UInt64 in [0, 9, 10, 255, 4096, 0xDEAD_BEEF, .max] {
            var decimal: [UInt8] = [], hex: [UInt8] = []
            decimal.appendDecimal(n)
            hex.appendHex(n)
            XCTAssertEqual(String(decoding: decimal, as: UTF8.self), String(n))
            XCTAssertEqual(String(decoding: hex, as: UTF8.self), String(n, radix: 16))
        }
    }

    /// The key sort gives exactly the byte order: strings sharing 32 bytes and more (ties go to the full
    /// comparison), one a prefix of another, NUL bytes (a key pads with zeros), Chinese, empty, duplicates.
    func testSortedByBytesIsByteOrder() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["reports/2023/01/2023-01-01-", "a", "b", "\u{0}", "科普", "z/", "/", ".md", "", "reports/", "0", "~"]
        for round in 0..<40 {
            var strings: [String] = []
            for _ in 0..<(round * 13 % 200) {
                var s = ""
                for _ in 0..<Int.random(in: 0...6, using: &rng) { s += pieces.randomElement(using: &rng)! }
                strings.append(s)
            }
            strings += strings.prefix(5)   // duplicates
            let expected = strings.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            XCTAssertEqual(strings.sortedByBytes(), expected, "round \(round)")
        }
        let long = String(repeating: "x", count: 40)
        XCTAssertEqual([long + "b", long + "a", long, "x", ""].sortedByBytes(), ["", "x", long, long + "a", long + "b"])
        XCTAssertEqual(["a\u{0}", "a", "a\u{0}\u{0}", "a\u{1}"].sortedByBytes(), ["a", "a\u{0}", "a\u{0}\u{0}", "a\u{1}"])
    }

    /// Texts Swift's `==` finds equal but whose bytes differ are not the same bytes.
    func testSameBytesIsNotCanonicalEquivalence() {
        XCTAssertTrue("\u{F900}" == "\u{8C48}")
        XCTAssertFalse("\u{F900}".sameBytes(as: "\u{8C48}"))
        XCTAssertFalse("Caf\u{E9}".sameBytes(as: "Cafe\u{301}"))
        XCTAssertTrue("呈贡区科技活动周 Café".sameBytes(as: String(decoding: Array("呈贡区科技活动周 Café".utf8), as: UTF8.self)))
        XCTAssertTrue("".sameBytes(as: ""))
        XCTAssertFalse("a".sameBytes(as: ""))
        XCTAssertFalse("abc".sameBytes(as: "abd"))
        let none: String? = nil, empty: String? = ""
        XCTAssertTrue(none.sameBytes(as: nil))
        XCTAssertFalse(none.sameBytes(as: empty))
        XCTAssertFalse(Optional("\u{F900}").sameBytes(as: "\u{8C48}"))
        XCTAssertTrue(Optional("豈").sameBytes(as: "豈"))
    }
}
