import Foundation
import KepuContent
import KepuCore

/// A decimal number for scoring arithmetic (38 significant digits, base 10), so 85.5 stays 85.5
/// and the grade boundary 90 is not missed by a binary rounding error. Rounded once, at the end.
public struct Score: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var decimal: Decimal

    public init(_ decimal: Decimal) { self.decimal = decimal }
    public init(_ int: Int) { self.decimal = Decimal(int) }
    public init(_ exact: Exact) {
        self.decimal = Decimal(sign: exact.units < 0 ? .minus : .plus, exponent: -exact.scale,
                               significand: Decimal(exact.units.magnitude))
    }
    /// Yuan from fen.
    public init(fen money: Money) {
        self.decimal = Decimal(sign: money.fen < 0 ? .minus : .plus, exponent: -2, significand: Decimal(money.fen.magnitude))
    }

    public static let zero = Score(0)

    public static func ratio(_ a: Int, _ b: Int) -> Score { Score(a).divided(by: Score(b)) }

    /// `part` of `whole` in per cent with exactly `places` decimals, half up: the same text as
    /// `(ratio(part, whole) * 100).fixed(places)`, in integer arithmetic. Decimal division for each
    /// report page's satisfaction rate was 4 % of a 10,000-report build.
    public static func percentText(_ part: Int, of whole: Int, places: Int) -> String {
        let limit = 1 << 40
        guard whole > 0, part >= 0, part < limit, whole < limit, (0...6).contains(places) else {
            return (ratio(part, whole) * Score(100)).fixed(places)
        }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let numerator = part * 100 * scale
        let q = (2 * numerator + whole) / (2 * whole)
        guard places > 0 else { return String(q) }
        let fraction = String(q % scale)
        return String(q / scale) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    public static func + (a: Score, b: Score) -> Score { Score(a.decimal + b.decimal) }
    public static func - (a: Score, b: Score) -> Score { Score(a.decimal - b.decimal) }
    public static func * (a: Score, b: Score) -> Score { Score(a.decimal * b.decimal) }
    public static func < (a: Score, b: Score) -> Bool { a.decimal < b.decimal }

    public func times(_ b: Score) -> Score { self * b }
    /// Division by zero gives zero: callers check for it first; this keeps NaN off every page regardless.
    public func divided(by b: Score) -> Score { b.decimal.isZero ? .zero : Score(decimal / b.decimal) }

    public func min(_ b: Score) -> Score { self < b ? self : b }
    public func max(_ b: Score) -> Score { self < b ? b : self }

    /// Half up (away from zero at .5), to `places` decimals.
    public func rounded(_ places: Int) -> Score {
        var input = decimal
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return Score(result)
    }

    /// The smallest whole number ≥ self, for "a part of a unit counts as a whole one".
    public var ceiling: Score {
        var input = decimal
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .up)
        return Score(result)
    }

    /// Plain text, at most as many decimals as it has, without exponent: "85.5", "100", "98.29".
    public var description: String {
        var s = "\(decimal)"
        if s.contains("e") || s.contains("E") { s = "\(rounded(6).decimal)" }
        return s
    }

    /// Exactly `places` decimals, half up: "98.29", "10.00".
    public func fixed(_ places: Int) -> String {
        let r = rounded(places)
        var s = r.description
        if places > 0 {
            if !s.contains(".") { s += "." }
            let decimals = s.count - (s.firstIndex(of: ".").map { s.distance(from: s.startIndex, to: $0) } ?? s.count) - 1
            if decimals < places { s += String(repeating: "0", count: places - decimals) }
        }
        return s
    }

    public var approximate: Double { NSDecimalNumber(decimal: decimal).doubleValue }
}

/// The self-evaluation rule (财预〔2020〕10号 as CONTENT_FORMAT.md states it).
struct Scoring {
    let project: Project
    /// Points of each group after groups with no rows passed their weight on.
    let groupPoints: [IndicatorGroup: Score]
    let executionPoints: Score
    /// Points of each target row (by index).
    let rowPoints: [Score]

