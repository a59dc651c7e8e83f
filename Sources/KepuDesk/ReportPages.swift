import KepuContent
import KepuCore

/// The report list, the form, the conflict page and a report's history.
enum ReportPages {
    /// The kinds the content format names, for a project that lists none.
    static let standardKinds = ["科技周", "科普日", "科技三下乡", "进社区", "进机关", "进企业", "进学校", "进基层", "反邪教",
                                "青少年科技创新大赛", "培训", "设备"]

    static func list(store: ReportStore, session: Session, w: Words) -> String {
        let loaded = store.load()
        let reports = (loaded.content?.reports ?? []).sorted { ($0.draft ? 0 : 1, $1.date) < ($1.draft ? 0 : 1, $0.date) }
        let prefix = ContentLoader.displayPrefix(store.settings.contentDirectory) + "/"
        var rows = ""
        for r in reports {
            let rel = String(r.path.dropFirst(prefix.count))
            let link = DeskResponder.percentEncode(rel)
            rows += """
            <tr><td><a href="/reports/edit?path=\(esc(link))">\(esc(r.title))</a></td><td>\(esc(r.date.description))</td>\
            <td>\(esc(r.kind))</td><td>\(r.draft ? "<strong>" + w("草稿", "draft") + "</strong>" : w("已公开", "public"))</td>\
            <td><a href="/reports/history?path=\(esc(link))">\(w("历史", "history"))</a></td></tr>
            """
        }
        let body = """
        <h1>\(w("全部报告", "All reports"))</h1>
        <p><a class="button" href="/reports/new">\(w("记录一次活动", "Record an activity"))</a></p>
        <div class="card table"><table><thead><tr><th>\(w("标题", "Title"))</th><th>\(w("日期", "Date"))</th><th>\(w("类型", "Kind"))</th>\
        <th>\(w("状态", "State"))</th><th></th></tr></thead><tbody>\(rows)</tbody></table></div>
        """
        return Layout.page(w("全部报告", "All reports"), w, session: session, body)
    }

    /// The kinds to offer: the project's (the one the date falls in), else the standard list; the current value kept.
    static func kinds(store: ReportStore, form: ReportForm) -> [String] {
        let projects = store.load().content?.projects ?? []
        let year = (try? Day.parse(form.date.trimmingSpaces))?.year ?? store.settings.today.year
        let candidates = projects.filter { $0.year == year }
        var list = candidates.count == 1 ? (candidates[0].kinds ?? standardKinds) : standardKinds
        let current = form.kind.trimmingSpaces
        if !current.isEmpty && !list.contains(current) { list.insert(current, at: 0) }
        return list
    }

