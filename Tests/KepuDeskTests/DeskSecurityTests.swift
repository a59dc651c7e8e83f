import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import KepuContent
import KepuCore
@testable import KepuDesk
import KepuTestSupport
import XCTest

final class DeskSecurityTests: XCTestCase {
    func testEveryPageButLoginRedirectsToLoginWithoutASession() async throws {
        let fx = try DeskFixture()
        try await fx.app().test(.router) { client in
            var b = Browser()
            for uri in ["/", "/reports", "/reports/new", "/reports/edit?path=reports/2023/05/2023-05-20-kejizhou.md",
                        "/reports/history?path=reports/2023/05/2023-05-20-kejizhou.md", "/no-such-page", "/desk-users.json"] {
                let r = try await b.get(client, uri)
                XCTAssertEqual(r.status, .seeOther, uri)
                XCTAssertEqual(r.headers[.location], "/login", uri)
                XCTAssertFalse(r.text.contains("科普日"), uri)
            }
            // POSTs too, and nothing is written.
            let before = fx.git(["log", "--oneline"])
            let r = try await b.post(client, "/reports/new", [("title", "x"), ("date", "2023-05-01"), ("kind", "科普日"), ("body", "y")])
            XCTAssertEqual(r.status, .seeOther)
            XCTAssertEqual(r.headers[.location], "/login")
            XCTAssertEqual(fx.git(["log", "--oneline"]), before)
            // A made-up session token is no session.
            b.cookies["kepu_desk"] = String(repeating: "a", count: 64)
            let forged = try await b.get(client, "/")
            XCTAssertEqual(forged.status, .seeOther)
            let login = try await b.get(client, "/login")
            XCTAssertEqual(login.status, .ok)
            XCTAssertTrue(login.text.contains("name=\"username\""))
            XCTAssertTrue(login.text.contains("name=\"password\""))
        }
    }

    func testPostWithoutOrWithAWrongCSRFTokenIsRefused() async throws {
        let fx = try DeskFixture()
        try await fx.app().test(.router) { client in
            var b = Browser()
            let logged = try await b.login(client, "wang")
            XCTAssertEqual(logged.status, .seeOther)
            XCTAssertEqual(logged.headers[.location], "/")
            let token = try await b.sessionCSRF(client)
            XCTAssertEqual(token.count, 64)
            let fields = [("title", "无令牌的报告"), ("date", "2023-05-01"), ("kind", "科普日"), ("body", "正文")]
            let none = try await b.post(client, "/reports/new", fields)
            XCTAssertEqual(none.status, .forbidden)
            let wrong = try await b.post(client, "/reports/new", [("csrf", String(repeating: "0", count: 64))] + fields)
            XCTAssertEqual(wrong.status, .forbidden)
            let wrongMultipart = try await b.multipart(client, "/reports/new", [("csrf", "x")] + fields)
            XCTAssertEqual(wrongMultipart.status, .forbidden)
            let logout = try await b.post(client, "/logout", [("csrf", "nope")])
            XCTAssertEqual(logout.status, .forbidden)
            // Nothing of the refused ones was written.
            XCTAssertFalse(fx.git(["log", "--format=%s"]).contains("无令牌的报告"))
            // The login form's own token: a login without it is refused too.
            var other = Browser()
            let noLoginToken = try await other.post(client, "/login", [("username", "wang"), ("password", DeskFixture.password)])
            XCTAssertEqual(noLoginToken.status, .forbidden)
            XCTAssertNil(noLoginToken.cookie("kepu_desk"))
            // The right token logs out, and the old session is gone.
            let out = try await b.post(client, "/logout", [("csrf", token)])
            XCTAssertEqual(out.status, .seeOther)
            XCTAssertEqual(out.headers[.location], "/login")
            let after = try await b.get(client, "/")
            XCTAssertEqual(after.status, .seeOther)
        }
    }

