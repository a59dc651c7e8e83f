import KepuCore
@testable import KepuContent
import XCTest

/// Fixes from reading the change again.
final class ReviewFixTests: XCTestCase {
    /// Full-width brackets in prose are prose; only a full-width "image" whose target names a file is broken.
    func testFullWidthBracketsInProseAreNotImages() {
        XCTAssertTrue(BodyImages.scan("欢迎参加！【科普讲座】（免费）。", firstLine: 5).broken.isEmpty)
        XCTAssertEqual(BodyImages.scan("！[现场]（现场.jpg）", firstLine: 5).broken.map(\.1), [Position(line: 5, column: 1)])
    }

    /// A listed measure without an `op` of its own is judged as its row: a `<=` row's measure stays `<=`.
    func testListedMeasuresTakeTheRowsSign() throws {
        let yaml = "name: 成本\nlevel1: 产出指标\nop: \"<=\"\nvalue: 2\nunit: 万元\nmeasures:\n  - {metric: spend, value: 2, unit: 万元}\n  - {metric: audience, op: \">=\", value: 10, unit: 人次}\n"
        let map = try XCTUnwrap(FastYAML.parse(yaml, lineOffset: 0))
        var sink = DiagnosticSink(path: "p.md")
        let t = try XCTUnwrap(Decode.target(map, index: 1, &sink))
        XCTAssertEqual(t.measures.map(\.op), [.atMost, .atLeast])
        XCTAssertEqual(t.measures.map(\.direction), [.down, .up])
    }
}
