/// Problems of the public site over the years: dated corrections and links between its pages. Kept apart
/// from `Problem` (reached through `Problem.site`) so these rules read in one place.
public enum SiteProblem: Equatable, Sendable {
    /// `updated` or a correction dated before the report's own date.
    case changeBeforeReport(key: String, date: String, reportDate: String)
    /// `updated` or a correction dated after the build date: a change cannot be published before it is made.
    case changeInFuture(key: String, date: String, today: String)
    /// A link in a report's body to a page of the site that the build does not write.
    case brokenLink(target: String)
    /// A link to another report's file (`other.md`) that is not a published report.
    case brokenReportLink(target: String)

    public func text(_ language: Language) -> (message: String, hint: String?) {
        language == .en ? english : chinese
    }

    private var chinese: (message: String, hint: String?) {
        switch self {
        case let .changeBeforeReport(key, date, reportDate):
            return ("\(key) 的日期 \(date) 早于本报道的日期 \(reportDate)",
                    "更正只能发生在报道发布之后；请核对日期（格式 YYYY-MM-DD）。")
        case let .changeInFuture(key, date, today):
            return ("\(key) 的日期 \(date) 晚于生成日期 \(today)", "不能预先登记更正；请写实际修改的日期。")
        case let .brokenLink(target):
            return ("正文链接 \(target) 指向的页面不存在", "请检查链接地址；链接到另一篇报道时，直接写它的文件名，例如 [全国科普日](2023-09-16-kepuri.md)。")
        case let .brokenReportLink(target):
            return ("正文链接 \(target) 不是已发布的报道文件", "请检查文件名（含日期和扩展名 .md），以及那篇报道是否为草稿（draft）。")
        }
    }

    private var english: (message: String, hint: String?) {
        switch self {
        case let .changeBeforeReport(key, date, reportDate):
            return ("\(key) is dated \(date), before the report's own date \(reportDate)",
                    "a correction can only follow publication; check the date (YYYY-MM-DD)")
        case let .changeInFuture(key, date, today):
            return ("\(key) is dated \(date), after the build date \(today)", "write the day the change was actually made")
        case let .brokenLink(target):
            return ("the link \(target) in the body leads to a page the site does not have",
                    "check the address; to link another report, write its file name, e.g. [Science Day](2023-09-16-kepuri.md)")
        case let .brokenReportLink(target):
            return ("the link \(target) is not a published report's file", "check the file name (date and .md) and whether that report is a draft")
        }
    }
}