    func testTenWrongPasswordsLockTheAccountEvenForTheRightOne() async throws {
        let fx = try DeskFixture()
        try await fx.app().test(.router) { client in
            var b = Browser()
            for i in 0..<10 {
                let r = try await b.login(client, "wang", "wrong-password-\(i)", extra: [HTTPField.Name("X-Real-IP")!: "10.0.0.\(i)"])
                XCTAssertEqual(r.status, .unauthorized)
                XCTAssertNil(r.cookie("kepu_desk"))
            }
            let right = try await b.login(client, "wang", extra: [HTTPField.Name("X-Real-IP")!: "10.0.0.99"])
            XCTAssertEqual(right.status, .tooManyRequests)
            XCTAssertNil(right.cookie("kepu_desk"))
            XCTAssertTrue(right.text.contains("锁定"))
            // Another account is not locked by wang's failures from other addresses.
            var c = Browser()
            let li = try await c.login(client, "li", extra: [HTTPField.Name("X-Real-IP")!: "10.0.1.1"])
            XCTAssertEqual(li.status, .seeOther)
            XCTAssertNotNil(li.cookie("kepu_desk"))
            // One address trying many accounts is locked too, even for a right password afterwards.
            var d = Browser()
            for i in 0..<10 {
                _ = try await d.login(client, "guess\(i)", "x", extra: [HTTPField.Name("X-Real-IP")!: "10.9.9.9"])
            }
            let fromThere = try await d.login(client, "li", extra: [HTTPField.Name("X-Real-IP")!: "10.9.9.9"])
            XCTAssertEqual(fromThere.status, .tooManyRequests)
        }
    }

    func testSessionCookieFlags() async throws {
        let fx = try DeskFixture()
        try await fx.app().test(.router) { client in
            var b = Browser()
            let r = try await b.login(client, "wang")
            let cookie = try XCTUnwrap(r.setCookies.first { $0.hasPrefix("kepu_desk=") })
            XCTAssertTrue(cookie.contains("; HttpOnly"))
            XCTAssertTrue(cookie.contains("; SameSite=Strict"))
            XCTAssertFalse(cookie.contains("Secure"), "plain HTTP on loopback: no Secure, or the browser drops it")
            let token = try XCTUnwrap(r.cookie("kepu_desk"))
            XCTAssertEqual(token.count, 64, "256 random bits as hex")
            XCTAssertTrue(token.allSatisfy(\.isHexDigit))
            // Behind nginx with HTTPS the cookie is Secure.
            var s = Browser()
            let https = try await s.login(client, "wang", extra: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            let secure = try XCTUnwrap(https.setCookies.first { $0.hasPrefix("kepu_desk=") })
            XCTAssertTrue(secure.contains("; Secure"))
            XCTAssertTrue(secure.contains("; HttpOnly"))
            XCTAssertNotEqual(https.cookie("kepu_desk"), token)
        }
        // --secure-cookies marks them whatever the proxy says.
        let fy = try DeskFixture(secure: true)
        try await fy.app().test(.router) { client in
            var b = Browser()
            let r = try await b.login(client, "li")
            XCTAssertTrue(try XCTUnwrap(r.setCookies.first { $0.hasPrefix("kepu_desk=") }).contains("; Secure"))
        }
    }

    func testARemovedUserIsLoggedOutAtTheNextRequest() async throws {
        let fx = try DeskFixture()
        try await fx.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let before = try await b.get(client, "/")
            XCTAssertEqual(before.status, .ok)
            // `kepu desk user remove wang` in another process: the same file, another store.
            try UserStore(path: fx.users.path, cost: 10).remove("wang")
            let after = try await b.get(client, "/")
            XCTAssertEqual(after.status, .seeOther)
            XCTAssertEqual(after.headers[.location], "/login")
        }
    }

    func testALockoutEndsAfterItsTimeAndFailuresOutsideTheWindowDoNotCount() {
        let t = LoginThrottle(limit: 10, window: 900, lockout: 900)
        let t0 = Date()
        // Nine failures, then a tenth after the window: never ten within 15 minutes, no lock.
        for i in 0..<9 { t.fail(account: "wang", address: "a\(i)", now: t0) }
        t.fail(account: "wang", address: "b", now: t0.addingTimeInterval(901))
        XCTAssertFalse(t.isLocked(account: "wang", address: "c", now: t0.addingTimeInterval(902)))
        for _ in 0..<9 { t.fail(account: "wang", address: "d", now: t0.addingTimeInterval(903)) }
        XCTAssertTrue(t.isLocked(account: "wang", address: "elsewhere", now: t0.addingTimeInterval(904)))
        XCTAssertFalse(t.isLocked(account: "li", address: "elsewhere", now: t0.addingTimeInterval(904)))
        XCTAssertFalse(t.isLocked(account: "wang", address: "elsewhere", now: t0.addingTimeInterval(903 + 901)))
    }

