/// Fixed slots written from concurrent iterations, one slot per index, read after all are done.
public final class ConcurrentSlots<T>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T?>
    private let count: Int

    public init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Each index is written by exactly one iteration, so no two threads touch one slot.
    public func set(_ i: Int, _ value: consuming T) { base[i] = value }

    public var values: [T] { (0..<count).map { base[$0]! } }

    /// Moves a slot's value out (nil after), with no copy: its memory goes as soon as the taker is done with it.
    public func take(_ i: Int) -> T? {
        let value = (base + i).move()
        (base + i).initialize(to: nil)
        return value
    }

    /// Reads a slot in place, without copying its value out.
    public func read<R>(_ i: Int, _ body: (borrowing T?) -> R) -> R { body(base[i]) }
}
