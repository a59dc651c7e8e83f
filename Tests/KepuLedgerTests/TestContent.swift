import Foundation
import KepuContent
import KepuCore
@_exported import KepuTestSupport
import XCTest

/// A content tree written into a temporary folder, removed when the test ends.
final class TestContent {
    let root: String
    var content: String { root + "/content" }

    init(site: String = "title: 测试站点\nunit: 测试单位\n") {
        root = NSTemporaryDirectory() + "kepu-ledger-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root + "/content", withIntermediateDirectories: true)
        write("site.yaml", site)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ path: String, _ text: String) {
        let full = content + "/" + path
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    /// A report with the fields tests vary; everything else left out.
    func report(_ slug: String, date: String, kind: String = "科普日", audience: Int? = nil, spend: String? = nil,
                surveyed: Int? = nil, satisfied: Int? = nil, activities: Int? = nil, draft: Bool = false, project: String? = nil) {
        var lines = ["---", "title: 报告 \(slug)", "date: \(date)", "kind: \(kind)"]
        if let project { lines.append("project: \(project)") }
        if let audience { lines.append("audience: \(audience)") }
        if let activities { lines.append("activities: \(activities)") }
        if let spend { lines.append("spend: \(spend)") }
        if let surveyed, let satisfied { lines += ["satisfaction:", "  surveyed: \(surveyed)", "  satisfied: \(satisfied)"] }
        if draft { lines.append("draft: true") }
        lines += ["---", "", "正文。", ""]
        write("reports/\(slug).md", lines.joined(separator: "\n"))
    }

    func load(file: StaticString = #filePath, line: UInt = #line) -> Content {
        let result = ContentLoader.load(contentDirectory: content)
        XCTAssertEqual(result.errors.map { $0.formatted(.zhCN) }, [], file: file, line: line)
        return result.content!
    }
}

func day(_ text: String) -> Day { try! Day.parse(text) }