    static func form(store: ReportStore, session: Session, w: Words, form: ReportForm, path: String?, isNew: Bool,
                     hash: String?, problems: [FieldProblem], message: String?, published: Bool = false) -> String {
        func problemsFor(_ field: String) -> String {
            problems.filter { $0.field == field }.map {
                "<p class=\"error\" role=\"alert\" id=\"error-\(esc(field))\">\(esc($0.message))\($0.hint.map { "<br><span class=\"note\">" + esc($0) + "</span>" } ?? "")</p>"
            }.joined()
        }
        func bad(_ field: String) -> String { problems.contains { $0.field == field } ? " bad" : "" }
        func described(_ field: String) -> String { problems.contains { $0.field == field } ? " aria-describedby=\"error-\(field)\" aria-invalid=\"true\"" : "" }
        func text(_ name: String, _ label: String, _ value: String, note: String? = nil, type: String = "text", required: Bool = false,
                  mode: String? = nil) -> String {
            """
            <div class="field\(bad(name))"><label for="\(name)">\(label)\(required ? " *" : "")</label>
            \(problemsFor(name))<input type="\(type)" id="\(name)" name="\(name)" value="\(esc(value))"\(required ? " required" : "")\(mode.map { " inputmode=\"\($0)\"" } ?? "")\(described(name))>
            \(note.map { "<p class=\"note\">\($0)</p>" } ?? "")</div>
            """
        }
        let general = problems.filter { p in p.field == nil || !knownFields.contains(p.field!) }
        var spendRows = ""
        for (i, row) in form.spend.enumerated() {
            spendRows += """
            <tr><td><input type="text" name="spend[\(i)][item]" value="\(esc(row.item))" aria-label="\(w("支出项目", "Item")) \(i + 1)"></td>\
            <td><input type="text" name="spend[\(i)][amount]" value="\(esc(row.amount))" inputmode="decimal" aria-label="\(w("金额", "Amount")) \(i + 1)">\
            <input type="hidden" name="spend[\(i)][source]" value="\(esc(row.source))"><input type="hidden" name="spend[\(i)][paid]" value="\(esc(row.paid))"></td>\
            <td><label><input type="checkbox" name="spend[\(i)][remove]" value="1"> \(w("删除", "remove"))</label></td></tr>
            """
        }
        var photos = ""
        let folder = path.map { $0.split(separator: "/").dropLast().joined(separator: "/") }
        for name in form.photos {
            let lower = name.lowercased()
            let shown = folder != nil && (lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png"))
            let preview = shown ? "<img src=\"/photo?path=\(esc(DeskResponder.percentEncode(folder! + "/" + name)))\" alt=\"\" width=\"96\" loading=\"lazy\"><br>" : ""
            photos += "<li>\(preview)<input type=\"hidden\" name=\"photos\" value=\"\(esc(name))\">\(esc(name)) <label><input type=\"checkbox\" name=\"remove_photo\" value=\"\(esc(name))\"> \(w("不用这张", "remove"))</label></li>"
        }
        let kindOptions = kinds(store: store, form: form).map {
            "<option\($0 == form.kind.trimmingSpaces ? " selected" : "")>\(esc($0))</option>"
        }.joined()
        let action = isNew ? "/reports/new" : "/reports/edit"
        let heading = isNew ? w("记录一次活动", "Record an activity") : w("修改报告", "Edit report")
        var body = """
        <h1>\(heading)</h1>
        \(message.map { "<p class=\"ok\" role=\"status\">\(esc($0))</p>" } ?? "")
        \(problems.isEmpty ? "" : "<p class=\"error\" role=\"alert\">" + w("还有 \(problems.count) 处要改，见下面标红的地方。文件没有保存。", "\(problems.count) problems to fix, marked below. Nothing was saved.") + "</p>")
        \(general.map { "<p class=\"error\">\(esc($0.formatted.isEmpty ? $0.message : $0.message))</p>" }.joined())
        <form method="post" action="\(action)" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="\(esc(session.csrf))">
        <button type="submit" class="default-save" tabindex="-1" aria-hidden="true">\(w("保存", "Save"))</button>
        <input type="hidden" name="path" value="\(esc(path ?? ""))">
        <input type="hidden" name="hash" value="\(esc(hash ?? ""))">
        <div class="grid">
        <div class="card wide">
        \(text("title", w("标题", "Title"), form.title, required: true))
        </div>
        <div class="card">
        \(text("date", w("活动日期", "Date"), form.date, note: w("写成 2023-05-20。报告按日期归入那一年的项目。", "Like 2023-05-20; the date decides the project."), type: "text", required: true, mode: "numeric"))
        <div class="field\(bad("kind"))"><label for="kind">\(w("活动类型", "Kind")) *</label>\(problemsFor("kind"))
        <select id="kind" name="kind"\(described("kind"))><option value="">\(w("请选择", "Choose"))</option>\(kindOptions)</select></div>
        \(text("venue", w("地点", "Venue"), form.venue))
        </div>
        <div class="card">
        \(text("audience", w("服务人次", "People served"), form.audience, note: w("整数，例如 2600。", "A whole number."), mode: "numeric"))
        \(text("activities", w("算几次活动", "Counts as activities"), form.activities, note: w("一般是 1；纯采购写 0。", "Usually 1; 0 for a purchase."), mode: "numeric"))
        <fieldset class="field\(bad("satisfaction"))"><legend>\(w("满意度问卷", "Survey"))</legend>\(problemsFor("satisfaction"))
        <label for="surveyed">\(w("调查人数", "Surveyed"))</label><input type="text" id="surveyed" name="satisfaction[surveyed]" inputmode="numeric" value="\(esc(form.surveyed))">
        <label for="satisfied">\(w("满意人数", "Satisfied"))</label><input type="text" id="satisfied" name="satisfaction[satisfied]" inputmode="numeric" value="\(esc(form.satisfied))">
        </fieldset>
        </div>
        <div class="card wide">
        <fieldset class="field\(bad("spend"))"><legend>\(w("支出", "Spending"))</legend>\(problemsFor("spend"))
        <div class="table"><table class="rows"><thead><tr><th>\(w("支出项目", "Item"))</th><th>\(w("金额（元）", "Amount (yuan)"))</th><th></th></tr></thead>
        <tbody>\(spendRows)</tbody></table></div>
        <p class="note">\(w("金额精确到分，如 1800 或 1,860.50。空着的行不会保存。", "Exact to the fen, e.g. 1800 or 1,860.50. Empty rows are not saved."))</p>
        <button class="plain" type="submit" name="action" value="add_row" formnovalidate>\(w("添加一行", "Add a row"))</button>
        </fieldset>
        </div>
        <div class="card wide">
        <div class="field\(bad("photos"))"><label for="photos">\(w("照片", "Photos"))</label>\(problemsFor("photos"))
        \(photos.isEmpty ? "" : "<ul class=\"photos\">\(photos)</ul>")
        <input type="file" id="photos" name="photos" accept="image/*" multiple\(described("photos"))>
        <p class="note">\(w("可以直接用手机拍照或从相册选，一次可选多张；JPEG、PNG、HEIC，每张不超过 \(store.settings.maxPhotoBytes / 1024 / 1024) MB。", "Take or choose photos: JPEG, PNG or HEIC, at most \(store.settings.maxPhotoBytes / 1024 / 1024) MB each."))</p></div>
        \(text("tags", w("标签", "Tags"), form.tags, note: w("用逗号分开，如：科普日，防灾减灾", "Separated by commas")))
        \(text("summary", w("一句话简介（可不填）", "Summary (optional)"), form.summary))
        <div class="field\(bad("body"))"><label for="body">\(w("正文", "Text")) *</label>\(problemsFor("body"))
        <textarea id="body" name="body"\(described("body"))>\(esc(form.body))</textarea>
        <p class="note">\(w("写活动时间、地点、内容、参加人数、效果等。第一段会作为列表里的简介。", "When, where, what, who came, what it achieved."))</p></div>
        """
        if published && session.role != .reviewer {
            body = "<p class=\"note\">" + w("这篇报告已经公开，只有审核人员可以更正。", "This report is public: only a reviewer can correct it.") + "</p>" + body
        }
        if published {
            body += """
            <div class="field\(bad("correction"))"><label for="correction">\(w("更正说明", "Correction note")) *</label>\(problemsFor("correction"))
            <input type="text" id="correction" name="correction" value="\(esc(form.correction))"\(described("correction"))>
            <p class="note">\(w("这篇已经公开。修改后要写明改了什么，例如“参与人数由 300 人次更正为 3200 人次”，会显示在报告的更正记录里。", "This report is public: say what you changed; it is shown on the report's page."))</p></div>
            """
        }
        body += """
        </div></div>
        <p><button type="submit">\(isNew || form.draft ? w("保存草稿", "Save draft") : w("保存修改", "Save"))</button></p>
        </form>
        """
        if let path, !isNew {
            let link = DeskResponder.percentEncode(path)
            body += "<p><a href=\"/reports/history?path=\(esc(link))\">\(w("查看修改历史", "History"))</a></p>"
            if form.draft && session.role == .reviewer {
                body += """
                <form class="card" method="post" action="/reports/publish"><input type="hidden" name="csrf" value="\(esc(session.csrf))">
                <input type="hidden" name="path" value="\(esc(path))">
                <p>\(w("审核无误后发布：报告会公开，网站马上重新生成。", "Publish when checked: the report goes public and the site is rebuilt."))</p>
                <button type="submit" name="publish" value="1">\(w("审核通过并发布", "Publish"))</button></form>
                """
            }
        }
        return Layout.page(heading, w, session: session, body)
    }

    static let knownFields: Set<String> = ["title", "date", "kind", "venue", "audience", "activities", "spend", "satisfaction",
                                           "photos", "tags", "summary", "body", "correction"]

    static func conflict(session: Session, w: Words, path: String, theirs: String, mine: String, hash: String) -> String {
        let link = DeskResponder.percentEncode(path)
        return Layout.page(w("有人同时修改了", "Changed meanwhile"), w, session: session, """
        <h1>\(w("没有保存：这篇报告在你打开之后被别人改过", "Not saved: the report changed after you opened it"))</h1>
        <p class="error" role="alert">\(w("为了不覆盖别人的修改，这次没有保存。下面是文件现在的内容和你要保存的内容；请重新打开报告，把你的修改再做一次。", "To keep the other change, nothing was saved. Both versions are below; reopen the report and make your change again."))</p>
        <div class="grid"><div><h2>\(w("文件现在的内容", "The file now"))</h2><pre>\(esc(theirs))</pre></div>
        <div><h2>\(w("你要保存的内容", "Your version"))</h2><pre>\(esc(mine))</pre></div></div>
        <p><a class="button" href="/reports/edit?path=\(esc(link))">\(w("重新打开这篇报告", "Reopen the report"))</a></p>
        """)
    }

    static func history(store: ReportStore, session: Session, w: Words, path: String) -> String {
        let folder = path.split(separator: "/").dropLast().joined(separator: "/")
        let paths = ContentLoader.isBundleIndex(path) ? [folder] : [path]
        let entries = store.repository.history(paths)
        let rows = entries.map {
            "<tr><td>\(esc($0.date))</td><td>\(esc($0.author))</td><td>\(esc($0.subject))</td><td><code>\(esc($0.hash))</code></td></tr>"
        }.joined()
        let link = DeskResponder.percentEncode(path)
        return Layout.page(w("修改历史", "History"), w, session: session, """
        <h1>\(w("修改历史", "History"))</h1><p><code>\(esc(path))</code></p>
        <div class="card table"><table><thead><tr><th>\(w("时间", "When"))</th><th>\(w("谁", "Who"))</th><th>\(w("做了什么", "What"))</th><th>\(w("版本", "Commit"))</th></tr></thead>
        <tbody>\(rows.isEmpty ? "<tr><td colspan=\"4\">" + w("还没有记录。", "No history yet.") + "</td></tr>" : rows)</tbody></table></div>
        <p><a href="/reports/edit?path=\(esc(link))">\(w("回到这篇报告", "Back to the report"))</a></p>
        """)
    }
}
