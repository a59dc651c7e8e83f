import KepuCore
import KepuMarkdown

/// Field names each file may use; anything else is a warning naming the nearest one.
enum Keys {
    static let site = ["title", "unit", "language", "base_url", "description", "example", "html", "scoring", "led", "period"]
    static let scoring = ["execution", "output", "effect", "satisfaction"]
    static let led = ["width", "height", "seconds", "strip"]
    static let strip = ["width", "height"]
    static let period = ["from", "to", "goal"]
    static let project = ["name", "unit", "department", "year", "budget", "initial_budget", "funding", "basis", "goal",
                          "kinds", "plan", "schedule", "targets"]
    static let milestone = ["by", "share"]
    static let target = ["name", "level1", "level2", "metric", "kinds", "op", "value", "unit", "points", "rule",
                         "actual", "evidence", "basis", "reason", "outcomes"]
    static let rule = ["deduct", "per", "text"]
    static let report = ["title", "date", "kind", "project", "venue", "audience", "activities", "spend",
                         "satisfaction", "photos", "tags", "draft", "summary"]
    static let spendItem = ["item", "amount"]
    static let survey = ["surveyed", "satisfied"]
    static let announcement = ["title", "seconds", "order", "from", "until"]

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
            }
            site.scoring = w
        }
        if let v = f.value("led") {
            let l = Fields(v, known: Keys.led, context: "led.", sink: &sink)
            site.led.width = l.wholeNumber("width", limit: 16384, &sink) ?? site.led.width
            site.led.height = l.wholeNumber("height", limit: 16384, &sink) ?? site.led.height
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

    static func project(id: String, path: String, _ doc: SourceDocument, _ map: YAMLValue, allowHTML: Bool,
                        _ sink: inout DiagnosticSink) -> Project? {
        let f = Fields(map, known: Keys.project, sink: &sink)
        let name = f.text("name", required: true, &sink)
        let unit = f.text("unit", required: true, &sink)
        let year = f.wholeNumber("year", limit: 9999, &sink)
        if year == nil && !f.has("year") { sink.error(f.position.line, f.position.column, .missingField(key: "year")) }
        let budget = f.money("budget", required: true, &sink)
        var basis: [String] = []
        if let list = f.textList("basis", &sink) { basis = list.map(\.0) }
        var kinds: [String]?
        if let list = f.textList("kinds", &sink) { kinds = list.map(\.0) }
        var plan: [PlanEntry] = []
        if let v = f.value("plan") {
            if case let .map(pairs, _) = v {
                for pair in pairs {
                    guard case let .scalar(t, _, p) = pair.value,
                          let n = Fields.parseWholeNumber(t, key: "plan.\(pair.key)", at: p, limit: 1_000_000, &sink)
                    else { continue }
                    plan.append(PlanEntry(kind: pair.key, count: n))
                }
            } else {
                sink.error(v.position.line, v.position.column, .expectedMapping(key: "plan"))
            }
        }
        // `plan: {科普曰: 1}` would show a planned kind no report can ever hold: with `kinds`, name it.
        if let kinds, case let .map(pairs, _)? = f.value("plan") {
            for pair in pairs where !kinds.contains(pair.key) {
                sink.error(pair.keyPosition.line, pair.keyPosition.column, .invalidChoice(key: "plan", found: pair.key, choices: kinds))
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
        let funding = f.text("funding", &sink)
        let goal = f.text("goal", &sink)
        let department = f.text("department", &sink)
        let initial = f.money("initial_budget", &sink)
        guard let name, let unit, let year, let budget else { return nil }
        return Project(id: id, path: path, name: name, unit: unit, department: department ?? unit, year: year,
                       budget: budget, initialBudget: initial ?? budget, funding: funding, basis: basis, goal: goal,
                       kinds: kinds, plan: plan, schedule: schedule, targets: targets,
                       body: Markdown.render(doc.body, allowHTML: allowHTML), yearPosition: f.textPosition("year"))
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
        var metric: Metric?
        if let t = f.text("metric", required: true, &sink) {
            metric = Metric(rawValue: t.trimmingSpaces)
            if metric == nil, let p = f.textPosition("metric") {
                sink.error(p.line, p.column, .invalidChoice(key: ctx + "metric", found: t, choices: Metric.allCases.map(\.rawValue)))
            }
        }
        var op = Comparison.atLeast
        if let t = f.text("op", &sink) {
            if let o = Comparison(rawValue: t.trimmingSpaces.replacingOccurrencesOfFullWidth) { op = o }
            else if let p = f.textPosition("op") {
                sink.error(p.line, p.column, .invalidChoice(key: ctx + "op", found: t, choices: Comparison.allCases.map(\.rawValue)))
            }
        }
        let value = f.exact("value", &sink)
        let unit = f.text("unit", &sink) ?? ""
        var points = f.exact("points", &sink)
        if let p = points, p < Exact(0), let at = f.textPosition("points") {
            // A negative row would take points from the others and still let the total read 100.
            sink.error(at.line, at.column, .negativeNumber(key: ctx + "points", found: p.description))
            points = nil
        }
        var rule: DeductionRule?
        var ruleText: String?
        if let rv = f.value("rule") {
            switch rv {
            case let .scalar(t, _, _):
                ruleText = t
            case .map:
                let r = Fields(rv, known: Keys.rule, context: ctx + "rule.", sink: &sink)
                ruleText = r.text("text", &sink)
                let deduct = r.exact("deduct", &sink)
                let per = r.exact("per", &sink) ?? Exact(1)
                if let deduct {
                    if per == Exact(0) || per < Exact(0), let p = r.textPosition("per") {
                        sink.error(p.line, p.column, .expectedNumber(key: ctx + "rule.per", found: per.description))
                    } else {
                        rule = DeductionRule(deduct: deduct, per: per)
                    }
                }
            case .list:
                sink.error(rv.position.line, rv.position.column, .expectedMapping(key: ctx + "rule"))
            }
        }
        var actual: ManualActual?
        if let av = f.value("actual"), case let .scalar(t, _, _) = av {
            let trimmed = t.trimmingSpaces
            if let o = Outcome(rawValue: trimmed) { actual = .outcome(o) }
            else if let e = Exact.parse(trimmed.replacingPercent) { actual = .number(e) }
            else {
                sink.error(av.position.line, av.position.column,
                           .invalidChoice(key: ctx + "actual", found: t, choices: ["数值"] + Outcome.allCases.map(\.rawValue)))
            }
        } else if let av = f.value("actual") {
            sink.error(av.position.line, av.position.column, .expectedText(key: ctx + "actual"))
        }
        var shares: [Outcome: Exact] = [.achieved: Exact(100), .partlyAchieved: Exact(80), .notAchieved: Exact(50)]
        if let ov = f.value("outcomes") {
            let o = Fields(ov, known: Outcome.allCases.map(\.rawValue), context: ctx + "outcomes.", sink: &sink)
            for outcome in Outcome.allCases {
                if let e = o.percent(outcome.rawValue, &sink) { shares[outcome] = e }
            }
        }
        var kinds: [String]?
        if let list = f.textList("kinds", &sink) { kinds = list.map(\.0) }
        if metric == .manual && actual == nil && f.value("actual") == nil, let name {
            sink.error(f.position.line, f.position.column, .manualWithoutActual(name: name))
        }
        if let metric, metric != .manual, value == nil, !f.has("value") {
            sink.error(f.position.line, f.position.column, .missingField(key: ctx + "value"))
        }
        let evidence = f.text("evidence", &sink)
        let basis = f.text("basis", &sink)
        let reason = f.text("reason", &sink)
        guard let name, let group, let metric else { return nil }
        return Target(name: name, group: group, level2: level2, metric: metric, kinds: kinds, op: op, value: value,
                      unit: unit, points: points, rule: rule, ruleText: ruleText, actual: actual, evidence: evidence,
                      basis: basis, reason: reason, outcomeShares: shares, position: f.position)
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
                    if let m = s.money("amount", required: true, &sink) { spend.append(SpendItem(item: name, amount: m)) }
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
        var positions: [String: Position] = [:]
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
                      summary: summary ?? body.firstParagraph, body: body, positions: positions, bodyImages: images)
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
        guard let title else { return nil }
        return Announcement(slug: slug, path: doc.path, title: title, seconds: seconds, order: order, from: from,
                            until: until, body: Markdown.render(doc.body, allowHTML: allowHTML))
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
