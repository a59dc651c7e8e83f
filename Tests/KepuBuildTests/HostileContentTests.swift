import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// #8 §3: payloads in every field that reaches output come out inert in every file a visitor or a
/// screen downloads. Asserted on the real files of a real build.
final class HostileContentTests: RobustnessTestCase {
    /// One string carrying every breaker: HTML, attribute, title, XML/CDATA, comment, entity, SVG.
    static let payload = "<script>alert(1)</script>\"><img src=x onerror=alert(1)></title>]]><!--&amp;&<svg onload=alert(1)>'"
    static let formula = "=HYPERLINK(\"http://evil\",\"x\")"

    func hostileContent(html: Bool) -> String {
        let content = work + "/content-\(html)"
        let p = Self.payload
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        write(content, "site.yaml", "title: \(q("站点" + p))\nunit: \(q("单位" + p))\nhtml: \(html)\nled:\n  width: 640\n  height: 360\n  strip: {width: 640, height: 32}\n")
        write(content, "projects/p2023.md", """
            ---
            name: \(q("项目" + p))
            unit: \(q("实施单位" + p))
            year: 2023
            budget: 2万元
            funding: \(q("来源" + p))
            basis: [\(q("依据" + p))]
            goal: \(q("目标" + p))
            kinds: [\(q("科普" + p)), 科普日]
            plan: {\(q("科普" + p)): 1}
            schedule:
              - {by: 2023-06-30, share: 50}
            targets:
              - name: \(q("指标" + p))
                level1: 产出指标
                level2: 数量指标
                metric: activities
                op: ">="
                value: 1
                unit: \(q("次" + p))
                rule: {deduct: 3, per: 1, text: \(q("扣分" + p))}
              - name: \(q("手工" + p))
                level1: 效益指标
                level2: 社会效益
                metric: manual
                actual: 达成
                evidence: \(q("证据" + p))
            ---
            项目说明 <script>alert(1)</script> [点我](javascript:alert(1))

            """)
        write(content, "reports/hostile.md", """
            ---
            title: \(q("标题" + p))
            date: 2023-05-20
            kind: \(q("科普" + p))
            venue: \(q("地点" + p))
            audience: 100
            tags: [\(q("标签" + p)), \(q(Self.formula))]
            spend:
              - {item: \(q(Self.formula)), amount: 100}
              - {item: \(q("物品" + p)), amount: 50}
              - {item: "@SUM(A1)", amount: 1}
            summary: \(q("摘要" + p))
            ---
            正文第一段 <b>粗体</b>，[点我](javascript:alert(1))，[再点](JAVASCRIPT:alert(1))，![图](javascript:alert(1))。

            <iframe src="https://evil.example/"></iframe>

            <script>alert(2)</script>

            """)
        write(content, "reports/plain.md", "---\ntitle: 普通\ndate: 2023-06-01\nkind: 科普日\n---\n正文。\n")
        // File names are slugs, and slugs become URLs: a name that reads as a scheme or breaks out of an attribute.
        write(content, "reports/javascript:alert(1).md", "---\ntitle: 文件名一\ndate: 2023-06-02\nkind: 科普日\n---\n正文。\n")
        write(content, "reports/x\"><img src=x onerror=alert(1)>.md", "---\ntitle: 文件名二\ndate: 2023-06-03\nkind: 科普日\n---\n正文。\n")
        write(content, "led/notice.md", """
            ---
            title: \(q("公告" + p))
            ---
            公告正文 \(p)

            <script>alert(3)</script> [点我](javascript:alert(1))

            """)
        return content
    }

    func build(html: Bool) throws -> String {
        let output = work + "/public-\(html)"
        let report = Builder.build(options(content: hostileContent(html: html), output: output))
        XCTAssertTrue(report.succeeded, Terminal.diagnostics(report.diagnostics, .en))
        return output
    }

