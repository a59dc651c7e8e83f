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
    /// site.yaml as messages name it, and where `title` and `unit` are written in it.
    public var path = "site.yaml"
    public var positions: [String: Position] = [:]

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
    /// What the panel can light: full colour, red only, or red and green (and yellow, where both are lit).
    public var colors: LEDColors

    public init(width: Int = 1920, height: Int = 1080, seconds: Int = 10, strip: StripConfig? = nil, colors: LEDColors = .full) {
        self.width = width
        self.height = height
        self.seconds = seconds
        self.strip = strip
        self.colors = colors
    }
}

/// `led.colors`: single- and dual-colour boards light only red, or red and green (yellow is both).
public enum LEDColors: String, Sendable, Equatable, CaseIterable {
    case full, single, dual
}

/// LED modules by their name (pixel pitch), in pixels per module: a panel is `modules` of them.
/// P10 single/dual-colour modules are 32×16 px; the indoor full-colour ones below are the common sizes.
public enum LEDModule {
    public static let sizes: [(name: String, width: Int, height: Int)] = [
        ("p10", 32, 16), ("p8", 32, 16), ("p6", 32, 32), ("p5", 64, 32), ("p4.75", 64, 32), ("p4", 80, 40),
        ("p3", 64, 64), ("p2.5", 64, 64), ("p2", 128, 64),
    ]

    public static func size(_ name: String) -> (width: Int, height: Int)? {
        let key = name.lowercased().trimmingSpaces
        return sizes.first { $0.name == key }.map { ($0.width, $0.height) }
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
    /// 项目资金 其中 rows: where the budget comes from, adding up to it. At least one (当年财政拨款 = budget).
    public var sources: [FundingSource]
    /// 评价结论, 存在问题, 改进措施 in the unit's own words.
    public var review: Review
    public var signatures: Signatures
    /// What staff add to the mid-year 监控表 (财预〔2019〕136号): the as-of date and, per target, what only they know.
    public var monitoring: Monitoring = Monitoring()
    /// 分值 of the execution row and of each target row (by index), as the form prints them: at most two
    /// decimals, adding up to 100 (the loader refuses a table that does not).
    public var points: PointsAllocation
    /// Where the file's front matter starts, for problems of the project as a whole.
    public var position: Position
    public var body: RenderedMarkdown

    /// The source a spend item names, or the first (当年财政拨款 unless the project says otherwise).
    public func source(named name: String?) -> FundingSource? {
        guard let name else { return sources.first }
        return sources.first { $0.name == name }
    }

    /// Where `name` is written, for messages about the name (the LED strip's character check).
    public var namePosition: Position? = nil

    /// Where `year` is written, for an error about the year itself (a copied project that kept it).
    public var yearPosition: Position?
}

/// The project file's `monitoring:`.
public struct Monitoring: Sendable, Equatable {
    /// nil: the last month end on or before the build date within the project's year.
    public var asOf: Day?
    /// By target index (0-based), at most one each.
    public var entries: [Int: MonitoringEntry]
    public init(asOf: Day? = nil, entries: [Int: MonitoringEntry] = [:]) {
        self.asOf = asOf
        self.entries = entries
    }
}

/// One target's line of the 监控表 beyond the figures: staff's words, shown as written.
public struct MonitoringEntry: Sendable, Equatable {
    /// 全年预计完成情况, as staff write it ("11次；10,800人次"); nil: none given (the form says so).
    public var forecast: String?
    public var cause: DeviationCause?
    public var likelihood: Likelihood?
    /// 纠偏措施.
    public var measure: String?
    public var remark: String?
    public init(forecast: String? = nil, cause: DeviationCause? = nil, likelihood: Likelihood? = nil,
                measure: String? = nil, remark: String? = nil) {
        self.forecast = forecast
        self.cause = cause
        self.likelihood = likelihood
        self.measure = measure
        self.remark = remark
    }
}

/// 偏差原因分析, the five the national 监控表 lists.
public enum DeviationCause: String, Sendable, CaseIterable {
    case funding = "经费保障"
    case rules = "制度保障"
    case staff = "人员保障"
    case hardware = "硬件条件保障"
    case other = "其他"
}

/// 完成目标可能性, the three the national 监控表 lists.
public enum Likelihood: String, Sendable, CaseIterable {
    case certain = "确定能"
    case possible = "有可能"
    case impossible = "完全不可能"
}

/// One 其中 row of 项目资金: 当年财政拨款, 上年结转资金, 其他资金 ….
public struct FundingSource: Sendable, Equatable {
    public var name: String
    public var amount: Money

