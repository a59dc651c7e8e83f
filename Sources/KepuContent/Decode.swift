import KepuCore
import KepuMarkdown

/// Field names each file may use; anything else is a warning naming the nearest one.
enum Keys {
    static let site = ["title", "unit", "language", "base_url", "description", "example", "html", "scoring", "led", "period"]
    static let scoring = ["execution", "output", "effect", "satisfaction"]
    static let led = ["width", "height", "seconds", "strip", "module", "modules", "colors"]
    static let strip = ["width", "height"]
    static let period = ["from", "to", "goal"]
    static let project = ["name", "unit", "department", "year", "budget", "initial_budget", "sources", "funding", "basis",
                          "goal", "kinds", "plan", "schedule", "targets", "review", "signatures", "monitoring"]
    static let monitoring = ["as_of", "targets"]
    static let monitoringEntry = ["target", "forecast", "cause", "likelihood", "measure", "remark"]
    static let milestone = ["by", "share"]
    static let source = ["name", "amount"]
    static let review = ["conclusion", "problems", "measures"]
    static let signatures = ["leader", "finance", "filled_by", "phone", "date"]
    static let target = ["name", "level1", "level2", "metric", "kinds", "op", "value", "unit", "direction", "nature",
                         "content", "measures", "points", "rule", "actual", "percent", "evidence", "basis", "reason"]
    static let measure = ["metric", "kinds", "op", "value", "unit", "direction", "rule", "actual", "percent"]
    static let rule = ["deduct", "per", "of", "text"]
    static let report = ["title", "date", "kind", "project", "venue", "audience", "activities", "spend",
                         "satisfaction", "photos", "tags", "draft", "summary", "updated", "corrections"]
    static let correction = ["date", "text"]
    static let spendItem = ["item", "amount", "source", "paid"]
    static let survey = ["surveyed", "satisfied"]
    static let announcement = ["title", "seconds", "order", "from", "until", "days", "hours", "urgent"]

    /// Fields whose value changes a published figure (a count, an amount, a score, which project or period
    /// a report counts in, whether it is published). A misspelling of one of these is an error; an unknown key
    /// near only other fields (`summery`, `tag`) cannot change a figure and stays a warning. By name, so keys
    /// added to the lists above are covered when they are added here.
    static let figureBearing: Set<String> = [
        "year", "budget", "initial_budget", "sources", "plan", "schedule", "targets", "kinds", "by", "share",
        "metric", "op", "value", "points", "rule", "deduct", "per", "of", "actual", "percent", "measures",
        "direction", "outcomes", "date", "kind", "project", "venue", "audience", "activities", "spend",
        "satisfaction", "draft", "item", "amount", "source", "paid", "surveyed", "satisfied",
        "scoring", "execution", "output", "effect", "period", "from", "to",
    ]

    /// Chinese names staff use for a field, offered as "did you mean" (`人次: 100` → audience).
    static let chineseNames: [String: String] = [
        "人次": "audience", "人数": "audience", "服务人次": "audience", "参与人数": "audience", "受众": "audience",
        "支出": "spend", "经费": "spend", "花费": "spend", "费用": "spend", "金额": "amount", "项目名称": "item",
        "日期": "date", "时间": "date", "类型": "kind", "活动类型": "kind", "标题": "title", "地点": "venue",
        "照片": "photos", "图片": "photos", "标签": "tags", "满意度": "satisfaction", "草稿": "draft",
        "项目": "project", "活动次数": "activities", "次数": "activities", "调查人数": "surveyed",
        "满意人数": "satisfied", "预算": "budget", "年度": "year", "简介": "summary", "分值": "points",
    ]
}

