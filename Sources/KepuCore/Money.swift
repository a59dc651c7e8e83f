/// An amount of money in fen (分), exact. Never a binary float: totals must equal their sums to the fen.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }
    public init(yuan: Int64) { self.fen = yuan * 100 }

    public static let zero = Money(fen: 0)

    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
    public static func += (a: inout Money, b: Money) { a.fen += b.fen }
    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }

    /// "1800.50": yuan with exactly two decimals, the form data files use.
    public var description: String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The amount as an exact decimal number of yuan.
    public var yuan: Exact { Exact(units: Int(fen), scale: 2) }

    public enum ParseError: Error, Equatable, Sendable {
        case notAnAmount
        case negative
        case tooManyDecimals
        case tooLarge
    }

    /// Parses every form staff write: `1800`, `1800.5`, `1,800.50`, `¥1,800.50`, `1800元`, `0.18万`, `2万元`.
    /// Works on UTF-8 bytes: it runs once per spend item, tens of thousands of times a build.
    public static func parse(_ text: String) throws(ParseError) -> Money {
        var bytes = Array(text.utf8)
        trimSpaces(&bytes)
        if bytes.isEmpty { throw .notAnAmount }
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes.removeFirst() }
        // Currency signs: ¥ (U+00A5, C2 A5) and the full-width ￥ (U+FFE5, EF BF A5).
        if bytes.starts(with: [0xC2, 0xA5]) { bytes.removeFirst(2) }
        else if bytes.starts(with: [0xEF, 0xBF, 0xA5]) { bytes.removeFirst(3) }
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes.removeFirst() }
        trimSpaces(&bytes)
        // Suffixes: 元 (E5 85 83), 万 (E4 B8 87), 万元.
        let yuanSign: [UInt8] = [0xE5, 0x85, 0x83]
        let wanSign: [UInt8] = [0xE4, 0xB8, 0x87]
        if bytes.count >= 3 && Array(bytes.suffix(3)) == yuanSign { bytes.removeLast(3) }
        var wan = false
        if bytes.count >= 3 && Array(bytes.suffix(3)) == wanSign { bytes.removeLast(3); wan = true }
        trimSpaces(&bytes)
        guard let number = Exact.parseDigits(bytes, allowGrouping: true) else {
            // Only digits, yet unreadable: more digits than an Int holds, which is "too large", not "not an amount".
            let digits = bytes.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            if digits > 18 && bytes.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                                                  || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ".") }) {
                throw .tooLarge
            }
            throw .notAnAmount
        }
        if negative && number.units != 0 { throw .negative }
        let scaled = wan ? Exact(units: number.units, scale: number.scale - 4) : number
        // Convert to fen: scale must become 2 without losing digits.
        var units = scaled.units
        var scale = scaled.scale
        while scale > 2 {
            if units % 10 != 0 { throw .tooManyDecimals }
            units /= 10
            scale -= 1
        }
        while scale < 2 {
            let (next, overflow) = units.multipliedReportingOverflow(by: 10)
            if overflow { throw .tooLarge }
            units = next
            scale += 1
        }
        // A trillion yuan is far beyond any district budget; refusing it keeps sums from overflowing.
        if units > 100_000_000_000_000 { throw .tooLarge }
        return Money(fen: Int64(units))
    }

    /// Spaces, tabs and full-width spaces (U+3000, from a Chinese input method) around an amount,
    /// as `trimmingSpaces` takes them off every other field.
    private static func trimSpaces(_ bytes: inout [UInt8]) {
        func fullWidthAt(_ i: Int) -> Bool { i >= 0 && i + 2 < bytes.count && bytes[i] == 0xE3 && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80 }
        while true {
            if let f = bytes.first, f == 0x20 || f == 0x09 { bytes.removeFirst(); continue }
            if fullWidthAt(0) { bytes.removeFirst(3); continue }
            break
        }
        while true {
            if let l = bytes.last, l == 0x20 || l == 0x09 { bytes.removeLast(); continue }
            if bytes.count >= 3 && fullWidthAt(bytes.count - 3) { bytes.removeLast(3); continue }
            break
        }
    }
}

