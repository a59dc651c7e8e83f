import Foundation
import KepuContent
import KepuCore
import KepuForms
import KepuLedger
import KepuPresentation
import KepuTestSupport
import XCTest

final class FormWorkbooksTests: XCTestCase {
    func sample(now: Day) throws -> (RenderInput, UIStrings) {
        let content = try XCTUnwrap(ContentLoader.load(contentDirectory: sampleContent).content)
        let ledger = Ledger.aggregate(content, now: now)
        let input = RenderInput(content: content, ledger: ledger, now: now, includeDrafts: false, baseURL: "/",
                                themeDirectory: themeDirectory, cacheDirectory: NSTemporaryDirectory())
        return (input, try UIStrings.load(themeDirectory: themeDirectory, language: .zhCN))
    }

    /// The zip's entries, unpacked by `unzip` into a map of name → text.
    func entries(_ bytes: [UInt8]) throws -> [String: String] {
        let dir = NSTemporaryDirectory() + "/kepu-forms-test-" + String(UInt64.random(in: 0...UInt64.max))
        try FileManager().createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager().removeItem(atPath: dir) }
        XCTAssertTrue(FileManager().createFile(atPath: dir + "/book.xlsx", contents: Data(bytes)))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        p.arguments = ["-q", "-o", dir + "/book.xlsx", "-d", dir + "/x"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        var out: [String: String] = [:]
        let base = dir + "/x/"
        for name in FileManager().enumerator(atPath: base)?.allObjects as? [String] ?? [] {
            if let d = FileManager().contents(atPath: base + name) { out[name] = String(decoding: d, as: UTF8.self) }
        }
        return out
    }

    func testSameContentAndDateGiveTheSameBytes() throws {
        let (input, strings) = try sample(now: Day(year: 2023, month: 7, day: 15)!)
        let a = MemorySink(), b = MemorySink()
        let paths = try FormWorkbooks.write(input, strings: strings, folder: { "projects/" + $0 }, into: a)
        Thread.sleep(forTimeInterval: 1.1)  // a clock in the file would now differ
        try FormWorkbooks.write(input, strings: strings, folder: { "projects/" + $0 }, into: b)
        XCTAssertEqual(paths, ["projects/kepu-2023/evaluation/evaluation.xlsx", "projects/kepu-2023/monitoring/monitoring-2023-06-30.xlsx"])
        for p in paths { XCTAssertEqual(a.files[p], b.files[p], p) }
        let core = try entries(a.files[paths[0]]!)["docProps/core.xml"] ?? ""
        XCTAssertTrue(core.contains("2023-07-15T00:00:00Z"), core)
    }

    func testMonitoringFiguresAreAsOfTheDateAndStoredAsNumbers() throws {
        let (input, strings) = try sample(now: Day(year: 2023, month: 7, day: 15)!)
        let p = input.ledger.projects[0]
        let x = FormText(strings: strings, language: .zhCN)
        let asOf = Day(year: 2023, month: 6, day: 30)!
        let form = MonitoringForm(p, asOf: asOf, text: x)
        let expected = p.reports.filter { $0.date <= asOf }.flatMap { r in r.spend.filter { ($0.paid ?? r.date) <= asOf } }
            .reduce(Money.zero) { $0 + $1.amount }
        XCTAssertEqual(form.total.spend?.value, Score(fen: expected))
        XCTAssertLessThan(expected, p.totals.spend)
        let sheet = try entries(try FormWorkbooks.monitoring(form, text: x, created: input.now))["xl/worksheets/sheet1.xml"] ?? ""
        // The spend so far is a number cell (no t="s"), with the figure's digits.
        let yuan = Score(fen: expected).decimal.description
        XCTAssertTrue(sheet.contains("<v>\(yuan)</v>"), "spend \(yuan) not stored as a number")
        XCTAssertTrue(sheet.contains("<mergeCell "))
        XCTAssertTrue(sheet.contains("fitToWidth=\"1\"") || sheet.contains("fitToPage=\"1\""), "one page wide")
        XCTAssertTrue(sheet.contains("paperSize=\"9\""), "A4")
    }

    func testUserTextIsStoredAsTextNotFormula() throws {
        let (input, strings) = try sample(now: Day(year: 2024, month: 1, day: 15)!)
        var p = input.ledger.projects[0]
        p.project.review.conclusion = "=HYPERLINK(\"http://x\")<b>&"
        let x = FormText(strings: strings, language: .zhCN)
        let files = try entries(try FormWorkbooks.evaluation(EvaluationForm(p, text: x), text: x, created: input.now))
        XCTAssertFalse(files["xl/worksheets/sheet1.xml"]!.contains("<f>"))
        XCTAssertTrue(files["xl/sharedStrings.xml"]!.contains("=HYPERLINK(\"http://x\")&lt;b&gt;&amp;"))
    }

    /// Excel's sheet names are at most 31 characters without `[]:*?/\`: an English site's longer title is cut
    /// to fit, not a crash.
    func testAnEnglishWorkbookGetsASheetNameExcelAccepts() throws {
        let (input, _) = try sample(now: Day(year: 2024, month: 1, day: 15)!)
        let strings = try UIStrings.load(themeDirectory: themeDirectory, language: .en)
        let x = FormText(strings: strings, language: .en)
        XCTAssertGreaterThan(x.t("sheet_title").count, 31)
        let files = try entries(try FormWorkbooks.evaluation(EvaluationForm(input.ledger.projects[0], text: x), text: x,
                                                             created: input.now))
        let name = try XCTUnwrap(files["xl/workbook.xml"]?.components(separatedBy: "<sheet name=\"").dropFirst().first?
            .components(separatedBy: "\"").first)
        XCTAssertEqual(name, String(x.t("sheet_title").prefix(31)))
    }
}
