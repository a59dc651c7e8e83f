import Foundation

/// The content repository, through the `git` command: every save is a commit authored by the member of staff,
/// so the repository is the history and the backup.
public struct ContentRepository: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
    }

    /// Runs `git -C <content> …` with a fixed environment: no pager, no prompts, no user config needed.
    @discardableResult
    public func run(_ arguments: [String], author: (name: String, email: String)? = nil) -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", folder] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GIT_PAGER"] = "cat"
        env["LC_ALL"] = "C.UTF-8"
        if let author {
            env["GIT_AUTHOR_NAME"] = author.name
            env["GIT_AUTHOR_EMAIL"] = author.email
            env["GIT_COMMITTER_NAME"] = author.name
            env["GIT_COMMITTER_EMAIL"] = author.email
        }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return Result(status: 127, output: "", error: "\(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, output: String(decoding: o, as: UTF8.self),
                      error: String(decoding: e, as: UTF8.self))
    }

    public var isRepository: Bool { run(["rev-parse", "--is-inside-work-tree"]).status == 0 }

    /// A content folder not yet under git becomes a repository with its files as the first commit.
    public func ensure() -> String? {
        if isRepository { return nil }
        let who = (name: "kepu desk", email: "desk@kepu.invalid")
        var r = run(["init", "-q"])
        guard r.status == 0 else { return r.error }
        run(["add", "-A", "."])
        r = run(["commit", "-q", "-m", "初始内容（kepu desk 建立版本库）"], author: who)
        return r.status == 0 ? nil : r.error
    }

    /// Commits exactly these files (paths relative to the content folder), authored by the member of staff.
    public func commit(_ paths: [String], message: String, author: String) -> Result {
        let email = "\(author.unicodeScalars.allSatisfy(\.isASCII) ? author : "staff")@kepu-desk.invalid"
        let add = run(["add", "--"] + paths)
        guard add.status == 0 else { return add }
        return run(["commit", "-q", "-m", message, "--only", "--"] + paths, author: (author, email))
    }

    public struct Entry: Sendable, Equatable {
        public var hash: String
        public var author: String
        public var date: String
        public var subject: String
    }

    /// Commits that touched these paths, newest first.
    public func history(_ paths: [String], limit: Int = 50) -> [Entry] {
        let r = run(["log", "-n", String(limit), "--date=format:%Y-%m-%d %H:%M", "--format=%h%x1f%an%x1f%ad%x1f%s", "--"] + paths)
        guard r.status == 0 else { return [] }
        return r.output.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\u{1f}", omittingEmptySubsequences: false).map(String.init)
            return f.count == 4 ? Entry(hash: f[0], author: f[1], date: f[2], subject: f[3]) : nil
        }
    }
}