/// An exact decimal number: `units × 10^-scale`. Used for target values, percentages and scores,
/// where Double would print 84.99999 and a wrong grade could follow.
public struct Exact: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var units: Int
    public var scale: Int

    public init(units: Int, scale: Int) {
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int) { self.init(units: integer, scale: 0) }

    /// Parses `123`, `12.5`, and with grouping `1,234.5`. Bytes only, no sign.
    /// Grouping commas must separate thousands: `1800,50` (a decimal comma) is not 180050.
    public static func parseDigits(_ bytes: [UInt8], allowGrouping: Bool = false) -> Exact? {
        var units = 0
        var scale = 0
        var seenDigit = false
        var seenPoint = false
        var seenComma = false
        var group = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (m, o1) = units.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                units = a
                seenDigit = true
                if seenPoint { scale += 1 } else { group += 1 }
            case UInt8(ascii: "."):
                if seenPoint || !seenDigit { return nil }
                if seenComma && group != 3 { return nil }
                seenPoint = true
            case UInt8(ascii: ","):
                if !allowGrouping || seenPoint || !seenDigit { return nil }
                if seenComma ? group != 3 : group > 3 { return nil }
                seenComma = true
                group = 0
            default:
                return nil
            }
        }
        if seenComma && !seenPoint && group != 3 { return nil }
        if !seenDigit || (seenPoint && scale == 0) { return nil }
        return Exact(units: units, scale: scale)
    }

    public static func parse(_ text: String) -> Exact? {
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes.removeFirst() }
        guard let value = parseDigits(bytes) else { return nil }
        return negative ? Exact(units: -value.units, scale: value.scale) : value
    }

    /// The value as a Double, for drawing only (bar widths), never for figures people read.
    public var approximate: Double {
        var d = Double(units)
        for _ in 0..<max(0, scale) { d /= 10 }
        for _ in 0..<max(0, -scale) { d *= 10 }
        return d
    }

    /// The value in hundredths (points on a form), or nil with more than two decimals or beyond any form.
    public var hundredths: Int? {
        guard scale <= 2, let u = scaledUp(to: 2), u.magnitude < 1_000_000_000 else { return nil }
        return u
    }

    /// Hundredths back to an exact value: 1250 → 12.5.
    public static func hundredths(_ n: Int) -> Exact { Exact(units: n, scale: 2) }

    /// `units` at the larger scale `target`, or nil when that does not fit in an Int: then its magnitude
    /// is beyond any Int, and so beyond the other side of a comparison (`share: 1.00000000000000000`
    /// once trapped on the multiplication).
    func scaledUp(to target: Int) -> Int? {
        var u = units
        for _ in scale..<max(scale, target) {
            let (next, overflow) = u.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            u = next
        }
        return u
    }

    public static func < (a: Exact, b: Exact) -> Bool {
        let s = max(a.scale, b.scale)
        switch (a.scaledUp(to: s), b.scaledUp(to: s)) {
        case let (x?, y?): return x < y
        case (nil, _): return a.units < 0
        case (_, nil): return b.units > 0
        }
    }

    public static func == (a: Exact, b: Exact) -> Bool {
        let s = max(a.scale, b.scale)
        guard let x = a.scaledUp(to: s), let y = b.scaledUp(to: s) else { return false }
        return x == y
    }

    public func hash(into hasher: inout Hasher) {
        var u = units
        var s = scale
        while s > 0 && u % 10 == 0 { u /= 10; s -= 1 }
        // 1 × 10² and 100 are equal, so they must hash alike.
        while s < 0 { u = u &* 10; s += 1 }
        hasher.combine(u)
        hasher.combine(s)
    }

    public var description: String {
        if scale <= 0 {
            var u = units
            for _ in 0..<(-scale) { u *= 10 }
            return String(u)
        }
        let sign = units < 0 ? "-" : ""
        let m = units.magnitude
        var p: UInt = 1
        for _ in 0..<scale { p *= 10 }
        var frac = String(m % p)
        while frac.count < scale { frac = "0" + frac }
        // Trim trailing zeros: 85.50 → 85.5, 2.00 → 2.
        while frac.hasSuffix("0") { frac.removeLast() }
        return frac.isEmpty ? "\(sign)\(m / p)" : "\(sign)\(m / p).\(frac)"
    }
}