enum Decode {
    /// `/`, `/kepu/`, `https://kx.example.gov.cn/kepu/`: a path or an http(s) address (no `javascript:` or other
    /// scheme), with no quote, angle bracket, backslash, space or control character.
    static func isSafeBaseURL(_ s: String) -> Bool {
        if s.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || "\"'<>\\`".unicodeScalars.contains($0) }) {
            return false
        }
        let beforeSlash = s.prefix { $0 != "/" }
        guard let colon = beforeSlash.firstIndex(of: ":") else { return true }
        let scheme = s[..<colon].lowercased()
        return scheme == "http" || scheme == "https"
    }

    static func site(_ map: YAMLValue, _ sink: inout DiagnosticSink) -> SiteConfig? {
        let f = Fields(map, known: Keys.site, sink: &sink)
        let title = f.text("title", required: true, &sink)
        let unit = f.text("unit", required: true, &sink)
        var site = SiteConfig(title: title ?? "", unit: unit ?? "")
        if let tag = f.text("language", &sink) {
            site.languageTag = tag
            site.language = Language(tag: tag)
        }
        if let base = f.text("base_url", &sink) {
            // It reaches the feed and the sitemap as a link: only a web address or a path, nothing that could run.
            if Decode.isSafeBaseURL(base) {
                site.baseURL = base.hasSuffix("/") ? base : base + "/"
            } else if let p = f.value("base_url")?.position {
                sink.error(p.line, p.column, .invalidBaseURL(found: base))
            }
        }
        site.description = f.text("description", &sink)
        site.example = f.bool("example", &sink) ?? false
        site.allowHTML = f.bool("html", &sink) ?? false
        if let v = f.value("scoring") {
            let s = Fields(v, known: Keys.scoring, context: "scoring.", sink: &sink)
            var w = ScoringWeights.national
            w.execution = s.exact("execution", &sink) ?? w.execution
            w.output = s.exact("output", &sink) ?? w.output
            w.effect = s.exact("effect", &sink) ?? w.effect
            w.satisfaction = s.exact("satisfaction", &sink) ?? w.satisfaction
            let parts = [w.execution, w.output, w.effect, w.satisfaction]
            if parts.contains(where: { $0 < Exact(0) }) || parts.allSatisfy({ $0 == Exact(0) }) {
                sink.error(v.position.line, v.position.column, .scoringWeightsInvalid)
            } else if parts.contains(where: { $0.hundredths == nil }) || parts.compactMap(\.hundredths).reduce(0, +) != 10000 {
                // Points are printed to the hundredth and add up to 100 on the form.
                let total = parts.reduce(Exact(0)) { Exact.hundredths(($0.hundredths ?? 0) + ($1.hundredths ?? 0)) }
                sink.error(v.position.line, v.position.column, .form(.weightsDontAddUp(total: total.description)))
            }
            site.scoring = w
        }
        if let p = f.textPosition("title") { site.positions["title"] = p }
        if let p = f.textPosition("unit") { site.positions["unit"] = p }
        if let v = f.value("led") {
            let l = Fields(v, known: Keys.led, context: "led.", sink: &sink)
            let width = l.wholeNumber("width", limit: 16384, &sink)
            let height = l.wholeNumber("height", limit: 16384, &sink)
            site.led.width = width ?? site.led.width
            site.led.height = height ?? site.led.height
            if let size = ledModules(l, &sink) {
                // Both ways given: they must agree, or the slides would be drawn for a panel that is not there.
                if (width != nil && width != size.width) || (height != nil && height != size.height),
                   let p = l.textPosition("module") {
                    sink.error(p.line, p.column, .ledSizeConflict(width: width ?? site.led.width, height: height ?? site.led.height,
                                                                  moduleWidth: size.width, moduleHeight: size.height))
                }
                site.led.width = size.width
                site.led.height = size.height
            }
            if let (t, p) = l.textWithPosition("colors", &sink) {
                if let c = LEDColors(rawValue: t.trimmingSpaces.lowercased()) {
                    site.led.colors = c
                } else {
                    sink.error(p.line, p.column, .invalidChoice(key: "led.colors", found: t, choices: LEDColors.allCases.map(\.rawValue)))
                }
            }
            site.led.seconds = l.wholeNumber("seconds", limit: 86400, &sink) ?? site.led.seconds
            if let sv = l.value("strip") {
                let s = Fields(sv, known: Keys.strip, context: "led.strip.", sink: &sink)
                site.led.strip = StripConfig(width: s.wholeNumber("width", limit: 16384, &sink) ?? 1280,
                                             height: s.wholeNumber("height", limit: 16384, &sink) ?? 160)
            }
        }
        if let v = f.value("period") {
            let p = Fields(v, known: Keys.period, context: "period.", sink: &sink)
            if let from = p.wholeNumber("from", limit: 9999, &sink), let to = p.wholeNumber("to", limit: 9999, &sink) {
                site.period = Period(from: from, to: to, goal: p.text("goal", &sink))
            }
        }
        // Even with title or unit missing, the rest (the language above all) applies to the messages.
        return site
    }

    /// `module: p10` with `modules: [11, 5]`: the panel's pixels, 352×80.
    static func ledModules(_ l: Fields, _ sink: inout DiagnosticSink) -> (width: Int, height: Int)? {
        let module = l.textWithPosition("module", &sink)
        let counts = l.value("modules")
        guard module != nil || counts != nil else { return nil }
        var size: (width: Int, height: Int)?
        if let (name, p) = module {
            size = LEDModule.size(name)
            if size == nil { sink.error(p.line, p.column, .ledModuleUnknown(found: name, known: LEDModule.sizes.map(\.name))) }
        }
        guard let counts else {
            if module != nil, let p = l.textPosition("module") {
                sink.error(p.line, p.column, .ledModulesInvalid(found: ""))
            }
            return nil
        }
        var numbers: [Int] = []
        if case let .list(items, _) = counts {
            for item in items {
                if case let .scalar(t, _, _) = item, let n = Int(t.trimmingSpaces), (1...256).contains(n) { numbers.append(n) }
            }
            if numbers.count != items.count { numbers = [] }
        }
        guard numbers.count == 2, module != nil else {
            sink.error(counts.position.line, counts.position.column, .ledModulesInvalid(found: counts.plainText))
            return nil
        }
        guard let size else { return nil }
        return (size.width * numbers[0], size.height * numbers[1])
    }

    static func project(id: String, path: String, _ doc: SourceDocument, _ map: YAMLValue, allowHTML: Bool,
                        weights: ScoringWeights, _ sink: inout DiagnosticSink) -> Project? {
        let f = Fields(map, known: Keys.project, sink: &sink)
        let name = f.text("name", required: true, &sink)
        let unit = f.text("unit", required: true, &sink)
        let year = f.wholeNumber("year", limit: 9999, &sink)
        if year == nil && !f.has("year") { sink.error(f.position.line, f.position.column, .missingField(key: "year")) }
        let budget = f.money("budget", required: true, &sink)
        var basis: [String] = []
        if let list = f.textList("basis", &sink) { basis = list.map(\.0) }
        var kinds: [String]?
        if let list = f.textList("kinds", &sink) { kinds = list.map { $0.0.trimmingSpaces } }
        var plan: [PlanEntry] = []
        if let v = f.value("plan") {
            if case let .map(pairs, _) = v {
                for pair in pairs {
                    guard case let .scalar(t, _, p) = pair.value,
                          let n = Fields.parseWholeNumber(t, key: "plan.\(pair.key)", at: p, limit: 1_000_000, &sink)
                    else { continue }
                    // `进社区、进机关: 4`: one planned count for several kinds, as a plan's text groups them.
                    let parts = pair.key.split(whereSeparator: { $0 == "、" || $0 == "，" })
                        .map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
                    if let kinds {
                        for k in parts where !kinds.contains(k) {
                            sink.error(pair.keyPosition.line, pair.keyPosition.column, .form(.plannedKindNotListed(kind: k, kinds: kinds)))
                        }
                    }
                    plan.append(PlanEntry(label: pair.key, kinds: parts, count: n))
                }
            } else {
                sink.error(v.position.line, v.position.column, .expectedMapping(key: "plan"))
            }
        }
        var schedule: [Milestone] = []
        if let v = f.value("schedule") {
            if case let .list(items, _) = v {
                for (i, item) in items.enumerated() {
                    let m = Fields(item, known: Keys.milestone, context: "schedule[\(i + 1)].", sink: &sink)
                    guard case .map = item else {
                        sink.error(item.position.line, item.position.column, .expectedMapping(key: "schedule[\(i + 1)]"))
                        continue
                    }
                    let by = m.day("by", required: true, &sink)
                    let share = m.percent("share", &sink)
                    if !m.has("share") { sink.error(m.position.line, m.position.column, .missingField(key: "schedule[\(i + 1)].share")) }
                    // A project copied from last year keeps last year's dates: every milestone would read "missed".
                    if let by, let year, by.year != year, let p = m.textPosition("by") {
                        sink.error(p.line, p.column, .form(.milestoneOutsideYear(date: by.description, year: year)))
                    }
                    if let by, let share { schedule.append(Milestone(by: by, share: share)) }
                }
                schedule.sort { $0.by < $1.by }
            } else {
                sink.error(v.position.line, v.position.column, .expectedList(key: "schedule"))
            }
        }
        var targets: [Target] = []
        if let v = f.value("targets") {
            if case let .list(items, _) = v {
                for (i, item) in items.enumerated() {
                    if let t = target(item, index: i + 1, &sink) { targets.append(t) }
                }
            } else {
                sink.error(v.position.line, v.position.column, .expectedList(key: "targets"))
            }
        }
        var sources: [FundingSource] = []
        if let v = f.value("sources") {
            if case let .list(items, _) = v {
                for (i, item) in items.enumerated() {
                    let ctx = "sources[\(i + 1)]."
                    guard case .map = item else {
                        sink.error(item.position.line, item.position.column, .expectedMapping(key: "sources[\(i + 1)]"))
                        continue
                    }
                    let s = Fields(item, known: Keys.source, context: ctx, sink: &sink)
                    guard let n = s.text("name", required: true, &sink)?.trimmingSpaces,
                          let amount = s.money("amount", required: true, &sink) else { continue }
                    if sources.contains(where: { $0.name == n }), let p = s.textPosition("name") {
                        sink.error(p.line, p.column, .form(.duplicateSource(name: n)))
                        continue
                    }
                    sources.append(FundingSource(name: n, amount: amount))
                }
                let total = sources.reduce(Money.zero) { $0 + $1.amount }
                if let budget, !sources.isEmpty, total != budget {
                    sink.error(v.position.line, v.position.column,
                               .form(.sourcesDontAddUp(total: Figures.money(total), budget: Figures.money(budget))))
                }
            } else {
                sink.error(v.position.line, v.position.column, .expectedList(key: "sources"))
            }
        }
        var review = Review()
        if let v = f.value("review") {
            let r = Fields(v, known: Keys.review, context: "review.", sink: &sink)
            if case .map = v {
                review = Review(conclusion: r.text("conclusion", &sink), problems: r.text("problems", &sink),
                                measures: r.text("measures", &sink))
            } else {
                sink.error(v.position.line, v.position.column, .expectedMapping(key: "review"))
            }
        }
        var signatures = Signatures()
        if let v = f.value("signatures") {
            let r = Fields(v, known: Keys.signatures, context: "signatures.", sink: &sink)
            if case .map = v {
                signatures = Signatures(leader: r.text("leader", &sink), finance: r.text("finance", &sink),
                                        filledBy: r.text("filled_by", &sink), phone: r.text("phone", &sink),
                                        date: r.day("date", &sink))
            } else {
                sink.error(v.position.line, v.position.column, .expectedMapping(key: "signatures"))
            }
        }
        var monitoring = Monitoring()
        if let v = f.value("monitoring") {
            monitoring = self.monitoring(v, year: year, targets: targets, &sink)
        }
        let funding = f.text("funding", &sink)
        let goal = f.text("goal", &sink)
        let department = f.text("department", &sink)
        let initial = f.money("initial_budget", &sink)
        guard let name, let unit, let year, let budget else { return nil }
        if sources.isEmpty { sources = [FundingSource(name: FundingSource.nationalRows[0], amount: budget)] }
        // 分值 as the form prints them; a table whose points do not come to 100 would print a wrong total.
        let points = PointsAllocation.allocate(weights: weights, hasExecution: budget.fen > 0, groups: targets.map(\.group),
                                               named: targets.map { $0.points?.hundredths })
        if !targets.isEmpty && points.total != 10000 {
            let p = f.value("targets")?.position ?? f.position
            sink.error(p.line, p.column, .form(.pointsDontAddUp(total: Exact.hundredths(points.total).description)))
        }
        return Project(id: id, path: path, name: name, unit: unit, department: department ?? unit, year: year,
                       budget: budget, initialBudget: initial ?? budget, funding: funding, basis: basis, goal: goal,
                       kinds: kinds, plan: plan, schedule: schedule, targets: targets, sources: sources, review: review,
                       signatures: signatures, monitoring: monitoring, points: points, position: f.position,
                       body: Markdown.render(doc.body, allowHTML: allowHTML), namePosition: f.textPosition("name"),
                       yearPosition: f.textPosition("year"))
    }

    /// `monitoring: {as_of: …, targets: [{target: <a row's name>, forecast, cause, likelihood, measure, remark}]}`.
    /// A target is named by its `name`, exactly as in `targets`: staff copy it, and an index would silently
    /// point at another row when the table is reordered.
    static func monitoring(_ v: YAMLValue, year: Int?, targets: [Target], _ sink: inout DiagnosticSink) -> Monitoring {
        guard case .map = v else {
            sink.error(v.position.line, v.position.column, .expectedMapping(key: "monitoring"))
            return Monitoring()
        }
        let m = Fields(v, known: Keys.monitoring, context: "monitoring.", sink: &sink)
        var result = Monitoring(asOf: m.day("as_of", &sink))
        if let asOf = result.asOf, let year, asOf.year != year, let p = m.textPosition("as_of") {
            sink.error(p.line, p.column, .form(.monitoringAsOfOutsideYear(date: asOf.description, year: year)))
            result.asOf = nil
        }
        guard let list = m.value("targets") else { return result }
        guard case let .list(items, _) = list else {
            sink.error(list.position.line, list.position.column, .expectedList(key: "monitoring.targets"))
            return result
        }
        for (i, item) in items.enumerated() {
            let ctx = "monitoring.targets[\(i + 1)]."
            guard case .map = item else {
                sink.error(item.position.line, item.position.column, .expectedMapping(key: "monitoring.targets[\(i + 1)]"))
                continue
            }
            let e = Fields(item, known: Keys.monitoringEntry, context: ctx, sink: &sink)
            guard let (name, namePosition) = e.textWithPosition("target", &sink) else {
                if !e.has("target") { sink.error(e.position.line, e.position.column, .missingField(key: ctx + "target")) }
                continue
            }
            let wanted = name.trimmingSpaces
            guard let index = targets.firstIndex(where: { $0.name.trimmingSpaces == wanted }) else {
                sink.error(namePosition.line, namePosition.column,
                           .form(.monitoringUnknownTarget(name: wanted, known: targets.map(\.name))))
                continue
            }
            if result.entries[index] != nil {
                sink.error(namePosition.line, namePosition.column, .form(.monitoringDuplicateTarget(name: wanted)))
                continue
            }
            var entry = MonitoringEntry(forecast: e.text("forecast", &sink).map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 },
                                        measure: e.text("measure", &sink), remark: e.text("remark", &sink))
            if let (t, p) = e.textWithPosition("cause", &sink) {
                if let c = DeviationCause(rawValue: t.trimmingSpaces) { entry.cause = c } else {
                    sink.error(p.line, p.column, .form(.monitoringCauseInvalid(found: t, allowed: DeviationCause.allCases.map(\.rawValue))))
                }
            }
            if let (t, p) = e.textWithPosition("likelihood", &sink) {
                if let l = Likelihood(rawValue: t.trimmingSpaces) { entry.likelihood = l } else {
                    sink.error(p.line, p.column, .form(.monitoringLikelihoodInvalid(found: t, allowed: Likelihood.allCases.map(\.rawValue))))
                }
            }
            result.entries[index] = entry
        }
        return result
    }

    static func target(_ item: YAMLValue, index: Int, _ sink: inout DiagnosticSink) -> Target? {
        let ctx = "targets[\(index)]."
        guard case .map = item else {
            sink.error(item.position.line, item.position.column, .expectedMapping(key: "targets[\(index)]"))
            return nil
        }
        let f = Fields(item, known: Keys.target, context: ctx, sink: &sink)
        let name = f.text("name", required: true, &sink)
        var group: IndicatorGroup?
        if let t = f.text("level1", required: true, &sink) {
            group = IndicatorGroup(rawValue: t.trimmingSpaces)
            if group == nil, let p = f.textPosition("level1") {
                sink.error(p.line, p.column, .invalidChoice(key: ctx + "level1", found: t, choices: IndicatorGroup.allCases.map(\.rawValue)))
            }
        }
        let level2 = f.text("level2", &sink) ?? ""
        var points = f.exact("points", &sink)
        if let p0 = points, let p = f.textPosition("points") {
            if p0 < Exact(0) {
                sink.error(p.line, p.column, .negativeNumber(key: ctx + "points", found: p0.description))
                points = nil
            } else if p0.hundredths == nil {
                sink.error(p.line, p.column, .form(.pointsTooPrecise(key: ctx + "points", found: p0.description)))
                points = nil
            }
        }
        var ruleText: String?
        if let rv = f.value("rule") {
            if case let .scalar(t, _, _) = rv { ruleText = t }
            else if case .map = rv { ruleText = Fields(rv, known: Keys.rule, context: ctx + "rule.", sink: &sink).text("text", &sink) }
        }
        // The approved row: 指标性质, 指标值 and 度量单位 as written.
        let op = comparison(f, ctx: ctx, &sink) ?? .atLeast
        let valueText = f.scalarText("value")
        let listed = f.value("measures") != nil
        // A row that is its own measure reads (and reports) its unit there.
        let unit = (listed ? f.text("unit", &sink) : f.scalarText("unit")) ?? ""
        var measures: [Measure] = []
        if let mv = f.value("measures") {
            if f.has("metric"), let p = f.textPosition("metric") {
                sink.error(p.line, p.column, .form(.measuresAndMetric(key: "targets[\(index)]")))
            }
            if case let .list(items, _) = mv {
                if items.isEmpty { sink.error(mv.position.line, mv.position.column, .form(.emptyMeasures(key: ctx + "measures"))) }
                for (i, item) in items.enumerated() {
                    let mctx = ctx + "measures[\(i + 1)]."
                    guard case .map = item else {
                        sink.error(item.position.line, item.position.column, .expectedMapping(key: ctx + "measures[\(i + 1)]"))
                        continue
                    }
                    let m = Fields(item, known: Keys.measure, context: mctx, sink: &sink)
                    if let measure = measure(m, ctx: mctx, ruleValue: m.value("rule"), op: nil, rowOp: op, &sink) {
                        measures.append(measure)
                    }
                }
            } else {
                sink.error(mv.position.line, mv.position.column, .expectedList(key: ctx + "measures"))
            }
        } else if let m = measure(f, ctx: ctx, ruleValue: f.value("rule"), op: op, &sink) {
            measures = [m]
        }
        let evidence = f.text("evidence", &sink)
        let basis = f.text("basis", &sink)
        let reason = f.text("reason", &sink)
        let nature = f.text("nature", &sink)
        let content = f.text("content", &sink)
        guard let name, let group, !measures.isEmpty else { return nil }
        return Target(name: name, group: group, level2: level2, op: op, valueText: valueText, unit: unit, nature: nature,
                      content: content, measures: measures, hasMeasureList: listed, points: points, ruleText: ruleText,
                      evidence: evidence, basis: basis, reason: reason, position: f.position)
    }

    static func comparison(_ f: Fields, ctx: String, _ sink: inout DiagnosticSink) -> Comparison? {
        guard let t = f.text("op", &sink) else { return nil }
        if let o = Comparison(rawValue: t.trimmingSpaces.replacingOccurrencesOfFullWidth) { return o }
        if let p = f.textPosition("op") {
            sink.error(p.line, p.column, .invalidChoice(key: ctx + "op", found: t, choices: Comparison.allCases.map(\.rawValue)))
        }
        return nil
    }

    /// What a row (or one of its `measures`) measures and how it is judged.
    /// `op`: the row's own, already read (and reported) when the measure is the row itself.
    /// `rowOp`: a listed measure without an `op` of its own takes its row's (a `<=` row's measures stay `<=`).
    static func measure(_ f: Fields, ctx: String, ruleValue: YAMLValue?, op ownOp: Comparison?, rowOp: Comparison? = nil,
                        _ sink: inout DiagnosticSink) -> Measure? {
        var metric: Metric?
        if let t = f.text("metric", required: true, &sink) {
            metric = Metric(rawValue: t.trimmingSpaces)
            if metric == nil, let p = f.textPosition("metric") {
                sink.error(p.line, p.column, .invalidChoice(key: ctx + "metric", found: t, choices: Metric.allCases.map(\.rawValue)))
            }
        }
        let op = ownOp ?? comparison(f, ctx: ctx, &sink) ?? rowOp ?? .atLeast
        let value = f.exact("value", &sink)
        let unit = f.text("unit", &sink) ?? ""
        var direction = Direction.standard(for: op, metric: metric)
        if let t = f.text("direction", &sink) {
            if let d = Direction(rawValue: t.trimmingSpaces) { direction = d }
            else if let p = f.textPosition("direction") {
                sink.error(p.line, p.column, .invalidChoice(key: ctx + "direction", found: t, choices: Direction.allCases.map(\.rawValue)))
            }
        }
        var rule: DeductionRule?
        if let rv = ruleValue {
            switch rv {
            case .scalar:
                break  // the wording alone: scored by the proportional formula
            case .map:
                let r = Fields(rv, known: Keys.rule, context: ctx + "rule.", sink: &sink)
                let deduct = r.exact("deduct", &sink)
                let per = r.exact("per", &sink) ?? Exact(1)
                let of = r.exact("of", &sink)
                if let of, !(Exact(0) < of), let p = r.textPosition("of") {
                    sink.error(p.line, p.column, .form(.ruleOfInvalid(key: ctx + "rule.of", found: of.description)))
                } else if let deduct {
                    if !(Exact(0) < per), let p = r.textPosition("per") {
                        sink.error(p.line, p.column, .expectedNumber(key: ctx + "rule.per", found: per.description))
                    } else if deduct < Exact(0), let p = r.textPosition("deduct") {
                        sink.error(p.line, p.column, .expectedNumber(key: ctx + "rule.deduct", found: deduct.description))
                    } else {
                        rule = DeductionRule(deduct: deduct, per: per, of: of)
                    }
                }
            case .list:
                sink.error(rv.position.line, rv.position.column, .expectedMapping(key: ctx + "rule"))
            }
        }
        var actual: ManualActual?
        if let av = f.value("actual"), case let .scalar(t, _, _) = av {
            let trimmed = t.trimmingSpaces
            if trimmed == "待评" || trimmed.isEmpty { actual = .pending }
            else if let o = Outcome(rawValue: trimmed) { actual = .outcome(o) }
            else if let e = Exact.parse(trimmed.replacingPercent) { actual = .number(e) }
            else {
                sink.error(av.position.line, av.position.column,
                           .invalidChoice(key: ctx + "actual", found: t, choices: ["数值", "待评"] + Outcome.allCases.map(\.rawValue)))
            }
        } else if let av = f.value("actual") {
            sink.error(av.position.line, av.position.column, .expectedText(key: ctx + "actual"))
        } else if metric == .manual {
            actual = .pending
        }
        // The national bands: 达成 80–100 % of points (100 unless percent says), 部分达成 60–80, 未达成 0–60.
        var percent = f.percent("percent", &sink)
        if case let .outcome(o) = actual {
            let band = o.band
            if let p0 = percent, !band.contains(p0), let p = f.textPosition("percent") {
                sink.error(p.line, p.column, .form(.percentOutsideBand(key: ctx + "percent", found: p0.description, outcome: o.rawValue,
                                                                      low: band.lowerBound.description, high: band.upperBound.description)))
                percent = nil
            } else if percent == nil && o.defaultPercent == nil, let p = f.textPosition("actual") {
                sink.error(p.line, p.column, .form(.percentRequired(key: ctx + "actual", outcome: o.rawValue,
                                                                   low: band.lowerBound.description, high: band.upperBound.description)))
            }
        } else if percent != nil, actual != .pending, let p = f.textPosition("percent") {
            sink.warning(p.line, p.column, .form(.percentUnused(key: ctx + "percent")))
        }
        if let metric, metric != .manual, value == nil, !f.has("value") {
            sink.error(f.position.line, f.position.column, .missingField(key: ctx + "value"))
        }
        guard let metric else { return nil }
        return Measure(metric: metric, kinds: f.textList("kinds", &sink)?.map { $0.0.trimmingSpaces }, op: op, value: value,
                       valueText: f.scalarText("value"), unit: unit, direction: direction, rule: rule, actual: actual,
                       percent: percent, position: f.position)
    }

    /// A report without its project resolved (that needs every project) and photos unchecked (that needs the disk).
    static func report(slug: String, _ doc: SourceDocument, _ map: YAMLValue, allowHTML: Bool,
                       _ sink: inout DiagnosticSink) -> Report? {
        let f = Fields(map, known: Keys.report, sink: &sink)
        let title = f.text("title", required: true, &sink)
        let date = f.day("date", required: true, &sink)
        let kind = f.text("kind", required: true, &sink)
        let project = f.text("project", &sink)?.trimmingSpaces
        // Trimmed once here, so "科技馆" and "科技馆　" are one venue on every page and in by_venue.
        let venue = f.text("venue", &sink).map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        let audience = f.wholeNumber("audience", &sink) ?? 0
        let activities = f.wholeNumber("activities", limit: 100_000, &sink) ?? 1
        var spend: [SpendItem] = []
        var positions = FieldPositions()
        if let v = f.value("spend") {
            switch v {
            case let .scalar(t, _, p):
                if let m = Fields.parseMoney(t, key: "spend", at: p, &sink) { spend.append(SpendItem(item: "", amount: m)) }
            case let .list(items, _):
                // `spend: [1,800.50]`: in brackets YAML splits at the comma, giving 1 and 800.50. A comma with
                // no space after it and three digits after it is a thousands separator: never two amounts.
                func glued(_ k: Int) -> Bool {
                    guard case let .scalar(a, false, pa) = items[k], case let .scalar(b, false, pb) = items[k + 1],
                          pa.line == pb.line, pb.column == pa.column + a.unicodeScalars.count + 1 else { return false }
                    let digits = b.utf8.prefix(while: { $0 >= 48 && $0 <= 57 }).count
                    return digits == 3 && (b.utf8.count == 3 || b.utf8.dropFirst(3).first == UInt8(ascii: ".") || b.hasSuffix("元"))
                }
                var split = Set<Int>()
                var start = 0
                while start + 1 < items.count {
                    var end = start
                    while end + 1 < items.count && glued(end) { end += 1 }
                    if end > start, case let .scalar(_, _, p) = items[start] {
                        let whole = items[start...end].compactMap { item -> String? in
                            if case let .scalar(t, _, _) = item { return t }
                            return nil
                        }.joined(separator: ",")
                        sink.error(p.line, p.column, .invalidAmount(key: "spend[\(start + 1)]", found: whole))
                        split.formUnion(start...end)
                    }
                    start = end + 1
                }
                for (i, item) in items.enumerated() {
                    if split.contains(i) { continue }
                    let ctx = "spend[\(i + 1)]."
                    guard case .map = item else {
                        // `- 600` in a list: an amount without an item name.
                        if case let .scalar(t, _, p) = item,
                           let m = Fields.parseMoney(t, key: "spend[\(i + 1)]", at: p, &sink) {
                            spend.append(SpendItem(item: "", amount: m))
                        }
                        continue
                    }
                    let s = Fields(item, known: Keys.spendItem, context: ctx, sink: &sink)
                    let name = s.text("item", &sink) ?? ""
                    let source = s.text("source", &sink).map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
                    let paid = s.day("paid", &sink)
                    if let m = s.money("amount", required: true, &sink) {
                        // Keyed by the item's place among the items kept: the loader checks the source by that place,
                        // and an item before it that failed is not among them.
                        if source != nil, let p = s.textPosition("source") { positions["spend[\(spend.count)].source"] = p }
                        spend.append(SpendItem(item: name, amount: m, source: source, paid: paid))
                    }
                }
            case .map:
                sink.error(v.position.line, v.position.column, .expectedList(key: "spend"))
            }
        }
        var survey: Survey?
        if let v = f.value("satisfaction") {
            if case .map = v {
                let s = Fields(v, known: Keys.survey, context: "satisfaction.", sink: &sink)
                let surveyed = s.wholeNumber("surveyed", &sink)
                let satisfied = s.wholeNumber("satisfied", &sink)
                if !s.has("surveyed") { sink.error(v.position.line, v.position.column, .missingField(key: "satisfaction.surveyed")) }
                if !s.has("satisfied") { sink.error(v.position.line, v.position.column, .missingField(key: "satisfaction.satisfied")) }
                if let surveyed, let satisfied {
                    if satisfied > surveyed, let p = s.textPosition("satisfied") {
                        sink.error(p.line, p.column, .satisfiedExceedsSurveyed(satisfied: satisfied, surveyed: surveyed))
                    } else {
                        survey = Survey(surveyed: surveyed, satisfied: satisfied)
                    }
                }
            } else {
                sink.error(v.position.line, v.position.column, .expectedMapping(key: "satisfaction"))
            }
        }
        var photos: [Photo] = []
        var photoPositions: [Position] = []
        if let list = f.textList("photos", &sink) {
            photos = list.map { Photo(name: $0.0, contentPath: "") }
            photoPositions = list.map(\.1)
        }
        let tags = f.textList("tags", &sink)?.map(\.0) ?? []
        let draft = f.bool("draft", &sink) ?? false
        let summary = f.text("summary", &sink)
        let updated = f.day("updated", &sink)
        let corrections = correctionList(f, &sink)
        for key in Keys.report { if let p = f.value(key)?.position { positions[key] = p } }
        positions["$"] = f.position
        // Each photo's own position, so a missing one is named on its line: `photos[0]`, `photos[1]`, …
        for (i, p) in photoPositions.enumerated() { positions["photos[\(i)]"] = p }
        let (images, brokenImages) = BodyImages.scan(doc.body, firstLine: doc.bodyLine)
        for (written, p) in brokenImages { sink.error(p.line, p.column, .bodyImageBroken(found: written)) }
        if !draft && BodyImages.isUnwritten(doc.body) {
            // The template left as written: publishing it would count one more activity with nothing in it.
            sink.error(doc.bodyLine + doc.body.prefix { $0 == "\n" || $0 == " " }.filter { $0 == "\n" }.count, 1, .reportUnwritten)
        }
        guard let title, let date, let kind else { return nil }
        let body = Markdown.render(doc.body, allowHTML: allowHTML)
        return Report(slug: slug, path: doc.path, title: title, date: date, kind: kind, projectID: project ?? "",
                      explicitProject: project, venue: venue, audience: audience, activities: activities, spend: spend,
                      satisfaction: survey, photos: photos, tags: tags, draft: draft,
                      summary: summary ?? body.firstParagraph, body: body, positions: positions, bodyImages: images,
                      updated: updated, corrections: corrections, bodyLine: doc.bodyLine)
    }

    /// `corrections: [{date: 2023-10-08, text: 更正参与人数}]`. Dates against the report's own date and the build
    /// date are checked later (SiteChecks), where both are known.
    static func correctionList(_ f: Fields, _ sink: inout DiagnosticSink) -> [Correction] {
        guard let v = f.value("corrections") else { return [] }
        guard case let .list(items, _) = v else {
            sink.error(v.position.line, v.position.column, .expectedList(key: "corrections"))
            return []
        }
        var out: [Correction] = []
        for (i, item) in items.enumerated() {
            let ctx = "corrections[\(i + 1)]."
            guard case .map = item else {
                sink.error(item.position.line, item.position.column, .expectedMapping(key: "corrections[\(i + 1)]"))
                continue
            }
            let c = Fields(item, known: Keys.correction, context: ctx, sink: &sink)
            let date = c.day("date", required: true, &sink)
            let text = c.text("text", required: true, &sink)?.trimmingSpaces
            if let date, let text { out.append(Correction(date: date, text: text, position: c.textPosition("date") ?? item.position)) }
        }
        return out
    }

    static func announcement(slug: String, _ doc: SourceDocument, _ map: YAMLValue, allowHTML: Bool,
                             _ sink: inout DiagnosticSink) -> Announcement? {
        let f = Fields(map, known: Keys.announcement, sink: &sink)
        let title = f.text("title", required: true, &sink)
        let seconds = f.wholeNumber("seconds", limit: 86400, &sink)
        let order = f.wholeNumber("order", limit: 1_000_000, &sink) ?? 0
        let from = f.day("from", &sink)
        let until = f.day("until", &sink)
        if let from, let until, until < from, let p = f.textPosition("until") {
            sink.error(p.line, p.column, .dateOutsideWindow(from: from.description, until: until.description))
        }
        var days: [Int]?
        if let list = f.textList("days", &sink) {
            var found: [Int] = []
            for (t, p) in list {
                if let d = weekday(t) {
                    if !found.contains(d) { found.append(d) }
                } else {
                    sink.error(p.line, p.column, .invalidWeekday(key: "days", found: t))
                }
            }
            days = found.sorted()
        }
        var hours: DailyHours?
        if let (t, p) = f.textWithPosition("hours", &sink) {
            hours = dailyHours(t)
            if hours == nil { sink.error(p.line, p.column, .invalidHours(key: "hours", found: t)) }
        }
        let urgent = f.bool("urgent", &sink) ?? false
        guard let title else { return nil }
        return Announcement(slug: slug, path: doc.path, title: title, seconds: seconds, order: order, from: from,
                            until: until, body: Markdown.render(doc.body, allowHTML: allowHTML),
                            days: days, hours: hours, urgent: urgent)
    }
}

