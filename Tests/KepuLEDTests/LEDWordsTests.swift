import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
@testable import KepuLED
import XCTest

/// The screen's words come from the theme's UI strings, in the site's language, like the site's own.
final class LEDWordsTests: XCTestCase {
    func testAnEnglishSiteGetsEnglishSlidesAndStrip() throws {
        let tree = TempTree()
        smallSite(tree)
        // The same site, in English.
        let site = try String(contentsOfFile: tree.content + "/site.yaml", encoding: .utf8)
        tree.file("content/site.yaml", site + "language: en\n")
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let pages = (1...r.count).map { r.text(String(format: "led/%02d.html", $0)) }.joined()
        for label in ["Activities held", "People served", "Spending", "Satisfaction", "Example data", "Target ≥ 4次"] {
            XCTAssertTrue(pages.contains(label), label)
        }
        for chinese in ["开展科普活动", "服务群众", "经费支出", "群众满意度", "示例数据", "年度目标", "已达标"] {
            XCTAssertFalse(pages.contains(chinese), "Kepu's own Chinese label \(chinese) on an English screen")
        }
        let readme = r.text("led/README.txt")
        XCTAssertTrue(readme.contains("Which file for which controller"), "the operator's guide in the site's language")
        XCTAssertFalse(readme.contains("拷贝到 U 盘"))
        let strip = r.text("led/strip.txt")
        XCTAssertTrue(strip.contains("Activities held 3 (Target ≥ 4次)"), strip)
        XCTAssertTrue(strip.contains("[Example data]"), strip)
        XCTAssertFalse(strip.contains("【示例数据】"), strip)
    }

    /// The headline figures are built once, in the presentation layer, from the ledger: their texts are the
    /// site's own (Figures), whatever output shows them.
    func testHeadlineFiguresUseTheOneSetOfFigureRules() throws {
        let tree = TempTree()
        smallSite(tree)
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let ledger = try XCTUnwrap(r.input.ledger.current)
        let figures = Headline.figures(ledger, words: testWords, format: zh)
        XCTAssertEqual(figures.map(\.kind), [.activities, .people, .spend, .satisfaction])
        XCTAssertEqual(figures[2].value, Figures.money(ledger.totals.spend))
        XCTAssertEqual(figures[3].value, Figures.percent(ledger.totals.satisfaction!))
        XCTAssertTrue(figures[2].detail!.contains(Figures.percent(ledger.execution.rate!)))
    }
}
