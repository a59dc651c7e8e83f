import Foundation
import KepuCore
@testable import KepuTemplate
import XCTest

/// The compiled renderer against swift-mustache, the reference, on the Mustache cases whose whitespace
/// rules are easy to get wrong; what falls back; what theme authors are told.
final class TemplateEngineTests: XCTestCase {
    /// Mustache's standalone lines, indented partials, parents and blocks, dotted and anchored names,
    /// falsy values, CRLF: each template through both engines.
    func testMustacheCasesAreByteEqual() throws {
        let context: TemplateContext = [
            "name": "A & <B>", "yes": true, "no": false, "empty": [String](), "list": ["x", "y'z"],
            "people": [["name": "甲", "n": "1"], ["name": "乙"]] as [TemplateContext],
            "nested": ["inner": ["deep": "D"] as TemplateContext, "name": "N"] as TemplateContext,
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
            // Set delimiters last for the rest of their section only.
            "{{#yes}}\n  {{=<% %>=}}\n<% name %> <%={{ }}=%>{{name}}\n{{=| |=}}\n|/yes|\n{{name}} {{=[ ]=}}[! c ][#list][.][/list]\n",
        ]
        let partials = [
            "item": "<li>{{name}}</li>\n<li>two</li>\n",
            "parent": "<h1>{{$title}}Default{{/title}}</h1>\n  {{$body}}default body{{/body}}\nend\n",
        ]
        let root = context.templateValue
        for (n, text) in cases.enumerated() {
            var texts = partials
            texts["case"] = text
            let compiled = try TemplateLibrary(texts: texts)
            XCTAssertTrue(compiled.isCompiled, "case \(n) compiles")
            var reference = compiled
            reference.useReferenceEngine()
            XCTAssertEqual(compiled.render("case", root) as String, reference.render("case", root) as String,
                           "case \(n): \(text.debugDescription)")
        }
    }

    /// What the compiler leaves out makes the whole theme render through swift-mustache, never wrongly.
    func testUnsupportedFeaturesFallBack() throws {
        for text in ["{{uppercased(name)}}", "{{% CONTENT_TYPE: TEXT }}{{name}}", "{{>*dynamic}}"] {
            XCTAssertFalse(try TemplateLibrary(texts: ["case": text]).isCompiled, text)
        }
        XCTAssertTrue(try TemplateLibrary(texts: ["case": "{{name}}"]).isCompiled)
    }

