import Foundation
import HTTPTypes
import Hummingbird
import KepuContent
import KepuCore
import Logging

/// The request's context: the peer's address (for lockouts), and once checked, the session and the form.
public struct DeskContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peer: String?
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}

/// The staff desk: every request goes through `respond`, which lets nothing but the login page (and its style)
/// through without a session, and no POST through without the session's CSRF token.
public struct DeskResponder: HTTPResponder {
    public typealias Context = DeskContext
    public let users: UserStore
    public let sessions: SessionStore
    public let throttle: LoginThrottle
    public let store: ReportStore
    let w: Words

    static let sessionCookie = "kepu_desk"
    static let loginCookie = "kepu_desk_login"

    public init(users: UserStore, store: ReportStore, sessions: SessionStore? = nil, throttle: LoginThrottle = LoginThrottle()) {
        self.users = users
        self.store = store
        self.sessions = sessions ?? SessionStore(idle: store.settings.idleSeconds)
        self.throttle = throttle
        w = Words(language: store.settings.language)
    }

    var settings: DeskSettings { store.settings }

    public func respond(to request: Request, context: DeskContext) async throws -> Response {
        var response = try await route(request, context)
        // Pages with a member of staff's data are never cached, framed or sniffed.
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return response
    }

    func route(_ request: Request, _ context: DeskContext) async throws -> Response {
        var request = request
        let path = request.uri.path
        let post = request.method == .post
        if path == "/login" {
            if post {
                guard let form = try await readForm(&request, limit: 64 * 1024) else { return tooLarge() }
                // Before a session there is no session token: the login form's token is checked against its cookie.
                guard let expected = cookie(request, Self.loginCookie), let sent = form["csrf"], constantTimeEqual(expected, sent) else {
                    return forbidden()
                }
                return login(request, context, form)
            }
            if let s = session(request) { _ = s; return redirect("/") }
            return loginPage(request, error: nil, username: "", status: .ok)
        }
        guard let session = session(request) else { return redirect("/login") }
        if post {
            let limit = settings.maxPhotoBytes * 12 + 1024 * 1024
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { return tooLarge() }
            guard let form = try await readForm(&request, limit: limit) else { return tooLarge() }
            guard let sent = form["csrf"], constantTimeEqual(sent, session.csrf) else { return forbidden() }
            switch path {
            case "/logout":
                sessions.end(session.token)
                var r = redirect("/login")
                r.headers.append(HTTPField(name: .setCookie, value: clearCookie(request)))
                return r
            case "/reports/new": return saveReport(request, session, form, isNew: true)
            case "/reports/edit": return saveReport(request, session, form, isNew: false)
            case "/reports/publish": return publish(session, form)
            default: return notFound(session)
            }
        }
        guard request.method == .get || request.method == .head else { return forbidden() }
        let query = request.uri.queryParameters
        switch path {
        case "/": return html(Dashboard.page(store: store, session: session, w: w))
        case "/reports": return html(ReportPages.list(store: store, session: session, w: w))
        case "/reports/new":
            var form = ReportForm()
            form.date = settings.today.description
            form.spend = [SpendRow(), SpendRow()]
            return html(ReportPages.form(store: store, session: session, w: w, form: form, path: nil, isNew: true, hash: nil,
                                         problems: [], message: nil))
        case "/reports/edit":
            guard let p = query["path"].map(String.init), let opened = store.open(p) else { return notFound(session) }
            var form = opened.form
            form.spend += [SpendRow()]
            let saved = query["saved"] != nil
            return html(ReportPages.form(store: store, session: session, w: w, form: form, path: p, isNew: false, hash: opened.hash,
                                         problems: [], message: saved ? w("已保存。", "Saved.") + (form.draft ? w("这是草稿，审核人员发布后才会公开。", " It is a draft until a reviewer publishes it.") : "") : nil,
                                         published: !opened.report.draft))
        case "/photo":
            guard let p = query["path"].map(String.init), let photo = store.photo(p) else { return notFound(session) }
            var buffer = ByteBuffer()
            buffer.writeBytes(photo.bytes)
            return Response(status: .ok, headers: [.contentType: photo.type], body: .init(byteBuffer: buffer))
        case "/reports/history":
            guard let p = query["path"].map(String.init), store.readText(p) != nil else { return notFound(session) }
            return html(ReportPages.history(store: store, session: session, w: w, path: p))
        default: return notFound(session)
        }
    }

    // MARK: Sessions

    func cookie(_ request: Request, _ name: String) -> String? {
        request.cookies[name]?.value
    }

