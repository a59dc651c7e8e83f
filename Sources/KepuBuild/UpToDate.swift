import Foundation
import KepuContent
import KepuCore
import KepuLED

#if canImport(Glibc)
import Glibc
#endif

/// `kepu build` run again with nothing changed: as make judges it, by stamps. When every file under
/// content/ and the theme, the options, the build date and the kepu executable are as they were at the
/// last successful build into this output, and the output still holds exactly what that build wrote (each
/// file's stamp as in the output's manifest, no file added or removed), the build would write the same
/// bytes: it stops there, and prints that build's warnings and counts again.
///
/// Anything in doubt means a full build: a symbolic link in content/ or the theme (its target's changes are
/// not seen), a file changed within the last second before the build began (a save in the same clock tick
/// as the build's read could keep its stamp: git's "racily clean"), a staging folder left by an
/// interrupted build, a missing manifest. Not in the key: fonts and C libraries of the system;
/// `--rebuild` builds everything after those change.
enum UpToDate {
    static let format = "kepu-up-to-date-1"

    /// What a build reads, fingerprinted before it reads anything; nil when no build may be skipped.
    struct Inputs: Equatable {
        var key: UInt64
        /// The newest status change seen, and when the fingerprint was taken: nanoseconds since 1970.
        var newestChange: Int64
        var takenAt: Int64

        /// Nothing changed within the second before the fingerprint: a save in the same clock tick as
        /// the build's read of that file would keep its stamp, and the next build would miss it.
        var isSettled: Bool { newestChange < takenAt - 1_000_000_000 }
    }

    /// The last successful build, as remembered in the cache folder.
    struct Remembered {
        var inputs: UInt64
        var output: UInt64
        var counts: [Int]
        var language: Language
        var diagnostics: String
    }

    static func stampPath(_ options: BuildOptions) -> String {
        options.cacheDirectory + "/output/" + Manifest.prefix(OutputFolder(path: options.outputDirectory).path) + "last-build.txt"
    }

    // MARK: - The inputs

