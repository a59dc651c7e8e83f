import Foundation
import HummingbirdBcrypt
import KepuCore

/// What a member of staff may do: 填报 records and saves drafts; 审核 also publishes.
public enum Role: String, Sendable, Codable, CaseIterable {
    case reporter = "填报"
    case reviewer = "审核"

    public init?(argument: String) {
        switch argument {
        case "填报", "reporter": self = .reporter
        case "审核", "reviewer": self = .reviewer
        default: return nil
        }
    }
}

public struct DeskUser: Sendable, Codable, Equatable {
    public var name: String
    public var role: Role
    /// bcrypt, `$2b$…`: never the password itself.
    public var hash: String
}

/// Its texts are the catalogue's (KepuCore/DeskProblem.swift).
public typealias AccountError = DeskProblem

/// The users file: JSON beside content/ (`desk-users.json`), written whole by rename, readable by its owner only.
public final class UserStore: @unchecked Sendable {
    public let path: String
    /// bcrypt's cost: 12 by default; never below 10 (the tests use 10 for speed).
    public let cost: UInt8
    private let lock = NSLock()
    private var users: [String: DeskUser] = [:]

    public init(path: String, cost: UInt8 = 12) throws(AccountError) {
        self.path = path
        self.cost = max(10, cost)
        dummyHash = Bcrypt.hash("kepu-desk-no-such-user", cost: self.cost)
        try reload()
    }

    /// The default place: beside the content folder, `<content>/../desk-users.json`.
    public static func defaultPath(content: String) -> String {
        let url = URL(fileURLWithPath: content).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent("desk-users.json").path
    }

    /// A users file inside content/ would be committed to the content repository; inside the output, published.
    public static func checkPlace(_ usersPath: String, content: String, output: String) throws(AccountError) {
        func real(_ p: String) -> String {
            let url = URL(fileURLWithPath: p).standardizedFileURL
            // The file may not exist yet: resolve its folder.
            let folder = url.deletingLastPathComponent().resolvingSymlinksInPath().path
            return folder + "/" + url.lastPathComponent
        }
        let file = real(usersPath)
        for folder in [content, output] {
            let f = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
            if file.hasPrefix(f + "/") { throw .insideContent(usersPath) }
        }
    }

    public func reload() throws(AccountError) {
        guard FileManager.default.fileExists(atPath: path) else { lock.withLock { users = [:] }; return }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let list = try JSONDecoder().decode([DeskUser].self, from: data)
            lock.withLock { users = Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
        } catch {
            throw .unreadable("\(path): \(error)")
        }
    }

    private var loadedStamp: Date?

    /// Reads the file again when it changed on disk (`kepu desk user remove` while the desk runs): a removed user's
    /// session ends at their next request.
    public func reloadIfChanged() {
        let stamp = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        if lock.withLock({ stamp == loadedStamp }) { return }
        try? reload()
        lock.withLock { loadedStamp = stamp }
    }

    public var all: [DeskUser] { lock.withLock { users.values.sorted { $0.name < $1.name } } }

    public func user(_ name: String) -> DeskUser? { lock.withLock { users[name] } }

    public static func isValidName(_ name: String) -> Bool {
        guard (1...32).contains(name.count) else { return false }
        return name.unicodeScalars.allSatisfy { c in
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-"
        } && !name.hasPrefix(".") && !name.hasPrefix("-")
    }

    public func add(_ name: String, role: Role, password: String) throws(AccountError) {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        guard password.count >= 8 else { throw .weakPassword }
        let hash = Bcrypt.hash(password, cost: cost)
        lock.lock()
        defer { lock.unlock() }
        guard users[name] == nil else { throw .exists(name) }
        users[name] = DeskUser(name: name, role: role, hash: hash)
        try save()
    }

    public func remove(_ name: String) throws(AccountError) {
        lock.lock()
        defer { lock.unlock() }
        guard users.removeValue(forKey: name) != nil else { throw .unknown(name) }
        try save()
    }

    public func setPassword(_ name: String, _ password: String) throws(AccountError) {
        guard password.count >= 8 else { throw .weakPassword }
        let hash = Bcrypt.hash(password, cost: cost)
        lock.lock()
        defer { lock.unlock() }
        guard users[name] != nil else { throw .unknown(name) }
        users[name]!.hash = hash
        try save()
    }

    /// The user when the password is right. A missing user still costs one bcrypt, so timing does not tell
    /// which names exist.
    public func verify(_ name: String, _ password: String) -> DeskUser? {
        let user = self.user(name)
        let hash = user?.hash ?? dummyHash
        let ok = Bcrypt.verify(password, hash: hash)
        return ok ? user : nil
    }

    /// Checked for a name that does not exist, at the same cost as real ones.
    private let dummyHash: String

    private func save() throws(AccountError) {
        let list = users.values.sorted { $0.name < $1.name }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(list)
            let tmp = path + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw AccountError.unreadable("cannot write \(tmp)")
            }
            guard rename(tmp, path) == 0 else { throw AccountError.unreadable(String(cString: strerror(errno))) }
        } catch let e as AccountError {
            throw e
        } catch {
            throw .unreadable("\(error)")
        }
    }
}

/// Wrong passwords lock the account and the address they came from: 10 failures within 15 minutes lock for
/// 15 minutes, even for the right password.
public final class LoginThrottle: @unchecked Sendable {
    public let limit: Int
    public let window: TimeInterval
    public let lockout: TimeInterval
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]

    public init(limit: Int = 10, window: TimeInterval = 15 * 60, lockout: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
        self.lockout = lockout
    }

    public func isLocked(account: String, address: String, now: Date = Date()) -> Bool {
        lock.withLock {
            ["u:" + account, "a:" + address].contains { (lockedUntil[$0] ?? .distantPast) > now }
        }
    }

    public func fail(account: String, address: String, now: Date = Date()) {
        lock.withLock {
            // Guessed names would otherwise grow the table without end: forget what no longer counts.
            if failures.count > 10_000 {
                failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
                lockedUntil = lockedUntil.filter { $0.value > now }
            }
            for key in ["u:" + account, "a:" + address] {
                var list = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                list.append(now)
                if list.count >= limit {
                    lockedUntil[key] = now.addingTimeInterval(lockout)
                    list = []
                }
                failures[key] = list
            }
        }
    }

    public func succeed(account: String) {
        lock.withLock { failures["u:" + account] = nil }
    }
}
