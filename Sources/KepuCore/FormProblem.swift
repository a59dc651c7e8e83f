/// Problems with what the finance bureau reads: a project's target table (绩效目标表), its money and its
/// self-evaluation form (自评表). Kept apart from `Problem` so the form's rules read in one place.
public enum FormProblem: Equatable, Sendable {
    /// 部分达成 / 未达成 without `percent`: the national band leaves the share to the unit.
    case percentRequired(key: String, outcome: String, low: String, high: String)
    case percentOutsideBand(key: String, found: String, outcome: String, low: String, high: String)
    /// `percent` on a row whose actual is not 达成 / 部分达成 / 未达成 (a warning: it is not used).
    case percentUnused(key: String)
    /// The rows' points and the execution points do not add up to 100.
    case pointsDontAddUp(total: String)
    case pointsTooPrecise(key: String, found: String)
    /// site.yaml's four weights do not add up to 100.
    case weightsDontAddUp(total: String)
    /// A row with `measures` and a `metric` of its own.
    case measuresAndMetric(key: String)
    case emptyMeasures(key: String)
    case sourcesDontAddUp(total: String, budget: String)
    case duplicateSource(name: String)
    case unknownSource(name: String, known: [String])
    case milestoneOutsideYear(date: String, year: Int)
    /// A finished year with a row still 待评.
    case pendingAfterYearEnd(name: String, year: Int)
    /// Warnings for a finished form: a row short of its target with no 偏差原因; an actual that beats its target
    /// by more than half (reviewers then ask whether the target was set too low).
    case reasonMissing(name: String)
    case farAboveTarget(name: String, actual: String, target: String)
    /// `rule.of` that is not above zero.
    case ruleOfInvalid(key: String, found: String)
    /// A planned kind the project's `kinds` does not allow: its held count could only ever read 0.
    case plannedKindNotListed(kind: String, kinds: [String])
    /// `monitoring.targets[n].target` names no row of the target table.
    case monitoringUnknownTarget(name: String, known: [String])
    case monitoringDuplicateTarget(name: String)
    case monitoringCauseInvalid(found: String, allowed: [String])
    case monitoringLikelihoodInvalid(found: String, allowed: [String])
    case monitoringAsOfOutsideYear(date: String, year: Int)

    public func text(_ language: Language) -> (message: String, hint: String?) {
        language == .en ? english : chinese
    }

    private var chinese: (message: String, hint: String?) {
        switch self {
        case let .percentRequired(key, outcome, low, high):
            return ("\(Problem.zhKey(key)) 为“\(outcome)”，须写 percent（得分占分值的百分比，\(low)–\(high)）",
                    "按全国统一标准，“\(outcome)”得该指标分值的 \(low)%–\(high)%，请写明取多少，例如 percent: \(high)。")
        case let .percentOutsideBand(key, found, outcome, low, high):
            return ("\(Problem.zhKey(key)) 为 \(found)，超出“\(outcome)”的得分区间 \(low)–\(high)",
                    "达成 80–100，部分达成 60–80，未达成 0–60；请改 percent，或改实际完成情况。")
        case let .percentUnused(key):
            return ("\(Problem.zhKey(key)) 只用于“达成 / 部分达成 / 未达成”，本行的实际值是数值，不会使用", "删去 percent，或检查 actual。")
        case let .pointsDontAddUp(total):
            return ("各指标分值与预算执行率分值合计为 \(total)，应为 100",
                    "请核对各行 points；不写 points 的行平均分配所在一级指标的权重。")
        case let .pointsTooPrecise(key, found):
            return ("\(Problem.zhKey(key)) 为 \(found)，分值最多保留两位小数", "例如 12.5 或 16.67。")
        case let .weightsDontAddUp(total):
            return ("scoring 的四项权重合计为 \(total)，应为 100", "例如 execution: 10, output: 50, effect: 30, satisfaction: 10。")
        case let .measuresAndMetric(key):
            return ("\(Problem.zhKey(key)) 同时写了 measures 和 metric", "一行含几项考核内容时只写 measures，每项各写 metric；否则删去 measures。")
        case let .emptyMeasures(key):
            return ("\(Problem.zhKey(key)) 是空列表", "每项写 {metric: …, op: …, value: …, unit: …}，或删去 measures 改写 metric。")
        case let .sourcesDontAddUp(total, budget):
            return ("sources 各项合计 \(total)，与全年预算数 budget \(budget) 不一致", "请核对当年财政拨款、上年结转资金、其他资金各项金额。")
        case let .duplicateSource(name):
            return ("sources 中“\(name)”出现了两次", "每个资金来源只写一行。")
        case let .unknownSource(name, known):
            return ("项目没有名为“\(name)”的资金来源", "可选：" + known.joined(separator: "、") + "。")
        case let .milestoneOutsideYear(date, year):
            return ("支出进度节点 \(date) 不在项目年度 \(year) 年内", "复制上年项目后请把日期改为本年度，例如 \(year)-06-30。")
        case let .pendingAfterYearEnd(name, year):
            return ("\(year) 年度已结束，指标“\(name)”仍为待评", "请填写 actual（实际完成值，或 达成 / 部分达成 / 未达成）和 evidence（依据）。")
        case let .reasonMissing(name):
            return ("指标“\(name)”未达到目标，自评表的偏差原因分析为空", "请在该行写 reason：偏差原因分析及改进措施。")
        case let .farAboveTarget(name, actual, target):
            return ("指标“\(name)”完成 \(actual)，超过目标 \(target) 一半以上", "审核时常会问目标是否定得过低；请在 evidence 或 reason 中说明。")
        case let .ruleOfInvalid(key, found):
            return ("\(Problem.zhKey(key)) 为 \(found)，应为大于 0 的数（评分标准“评分100分”写 of: 100）", nil)
        case let .plannedKindNotListed(kind, kinds):
            return ("plan 中的活动类型“\(kind)”不在项目的 kinds 中，举办次数会一直是 0", "可用的类型：" + kinds.joined(separator: "、") + "。")
        case let .monitoringUnknownTarget(name, known):
            return ("监控表中的“\(name)”不是本项目绩效目标表中的指标", "target 须与 targets 中某一行的 name 完全一致，可选：" + known.joined(separator: "；") + "。")
        case let .monitoringDuplicateTarget(name):
            return ("监控表中指标“\(name)”写了两次", "每个指标只写一项，请合并。")
        case let .monitoringCauseInvalid(found, allowed):
            return ("偏差原因“\(found)”不在监控表规定的选项中", "只能写：" + allowed.joined(separator: "、") + "；具体情况写在 remark 中。")
        case let .monitoringLikelihoodInvalid(found, allowed):
            return ("完成目标可能性“\(found)”不在监控表规定的选项中", "只能写：" + allowed.joined(separator: "、") + "。")
        case let .monitoringAsOfOutsideYear(date, year):
            return ("监控截止日期 \(date) 不在项目年度 \(year) 年内", "请写本年度内的日期，例如 \(year)-06-30。")
        }
    }

