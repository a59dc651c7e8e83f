import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
@testable import KepuSite
import XCTest

/// The figures as people read them: the view models format, templates only place.
final class FormatTests: XCTestCase {
    let zh = FigureFormat(language: .zhCN)
    let en = FigureFormat(language: .en)

    /// Descriptions: one line, at most 150 characters, cut between characters (not bytes or scalars).
    func testClip() {
        XCTAssertEqual(SiteBuild.clip("a\nb\r\nc\n\nd", 150), "a b c d", "line breaks, CRLF included, become single spaces")
        let chinese = String(repeating: "科", count: 150)
        XCTAssertEqual(SiteBuild.clip(chinese, 150), chinese, "exactly the limit stays whole")
        let long = String(repeating: "科", count: 151)
        XCTAssertEqual(SiteBuild.clip(long, 150), String(repeating: "科", count: 149) + "…")
        // 150 characters of two scalars each: over the limit in scalars, not in characters.
        let accented = String(repeating: "e\u{301}", count: 150)
        XCTAssertEqual(SiteBuild.clip(accented, 150), accented)
        XCTAssertEqual(SiteBuild.clip(accented + "x", 150).count, 150)
        XCTAssertTrue(SiteBuild.clip(accented + "x", 150).hasSuffix("e\u{301}…"), "never cut inside a character")
        // Cut by bytes when every scalar is a character (ASCII, Chinese, their punctuation); by characters when a
        // combining mark or a joiner could join the next scalar to the one before.
        XCTAssertEqual(SiteBuild.clip(String(repeating: "a", count: 151), 150), String(repeating: "a", count: 149) + "…")
        let mixed = String(repeating: "科。", count: 80)  // 160 characters
        XCTAssertEqual(SiteBuild.clip(mixed, 150), String(mixed.prefix(149)) + "…")
        let joined = String(repeating: "科", count: 148) + "e\u{301}" + "x\u{200D}y" + "技"  // 152 characters
        XCTAssertEqual(SiteBuild.clip(joined, 150), String(repeating: "科", count: 148) + "e\u{301}…")
        let exactly = String(repeating: "科", count: 149) + "e\u{301}"  // 150 characters, 151 scalars
        XCTAssertEqual(SiteBuild.clip(exactly, 150), exactly)
        let oneOver = String(repeating: "科", count: 150) + "\u{302A}x"  // a CJK tone mark joins the 150th
        XCTAssertEqual(SiteBuild.clip(oneOver, 150), String(repeating: "科", count: 149) + "…")
        XCTAssertEqual(SiteBuild.clip(String(repeating: "科", count: 150) + "\u{302A}", 150),
                       String(repeating: "科", count: 150) + "\u{302A}", "150 characters, the last of two scalars")
    }

    func testMoney() {
        XCTAssertEqual(zh.money(Money(fen: 1_234_567)), "¥12,345.67")
        XCTAssertEqual(zh.money(Money(fen: 5)), "¥0.05")
        XCTAssertEqual(zh.money(.zero), "¥0.00")
        XCTAssertEqual(zh.money(Money(fen: -510_500)), "-¥5,105.00")
        XCTAssertEqual(zh.money(Money(yuan: 1_000_000)), "¥1,000,000.00")
    }

    func testPeople() {
        XCTAssertEqual(zh.people(2600), "2,600人次")
        XCTAssertEqual(zh.people(12_345), "1.23万人次")
        XCTAssertEqual(zh.people(10_530), "1.05万人次")
        XCTAssertEqual(zh.people(19_960), "1.99万人次", "cut, never rounded up to a 2万 target not reached")
        XCTAssertEqual(zh.people(20_000), "2万人次")
        XCTAssertEqual(zh.peopleExact(10_530), "10,530人次")
        XCTAssertEqual(en.people(1), "1 person")
        XCTAssertEqual(en.people(12_345), "12,345 people")
    }

