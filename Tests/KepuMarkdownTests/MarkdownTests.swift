import CCmark
import XCTest
@testable import KepuMarkdown
#if canImport(Glibc)
import Glibc
#endif

final class MarkdownTests: XCTestCase {
    /// The HTML is kept as bytes and shown without checking them again (TemplateValue.utf8): what Markdown.render
    /// returns must be well-formed UTF-8 from a well-formed body, whatever character references it holds. cmark
    /// itself writes U+FFFE and U+FFFF as one byte each (FE, FF); those are repaired to U+FFFD.
    func testHTMLBytesAreWellFormedUTF8() {
        XCTAssertEqual(Markdown.render("&#xFFFE;&#xFFFF;&#65535;").htmlBytes, Array("<p>\u{FFFD}\u{FFFD}\u{FFFD}</p>\n".utf8))
        // A reference to every code point, in decimal and in hex, a few thousand to a body.
        var references: [String] = []
        for code in 0...0x11_0000 {
            references.append(code % 2 == 0 ? "&#\(code);" : "&#x\(String(code, radix: 16));")
            if references.count == 4096 || code == 0x11_0000 {
                let html = Markdown.render(references.joined(separator: " ")).htmlBytes
                XCTAssertNotNil(String(validating: html, as: UTF8.self), "ill-formed HTML for references up to \(code)")
                references.removeAll(keepingCapacity: true)
            }
        }
        let bodies = ["&#0; &#xD800; &#xDFFF; &#x110000; &#99999999; &#xFFFE; &#65;", "&copy; &nbsp; &notanentity; &amp;",
                      "科普 👩‍🔬 e\u{301} \u{FEFF}", "`&#xD800;` <b>&#xD83D;</b>", "[链接](https://例子.中国/路径?q=科普)",
                      "![图](照片.jpg \"标题&#0;\")", String(repeating: "长文本。", count: 3000)]
        for body in bodies {
            for allowHTML in [false, true] {
                let rendered = Markdown.render(body, allowHTML: allowHTML)
                XCTAssertNotNil(String(validating: rendered.htmlBytes, as: UTF8.self), body)
                XCTAssertEqual(Array(rendered.html.utf8), rendered.htmlBytes)
            }
        }
    }

    func testRendersCommonMark() {
        let r = Markdown.render("# 科普日\n\n在**呈贡**举办，共 *3* 场。\n\n- 甲\n- 乙\n")
        XCTAssertEqual(r.html, "<h1>科普日</h1>\n<p>在<strong>呈贡</strong>举办，共 <em>3</em> 场。</p>\n<ul>\n<li>甲</li>\n<li>乙</li>\n</ul>\n")
        XCTAssertEqual(r.firstParagraph, "在呈贡举办，共 3 场。")
    }

    func testEscapesTextAndKeepsSafeLinks() {
        let r = Markdown.render("a < b & \"c\" [科协](https://kx.example.gov.cn/a?x=1&y=2)")
        XCTAssertEqual(r.html, "<p>a &lt; b &amp; &quot;c&quot; <a href=\"https://kx.example.gov.cn/a?x=1&amp;y=2\">科协</a></p>\n")
    }

    func testRawHTMLIsLeftOutUnlessAllowed() {
        let text = "<script>alert(1)</script>\n\n段落里有 <b onclick=\"x()\">粗体</b>。\n"
        let safe = Markdown.render(text)
        XCTAssertFalse(safe.html.contains("<script"), safe.html)
        XCTAssertFalse(safe.html.contains("onclick"), safe.html)
        XCTAssertEqual(safe.html, "<!-- raw HTML omitted -->\n<p>段落里有 <!-- raw HTML omitted -->粗体<!-- raw HTML omitted -->。</p>\n")
        let allowed = Markdown.render(text, allowHTML: true)
        XCTAssertEqual(allowed.html, "<script>alert(1)</script>\n<p>段落里有 <b onclick=\"x()\">粗体</b>。</p>\n")
    }

    func testJavascriptLinksAreDroppedUnlessAllowed() {
        let text = "[点我](javascript:alert(1)) ![图](javascript:alert(2)) [数据](data:text/html;base64,PHNjcmlwdD4=)"
        let safe = Markdown.render(text)
        XCTAssertFalse(safe.html.lowercased().contains("javascript:"), safe.html)
        XCTAssertFalse(safe.html.contains("data:text/html"), safe.html)
        XCTAssertEqual(safe.html, "<p><a href=\"\">点我</a> <img src=\"\" alt=\"图\" /> <a href=\"\">数据</a></p>\n")
        XCTAssertTrue(Markdown.render("[x](JaVaScRiPt:alert(1))").html.contains("href=\"\""))
        let allowed = Markdown.render("[点我](javascript:alert(1))", allowHTML: true)
        XCTAssertEqual(allowed.html, "<p><a href=\"javascript:alert(1)\">点我</a></p>\n")
    }

