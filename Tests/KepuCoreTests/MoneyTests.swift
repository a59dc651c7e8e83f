import XCTest
@testable import KepuCore

final class MoneyTests: XCTestCase {
    private func fen(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Int64? {
        do {
            return try Money.parse(text).fen
        } catch {
            XCTFail("\(text) was rejected: \(error)", file: file, line: line)
            return nil
        }
    }

    private func rejection(_ text: String) -> Money.ParseError? {
        do {
            let m = try Money.parse(text)
            XCTFail("\(text) was accepted as \(m)")
            return nil
        } catch {
            return error
        }
    }

    /// A full-width space (U+3000) from a Chinese input method is trimmed like any other space.
    func testFullWidthSpacesAroundAnAmount() {
        XCTAssertEqual(fen("1800\u{3000}"), 180_000)
        XCTAssertEqual(fen("\u{3000}\u{3000}¥1,800.50 \u{3000}"), 180_050)
        XCTAssertEqual(rejection("18\u{3000}00"), rejection("18 00"), "inside an amount it is still an error")
    }

    func testEveryAcceptedFormIsExactToTheFen() {
        XCTAssertEqual(fen("1800"), 180_000)
        XCTAssertEqual(fen("1800.5"), 180_050)
        XCTAssertEqual(fen("1800.50"), 180_050)
        XCTAssertEqual(fen("1,800.50"), 180_050)
        XCTAssertEqual(fen("¥1,800.50"), 180_050)
        XCTAssertEqual(fen("￥1,800.50"), 180_050)
        XCTAssertEqual(fen("1800元"), 180_000)
        XCTAssertEqual(fen("0.18万"), 180_000)
        XCTAssertEqual(fen("2万元"), 2_000_000)
        XCTAssertEqual(fen("2万"), 2_000_000)
        XCTAssertEqual(fen("1,234,567.89"), 123_456_789)
        XCTAssertEqual(fen(" 1800 "), 180_000)
        XCTAssertEqual(fen("0"), 0)
        XCTAssertEqual(fen("0.01"), 1)
        XCTAssertEqual(fen("¥ 25.3元"), 2_530)
    }

    func testWanIsConvertedBeforeCountingDecimals() {
        // 0.123456万 = 1234.56 yuan: two decimals after conversion, accepted.
        XCTAssertEqual(fen("0.123456万"), 123_456)
        // 0.00001万 = 0.1 yuan.
        XCTAssertEqual(fen("0.00001万"), 10)
        XCTAssertEqual(fen("1.5万元"), 1_500_000)
        // 0.1234567万 = 1234.567 yuan and 0.0000001万 = 0.001 yuan: a part of a fen.
        XCTAssertEqual(rejection("0.1234567万"), .tooManyDecimals)
        XCTAssertEqual(rejection("0.0000001万"), .tooManyDecimals)
    }

    func testNegativeAmountsAreRejected() {
        XCTAssertEqual(rejection("-5"), .negative)
        XCTAssertEqual(rejection("-1,800.50"), .negative)
        XCTAssertEqual(rejection("¥-1800"), .negative)
        XCTAssertEqual(rejection("-0.18万"), .negative)
    }

    func testThreeDecimalsAreRejected() {
        XCTAssertEqual(rejection("1800.505"), .tooManyDecimals)
        XCTAssertEqual(rejection("0.001"), .tooManyDecimals)
        XCTAssertEqual(rejection("¥1,800.125元"), .tooManyDecimals)
    }

    func testTextThatIsNotAnAmountIsRejected() {
        for text in ["", "   ", "abc", "一千八百", "1.2.3", ".5", "5.", "1800块", "12元5", "1e3", "$1800",
                     "1800 50", "元", "万元", ",100", "1800,", "0x10"] {
            XCTAssertEqual(rejection(text), .notAnAmount, "\(text)")
        }
    }

    func testGroupingCommasMustSeparateThousands() {
        // A decimal comma (1800,50) or a typo must not silently become 180,050 yuan.
        XCTAssertEqual(rejection("1800,50"), .notAnAmount)
        XCTAssertEqual(rejection("1,80,0"), .notAnAmount)
        XCTAssertEqual(rejection("12,3456.00"), .notAnAmount)
        XCTAssertEqual(fen("12,345"), 1_234_500)
        XCTAssertEqual(fen("123,456,789"), 12_345_678_900)
    }

    func testAbsurdlyLargeAmountsAreRejected() {
        // A trillion yuan is the ceiling.
        XCTAssertEqual(fen("1000000000000"), 100_000_000_000_000)
        XCTAssertEqual(rejection("1000000000000.01"), .tooLarge)
        XCTAssertEqual(rejection("1000000000001"), .tooLarge)
        XCTAssertEqual(fen("100000000万"), 100_000_000_000_000)
        XCTAssertEqual(rejection("100000000.01万"), .tooLarge)
        // More digits than an Int holds is still "too large", not "not an amount".
        XCTAssertEqual(rejection("99999999999999999999999"), .tooLarge)
        XCTAssertEqual(rejection("99,999,999,999,999,999,999,999.00"), .tooLarge)
    }

    func testDescriptionHasExactlyTwoDecimals() {
        XCTAssertEqual(Money(fen: 180_050).description, "1800.50")
        XCTAssertEqual(Money(fen: 180_000).description, "1800.00")
        XCTAssertEqual(Money(fen: 5).description, "0.05")
        XCTAssertEqual(Money(fen: 0).description, "0.00")
        XCTAssertEqual(Money(fen: -150).description, "-1.50")
        XCTAssertEqual(Money(yuan: 20_000).description, "20000.00")
        XCTAssertEqual(Money.zero.description, "0.00")
    }

    func testArithmeticAndYuan() {
        var total = Money.zero
        for _ in 0..<10 { total += Money(fen: 10) }  // ten times 0.10: exactly 1.00
        XCTAssertEqual(total, Money(yuan: 1))
        XCTAssertEqual(Money(fen: 300) - Money(fen: 1), Money(fen: 299))
        XCTAssertEqual(Money(fen: 1) + Money(fen: 2), Money(fen: 3))
        XCTAssertTrue(Money(fen: 1) < Money(fen: 2))
        XCTAssertEqual(Money(fen: 180_050).yuan, Exact(units: 18_005, scale: 1))
        XCTAssertEqual(Money(fen: 180_050).yuan.description, "1800.5")
    }
}
