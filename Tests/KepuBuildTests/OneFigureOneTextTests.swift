import Foundation
import KepuBuild
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import XCTest

/// One figure has one text on every output: the sample's execution rate, satisfaction and spend read the same
/// on the pages, the LED slides, the strip and the data files — never 98.3 % on one and 98.2% on another.
final class OneFigureOneTextTests: XCTestCase {
    func testSampleFiguresReadTheSameEverywhere() throws {
        let work = NSTemporaryDirectory() + "kepu-onetext-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        let report = Builder.build(BuildOptions(contentDirectory: repositoryRoot + "/content", outputDirectory: work + "/public",
                                                themeDirectory: repositoryRoot + "/theme", cacheDirectory: work + "/cache",
                                                now: try Day.parse("2024-01-15")))
        XCTAssertTrue(report.succeeded)
        let content = ContentLoader.load(contentDirectory: repositoryRoot + "/content").content!
        let p = Ledger.aggregate(content, now: try Day.parse("2024-01-15")).projects[0]
        let rate = Figures.percent(p.execution.rate!)
        let satisfaction = Figures.percent(p.totals.satisfaction!)
        let spend = Figures.money(p.totals.spend)
        XCTAssertEqual([rate, satisfaction, spend], ["98.29%", "93.51%", "¥19,658.40"])

        func read(_ path: String) throws -> String { try String(contentsOfFile: work + "/public/" + path, encoding: .utf8) }
        let pages = ["index.html", "projects/kepu-2023/index.html", "projects/kepu-2023/evaluation/index.html"]
        for page in pages {
            let text = try read(page)
            XCTAssertTrue(text.contains(rate), "\(page): execution rate")
            XCTAssertTrue(text.contains(satisfaction), "\(page): satisfaction")
            XCTAssertTrue(text.contains(spend), "\(page): spend")
        }
        XCTAssertTrue(try read("projects/kepu-2023/spend/index.html").contains(rate))
        let slides = try FileManager.default.contentsOfDirectory(atPath: work + "/public/led").filter { $0.hasSuffix(".html") }
            .map { try read("led/" + $0) }.joined()
        for figure in [rate, satisfaction, spend] { XCTAssertTrue(slides.contains(figure), "LED slides: \(figure)") }
        let strip = try read("led/strip.txt")
        XCTAssertTrue(strip.contains(rate) && strip.contains(satisfaction), strip)
        XCTAssertTrue(strip.contains(Figures.money(p.totals.spend, symbol: "") + "元"), "the strip writes 元 for ¥")
        let json = try read("data/projects/kepu-2023.json")
        XCTAssertTrue(json.contains("\"rate\": " + rate.dropLast() + ","), "data: execution rate \(rate.dropLast())")
        XCTAssertTrue(json.contains("\"satisfaction\": " + satisfaction.dropLast()), "data: satisfaction")
        XCTAssertTrue(json.contains("\"spend\": \"19658.40\""), "data: spend")
        XCTAssertTrue(try read("data/sources.csv").contains(",19658.40," + rate.dropLast()), "sources.csv: spent and rate")

        // No other rounding of the same two figures anywhere: every "98.x%" or "93.x%" is exactly the one text.
        let everything = try pages.map(read).joined() + slides + strip + (try read("led/strip.html"))
        let pattern = try NSRegularExpression(pattern: "(?:98|93)\\.[0-9]+\\s*%")
        let found = Set(pattern.matches(in: everything, range: NSRange(everything.startIndex..., in: everything)).map {
            String(everything[Range($0.range, in: everything)!])
        })
        XCTAssertEqual(found, [rate, satisfaction])
    }
}
