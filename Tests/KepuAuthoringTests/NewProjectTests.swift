import Foundation
@testable import KepuAuthoring
import KepuContent
import KepuCore
import XCTest

/// `kepu new project`: next year's project from the real 2023 project file, copied as text.
final class NewProjectTests: XCTestCase {
    var base: String!
    var content: String { base + "/content" }

    override func setUp() {
        base = NSTemporaryDirectory() + "kepu-new-project-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: content + "/projects", withIntermediateDirectories: true)
        try! Data("title: 测试站点\nunit: 测试区科协\n".utf8).write(to: URL(fileURLWithPath: content + "/site.yaml"))
        try! FileManager.default.copyItem(atPath: NewReportTests.repositoryRoot + "/content/projects/kepu-2023.md",
                                          toPath: content + "/projects/kepu-2023.md")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: base) }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func testTheSampleProjectCopiedIntoTheNextYear() throws {
        let created = try NewProject.create(.init(year: 2024, from: "kepu-2023", budget: "2.5万元", contentDirectory: content))
        XCTAssertEqual(created.path, content + "/projects/kepu-2024.md")
        XCTAssertEqual(created.id, "kepu-2024")
        let old = read(content + "/projects/kepu-2023.md")
        let new = read(created.path)
        // Comments and the approved wording stay; the year, the budget and the milestones move.
        XCTAssertEqual(old.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") },
                       new.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") })
        XCTAssertTrue(new.contains("\nyear: 2024\n"))
        XCTAssertTrue(new.contains("\nbudget: \"2.5万元\"\n"))
        for (before, after) in [("2023-03-31", "2024-03-31"), ("2023-06-30", "2024-06-30"), ("2023-12-31", "2024-12-31")] {
            XCTAssertTrue(old.contains("by: " + before) && new.contains("by: " + after) && !new.contains("by: " + before))
        }
        // Last year's findings are gone; plan, schedule and targets stay.
        for key in ["actual:", "evidence:", "reason:", "percent:"] { XCTAssertFalse(new.contains(key), key) }
        XCTAssertTrue(old.contains("evidence:"))
        XCTAssertTrue(new.contains("plan:\n  科技周: 1\n"))
        XCTAssertEqual(new.components(separatedBy: "- name:").count, old.components(separatedBy: "- name:").count)
        XCTAssertEqual(created.toFill, ["review", "signatures", "monitoring", "actual×3"])
        XCTAssertTrue(new.contains("  - {name: 当年财政拨款, amount: \"2.5万元\"}"), "the one 其中 row takes the new budget")

        // It loads as a project of 2024; what is left is the manual rows' actual, for the end of the year.
        let loaded = ContentLoader.load(contentDirectory: content)
        let project = try XCTUnwrap(loaded.content?.projects.first { $0.id == "kepu-2024" })
        XCTAssertEqual(project.year, 2024)
        XCTAssertEqual(project.budget, Money(fen: 2_500_000))
        XCTAssertEqual(project.schedule.map(\.by.description), ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"])
        XCTAssertEqual(project.targets.count, loaded.content?.projects.first { $0.id == "kepu-2023" }?.targets.count)
        // Manual rows without their actual are pending (待评) during the year, not errors.
        XCTAssertEqual(loaded.errors.map { $0.formatted(.zhCN) }, [])
    }

    func testFormAndFlowRowsAreCleared() throws {
        let text = """
            ---
            name: 2023年项目
            unit: 科协
            year: 2023
            budget: 100
            review:
              conclusion: 较好
              problems: |
                多行文字
            signatures: {leader: 张三, date: 2024-01-10}
            schedule:
              - by: "2023-02-28"
                share: 10
            targets:
              - {name: 社会效益, level1: 效益指标, metric: manual, actual: 达成, evidence: "有, 逗号", percent: 90}
              - name: 满意度
                level1: 满意度指标
                metric: manual
                actual: 95
                reason: |
                  原因
                  第二行
                value: 90
            ---
            正文。

            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: content + "/projects/p.md"))
        let created = try NewProject.create(.init(year: 2024, from: "p", contentDirectory: content))
        XCTAssertEqual(created.id, "p-2024")
        XCTAssertEqual(created.toFill, ["budget", "review", "signatures", "actual×2"])  // one flow row, one block row
        XCTAssertEqual(read(created.path), """
            ---
            name: 2024年项目
            unit: 科协
            year: 2024
            budget: 100
            review:
            signatures:
            schedule:
              - by: "2024-02-28"
                share: 10
            targets:
              - {name: 社会效益, level1: 效益指标, metric: manual}
              - name: 满意度
                level1: 满意度指标
                metric: manual
                value: 90
            ---
            正文。

            """)
    }

    func testRefusals() throws {
        func failure(_ r: NewProject.Request) -> NewProject.Failure? {
            do { _ = try NewProject.create(r); return nil } catch { return error }
        }
        XCTAssertEqual(failure(.init(year: 2023, from: "kepu-2023", contentDirectory: content)), .sameYear(year: 2023))
        XCTAssertEqual(failure(.init(year: 2024, from: "nope", contentDirectory: content)), .unknownProjectToCopy(id: "nope", known: ["kepu-2023"]))
        XCTAssertEqual(failure(.init(year: 2024, from: "kepu-2023", budget: "两万", contentDirectory: content)), .invalidBudget("两万"))
        XCTAssertEqual(failure(.init(year: 2024, from: "kepu-2023", id: "Kepu 2024", contentDirectory: content)), .invalidID("Kepu 2024"))
        _ = try NewProject.create(.init(year: 2024, from: "kepu-2023", contentDirectory: content))
        XCTAssertEqual(failure(.init(year: 2024, from: "kepu-2023", contentDirectory: content)), .projectExists(path: content + "/projects/kepu-2024.md"))
    }

    /// An old editor that saves as GBK must not lose a character of the template: nothing outside GB2312 in it.
    func testReportTemplateFitsGB2312() throws {
        for text in [NewReport.builtInTemplate, read(NewReportTests.repositoryRoot + "/theme/archetypes/report.md")] {
            XCTAssertFalse(text.isEmpty)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
            process.arguments = ["-f", "UTF-8", "-t", "GB2312"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            _ = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "the template has a character outside GB2312")
        }
        XCTAssertFalse(NewReport.builtInTemplate.contains("¥"))
    }
}
