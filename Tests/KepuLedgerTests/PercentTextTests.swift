import Foundation
import KepuContent
import KepuCore
@testable import KepuLedger
import XCTest

final class PercentTextTests: XCTestCase {
    /// The integer shortcut prints exactly what the Decimal arithmetic does: cut, never rounded up.
    func testPercentTextEqualsDecimalArithmetic() {
        for whole in 1...400 {
            for part in 0...whole {
                for places in [0, 1, 2] {
                    XCTAssertEqual(Score.percentText(part, of: whole, places: places),
                                   (Score.ratio(part, whole) * Score(100)).cut(places).fixed(places), "\(part)/\(whole) to \(places)")
                }
            }
        }
        XCTAssertEqual(Score.percentText(1, of: 16, places: 1), "6.2", "6.25 is cut, not rounded up")
        XCTAssertEqual(Score.percentText(1799, of: 2000, places: 2), "89.95")
        XCTAssertEqual(Score.percentText(17999, of: 20000, places: 2), "89.99", "89.995 % never reads as 90.00 %")
        XCTAssertEqual(Score.percentText(186, of: 200, places: 1), "93.0")
        XCTAssertEqual(Score.percentText(123_456_789, of: 987_654_321, places: 2), "12.49")
        XCTAssertEqual(Score.percentText(5, of: 0, places: 1), "0.0", "no one surveyed: zero, as the Decimal path")
    }
}
