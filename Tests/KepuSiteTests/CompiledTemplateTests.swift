import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
@testable import KepuSite
import XCTest

/// The compiled templates against swift-mustache, the reference: byte-equal output on every page of
/// real sites (the engine's own cases are in KepuTemplateTests).
final class CompiledTemplateTests: XCTestCase {
    /// Renders a content folder with both engines; every file must be byte for byte the same.
    func assertEnginesAgree(_ contentDirectory: String, now: Day, baseURL: String = "/", includeDrafts: Bool = false,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let result = ContentLoader.load(contentDirectory: contentDirectory)
        let content = try XCTUnwrap(result.content, file: file, line: line)
        let ledger = Ledger.aggregate(content, now: now, includeDrafts: includeDrafts)
        let input = RenderInput(content: content, ledger: ledger, now: now, includeDrafts: includeDrafts, baseURL: baseURL,
                                themeDirectory: themeDirectory, cacheDirectory: NSTemporaryDirectory())
        let theme = try Theme.load(directory: themeDirectory, language: content.site.language)
        XCTAssertTrue(theme.templates.isCompiled, "the repository's theme compiles, so the two engines really differ", file: file, line: line)
        let compiled = MemorySink()
        let reference = MemorySink()
        let pages = try SiteRenderer().render(input, into: compiled)
        XCTAssertEqual(try SiteRenderer(referenceEngine: true).render(input, into: reference), pages, file: file, line: line)
        XCTAssertEqual(Set(compiled.files.keys), Set(reference.files.keys), file: file, line: line)
        var compared = 0
        for (path, bytes) in reference.files.sorted(by: { $0.key < $1.key }) {
            guard let mine = compiled.files[path] else { continue }
            if mine != bytes {
                let a = String(decoding: mine, as: UTF8.self), b = String(decoding: bytes, as: UTF8.self)
                let common = zip(a, b).prefix { $0 == $1 }.count
                XCTFail("\(path) differs at character \(common): compiled «\(a.dropFirst(common).prefix(80))» "
                        + "reference «\(b.dropFirst(common).prefix(80))»", file: file, line: line)
                return
            }
            compared += 1
        }
        XCTAssertGreaterThan(compared, 10, file: file, line: line)
    }

    func testSampleSiteIsByteEqual() throws {
        let content = repoRoot.appendingPathComponent("content").path
        try assertEnginesAgree(content, now: Day(year: 2024, month: 1, day: 15)!)
        try assertEnginesAgree(content, now: Day(year: 2023, month: 7, day: 1)!, baseURL: "https://kx.example.gov.cn/kepu/",
                               includeDrafts: true)
    }

    func testHostileAndEnglishSitesAreByteEqual() throws {
        let tree = try ContentTree(SiteRendererTests.files)
        defer { tree.remove() }
        try assertEnginesAgree(tree.root.path, now: Day(year: 2023, month: 12, day: 31)!)
        var files = SiteRendererTests.files
        files["site.yaml"] = "title: Science Fund\nunit: District CAST\nlanguage: en\nexample: true\n"
        let items = (1...300).map { "  - {item: 物品\($0), amount: 1}" }.joined(separator: "\n")
        files["reports/2023/big1.md"] = "---\ntitle: 大额一\ndate: 2023-06-01\nkind: 进社区\nspend:\n\(items)\n---\n"
        files["reports/2023/big2.md"] = "---\ntitle: 大额二\ndate: 2023-07-01\nkind: 进社区\nspend:\n\(items)\n---\n"
        let english = try ContentTree(files)
        defer { english.remove() }
        try assertEnginesAgree(english.root.path, now: Day(year: 2024, month: 2, day: 1)!)
    }
}
