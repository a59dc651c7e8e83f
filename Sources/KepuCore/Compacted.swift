extension Array where Element: BitwiseCopyable {
    /// A copy holding exactly `count` elements. An array grown by appending keeps up to twice the room it
    /// uses, and the search index holds tens of megabytes of them at 100,000 reports at once.
    public func compacted() -> [Element] {
        guard capacity > count else { return self }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            withUnsafeBufferPointer { source in _ = buffer.initialize(fromContentsOf: source) }
            initialized = count
        }
    }
}