    /// The wall clock in nanoseconds since 1970, as file times are kept.
    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) &* 1_000_000_000 &+ Int64(t.tv_nsec)
    }

    /// Whether a build could be skipped at all: a build remembered, and an output folder there. When not,
    /// the fingerprint is only needed at the end, and is taken beside the load (see `Fingerprinting`).
    static func mayBeUnchanged(_ options: BuildOptions) -> Bool {
        FileSystem.kind(of: stampPath(options)) == .file && FileSystem.kind(of: options.outputDirectory, followLinks: false) == .directory
    }

    /// `takenAt` must be a time before the build reads any input: a file whose stamp the walk sees newer
    /// than a second before it is not trusted, whatever the order of walk and load.
    static func inputs(_ options: BuildOptions, takenAt: Int64) -> Inputs? {
        var tree = TreeFingerprint()
        guard tree.add(options.contentDirectory, tag: 1), tree.add(options.themeDirectory, tag: 2) else { return nil }
        var text = "\(format)\n\(FileManager.default.currentDirectoryPath)\n"
        text += "\(options.contentDirectory)\n\(options.themeDirectory)\n\(options.outputDirectory)\n\(options.cacheDirectory)\n"
        text += "\(options.now)\n\(options.includeDrafts)\n\(options.baseURL ?? "-")\n\(options.gzip)\n\(options.ledVideo)\n"
        // Whether a loop.mp4 is made depends on ffmpeg being there, and its bytes on which ffmpeg.
        if options.ledVideo != .off { text += (LEDVideo.ffmpeg().flatMap(describe) ?? "no ffmpeg") + "\n" }
        // A new kepu may write other bytes from the same content.
        text += (describe("/proc/self/exe") ?? "?") + "\n"
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { text += name + "=" + (getenv(name).map { String(cString: $0) } ?? "") + "\n" }
        text += "\(tree.count) \(tree.sum) \(tree.xor)\n"
        return Inputs(key: ContentHash.xxh64(text), newestChange: tree.newestChange, takenAt: takenAt)
    }

    /// The fingerprint taken on a thread of its own while the build loads, for when no build can be
    /// skipped (a first build, an empty output): it costs that build nothing on its critical path.
    final class Fingerprinting: @unchecked Sendable {
        private var result: Inputs?
        private let done = DispatchSemaphore(value: 0)

        init(_ options: BuildOptions, takenAt: Int64) {
            Thread { [self] in
                result = UpToDate.inputs(options, takenAt: takenAt)
                done.signal()
            }.start()
        }

        var inputs: Inputs? {
            done.wait()
            done.signal()
            return result
        }
    }

    private static func describe(_ path: String) -> String? {
        FileSystem.stamp(path).map { "\(path) \($0.size) \($0.seconds).\($0.nanoseconds) \($0.inode) \($0.changed)" }
    }

    /// Every entry under a folder, in no particular order: a sum and an exclusive or of each entry's hash
    /// (path, type, size, times, inode), so readdir's order does not matter.
    struct TreeFingerprint {
        var count = 0
        var sum: UInt64 = 0
        var xor: UInt64 = 0
        var newestChange: Int64 = 0

        /// False when the folder is missing or holds a symbolic link.
        mutating func add(_ root: String, tag: UInt8) -> Bool {
            let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return false }
            return walk(fd, prefix: [tag, 0x2F])
        }

        /// Takes ownership of `fd`.
        private mutating func walk(_ fd: Int32, prefix: [UInt8]) -> Bool {
            guard let dir = fdopendir(fd) else { close(fd); return false }
            defer { closedir(dir) }
            var entry: [UInt8] = []
            while let e = readdir(dir) {
                let nameLength = withUnsafeBytes(of: e.pointee.d_name) { raw in raw.prefix(while: { $0 != 0 }).count }
                let isDotOrDotDot = withUnsafeBytes(of: e.pointee.d_name) { raw in
                    raw[0] == 0x2E && (nameLength == 1 || (nameLength == 2 && raw[1] == 0x2E))
                }
                if isDotOrDotDot { continue }
                var st = stat()
                let found = withUnsafeBytes(of: e.pointee.d_name) { raw in
                    fstatat(fd, raw.baseAddress!.assumingMemoryBound(to: CChar.self), &st, AT_SYMLINK_NOFOLLOW) == 0
                }
                guard found else { return false }
                let type = st.st_mode & S_IFMT
                guard type == S_IFREG || type == S_IFDIR else { return false }
                entry.removeAll(keepingCapacity: true)
                entry += prefix
                withUnsafeBytes(of: e.pointee.d_name) { raw in entry += raw.prefix(nameLength) }
                let changed = Int64(st.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_ctim.tv_nsec)
                for number in [UInt64(type), UInt64(st.st_size), UInt64(bitPattern: Int64(st.st_mtim.tv_sec)),
                               UInt64(st.st_mtim.tv_nsec), UInt64(bitPattern: changed), UInt64(st.st_ino)] {
                    entry.append(0)
                    withUnsafeBytes(of: number.littleEndian) { entry += $0 }
                }
                let h = ContentHash.xxh64(entry)
                count += 1
                sum &+= h
                xor ^= h
                newestChange = max(newestChange, changed)
                if type == S_IFDIR {
                    let child = withUnsafeBytes(of: e.pointee.d_name) { raw in
                        openat(fd, raw.baseAddress!.assumingMemoryBound(to: CChar.self), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                    }
                    guard child >= 0 else { return false }
                    let childPrefix = prefix + Array(entry[prefix.count..<(prefix.count + nameLength)]) + [0x2F]
                    guard walk(child, prefix: childPrefix) else { return false }
                }
            }
            return true
        }
    }

    // MARK: - The output

    /// The output's manifest summed as the inputs are: which paths hold which bytes. Nil when there is none.
    static func outputDigest(_ entries: [String: Manifest.Entry]) -> UInt64 {
        var sum = OutputSum()
        for (path, e) in entries { sum.add(path, e) }
        return sum.digest
    }

    /// The digest's parts: in any order, and in parts added together (`Manifest.encode` sums on two cores).
    struct OutputSum {
        var count = 0, sum: UInt64 = 0, xor: UInt64 = 0

        mutating func add(_ path: String, _ e: Manifest.Entry) {
            let h = ContentHash.xxh64(path, seed: e.hash &+ UInt64(e.size))
            count += 1
            sum &+= h
            xor ^= h
        }

        mutating func add(_ other: OutputSum) {
            count += other.count
            sum &+= other.sum
            xor ^= other.xor
        }

        var digest: UInt64 { ContentHash.xxh64("\(count) \(sum) \(xor)") }
    }

    /// Whether the output folder holds exactly the files of its manifest, each with its recorded stamp, and
    /// no folder without a file; the manifest's digest when it does.
    static func verifiedOutput(_ options: BuildOptions) -> UInt64? {
        let folder = OutputFolder(path: options.outputDirectory)
        guard FileSystem.kind(of: folder.staging, followLinks: false) == nil,
              FileSystem.kind(of: folder.path, followLinks: false) == .directory,
              let entries = Manifest.read(directory: options.cacheDirectory + "/output", output: folder.path, tree: folder.path)
        else { return nil }
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var matched = 0
        guard checkTree(fd, prefix: "", entries: entries, matched: &matched) != nil, matched == entries.count else { return nil }
        return outputDigest(entries)
    }

    /// The number of files below (nil on any file not in the manifest or not as recorded, any folder
    /// holding none, any link). Takes ownership of `fd`.
    private static func checkTree(_ fd: Int32, prefix: String, entries: [String: Manifest.Entry], matched: inout Int) -> Int? {
        guard let dir = fdopendir(fd) else { close(fd); return nil }
        defer { closedir(dir) }
        var files = 0
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var st = stat()
            guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
            let relative = prefix + name
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                let stamp = FileStamp(st)
                guard let entry = entries[relative], entry.matches(stamp) else { return nil }
                matched += 1
                files += 1
            case S_IFDIR:
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                guard child >= 0, let inside = checkTree(child, prefix: relative + "/", entries: entries, matched: &matched),
                      inside > 0 else { return nil }
                files += inside
            default:
                return nil
            }
        }
        return files
    }

    // MARK: - Remembering

    static func read(_ options: BuildOptions) -> Remembered? {
        guard let bytes = try? FileSystem.readBytes(stampPath(options)) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == format,
              let inputs = UInt64(parts[1], radix: 16), let output = UInt64(parts[2], radix: 16) else { return nil }
        let fields = parts[3].split(separator: " ")
        let counts = fields.dropLast().compactMap { Int($0) }
        guard counts.count == 8, let language = fields.last.flatMap({ Language(rawValue: String($0)) }) else { return nil }
        return Remembered(inputs: inputs, output: output, counts: counts, language: language, diagnostics: String(parts[4]))
    }

    static func write(_ remembered: Remembered, _ options: BuildOptions) {
        let path = stampPath(options)
        let text = "\(format)\n\(String(remembered.inputs, radix: 16))\n\(String(remembered.output, radix: 16))\n"
            + remembered.counts.map(String.init).joined(separator: " ") + " \(remembered.language.rawValue)\n" + remembered.diagnostics
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)), rename(temporary, path) == 0 else {
            unlink(temporary)
            return
        }
    }

    static func forget(_ options: BuildOptions) {
        unlink(stampPath(options))
    }

    /// The counts a summary prints, in the order they are remembered.
    static func counts(_ r: BuildReport) -> [Int] {
        [r.projects, r.reports, r.draftsLeftOut, r.pages, r.slides, r.photos, r.files, r.warnings]
    }

    /// The fingerprint, and the last build's report when this build would write the same output (the
    /// output is walked only when the inputs match).
    static func check(_ options: BuildOptions, takenAt: Int64) -> (inputs: Inputs?, unchanged: BuildReport?) {
        let inputs = inputs(options, takenAt: takenAt)
        guard let inputs, let last = read(options), last.inputs == inputs.key,
              let output = verifiedOutput(options), output == last.output else { return (inputs, nil) }
        var report = BuildReport()
        report.succeeded = true
        report.language = last.language
        (report.projects, report.reports, report.draftsLeftOut, report.pages) = (last.counts[0], last.counts[1], last.counts[2], last.counts[3])
        (report.slides, report.photos, report.files) = (last.counts[4], last.counts[5], last.counts[6])
        report.unchanged = (diagnostics: last.diagnostics, warnings: last.counts[7])
        return (inputs, report)
    }
}