    func testIdleSessionsExpire() throws {
        let store = SessionStore(idle: 60)
        let user = DeskUser(name: "wang", role: .reporter, hash: "")
        let t0 = Date()
        let s = store.create(user: user, now: t0)
        XCTAssertNotNil(store.session(s.token, now: t0.addingTimeInterval(59)))
        // Touched at 59 s: alive at 118 s, gone after a minute of nothing.
        XCTAssertNotNil(store.session(s.token, now: t0.addingTimeInterval(118)))
        XCTAssertNil(store.session(s.token, now: t0.addingTimeInterval(179)))
        XCTAssertNotEqual(SessionStore.randomToken(), SessionStore.randomToken())
    }

    func testUploadNamesStayInsideTheBundle() async throws {
        let fx = try DeskFixture()
        try await fx.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let token = try await b.sessionCSRF(client)
            let r = try await b.multipart(client, "/reports/new", [
                ("csrf", token), ("title", "照片名字测试"), ("date", "2023-06-10"), ("kind", "进社区"), ("venue", "吴家营街道"),
                ("audience", "120"), ("activities", "1"), ("body", "六月十日在吴家营街道开展进社区科普活动。"),
            ], files: [("photos", "../../../../../../tmp/kepu-desk-evil.jpg", jpegBytes),
                       ("photos", "/tmp/kepu-desk-absolute.jpg", jpegBytes),
                       ("photos", "..\\..\\win.jpg", jpegBytes)])
            XCTAssertEqual(r.status, .seeOther, r.text)
            let location = try XCTUnwrap(r.headers[.location])
            let path = try XCTUnwrap(location.components(separatedBy: "path=").last?.components(separatedBy: "&").first?.removingPercentEncoding)
            XCTAssertTrue(path.hasPrefix("reports/2023/06/2023-06-10-"), path)
            XCTAssertTrue(path.hasSuffix("/index.md"))
            let bundle = fx.content + "/" + (path as NSString).deletingLastPathComponent
            let files = try FileManager.default.contentsOfDirectory(atPath: bundle).sorted()
            XCTAssertEqual(files.count, 4, "index.md and three photos: \(files)")
            for f in files where f != "index.md" {
                XCTAssertTrue(f.hasPrefix("photo-") && f.hasSuffix(".jpg"), f)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/kepu-desk-evil.jpg"))
            XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/kepu-desk-absolute.jpg"))
            XCTAssertFalse(FileManager.default.fileExists(atPath: fx.content + "/win.jpg"))
            // Listed in the report, and the whole content still passes kepu check.
            let text = fx.read(path)
            XCTAssertEqual(files.filter { $0 != "index.md" }.filter { text.contains($0) }.count, 3)
            XCTAssertEqual(ContentLoader.load(contentDirectory: fx.content).errors, [])
        }
    }

    func testPhotosAreShownOnlyFromInsideTheReports() async throws {
        let fx = try DeskFixture()
        try FileManager.default.createSymbolicLink(atPath: fx.content + "/reports/2023/09/outside.jpg", withDestinationPath: "/etc/hostname")
        try await fx.app().test(.router) { client in
            var b = Browser()
            let anonymous = try await b.get(client, "/photo?path=reports/2023/09/2023-09-16-kepuri/photo-1.jpg")
            XCTAssertEqual(anonymous.status, .seeOther)
            try await b.login(client, "wang")
            let photo = try await b.get(client, "/photo?path=reports/2023/09/2023-09-16-kepuri/photo-1.jpg")
            XCTAssertEqual(photo.status, .ok)
            XCTAssertEqual(photo.headers[.contentType], "image/jpeg")
            XCTAssertEqual(Array(photo.body.readableBytesView), jpegBytes)
            for bad in ["reports/../site.yaml", "../../../../etc/passwd", "/etc/passwd", "reports/2023/09/outside.jpg",
                        "reports/2023/09/2023-09-16-kepuri/../../../../../etc/hostname.jpg", "site.yaml", "reports/2023/05/2023-05-20-kejizhou.md",
                        "reports%2F..%2F..%2Fsite.yaml"] {
                let r = try await b.get(client, "/photo?path=" + bad)
                XCTAssertEqual(r.status, .notFound, bad)
            }
            // The edit form shows the report's photos from there.
            let form = try await b.get(client, "/reports/edit?path=reports/2023/09/2023-09-16-kepuri/index.md")
            XCTAssertTrue(form.text.contains("src=\"/photo?path=reports/2023/09/2023-09-16-kepuri/photo-1.jpg\""))
        }
    }

