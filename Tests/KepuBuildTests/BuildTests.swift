import Foundation
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// End to end: a content tree on disk, a build, assertions on the files a visitor would download.
final class BuildTests: XCTestCase {
    var work: String!

    override func setUp() {
        work = NSTemporaryDirectory() + "kepu-build-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: work) }

    func options(output: String? = nil, content: String? = nil, now: String = "2024-01-15") -> BuildOptions {
        BuildOptions(contentDirectory: content ?? repositoryRoot + "/content", outputDirectory: output ?? work + "/public",
                     themeDirectory: repositoryRoot + "/theme", cacheDirectory: work + "/cache", now: try! Day.parse(now))
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Every file under a folder with its bytes, for byte-for-byte comparisons.
    func snapshot(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: folder)!
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + f, isDirectory: &isDir), !isDir.boolValue {
                out[f] = FileManager.default.contents(atPath: folder + "/" + f)
            }
        }
        return out
    }

    func testSampleSiteDataFiles() throws {
        let report = Builder.build(options())
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        XCTAssertEqual(report.projects, 1)
        XCTAssertEqual(report.reports, 11)
        XCTAssertEqual(report.draftsLeftOut, 1)

        let json = read(work + "/public/data/projects/kepu-2023.json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual(object["id"] as? String, "kepu-2023")
        XCTAssertEqual(object["budget"] as? String, "20000.00")
        XCTAssertEqual(object["grade"] as? String, "优")
        XCTAssertEqual(object["final"] as? Bool, true)
        let totals = object["totals"] as! [String: Any]
        XCTAssertEqual(totals["spend"] as? String, "19658.40")
        XCTAssertEqual(totals["audience"] as? Int, 10530)
        // Numbers keep their decimal text exactly: no binary float on the way out.
        XCTAssertTrue(json.contains("\"score\": 93.58,"), json)
        XCTAssertTrue(json.contains("\"rate\": 98.29,"))
        let indicators = object["indicators"] as! [[String: Any]]
        XCTAssertEqual(indicators.count, 6, "the seed's six rows, as approved")
        XCTAssertEqual(Set(indicators[0].keys).isSuperset(of: ["name", "level1", "level2", "metric", "op", "value", "target", "unit",
                                                               "nature", "content", "measures", "actual", "met", "points", "score",
                                                               "reason"]), true)
        // The approved row as written: "=", "10000", 人次, two measures.
        XCTAssertEqual(indicators[0]["op"] as? String, "=")
        XCTAssertEqual(indicators[0]["value"] as? String, "10000")
        XCTAssertEqual((indicators[0]["measures"] as? [[String: Any]])?.map { $0["metric"] as? String }, ["activities", "audience"])
        let sources = object["sources"] as! [[String: Any]]
        XCTAssertEqual(sources.map { $0["name"] as? String }, ["当年财政拨款"])
        XCTAssertEqual(sources.first?["spent"] as? String, "19658.40")
        XCTAssertTrue(read(work + "/public/data/indicators.csv").contains("完成10次科普宣传、科普培训活动，服务群众1万余人次"))

        let site = try JSONSerialization.jsonObject(with: Data(read(work + "/public/data/site.json").utf8)) as! [String: Any]
        XCTAssertEqual((site["projects"] as! [Any]).count, 1)
        XCTAssertEqual(site["as_of"] as? String, "2024-01-15")

        // CSV: BOM first, CRLF rows, one row per report / spend item; the draft's row is not there.
        let csv = FileManager.default.contents(atPath: work + "/public/data/reports.csv")!
        XCTAssertEqual(Array(csv.prefix(3)), [0xEF, 0xBB, 0xBF])
        let rows = String(decoding: csv, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(rows.count, 1 + 11)
        XCTAssertFalse(rows.contains { $0.contains("2023-12-20") })
        let spendRows = read(work + "/public/data/spend.csv").components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let spendTotal = try spendRows.reduce(Money.zero) { sum, row in sum + (try Money.parse(String(row.split(separator: ",").last!))) }
        XCTAssertEqual(spendTotal, Money(fen: 1_965_840))
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/public/" + OutputFolder.marker))
    }

    func testTwoBuildsAreByteIdentical() throws {
        XCTAssertTrue(Builder.build(options(output: work + "/a")).succeeded)
        XCTAssertTrue(Builder.build(options(output: work + "/b")).succeeded)
        let a = snapshot(work + "/a"), b = snapshot(work + "/b")
        XCTAssertGreaterThan(a.count, 10)
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (path, bytes) in a { XCTAssertEqual(bytes, b[path], path) }
    }

    func testFailingBuildLeavesPreviousOutputUntouched() throws {
        XCTAssertTrue(Builder.build(options()).succeeded)
        let before = snapshot(work + "/public")
        // Copy the sample content and break one report.
        let broken = work + "/content"
        try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: broken)
        let path = broken + "/reports/2023/05/2023-05-20-kejizhou.md"
        try read(path).replacingOccurrences(of: "date: 2023-05-20", with: "date: 2023-02-30").write(toFile: path, atomically: true, encoding: .utf8)
        let report = Builder.build(options(content: broken))
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.diagnostics.filter { $0.severity == .error }.map(\.problem),
                       [.impossibleDate(key: "date", found: "2023-02-30")])
        XCTAssertEqual(snapshot(work + "/public"), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/.public.kepu-staging"))
    }

    func testRefusesToReplaceAFolderKepuDidNotCreate() throws {
        let output = work + "/precious"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try "keep me".write(toFile: output + "/notes.txt", atomically: true, encoding: .utf8)
        let report = Builder.build(options(output: output))
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.diagnostics.last?.problem, .outputNotKepu(path: output))
        XCTAssertEqual(read(output + "/notes.txt"), "keep me")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output), ["notes.txt"])
    }

    func testPlaceholderFolderIsAcceptedAndItsPlaceholderKept() throws {
        let output = work + "/public"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: output + "/.gitkeep", contents: Data()))
        XCTAssertTrue(Builder.build(options(output: output)).succeeded)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/.gitkeep"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/data/site.json"))
    }

    func testLeftoverStagingFromAnInterruptedBuildIsRemoved() throws {
        let staging = work + "/.public.kepu-staging"
        try FileManager.default.createDirectory(atPath: staging + "/half", withIntermediateDirectories: true)
        try "".write(toFile: staging + "/" + OutputFolder.marker, atomically: true, encoding: .utf8)
        XCTAssertTrue(Builder.build(options()).succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging))
        // Its tree was reused; what this build did not write is gone.
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/public/half"))
    }

    func testCSVCellsAreQuotedAndFormulasDefused() {
        XCTAssertEqual(CSVWriter.cell("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVWriter.cell("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVWriter.cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"")
        XCTAssertEqual(CSVWriter.cell("@SUM(A1)"), "'@SUM(A1)")
        XCTAssertEqual(CSVWriter.cell("普通文字"), "普通文字")
        XCTAssertEqual(CSVWriter.cell("-12.5"), "-12.5", "a negative number is data")
        XCTAssertEqual(CSVWriter.cell("-x"), "'-x")
        XCTAssertEqual(CSVWriter.cell("+1"), "'+1")
        XCTAssertEqual(CSVWriter.cell("\tA1"), "'\tA1")
        XCTAssertEqual(CSVWriter.cell("\r=1"), "\"'\r=1\"")
        XCTAssertEqual(CSVWriter.cell("a\nb"), "\"a\nb\"")
        XCTAssertEqual(CSVWriter.cell(""), "")
        // A quote followed by a combining mark is one Character but still a quote byte: doubled.
        XCTAssertEqual(CSVWriter.cell("x\"\u{0301}y"), "\"x\"\"\u{0301}y\"")
    }

    func testCSVRowsAreCRLFWithABOMWhetherWrittenWholeOrCellByCell() {
        var whole = CSVWriter(header: ["a", "b"])
        whole.row(["1,5", "=2"])
        whole.row(["", "三"])
        var cells = CSVWriter(header: ["a", "b"])
        for row in [["1,5", "=2"], ["", "三"]] {
            for cell in row { cells.add(cell) }
            cells.endRow()
        }
        XCTAssertEqual(whole.bytes, cells.bytes)
        XCTAssertEqual(whole.bytes, [0xEF, 0xBB, 0xBF] + Array("a,b\r\n\"1,5\",'=2\r\n,三\r\n".utf8))
    }

    func testJSONEscapesEverythingThatCouldBreakOut() {
        XCTAssertEqual(JSON.string("</script>\"\\\n\u{1}").serialized(), "\"\\u003c/script\\u003e\\\"\\\\\\n\\u0001\"")
    }
}

