@testable import KepuDesk
import XCTest

final class FrontMatterEditorTests: XCTestCase {
    static let text = """
    ---
    title: 标题
    spend:
      # 发票一
      - {item: a, amount: 1}

      - {item: b, amount: 2}
    # 下面是问卷
    satisfaction: {surveyed: 10, satisfied: 9}
    tags:
    - 甲
    - 乙
    ---

    正文
    """

    func testAKeysLinesRunToItsLastIndentedLine() throws {
        let e = try XCTUnwrap(FrontMatterEditor(text: Self.text))
        XCTAssertEqual(e.range(of: "title"), 1..<2)
        XCTAssertEqual(e.range(of: "spend"), 2..<7, "the comment and blank line inside the list belong to it")
        XCTAssertEqual(e.range(of: "satisfaction"), 8..<9, "the note above it is not spend's")
        XCTAssertEqual(e.range(of: "tags"), 9..<12, "items at the key's own indentation")
        XCTAssertNil(e.range(of: "venue"))
        XCTAssertEqual(e.field(atLine: 7), "spend")
        XCTAssertEqual(e.field(atLine: 8), nil, "a note between keys")
        XCTAssertEqual(e.field(atLine: 9), "satisfaction")
        XCTAssertEqual(e.field(atLine: 12), "tags")
        XCTAssertEqual(e.field(atLine: 15), "body")
    }

    func testSettingAKeyReplacesAllItsLinesAndNothingElse() throws {
        var e = try XCTUnwrap(FrontMatterEditor(text: Self.text))
        XCTAssertTrue(e.set("spend", ["spend:", "  - {item: c, amount: 3}"]))
        XCTAssertFalse(e.text.contains("item: a"), "no old item left behind")
        XCTAssertFalse(e.text.contains("item: b"))
        XCTAssertTrue(e.text.contains("spend:\n  - {item: c, amount: 3}\n# 下面是问卷\nsatisfaction:"))
        XCTAssertTrue(e.set("venue", ["venue: 广场"]))
        XCTAssertTrue(e.text.contains("- 乙\nvenue: 广场\n---\n\n正文"))
        XCTAssertFalse(e.set("venue", ["venue: 广场"]), "the same lines change nothing")
        e.remove("satisfaction")
        XCTAssertFalse(e.text.contains("下面是问卷"), "a key's note goes with it")
        XCTAssertTrue(e.append("corrections", item: "{date: 2023-10-01, text: x}"))
        XCTAssertTrue(e.append("corrections", item: "{date: 2023-10-02, text: y}"))
        XCTAssertTrue(e.text.contains("corrections:\n  - {date: 2023-10-01, text: x}\n  - {date: 2023-10-02, text: y}\n---"))
        XCTAssertTrue(e.text.hasSuffix("---\n\n正文"), "the body untouched, no newline added at its end")
    }

    func testAFlowListOfCorrectionsIsLeftToTheCaller() throws {
        var e = try XCTUnwrap(FrontMatterEditor(text: "---\ntitle: t\ncorrections: [{date: 2023-10-01, text: x}]\n---\nbody\n"))
        XCTAssertFalse(e.append("corrections", item: "{date: 2023-10-02, text: y}"))
        XCTAssertEqual(e.text, "---\ntitle: t\ncorrections: [{date: 2023-10-01, text: x}]\n---\nbody\n")
        XCTAssertNil(FrontMatterEditor(text: "no front matter\n"))
    }
}
