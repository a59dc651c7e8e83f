import KepuContent
import KepuCore

extension Ledger {
    /// What only the figures can tell about a project file, once aggregated: an error for a finished year
    /// with a row still 待评 (the form would print a score for something never assessed), and warnings that
    /// help staff before a reviewer asks — a finished form with a row short of its target and no 偏差原因,
    /// and an actual more than half above its target.
    public static func review(_ site: SiteLedger) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for p in site.projects {
            for row in p.indicators {
                let at = row.target.position
                func add(_ severity: Severity, _ problem: FormProblem) {
                    out.append(Diagnostic(severity, phase: .aggregate, path: p.project.path, line: at.line, column: at.column,
                                          .form(problem)))
                }
                if row.pending && p.final {
                    add(.error, .pendingAfterYearEnd(name: row.target.name, year: p.project.year))
                }
                if p.final && row.met == false && (row.target.reason ?? "").trimmingSpaces.isEmpty {
                    add(.warning, .reasonMissing(name: row.target.name))
                }
                for m in row.measures {
                    guard let actual = m.actual, let value = m.measure.value.map(Score.init), value > .zero else { continue }
                    let far: Bool
                    switch m.measure.direction {
                    case .up: far = actual > value.times(Score(Exact(units: 15, scale: 1)))
                    case .down: far = actual < value.divided(by: Score(2))
                    case .exact: far = false
                    }
                    if far {
                        add(.warning, .farAboveTarget(name: row.target.name, actual: actual.cut(2).description + m.measure.unit,
                                                      target: (m.measure.valueText ?? value.description) + m.measure.unit))
                    }
                }
            }
        }
        return out
    }
}
