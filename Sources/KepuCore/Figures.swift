/// How figures read, the same on the public site and the LED screen: one place, so a figure never
/// shows one way on a page and another on the screen.
public enum Figures {
    /// 12345 → "12,345".
    /// Written backwards into bytes on the stack: every list entry's people and money figures come here, and
    /// walking the digits as Characters was 1 % of a 10k build.
    public static func grouped(_ n: Int64) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var m = n.magnitude
            var at = buffer.count
            var digits = 0
            repeat {
                if digits > 0 && digits % 3 == 0 { at -= 1; buffer[at] = UInt8(ascii: ",") }
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: m % 10)
                m /= 10
                digits += 1
            } while m > 0
            if n < 0 { at -= 1; buffer[at] = UInt8(ascii: "-") }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[at...]), as: UTF8.self)
        }
    }

    public static func grouped(_ n: Int) -> String { grouped(Int64(n)) }

    /// ¥12,345.67, exact to the fen; `symbol: ""` for 12,345.67.
    public static func money(_ m: Money, symbol: String = "¥") -> String {
        let cents = m.fen.magnitude % 100
        return (m.fen < 0 ? "-" : "") + symbol + grouped(Int64(m.fen.magnitude / 100)) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// A count in 万 with at most two decimals, cut and never rounded up, so a figure never reads as
    /// a target reached when it is not: 10,530 → "1.05万", 19,999 → "1.99万", 20,000 → "2万".
    public static func wan(_ n: Int) -> String {
        Exact(units: n / 100, scale: 2).description + "万"
    }

    /// 2023年9月16日
    public static func zhDate(_ d: Day) -> String { "\(d.year)年\(d.month)月\(d.day)日" }
}

/// Percent-encoding of relative paths for href and url(): everything but unreserved characters and `/`.
public enum URLPath {
    public static func escape(_ s: String) -> String {
        func plain(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                return true
            default:
                return false
            }
        }
        // Every link on every page passes here: bytes in, bytes out, and most paths need nothing.
        if s.allBytes(plain) { return s }
        // A kind's or venue's Chinese name in every list entry's link: written straight into the new string.
        func hex(_ d: UInt8) -> UInt8 { d < 10 ? 48 + d : 55 + d }
        var source = s
        return source.withUTF8 { bytes in
            var count = 0
            for b in bytes { count += plain(b) ? 1 : 3 }
            return String(unsafeUninitializedCapacity: count) { out in
                var j = 0
                for b in bytes {
                    if plain(b) {
                        out[j] = b
                        j += 1
                    } else {
                        out[j] = UInt8(ascii: "%")
                        out[j + 1] = hex(b >> 4)
                        out[j + 2] = hex(b & 15)
                        j += 3
                    }
                }
                return j
            }
        }
    }
}
