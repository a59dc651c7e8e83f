import Foundation
import KepuContent
import KepuCore

#if canImport(Glibc)
import Glibc
#endif

/// Tells the server that something under the watched folders changed. Two kinds: inotify (instant, local
/// disks) and polling (network shares and editors inotify misses).
public protocol ChangeWatcher: AnyObject, Sendable {
    /// Starts watching; `onChange` gets the changed paths (possibly several calls for one save).
    func start(onChange: @escaping @Sendable (ChangeBatch) -> Void) throws
    func stop()
}

/// Paths that changed, and whether every one of them was last seen finished: closed after writing, renamed
/// into place or removed. A write still open (created, modified) may go on; a finished one needs only a short wait.
public struct ChangeBatch: Sendable {
    public var paths: [String]
    public var settled: Bool

    public init(paths: [String], settled: Bool) {
        self.paths = paths
        self.settled = settled
    }
}

/// Editor droppings that are not content: vim swap files and its `4913` probe, emacs locks, backups.
func isEditorNoise(_ name: some StringProtocol) -> Bool {
    name.hasSuffix(".swp") || name.hasSuffix(".swx") || name.hasSuffix(".swo") || name.hasSuffix("~")
        || name.hasPrefix(".#") || name == "4913" || name.hasSuffix(".kate-swp") || name == ".DS_Store"
}

public struct WatchError: Error, CustomStringConvertible {
    public var description: String
}

/// Linux inotify, one watch per folder, added recursively and again for folders created later.
public final class InotifyWatcher: ChangeWatcher, @unchecked Sendable {
    private let roots: [String]
    private let lock = Lock()
    private var fd: Int32 = -1
    private var folders: [Int32: String] = [:]
    private var stopped = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    public init(roots: [String]) { self.roots = roots }

    public func start(onChange: @escaping @Sendable (ChangeBatch) -> Void) throws {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw WatchError(description: "inotify_init1: " + String(cString: strerror(errno))) }
        lock.withLock { self.fd = fd }
        for root in roots where !addTree(root) {
            let reason = String(cString: strerror(errno))
            lock.withLock { close(fd); self.fd = -1 }
            throw WatchError(description: "inotify_add_watch \(root): \(reason)")
        }
        let thread = Thread { [self] in
            self.loop(fd: fd, onChange: onChange)
            self.finished.signal()
        }
        thread.name = "kepu-inotify"
        self.thread = thread
        thread.start()
    }

    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            let running = !stopped && fd >= 0
            stopped = true
            return running
        }
        if wasRunning { finished.wait() }
        lock.withLock {
            if fd >= 0 { close(fd); fd = -1 }
        }
    }

    /// How many folders are watched (for tests).
    public var watchedFolders: Int { lock.withLock { folders.count } }

    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MODIFY) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM)
        | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_ATTRIB) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)

    /// Watches a folder and every folder below it. False when an existing folder could not be watched
    /// (too many watches: `fs.inotify.max_user_watches`); a folder that does not exist is not an error.
    @discardableResult
    private func addTree(_ folder: String) -> Bool {
        var st = stat()
        guard stat(folder, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return true }
        let wd = lock.withLock { () -> Int32 in
            guard fd >= 0 else { return -1 }
            return inotify_add_watch(fd, folder, InotifyWatcher.mask | UInt32(IN_ONLYDIR))
        }
        guard wd >= 0 else { return false }
        lock.withLock { folders[wd] = folder }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return true }
        var ok = true
        for name in names.sorted() {
            let child = folder + "/" + name
            var cst = stat()
            if lstat(child, &cst) == 0, cst.st_mode & S_IFMT == S_IFDIR { ok = addTree(child) && ok }
        }
        return ok
    }

    private func loop(fd: Int32, onChange: @escaping @Sendable (ChangeBatch) -> Void) {
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while !lock.withLock({ stopped }) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 200)
            if ready <= 0 { continue }
            var changed: [String] = []
            // Per path, whether its last event finished a write (see ChangeBatch).
            var finished: [String: Bool] = [:]
            while true {
                let n = read(fd, buffer, size)
                if n <= 0 { break }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= n {
                    let event = (buffer + offset).loadUnaligned(as: inotify_event.self)
                    let nameStart = buffer + offset + MemoryLayout<inotify_event>.size
                    let name = event.len > 0
                        ? String(cString: nameStart.assumingMemoryBound(to: CChar.self)) : ""
                    offset += MemoryLayout<inotify_event>.size + Int(event.len)
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        changed.append("(inotify overflow)")
                        finished["(inotify overflow)"] = false
                        continue
                    }
                    if event.mask & UInt32(IN_IGNORED) != 0 {
                        _ = lock.withLock { folders.removeValue(forKey: event.wd) }
                        continue
                    }
                    guard let folder = lock.withLock({ folders[event.wd] }) else { continue }
                    let path = name.isEmpty ? folder : folder + "/" + name
                    if event.mask & UInt32(IN_ISDIR) != 0 && event.mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0 {
                        // A new folder (a report bundle, a new month): watch it and whatever is already in it.
                        addTree(path)
                    }
                    if !name.isEmpty && isEditorNoise(name) { continue }
                    changed.append(path)
                    let open = UInt32(IN_MODIFY) | UInt32(IN_CREATE)
                    finished[path] = event.mask & open == 0 || event.mask & UInt32(IN_ISDIR) != 0
                }
            }
            if !changed.isEmpty { onChange(ChangeBatch(paths: changed, settled: finished.values.allSatisfy { $0 })) }
        }
    }
}

/// Compares the size, modification time and inode of every file under the roots every `interval` — the files the
/// loader reads (`FileSystem.listFiles`: hidden files such as editors' swap files are not among them).
public final class PollingWatcher: ChangeWatcher, @unchecked Sendable {
    private let roots: [String]
    private let interval: Int
    private let lock = Lock()
    private var stopped = false
    private var running = false
    private let finished = DispatchSemaphore(value: 0)

    /// `milliseconds` between scans (at least 50).
    public init(roots: [String], milliseconds: Int) {
        self.roots = roots
        self.interval = max(50, milliseconds)
    }

    public func start(onChange: @escaping @Sendable (ChangeBatch) -> Void) throws {
        let first = snapshot()
        lock.withLock { running = true }
        let thread = Thread { [self] in
            var previous = first
            while !self.lock.withLock({ self.stopped }) {
                usleep(useconds_t(self.interval * 1000))
                if self.lock.withLock({ self.stopped }) { break }
                let current = self.snapshot()
                var changed: [String] = []
                for (path, stamp) in current where previous[path] != stamp { changed.append(path) }
                for path in previous.keys where current[path] == nil { changed.append(path) }
                previous = current
                // A scan cannot tell a finished write from one under way.
                if !changed.isEmpty { onChange(ChangeBatch(paths: changed.sorted(), settled: false)) }
            }
            self.finished.signal()
        }
        thread.name = "kepu-poll"
        thread.start()
    }

    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            let r = running && !stopped
            stopped = true
            return r
        }
        if wasRunning { finished.wait() }
    }

    func snapshot() -> [String: FileStamp] {
        var out: [String: FileStamp] = [:]
        for root in roots {
            for file in FileSystem.listFiles(under: root) {
                let path = root + "/" + file
                if let stamp = FileSystem.stamp(path) { out[path] = stamp }
            }
        }
        return out
    }
}
