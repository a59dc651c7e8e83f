/// A calendar day. A report dated 2023-05-20 is that day whatever the machine's time zone,
/// so no `Date` is involved anywhere.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public enum ParseError: Error, Equatable, Sendable {
        /// Not of the form YYYY-MM-DD.
        case malformed
        /// Well-formed but not in the calendar, like 2023-02-30.
        case impossible
    }

    /// Parses `2023-05-20`; month and day may have one digit (`2023-5-1`), the year needs four.
    public static func parse(_ text: String) throws(ParseError) -> Day {
        var parts: [Int] = []
        var digits = 0
        var current = 0
        var widths: [Int] = []
        for b in text.utf8 {
            if b >= 48 && b <= 57 {
                current = current * 10 + Int(b - 48)
                digits += 1
                if digits > 4 { throw .malformed }
            } else if b == UInt8(ascii: "-") {
                if digits == 0 { throw .malformed }
                parts.append(current); widths.append(digits)
                current = 0; digits = 0
            } else {
                throw .malformed
            }
        }
        if digits == 0 { throw .malformed }
        parts.append(current); widths.append(digits)
        guard parts.count == 3, widths[0] == 4, widths[1] <= 2, widths[2] <= 2 else { throw .malformed }
        guard let d = Day(year: parts[0], month: parts[1], day: parts[2]) else { throw .impossible }
        return d
    }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for spans and chart positions.
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(ordinal: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }

    /// "2023-05", the key of month groupings.
    public var monthKey: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)"
    }

    public static func lastDay(ofYear year: Int) -> Day { Day(year: year, month: 12, day: 31)! }
    public static func firstDay(ofYear year: Int) -> Day { Day(year: year, month: 1, day: 1)! }
}
