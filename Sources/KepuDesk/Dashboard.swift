import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation

/// The first page after logging in: this year's projects against their targets, the next spending milestone and
/// what is still to spend for it, reports without photos or a survey, drafts waiting for review.
enum Dashboard {
    struct Milestone: Equatable {
        var by: Day
        var share: String
        var missing: Money
    }

    /// The next milestone not yet due (on or after today) and how much is still to be paid by its date.
    static func nextMilestone(_ ledger: ProjectLedger, today: Day, f: FigureFormat) -> Milestone? {
        guard let m = ledger.milestones.first(where: { $0.milestone.by >= today }) else { return nil }
        let missing = m.required > m.spentByThen ? m.required - m.spentByThen : .zero
        return Milestone(by: m.milestone.by, share: f.percent(Score(m.milestone.share)), missing: missing)
    }

    static func milestoneSentence(_ m: Milestone, f: FigureFormat, w: Words) -> String {
        if m.missing == .zero {
            return w("已达到 \(f.dayMonth(m.by)) 前支出 \(m.share) 的进度要求", "The \(m.share) due by \(f.dayMonth(m.by)) is already spent")
        }
        return w("还需支出 \(f.money(m.missing)) 才能在 \(f.dayMonth(m.by)) 达到 \(m.share)",
                 "\(f.money(m.missing)) still to spend to reach \(m.share) by \(f.dayMonth(m.by))")
    }

    static func page(store: ReportStore, session: Session, w: Words) -> String {
        let today = store.settings.today
        let loaded = store.loadForDashboard()
        let f = FigureFormat(language: store.settings.language)
        guard let content = loaded.content else {
            return Layout.page(w("首页", "Dashboard"), w, session: session, "<h1>\(w("首页", "Dashboard"))</h1><p class=\"error\">\(w("内容文件夹读不出。", "The content folder cannot be read."))</p>")
        }
        let ledger = Ledger.aggregate(content, now: today)
        var projects = ledger.projects.filter { $0.project.year == today.year }
        if projects.isEmpty, let current = ledger.current { projects = [current] }
        var body = "<h1>\(w("首页", "Dashboard"))</h1>"
        let errors = loaded.errors.count
        if errors > 0 {
            body += "<p class=\"error\">\(w("内容里有 \(errors) 处错误，网站暂时无法更新；运行 kepu check 或打开出错的报告查看。", "\(errors) errors in the content: the site cannot be rebuilt until they are fixed."))</p>"
        }
        let prefix = ContentLoader.displayPrefix(store.settings.contentDirectory) + "/"
        func link(_ r: Report) -> String {
            "<a href=\"/reports/edit?path=\(esc(DeskResponder.percentEncode(String(r.path.dropFirst(prefix.count)))))\">\(esc(r.title))</a>"
        }
        // Drafts first: they are what a reviewer came for.
        let drafts = content.reports.filter(\.draft).sorted { $0.date > $1.date }
        body += "<section class=\"card\"><h2>\(w("等待审核的草稿", "Drafts waiting for review"))（\(drafts.count)）</h2>"
        body += drafts.isEmpty ? "<p>\(w("没有。", "None."))</p>"
            : "<ul>" + drafts.map { "<li>\(link($0)) · \(esc(f.date($0.date))) · \(esc($0.kind))</li>" }.joined() + "</ul>"
        body += "</section>"
        for p in projects {
            body += "<section class=\"card\"><h2>\(esc(p.project.name))（\(p.project.year)）</h2>"
            let rate = p.execution.rate.map { f.percent($0) } ?? "—"
            body += """
            <p class="big">\(w("已支出", "Spent")) \(esc(f.money(p.totals.spend))) / \(w("预算", "budget")) \(esc(f.money(p.project.budget)))（\(esc(rate))）</p>
            <p>\(w("活动", "Activities")) \(esc(f.count(p.totals.activities))) \(w("次", "")) · \(w("服务", "People")) \(esc(f.people(p.totals.audience))) · \(w("报告", "Reports")) \(p.totals.reports) \(w("篇", ""))</p>
            """
            if let m = nextMilestone(p, today: today, f: f) {
                body += "<p class=\"\(m.missing == .zero ? "ok" : "error")\" role=\"status\">\(esc(milestoneSentence(m, f: f, w: w)))</p>"
            }
            for missed in p.milestones where missed.state == .missed {
                body += "<p class=\"note\">\(esc(w("未达到：\(f.dayMonth(missed.milestone.by)) 应支出 \(f.money(missed.required))，实际 \(f.money(missed.spentByThen))", "Missed: \(f.money(missed.required)) due by \(f.dayMonth(missed.milestone.by)), \(f.money(missed.spentByThen)) spent")))</p>"
            }
            var rows = ""
            for row in p.indicators {
                let t = row.target
                // A row of several measures (10 次 and 1万人次) shows each measure's figure.
                let measured = row.measures.map { m in
                    m.actual.map { Figures.quantity($0, unit: m.measure.unit) } ?? m.outcome?.rawValue ?? w("待评", "pending")
                }
                let actual = row.measures.count > 1 ? measured.joined(separator: w("；", "; "))
                    : row.actual.map { Figures.quantity($0, unit: t.unit) } ?? row.outcome?.rawValue ?? measured.first ?? w("待评", "pending")
                let state = row.pending ? w("待评", "pending") : row.met == true ? w("已达到", "met") : row.met == false ? w("未达到", "short") : "—"
                rows += "<tr><td>\(esc(t.name))</td><td>\(esc(Figures.approved(t.op, t.valueText, unit: t.unit)))</td><td>\(esc(actual))</td>"
                    + "<td class=\"\(row.met == true ? "met" : row.met == false ? "short" : "")\">\(esc(state))</td></tr>"
            }
            if !rows.isEmpty {
                body += """
                <div class="table"><table><thead><tr><th>\(w("指标", "Indicator"))</th><th>\(w("目标", "Target"))</th><th>\(w("现在", "Now"))</th><th></th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """
            }
            body += "</section>"
        }
        let ids = Set(projects.map(\.project.id))
        let thisYear = content.reports.filter { ids.contains($0.projectID) }
        let noPhotos = thisYear.filter { $0.photos.isEmpty }
        let noSurvey = thisYear.filter { $0.satisfaction == nil && $0.activities > 0 }
        body += "<section class=\"card\"><h2>\(w("还缺照片的报告", "Reports without photos"))（\(noPhotos.count)）</h2>"
        body += noPhotos.isEmpty ? "<p>\(w("没有。", "None."))</p>" : "<ul>" + noPhotos.map { "<li>\(link($0))</li>" }.joined() + "</ul>"
        body += "</section><section class=\"card\"><h2>\(w("还缺满意度问卷的报告", "Reports without a survey"))（\(noSurvey.count)）</h2>"
        body += noSurvey.isEmpty ? "<p>\(w("没有。", "None."))</p>" : "<ul>" + noSurvey.map { "<li>\(link($0))</li>" }.joined() + "</ul>"
        body += "</section><p><a class=\"button\" href=\"/reports/new\">\(w("记录一次活动", "Record an activity"))</a></p>"
        return Layout.page(w("首页", "Dashboard"), w, session: session, body)
    }
}
