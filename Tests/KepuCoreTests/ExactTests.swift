import XCTest
@testable import KepuCore

final class ExactTests: XCTestCase {
    func testParse() {
        XCTAssertEqual(Exact.parse("12.5").map { [$0.units, $0.scale] }, [125, 1])
        XCTAssertEqual(Exact.parse("90").map { [$0.units, $0.scale] }, [90, 0])
        XCTAssertEqual(Exact.parse("-3.25").map { [$0.units, $0.scale] }, [-325, 2])
        XCTAssertEqual(Exact.parse("0.05").map { [$0.units, $0.scale] }, [5, 2])
        for text in ["", "abc", "1,234", "1.", ".5", "1.2.3", "--1", "1e3", "85%", " 1"] {
            XCTAssertNil(Exact.parse(text), "\(text)")
        }
        XCTAssertEqual(Exact.parseDigits(Array("1,234.5".utf8), allowGrouping: true), Exact(units: 12_345, scale: 1))
        XCTAssertNil(Exact.parseDigits(Array("1,234.5".utf8)))
        XCTAssertNil(Exact.parseDigits(Array("99999999999999999999".utf8)))
    }

    func testCompareAcrossScales() {
        XCTAssertEqual(Exact(units: 850, scale: 1), Exact(85))
        XCTAssertEqual(Exact(units: 8_500, scale: 2), Exact(units: 85, scale: 0))
        XCTAssertNotEqual(Exact(units: 851, scale: 1), Exact(85))
        XCTAssertTrue(Exact(units: 855, scale: 1) < Exact(86))
        XCTAssertTrue(Exact(85) < Exact(units: 8_501, scale: 2))
        XCTAssertFalse(Exact(units: 900, scale: 1) < Exact(90))
        XCTAssertTrue(Exact(-1) < Exact(0))
        XCTAssertTrue(Exact(units: -15, scale: 1) < Exact(-1))
        XCTAssertEqual(Exact(units: 1, scale: -2), Exact(100))
        XCTAssertEqual([Exact(3), Exact(units: 15, scale: 1), Exact(units: 25, scale: 2)].sorted(),
                       [Exact(units: 25, scale: 2), Exact(units: 15, scale: 1), Exact(3)])
    }

    func testEqualValuesHashAlike() {
        let set: Set<Exact> = [Exact(85), Exact(units: 850, scale: 1), Exact(units: 8_500, scale: 2),
                               Exact(units: 100, scale: 0), Exact(units: 1, scale: -2), Exact(units: 10, scale: -1)]
        XCTAssertEqual(set.count, 2)
    }

    func testDescription() {
        XCTAssertEqual(Exact(units: 8_550, scale: 2).description, "85.5")
        XCTAssertEqual(Exact(units: 200, scale: 2).description, "2")
        XCTAssertEqual(Exact(units: 5, scale: 2).description, "0.05")
        XCTAssertEqual(Exact(units: -5, scale: 2).description, "-0.05")
        XCTAssertEqual(Exact(units: -1_250, scale: 3).description, "-1.25")
        XCTAssertEqual(Exact(units: 12, scale: -2).description, "1200")
        XCTAssertEqual(Exact(90).description, "90")
        XCTAssertEqual(Exact(0).description, "0")
        XCTAssertEqual(Exact.parse("12.50")?.description, "12.5")
    }

    func testApproximateIsForDrawingOnly() {
        XCTAssertEqual(Exact(units: 8_550, scale: 2).approximate, 85.5, accuracy: 1e-9)
        XCTAssertEqual(Exact(units: 3, scale: -2).approximate, 300, accuracy: 1e-9)
    }

    /// Comparing numbers whose scales are far apart must not overflow (it trapped for 17 decimals).
    func testComparisonAcrossVeryDifferentScales() throws {
        let tiny = try XCTUnwrap(Exact.parse("1.00000000000000000"))
        let many = try XCTUnwrap(Exact.parse("0.0000000000000000001"))
        XCTAssertFalse(Exact(100) < tiny)
        XCTAssertTrue(tiny < Exact(100))
        XCTAssertTrue(Exact(-100) < tiny)
        XCTAssertTrue(many < Exact(1))
        XCTAssertFalse(Exact(1) < many)
        XCTAssertNotEqual(Exact(100), tiny)
        XCTAssertEqual(Exact(1), tiny, "1 and 1.000… are the same number when both fit")
    }
}
