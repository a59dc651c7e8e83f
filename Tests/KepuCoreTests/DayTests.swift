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
