import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking HTTP/1.1 client on a raw socket: it sends the request target byte for byte (URLSession and
/// curl would clean up `..` before sending, hiding exactly the requests the server must refuse). Every call is
/// bounded by socket timeouts. Run it off Swift's cooperative threads (the server lives there).
struct RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: UInt16
    var timeout: Double = 5
    /// The IPv4 address to connect to.
    var address = "127.0.0.1"

    /// Connects to 127.0.0.1:port with send/receive timeouts.
    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr(address)
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else {
            close(fd)
            throw Failure(description: "connect: \(errno)")
        }
        return fd
    }

    func send(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: \(errno)") }
            sent += n
        }
    }

    /// One request on its own connection (`Connection: close`), read to the end of the body.
    func request(_ target: String, method: String = "GET", host: String? = nil) throws -> Response {
        let fd = try connect()
        defer { close(fd) }
        try send(fd, "\(method) \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n\r\n")
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var expected: Int?
        while true {
            if let headerEnd, let expected, data.count >= headerEnd + expected { break }
            if method == "HEAD", headerEnd != nil { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "recv \(target): errno \(errno) after \(data.count) bytes") }
            data += buffer[0..<n]
            if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: data) {
                headerEnd = end + 4
                let head = Self.parseHead(Array(data[0..<end]))
                expected = head.1["content-length"].flatMap { Int($0) }
            }
        }
        guard let headerEnd else { throw Failure(description: "no response to \(target)") }
        let (status, headers) = Self.parseHead(Array(data[0..<(headerEnd - 4)]))
        return Response(status: status, headers: headers, body: Array(data[headerEnd...]))
    }

    static func parseHead(_ bytes: [UInt8]) -> (Int, [String: String]) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    /// An open event stream: read what arrives until `until` holds or the deadline passes.
    final class EventStream {
        let fd: Int32
        private(set) var received = ""

        /// `page`: the page the tab shows, as live.js names it (`/index.html`), percent-encoded into the query.
        init(client: RawHTTP, page: String? = nil) throws {
            var c = client
            c.timeout = 0.2
            fd = try c.connect()
            let query = page.map { "?page=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""
            try client.send(fd, "GET /__kepu/events\(query) HTTP/1.1\r\nHost: 127.0.0.1:\(client.port)\r\nAccept: text/event-stream\r\n\r\n")
        }

        deinit { close(fd) }

        /// True when `until` became true within `seconds`.
        func read(seconds: Double, until: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            var bytes = Array(received.utf8)
            while Date() < deadline {
                if until(received) { return true }
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                if n == 0 { return until(received) }
                if n > 0 {
                    bytes += buffer[0..<n]
                    received = String(decoding: bytes, as: UTF8.self)
                }
            }
            return until(received)
        }
    }
}

/// Runs async work from a synchronous test (the test thread is not one of Swift's cooperative threads, so the
/// blocking raw client never starves the server), bounded by a timeout.
func runAsync<T: Sendable>(timeout: Double = 60, _ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    guard done.wait(timeout: .now() + timeout) == .success, let result = box.result else {
        throw RawHTTP.Failure(description: "timed out after \(timeout) s")
    }
    return try result.get()
}

/// Polls `check` every 10 ms until it returns true or `seconds` pass; returns the time it took, or nil.
func waitFor(seconds: Double, _ check: () -> Bool) -> Double? {
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        if check() { return Date().timeIntervalSince(start) }
        usleep(10_000)
    }
    return check() ? Date().timeIntervalSince(start) : nil
}

final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
