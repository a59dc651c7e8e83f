import Dispatch
import KepuCore
@testable import KepuSite
import XCTest

/// Report pages are written in chunks in date order; chunks worked on at once must be far apart, so two threads
/// do not make files in one year's folder together (each file made takes its folder's lock).
final class SpreadChunksTests: XCTestCase {
    func testTwoThreadsWorkFromBothEndsAndMeetInTheMiddle() {
        let spread = SpreadChunks(6)
        var order: [Int] = []
        // Thread A takes, then B; A finishes first, takes again; then B; and so on.
        var a = spread.take(), b = spread.take()
        order += [a, b]
        for _ in 0 ..< 2 {
            spread.done(a); a = spread.take(); order.append(a)
            spread.done(b); b = spread.take(); order.append(b)
        }
        XCTAssertEqual(order, [0, 5, 1, 4, 2, 3])
    }

    func testAloneItTakesTheLowestLeft() {
        let spread = SpreadChunks(4)
        var order: [Int] = []
        for _ in 0 ..< 4 { let c = spread.take(); order.append(c); spread.done(c) }
        XCTAssertEqual(order, [0, 1, 2, 3])
    }

    /// Four threads start about a quarter apart, never two neighbours.
    func testFourThreadsStartFarApart() {
        let spread = SpreadChunks(100)
        let first = (0 ..< 4).map { _ in spread.take() }
        XCTAssertEqual(first[0], 0)
        XCTAssertEqual(first[1], 99)
        XCTAssertEqual(first[2], 49, "the lowest of the two chunks farthest from both ends")
        XCTAssertEqual(first[3], 74, "25 from both 49 and 99 (24 or 25 would be 24 from one of 0 and 49)")
    }

    /// Under concurrentPerform every chunk is handed out exactly once.
    func testEveryChunkOnceFromManyThreads() {
        let count = 500
        let spread = SpreadChunks(count)
        let seen = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: count) { _ in
            let c = spread.take()
            seen.withLock { $0.append(c) }
            spread.done(c)
        }
        XCTAssertEqual(seen.withLock { $0.sorted() }, Array(0 ..< count))
    }
}
