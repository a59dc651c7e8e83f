import KepuCore
import KepuMarkdown

/// site.yaml
public struct SiteConfig: Sendable {
    public var title: String
    public var unit: String
    public var languageTag: String
    public var language: Language
    public var baseURL: String
    public var description: String?
    public var example: Bool
    public var allowHTML: Bool
    public var scoring: ScoringWeights
    public var led: LEDConfig
    /// A span of years with an overall goal (总体目标), e.g. 2023–2025.
    public var period: Period?

    public init(title: String, unit: String, languageTag: String = "zh-CN", baseURL: String = "/",
                description: String? = nil, example: Bool = false, allowHTML: Bool = false,
                scoring: ScoringWeights = .national, led: LEDConfig = LEDConfig(), period: Period? = nil) {
        self.title = title
        self.unit = unit
        self.languageTag = languageTag
        self.language = Language(tag: languageTag)
        self.baseURL = baseURL
        self.description = description
        self.example = example
        self.allowHTML = allowHTML
        self.scoring = scoring
        self.led = led
        self.period = period
    }
}

/// Points of the four groups of the self-evaluation (绩效自评).
public struct ScoringWeights: Sendable, Equatable {
    public var execution: Exact
    public var output: Exact
    public var effect: Exact
    public var satisfaction: Exact

    public init(execution: Exact, output: Exact, effect: Exact, satisfaction: Exact) {
        self.execution = execution
        self.output = output
        self.effect = effect
        self.satisfaction = satisfaction
    }

    /// 财预〔2020〕10号: 预算执行率 10, 产出 50, 效益 30, 满意度 10.
    public static let national = ScoringWeights(execution: Exact(10), output: Exact(50), effect: Exact(30), satisfaction: Exact(10))
}

public struct LEDConfig: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var seconds: Int
    public var strip: StripConfig?

    public init(width: Int = 1920, height: Int = 1080, seconds: Int = 10, strip: StripConfig? = nil) {
        self.width = width
        self.height = height
        self.seconds = seconds
        self.strip = strip
    }
}

public struct StripConfig: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
}

public struct Period: Sendable, Equatable {
    public var from: Int
    public var to: Int
    public var goal: String?
    public init(from: Int, to: Int, goal: String?) { self.from = from; self.to = to; self.goal = goal }
}

/// projects/<id>.md
public struct Project: Sendable {
    public var id: String
    public var path: String
    public var name: String
    public var unit: String
    /// 主管部门; defaults to the unit.
    public var department: String
    public var year: Int
    public var budget: Money
    /// 年初预算数; defaults to the budget.
    public var initialBudget: Money
    public var funding: String?
    public var basis: [String]
    public var goal: String?
    public var kinds: [String]?
    public var plan: [PlanEntry]
    public var schedule: [Milestone]
    public var targets: [Target]
    public var body: RenderedMarkdown
    /// Where `year` is written, for an error about the year itself (a copied project that kept it).
    public var yearPosition: Position?
}

public struct PlanEntry: Sendable, Equatable {
    public var kind: String
    public var count: Int
}

public struct Milestone: Sendable, Equatable {
    public var by: Day
    /// Percent of the budget spent by then.
    public var share: Exact
}

public enum Metric: String, Sendable, CaseIterable {
    case activities, audience, spend, execution, schedule, satisfaction, manual
}

public enum Comparison: String, Sendable, CaseIterable {
    case atLeast = ">="
    case atMost = "<="
    case equal = "="

    /// As printed before a target: ≥ / ≤ / =.
    public var symbol: String {
        switch self {
        case .atLeast: return "≥"
        case .atMost: return "≤"
        case .equal: return "="
        }
    }
}

public enum IndicatorGroup: String, Sendable, CaseIterable {
    case output = "产出指标"
    case effect = "效益指标"
    case satisfaction = "满意度指标"
}

/// 达成 / 部分达成 / 未达成 for qualitative rows.
public enum Outcome: String, Sendable, CaseIterable {
    case achieved = "达成"
    case partlyAchieved = "部分达成"
    case notAchieved = "未达成"
}

public enum ManualActual: Sendable, Equatable {
    case number(Exact)
    case outcome(Outcome)
}

/// A deduction rule: `deduct` points for each `per` units short of the target.
public struct DeductionRule: Sendable, Equatable {
    public var deduct: Exact
    public var per: Exact
}