    func testAnOversizedPhotoGets413AndNothingIsWritten() async throws {
        let fx = try DeskFixture(maxPhotoBytes: 4096)
        try await fx.app().test(.router) { client in
            var b = Browser()
            try await b.login(client, "wang")
            let token = try await b.sessionCSRF(client)
            let big = jpegBytes + [UInt8](repeating: 0x11, count: 5000)
            let before = fx.git(["log", "--oneline"])
            let r = try await b.multipart(client, "/reports/new", [
                ("csrf", token), ("title", "大照片"), ("date", "2023-06-11"), ("kind", "进社区"), ("body", "正文。"),
            ], files: [("photos", "big.jpg", big)])
            XCTAssertEqual(r.status, .contentTooLarge)
            XCTAssertTrue(r.text.contains("照片“big.jpg”太大：每张不能超过"), r.text)
            XCTAssertEqual(fx.git(["log", "--oneline"]), before)
            XCTAssertEqual(fx.git(["status", "--porcelain", "--untracked-files=all"]), "", "no file written")
            // A body over the whole request's allowance (12 photos and 1 MB of text) is 413 before it is parsed.
            var over = ByteBuffer()
            over.writeBytes([UInt8](repeating: 0x61, count: 4096 * 12 + 1024 * 1024 + 1))
            var h = b.headers
            h[.contentType] = "application/x-www-form-urlencoded"
            let huge = try await client.execute(uri: "/reports/new", method: .post, headers: h, body: over)
            XCTAssertEqual(huge.status, .contentTooLarge)
            // Not a photo at all: refused by its bytes, whatever its name says.
            let fake = try await b.multipart(client, "/reports/new", [
                ("csrf", token), ("title", "假照片"), ("date", "2023-06-11"), ("kind", "进社区"), ("body", "正文。"),
            ], files: [("photos", "photo.jpg", Array("#!/bin/sh\necho hi\n".utf8))])
            XCTAssertEqual(fake.status, .unsupportedMediaType)
            XCTAssertTrue(fake.text.contains("不是 JPEG、PNG 或 HEIC 照片"))
            // A JPEG's first bytes and nothing a decoder can read: refused when saved, beside the photos, not at publishing.
            let cut = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x42, count: 300)
            let broken = try await b.multipart(client, "/reports/new", [
                ("csrf", token), ("title", "坏照片"), ("date", "2023-06-12"), ("kind", "进社区"), ("body", "正文。"),
            ], files: [("photos", "cut.jpg", cut)])
            XCTAssertEqual(broken.status, .unprocessableContent)
            XCTAssertTrue(broken.text.contains("id=\"error-photos\""))
            XCTAssertTrue(broken.text.contains("照片“cut.jpg”打不开"))
            XCTAssertEqual(fx.git(["status", "--porcelain", "--untracked-files=all"]), "", "the cut photo was removed again")
        }
    }

    func testUsersFileIsBcryptAndNeverInsideContent() throws {
        let fx = try DeskFixture()
        let data = try String(contentsOfFile: fx.users.path, encoding: .utf8)
        XCTAssertFalse(data.contains(DeskFixture.password))
        XCTAssertTrue(data.contains("$2b$10$") || data.contains("$2y$10$"), data)
        let attributes = try FileManager.default.attributesOfItem(atPath: fx.users.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertNotNil(fx.users.verify("wang", DeskFixture.password))
        XCTAssertNil(fx.users.verify("wang", "wrong"))
        XCTAssertNil(fx.users.verify("nobody", DeskFixture.password))
        XCTAssertThrowsError(try UserStore.checkPlace(fx.content + "/desk-users.json", content: fx.content, output: fx.output))
        XCTAssertThrowsError(try UserStore.checkPlace(fx.output + "/u.json", content: fx.content, output: fx.output))
        XCTAssertNoThrow(try UserStore.checkPlace(UserStore.defaultPath(content: fx.content), content: fx.content, output: fx.output))
        XCTAssertEqual(UserStore.defaultPath(content: fx.content), fx.root + "/desk-users.json")
        XCTAssertThrowsError(try fx.users.add("../x", role: .reporter, password: "12345678"))
        XCTAssertThrowsError(try fx.users.add("zhao", role: .reporter, password: "short"))
        // The cost is never below 10, even when asked.
        XCTAssertEqual(try UserStore(path: fx.root + "/other.json", cost: 4).cost, 10)
    }
}