    func testPayloadsComeOutInert() throws {
        let output = try build(html: false)
        let files = snapshot(output)
        XCTAssertGreaterThan(files.count, 20)
        var checked: [String: Int] = [:]
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            let ext = (path as NSString).pathExtension.lowercased()
            // The search page's own script is the one script element a page may hold.
            let text = String(decoding: data, as: UTF8.self)
                .replacingOccurrences(of: #"<script src="(\.\./)*assets/search\.js"></script>"#, with: "", options: .regularExpression)
            checked[ext, default: 0] += 1
            switch ext {
            case "html", "htm", "svg", "xml", "json":
                XCTAssertFalse(text.lowercased().contains("<script"), "\(path) holds <script")
                XCTAssertFalse(text.lowercased().contains("</script"), "\(path) holds </script")
                // cmark's safe mode leaves its own marker where raw HTML was; any other comment opener leaked.
                XCTAssertFalse(text.replacingOccurrences(of: "<!-- raw HTML omitted -->", with: "").contains("<!--"), "\(path) holds a raw comment opener")
                if ext != "json" { assertInertMarkup(text, path) }
            case "csv":
                assertCSVDefused(text, path)
            default:
                break
            }
            if ext == "html" {
                // Every <title> (the page's, and the SVG charts') holds text only, up to its own </title>.
                let titles = text.components(separatedBy: "<title>").dropFirst()
                XCTAssertFalse(titles.isEmpty, path)
                for t in titles {
                    let inner = t.components(separatedBy: "</title>")
                    XCTAssertGreaterThan(inner.count, 1, "\(path): <title> not closed")
                    XCTAssertFalse(inner[0].contains("<"), "\(path): <title>\(inner[0])")
                }
                XCTAssertFalse(text.contains("<iframe"), "\(path): raw HTML must be left out when html is false")
                XCTAssertFalse(text.contains("<b>粗体</b>"), "\(path): raw HTML must be left out when html is false")
            }
            if ext == "xml" || ext == "svg" { assertParsesAsXML(data, path) }
            if ext == "json" {
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: data), path)
            }
        }
        // Every kind of file was looked at, and the payload reached them (escaped, not dropped).
        XCTAssertNotNil(checked["xml"]); XCTAssertNotNil(checked["json"]); XCTAssertNotNil(checked["csv"])
        XCTAssertGreaterThanOrEqual(checked["html", default: 0], 10)
        let page = try XCTUnwrap(files.first { $0.key.hasPrefix("reports/2023/") && $0.key.contains("hostile") }?.value, files.keys.sorted().joined(separator: "\n"))
        let pageText = String(decoding: page, as: UTF8.self)
        XCTAssertTrue(pageText.contains("标题&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown, escaped")
        XCTAssertTrue(pageText.contains("地点&lt;script&gt;alert(1)&lt;/script&gt;"), "the venue is shown, escaped")
        let feed = String(decoding: try XCTUnwrap(files["feed.xml"]), as: UTF8.self)
        XCTAssertTrue(feed.contains("标题&lt;script&gt;alert(1)&lt;/script&gt;"), "the feed carries the title, escaped")
        let spend = String(decoding: try XCTUnwrap(files["data/spend.csv"]), as: UTF8.self)
        XCTAssertTrue(spend.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""), spend)
        XCTAssertTrue(spend.contains("'@SUM(A1)"), spend)
        // The LED screen: slide pages, strip page and texts, playlist.
        let led = files.keys.filter { $0.hasPrefix("led/") }
        XCTAssertTrue(led.contains("led/strip.html") && led.contains("led/strip.txt") && led.contains("led/playlist.json"), led.sorted().joined(separator: " "))
        let strip = String(decoding: try XCTUnwrap(files["led/strip.txt"]), as: UTF8.self)
        XCTAssertFalse(strip.contains("\n\n"), "the strip is one line per item")
        // No file escaped the output folder through a hostile kind or slug.
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/index.html"))
        XCTAssertTrue(files.keys.allSatisfy { !$0.contains("..") }, files.keys.sorted().joined(separator: "\n"))
    }

    func testRawHTMLIsKeptWhenTheSiteAllowsIt() throws {
        let output = try build(html: true)
        let files = snapshot(output)
        let page = try XCTUnwrap(files.first { $0.key.hasPrefix("reports/2023/") && $0.key.contains("hostile") }?.value)
        let text = String(decoding: page, as: UTF8.self)
        XCTAssertTrue(text.contains("<iframe src=\"https://evil.example/\"></iframe>"), text)
        XCTAssertTrue(text.contains("<b>粗体</b>"))
        // Fields are still escaped: html: true is about the Markdown body only.
        XCTAssertTrue(text.contains("标题&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertFalse(text.contains("标题<script>"))
    }

    /// The checks themselves can fail: each catches the live form of a payload and lets its escaped form pass.
    func testTheChecksCatchLivePayloads() {
        func onAttributes(_ html: String) -> [String] {
            Self.tags(in: html).flatMap { $0.attributes.map(\.0) }.filter { $0.hasPrefix("on") }
        }
        XCTAssertEqual(onAttributes("<p>x\"><img src=x onerror=alert(1)></p>"), ["onerror"])
        XCTAssertEqual(onAttributes("<svg><rect ONLOAD='alert(1)'/></svg>"), ["onload"])
        XCTAssertEqual(onAttributes("<a title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\" href=\"a.html\">x</a>"), [])
        XCTAssertEqual(onAttributes("<p>&lt;img src=x onerror=alert(1)&gt;</p>"), [])
        let js = Self.tags(in: "<a href=\" JaVaScRiPt&colon;alert(1)\">x</a>")[0].attributes[0].1
        XCTAssertTrue(Self.decodeEntities(js).lowercased().filter { !$0.isWhitespace }.hasPrefix("javascript:"))
        XCTAssertEqual(Self.csvCells("\"'=HYPERLINK(\"\"x\"\")\",=1+1,-5"), ["'=HYPERLINK(\"x\")", "=1+1", "-5"])
    }

    // MARK: Checks

    /// Walks every tag: no script/iframe/object elements, no on* attribute, no javascript: (or data:
    /// text/html, vbscript:) URL in href/src/xlink:href/action/formaction.
    func assertInertMarkup(_ text: String, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
        for tag in Self.tags(in: text) {
            XCTAssertFalse(["script", "iframe", "object", "embed", "foreignobject"].contains(tag.name), "\(path): <\(tag.name)>", file: file, line: line)
            for (name, value) in tag.attributes {
                XCTAssertFalse(name.hasPrefix("on"), "\(path): <\(tag.name) \(name)=…>", file: file, line: line)
                if ["href", "src", "xlink:href", "action", "formaction", "srcset"].contains(name) {
                    let v = Self.decodeEntities(value).lowercased().filter { !$0.isWhitespace && $0 != "\0" }
                    XCTAssertFalse(v.hasPrefix("javascript:") || v.hasPrefix("vbscript:") || v.hasPrefix("data:text/html"),
                                   "\(path): <\(tag.name) \(name)=\"\(value)\">", file: file, line: line)
                }
            }
        }
    }

    struct Tag { var name: String; var attributes: [(String, String)] }

    /// A small HTML/XML tag scanner, strict about quotes, so an escaped payload inside an attribute
    /// value is not mistaken for an attribute.
    static func tags(in text: String) -> [Tag] {
        let s = Array(text.unicodeScalars)
        var out: [Tag] = []
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == ":" || c == "_" || c == "." }
        while i < s.count {
            guard s[i] == "<", i + 1 < s.count, s[i + 1].properties.isAlphabetic else { i += 1; continue }
            i += 1
            var name = ""
            while i < s.count, isNameChar(s[i]) { name.unicodeScalars.append(s[i]); i += 1 }
            var attributes: [(String, String)] = []
            while i < s.count, s[i] != ">" {
                if s[i].properties.isWhitespace || s[i] == "/" { i += 1; continue }
                var attr = ""
                while i < s.count, !s[i].properties.isWhitespace, s[i] != "=", s[i] != ">", s[i] != "/" { attr.unicodeScalars.append(s[i]); i += 1 }
                var value = ""
                while i < s.count, s[i].properties.isWhitespace { i += 1 }
                if i < s.count, s[i] == "=" {
                    i += 1
                    while i < s.count, s[i].properties.isWhitespace { i += 1 }
                    if i < s.count, s[i] == "\"" || s[i] == "'" {
                        let quote = s[i]; i += 1
                        while i < s.count, s[i] != quote { value.unicodeScalars.append(s[i]); i += 1 }
                        i += 1
                    } else {
                        while i < s.count, !s[i].properties.isWhitespace, s[i] != ">" { value.unicodeScalars.append(s[i]); i += 1 }
                    }
                }
                if !attr.isEmpty { attributes.append((attr.lowercased(), value)) }
            }
            out.append(Tag(name: name.lowercased(), attributes: attributes))
        }
        return out
    }

    static func decodeEntities(_ s: String) -> String {
        var r = s
        for (e, c) in [("&colon;", ":"), ("&#58;", ":"), ("&#x3a;", ":"), ("&#x3A;", ":"), ("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            r = r.replacingOccurrences(of: e, with: c)
        }
        return r
    }

    func assertParsesAsXML(_ data: Data, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
        let parser = XMLParser(data: data)
        let ok = parser.parse()
        XCTAssertTrue(ok, "\(path) is not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
    }

    /// Every cell that a spreadsheet would read as a formula starts with an apostrophe.
    func assertCSVDefused(_ text: String, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
        for row in text.components(separatedBy: "\r\n") {
            for cell in Self.csvCells(row) {
                if let first = cell.first, "=+-@\t\r".contains(first), Double(cell) == nil {
                    XCTFail("\(path): formula cell \(cell)", file: file, line: line)
                }
            }
        }
    }

    static func csvCells(_ row: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(row.replacingOccurrences(of: "\u{FEFF}", with: ""))[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { cells.append(cell); cell = "" }
            else { cell.append(c) }
        }
        cells.append(cell)
        return cells
    }
}