    func session(_ request: Request) -> Session? {
        guard let token = cookie(request, Self.sessionCookie), token.utf8.count == 64, let s = sessions.session(token) else { return nil }
        users.reloadIfChanged()
        guard users.user(s.user) != nil else {
            sessions.end(token)
            return nil
        }
        return s
    }

    /// HTTPS when told (`--secure-cookies`) or when nginx says the browser used it.
    func isSecure(_ request: Request) -> Bool {
        settings.secureCookies || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    func cookieHeader(_ request: Request, name: String, value: String) -> String {
        "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict" + (isSecure(request) ? "; Secure" : "")
    }

    func clearCookie(_ request: Request) -> String {
        "\(Self.sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (isSecure(request) ? "; Secure" : "")
    }

    /// The address a login came from: the peer, or behind nginx on this machine the address nginx passes on.
    func address(_ request: Request, _ context: DeskContext) -> String {
        let peer = context.peer
        let local = peer == nil || peer == "127.0.0.1" || peer == "::1"
        if local, let real = request.headers[HTTPField.Name("X-Real-IP")!], !real.isEmpty { return real }
        return peer ?? "local"
    }

    func login(_ request: Request, _ context: DeskContext, _ form: FormData) -> Response {
        let name = (form["username"] ?? "").trimmingSpaces
        let password = form["password"] ?? ""
        let from = address(request, context)
        if throttle.isLocked(account: name, address: from) {
            return loginPage(request, error: w("密码错误次数太多，这个账号（或这台设备）已暂时锁定 15 分钟。请稍后再试，或请管理员帮忙。",
                                               "Too many wrong passwords: this account (or this address) is locked for 15 minutes."),
                             username: name, status: .tooManyRequests)
        }
        // Users added or given a new password with `kepu desk user` count from their next login.
        users.reloadIfChanged()
        guard let user = users.verify(name, password) else {
            throttle.fail(account: name, address: from)
            return loginPage(request, error: w("用户名或密码不对。", "Wrong user name or password."), username: name, status: .unauthorized)
        }
        throttle.succeed(account: name)
        let s = sessions.create(user: user)
        var r = redirect("/")
        r.headers.append(HTTPField(name: .setCookie, value: cookieHeader(request, name: Self.sessionCookie, value: s.token)))
        return r
    }

    func loginPage(_ request: Request, error: String?, username: String, status: HTTPResponse.Status) -> Response {
        // The browser's login token stays the same while it has one: a second GET (the favicon, redirected here,
        // another tab) must not invalidate the form already on screen.
        let existing = cookie(request, Self.loginCookie).flatMap { $0.utf8.count == 64 && $0.allSatisfy(\.isHexDigit) ? $0 : nil }
        let token = existing ?? SessionStore.randomToken()
        let body = """
        <h1>\(w("登录", "Log in"))</h1>
        <form class="card" method="post" action="/login">
        \(error.map { "<p class=\"error\" role=\"alert\">\(esc($0))</p>" } ?? "")
        <input type="hidden" name="csrf" value="\(token)">
        <div class="field"><label for="username">\(w("用户名", "User name"))</label>
        <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" required value="\(esc(username))"></div>
        <div class="field"><label for="password">\(w("密码", "Password"))</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required></div>
        <button type="submit">\(w("登录", "Log in"))</button>
        </form>
        <p class="note">\(w("没有账号或忘了密码，请找单位的信息管理员。", "No account or forgot the password? Ask your IT administrator."))</p>
        """
        var r = html(Layout.page(w("登录", "Log in"), w, session: nil, body), status: status)
        r.headers.append(HTTPField(name: .setCookie, value: cookieHeader(request, name: Self.loginCookie, value: token)))
        return r
    }

    // MARK: Reports

    static func reportForm(from data: FormData) -> ReportForm {
        var f = ReportForm()
        f.title = data["title"] ?? ""
        f.date = data["date"] ?? ""
        f.kind = data["kind"] ?? ""
        f.venue = data["venue"] ?? ""
        f.audience = data["audience"] ?? ""
        f.activities = data["activities"] ?? ""
        f.summary = data["summary"] ?? ""
        f.tags = data["tags"] ?? ""
        f.body = (data["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        f.correction = data["correction"] ?? ""
        f.surveyed = data["satisfaction[surveyed]"] ?? ""
        f.satisfied = data["satisfaction[satisfied]"] ?? ""
        var rows: [Int: SpendRow] = [:]
        var removed = Set<Int>()
        for (name, value) in data.fields where name.hasPrefix("spend[") {
            let parts = name.dropFirst(6).split(separator: "]", omittingEmptySubsequences: true)
            guard parts.count == 2, let i = Int(parts[0]), (0..<200).contains(i), parts[1].hasPrefix("[") else { continue }
            var row = rows[i] ?? SpendRow()
            switch parts[1].dropFirst() {
            case "item": row.item = value
            case "amount": row.amount = value
            case "source": row.source = value
            case "paid": row.paid = value
            case "remove": removed.insert(i)
            default: break
            }
            rows[i] = row
        }
        f.spend = rows.keys.sorted().filter { !removed.contains($0) }.map { rows[$0]! }
        let remove = Set(data.all("remove_photo"))
        f.photos = data.all("photos").filter { !remove.contains($0) && !$0.isEmpty }
        return f
    }

    func saveReport(_ request: Request, _ session: Session, _ data: FormData, isNew: Bool) -> Response {
        guard let user = users.user(session.user) else { sessions.end(session.token); return redirect("/login") }
        var form = Self.reportForm(from: data)
        let path = data["path"].flatMap { $0.isEmpty ? nil : $0 }
        let hash = data["hash"]
        let uploads = data.files.filter { $0.field == "photos" }.map(\.upload)
        let published = !isNew && (path.flatMap { store.open($0) }.map { !$0.report.draft } ?? false)
        func again(_ problems: [FieldProblem], message: String?, status: HTTPResponse.Status, form: ReportForm, path: String?) -> Response {
            var shown = form
            shown.spend += [SpendRow()]
            return html(ReportPages.form(store: store, session: session, w: w, form: shown, path: path, isNew: isNew, hash: hash,
                                         problems: problems, message: message, published: published), status: status)
        }
        if data["action"] == "add_row" {
            form.spend += [SpendRow(), SpendRow()]
            return again([], message: uploads.isEmpty ? nil : w("添加行时照片没有上传，请保存前重新选择照片。", "Photos are not uploaded when adding rows; choose them again."),
                         status: .ok, form: form, path: path)
        }
        // Each photo is judged before anything is written: too large is 413, not a photo is refused by name.
        for u in uploads where u.bytes.count > settings.maxPhotoBytes {
            let text = ReportStore.photoMessage(.tooLarge(u.filename, limit: settings.maxPhotoBytes), settings.language)
            return html(Layout.page(w("照片太大", "Photo too large"), w, session: session,
                                    "<h1>\(w("照片太大", "Photo too large"))</h1><p class=\"error\" role=\"alert\">\(esc(text))</p><p>\(w("请返回上一页，换一张较小的照片。", "Go back and choose a smaller photo."))</p>"),
                        status: .contentTooLarge)
        }
        for u in uploads where ReportStore.imageKind(u.bytes) == nil {
            let text = ReportStore.photoMessage(.notAnImage(u.filename), settings.language)
            return again([FieldProblem(field: "photos", message: text, hint: nil, formatted: "")], message: nil,
                         status: .unsupportedMediaType, form: form, path: path)
        }
        let outcome = store.save(.init(path: path, isNew: isNew, form: form, openedHash: isNew ? nil : hash, uploads: uploads, user: user))
        switch outcome {
        case let .saved(p, _):
            return redirect("/reports/edit?path=" + Self.percentEncode(p) + "&saved=1")
        case let .invalid(problems, f, p):
            return again(problems, message: nil, status: .unprocessableContent, form: f, path: isNew ? p : path)
        case let .conflict(theirs, mine, newHash):
            return html(ReportPages.conflict(session: session, w: w, path: path ?? "", theirs: theirs, mine: mine, hash: newHash),
                        status: .conflict)
        case let .refused(message):
            return again([FieldProblem(field: nil, message: message, hint: nil, formatted: "")], message: nil, status: .badRequest,
                         form: form, path: path)
        }
    }

    func publish(_ session: Session, _ data: FormData) -> Response {
        guard let user = users.user(session.user) else { return redirect("/login") }
        guard user.role == .reviewer else { return forbidden() }
        guard let path = data["path"], ReportStore.isSafeReportPath(path) else { return notFound(session) }
        switch store.publish(path, user: user) {
        case .published:
            return html(Layout.page(w("已发布", "Published"), w, session: session, """
                <h1>\(w("已发布", "Published"))</h1><p class="ok" role="status">\(w("报告已公开，网站已重新生成。", "The report is public and the site was rebuilt."))</p>
                <p><a href="/reports/edit?path=\(esc(Self.percentEncode(path)))">\(w("回到这篇报告", "Back to the report"))</a> · <a href="/">\(w("回首页", "Dashboard"))</a></p>
                """))
        case let .failed(lines):
            return html(Layout.page(w("没有发布", "Not published"), w, session: session, """
                <h1>\(w("没有发布", "Not published"))</h1>
                <p class="error" role="alert">\(w("发布失败，网站没有任何改动。原因：", "Publishing failed; the site was not changed. Why:"))</p>
                <pre>\(esc(lines.joined(separator: "\n")))</pre>
                <p><a href="/reports/edit?path=\(esc(Self.percentEncode(path)))">\(w("回到这篇报告修改", "Back to the report"))</a></p>
                """), status: .unprocessableContent)
        }
    }

    // MARK: Responses

    func readForm(_ request: inout Request, limit: Int) async throws -> FormData? {
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch let e as HTTPError where e.status == .contentTooLarge {
            return nil
        }
        let bytes = Array(buffer.readableBytesView)
        return FormData.parse(contentType: request.headers[.contentType], body: bytes) ?? FormData()
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func redirect(_ to: String) -> Response {
        Response(status: .seeOther, headers: [.location: to, .contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "<a href=\"\(esc(to))\">\(esc(to))</a>")))
    }

    func forbidden() -> Response {
        html(Layout.page("403", w, session: nil, "<h1>403</h1><p class=\"error\">\(w("这个请求被拒绝了：页面可能已过期。请回到上一页，刷新后再提交。", "Refused: the page may have expired. Reload it and submit again."))</p><p><a href=\"/\">\(w("回首页", "Dashboard"))</a></p>"),
             status: .forbidden)
    }

    func tooLarge() -> Response {
        html(Layout.page("413", w, session: nil, "<h1>413</h1><p class=\"error\">\(w("上传的内容太大：每张照片不能超过 \(settings.maxPhotoBytes / 1024 / 1024) MB。", "The upload is too large: at most \(settings.maxPhotoBytes / 1024 / 1024) MB per photo."))</p>"),
             status: .contentTooLarge)
    }

    func notFound(_ session: Session) -> Response {
        html(Layout.page("404", w, session: session, "<h1>\(w("找不到这一页", "Not found"))</h1><p><a href=\"/\">\(w("回首页", "Dashboard"))</a></p>"),
             status: .notFound)
    }

    static func percentEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// Runs the desk until interrupted.
public enum DeskServer {
    public static func application(_ responder: DeskResponder, host: String, port: Int,
                                   onRunning: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "kepu-desk")
        logger.logLevel = .warning
        return Application(responder: responder, configuration: .init(address: .hostname(host, port: port), serverName: nil),
                           onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }

    /// Serves until SIGINT or SIGTERM; returns the exit code. A content folder outside git becomes a repository first.
    public static func run(settings: DeskSettings, users: UserStore, host: String, port: Int) -> Int32 {
        let w = Words(language: settings.language)
        let store = ReportStore(settings: settings)
        if let problem = store.repository.ensure() {
            FileHandle.standardError.write(Data((w("错误: 无法为内容文件夹建立 git 版本库：", "error: cannot make the content folder a git repository: ") + problem + "\n").utf8))
            return 1
        }
        if users.all.isEmpty {
            FileHandle.standardError.write(Data(w("提示: 还没有用户。先运行 kepu desk user add 名字 --role 审核（密码从标准输入读取）。\n",
                                                  "note: no users yet; add one with kepu desk user add NAME --role reviewer\n").utf8))
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            FileHandle.standardError.write(Data(w("警告: 监听 \(host)，不只是本机。请放在启用 HTTPS 的 nginx 后面（见 README 的 deploy/nginx-desk.conf），并加 --secure-cookies。\n",
                                                  "warning: listening on \(host), not only this computer; put the desk behind nginx with TLS (deploy/nginx-desk.conf) and use --secure-cookies\n").utf8))
        }
        let app = application(DeskResponder(users: users, store: store), host: host, port: port) { actual in
            let line = w("科普工作台已启动：", "kepu desk: ") + "http://\(host.contains(":") ? "[" + host + "]" : host):\(actual)/\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await app.runService() } catch { failure.set("\(error)") }
            done.signal()
        }
        done.wait()
        if let e = failure.value {
            FileHandle.standardError.write(Data((w("错误: ", "error: ") + e + "\n").utf8))
            return 1
        }
        return 0
    }
}

final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ t: String) { lock.withLock { text = t } }
    var value: String? { lock.withLock { text } }
}
