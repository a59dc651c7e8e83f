import Foundation
import KepuContent
import KepuCore

/// `kepu new project --year 2024 --from kepu-2023 --budget 2万元`: next year's project file from last year's,
/// copied as text so staff's comments and the approved wording stay; what belongs to the old year is moved
/// or cleared.
public enum NewProject {
    public struct Request: Sendable {
        public var year: Int
        public var from: String
        public var budget: String?
        public var id: String?
        public var contentDirectory: String

        public init(year: Int, from: String, budget: String? = nil, id: String? = nil, contentDirectory: String = "content") {
            self.year = year
            self.from = from
            self.budget = budget
            self.id = id
            self.contentDirectory = contentDirectory
        }
    }

    public struct Created: Sendable, Equatable {
        public var path: String
        public var id: String
        /// What staff must still fill in or check, in the order of the file.
        public var toFill: [String]
    }

    /// Its texts are the catalogue's (KepuCore/CommandProblem.swift).
    public typealias Failure = CommandProblem

    /// Keys whose values belong to the year that ended: the findings of its evaluation.
    static let clearedInTargets: Set<String> = ["actual", "evidence", "percent", "reason"]
    /// Top-level blocks of the old year's self-evaluation form, emptied.
    static let clearedBlocks: Set<String> = ["review", "signatures", "monitoring"]

    public static func create(_ request: Request) throws(Failure) -> Created {
        guard request.year >= 1000 && request.year <= 9999 else { throw .invalidYear(String(request.year)) }
        var content = request.contentDirectory
        while content.count > 1 && content.hasSuffix("/") { content.removeLast() }
        guard FileSystem.kind(of: content) == .directory else { throw .missingContentFolder(request.contentDirectory) }
        let source = content + "/projects/" + request.from + ".md"
        guard FileSystem.kind(of: source) == .file else {
            let known = FileSystem.kind(of: content + "/projects") == .directory
                ? FileSystem.listFiles(under: content + "/projects").filter { ContentLoader.isMarkdown($0) && !$0.contains("/") }
                    .map { String($0.dropLast(3)) }.sorted()
                : []
            throw .unknownProjectToCopy(id: request.from, known: known)
        }
        guard let bytes = try? FileSystem.readBytes(source), var text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableProject(path: source)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var budget: String?
        if let b = request.budget {
            guard (try? Money.parse(b)) != nil else { throw .invalidBudget(b) }
            budget = NewReport.yamlQuoted(b)
        }
        guard let (copied, oldYear, toFill) = copy(text, year: request.year, budget: budget) else { throw .unreadableProject(path: source) }
        if oldYear == request.year { throw .sameYear(year: request.year) }
        let id = request.id ?? newID(from: request.from, oldYear: oldYear, year: request.year)
        guard NewReport.isValidSlug(id) else { throw .invalidID(id) }
        let path = content + "/projects/" + id + ".md"
        do {
            try NewReport.writeNew(path: path, folder: content + "/projects", text: copied)
        } catch .reportExists(let p) {
            throw .projectExists(path: p)
        }
        return Created(path: path, id: id, toFill: toFill)
    }

    /// `kepu-2023` → `kepu-2024`; an id without the old year gets the new one appended.
    static func newID(from id: String, oldYear: Int, year: Int) -> String {
        let old = String(oldYear)
        if let r = id.range(of: old, options: .backwards) { return id.replacingCharacters(in: r, with: String(year)) }
        return id + "-" + String(year)
    }

