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

    /// `part` of `whole` in per cent with exactly `places` decimals, cut (as every percent is shown): the
    /// same text as `(ratio(part, whole) * 100).cut(places).fixed(places)`, in integer arithmetic. Decimal
    /// division for each report page's satisfaction rate was 4 % of a 10,000-report build.
    public static func percentText(_ part: Int, of whole: Int, places: Int) -> String {
        let limit = 1 << 40
        guard whole > 0, part >= 0, part < limit, whole < limit, (0...6).contains(places) else {
            return (ratio(part, whole) * Score(100)).cut(places).fixed(places)
        }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let numerator = part * 100 * scale
        let q = numerator / whole
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

    /// Cut toward zero to `places` decimals: a shortened figure never reads as more than it is.
    public func cut(_ places: Int) -> Score {
        var input = decimal
        var result = Decimal()
        NSDecimalRound(&result, &input, places, decimal < 0 ? .up : .down)
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

/// The self-evaluation rule (财预〔2020〕10号 as CONTENT_FORMAT.md states it), one row at a time.
enum Scoring {
    /// 预算执行率: points × rate, at most its points, rounded half up to two decimals as the form prints it.
    static func execution(spend: Money, budget: Money, points: Score) -> ExecutionResult {
        guard budget.fen > 0 else { return ExecutionResult(rate: nil, points: .zero, score: .zero) }
        let rate = Score(fen: spend).divided(by: Score(fen: budget)).times(Score(100))
        let score = points.times(rate).divided(by: Score(100)).min(points).rounded(2)
        return ExecutionResult(rate: rate, points: points, score: score)
    }

    /// A row: the lowest of what its measures earn (one measure: what it earns), rounded half up to two
    /// decimals; nothing while any measure is still 待评.
    static func row(_ t: Target, points: Score, measured: [Measured]) -> IndicatorResult {
        let results = zip(t.measures, measured).map { measure($0, $1, points: points) }
        let pending = results.contains { $0.pending }
        let earned = pending ? Score.zero : (results.map { $0.earned }.min() ?? .zero)
        return IndicatorResult(target: t, measures: results, points: points, score: earned.rounded(2), pending: pending)
    }

    /// What one measure earns of the row's `points`.
    static func measure(_ m: Measure, _ measured: Measured, points: Score) -> MeasureResult {
        switch measured {
        case .pending:
            return MeasureResult(measure: m, actual: nil, outcome: nil, pending: true, met: nil, earned: .zero, deduction: nil)
        case .none:
            // Nothing to measure (no surveys): earns nothing and shows "no value", never a NaN.
            return MeasureResult(measure: m, actual: nil, outcome: nil, pending: false, met: nil, earned: .zero, deduction: nil)
        case let .outcome(o):
            // The national bands; the decoder has checked `percent` lies in its outcome's band.
            let percent = m.percent ?? o.defaultPercent ?? o.band.lowerBound
            return MeasureResult(measure: m, actual: nil, outcome: o, pending: false, met: o == .achieved,
                                 earned: points.times(Score(percent)).divided(by: Score(100)), deduction: nil)
        case let .value(actual):
            guard let target = m.value.map(Score.init) else {
                // A value with nothing to compare it to: full points, not judged.
                return MeasureResult(measure: m, actual: actual, outcome: nil, pending: false, met: nil, earned: points, deduction: nil)
            }
            let met: Bool
            let shortfall: Score
            switch m.direction {
            case .up:
                met = actual >= target
                shortfall = (target - actual).max(.zero)
            case .down:
                met = actual <= target
                shortfall = (actual - target).max(.zero)
            case .exact:
                met = actual == target
                shortfall = actual < target ? target - actual : actual - target
            }
            if let rule = m.rule {
                // A part of a unit counts as a whole one: 88 % against 90 % with {deduct: 10, per: 10} loses 10.
                let deduction = shortfall.divided(by: Score(rule.per)).ceiling.times(Score(rule.deduct))
                let earned: Score
                if let of = rule.of.map(Score.init) {
                    // 评分100分: marks out of `of`, scaled to the row's points.
                    earned = points.times((of - deduction).max(.zero)).divided(by: of)
                } else {
                    earned = (points - deduction).max(.zero)
                }
                return MeasureResult(measure: m, actual: actual, outcome: nil, pending: false, met: met, earned: earned,
                                     deduction: deduction)
            }
            let fraction: Score
            switch m.direction {
            case .up:
                fraction = target.decimal.isZero ? Score(1) : actual.divided(by: target)
            case .down:
                fraction = actual.decimal.isZero ? Score(1) : target.divided(by: actual)
            case .exact:
                let low = actual.min(target), high = actual.max(target)
                fraction = high.decimal.isZero ? Score(1) : low.divided(by: high)
            }
            return MeasureResult(measure: m, actual: actual, outcome: nil, pending: false, met: met,
                                 earned: points.times(fraction.min(Score(1)).max(.zero)), deduction: nil)
        }
    }
}
