import Foundation
import KepuCore
import Synchronization

/// Reads report files ahead of the decoders when they are not in memory: the first build after the machine
/// started, or after the system let the files go. The decoders run one per core and each waits for its file
/// from the disk in turn (100k reports: reading and checking took 7.2 s cold against 2.0 s warm); with many reads
/// in flight the disk answers them together. While the files come from memory nothing is started: each decoder's
/// read asks for bytes in memory only first (`FileSystem.readBytes(_:fromDisk:)`), and only after a few files
/// had to come from the disk do the reading threads start. They keep the bytes nowhere; the decoders then find
/// the files in memory.
final class ReadAhead: Sendable {
    private let root: String
    private let files: [String]
    private let threads: Int
    /// The next file a reading thread takes.
    private let next = Mutex(0)
    /// About the furthest file a decoder has started (two decoders store in turn; the reading threads only
    /// need to keep ahead of it).
    private let reached = Atomic<Int>(0)
    /// The files whose reads last waited for the disk (at most `waitsToStart`).
    private let recentWaits = Mutex<[Int]>([])
    private let running = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchGroup()

    /// The reading threads start when `waitsToStart` files came from the disk within `waitsToStart × spanPerWait`
    /// files: a folder not in memory, not a few files the system let go here and there (seen: 169 of 100,000,
    /// when reading all again would have cost more than waiting for those). Cold, the first 32 take milliseconds.
    static let waitsToStart = 32
    static let spanPerWait = 8

    /// `files`: the files under `root` the decoders read, in the order they take them.
    init(root: String, files: [String], threads: Int = 16) {
        self.root = root
        self.files = files
        self.threads = threads
    }

    /// Whether the reading threads were started.
    var started: Bool { running.load(ordering: .relaxed) }

    /// A decoder starts reading file `index`: the reading threads keep ahead of it.
    func reading(_ index: Int) {
        if running.load(ordering: .relaxed) { reached.store(index, ordering: .relaxed) }
    }

    /// A decoder's read of file `index` waited for the disk.
    func waitedForDisk(at index: Int) {
        guard !running.load(ordering: .relaxed) else { return }
        let dense = recentWaits.withLock { recent -> Bool in
            recent.append(index)
            if recent.count > Self.waitsToStart { recent.removeFirst() }
            return recent.count == Self.waitsToStart && recent.max()! - recent.min()! < Self.waitsToStart * Self.spanPerWait
        }
        guard dense else { return }
        reached.store(index, ordering: .relaxed)
        start(threads)
        // For profiling by hand, as the site's timings.
        if getenv("KEPU_SITE_TIMING") != nil {
            FileHandle.standardError.write(Data("load: reading ahead from file \(index) of \(files.count)\n".utf8))
        }
    }

    /// Starts the reading threads (once, whoever asks).
    func start(_ count: Int) {
        guard running.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        for _ in 0 ..< count {
            finished.enter()
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while !stopped.load(ordering: .relaxed), let i = take() {
                    Self.readAndForget(root + "/" + files[i], &buffer)
                }
                finished.leave()
            }
        }
    }

    /// The next file not yet taken and not yet reached by a decoder; nil when none is left.
    private func take() -> Int? {
        let ahead = reached.load(ordering: .relaxed) + 1
        return next.withLock { next -> Int? in
            next = max(next, ahead)
            guard next < files.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// The decoders are done: the reading threads stop after the file each is reading.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
    }

    private static func readAndForget(_ path: String, _ buffer: inout [UInt8]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        buffer.withUnsafeMutableBytes { b in
            while true {
                let n = read(fd, b.baseAddress!, b.count)
                if n > 0 { continue }
                if n < 0 && errno == EINTR { continue }
                break
            }
        }
    }
}
