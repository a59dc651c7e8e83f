import KepuContent
import KepuCore

/// What the command line prints: diagnostics, then a short summary in the site's language.
public enum Terminal {
    public static func diagnostics(_ list: [Diagnostic], _ language: Language) -> String {
        list.map { $0.formatted(language) + "\n" }.joined()
    }

    public static func checkSummary(_ result: LoadResult) -> String {
        let projects = result.content?.projects.count ?? 0
        let reports = result.content?.reports.count ?? 0
        let drafts = result.content?.reports.filter(\.draft).count ?? 0
        let errors = result.errors.count
        let warnings = result.warnings.count
        switch result.language {
        case .zhCN:
            return "检查完成：\(projects) 个项目，\(reports) 篇报告（其中草稿 \(drafts) 篇），\(errors) 个错误，\(warnings) 个警告"
        case .en:
            return "checked: \(projects) projects, \(reports) reports (\(drafts) drafts), \(errors) errors, \(warnings) warnings"
        }
    }

    public static func buildSummary(_ r: BuildReport, output: String) -> String {
        let ms = { (v: Double) -> String in String(Int(v.rounded())) }
        let phases = r.timings.map { "\(phaseName($0.0, r.language)) \(ms($0.1))" }.joined(separator: ", ")
        let unchanged = r.unchanged != nil
        switch r.language {
        case .zhCN:
            let headline = unchanged ? "没有改动：内容、主题和选项都与上次构建相同，\(output)/ 已是最新，未重新生成" : "构建完成，已写入 \(output)/"
            let time = unchanged ? "\(ms(r.checkMilliseconds)) 毫秒（只做了检查；要全部重新生成，加 --rebuild）"
                : "\(ms(r.totalMilliseconds)) 毫秒（\(phases)）"
            return """
            \(headline)
              项目      \(r.projects)
              报告      \(r.reports)（草稿 \(r.draftsLeftOut) 篇未发布）
              网页      \(r.pages)
              大屏幻灯片 \(r.slides)
              照片      \(r.photos)
              文件      \(r.files)
              警告      \(r.warnings)
              用时      \(time)

            """
        case .en:
            let headline = unchanged ? "nothing changed: content, theme and options are as at the last build; \(output)/ is up to date"
                : "built into \(output)/"
            let time = unchanged ? "\(ms(r.checkMilliseconds)) ms (checked only; --rebuild builds everything)"
                : "\(ms(r.totalMilliseconds)) ms (\(phases))"
            return """
            \(headline)
              projects  \(r.projects)
              reports   \(r.reports) (\(r.draftsLeftOut) drafts left out)
              pages     \(r.pages)
              slides    \(r.slides)
              photos    \(r.photos)
              files     \(r.files)
              warnings  \(r.warnings)
              time      \(time)

            """
        }
    }

    public static func phaseName(_ p: Phase, _ language: Language) -> String {
        guard language == .zhCN else { return p.rawValue }
        switch p {
        case .load: return "读取"
        case .validate: return "读取与校验"
        case .aggregate: return "汇总"
        case .render: return "生成"
        case .write: return "写入"
        }
    }
}
