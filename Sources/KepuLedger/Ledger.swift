import Dispatch
import KepuContent
import KepuCore

/// Sums over a set of reports. Percentages are computed only where there is something to divide by.
public struct Totals: Sendable, Equatable {
    public var reports = 0
    public var activities = 0
    public var audience = 0
    public var spend = Money.zero
    public var surveyed = 0
    public var satisfied = 0

    public init() {}

    public mutating func add(_ r: Report) {
        reports += 1
        activities += r.activities
        audience += r.audience
        spend += r.totalSpend
        if let s = r.satisfaction {
            surveyed += s.surveyed
            satisfied += s.satisfied
        }
    }

    public mutating func add(_ t: Totals) {
        reports += t.reports
        activities += t.activities
        audience += t.audience
        spend += t.spend
        surveyed += t.surveyed
        satisfied += t.satisfied
    }

    /// satisfied / surveyed in percent; nil without surveys (shown as "no survey", never NaN).
    public var satisfaction: Score? {
        surveyed == 0 ? nil : Score.ratio(satisfied, surveyed) * Score(100)
    }
}

/// A named group of reports (by kind, month or venue).
public struct GroupTotals: Sendable, Equatable {
    public var key: String
    public var totals: Totals
}

/// Planned vs held activities of one kind.
public struct PlanRow: Sendable, Equatable {
    public var kind: String
    public var planned: Int?
    public var held: Int
}

public struct SpendPoint: Sendable, Equatable {
    public var day: Day
    /// Spent on that day.
    public var amount: Money
    /// Spent up to and including that day.
    public var cumulative: Money
}

public enum MilestoneState: String, Sendable {
    case met, missed, pending
}

public struct MilestoneStatus: Sendable, Equatable {
    public var milestone: Milestone
    /// share × budget: the spend required by `by`.
    public var required: Money
    /// Spend dated on or before `by`.
    public var spentByThen: Money
    public var state: MilestoneState
}

/// One measure of a row, measured and judged.
public struct MeasureResult: Sendable {
    public var measure: Measure
    /// The measured value in the measure's unit; nil where there is nothing to measure (no surveys, say),
    /// for a qualitative result, and while pending.
    public var actual: Score?
    public var outcome: Outcome?
    /// 待评: a manual value not yet assessed.
    public var pending: Bool
    /// nil where it cannot be told (no value, pending, no target value).
    public var met: Bool?
    /// What the measure earns of the row's points, before rounding.
    public var earned: Score
    /// Deductions under the measure's rule, when it has one (marks out of `of`, or points).
    public var deduction: Score?
}

/// One target row, measured and scored.
public struct IndicatorResult: Sendable {
    public var target: Target
    public var measures: [MeasureResult]
    public var points: Score
    /// Rounded half up to two decimals; zero while pending.
    public var score: Score
    /// Some measure is 待评: the row is left out of the forecast.
    public var pending: Bool

    /// The row's own measured value (a row of one measure); nil for several measures.
    public var actual: Score? { target.hasMeasureList ? nil : measures.first?.actual }
    public var outcome: Outcome? { target.hasMeasureList ? nil : measures.first?.outcome }
    public var deduction: Score? { target.hasMeasureList ? nil : measures.first?.deduction }
    /// Every measure met; false when one is not; nil when it cannot be told.
    public var met: Bool? {
        if pending { return nil }
        if measures.contains(where: { $0.met == false }) { return false }
        if measures.contains(where: { $0.met == nil }) { return nil }
        return true
    }
}

/// A 其中 row of 项目资金: a funding source with what was paid from it.
public struct SourceResult: Sendable, Equatable {
    public var source: FundingSource
    public var spent: Money
    /// spent / amount × 100; nil for a zero amount.
    public var rate: Score?
}

public struct ExecutionResult: Sendable {
    /// spend / budget × 100; nil for a zero budget.
    public var rate: Score?
    public var points: Score
    public var score: Score
}

public enum Grade: String, Sendable {
    case excellent = "优"
    case good = "良"
    case fair = "中"
    case poor = "差"

    /// 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60, on the rounded total.
    public init(score: Score) {
        if score >= Score(90) { self = .excellent }
        else if score >= Score(80) { self = .good }
        else if score >= Score(60) { self = .fair }
        else { self = .poor }
    }
}

