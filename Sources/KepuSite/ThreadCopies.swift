import Foundation
import KepuTemplate
import Synchronization

/// Values every page reads (the UI strings, the site's title, the header and footer), copied once per thread.
/// A template retains each value it looks up and releases it after, and a page's table retains what it holds:
/// when both cores count references on the same strings and tables, every count moves a cache line from one
/// core to the other. At 100,000 reports the shared `t` table alone cost 3–4 % of the build's CPU.
final class ThreadCopies: Sendable {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<Copies>.fromOpaque(pointer).release() }
        }
        return key
    }()
    private static let builds = Atomic<Int>(0)

    /// One thread's copies, for one build (a thread of `kepu serve` outlives builds).
    private final class Copies {
        let build: Int
        var values: [String: TemplateValue] = [:]
        init(build: Int) { self.build = build }
    }

    /// A number no other instance had: a thread's copies from another build are never taken for this one's.
    private let build = ThreadCopies.builds.add(1, ordering: .relaxed).newValue

    init() {}

    /// This thread's copy of the value named `name`, made from `make()` the first time this thread asks.
    func value(_ name: String, _ make: () -> TemplateValue) -> TemplateValue {
        let copies = current
        if let kept = copies.values[name] { return kept }
        let copy = ThreadCopies.deepCopy(make())
        copies.values[name] = copy
        return copy
    }

    private var current: Copies {
        if let pointer = pthread_getspecific(ThreadCopies.key) {
            let copies = Unmanaged<Copies>.fromOpaque(pointer).takeUnretainedValue()
            if copies.build == build { return copies }
            Unmanaged<Copies>.fromOpaque(pointer).release()
        }
        let copies = Copies(build: build)
        pthread_setspecific(ThreadCopies.key, Unmanaged.passRetained(copies).toOpaque())
        return copies
    }

    /// The same value in storage of its own: every string and table made anew (a string of up to 15 bytes is
    /// held inline and has no storage to share).
    static func deepCopy(_ value: TemplateValue) -> TemplateValue {
        switch value {
        case .text(let s): return .text(String(decoding: Array(s.utf8), as: UTF8.self))
        case .utf8(let b): return .utf8(b.withUnsafeBufferPointer { Array($0) })
        case .flag, .shared: return value
        case .list(let l): return .list(l.map(deepCopy))
        case .map(let m): return .map(Dictionary(uniqueKeysWithValues: m.map { ($0.key, deepCopy($0.value)) }))
        }
    }
}
