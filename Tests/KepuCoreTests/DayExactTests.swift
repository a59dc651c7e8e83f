import XCTest
@testable import KepuCore

final class DayTests: XCTestCase {
    private func day(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Day? {
        do {
            return try Day.parse(text)
        } catch {
            XCTFail("\(text) was rejected: \(error)", file: file, line: line)
            return nil
        }
    }

    private func rejection(_ text: String) -> Day.ParseError? {
        do {
            let d = try Day.parse(text)
            XCTFail("\(text) was accepted as \(d)")
            return nil
        } catch {
            return error
        }
    }

    func testParsesFullAndShortForms() {
        XCTAssertEqual(day("2023-05-20"), Day(year: 2023, month: 5, day: 20))
        XCTAssertEqual(day("2023-5-1"), Day(year: 2023, month: 5, day: 1))
        XCTAssertEqual(day("2023-12-31"), Day(year: 2023, month: 12, day: 31))
        XCTAssertEqual(day("2023-05-20")?.description, "2023-05-20")
        XCTAssertEqual(day("2023-5-1")?.description, "2023-05-01")
        XCTAssertEqual(day("2023-5-1")?.monthKey, "2023-05")
        XCTAssertEqual(day("2023-11-9")?.monthKey, "2023-11")
    }

    func testLeapYears() {
        XCTAssertEqual(day("2024-02-29")?.day, 29)
        XCTAssertEqual(day("2000-02-29")?.day, 29)
        XCTAssertEqual(rejection("2023-02-29"), .impossible)
        XCTAssertEqual(rejection("1900-02-29"), .impossible)
        XCTAssertEqual(rejection("2100-02-29"), .impossible)
        XCTAssertTrue(Day.isLeap(2024))
        XCTAssertTrue(Day.isLeap(2000))
        XCTAssertFalse(Day.isLeap(1900))
        XCTAssertFalse(Day.isLeap(2023))
        XCTAssertEqual(Day.daysIn(month: 2, year: 2024), 29)
        XCTAssertEqual(Day.daysIn(month: 2, year: 2023), 28)
        XCTAssertEqual(Day.daysIn(month: 4, year: 2023), 30)
        XCTAssertEqual(Day.daysIn(month: 12, year: 2023), 31)
    }

    func testImpossibleDays() {
        XCTAssertEqual(rejection("2023-02-30"), .impossible)
        XCTAssertEqual(rejection("2023-04-31"), .impossible)
        XCTAssertEqual(rejection("2023-13-01"), .impossible)
        XCTAssertEqual(rejection("2023-00-10"), .impossible)
        XCTAssertEqual(rejection("2023-05-00"), .impossible)
        XCTAssertEqual(rejection("0000-01-01"), .impossible)
    }

    func testMalformedDays() {
        for text in ["23-5-1", "2023/05/20", "2023.05.20", "2023年5月20日", "2023-05-20x", "2023-05", "2023-05-20-1",
                     "", "2023--05", "-2023-05-20", "2023-005-20", "2023-05-020", "20230-01-01", "2023-05-20 ",
                     "２０２３-05-20", "May 20, 2023"] {
            XCTAssertEqual(rejection(text), .malformed, "\(text)")
        }
    }

    func testOrdinalIsDaysSinceTheEpoch() {
        XCTAssertEqual(Day(year: 1970, month: 1, day: 1)!.ordinal, 0)
        XCTAssertEqual(Day(year: 1969, month: 12, day: 31)!.ordinal, -1)
        XCTAssertEqual(Day(year: 2000, month: 3, day: 1)!.ordinal, 11_017)
        XCTAssertEqual(Day(year: 2023, month: 5, day: 20)!.ordinal, 19_497)
        XCTAssertEqual(Day(year: 1, month: 1, day: 1)!.ordinal, -719_162)
        XCTAssertEqual(Day(year: 9999, month: 12, day: 31)!.ordinal, 2_932_896)
        XCTAssertEqual(Day(ordinal: 19_497), Day(year: 2023, month: 5, day: 20))
    }

    func testOrdinalRoundTripsOverEveryDay() {
        var previous = Day(year: 1899, month: 12, day: 31)!
        for n in Day(year: 1900, month: 1, day: 1)!.ordinal...Day(year: 2100, month: 12, day: 31)!.ordinal {
            let d = Day(ordinal: n)
            XCTAssertEqual(d.ordinal, n)
            XCTAssertNotNil(Day(year: d.year, month: d.month, day: d.day))
            XCTAssertTrue(previous < d)
            XCTAssertEqual(previous.ordinal + 1, n)
            previous = d
            if d.ordinal != n { break }
        }
        XCTAssertEqual(previous, Day(year: 2100, month: 12, day: 31))
    }

    func testOrderAndYearBounds() {
        XCTAssertTrue(Day(year: 2023, month: 5, day: 20)! < Day(year: 2023, month: 5, day: 21)!)
        XCTAssertTrue(Day(year: 2023, month: 5, day: 31)! < Day(year: 2023, month: 6, day: 1)!)
        XCTAssertTrue(Day(year: 2022, month: 12, day: 31)! < Day(year: 2023, month: 1, day: 1)!)
        XCTAssertEqual(Day.firstDay(ofYear: 2023).description, "2023-01-01")
        XCTAssertEqual(Day.lastDay(ofYear: 2023).description, "2023-12-31")
        XCTAssertNil(Day(year: 10_000, month: 1, day: 1))
    }
}

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