/// A project put next to its promises: everything the pages, slides and data files show.
public struct ProjectLedger: Sendable {
    public var project: Project
    /// The project's reports that count (drafts left out unless asked), by date.
    public var reports: [Report]
    public var totals: Totals
    public var byKind: [GroupTotals]
    public var byMonth: [GroupTotals]
    public var byVenue: [GroupTotals]
    public var plan: [PlanRow]
    public var spendCurve: [SpendPoint]
    public var milestones: [MilestoneStatus]
    public var indicators: [IndicatorResult]
    public var execution: ExecutionResult
    /// 项目资金 其中 rows, in the project's order.
    public var sources: [SourceResult]
    /// The sum of the execution score and the rows' scores, each already rounded to two decimals, as the
    /// printed form adds up. Pending rows count nothing.
    public var score: Score
    public var grade: Grade
    /// The project's year has ended by the build date: a result, not a forecast (自评预估).
    public var final: Bool
    /// The project measured as of a monitoring date, kept once made: the 监控表 page, its workbook and the
    /// open data each ask for it (a 10k-report measure each time).
    let asOfMemo = AsOfMemo()
    public var budgetLeft: Money { project.budget - totals.spend }
    /// Rows still 待评: left out of the forecast.
    public var pendingCount: Int { indicators.filter(\.pending).count }

    /// The first measure of `metric` in the table, with its row, counting every reported report (no `kinds`).
    /// The home page's and the screen's cards use it: "11 次, target 10".
    public func measure(of metric: Metric) -> (row: IndicatorResult, measure: MeasureResult)? {
        for row in indicators {
            if let m = row.measures.first(where: { $0.measure.metric == metric && $0.measure.kinds == nil }) { return (row, m) }
        }
        return nil
    }
}

/// Figures across projects: all of them, and the years of the site's period (e.g. 2023–2025).
public struct SiteLedger: Sendable {
    public var projects: [ProjectLedger]
    public var overall: Totals
    public var overallBudget: Money
    public var period: Period?
    public var periodTotals: Totals?
    public var periodBudget: Money?
    public var now: Day

    /// The project to feature: the latest whose year has begun by the build date, else the earliest.
    public var current: ProjectLedger? {
        projects.last(where: { $0.project.year <= now.year }) ?? projects.first
    }
}

public enum Ledger {
    /// The aggregate phase.
    public static func aggregate(_ content: Content, now: Day, includeDrafts: Bool = false) -> SiteLedger {
        var byProject: [String: [Report]] = [:]
        for r in content.reports where includeDrafts || !r.draft {
            byProject[r.projectID, default: []].append(r)
        }
        // Each year's project measured on a core of its own: this runs between the load and the render, when
        // nothing else does.
        let grouped = byProject
        let measured = ConcurrentSlots<ProjectLedger>(count: content.projects.count)
        DispatchQueue.concurrentPerform(iterations: content.projects.count) { i in
            let p = content.projects[i]
            measured.set(i, measure(p, reports: grouped[p.id] ?? [], now: now))
        }
        let projects = measured.values
        var overall = Totals()
        var budget = Money.zero
        for p in projects { overall.add(p.totals); budget += p.project.budget }
        var site = SiteLedger(projects: projects, overall: overall, overallBudget: budget, period: content.site.period, now: now)
        if let period = content.site.period {
            var t = Totals()
            var b = Money.zero
            for p in projects where (period.from...max(period.from, period.to)).contains(p.project.year) {
                t.add(p.totals)
                b += p.project.budget
            }
            site.periodTotals = t
            site.periodBudget = b
        }
        return site
    }

