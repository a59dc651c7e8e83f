import Foundation
@testable import KepuAuthoring
import KepuContent
import XCTest

/// The text `kepu new` writes: placeholders filled once, YAML quoting, slugs seen as the loader sees them.
final class NewReportTextTests: XCTestCase {
    func testPlaceholdersAreFilledInOnePass() {
        let template = "title: {{title}}\nkind: {{ kind }}\nkeep: {{unknown}}\n"
        XCTAssertEqual(NewReport.fill(template, values: ["title": "\"科普日\"", "kind": "{{title}}"]),
                       "title: \"科普日\"\nkind: {{title}}\nkeep: {{unknown}}\n", "a value reading {{title}} stays as typed")
        XCTAssertEqual(NewReport.fill("a {{title", values: ["title": "x"]), "a {{title", "an unclosed placeholder is left")
    }

    func testYAMLQuotingEscapesWhatYAMLForbids() {
        XCTAssertEqual(NewReport.yamlQuoted("a\u{85}b\u{9F}c\u{FFFE}"), #""a\u0085b\u009Fc\uFFFE""#)
        XCTAssertEqual(NewReport.yamlQuoted("科普: \"日\""), #""科普: \"日\"""#)
    }

    func testSlugsOnDiskAreTheLoaders() throws {
        let reports = NSTemporaryDirectory() + "kepu-slugs-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: reports) }
        try FileManager.default.createDirectory(atPath: reports + "/2023/bundle", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: reports + "/2023/Upper.MD"))
        try Data().write(to: URL(fileURLWithPath: reports + "/2023/bundle/index.md"))
        try Data().write(to: URL(fileURLWithPath: reports + "/2023/notes.txt"))
        XCTAssertEqual(Set(NewReport.existingReportSlugs(under: reports).keys), ["upper", "bundle"])
        XCTAssertTrue(ContentLoader.isMarkdown("a.mD"))
        XCTAssertFalse(ContentLoader.isMarkdown("a.mdx"))
    }
}
