import FlyingFox
import Foundation
import KepuCore

/// Answers every request: the live-reload endpoints under `/__kepu/`, else a file of the current build.
/// Our own file handler (not FlyingFox's DirectoryHTTPHandler, which serves files outside its root for
/// percent-encoded `..` and answers `/` with an empty body): see `SafePath`.
struct LiveSiteHandler: HTTPHandler {
    let site: Locked<SiteState>
    let channel: ReloadChannel
    /// nil: any Host header.
    var allowedHosts: Set<String>? = nil

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let isHead = request.method == .HEAD
        if let allowedHosts, let host = request.headers[.host], !allowedHosts.contains(Self.hostName(host)) {
            return respond(Array("403 只接受本机地址（127.0.0.1、localhost）的访问\n".utf8), status: .forbidden,
                           type: "text/plain; charset=utf-8", head: isHead)
        }
        guard request.method == .GET || isHead else {
            let headers: HTTPHeaders = [HTTPHeader("Allow"): "GET, HEAD"]
            return HTTPResponse(statusCode: .methodNotAllowed, headers: headers)
        }
        let raw = request.target.path(percentEncoded: true)
        let query = request.target.query(percentEncoded: true)
        let state = site.withLock { $0 }

        switch raw {
        case LiveOverlay.eventsPath:
            // `?page=`: the path of the page the tab shows, so a rebuild writes it early (live.js).
            let page = request.query.first { $0.name == "page" }?.value
            return channel.response(generation: state.generation, page: page)
        case LiveOverlay.scriptPath:
            return respond(Array(LiveOverlay.script.utf8), type: "text/javascript; charset=utf-8", head: isHead)
        case LiveOverlay.stylePath:
            return respond(Array(LiveOverlay.style.utf8), type: "text/css; charset=utf-8", head: isHead)
        case "/__kepu/status":
            let errors = state.problems?.diagnostics.filter { $0.severity == .error }.count ?? 0
            // `open`: the pages tabs have named (live.js), which a rebuild writes first.
            let open = channel.openPages.sorted().map(JSON.quoted).joined(separator: ", ")
            let json = "{\"generation\": \(state.generation), \"ok\": \(state.problems == nil), \"errors\": \(errors), \"open\": [\(open)]}\n"
            return respond(Array(json.utf8), type: "application/json; charset=utf-8", head: isHead)
        default:
            break
        }

        guard let root = state.root else {
            // No build has succeeded yet: every page is the list of problems.
            let problems = state.problems ?? LiveOverlay.Problems(diagnostics: [], language: .zhCN, hasGoodSite: false)
            let page = LiveOverlay.inject(into: Array(LiveOverlay.errorPage(generation: state.generation, problems: problems).utf8),
                                          generation: state.generation, problems: problems)
            return respond(page, status: .internalServerError, type: "text/html; charset=utf-8", head: isHead)
        }

        switch SafePath.resolve(raw, root: root) {
        case let .file(path):
            guard let data = FileManager.default.contents(atPath: path) else { return notFound(root: root, state, head: isHead) }
            let type = SafePath.contentType(for: path)
            var bytes = [UInt8](data)
            if type.hasPrefix("text/html") {
                bytes = LiveOverlay.inject(into: bytes, generation: state.generation, problems: state.problems)
            }
            return respond(bytes, type: type, head: isHead)
        case .addSlash:
            let headers: HTTPHeaders = [
                .location: raw + "/" + (query.isEmpty ? "" : "?" + query),
                .cacheControl: "no-store",
            ]
            return HTTPResponse(statusCode: .movedPermanently, headers: headers)
        case .notFound:
            return notFound(root: root, state, head: isHead)
        }
    }

    /// `127.0.0.1:1313` → `127.0.0.1`, `[::1]:1313` → `::1`, lowercased.
    static func hostName(_ header: String) -> String {
        let h = header.trimmingCharacters(in: .whitespaces).lowercased()
        if h.hasPrefix("["), let close = h.firstIndex(of: "]") {
            return String(h[h.index(after: h.startIndex)..<close])
        }
        if let colon = h.lastIndex(of: ":"), h.firstIndex(of: ":") == colon { return String(h[..<colon]) }
        return h
    }

    /// The site's own 404.html (with the live script), or a short text when the site has none.
    private func notFound(root: String, _ state: SiteState, head: Bool) -> HTTPResponse {
        if case let .file(path) = SafePath.resolve("/404.html", root: root), let data = FileManager.default.contents(atPath: path) {
            var bytes = [UInt8](data)
            bytes = LiveOverlay.withRootBase(bytes)
            bytes = LiveOverlay.inject(into: bytes, generation: state.generation, problems: state.problems)
            return respond(bytes, status: .notFound, type: "text/html; charset=utf-8", head: head)
        }
        return respond(Array("404 未找到 / Not Found\n".utf8), status: .notFound, type: "text/plain; charset=utf-8", head: head)
    }

    private func respond(_ bytes: [UInt8], status: HTTPStatusCode = .ok, type: String, head: Bool) -> HTTPResponse {
        var headers: HTTPHeaders = [
            .contentType: type,
            // A preview must never show yesterday's page from the browser's cache.
            .cacheControl: "no-store",
            HTTPHeader("X-Content-Type-Options"): "nosniff",
        ]
        if head {
            headers[.contentLength] = String(bytes.count)
            return HTTPResponse(statusCode: status, headers: headers, body: Data())
        }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(bytes))
    }
}

extension LiveOverlay {
    /// The 404 page is answered at any depth; `<base href="/">` makes its relative links resolve from the root,
    /// where the page really lives.
    static func withRootBase(_ html: [UInt8]) -> [UInt8] {
        if lastIndex(of: Array("<base".utf8), in: html) != nil { return html }
        // `<head>` or `<head …>`, not `<header>`.
        guard let head = firstIndex(of: Array("<head>".utf8), in: html) ?? firstIndex(of: Array("<head ".utf8), in: html),
              let close = html[head...].firstIndex(of: UInt8(ascii: ">")) else { return html }
        return Array(html[...close]) + Array("<base href=\"/\">".utf8) + Array(html[(close + 1)...])
    }
}
