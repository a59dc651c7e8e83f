import Foundation
import KepuCore

// What several test targets need, once: where the repository is, and a sink that writes real files.
// The names are the ones the test targets used for their own copies, so their tests read the same.

/// The repository root (the folder with Package.swift), found from this file so tests do not depend on
/// the working directory.
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()

public let repoRoot = URL(fileURLWithPath: repositoryRoot)
/// The repository's theme/.
public let themeDirectory = repositoryRoot + "/theme"
/// The repository's sample content/.
public let sampleContent = repositoryRoot + "/content"

/// Writes the output into a real folder, as the build does, and remembers what it wrote.
public final class DirectorySink: OutputSink, @unchecked Sendable {
    public let root: String
    private let lock = Lock()
    private var written: [String] = []

    public init(root: String) { self.root = root }
    public convenience init(_ root: URL) { self.init(root: root.path) }

    public func write(_ relativePath: String, _ bytes: [UInt8]) throws {
        try prepare(relativePath)
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + relativePath))
    }

    public func copyFile(from absolutePath: String, to relativePath: String) throws {
        try prepare(relativePath)
        let target = root + "/" + relativePath
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: absolutePath, toPath: target)
    }

    public func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + relativePath)))
    }

    /// Every path written, sorted.
    public var paths: [String] { lock.withLock { written.sorted() } }

    private func prepare(_ relativePath: String) throws {
        lock.withLock { written.append(relativePath) }
        let folder = (root + "/" + relativePath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
}

/// The LED tests' name for the same sink.
public typealias FolderSink = DirectorySink
