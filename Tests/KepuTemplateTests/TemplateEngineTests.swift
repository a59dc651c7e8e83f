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

    /// Text given as UTF-8 bytes shows exactly as the same text given as a String: escaped, raw, as a section's
    /// value and inverted, in the compiled engine and in swift-mustache; and the two are equal as values.
    func testBytesShowAsTheirText() throws {
        let template = #"<a title="{{v}}">{{v}}</a>{{{v}}}|{{#v}}[{{.}}]{{/v}}|{{^v}}none{{/v}}|{{#e}}[{{.}}]{{/e}}{{^e}}empty{{/e}}"#
        let compiled = try TemplateLibrary(texts: ["p": template])
        XCTAssertTrue(compiled.isCompiled)
        var reference = compiled
        reference.useReferenceEngine()
        for text in ["<'&\"\u{01}>", "科普日 & 科技周", ""] {
            let asText: TemplateValue = .map(["v": .text(text), "e": .text("")])
            let asBytes: TemplateValue = .map(["v": .utf8(Array(text.utf8)), "e": .utf8([])])
            let expected: String = compiled.render("p", asText)
            XCTAssertEqual(compiled.render("p", asBytes) as String, expected, text)
            XCTAssertEqual(reference.render("p", asBytes) as String, expected, text)
            XCTAssertEqual(asText, asBytes)
            XCTAssertEqual(asBytes, asText)
        }
        XCTAssertNotEqual(TemplateValue.utf8(Array("科普".utf8)), .text("科普日"))
        XCTAssertNotEqual(TemplateValue.utf8(Array("a".utf8)), .flag(true))
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

/// Shared list items (`SharedItem`): a section's bytes are kept only when nothing in them came from outside the
/// item, and a page pasting kept bytes reads exactly as one rendering the item afresh.
final class SharedItemTests: XCTestCase {
    /// Counts how often its value is made, so a test can tell a paste from a render.
    final class Counted: SharedItem, @unchecked Sendable {
        let key: Int?
        let cache: SectionCache
        let value: TemplateValue
        private let lock = Lock()
        private var made = 0
        init(_ key: Int?, _ cache: SectionCache, _ value: TemplateValue) { (self.key, self.cache, self.value) = (key, cache, value) }
        func make() -> TemplateValue { lock.withLock { made += 1 }; return value }
        var makes: Int { lock.withLock { made } }
    }

    let partials = [
        "list": "<ul>\n{{#items}}\n<li>{{title}}{{#venue}} · {{.}}{{/venue}}</li>\n{{/items}}\n</ul>\n",
        // `page` is found in the page, not the item: what the body renders can differ from page to page.
        "leaky": "{{#items}}<i>{{title}}@{{page}}</i>{{/items}}\n",
        "indented": "<ul>\n  {{> row}}\n</ul>\n",
        "row": "{{#items}}\n<li>{{title}}\n</li>\n{{/items}}\n",
        "viaPartial": "{{#items}}{{> cell}}{{/items}}\n",
        "cell": "<b>{{title}}</b>",
        "pageA": "A {{page}}\n{{> list}}{{> leaky}}{{> indented}}{{> viaPartial}}",
        "pageB": "B {{page}}\n{{> list}}{{> leaky}}{{> indented}}{{> viaPartial}}",
    ]

    func item(_ i: Int, _ cache: SectionCache) -> Counted {
        Counted(i, cache, .map(["title": .text("第\(i)场 <&>"), "venue": i % 2 == 0 ? .text("礼堂") : .flag(false)]))
    }

    func page(_ name: String, _ items: [Counted]) -> TemplateValue {
        .map(["page": .text(name), "items": .list(items.map { .shared($0) })])
    }

    func testKeptBytesReadAsARenderAfresh() throws {
        let compiled = try TemplateLibrary(texts: partials)
        XCTAssertTrue(compiled.isCompiled)
        var reference = compiled
        reference.useReferenceEngine()
        let cache = SectionCache()
        let items = (0..<4).map { item($0, cache) }
        for name in ["pageA", "pageB", "pageA"] {
            let plain = TemplateValue.map(["page": .text(name), "items": .list(items.map(\.value))])
            XCTAssertEqual(compiled.render(name, page(name, items)) as String, reference.render(name, plain) as String, name)
        }
        // Kept: only "list" (its body is pure and finds everything in the item). "leaky" reads `page`, "indented"
        // adds indentation, "viaPartial" holds a partial: those render the item on every page.
        XCTAssertEqual(cache.count, 4)
        let once: String = compiled.render("pageA", page("pageA", items))
        XCTAssertTrue(once.contains("<li>第2场 &lt;&amp;&gt; · 礼堂</li>\n<li>第3场 &lt;&amp;&gt;</li>"), once)
        XCTAssertTrue(once.contains("<i>第1场 &lt;&amp;&gt;@pageA</i>"), once)
    }

    func testAPasteMakesNothing() throws {
        let compiled = try TemplateLibrary(texts: ["p": "{{#items}}[{{title}}]{{/items}}"])
        let cache = SectionCache()
        let items = (0..<3).map { item($0, cache) }
        let first: String = compiled.render("p", page("x", items))
        XCTAssertEqual(items.map(\.makes), [1, 1, 1])
        let second: String = compiled.render("p", page("y", items))
        XCTAssertEqual(second, first)
        XCTAssertEqual(items.map(\.makes), [1, 1, 1], "the second page pasted every entry")
        cache.clear()
        XCTAssertEqual(compiled.render("p", page("z", items)) as String, first)
        XCTAssertEqual(items.map(\.makes), [2, 2, 2], "an emptied cache renders afresh")
    }

    /// A name the item lacks falls through to the page, so that entry is never kept; a key of nil is never kept.
    func testAnEntryReadingThePageIsNotKept() throws {
        let compiled = try TemplateLibrary(texts: ["p": "{{#items}}{{title}}/{{venue}}{{/items}}|"])
        let cache = SectionCache()
        let partial = Counted(7, cache, .map(["title": .text("t")]))   // no venue: found in the page
        let unkeyed = Counted(nil, cache, .map(["title": .text("u"), "venue": .text("v")]))
        let a: String = compiled.render("p", .map(["venue": .text("A"), "items": .list([.shared(partial), .shared(unkeyed)])]))
        let b: String = compiled.render("p", .map(["venue": .text("B"), "items": .list([.shared(partial), .shared(unkeyed)])]))
        XCTAssertEqual(a, "t/Au/v|")
        XCTAssertEqual(b, "t/Bu/v|")
        XCTAssertEqual(cache.count, 0)
    }

    /// A section whose bytes could differ from page to page for a reason other than the item is never kept: the
    /// same list included with and without indentation, and a list whose entries go through a partial that a
    /// parent template overrides a block of. Each order, against swift-mustache.
    func testSectionsShapedByThePageAreNotKept() throws {
        let texts = [
            "row": "{{#items}}\n<li>{{title}}\n</li>\n{{/items}}\n",
            "flat": "<ul>\n{{> row}}\n</ul>\n",
            "indented": "<ul>\n  {{> row}}\n</ul>\n",
            "cells": "{{#items}}{{> cell}}{{/items}}\n",
            "cell": "<b>{{title}}{{$suffix}}!{{/suffix}}</b>",
            "overriding": "{{<cells}}{{$suffix}}?{{/suffix}}{{/cells}}",
            "plain": "{{> cells}}",
        ]
        let compiled = try TemplateLibrary(texts: texts)
        XCTAssertTrue(compiled.isCompiled)
        var reference = compiled
        reference.useReferenceEngine()
        for order in [["flat", "indented"], ["indented", "flat"], ["overriding", "plain"], ["plain", "overriding"]] {
            let cache = SectionCache()
            let items = (0..<3).map { item($0, cache) }
            let plain = TemplateValue.map(["page": .text("p"), "items": .list(items.map(\.value))])
            for name in order + order {
                XCTAssertEqual(compiled.render(name, page("p", items)) as String, reference.render(name, plain) as String, "\(order): \(name)")
            }
            XCTAssertEqual(cache.count, order.contains("flat") ? 3 : 0, "\(order)")
        }
    }

    /// Anything else a template does with a shared item sees the value it stands for.
    func testSharedValuesActAsTheirValues() throws {
        let cache = SectionCache()
        let map = Counted(1, cache, .map(["name": .text("甲")]))
        let text = Counted(2, cache, .text("乙"))
        let list = Counted(3, cache, .list([.text("x"), .text("y")]))
        let none = Counted(4, cache, .flag(false))
        let compiled = try TemplateLibrary(texts: ["p": "{{m.name}}|{{t}}|{{#l}}{{.}}{{/l}}|{{^n}}no{{/n}}|{{#m}}{{name}}{{/m}}|{{#t}}{{.}}{{/t}}"])
        let out: String = compiled.render("p", .map(["m": .shared(map), "t": .shared(text), "l": .shared(list), "n": .shared(none)]))
        XCTAssertEqual(out, "甲|乙|xy|no|甲|乙")
        XCTAssertEqual(TemplateValue.shared(map), .map(["name": .text("甲")]))
        XCTAssertNotEqual(TemplateValue.shared(text), .text("丙"))
    }
}
