import KepuContent
import KepuCore

/// Rules of the public site that need the build date: a report's `updated` and `corrections` dates.
enum SiteChecks {
    /// A change dated before the report's own date, or after the build date, is an error: the 更正记录 page
    /// and the feed would otherwise publish a history that cannot be true.
    static func corrections(_ content: Content, now: Day) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for r in content.reports {
            var changes: [(key: String, date: Day, at: Position)] = []
            if let u = r.updated { changes.append(("updated", u, r.positions["updated"] ?? r.positions["$"] ?? Position(line: 1, column: 1))) }
            for (i, c) in r.corrections.enumerated() { changes.append(("corrections[\(i + 1)].date", c.date, c.position)) }
            for c in changes {
                if c.date < r.date {
                    out.append(Diagnostic(.error, path: r.path, line: c.at.line, column: c.at.column,
                                          .site(.changeBeforeReport(key: c.key, date: c.date.description, reportDate: r.date.description))))
                } else if c.date > now {
                    out.append(Diagnostic(.error, path: r.path, line: c.at.line, column: c.at.column,
                                          .site(.changeInFuture(key: c.key, date: c.date.description, today: now.description))))
                }
            }
        }
        return out
    }
}
