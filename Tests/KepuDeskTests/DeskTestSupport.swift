import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import KepuContent
import KepuCore
@testable import KepuDesk
import KepuTestSupport
import XCTest

/// A copy of the sample content in a temporary git repository, a users file beside it, and the desk over them.
final class DeskFixture: @unchecked Sendable {
    let root: String
    let content: String
    let output: String
    let users: UserStore
    let store: ReportStore
    let responder: DeskResponder
    static let password = "richtig-passwort-1"

    init(maxPhotoBytes: Int = 20 * 1024 * 1024, now: Day = Day(year: 2023, month: 10, day: 1)!, secure: Bool = false) throws {
        root = NSTemporaryDirectory() + "kepu-desk-test-" + UUID().uuidString
        content = root + "/content"
        output = root + "/public"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: sampleContent, toPath: content)
        var settings = DeskSettings(contentDirectory: content, outputDirectory: output, themeDirectory: themeDirectory,
                                    cacheDirectory: root + "/cache")
        settings.maxPhotoBytes = maxPhotoBytes
        settings.now = now
        settings.secureCookies = secure
        store = ReportStore(settings: settings)
        XCTAssertNil(store.repository.ensure())
        users = try UserStore(path: root + "/desk-users.json", cost: 10)
        try users.add("wang", role: .reporter, password: Self.password)
        try users.add("li", role: .reviewer, password: Self.password)
        responder = DeskResponder(users: users, store: store)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func app() -> some ApplicationProtocol { DeskServer.application(responder, host: "127.0.0.1", port: 0) }

    func read(_ path: String) -> String { (try? String(contentsOfFile: content + "/" + path, encoding: .utf8)) ?? "" }

    func git(_ args: [String]) -> String { store.repository.run(args).output }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var setCookies: [String] { headers[values: .setCookie] }
    func cookie(_ name: String) -> String? {
        for c in setCookies where c.hasPrefix(name + "=") {
            return String(c.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }
}

/// A browser's state in a test: its cookies, and the CSRF token of the last page.
struct Browser {
    var cookies: [String: String] = [:]
    var headers: HTTPFields {
        var h: HTTPFields = [:]
        if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return h
    }

    mutating func keep(_ r: TestResponse) {
        for c in r.setCookies {
            let pair = c.prefix { $0 != ";" }
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.count == 2 { cookies[String(kv[0])] = kv[1].isEmpty ? nil : String(kv[1]) }
        }
    }

    static func csrf(in html: String) -> String? {
        guard let r = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    static func value(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    @discardableResult
    mutating func get(_ client: some TestClientProtocol, _ uri: String, extra: HTTPFields = [:]) async throws -> TestResponse {
        var h = headers
        h.append(contentsOf: extra)
        let r = try await client.execute(uri: uri, method: .get, headers: h, body: nil)
        keep(r)
        return r
    }

    @discardableResult
    mutating func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)], extra: HTTPFields = [:]) async throws -> TestResponse {
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        h.append(contentsOf: extra)
        let body = fields.map { "\(Self.enc($0.0))=\(Self.enc($0.1))" }.joined(separator: "&")
        let r = try await client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body))
        keep(r)
        return r
    }

    @discardableResult
    mutating func multipart(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)],
                            files: [(String, String, [UInt8])] = []) async throws -> TestResponse {
        let boundary = "----kepu-test-boundary-7d3f"
        var body: [UInt8] = []
        for (k, v) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        for (field, filename, bytes) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var h = headers
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        var buffer = ByteBuffer()
        buffer.writeBytes(body)
        let r = try await client.execute(uri: uri, method: .post, headers: h, body: buffer)
        keep(r)
        return r
    }

    static func enc(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Logs in through the form, as a browser does: GET /login for its token and cookie, then POST.
    @discardableResult
    mutating func login(_ client: some TestClientProtocol, _ user: String, _ password: String = DeskFixture.password,
                        extra: HTTPFields = [:]) async throws -> TestResponse {
        let page = try await get(client, "/login", extra: extra)
        let token = Self.csrf(in: page.text) ?? ""
        return try await post(client, "/login", [("csrf", token), ("username", user), ("password", password)], extra: extra)
    }

    /// The session's CSRF token, from any page.
    mutating func sessionCSRF(_ client: some TestClientProtocol) async throws -> String {
        let page = try await get(client, "/reports/new")
        return Self.csrf(in: page.text) ?? ""
    }
}

/// A real photo (the sample's): published reports' photos go through libvips.
let jpegBytes: [UInt8] = Array(FileManager.default.contents(atPath: sampleContent + "/reports/2023/09/2023-09-16-kepuri/photo-1.jpg")!)
