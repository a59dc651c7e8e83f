import KepuCore

/// 分值 as the printed form has them: hundredths of a point, adding up to exactly 100.
///
/// Weights a group passes on and equal shares are divided in hundredths, the remainder going one
/// hundredth at a time (largest remainders first, then in table order), so 50 points over three rows read
/// 16.67, 16.67, 16.66 and the column still adds up to 100 on paper.
public struct PointsAllocation: Sendable, Equatable {
    /// Hundredths of a point.
    public var execution: Int
    public var rows: [Int]

    public init(execution: Int, rows: [Int]) {
        self.execution = execution
        self.rows = rows
    }

    public var total: Int { rows.reduce(execution, +) }

    /// Points of the execution row and each target row. `named` are the rows' own `points` in hundredths.
    /// Groups with no rows (and execution, without a budget) pass their weight to the others in
    /// proportion to theirs.
    public static func allocate(weights: ScoringWeights, hasExecution: Bool, groups: [IndicatorGroup],
                                named: [Int?]) -> PointsAllocation {
        func h(_ e: Exact) -> Int { e.hundredths ?? 0 }
        var present: [Int] = []   // hundredths of each present part, execution first
        if hasExecution { present.append(h(weights.execution)) }
        let presentGroups = IndicatorGroup.allCases.filter { groups.contains($0) }
        for g in presentGroups { present.append(h(weights.weight(of: g))) }
        let all = h(weights.execution) + h(weights.output) + h(weights.effect) + h(weights.satisfaction)
        let scaled = share(all, in: present)
        var groupPoints: [IndicatorGroup: Int] = [:]
        for (i, g) in presentGroups.enumerated() { groupPoints[g] = scaled[i + (hasExecution ? 1 : 0)] }
        var rows = [Int](repeating: 0, count: groups.count)
        for g in presentGroups {
            let members = groups.indices.filter { groups[$0] == g }
            let fixed = members.compactMap { named[$0] }.reduce(0, +)
            let open = members.filter { named[$0] == nil }
            let left = max(0, (groupPoints[g] ?? 0) - fixed)
            let equal = share(left, in: open.map { _ in 1 })
            for (k, i) in open.enumerated() { rows[i] = equal[k] }
            for i in members { if let n = named[i] { rows[i] = n } }
        }
        return PointsAllocation(execution: hasExecution ? scaled[0] : 0, rows: rows)
    }

    /// `total` divided in proportion to `parts`, in whole hundredths that add up to `total`.
    static func share(_ total: Int, in parts: [Int]) -> [Int] {
        let sum = parts.reduce(0, +)
        guard sum > 0 else { return parts.map { _ in 0 } }
        var out = parts.map { total * $0 / sum }
        var left = total - out.reduce(0, +)
        let order = parts.indices.sorted { a, b in
            let ra = total * parts[a] % sum, rb = total * parts[b] % sum
            return ra != rb ? ra > rb : a < b
        }
        var k = 0
        while left > 0 && !order.isEmpty {
            out[order[k % order.count]] += 1
            left -= 1
            k += 1
        }
        return out
    }
}

extension ScoringWeights {
    public func weight(of group: IndicatorGroup) -> Exact {
        switch group {
        case .output: return output
        case .effect: return effect
        case .satisfaction: return satisfaction
        }
    }
}