    /// The 其中 rows the national form always prints, in its order; a project may name others too.
    public static let nationalRows = ["当年财政拨款", "上年结转资金", "其他资金"]
}

public struct Review: Sendable, Equatable {
    public var conclusion: String?
    public var problems: String?
    public var measures: String?
    public init(conclusion: String? = nil, problems: String? = nil, measures: String? = nil) {
        self.conclusion = conclusion
        self.problems = problems
        self.measures = measures
    }
}

/// The form's signature block: 单位负责人, 财务负责人, 填表人, 联系电话, 填表日期. Empty fields print as blanks
/// to sign by hand.
public struct Signatures: Sendable, Equatable {
    public var leader: String?
    public var finance: String?
    public var filledBy: String?
    public var phone: String?
    public var date: Day?
    public init(leader: String? = nil, finance: String? = nil, filledBy: String? = nil, phone: String? = nil, date: Day? = nil) {
        self.leader = leader
        self.finance = finance
        self.filledBy = filledBy
        self.phone = phone
        self.date = date
    }
}

/// Planned activities: `科普日: 1`, or one count for several kinds as a plan writes them
/// (`进社区、进机关: 4`): the key as written, the kinds it counts.
public struct PlanEntry: Sendable, Equatable {
    public var label: String
    public var kinds: [String]
    public var count: Int
    public init(label: String, kinds: [String], count: Int) {
        self.label = label
        self.kinds = kinds
        self.count = count
    }
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

extension Outcome {
    /// The national bands (财预〔2020〕10号 as the provinces apply it): the share of points, in percent, a
    /// qualitative result may earn. Bands meet at their ends; `percent` picks a point inside.
    public var band: ClosedRange<Exact> {
        switch self {
        case .achieved: return Exact(80)...Exact(100)
        case .partlyAchieved: return Exact(60)...Exact(80)
        case .notAchieved: return Exact(0)...Exact(60)
        }
    }

    /// 达成 earns all its points unless `percent` says otherwise; the other two must say how much.
    public var defaultPercent: Exact? { self == .achieved ? Exact(100) : nil }
}

public enum ManualActual: Sendable, Equatable {
    case number(Exact)
    case outcome(Outcome)
    /// Not yet assessed (no `actual`, or `actual: 待评`): left out of a forecast; an error once the year is over.
    case pending
}

/// How the actual value is judged against the approved value, separately from the approved 指标性质.
public enum Direction: String, Sendable, CaseIterable {
    /// Reaching the value or more meets it.
    case up
    /// Staying at or under it meets it.
    case down
    case exact

    /// `up` for `>=` and `=`, `down` for `<=` and for money spent (a cost row is kept, not reached).
    public static func standard(for op: Comparison, metric: Metric?) -> Direction {
        if op == .atMost || metric == .spend { return .down }
        return .up
    }
}

/// A deduction rule: `deduct` for each `per` units short of the target (a part of a unit counts whole).
/// With `of` (评分100分) the deductions are marks out of `of`, scaled to the row's points; without, they are
/// the row's own points.
public struct DeductionRule: Sendable, Equatable {
    public var deduct: Exact
    public var per: Exact
    public var of: Exact?
    public init(deduct: Exact, per: Exact, of: Exact? = nil) {
        self.deduct = deduct
        self.per = per
        self.of = of
    }
}

/// What one approved row measures and how: the row's own metric, or one of its `measures`.
public struct Measure: Sendable {
    public var metric: Metric
    public var kinds: [String]?
    /// 指标性质 as approved.
    public var op: Comparison
    public var value: Exact?
    /// 指标值 exactly as approved (`85`, `1.0`, `10000`): shown as written, never re-formatted.
    public var valueText: String?
    public var unit: String
    public var direction: Direction
    public var rule: DeductionRule?
    /// For `metric: manual`: the value staff found.
    public var actual: ManualActual?
    /// For a qualitative actual: the share of points within its band.
    public var percent: Exact?
    public var position: Position
}

/// A row of the performance target table (绩效目标表), as approved.
public struct Target: Sendable {
    public var name: String
    public var group: IndicatorGroup
    public var level2: String
    /// 指标性质, 指标值 (as written) and 度量单位 of the approved row.
    public var op: Comparison
    public var valueText: String?
    public var unit: String
    /// 指标属性 (定量指标 / 定性指标) and 指标内容, shown as written.
    public var nature: String?
    public var content: String?
    /// What is measured: one measure (the row's own `metric`), or the row's `measures`.
    public var measures: [Measure]
    /// True when the row lists `measures` rather than a metric of its own.
    public var hasMeasureList: Bool
    public var points: Exact?
    /// 评(扣)分标准 as written in the budget document.
    public var ruleText: String?
    public var evidence: String?
    public var basis: String?
    /// 偏差原因分析及改进措施.
    public var reason: String?
    public var position: Position

