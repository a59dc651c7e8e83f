/// Where the render phase puts files: a staging folder during a build, memory in tests.
/// Paths are relative to the output root and use `/`.
public protocol OutputSink: Sendable {
    /// Writes bytes, creating folders as needed.
    func write(_ relativePath: String, _ bytes: [UInt8]) throws
    /// Copies a file from disk (static files, photos), creating folders as needed.
    func copyFile(from absolutePath: String, to relativePath: String) throws
    /// Declares that a file from the previous build stays as it is (a page not re-rendered this time),
    /// so an incremental sink does not remove it as stale.
    func keep(_ relativePath: String)
}

extension OutputSink {
    public func keep(_ relativePath: String) {}

    public func write(_ relativePath: String, text: String) throws {
        try write(relativePath, Array(text.utf8))
    }
}

/// An output kept in memory, for tests and for comparing builds.
public final class MemorySink: OutputSink, @unchecked Sendable {
    private var storage: [String: [UInt8]] = [:]
    private let lock = Lock()

    public init() {}

    public func write(_ relativePath: String, _ bytes: [UInt8]) throws {
        lock.withLock { storage[relativePath] = bytes }
    }

    public func copyFile(from absolutePath: String, to relativePath: String) throws {
        lock.withLock { storage[relativePath] = Array("copy of \(absolutePath)".utf8) }
    }

    public var files: [String: [UInt8]] { lock.withLock { storage } }

    public func text(_ path: String) -> String? {
        lock.withLock { storage[path].map { String(decoding: $0, as: UTF8.self) } }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one mutex every module uses; Foundation-free so the core stays light. The mutex lives at a
/// fixed address of its own: `&storedProperty` gives no stable address, which pthreads need.
/// A value behind a lock, usable from any thread.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = Lock()

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }
}

/// A mutex that spins briefly before it sleeps (glibc's adaptive kind): every lock here guards a few
/// instructions, and two threads writing pages met on them often enough that sleeping and waking through the
/// kernel was 1 % of a build.
public final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