extension Decode {
    /// 一 … 日 (also 周一, 星期一, 天, and 1 … 7) as 1 (Monday) … 7 (Sunday).
    static func weekday(_ text: String) -> Int? {
        var t = text.trimmingSpaces
        for prefix in ["星期", "礼拜", "周"] where t.hasPrefix(prefix) && t.count > prefix.count { t = String(t.dropFirst(prefix.count)) }
        switch t {
        case "一", "1": return 1
        case "二", "2": return 2
        case "三", "3": return 3
        case "四", "4": return 4
        case "五", "5": return 5
        case "六", "6": return 6
        case "日", "天", "七", "7": return 7
        default: return nil
        }
    }

    /// `08:30-17:30` (also `8:30～17:30`, full-width colons and dashes); the end after the start, 24:00 at most.
    static func dailyHours(_ text: String) -> DailyHours? {
        var t = ""
        for c in text.trimmingSpaces where c != " " {
            switch c {
            case "：": t.append(":")
            case "－", "—", "–", "~", "～", "至", "到": t.append("-")
            default: t.append(c)
            }
        }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        func minutes(_ s: Substring) -> Int? {
            let hm = s.split(separator: ":", omittingEmptySubsequences: false)
            guard hm.count == 2, (1...2).contains(hm[0].count), hm[1].count == 2,
                  hm[0].allSatisfy(\.isASCII), hm[1].allSatisfy(\.isASCII),
                  let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0...59).contains(m) else { return nil }
            let total = h * 60 + m
            return total <= 24 * 60 ? total : nil
        }
        guard let start = minutes(parts[0]), let end = minutes(parts[1]), start < end else { return nil }
        return DailyHours(start: start, end: end)
    }
}

extension String {
    /// `≥` and `≤`, as Word writes them, read as `>=` and `<=`; `＝` as `=`.
    var replacingOccurrencesOfFullWidth: String {
        switch self {
        case "≥", "＞＝", "大于等于": return ">="
        case "≤", "＜＝", "小于等于": return "<="
        case "＝", "等于": return "="
        default: return self
        }
    }
}
