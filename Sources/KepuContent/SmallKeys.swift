/// The keys of one YAML mapping: a handful in a report (`title`, `date`, `spend`…, an item's `item` and
/// `amount`), so a list compared with `==` beats hashing each key with SipHash (a tenth of loading a report, in
/// perf). A mapping with many keys (a generated file) switches to hashing, so nothing here turns quadratic.
struct SmallKeyMap<Value> {
    private var keys: [String] = []
    private var values: [Value] = []
    private var index: [String: Int]?
    private static var listLimit: Int { 16 }

    subscript(key: String) -> Value? {
        if let index { return index[key].map { values[$0] } }
        for i in keys.indices where keys[i] == key { return values[i] }
        return nil
    }

    /// Adds the key with its value unless it is there; true when it was added.
    @discardableResult
    mutating func addIfAbsent(_ key: String, _ value: Value) -> Bool {
        if self[key] != nil { return false }
        keys.append(key)
        values.append(value)
        if index != nil {
            index![key] = keys.count - 1
        } else if keys.count > Self.listLimit {
            index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices))
        }
        return true
    }
}

/// The keys of one mapping seen so far, to find one given twice (as SmallKeyMap, without values).
struct SeenKeys {
    private var keys = SmallKeyMap<Void>()

    /// False when the key was seen before.
    mutating func insert(_ key: String) -> Bool { keys.addIfAbsent(key, ()) }
}
