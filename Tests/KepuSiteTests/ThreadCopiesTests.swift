import Foundation
@testable import KepuSite
import KepuTemplate
import XCTest

/// ThreadCopies hands each thread its own copy of what every page shows: equal to the value, in storage of its own,
/// made once per thread, and never a copy made for another build.
final class ThreadCopiesTests: XCTestCase {
    let long = String(repeating: "区科协科普工作常态化", count: 4)

    /// The address of a string's UTF-8 storage (a string of more than 15 bytes has storage of its own).
    static func storage(_ value: TemplateValue) -> Int {
        guard case .text(var s) = value else { return 0 }
        return s.withUTF8 { Int(bitPattern: $0.baseAddress) }
    }

    func testACopyIsEqualButNotShared() {
        let value: TemplateValue = .map(["title": .text(long), "nav": .list([.text(long), .flag(true)]), "short": .text("日期")])
        let copy = ThreadCopies.deepCopy(value)
        XCTAssertEqual(copy, value)
        guard case .map(let a) = value, case .map(let b) = copy else { return XCTFail("not a map") }
        XCTAssertNotEqual(Self.storage(a["title"]!), Self.storage(b["title"]!), "the copy's string shares the original's storage")
    }

    func testEachThreadMakesItsCopyOnce() {
        let copies = ThreadCopies()
        let made = Counter()
        let source: TemplateValue = .text(long)
        // Two threads ask three times each: one copy per thread, the same one each time, no two alike.
        // Both threads stay alive until both have looked: a thread's copies are freed when it ends, and the
        // next thread's could then be made at the same address.
        let seen = Counter()
        let done = DispatchSemaphore(value: 0), leave = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread {
                var addresses: Set<Int> = []
                for _ in 0..<3 {
                    let v = copies.value("x") { made.add(1); return source }
                    if v != source { seen.add(1_000) }
                    addresses.insert(ThreadCopiesTests.storage(v))
                }
                seen.record(addresses)
                done.signal()
                leave.wait()
            }.start()
        }
        done.wait()
        done.wait()
        leave.signal()
        leave.signal()
        XCTAssertEqual(made.value, 2)
        XCTAssertEqual(seen.value, 0, "a copy differed from its source")
        XCTAssertEqual(seen.sets.map(\.count), [1, 1], "a thread got more than one copy")
        XCTAssertEqual(Set(seen.sets.flatMap { $0 }).count, 2, "two threads share one copy")
        XCTAssertFalse(seen.sets.flatMap { $0 }.contains(ThreadCopiesTests.storage(source)), "a copy is the source's storage")
    }

    func testAnotherBuildNeverGetsThisBuildsCopy() {
        let first = ThreadCopies(), second = ThreadCopies()
        XCTAssertEqual(first.value("t") { .text("第一次") }, .text("第一次"))
        XCTAssertEqual(second.value("t") { .text("第二次") }, .text("第二次"))
        // And the first, asked again on this thread after the second took its place, makes its value anew.
        XCTAssertEqual(first.value("t") { .text("第一次，又一次") }, .text("第一次，又一次"))
    }
}

/// What the threads above report, from any thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var recorded: [Set<Int>] = []
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    func record(_ s: Set<Int>) { lock.lock(); recorded.append(s); lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    var sets: [Set<Int>] { lock.lock(); defer { lock.unlock() }; return recorded }
}
