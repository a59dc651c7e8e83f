import FlyingFox
import FlyingSocks
import Foundation
import KepuCore

/// The live-reload channel: every open page holds one Server-Sent Events stream on `/__kepu/events`.
/// A rebuild sends `event: reload` to all of them; a comment every few seconds makes a write fail on a
/// connection whose page has gone, so FlyingFox closes it and the stream is dropped.
public final class ReloadChannel: Sendable {
    private let clients = Locked<[UInt64: AsyncStream<[UInt8]>.Continuation]>([:])
    /// The page each stream's tab shows, as a site path (`reports/2023/05/index.html`), if it said.
    private let pages = Locked<[UInt64: String]>([:])
    private let nextID = Locked<UInt64>(0)

    public init() {}

    /// How many pages are listening now.
    public var count: Int { clients.withLock { $0.count } }

    /// A new stream for one page: a `hello` with the current generation (so a page built before the latest
    /// rebuild reloads at once), then whatever is broadcast.
    public func subscribe(generation: Int, page: String? = nil) -> AsyncStream<[UInt8]> {
        subscription(generation: generation, page: page).0
    }

    /// The site paths of the pages open now (those whose tabs named them), for the next rebuild to write first.
    public var openPages: Set<String> { pages.withLock { Set($0.values) } }

    /// `page`: the path the tab shows, as `location.pathname` gives it (`/reports/2023/05/index.html`).
    func subscription(generation: Int, page: String? = nil) -> (AsyncStream<[UInt8]>, UInt64) {
        let id = nextID.withLock { n -> UInt64 in n += 1; return n }
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.onTermination = { [weak self] _ in
            _ = self?.clients.withLock { $0.removeValue(forKey: id) }
            _ = self?.pages.withLock { $0.removeValue(forKey: id) }
        }
        continuation.yield(Array("retry: 1000\nevent: hello\ndata: \(generation)\n\n".utf8))
        clients.withLock { $0[id] = continuation }
        if let path = page.flatMap(Self.sitePath) { pages.withLock { $0[id] = path } }
        return (stream, id)
    }

    /// `/reports/2023/05/` → `reports/2023/05/index.html`, percent-decoded; nil for anything that is no page path.
    static func sitePath(_ pathname: String) -> String? {
        guard pathname.hasPrefix("/"), pathname.utf8.count <= 1024,
              var path = String(pathname.dropFirst()).removingPercentEncoding else { return nil }
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        if path.hasPrefix("__kepu/") || path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            return nil
        }
        return path
    }

    /// Forgets one page's stream (its connection is gone).
    func remove(_ id: UInt64) {
        _ = pages.withLock { $0.removeValue(forKey: id) }
        clients.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    /// Sends a named event to every page.
    public func broadcast(event: String, data: String) {
        // Each line of the data on a `data:` line of its own; the browser joins them with line breaks.
        let lines = data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined()
        send(Array("event: \(event)\n\(lines)\n".utf8))
    }

    /// An SSE comment: ignored by browsers, but it finds connections that are gone.
    public func heartbeat() {
        send(Array(": keep-alive\n\n".utf8))
    }

    private func send(_ bytes: [UInt8]) {
        let targets = clients.withLock { Array($0) }
        for (id, c) in targets {
            if case .terminated = c.yield(bytes) {
                _ = clients.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Ends every stream (on shutdown), so their connections can close.
    public func finishAll() {
        let all = clients.withLock { d -> [AsyncStream<[UInt8]>.Continuation] in
            let values = Array(d.values)
            d.removeAll()
            return values
        }
        for c in all { c.finish() }
    }

    /// The HTTP response carrying one page's stream (chunked, never cached).
    func response(generation: Int, page: String? = nil) -> HTTPResponse {
        let (stream, id) = subscription(generation: generation, page: page)
        let body = HTTPBodySequence(from: EventBytes(stream: stream, token: Departure { [weak self] in self?.remove(id) }))
        return HTTPResponse(statusCode: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8",
            .cacheControl: "no-store",
            HTTPHeader("X-Accel-Buffering"): "no",
        ], body: body)
    }
}

/// An AsyncStream of byte chunks as the buffered byte sequence FlyingFox streams a body from.
/// The stream's continuation stays in the channel, so the stream itself never learns that its reader is gone;
/// this token does: when the response and its iterator are dropped (the connection closed), it removes the page.
struct EventBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>
    let token: Departure

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator(), token: token) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        let token: Departure
        var pending: ArraySlice<UInt8> = []

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            while pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk[...]
            }
            let take = Swift.min(Swift.max(count, 1), pending.count)
            let out = pending.prefix(take)
            pending = pending.dropFirst(take)
            return out
        }
    }
}

/// Runs a closure when the last reference goes.
final class Departure: Sendable {
    private let action: @Sendable () -> Void
    init(_ action: @escaping @Sendable () -> Void) { self.action = action }
    deinit { action() }
}