    /// The copied text, the year it was copied from, and what is left to fill. Nil when there is no front
    /// matter or no `year:` line.
    static func copy(_ text: String, year: Int, budget: String?) -> (String, Int, [String])? {
        let lines = text.components(separatedBy: "\n")
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" || first == "---\r",
              let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespacesAndNewlines) == "---" })
        else { return nil }
        var oldYear: Int?
        for i in 1..<close {
            let (indent, key, value) = split(lines[i])
            if indent == 0, key == "year", let y = Int(value.trimmingCharacters(in: .whitespaces)) { oldYear = y }
        }
        guard let oldYear else { return nil }
        let shift = year - oldYear
        var out: [String] = [lines[0]]
        var toFill: [String] = []
        var manualRows = 0
        var dropDeeperThan: Int?
        // The lines of `sources:` items (其中 rows), in the output: one source takes the new budget.
        var inSources = false
        var sourceLines: [Int] = []
        for i in 1..<close {
            var line = lines[i]
            let (indent, key, _) = split(line)
            if let limit = dropDeeperThan {
                // A blank line inside last year's block (a multi-line text) does not end it.
                if line.trimmingCharacters(in: .whitespaces).isEmpty || indent > limit { continue }
                dropDeeperThan = nil
            }
            if line.contains("metric: manual") || line.contains("metric: \"manual\"") { manualRows += 1 }
            if indent == 0, let key { inSources = key == "sources" }
            if inSources && indent > 0 && line.trimmingCharacters(in: .whitespaces).hasPrefix("-") { sourceLines.append(out.count) }
            guard let key else { out.append(moveDates(clearFlow(line), by: shift)); continue }
            if indent == 0 && clearedBlocks.contains(key) {
                // The old year's form: the key stays, empty, its contents go.
                out.append(key + ":")
                dropDeeperThan = 0
                toFill.append(key)
                continue
            }
            if indent > 0 && !line.trimmingCharacters(in: .whitespaces).hasPrefix("-") && clearedInTargets.contains(key) {
                dropDeeperThan = indent
                continue
            }
            if indent == 0 && key == "year" { line = "year: \(year)" }
            if indent == 0 && (key == "budget" || key == "initial_budget"), let budget { line = key + ": " + budget }
            if indent == 0 && key == "name" { line = line.replacingOccurrences(of: String(oldYear), with: String(year)) }
            line = clearFlow(line)
            line = moveDates(line, by: shift)
            out.append(line)
        }
        if let budget, !sourceLines.isEmpty {
            // One source is the whole budget; with several, staff split the new budget themselves.
            if sourceLines.count == 1, let r = out[sourceLines[0]].range(of: #"amount:\s*("[^"]*"|[^,}\s]+)"#, options: .regularExpression) {
                out[sourceLines[0]].replaceSubrange(r, with: "amount: " + budget)
            } else {
                toFill.append("sources")
            }
        }
        out += lines[close...]
        if budget == nil { toFill.insert("budget", at: 0) }
        if manualRows > 0 { toFill.append("actual×\(manualRows)") }
        return (out.joined(separator: "\n"), oldYear, toFill)
    }

    /// Indentation, the key (after an optional `- `) and the rest of a `key: value` line.
    static func split(_ line: String) -> (Int, String?, String) {
        let chars = Array(line)
        var i = 0
        while i < chars.count && chars[i] == " " { i += 1 }
        let indent = i
        if i + 1 < chars.count && chars[i] == "-" && chars[i + 1] == " " { i += 2 }
        var k = i
        while k < chars.count && chars[k] != ":" && chars[k] != " " && chars[k] != "{" && chars[k] != "#" { k += 1 }
        guard k > i, k < chars.count, chars[k] == ":", k + 1 == chars.count || chars[k + 1] == " " || chars[k + 1] == "\r" else {
            return (indent, nil, "")
        }
        return (indent, String(chars[i..<k]), String(chars[(k + 1)...]))
    }

    /// `{name: x, actual: 达成, evidence: "…"}` on one line: the old year's findings taken out.
    static func clearFlow(_ line: String) -> String {
        guard line.contains("{") else { return line }
        var out = line
        for key in clearedInTargets {
            let pattern = #",\s*"# + key + #":\s*("[^"]*"|'[^']*'|[^,}]*)"#
            while let r = out.range(of: pattern, options: .regularExpression) { out.removeSubrange(r) }
        }
        return out
    }

    /// `by: 2023-03-31` → `by: 2024-03-31`: milestones move with the year (29 February to the 28th when needed).
    static func moveDates(_ line: String, by years: Int) -> String {
        var out = line
        var searchFrom = out.startIndex
        while let r = out.range(of: #"by:\s*["']?\d{4}-\d{2}-\d{2}"#, options: .regularExpression, range: searchFrom..<out.endIndex) {
            let text = String(out[r])
            let date = String(text.suffix(10))
            guard let day = try? Day.parse(date) else { searchFrom = r.upperBound; continue }
            let y = day.year + years
            var d = day.day
            if day.month == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) { d = 28 }
            let moved = String(format: "%04d-%02d-%02d", y, day.month, d)
            let replacement = String(text.dropLast(10)) + moved
            out.replaceSubrange(r, with: replacement)
            searchFrom = out.index(r.lowerBound, offsetBy: replacement.count)
        }
        return out
    }
}
