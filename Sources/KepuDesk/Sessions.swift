import Crypto
import Foundation

/// A logged-in member of staff. The token is the cookie's value; the CSRF token goes in every form.
public struct Session: Sendable, Equatable {
    public var token: String
    public var csrf: String
    public var user: String
    public var role: Role
    public var lastSeen: Date
}

/// Sessions in memory: a restart logs everyone out, which is what staff expect of "the desk was restarted".
public final class SessionStore: @unchecked Sendable {
    /// Idle time after which a session ends (default 30 minutes).
    public let idle: TimeInterval
    private let lock = NSLock()
    private var sessions: [String: Session] = [:]

    public init(idle: TimeInterval = 30 * 60) { self.idle = idle }

    /// 256 random bits from the system's generator (swift-crypto), as 64 hex digits.
    public static func randomToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    public func create(user: DeskUser, now: Date = Date()) -> Session {
        let s = Session(token: Self.randomToken(), csrf: Self.randomToken(), user: user.name, role: user.role, lastSeen: now)
        lock.withLock {
            // Forget expired ones as new ones come: the table never grows with abandoned logins.
            sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) < idle }
            sessions[s.token] = s
        }
        return s
    }

    /// The live session for a token, touched; nil when unknown or idle too long (then it is removed).
    public func session(_ token: String, now: Date = Date()) -> Session? {
        lock.withLock {
            guard var s = sessions[token] else { return nil }
            guard now.timeIntervalSince(s.lastSeen) < idle else {
                sessions[token] = nil
                return nil
            }
            s.lastSeen = now
            sessions[token] = s
            return s
        }
    }

    public func end(_ token: String) { lock.withLock { sessions[token] = nil } }

    /// Ends every session of a user (removed, or password changed while the desk runs).
    public func end(user: String) { lock.withLock { sessions = sessions.filter { $0.value.user != user } } }

    public var count: Int { lock.withLock { sessions.count } }
}

/// Compares two secrets in time independent of where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}
