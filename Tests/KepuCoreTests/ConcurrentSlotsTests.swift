import KepuCore
import XCTest

final class ConcurrentSlotsTests: XCTestCase {
    /// The loader moves each decoded report out of its slot, validates it and puts it back: a take empties the slot,
    /// and the slot keeps no reference to what was taken.
    func testTakeMovesTheValueOutAndLeavesTheSlotEmpty() {
        final class Box { let n: Int; init(_ n: Int) { self.n = n } }
        let slots = ConcurrentSlots<Box>(count: 3)
        DispatchQueue.concurrentPerform(iterations: 3) { slots.set($0, Box($0 * 10)) }
        weak var watched: Box?
        do {
            let taken = slots.take(1)
            watched = taken
            XCTAssertEqual(taken?.n, 10)
            XCTAssertNil(slots.take(1), "a slot taken from is empty")
        }
        XCTAssertNil(watched, "the taken value is freed with its taker: the slot kept no reference")
        XCTAssertEqual(slots.read(0) { $0?.n }, 0)
        XCTAssertEqual(slots.read(2) { $0?.n }, 20)
        XCTAssertEqual(slots.read(1) { $0 == nil }, true)
        slots.set(1, Box(11))
        XCTAssertEqual(slots.values.map(\.n), [0, 11, 20])
    }
}