    func testFirstParagraphSkipsHeadingsAndJoinsLines() {
        let r = Markdown.render("## 活动概况\n\n3月22日，科协走进\n斗南社区，开展 `科普` 宣传\nand more\n\n第二段。\n")
        // Spaces between Chinese characters go (Chinese prose has none); beside Latin text they stay.
        XCTAssertEqual(r.firstParagraph, "3月22日，科协走进斗南社区，开展科普宣传 and more")
        XCTAssertEqual(Markdown.render("[链接](https://a.cn)文字，**强调**。").firstParagraph, "链接文字，强调。")
        XCTAssertEqual(Markdown.render("Line one\nline two").firstParagraph, "Line one line two")
        XCTAssertEqual(Markdown.render("# 只有标题\n").firstParagraph, "")
        XCTAssertEqual(Markdown.render("> 引用\n\n正文").firstParagraph, "正文")
    }

    func testFirstParagraphSkipsPhotos() {
        XCTAssertEqual(Markdown.render("![活动现场](a.jpg)\n\n3月22日，科协走进社区。\n").firstParagraph, "3月22日，科协走进社区。")
        XCTAssertEqual(Markdown.render("![甲](a.jpg) ![乙](b.jpg)\n\n正文。").firstParagraph, "正文。")
        XCTAssertEqual(Markdown.render("现场照片：![甲](a.jpg)如上。").firstParagraph, "现场照片：如上。")
        XCTAssertEqual(Markdown.render("![只有照片](a.jpg)").firstParagraph, "")
    }

    func testEmptyBody() {
        let r = Markdown.render("")
        XCTAssertEqual(r.html, "")
        XCTAssertEqual(r.firstParagraph, "")
    }

    func testInvalidUTF8IsReplacedNotCrashed() {
        // A String cannot hold bad bytes: decoding repairs them to U+FFFD, and cmark validates once more.
        let bytes: [UInt8] = Array("标题 ".utf8) + [0xB1, 0xEA, 0xCC, 0xE2] + Array(" 结束".utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        let r = Markdown.render(text)
        XCTAssertTrue(r.html.hasPrefix("<p>标题 "), r.html)
        XCTAssertTrue(r.html.contains("\u{FFFD}"), r.html)
        XCTAssertTrue(r.html.hasSuffix(" 结束</p>\n"), r.html)
        XCTAssertNotNil(r.html.data(using: .utf8))
        // NUL bytes are replaced by cmark, not ending the string early.
        let nul = Markdown.render("a\u{0}b")
        XCTAssertEqual(nul.html, "<p>a\u{FFFD}b</p>\n")
    }

    func testRenderingIsThreadSafe() {
        let results = UnsafeSendableBox(Array(repeating: "", count: 64))
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let html = Markdown.render("第 \(i) 段 **粗**").html
            results.set(i, html)
        }
        for i in 0..<64 { XCTAssertEqual(results.values[i], "<p>第 \(i) 段 <strong>粗</strong></p>\n") }
    }

    /// Bodies are parsed and rendered in a per-thread arena (CArena). Held to cmark's own allocator on bodies from a
    /// line to far larger than the arena's 64 KiB blocks (long paragraphs grow one buffer by realloc; a long list
    /// makes many nodes), each rendered on several threads at once and twice per thread, so blocks are reused.
    func testArenaRendersAsCmarksOwnAllocatorDoes() {
        let paragraph = String(repeating: "科普**日**活动在[呈贡](../a.md)举办，`代码` 与 <b>标签</b> & 符号。", count: 40)
        let bodies = [
            "一行",
            "# 标题\n\n" + paragraph + "\n",
            String(repeating: paragraph + "\n\n", count: 60),                         // ~ 300 KB of paragraphs
            (1...5000).map { "- 第 \($0) 项 [链接](x\($0).md)\n" }.joined(),            // 5,000 list items
            String(repeating: "长", count: 200_000),                                  // one text node of 600 KB
        ]
        func reference(_ body: String) -> String {
            guard let html = cmark_markdown_to_html(body, body.utf8.count, CMARK_OPT_SAFE) else { return "?" }
            defer { free(html) }
            return String(cString: html)
        }
        let expected = bodies.map(reference)
        let results = UnsafeSendableBox(Array(repeating: "", count: bodies.count * 4))
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for _ in 0..<2 {
                for (b, body) in bodies.enumerated() { results.set(t * bodies.count + b, Markdown.render(body).html) }
            }
        }
        for t in 0..<4 {
            for b in bodies.indices { XCTAssertEqual(results.values[t * bodies.count + b], expected[b], "body \(b), thread \(t)") }
        }
        XCTAssertEqual(Markdown.render(bodies[3]).links.count, 5000)
        XCTAssertEqual(Markdown.render(bodies[3]).links.last?.url, "x5000.md")
    }
}

final class UnsafeSendableBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String]
    init(_ values: [String]) { storage = values }
    func set(_ i: Int, _ v: String) { lock.lock(); storage[i] = v; lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