    private var english: (message: String, hint: String?) {
        switch self {
        case let .percentRequired(key, outcome, low, high):
            return ("\(key) is \(outcome) and needs percent (the share of points, \(low)–\(high))", "e.g. percent: \(high)")
        case let .percentOutsideBand(key, found, outcome, low, high):
            return ("\(key) is \(found), outside the band \(low)–\(high) of \(outcome)",
                    "达成 80–100, 部分达成 60–80, 未达成 0–60")
        case let .percentUnused(key):
            return ("\(key) applies only to 达成 / 部分达成 / 未达成; this row's actual is a number", "remove percent")
        case let .pointsDontAddUp(total):
            return ("the rows' points and the execution points add up to \(total), not 100", "check each row's points")
        case let .pointsTooPrecise(key, found):
            return ("\(key) is \(found); points have at most two decimals", nil)
        case let .weightsDontAddUp(total):
            return ("the four scoring weights add up to \(total), not 100", nil)
        case let .measuresAndMetric(key):
            return ("\(key) has both measures and a metric", "a row of several measures names a metric in each measure only")
        case let .emptyMeasures(key):
            return ("\(key) is an empty list", nil)
        case let .sourcesDontAddUp(total, budget):
            return ("the sources add up to \(total), not the budget \(budget)", nil)
        case let .duplicateSource(name):
            return ("the source \"\(name)\" is listed twice", nil)
        case let .unknownSource(name, known):
            return ("the project has no source \"\(name)\"", "sources: " + known.joined(separator: ", "))
        case let .milestoneOutsideYear(date, year):
            return ("the milestone \(date) is outside the project's year \(year)", "move it into \(year)")
        case let .pendingAfterYearEnd(name, year):
            return ("\(year) has ended and the indicator \"\(name)\" is still pending", "write its actual and evidence")
        case let .reasonMissing(name):
            return ("the indicator \"\(name)\" fell short and has no reason on the form", "write the row's reason")
        case let .farAboveTarget(name, actual, target):
            return ("the indicator \"\(name)\" reached \(actual), more than half above its target \(target)",
                    "reviewers may ask whether the target was set too low")
        case let .ruleOfInvalid(key, found):
            return ("\(key) is \(found); it must be above 0", nil)
        case let .plannedKindNotListed(kind, kinds):
            return ("the planned kind \"\(kind)\" is not among the project's kinds", "kinds: " + kinds.joined(separator: ", "))
        case let .monitoringUnknownTarget(name, known):
            return ("the monitoring entry \"\(name)\" names no row of the target table", "targets: " + known.joined(separator: "; "))
        case let .monitoringDuplicateTarget(name):
            return ("the indicator \"\(name)\" has two monitoring entries", "merge them into one")
        case let .monitoringCauseInvalid(found, allowed):
            return ("the cause \"\(found)\" is not one the monitoring form lists", "one of: " + allowed.joined(separator: ", "))
        case let .monitoringLikelihoodInvalid(found, allowed):
            return ("the likelihood \"\(found)\" is not one the monitoring form lists", "one of: " + allowed.joined(separator: ", "))
        case let .monitoringAsOfOutsideYear(date, year):
            return ("the monitoring date \(date) is outside the project's year \(year)", "e.g. \(year)-06-30")
        }
    }
}