    /// The row's own metric; nil for a row of several measures.
    public var metric: Metric? { hasMeasureList ? nil : measures.first?.metric }
    public var kinds: [String]? { hasMeasureList ? nil : measures.first?.kinds }
    public var value: Exact? { hasMeasureList ? nil : measures.first?.value }
    public var rule: DeductionRule? { hasMeasureList ? nil : measures.first?.rule }
    public var actual: ManualActual? { hasMeasureList ? nil : measures.first?.actual }
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

/// One activity's report. A value, kept in one shared box until it is changed (copy on write): a build hands
/// reports to every list, page and data file, and a copy of twenty fields was ~9 % of a 10k build's CPU.
public struct Report: Sendable {
    private final class Storage: @unchecked Sendable {
        var slug: String
        var path: String
        var title: String
        var date: Day
        var kind: String
        var explicitProject: String?
        var venue: String?
        var audience: Int
        var activities: Int
        var spend: [SpendItem]
        var satisfaction: Survey?
        var photos: [Photo]
        var tags: [String]
        var draft: Bool
        var summary: String
        var body: RenderedMarkdown
        var positions: FieldPositions
        var bodyImages: [BodyImage]
        var updated: Day?
        var corrections: [Correction]
        var bodyLine: Int

        init(slug: String, path: String, title: String, date: Day, kind: String, explicitProject: String?, venue: String?, audience: Int, activities: Int, spend: [SpendItem], satisfaction: Survey?, photos: [Photo], tags: [String], draft: Bool, summary: String, body: RenderedMarkdown, positions: FieldPositions, bodyImages: [BodyImage], updated: Day?, corrections: [Correction], bodyLine: Int) {
            self.slug = slug
            self.path = path
            self.title = title
            self.date = date
            self.kind = kind
            self.explicitProject = explicitProject
            self.venue = venue
            self.audience = audience
            self.activities = activities
            self.spend = spend
            self.satisfaction = satisfaction
            self.photos = photos
            self.tags = tags
            self.draft = draft
            self.summary = summary
            self.body = body
            self.positions = positions
            self.bodyImages = bodyImages
            self.updated = updated
            self.corrections = corrections
            self.bodyLine = bodyLine
        }

        func copy() -> Storage {
            Storage(slug: slug, path: path, title: title, date: date, kind: kind, explicitProject: explicitProject, venue: venue, audience: audience, activities: activities, spend: spend, satisfaction: satisfaction, photos: photos, tags: tags, draft: draft, summary: summary, body: body, positions: positions, bodyImages: bodyImages, updated: updated, corrections: corrections, bodyLine: bodyLine)
        }
    }

    private var storage: Storage
    /// The project it belongs to, resolved during validation. Outside the box: every build sets it on every
    /// report, and a report kept from the last rebuild (kepu serve) must not be copied for that.
    public var projectID: String

    /// The same box: every field but `projectID` is the same, without reading them (a report `kepu serve` kept
    /// from the last rebuild).
    public func sharesFields(with other: Report) -> Bool { storage === other.storage }

    /// The mutable box, copied first if another report shares it.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public init(slug: String, path: String, title: String, date: Day, kind: String, projectID: String, explicitProject: String?, venue: String?, audience: Int, activities: Int, spend: [SpendItem], satisfaction: Survey?, photos: [Photo], tags: [String], draft: Bool, summary: String, body: RenderedMarkdown, positions: FieldPositions, bodyImages: [BodyImage] = [], updated: Day? = nil, corrections: [Correction] = [], bodyLine: Int = 1) {
        self.projectID = projectID
        storage = Storage(slug: slug, path: path, title: title, date: date, kind: kind, explicitProject: explicitProject, venue: venue, audience: audience, activities: activities, spend: spend, satisfaction: satisfaction, photos: photos, tags: tags, draft: draft, summary: summary, body: body, positions: positions, bodyImages: bodyImages, updated: updated, corrections: corrections, bodyLine: bodyLine)
    }