    func testEscapesUserTextIntoBytes() throws {
        let compiled = try TemplateLibrary(texts: ["p": #"<a title="{{v}}">{{v}}</a>{{{v}}}"#])
        XCTAssertTrue(compiled.isCompiled)
        let out: String = compiled.render("p", .map(["v": .text("<'&\"\u{01}>")]))
        XCTAssertEqual(out, #"<a title="&lt;&#39;&amp;&quot;&gt;">&lt;&#39;&amp;&quot;&gt;</a><'&""# + "\u{01}>")
    }

    /// Page data is built from the types a template can show and nothing else: a Double (an unformatted
    /// figure), a closure or any other value does not compile, where before it was left out and its figure
    /// vanished from the page. What does go in arrives as the template values it stands for.
    func testContextsHoldOnlyWhatATemplateCanShow() {
        var c: TemplateContext = ["n": 3, "s": "x"[...], "b": true, "l": ["a"], "m": ["k": "v"] as TemplateContext]
        XCTAssertEqual(c.templateValue, .map(["n": .text("3"), "s": .text("x"), "b": .flag(true), "l": .list([.text("a")]),
                                              "m": .map(["k": .text("v")])]))
        let missing: String? = nil
        c["s"] = missing
        XCTAssertNil(c.values["s"], "nil removes the key, as a dictionary does")
        c["rows"] = [["a": "1"] as TemplateContext, ["a": "2"]]
        XCTAssertEqual(c.values["rows"], .list([.map(["a": .text("1")]), .map(["a": .text("2")])]))
    }

    /// A standalone tag on a template's first line takes its newline with it, as the spec says (the
    /// content-type pragma in front of each template made it non-standalone, so partials began blank).
    func testStandaloneTagOnTheFirstLine() throws {
        let texts = ["p": "{{! note }}\n{{#yes}}\nshown\n{{/yes}}\n", "q": "{{>p}}"]
        for reference in [false, true] {
            var library = try TemplateLibrary(texts: texts)
            if reference { library.useReferenceEngine() }
            XCTAssertEqual(library.render("q", .map(["yes": .flag(true)])) as String, "shown\n", "reference: \(reference)")
        }
    }

    func testSyntaxErrorNamesFileAndLine() throws {
        let folder = try temporaryTemplates(["ok": "fine\n", "bad": "line one\nline two {{#open}}\nthree\n"])
        XCTAssertThrowsError(try TemplateLibrary.load(directory: folder)) { error in
            let d = error as! Diagnostic
            XCTAssertEqual(d.path, folder + "/bad.mustache")
            XCTAssertEqual(d.line, 4, "the end of the template, where the section is still open")
            XCTAssertEqual(d.problem, .theme(.syntax(.sectionNotClosed)))
            // The parser's complaint in the user's language, not the library's English.
            XCTAssertEqual(d.problem.text(.zhCN).message, "模板标签有误：{{#…}} 或 {{^…}} 没有对应的 {{/…}}")
        }
        let missing = try temporaryTemplates(["page": "{{> footer}}\n"])
        XCTAssertThrowsError(try TemplateLibrary.load(directory: missing)) { error in
            XCTAssertEqual((error as! Diagnostic).problem, .theme(.noTemplateNamed("footer")))
        }
        let folder2 = try temporaryTemplates(["bad": "a\n{{/closed}}\n"])
        XCTAssertThrowsError(try TemplateLibrary.load(directory: folder2)) { error in
            XCTAssertEqual((error as! Diagnostic).line, 2)
        }
    }

    func testMissingPartialNamesFileAndLine() throws {
        let folder = try temporaryTemplates(["page": "<h1>{{title}}</h1>\n  {{> sidebar }}\n"])
        XCTAssertThrowsError(try TemplateLibrary.load(directory: folder)) { error in
            let d = error as! Diagnostic
            XCTAssertEqual([d.path, "\(d.line):\(d.column)"], [folder + "/page.mustache", "2:3"])
            XCTAssertTrue(d.message(.en).contains("sidebar"), d.message(.en))
        }
        // Behind changed delimiters, found by the compiler.
        let folder2 = try temporaryTemplates(["page": "{{=<% %>=}}\n<h1><% title %></h1>\n<%> sidebar %>\n"])
        XCTAssertThrowsError(try TemplateLibrary.load(directory: folder2)) { error in
            let d = error as! Diagnostic
            XCTAssertEqual([d.path, "\(d.line):\(d.column)"], [folder2 + "/page.mustache", "3:1"])
            XCTAssertTrue(d.message(.en).contains("sidebar"), d.message(.en))
        }
    }

    /// A `{{variable}}` no rendered page provides is reported with its file, line and column; one that
    /// some page provides is not, nor are optional sections, nor a variable inside a section not shown.
    func testKeyNoPageProvidesIsReportedWithFileAndLine() throws {
        let folder = try temporaryTemplates([
            "page": "<h1>{{title}}</h1>\n{{#venue}}<p>{{venue}}</p>{{/venue}}{{^venue}}-{{/venue}}\n<p>{{peopel}}</p> {{note}}\n{{#never}}{{alsoNever}}{{/never}}\n{{t.hello}} {{t.helo}}\n",
        ])
        let library = try TemplateLibrary.load(directory: folder)
        XCTAssertTrue(library.isCompiled)
        XCTAssertEqual(library.path(of: "page"), folder + "/page.mustache")
        let t = TemplateValue.map(["hello": .text("你好")])
        _ = library.render("page", .map(["title": .text("a"), "people": .text("3"), "t": t])) as [UInt8]
        _ = library.render("page", .map(["title": .text("b"), "venue": .text("馆"), "note": .text("n"), "t": t])) as [UInt8]
        let found = library.unprovidedVariables().map { "\($0.path):\($0.line):\($0.column) \($0.message(.en))" }
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(found[0].hasPrefix(folder + "/page.mustache:3:4 ") && found[0].contains("peopel"), "\(found)")
        XCTAssertTrue(found[1].hasPrefix(folder + "/page.mustache:5:13 ") && found[1].contains("t.helo"), "\(found)")
    }

    func temporaryTemplates(_ files: [String: String]) throws -> String {
        let folder = NSTemporaryDirectory() + "kepu-templates-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name + ".mustache")) }
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        return folder
    }
}

final class TemplateKeyTests: XCTestCase {
    /// Keys hash once; dictionaries keyed by them find every key, across copies and growth (each table has its
    /// own seed, mixed into the hash made once).
    func testKeysFindTheirValues() {
        XCTAssertEqual(TemplateKey("title"), "title")
        XCTAssertNotEqual(TemplateKey("title"), "titles")
        XCTAssertEqual(TemplateKey("科普日").hashValue, TemplateKey("科普" + "日").hashValue)
        var grown: [TemplateKey: TemplateValue] = [:]
        for i in 0..<5000 { grown[TemplateKey("k\(i)")] = .text(String(i)) }
        var copied: [TemplateKey: TemplateValue] = [:]
        for (k, v) in grown { copied[k] = v }
        let literal: [TemplateKey: TemplateValue] = ["a": .flag(true), "b": .text("x")]
        XCTAssertEqual(literal["a"], .flag(true))
        XCTAssertNil(literal["c"])
        for i in stride(from: 0, to: 5000, by: 7) {
            XCTAssertEqual(grown[TemplateKey("k\(i)")], .text(String(i)))
            XCTAssertEqual(copied[TemplateKey("k\(i)")], .text(String(i)))
        }
        XCTAssertNil(copied["k5000"])
        XCTAssertEqual(Set(copied.keys.map(\.text)).count, 5000)
    }
}