    public static func measure(_ project: Project, reports: [Report], now: Day) -> ProjectLedger {
        let reports = Report.inOrder(reports)
        var totals = Totals()
        var kinds: [String: Totals] = [:]
        var months: [String: Totals] = [:]
        var venues: [String: Totals] = [:]
        var daily: [Day: Money] = [:]
        var bySource = [Money](repeating: .zero, count: project.sources.count)
        for r in reports {
            totals.add(r)
            kinds[r.kind, default: Totals()].add(r)
            months[r.date.monthKey, default: Totals()].add(r)
            venues[r.venue ?? "", default: Totals()].add(r)  // trimmed, and nil when blank, by Decode
            for item in r.spend where item.amount.fen > 0 {
                // Milestones count money by the day it was paid.
                daily[item.paid ?? r.date, default: .zero] += item.amount
                // The loader has checked every named source exists; none named is the first.
                let k = item.source.flatMap { name in project.sources.firstIndex { $0.name == name } } ?? 0
                if k < bySource.count { bySource[k] += item.amount }
            }
        }
        func groups(_ d: [String: Totals]) -> [GroupTotals] {
            d.map { GroupTotals(key: $0.key, totals: $0.value) }.sorted { $0.key.precedesInBytes($1.key) }
        }
        // Kinds in the order of the plan, then the others by how often they occur.
        var byKind = groups(kinds)
        let planOrder = project.plan.flatMap(\.kinds)
        byKind.sort { a, b in
            let ia = planOrder.firstIndex(of: a.key) ?? Int.max
            let ib = planOrder.firstIndex(of: b.key) ?? Int.max
            if ia != ib { return ia < ib }
            if a.totals.activities != b.totals.activities { return a.totals.activities > b.totals.activities }
            return a.key.precedesInBytes(b.key)
        }
        var byVenue = groups(venues)
        byVenue.sort { a, b in
            if a.totals.audience != b.totals.audience { return a.totals.audience > b.totals.audience }
            return a.key.precedesInBytes(b.key)
        }
        var plan: [PlanRow] = project.plan.map { entry in
            PlanRow(kind: entry.label, planned: entry.count, held: entry.kinds.reduce(0) { $0 + (kinds[$1]?.activities ?? 0) })
        }
        for g in byKind where !planOrder.contains(g.key) {
            plan.append(PlanRow(kind: g.key, planned: nil, held: g.totals.activities))
        }

        var curve: [SpendPoint] = []
        var running = Money.zero
        for day in daily.keys.sorted() {
            running += daily[day]!
            curve.append(SpendPoint(day: day, amount: daily[day]!, cumulative: running))
        }
        let milestones = project.schedule.map { m -> MilestoneStatus in
            let required = requiredSpend(budget: project.budget, share: m.share)
            let spent = curve.last(where: { $0.day <= m.by })?.cumulative ?? .zero
            let state: MilestoneState = spent >= required ? .met : (m.by < now ? .missed : .pending)
            return MilestoneStatus(milestone: m, required: required, spentByThen: spent, state: state)
        }

        let points = project.points
        let indicators = project.targets.enumerated().map { i, t in
            Scoring.row(t, points: Score(Exact.hundredths(i < points.rows.count ? points.rows[i] : 0)),
                        measured: t.measures.map { actual(of: $0, project: project, reports: reports, totals: totals, milestones: milestones) })
        }
        let execution = Scoring.execution(spend: totals.spend, budget: project.budget,
                                          points: Score(Exact.hundredths(points.execution)))
        // Each figure is already rounded as the form prints it; the total is their sum.
        let score = indicators.reduce(execution.score) { $0 + $1.score }
        let sources = zip(project.sources, bySource).map { source, spent in
            SourceResult(source: source, spent: spent,
                         rate: source.amount.fen > 0 ? Score(fen: spent).divided(by: Score(fen: source.amount)).times(Score(100)) : nil)
        }
        return ProjectLedger(project: project, reports: reports, totals: totals, byKind: byKind, byMonth: groups(months),
                             byVenue: byVenue, plan: plan, spendCurve: curve, milestones: milestones,
                             indicators: indicators, execution: execution, sources: sources, score: score,
                             grade: Grade(score: score), final: now.year > project.year)
    }