/// A row of the performance target table (绩效目标表).
public struct Target: Sendable {
    public var name: String
    public var group: IndicatorGroup
    public var level2: String
    public var metric: Metric
    public var kinds: [String]?
    public var op: Comparison
    public var value: Exact?
    public var unit: String
    public var points: Exact?
    public var rule: DeductionRule?
    /// 评(扣)分标准 as written in the budget document.
    public var ruleText: String?
    public var actual: ManualActual?
    public var evidence: String?
    public var basis: String?
    /// 偏差原因分析及改进措施.
    public var reason: String?
    /// Shares of points for qualitative outcomes, percent: 100/80/50 unless the row gives its own.
    public var outcomeShares: [Outcome: Exact]
    public var position: Position
}

/// reports/**/<slug>.md or reports/**/<slug>/index.md
extension Report {
    /// The order reports are listed and counted in: by date, then slug.
    public static func precedes(_ a: Report, _ b: Report) -> Bool { (a.date, a.slug) < (b.date, b.slug) }

    /// `reports` in that order. The loader already sorted them and filtering keeps the order, so this
    /// only checks (one pass) rather than sorting 100,000 large values again.
    public static func inOrder(_ reports: [Report]) -> [Report] {
        for i in reports.indices.dropFirst() where precedes(reports[i], reports[i - 1]) {
            return reports.sorted(by: precedes)
        }
        return reports
    }
}

public struct Report: Sendable {
    public var slug: String
    /// Path relative to the site root, for diagnostics and data files.
    public var path: String
    public var title: String
    public var date: Day
    public var kind: String
    /// The project it belongs to, resolved during validation.
    public var projectID: String
    public var explicitProject: String?
    public var venue: String?
    public var audience: Int
    public var activities: Int
    public var spend: [SpendItem]
    public var satisfaction: Survey?
    public var photos: [Photo]
    public var tags: [String]
    public var draft: Bool
    public var summary: String
    public var body: RenderedMarkdown
    /// Where each top-level field stands in the file, for diagnostics found after decoding.
    public var positions: [String: Position]
    /// Images the body shows, checked against `photos` and the disk with them.
    public var bodyImages: [BodyImage] = []

    public var totalSpend: Money { spend.reduce(.zero) { $0 + $1.amount } }
}

public struct SpendItem: Sendable, Equatable {
    public var item: String
    public var amount: Money
}

public struct Survey: Sendable, Equatable {
    public var surveyed: Int
    public var satisfied: Int
}

public struct Photo: Sendable, Equatable {
    /// As written in the front matter.
    public var name: String
    /// Path relative to the content folder, once resolved and checked.
    public var contentPath: String
}

/// led/<slug>.md
public struct Announcement: Sendable {
    public var slug: String
    public var path: String
    public var title: String
    public var seconds: Int?
    public var order: Int
    public var from: Day?
    public var until: Day?
    public var body: RenderedMarkdown

    /// Shown when the build date lies in [from, until], both included.
    public func isShown(on day: Day) -> Bool {
        if let from, day < from { return false }
        if let until, until < day { return false }
        return true
    }
}

/// Everything under content/, decoded and checked.
public struct Content: Sendable {
    public var root: String
    public var site: SiteConfig
    /// Sorted by year, then id.
    public var projects: [Project]
    /// All reports, drafts included, sorted by date then slug.
    public var reports: [Report]
    public var announcements: [Announcement]
    /// Files under static/, relative to static/.
    public var staticFiles: [String]

    public func project(_ id: String) -> Project? { projects.first { $0.id == id } }
}

/// A report photo as published: web-sized copies made at build time (paths relative to the output root).
public struct PublishedPhoto: Sendable, Equatable {
    /// Large copy, at most 1280 px on its longer side.
    public var large: String
    /// Thumbnail, at most 400 px on its longer side.
    public var thumbnail: String
    /// Size of the large copy in pixels.
    public var width: Int
    public var height: Int

    public init(large: String, thumbnail: String, width: Int, height: Int) {
        self.large = large
        self.thumbnail = thumbnail
        self.width = width
        self.height = height
    }
}

extension SiteConfig {
    /// A base URL may be a path or an http(s) address, nothing a browser could run (`javascript:`).
    public static func isSafeBaseURL(_ url: String) -> Bool { Decode.isSafeBaseURL(url) }
}
