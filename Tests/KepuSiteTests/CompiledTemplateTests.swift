import Foundation
import KepuContent
import KepuCore
import KepuLedger
@testable import KepuSite
import XCTest

/// The compiled templates against swift-mustache, the reference: byte-equal output on every page of
/// real sites, and on the Mustache cases whose whitespace rules are easy to get wrong.
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
        XCTAssertNotNil(theme.compiled, "the repository's theme compiles, so the two engines really differ", file: file, line: line)
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

    /// Mustache's standalone lines, indented partials, parents and blocks, dotted and anchored names,
    /// falsy values, CRLF: each template through both engines.
    func testMustacheCasesAreByteEqual() throws {
        let context: [String: Any] = [
            "name": "A & <B>", "yes": true, "no": false, "empty": [String](), "list": ["x", "y'z"],
            "people": [["name": "甲", "n": "1"], ["name": "乙"]] as [[String: Any]],
            "nested": ["inner": ["deep": "D"] as [String: Any], "name": "N"] as [String: Any],
            "html": "<b>bold</b>", "zero": "", "t": TemplateValue.map(["hello": .text("你好")]),
        ]
        let cases: [String] = [
            "plain {{name}} and {{{name}}} and {{& name}}\n",
            "{{#yes}}\nshown\n{{/yes}}\n{{^no}}\n  also\n{{/no}}\nend",
            "  {{#list}}\n  - {{.}}\n  {{/list}}\n",
            "{{#people}}{{name}}{{#n}}={{.}}{{/n}}{{^n}}(none){{/n}}, {{/people}}\n",
            "{{nested.inner.deep}} {{#nested}}{{name}} {{.name}} {{inner.deep}}{{/nested}} {{nested.missing.x}}|\n",
            "{{#nested.inner}}{{deep}}/{{name}}{{/nested.inner}}\n",
            "{{^empty}}none{{/empty}} {{#empty}}never{{/empty}} {{#zero}}[{{.}}]{{/zero}} {{#missing}}m{{/missing}}\n",
            "{{! a comment }}\n  {{! standalone comment }}\nafter {{! inline }} text\n",
            "<ul>\n  {{> item}}\n</ul>\n{{> item}}|\n",
            "\n{{#yes}}blank first line{{/yes}}\n",
            "{{#yes}}first line tag\n{{/yes}}\n",
            "line\r\n{{#yes}}\r\ncrlf {{name}}\r\n{{/yes}}\r\n",
            "{{<parent}}\n{{$title}}Child {{name}}{{/title}}\n{{$body}}\n  indented body\n    deeper\n{{/body}}\n{{/parent}}\n",
            "{{<parent}}{{/parent}}",
            "{{t.hello}} {{t.missing}}|{{yes}} {{no}}\n",
            "trailing spaces at the end   ",
            "a {{#yes}} b {{/yes}} c\n  {{#yes}}  \n  d\n  {{/yes}}  \n",
            "{{#list}}\n{{.}}\n{{/list}}",
        ]
        let partials = [
            "item": "<li>{{name}}</li>\n<li>two</li>\n",
            "parent": "<h1>{{$title}}Default{{/title}}</h1>\n  {{$body}}default body{{/body}}\nend\n",
        ]
        for (n, text) in cases.enumerated() {
            var texts = partials
            texts["case"] = text
            let reference = try Theme.referenceRender(texts, "case", context)
            let compiled = try XCTUnwrap(CompiledTemplates(texts), "case \(n) compiles")
            let root = try XCTUnwrap(TemplateValue(context))
            XCTAssertEqual(String(decoding: compiled.render("case", root), as: UTF8.self), reference, "case \(n): \(text.debugDescription)")
        }
    }

    /// What the compiler leaves out makes the whole theme render through swift-mustache, never wrongly.
    func testUnsupportedFeaturesFallBack() throws {
        for text in ["{{uppercased(name)}}", "{{=<% %>=}}<% name %>", "{{% CONTENT_TYPE: TEXT }}{{name}}", "{{>*dynamic}}"] {
            XCTAssertNil(CompiledTemplates(["case": text]), text)
        }
        XCTAssertNotNil(CompiledTemplates(["case": "{{name}}"]))
    }

    func testEscapesUserTextIntoBytes() throws {
        let compiled = try XCTUnwrap(CompiledTemplates(["p": #"<a title="{{v}}">{{v}}</a>{{{v}}}"#]))
        let out = compiled.render("p", .map(["v": .text("<'&\"\u{01}>")]))
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"<a title="&lt;&#39;&amp;&quot;&gt;">&lt;&#39;&amp;&quot;&gt;</a><'&""# + "\u{01}>")
    }
}