    /// What a measure's metric measures, in the measure's unit.
    static func actual(of t: Measure, project: Project, reports: [Report], totals: Totals,
                       milestones: [MilestoneStatus]) -> Measured {
        var sums = totals
        if let kinds = t.kinds {
            sums = Totals()
            for r in reports where kinds.contains(r.kind) { sums.add(r) }
        }
        switch t.metric {
        case .activities: return .value(Score(sums.activities))
        case .audience: return .value(Score(sums.audience))
        case .spend:
            // Targets are written in 元 or 万元; measure in the row's unit.
            let yuan = Score(fen: sums.spend)
            return .value(t.unit.contains("万") ? yuan.divided(by: Score(10000)) : yuan)
        case .execution:
            guard project.budget.fen > 0 else { return .none }
            return .value(Score(fen: sums.spend).divided(by: Score(fen: project.budget)).times(Score(100)))
        case .schedule:
            let decided = milestones.filter { $0.state != .pending }
            // Nothing due yet means nothing missed: on track.
            guard !decided.isEmpty else { return milestones.isEmpty ? .none : .value(Score(100)) }
            let met = decided.filter { $0.state == .met }.count
            return .value(Score.ratio(met, decided.count).times(Score(100)))
        case .satisfaction:
            guard let s = sums.satisfaction else { return .none }
            return .value(s)
        case .manual:
            switch t.actual {
            case let .number(e): return .value(Score(e))
            case let .outcome(o): return .outcome(o)
            case .pending, nil: return .pending
            }
        }
    }
}

extension Ledger {
    /// share % of the budget, rounded up to the fen (a milestone is met only when the whole share is spent).
    /// Whole numbers only: `budget × units / (100 × 10^scale)`, rounded up.
    static func requiredSpend(budget: Money, share: Exact) -> Money {
        var divisor: Int64 = 100
        for _ in 0..<max(0, share.scale) { divisor *= 10 }
        var units = Int64(share.units)
        for _ in 0..<max(0, -share.scale) { units *= 10 }
        let (product, overflow) = budget.fen.multipliedReportingOverflow(by: units)
        // Budgets are below a trillion yuan and shares at most 100 %: no overflow in practice; stay exact anyway.
        guard !overflow else { return Money(fen: budget.fen / divisor * units + (budget.fen % divisor * units + divisor - 1) / divisor) }
        return Money(fen: (product + divisor - 1) / divisor)
    }
}

enum Measured {
    case value(Score)
    case outcome(Outcome)
    /// Nothing to measure (no surveys).
    case none
    /// 待评.
    case pending
}

extension Ledger {
    /// The 监控表's date: the project's `monitoring.as_of`, else the last month end on or before `now` within
    /// the project's year (31 December once the year is over); nil before the year's first month end.
    public static func monitoringDate(_ project: Project, now: Day) -> Day? {
        if let d = project.monitoring.asOf { return d }
        if now.year > project.year { return Day.lastDay(ofYear: project.year) }
        guard now.year == project.year else { return nil }
        if now.day == Day.daysIn(month: now.month, year: now.year) { return now }
        guard now.month > 1 else { return nil }
        return Day(year: now.year, month: now.month - 1, day: Day.daysIn(month: now.month - 1, year: now.year))
    }

    /// The project as it stood at the end of `asOf`: reports dated on or before it, and of their spending
    /// only what was paid on or before it; milestones after it still pending. The same measuring and
    /// scoring as the year's figures (`measure`), on less input.
    public static func measure(_ p: ProjectLedger, asOf: Day) -> ProjectLedger {
        p.asOfMemo.value(asOf) { measureUncached(p, asOf: asOf) }
    }

    static func measureUncached(_ p: ProjectLedger, asOf: Day) -> ProjectLedger {
        // The day after asOf as the clock: a milestone due on asOf is decided, one after it is not.
        let clock = Day(ordinal: asOf.ordinal + 1)
        // Once the year is over nothing is after asOf: the same reports, no copy of each (10,000 of them).
        if p.reports.allSatisfy({ r in r.date <= asOf && r.spend.allSatisfy { ($0.paid ?? r.date) <= asOf } }) {
            return measure(p.project, reports: p.reports, now: clock)
        }
        var kept: [Report] = []
        for r in p.reports where r.date <= asOf {
            var r = r
            if r.spend.contains(where: { ($0.paid ?? r.date) > asOf }) {
                r.spend = r.spend.filter { ($0.paid ?? r.date) <= asOf }
            }
            kept.append(r)
        }
        return measure(p.project, reports: kept, now: clock)
    }
}

/// Ledgers measured as of a date, by date; shared by the copies of one ProjectLedger (they hold the same figures).
final class AsOfMemo: Sendable {
    private let ledgers = Locked<[Day: ProjectLedger]>([:])

    func value(_ day: Day, _ make: () -> ProjectLedger) -> ProjectLedger {
        if let found = ledgers.withLock({ $0[day] }) { return found }
        let made = make()
        ledgers.withLock { $0[day] = made }
        return made
    }
}