    func testPercentOfWhole() {
        let f = FigureFormat(language: .zhCN)
        XCTAssertEqual(f.percent(186, of: 200), "93.00%")
        XCTAssertEqual(f.percent(281, of: 300), "93.66%", "93.666… is cut, not rounded up")
        XCTAssertEqual(f.percent(1, of: 16), f.percent(Score.ratio(1, 16) * Score(100)), "the same text as the Decimal path")
    }

    /// One text per figure on every output: percentages to two decimals, cut, so 89.999 % never reads 90.00 %.
    func testPercentAndValues() {
        XCTAssertEqual(zh.percent(Score(85)), "85.00%")
        XCTAssertEqual(zh.percent(Score.ratio(281, 300) * Score(100)), "93.66%")
        XCTAssertEqual(zh.percent(Score.ratio(17999, 20000) * Score(100)), "89.99%", "cut: never shows a 90 % target reached")
        XCTAssertEqual(zh.percent(Score.ratio(1, 2000) * Score(100)), "0.05%")
        XCTAssertEqual(zh.percent(Score.ratio(19_658_40, 20_000_00) * Score(100)), "98.29%")
        XCTAssertEqual(zh.percent(nil, none: "未调查"), "未调查")
        XCTAssertEqual(zh.value(Score(10_530), unit: "人次"), "10,530人次")
        XCTAssertEqual(zh.value(Score(fen: Money(fen: 1_965_840)).divided(by: Score(10000)), unit: "万元"), "1.96万元",
                       "1.96584万 cut: never rounded up towards a 2万 target")
        XCTAssertEqual(en.value(Score(12), unit: "times"), "12 times")
        XCTAssertEqual(Figures.approved(.equal, "10000", unit: "人次"), "= 10000人次", "the approved value as written")
        XCTAssertEqual(Figures.approved(.atLeast, "85", unit: "%"), "≥ 85%")
    }

    func testDates() {
        let d = Day(year: 2023, month: 5, day: 20)!
        XCTAssertEqual(zh.date(d), "2023年5月20日")
        XCTAssertEqual(en.date(d), "20 May 2023")
        XCTAssertEqual(zh.monthKey("2023-05"), "2023年5月")
        XCTAssertEqual(en.monthKey("2023-12"), "December 2023")
    }

    func testEscaping() {
        XCTAssertEqual(Escape.xml(#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        XCTAssertEqual(Escape.xml("a\u{1}b"), "ab", "control characters would break the feed")
        XCTAssertEqual(Escape.path("reports/kind/科普日/index.html"), "reports/kind/%E7%A7%91%E6%99%AE%E6%97%A5/index.html")
        // Every byte outside the unreserved set and "/", in upper-case hex, against Foundation's own encoder.
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        for text in ["a b", "100%", "x?y#z&w=\"'<>", "é/ü", "\u{1}\u{7F}", "科普 日/2023", String(repeating: "科/", count: 300)] {
            XCTAssertEqual(Escape.path(text), text.addingPercentEncoding(withAllowedCharacters: unreserved), text)
        }
        XCTAssertEqual(Escape.unpercent("%E7%A7%91a"), "科a")
        XCTAssertEqual(Escape.fileName("../a/b c?"), "-a-b-c-")
        // Names that need nothing come back as they are; each character that needs a change still gets it.
        for name in ["2024-06-27-003415", "科普日", "kejizhou_2", "a.b"] { XCTAssertEqual(Escape.fileName(name), name) }
        XCTAssertEqual(Escape.fileName(".hidden"), "hidden")
        XCTAssertEqual(Escape.fileName("科普\u{3000}日"), "科普-日")
        XCTAssertEqual(Escape.fileName("a\tb\u{1}c"), "a-b-c")
        XCTAssertEqual(Escape.fileName("x#1%|<>*\"\\:"), "x-1--------")
        XCTAssertEqual(Escape.fileName("…"), "…", "E2, not E3: not the ideographic space")
        XCTAssertEqual(Escape.fileName(""), "-")
        XCTAssertEqual(Escape.fileName("."), "-")
    }
}
