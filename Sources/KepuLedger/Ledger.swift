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

/// One target row, measured and scored.
public struct IndicatorResult: Sendable {
    public var target: Target
    /// The measured value in the row's unit; nil where there is nothing to measure (no surveys, say).
    public var actual: Score?
    public var outcome: Outcome?
    /// nil where it cannot be told (no value).
    public var met: Bool?
    public var points: Score
    /// Points taken off by the row's rule, when it has one.
    public var deduction: Score?
    public var score: Score
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
    /// Rounded once, half up, to two decimals.
    public var score: Score
    public var grade: Grade
    /// The project's year has ended by the build date: a result, not a forecast (自评预估).
    public var final: Bool
    public var budgetLeft: Money { project.budget - totals.spend }
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
        let projects = content.projects.map {
            measure($0, reports: byProject[$0.id] ?? [], weights: content.site.scoring, now: now)
        }
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

    public static func measure(_ project: Project, reports: [Report], weights: ScoringWeights, now: Day) -> ProjectLedger {
        let reports = Report.inOrder(reports)
        var totals = Totals()
        var kinds: [String: Totals] = [:]
        var months: [String: Totals] = [:]
        var venues: [String: Totals] = [:]
        var daily: [Day: Money] = [:]
        for r in reports {
            totals.add(r)
            kinds[r.kind, default: Totals()].add(r)
            months[r.date.monthKey, default: Totals()].add(r)
            venues[r.venue ?? "", default: Totals()].add(r)  // trimmed, and nil when blank, by Decode
            let s = r.totalSpend
            if s.fen > 0 { daily[r.date, default: .zero] += s }
        }
        func groups(_ d: [String: Totals]) -> [GroupTotals] {
            d.map { GroupTotals(key: $0.key, totals: $0.value) }.sorted { $0.key.precedesInBytes($1.key) }
        }
        // Kinds in the order of the plan, then the others by how often they occur.
        var byKind = groups(kinds)
        let planOrder = project.plan.map(\.kind)
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
        var plan: [PlanRow] = project.plan.map { PlanRow(kind: $0.kind, planned: $0.count, held: kinds[$0.kind]?.activities ?? 0) }
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

        let scoring = Scoring(project: project, weights: weights)
        let indicators = project.targets.map { t in
            scoring.score(t, actual: actual(of: t, project: project, reports: reports, totals: totals, milestones: milestones))
        }
        let execution = scoring.execution(spend: totals.spend)
        var sum = execution.score
        for i in indicators { sum = sum + i.score }
        let score = sum.rounded(2)
        return ProjectLedger(project: project, reports: reports, totals: totals, byKind: byKind, byMonth: groups(months),
                             byVenue: byVenue, plan: plan, spendCurve: curve, milestones: milestones,
                             indicators: indicators, execution: execution, score: score, grade: Grade(score: score),
                             final: now.year > project.year)
    }

    /// What a target row's metric measures, in the row's unit.
    static func actual(of t: Target, project: Project, reports: [Report], totals: Totals,
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
            case nil: return .none
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
    case none
}