    public var slug: String {
        get { storage.slug }
        set { unique.slug = newValue }
        _modify { yield &unique.slug }
    }
    /// Path relative to the site root, for diagnostics and data files.
    public var path: String {
        get { storage.path }
        set { unique.path = newValue }
        _modify { yield &unique.path }
    }
    public var title: String {
        get { storage.title }
        set { unique.title = newValue }
        _modify { yield &unique.title }
    }
    public var date: Day {
        get { storage.date }
        set { unique.date = newValue }
        _modify { yield &unique.date }
    }
    public var kind: String {
        get { storage.kind }
        set { unique.kind = newValue }
        _modify { yield &unique.kind }
    }
    public var explicitProject: String? {
        get { storage.explicitProject }
        set { unique.explicitProject = newValue }
        _modify { yield &unique.explicitProject }
    }
    public var venue: String? {
        get { storage.venue }
        set { unique.venue = newValue }
        _modify { yield &unique.venue }
    }
    public var audience: Int {
        get { storage.audience }
        set { unique.audience = newValue }
        _modify { yield &unique.audience }
    }
    public var activities: Int {
        get { storage.activities }
        set { unique.activities = newValue }
        _modify { yield &unique.activities }
    }
    public var spend: [SpendItem] {
        get { storage.spend }
        set { unique.spend = newValue }
        _modify { yield &unique.spend }
    }
    public var satisfaction: Survey? {
        get { storage.satisfaction }
        set { unique.satisfaction = newValue }
        _modify { yield &unique.satisfaction }
    }
    public var photos: [Photo] {
        get { storage.photos }
        set { unique.photos = newValue }
        _modify { yield &unique.photos }
    }
    public var tags: [String] {
        get { storage.tags }
        set { unique.tags = newValue }
        _modify { yield &unique.tags }
    }
    public var draft: Bool {
        get { storage.draft }
        set { unique.draft = newValue }
        _modify { yield &unique.draft }
    }
    public var summary: String {
        get { storage.summary }
        set { unique.summary = newValue }
        _modify { yield &unique.summary }
    }
    public var body: RenderedMarkdown {
        get { storage.body }
        set { unique.body = newValue }
        _modify { yield &unique.body }
    }
    /// Where each top-level field stands in the file, for diagnostics found after decoding.
    public var positions: FieldPositions {
        get { storage.positions }
        set { unique.positions = newValue }
        _modify { yield &unique.positions }
    }
    /// Images the body shows, checked against `photos` and the disk with them.
    public var bodyImages: [BodyImage] {
        get { storage.bodyImages }
        set { unique.bodyImages = newValue }
        _modify { yield &unique.bodyImages }
    }
    /// The day the report was last changed after publication (`updated`), if it says so.
    public var updated: Day? {
        get { storage.updated }
        set { unique.updated = newValue }
        _modify { yield &unique.updated }
    }
    /// What was changed and when, oldest first as written (`corrections`).
    public var corrections: [Correction] {
        get { storage.corrections }
        set { unique.corrections = newValue }
        _modify { yield &unique.corrections }
    }
    /// The file line the body starts on, so a body's line (a link's) can be named in the file.
    public var bodyLine: Int {
        get { storage.bodyLine }
        set { unique.bodyLine = newValue }
        _modify { yield &unique.bodyLine }
    }

    public var totalSpend: Money { spend.reduce(.zero) { $0 + $1.amount } }
    /// The day the page last changed: `updated`, or a later correction's date, or the report's own date.
    public var lastModified: Day {
        corrections.reduce(max(updated ?? date, date)) { max($0, $1.date) }
    }
}

/// One dated change to a published report (政府信息公开条例: changes are made visible).
public struct Correction: Sendable, Equatable {
    public var date: Day
    public var text: String
    /// Where the entry stands in the file, for the date checks that need the build date.
    public var position: Position
    public init(date: Day, text: String, position: Position) {
        self.date = date
        self.text = text
        self.position = position
    }
}

public struct SpendItem: Sendable, Equatable {
    public var item: String
    public var amount: Money
    /// The project source it is paid from (`sources[].name`); nil: the project's first source.
    public var source: String?
    /// The day the money was paid; nil: the report's date. Spending milestones count by this day.
    public var paid: Day?
    public init(item: String, amount: Money, source: String? = nil, paid: Day? = nil) {
        self.item = item
        self.amount = amount
        self.source = source
        self.paid = paid
    }
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
    /// Weekdays it shows on, 1 (一, Monday) … 7 (日); nil for every day.
    public var days: [Int]? = nil
    /// Hours of the day it shows in, e.g. 08:30–17:30; nil for all day.
    public var hours: DailyHours? = nil
    /// While shown, it is the only slide.
    public var urgent = false

    /// Shown when the build date lies in [from, until], both included, on one of its `days`. Hours are not
    /// judged here: a build knows the date, not the hour the screen will show it.
    public func isShown(on day: Day) -> Bool {
        if let from, day < from { return false }
        if let until, until < day { return false }
        if let days, !days.contains(day.isoWeekday) { return false }
        return true
    }
}

extension Day {
    /// 1 = Monday (星期一) … 7 = Sunday (星期日); 1970-01-01 was a Thursday.
    public var isoWeekday: Int { ((ordinal + 3) % 7 + 7) % 7 + 1 }
}

/// `hours: 08:30-17:30`, in minutes after midnight; `end` after `start` (a window over midnight is two
/// announcements).
public struct DailyHours: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) { self.start = start; self.end = end }

    /// "08:30-17:30"
    public var text: String {
        func hm(_ m: Int) -> String {
            let h = m / 60, mm = m % 60
            return (h < 10 ? "0" : "") + "\(h):" + (mm < 10 ? "0" : "") + "\(mm)"
        }
        return hm(start) + "-" + hm(end)
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
