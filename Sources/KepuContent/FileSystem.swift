import CReadNoWait
import KepuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain POSIX file access: at 100,000 files FileManager's enumerator and Data cost more than parsing.
public enum FileSystem {
    public enum Kind { case file, directory, other }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// What is at `path`, following symbolic links; with `followLinks: false` a link is `.other`.
    public static func kind(of path: String, followLinks: Bool = true) -> Kind? {
        var st = stat()
        guard (followLinks ? stat(path, &st) : lstat(path, &st)) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Size, modification time, inode and status-change time: what changes when an editor saves a file.
    /// The change time cannot be set back by hand (`touch -r`, `cp -p` only restore the modification time).
    public static func stamp(_ path: String, followLinks: Bool = true) -> FileStamp? {
        var st = stat()
        guard (followLinks ? stat(path, &st) : lstat(path, &st)) == 0 else { return nil }
        return FileStamp(st)
    }

    /// The stamp of an open file (no path looked up again).
    public static func stamp(descriptor fd: Int32) -> FileStamp? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return FileStamp(st)
    }

    public static func readBytes(_ path: String) throws(ReadError) -> [UInt8] {
        var fromDisk = false
        return try readBytes(path, fromDisk: &fromDisk)
    }

    /// The file's bytes; `fromDisk` set when some of them were not in memory (the read waited for the disk).
    /// Where the system cannot tell, it stays false.
    static func readBytes(_ path: String, fromDisk: inout Bool) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw ReadError(description: "not a regular file") }
        var result = [UInt8](repeating: 0, count: Int(st.st_size))
        var total = 0
        var waited = false
        let failure: Int32? = result.withUnsafeMutableBytes { buffer -> Int32? in
            // From memory if it is there (the same one system call as a plain read); what is not, as usual.
            if buffer.count > 0 {
                let n = kepu_read_nowait(fd, buffer.baseAddress!, buffer.count, 0)
                if n >= 0 { total = n; waited = n > 0 && n < buffer.count } else { waited = errno == EAGAIN }
            }
            while total < buffer.count {
                let n = pread(fd, buffer.baseAddress! + total, buffer.count - total, off_t(total))
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { break }
                total += n
            }
            return nil
        }
        if let failure { throw ReadError(description: String(cString: strerror(failure))) }
        if total < result.count { result.removeLast(result.count - total) }
        fromDisk = waited
        return result
    }

    /// Writes all of `bytes` to an open file, through short writes and interruptions; the errno on failure.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { return EIO }
                offset += n
            }
            return nil
        }
    }

    /// The canonical path with symbolic links resolved, or nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Every regular file below `root`, as paths relative to it, sorted by bytes so the order never
    /// depends on the file system. Symbolic links to files are listed (checked later); links to folders
    /// are not followed, so a loop cannot hang the build.
    public static func listFiles(under root: String) -> [String] {
        var links: [String] = []
        return listFiles(under: root, links: &links)
    }

    /// The same, and in `links` the listed files that are symbolic links, for the caller to check
    /// where they lead.
    public static func listFiles(under root: String, links: inout [String]) -> [String] {
        var out: [String] = []
        walk(root, prefix: "", into: &out, links: &links)
        links.sort { $0.precedesInBytes($1) }
        return out.sortedByBytes()
    }

    private static func walk(_ dir: String, prefix: String, into out: inout [String], links: inout [String]) {
        guard let handle = opendir(dir) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(".") { continue }
            let full = dir + "/" + name
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                if st.st_mode & S_IFMT == S_IFDIR { type = Int32(DT_DIR) }
                else if st.st_mode & S_IFMT == S_IFLNK {
                    var target = stat()
                    if stat(full, &target) == 0 && target.st_mode & S_IFMT == S_IFREG {
                        type = Int32(DT_REG)
                        links.append(relative)
                    } else { continue }
                } else if st.st_mode & S_IFMT == S_IFREG { type = Int32(DT_REG) }
            }
            if type == Int32(DT_DIR) {
                walk(full, prefix: relative, into: &out, links: &links)
            } else if type == Int32(DT_REG) {
                out.append(relative)
            }
        }
    }
}

public struct FileStamp: Hashable, Sendable {
    public var size: Int64
    public var seconds: Int64
    public var nanoseconds: Int64
    public var inode: UInt64
    /// Status-change time, in nanoseconds.
    public var changed: Int64

    /// What `stat`, `lstat`, `fstat` or `fstatat` said of a file.
    public init(_ st: stat) {
        self.init(size: Int64(st.st_size), seconds: Int64(st.st_mtim.tv_sec), nanoseconds: Int64(st.st_mtim.tv_nsec),
                  inode: UInt64(st.st_ino), changed: Int64(st.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_ctim.tv_nsec))
    }

    public init(size: Int64, seconds: Int64, nanoseconds: Int64, inode: UInt64, changed: Int64) {
        self.size = size
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.inode = inode
        self.changed = changed
    }
}