    init(project: Project, weights: ScoringWeights) {
        self.project = project
        let hasExecution = project.budget.fen > 0
        var present: [(String, Score)] = []
        if hasExecution { present.append(("execution", Score(weights.execution))) }
        for g in IndicatorGroup.allCases where project.targets.contains(where: { $0.group == g }) {
            present.append((g.rawValue, Score(weights.weight(of: g))))
        }
        let all = Score(weights.execution) + Score(weights.output) + Score(weights.effect) + Score(weights.satisfaction)
        let kept = present.reduce(Score.zero) { $0 + $1.1 }
        // A group with no rows passes its weight to the others in proportion to theirs.
        func scaled(_ w: Score) -> Score { w.times(all).divided(by: kept) }
        executionPoints = hasExecution ? scaled(Score(weights.execution)) : .zero
        var groups: [IndicatorGroup: Score] = [:]
        for g in IndicatorGroup.allCases where project.targets.contains(where: { $0.group == g }) {
            groups[g] = scaled(Score(weights.weight(of: g)))
        }
        groupPoints = groups
        // Rows share their group's points equally, after rows that name their own points.
        var rows: [Score] = []
        for t in project.targets {
            if let p = t.points { rows.append(Score(p)); continue }
            let siblings = project.targets.filter { $0.group == t.group }
            let named = siblings.compactMap(\.points).reduce(Score.zero) { $0 + Score($1) }
            let unnamed = siblings.filter { $0.points == nil }.count
            rows.append((groups[t.group] ?? .zero).minus(named).max(.zero).divided(by: Score(unnamed)))
        }
        rowPoints = rows
    }

    func execution(spend: Money) -> ExecutionResult {
        guard project.budget.fen > 0 else { return ExecutionResult(rate: nil, points: .zero, score: .zero) }
        let rate = Score(fen: spend).divided(by: Score(fen: project.budget)).times(Score(100))
        let score = executionPoints.times(rate).divided(by: Score(100)).min(executionPoints)
        return ExecutionResult(rate: rate, points: executionPoints, score: score)
    }

    func score(_ t: Target, actual measured: Measured) -> IndicatorResult {
        let index = project.targets.firstIndex { $0.position == t.position && $0.name == t.name } ?? 0
        let points = rowPoints[index]
        switch measured {
        case .none:
            return IndicatorResult(target: t, actual: nil, outcome: nil, met: nil, points: points, deduction: nil, score: .zero)
        case let .outcome(o):
            let share = Score(t.outcomeShares[o] ?? Exact(0))
            return IndicatorResult(target: t, actual: nil, outcome: o, met: o == .achieved, points: points, deduction: nil,
                                   score: points.times(share).divided(by: Score(100)))
        case let .value(actual):
            guard let target = t.value.map(Score.init) else {
                return IndicatorResult(target: t, actual: actual, outcome: nil, met: nil, points: points, deduction: nil, score: points)
            }
            let met: Bool
            let shortfall: Score
            switch t.op {
            case .atLeast:
                met = actual >= target
                shortfall = target.minus(actual).max(.zero)
            case .atMost:
                met = actual <= target
                shortfall = actual.minus(target).max(.zero)
            case .equal:
                met = actual == target
                shortfall = actual < target ? target.minus(actual) : actual.minus(target)
            }
            if let rule = t.rule {
                // A part of a unit counts as a whole one: 88 % against 90 % with {deduct: 10, per: 10} loses 10.
                let units = shortfall.divided(by: Score(rule.per)).ceiling
                let deduction = units.times(Score(rule.deduct))
                return IndicatorResult(target: t, actual: actual, outcome: nil, met: met, points: points,
                                       deduction: deduction, score: points.minus(deduction).max(.zero))
            }
            let fraction: Score
            switch t.op {
            case .atLeast:
                fraction = target.decimal.isZero ? Score(1) : actual.divided(by: target)
            case .atMost:
                fraction = actual.decimal.isZero ? Score(1) : target.divided(by: actual)
            case .equal:
                let low = actual.min(target), high = actual.max(target)
                fraction = high.decimal.isZero ? Score(1) : low.divided(by: high)
            }
            return IndicatorResult(target: t, actual: actual, outcome: nil, met: met, points: points, deduction: nil,
                                   score: points.times(fraction.min(Score(1)).max(.zero)))
        }
    }
}

extension Score {
    func minus(_ b: Score) -> Score { self - b }
}

extension ScoringWeights {
    func weight(of group: IndicatorGroup) -> Exact {
        switch group {
        case .output: return output
        case .effect: return effect
        case .satisfaction: return satisfaction
        }
    }
}
