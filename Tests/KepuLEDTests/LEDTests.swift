import Foundation
import KepuContent
import KepuCore
import KepuLedger
import KepuPresentation
import XCTest
@testable import KepuLED

/// A small site: one project with the four headline targets, three reports, announcements.
func smallSite(_ tree: TempTree, width: Int = 320, height: Int = 160, example: Bool = true,
               title: String = "科普进社区", announcements: [String] = []) {
    tree.file("content/site.yaml", """
    title: 测试区科协经费公开
    unit: 测试区科学技术协会
    example: \(example)
    led:
      width: \(width)
      height: \(height)
      seconds: 8
      strip: {width: 256, height: 32}

    """)
    tree.file("content/projects/p2023.md", """
    ---
    name: 科普经费
    unit: 测试区科学技术协会
    year: 2023
    budget: "1万元"
    targets:
      - {name: 活动次数, level1: 产出指标, level2: 数量指标, metric: activities, op: ">=", value: 4, unit: 次}
      - {name: 服务人次, level1: 产出指标, level2: 数量指标, metric: audience, op: ">=", value: 10000, unit: 人次}
      - {name: 成本, level1: 产出指标, level2: 成本指标, metric: spend, op: "<=", value: 1, unit: 万元}
      - {name: 满意度, level1: 满意度指标, level2: 服务对象满意度指标, metric: satisfaction, op: ">=", value: 90, unit: "%"}
    ---

    项目说明。

    """)
    tree.file("content/reports/a.md", """
    ---
    title: \(title)
    date: 2023-03-01
    kind: 进社区
    venue: 幸福社区
    audience: 120
    spend: [{item: 资料, amount: "1,800.50"}]
    satisfaction: {surveyed: 100, satisfied: 90}
    ---

    正文。

    """)
    tree.file("content/reports/b.md", """
    ---
    title: 科技周
    date: 2023-05-20
    kind: 科技周
    audience: 9900
    activities: 2
    spend: 200
    satisfaction: {surveyed: 50, satisfied: 45}
    ---

    正文。

    """)
    tree.file("content/reports/c.md", """
    ---
    title: 草稿不上屏
    date: 2023-06-01
    kind: 培训
    audience: 5
    draft: true
    ---

    正文。

    """)
    for (i, a) in announcements.enumerated() { tree.file("content/led/a\(i).md", a) }
}

final class LEDTests: XCTestCase {
    // MARK: Announcements

    func testAnnouncementsShowOnlyInsideTheirWindowBothEndsIncluded() throws {
        let tree = TempTree()
        smallSite(tree, announcements: [
            "---\ntitle: 九月公告\nfrom: 2023-09-01\nuntil: 2023-09-30\nseconds: 15\norder: 2\n---\n\n九月的话。\n",
            "---\ntitle: 长期公告\norder: 1\n---\n\n一直显示。\n",
        ])
        func titles(_ now: String) throws -> [String] {
            let r = try renderLED(content: tree.content, now: now, cache: tree.cache)
            return Slides.announcements(r.input).map(\.title)
        }
        XCTAssertEqual(try titles("2023-08-31"), ["长期公告"])
        XCTAssertEqual(try titles("2023-09-01"), ["长期公告", "九月公告"])
        XCTAssertEqual(try titles("2023-09-30"), ["长期公告", "九月公告"])
        XCTAssertEqual(try titles("2023-10-01"), ["长期公告"])

        // On the screen: the announcement slides come last, ordered, with their own seconds.
        let r = try renderLED(content: tree.content, now: "2023-09-15", cache: tree.cache)
        let last = r.text(String(format: "led/%02d.html", r.count))
        let beforeLast = r.text(String(format: "led/%02d.html", r.count - 1))
        XCTAssertTrue(beforeLast.contains("长期公告"))
        XCTAssertTrue(last.contains("九月公告") && last.contains("九月的话。"))
        XCTAssertEqual(refreshTarget(last)?.seconds, 15)
        XCTAssertEqual(refreshTarget(beforeLast)?.seconds, 8)
        let outside = try renderLED(content: tree.content, now: "2023-10-01", cache: tree.cache)
        XCTAssertEqual(outside.count, r.count - 1)
        XCTAssertFalse(outside.sink.files.values.contains { String(decoding: $0, as: UTF8.self).contains("九月公告") })
    }

    // MARK: Figures

    func testFiguresOnTheSlidesEqualTheLedger() throws {
        let tree = TempTree()
        smallSite(tree, width: 1280, height: 720)
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let ledger = try XCTUnwrap(r.input.ledger.current)
        // The ledger: drafts left out; 1 + 2 activities, 120 + 9,900 people, 1,800.50 + 200 yuan, 135 of 150 satisfied.
        XCTAssertEqual(ledger.totals.activities, 3)
        XCTAssertEqual(ledger.totals.audience, 10_020)
        XCTAssertEqual(ledger.totals.spend, Money(fen: 200_050))

        let pages = (1...r.count).map { r.text(String(format: "led/%02d.html", $0)) }
        func slide(_ label: String) throws -> String {
            try XCTUnwrap(pages.first { $0.contains(">\(label)</div>") }, "no slide for \(label)")
        }
        let activities = try slide("开展科普活动")
        XCTAssertTrue(activities.contains(">\(ledger.totals.activities)次</div>"))
        XCTAssertTrue(activities.contains("年度目标 ≥ 4次"))
        XCTAssertTrue(activities.contains("完成目标的 75.00%"))

        let people = try slide("服务群众")
        XCTAssertTrue(people.contains(">1万人次</div>"), "10,020 shows as 1万, never rounded up")
        XCTAssertTrue(people.contains("合计 10,020 人次"))
        XCTAssertTrue(people.contains("年度目标 ≥ 10000人次"), "the approved value as the target table writes it")
        XCTAssertTrue(people.contains("已达标"))

        let spend = try slide("经费支出")
        XCTAssertTrue(spend.contains(">¥2,000.50</div>"))
        XCTAssertTrue(spend.contains("全年预算 ¥10,000.00，执行率 20.00%"))
        XCTAssertTrue(spend.contains("年度目标 ≤ 1万元"))

        let satisfaction = try slide("群众满意度")
        XCTAssertTrue(satisfaction.contains(">90.00%</div>"))
        XCTAssertTrue(satisfaction.contains("问卷 150 份，满意 135 份"))

        // Each figure slide shows exactly what the ledger says, formatted.
        XCTAssertEqual(ledger.totals.satisfaction.map(zh.percent), "90.00%")
        XCTAssertEqual(ledger.execution.rate.map(zh.percent), "20.00%")

        // The strip says the same in one line, without ¥ (GB2312 controllers lack it).
        let strip = r.text("led/strip.txt")
        XCTAssertEqual(strip, "测试区科学技术协会 2023年科普经费　　开展科普活动3次（年度目标≥4次）　　服务群众1万人次（年度目标≥10000人次）　　"
            + "经费支出2,000.50元，预算10,000.00元，执行率20.00%（年度目标≤1万元）　　群众满意度90.00%（年度目标≥90%）　　【示例数据】\r\n")
    }

    func testSpendAgainstAnExecutionRateTargetAndNoSurveys() throws {
        let tree = TempTree()
        smallSite(tree, width: 1280, height: 720)
        tree.file("content/projects/p2023.md", """
        ---
        name: 科普经费
        unit: 测试区科学技术协会
        year: 2023
        budget: 10000
        targets:
          - {name: 执行率, level1: 产出指标, level2: 时效指标, metric: execution, op: ">=", value: 90, unit: "%"}
        ---

        说明。

        """)
        tree.file("content/reports/a.md", "---\ntitle: 甲\ndate: 2023-03-01\nkind: 进社区\naudience: 10\nspend: 1800\n---\n\n正文\n")
        tree.file("content/reports/b.md", "---\ntitle: 乙\ndate: 2023-04-01\nkind: 进社区\naudience: 10\n---\n\n正文\n")
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let pages = (1...r.count).map { r.text(String(format: "led/%02d.html", $0)) }
        let spend = try XCTUnwrap(pages.first { $0.contains(">经费支出</div>") })
        XCTAssertTrue(spend.contains(">¥1,800.00</div>"))
        XCTAssertTrue(spend.contains("执行率目标 ≥ 90%"))
        XCTAssertTrue(spend.contains("完成目标的 20.00%"), "18% of 90%")
        let satisfaction = try XCTUnwrap(pages.first { $0.contains(">群众满意度</div>") })
        XCTAssertTrue(satisfaction.contains(">暂无问卷</div>"))
        XCTAssertFalse(satisfaction.contains("NaN"))
        let activities = try XCTUnwrap(pages.first { $0.contains(">开展科普活动</div>") })
        XCTAssertFalse(activities.contains("年度目标"), "no target row, no target line")
    }

    func testLinesBreakBetweenIdeographsButNotBeforeClosingOrAfterOpeningPunctuation() {
        let text = "农函大实用技术培训（两期），服务群众。Science Day 2023 科普日"
        for width in stride(from: 60.0, through: 400, by: 7) {
            let lines = TextMetrics.wrap(text, size: 20, bold: false, maxWidth: width)
            XCTAssertEqual(lines.joined().replacingOccurrences(of: " ", with: ""), text.replacingOccurrences(of: " ", with: ""))
            for line in lines {
                XCTAssertFalse(line.hasPrefix("，") || line.hasPrefix("。") || line.hasPrefix("）"), "\(width): \(lines)")
                XCTAssertFalse(line.hasSuffix("（"), "\(width): \(lines)")
                XCTAssertFalse(line.hasPrefix(" ") || line.hasSuffix(" "))
                if width >= 130 { XCTAssertLessThanOrEqual(TextMetrics.width(line, size: 20), width) }
            }
            if width >= 130 {
                XCTAssertFalse(lines.contains { $0.hasSuffix("Scien") || $0.hasPrefix("ce") }, "Latin words stay whole: \(lines)")
            }
        }
        XCTAssertEqual(TextMetrics.ellipsized("科普日活动", size: 10, bold: false, maxWidth: 35), "科普…")
        XCTAssertEqual(TextMetrics.join(["Science", "Day 科普", "日"]), "Science Day 科普日")
    }

    func testChineseFormatting() {
        XCTAssertEqual(zh.short(9_999), "9,999")
        XCTAssertEqual(zh.short(10_530), "1.05万")
        XCTAssertEqual(zh.short(19_999), "1.99万")
        XCTAssertEqual(zh.short(120_000), "12万")
        XCTAssertEqual(zh.money(Money(fen: 1_965_840)), "¥19,658.40")
        XCTAssertEqual(zh.money(Money(fen: 5)), "¥0.05")
        XCTAssertEqual(zh.money(Money(fen: 123_456_789_00)), "¥123,456,789.00")
        // The same text as the site's (Figures.percent): two decimals, cut.
        XCTAssertEqual(zh.percent(Score.ratio(1010, 1080).times(Score(100))), "93.51%")
        XCTAssertEqual(zh.percent(Score(100)), "100.00%")
        XCTAssertEqual(zh.percent(Score.ratio(89999, 1000)), "89.99%", "cut, never rounded up to a target")
        XCTAssertEqual(zh.date(try! Day.parse("2023-09-16")), "2023年9月16日")
    }

    // MARK: The loop

    func testRefreshChainVisitsEverySlideOnceAndReturnsToTheFirst() throws {
        let tree = TempTree()
        smallSite(tree, announcements: ["---\ntitle: 公告\n---\n\n正文\n"])
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        XCTAssertEqual(r.count, 1 + 4 + 2 + 1, "title, four figures, two reports (the draft left out), one announcement")
        let start = try XCTUnwrap(refreshTarget(r.text("led/index.html")))
        XCTAssertEqual(start.url, "01.html")
        var visited: [String] = []
        var page = start.url
        while !visited.contains(page) {
            visited.append(page)
            let html = r.text("led/" + page)
            XCTAssertFalse(html.isEmpty, "\(page) is missing")
            XCTAssertFalse(html.lowercased().contains("<script"), "no JavaScript")
            XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=\"/"), "relative paths only")
            page = try XCTUnwrap(refreshTarget(html), "\(page) has no refresh").url
        }
        XCTAssertEqual(page, "01.html", "the last slide returns to the first")
        XCTAssertEqual(visited.count, r.count)
        XCTAssertEqual(Set(visited).count, r.count)
        let pages = r.sink.files.keys.filter { $0.hasPrefix("led/") && $0.hasSuffix(".html") && !$0.contains("index") && !$0.contains("strip") }
        XCTAssertEqual(Set(pages), Set(visited.map { "led/" + $0 }), "every slide page is in the loop")

        // The playlist lists the same loop.
        let json = try JSONSerialization.jsonObject(with: Data(r.bytes("led/playlist.json"))) as? [String: Any]
        let slides = try XCTUnwrap(json?["slides"] as? [[String: Any]])
        XCTAssertEqual(slides.compactMap { $0["html"] as? String }, visited)
        XCTAssertEqual(slides.compactMap { $0["seconds"] as? Int }, visited.map { refreshTarget(r.text("led/" + $0))!.seconds })
        XCTAssertTrue(r.text("led/playlist.m3u").hasPrefix("#EXTM3U\n#EXTINF:8,"))
        XCTAssertTrue(r.text("led/README.txt").contains("index.html"))
    }

    // MARK: PNGs

    func testPNGsHaveTheExactSizeAndRealGlyphs() throws {
        let tree = TempTree()
        smallSite(tree, width: 300, height: 150)
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        for i in 1...r.count {
            let png = r.bytes(String(format: "led/png/%02d.png", i))
            let size = try XCTUnwrap(pngSize(png), "slide \(i) is not a PNG")
            XCTAssertEqual(size.width, 300)
            XCTAssertEqual(size.height, 150)
        }
        // Real glyphs: two different ideographs draw two different shapes (missing glyphs all draw the same box),
        // and both draw ink.
        func ink(_ text: String) throws -> [Bool] {
            let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><rect width=\"64\" height=\"64\" fill=\"#000\"/>"
                + "<text x=\"4\" y=\"54\" font-family=\"\(svgFont)\" font-size=\"56\" fill=\"#fff\">\(text)</text></svg>"
            let decoded = try Rasterizer.pixels(png: try Rasterizer.png(svg: svg, width: 64, height: 64))
            return decoded.pixels.map { $0 != 0 }
        }
        let shi = try ink("示"), li = try ink("例"), box = try ink("\u{E000}")
        XCTAssertGreaterThan(shi.filter { $0 }.count, 100)
        XCTAssertGreaterThan(li.filter { $0 }.count, 100)
        XCTAssertNotEqual(shi, li)
        XCTAssertNotEqual(shi, box)

        // The example mark on a rendered slide has ink in the corner where it is drawn.
        let slide = try Rasterizer.pixels(png: r.bytes("led/png/02.png"))
        let background: UInt32 = 0x06152b
        var marked = 0
        for y in 0..<20 { for x in 200..<300 where slide.pixels[y * 300 + x] != background { marked += 1 } }
        XCTAssertGreaterThan(marked, 200)
    }

    func testOutputIsDeterministicAndPNGsAreCachedByContent() throws {
        let tree = TempTree()
        smallSite(tree, announcements: ["---\ntitle: 公告一\n---\n\n正文\n", "---\ntitle: 公告二\n---\n\n正文\n"])
        let first = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let cached = try FileManager.default.contentsOfDirectory(atPath: tree.cache + "/led").filter { $0.hasSuffix(".png") }
        XCTAssertEqual(cached.count, first.count)
        // Same input, same bytes: with the cache, and drawn afresh without it.
        let again = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        XCTAssertEqual(again.sink.files, first.sink.files)
        let fresh = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.root + "/other-cache")
        XCTAssertEqual(fresh.sink.files, first.sink.files)

        // One changed announcement: one new drawing.
        tree.file("content/led/a1.md", "---\ntitle: 公告二（改）\n---\n\n正文\n")
        _ = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let after = try FileManager.default.contentsOfDirectory(atPath: tree.cache + "/led").filter { $0.hasSuffix(".png") }
        XCTAssertEqual(after.count, cached.count + 1)
    }

    func testPhotoIsReferencedRelativelyInHTMLAndEmbeddedInThePNG() throws {
        let tree = TempTree()
        smallSite(tree)
        // A red photo beside a report bundle.
        let red = try Rasterizer.png(svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"><rect width=\"40\" height=\"30\" fill=\"#ff0000\"/></svg>",
                                     width: 40, height: 30)
        tree.bytes("content/reports/d/photo.png", red)
        tree.file("content/reports/d/index.md", "---\ntitle: 有照片的活动\ndate: 2023-09-01\nkind: 进社区\naudience: 10\nphotos: [photo.png]\n---\n\n正文\n")
        let photos = ["reports/d/photo.png": PublishedPhoto(large: "photos/d/photo 1280.jpg", thumbnail: "photos/d/photo-400.jpg", width: 40, height: 30)]
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache, photos: photos)
        let page = try XCTUnwrap((1...r.count).map { r.text(String(format: "led/%02d.html", $0)) }.first { $0.contains("有照片的活动") })
        // Inside led/, named by its bytes: copying led/ alone to a USB stick takes the photo along.
        let copied = try XCTUnwrap(r.sink.files.keys.first { $0.hasPrefix("led/photos/") && $0.hasSuffix(".png") })
        XCTAssertEqual(r.bytes(copied), red)
        XCTAssertTrue(page.contains("background-image:url(&#39;\(copied.dropFirst(4))&#39;)"), page)
        XCTAssertFalse(page.contains("../"), "nothing outside led/")
        let index = (1...r.count).first { r.text(String(format: "led/%02d.html", $0)).contains("有照片的活动") }!
        let png = try Rasterizer.pixels(png: r.bytes(String(format: "led/png/%02d.png", index)))
        XCTAssertGreaterThan(png.pixels.filter { $0 == 0xff0000 }.count, 500, "the photo is drawn into the PNG")
    }

    func testPhonePhotoStoredSidewaysIsTurnedUprightInThePNG() throws {
        // 16×8 JPEG, left half red, right half blue, EXIF orientation 6 (turn 90° clockwise to view):
        // upright it is 8×16, red on top, blue below.
        let jpeg = [UInt8](Data(base64Encoded: sidewaysJPEG)!)
        XCTAssertEqual(Orientation.of(jpeg), 6)
        XCTAssertEqual(Orientation.of([0xFF, 0xD8, 0xFF, 0xD9]), 1)
        let tree = TempTree()
        smallSite(tree)
        tree.bytes("content/reports/d/photo.jpg", jpeg)
        tree.file("content/reports/d/index.md", "---\ntitle: 手机照片\ndate: 2023-09-01\nkind: 进社区\nphotos: [photo.jpg]\n---\n\n正文\n")
        let photos = ["reports/d/photo.jpg": PublishedPhoto(large: "photos/d/photo-1280.jpg", thumbnail: "photos/d/photo-400.jpg", width: 8, height: 16)]
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache, photos: photos)
        let slide = try XCTUnwrap(Slides.build(r.input, words: testWords).first { $0.title == "手机照片" })
        let canvas = Design.canvas(slide, frame: Design.Frame(width: 320, height: 160, example: false, words: testWords))
        var box: (x: Double, y: Double, w: Double, h: Double)?
        for case let .photo(x, y, w, h, _) in canvas.elements { box = (x, y, w, h) }
        let b = try XCTUnwrap(box)
        let index = try XCTUnwrap((1...r.count).first { r.text(String(format: "led/%02d.html", $0)).contains("手机照片") })
        let png = try Rasterizer.pixels(png: r.bytes(String(format: "led/png/%02d.png", index)))
        func pixel(_ fx: Double, _ fy: Double) -> UInt32 { png.pixels[Int(b.y + b.h * fy) * png.width + Int(b.x + b.w * fx)] }
        func reddish(_ p: UInt32) -> Bool { (p >> 16) & 0xff > 200 && p & 0xff < 80 }
        func bluish(_ p: UInt32) -> Bool { p & 0xff > 200 && (p >> 16) & 0xff < 80 }
        XCTAssertTrue(reddish(pixel(0.5, 0.1)), String(pixel(0.5, 0.1), radix: 16))
        XCTAssertTrue(bluish(pixel(0.5, 0.9)), String(pixel(0.5, 0.9), radix: 16))
        XCTAssertTrue(reddish(pixel(0.1, 0.1)) && reddish(pixel(0.9, 0.1)), "the turned photo covers its whole box")
    }

    func testAPhotoOfMoreThanTenMegabytesIsStillDrawn() throws {
        // libxml2 refuses attributes over 10 MB unless librsvg is told to allow them: pad a JPEG with
        // comment segments to 11 MB (15 MB as base64).
        let jpeg = [UInt8](Data(base64Encoded: sidewaysJPEG)!)
        var padded: [UInt8] = [0xFF, 0xD8]
        for _ in 0..<170 { padded += [0xFF, 0xFE, 0xFF, 0xFF] + [UInt8](repeating: 0x20, count: 65533) }
        padded += jpeg.dropFirst(2)
        XCTAssertEqual(Orientation.of(padded), 6)
        let canvas = Canvas(width: 64, height: 64, background: "#000000",
                            elements: [.photo(x: 0, y: 0, width: 64, height: 64, PhotoRef(href: "", file: nil, mime: nil))])
        let svg = SVGWriter.svg(canvas) { _ in
            EmbeddedPhoto(uri: "data:image/jpeg;base64," + Data(padded).base64EncodedString(), orientation: 6)
        }
        XCTAssertGreaterThan(svg.utf8.count, 10_000_000)
        let png = try Rasterizer.pixels(png: try Rasterizer.png(svg: svg, width: 64, height: 64))
        XCTAssertGreaterThan(png.pixels.filter { ($0 >> 16) & 0xff > 200 && $0 & 0xff < 80 }.count, 1000)
    }

    // MARK: Escaping and long text

    func testUserTextIsEscapedInHTMLAndSVG() throws {
        let tree = TempTree()
        let nasty = "<script>alert(\"x\")</script> & 'q'"
        smallSite(tree, title: "'\(nasty.replacingOccurrences(of: "'", with: "''"))'")
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let slides = Slides.build(r.input, words: testWords)
        let report = try XCTUnwrap(slides.first { $0.title == nasty })
        let canvas = Design.canvas(report, frame: Design.Frame(width: 1920, height: 1080, example: false, words: testWords))
        let html = Page.html(canvas, title: report.title, refresh: (8, "01.html"), language: "zh-CN")
        let svg = SVGWriter.svg(canvas, photoData: { _ in nil as EmbeddedPhoto? })
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"
        XCTAssertTrue(html.contains("<title>\(escaped)</title>"))
        for out in [html, svg] {
            XCTAssertFalse(out.contains("<script"))
            XCTAssertFalse(out.contains("\"x\""))
            // The title may be broken into lines: join the text of the elements.
            let regex = try NSRegularExpression(pattern: ">([^<]*)</(div|text)>")
            let ns = out as NSString
            let joined = regex.matches(in: out, range: NSRange(location: 0, length: ns.length))
                .map { ns.substring(with: $0.range(at: 1)) }.joined()
            XCTAssertTrue(joined.contains(escaped), joined)
        }
        XCTAssertNoThrow(try Rasterizer.png(svg: svg, width: 1920, height: 1080), "librsvg reads the escaped SVG")
        for (path, bytes) in r.sink.files where path.hasSuffix(".html") {
            XCTAssertFalse(String(decoding: bytes, as: UTF8.self).contains("<script"), path)
        }
        let json = try JSONSerialization.jsonObject(with: Data(r.bytes("led/playlist.json"))) as? [String: Any]
        let titles = (json?["slides"] as? [[String: Any]])?.compactMap { $0["title"] as? String } ?? []
        XCTAssertTrue(titles.contains(nasty))
    }

    func testLongTextShrinksOrIsCutWithAnEllipsisAndNeverLeavesTheSlide() throws {
        let long = String(repeating: "全国科普日主场活动暨科技创新成果展示", count: 12) + " VeryLongLatinWordWithoutSpaces1234567890"
        let slides = [
            Slide(title: long, seconds: 5, section: long, content: .title(unit: long, project: long, year: 2023, siteTitle: long)),
            Slide(title: long, seconds: 5, section: long, content: .report(ReportCard(title: long, kind: long, date: "2023年9月16日", venue: long, people: "服务群众 1.05万人次", photo: nil))),
            Slide(title: long, seconds: 5, section: long, content: .announcement(title: long, paragraphs: [long, long, long, long])),
            Slide(title: long, seconds: 5, section: long, content: .figure(Figure(kind: .spend, label: long, value: "¥123,456,789,012.00", detail: long, target: long, status: .behind, statusText: long, fraction: 0.5, line: long))),
        ]
        for (w, h) in [(256, 128), (768, 384), (960, 576), (1280, 704), (1920, 1080), (3840, 2160), (400, 600), (3840, 360)] {
            for slide in slides {
                let c = Design.canvas(slide, frame: Design.Frame(width: w, height: h, example: true, words: testWords))
                var cut = false
                for case let .text(t) in c.elements {
                    XCTAssertGreaterThanOrEqual(t.x, 0)
                    XCTAssertGreaterThanOrEqual(t.y, -0.01)
                    XCTAssertLessThanOrEqual(t.x + t.width, Double(w) + 0.01, "\(w)x\(h)")
                    XCTAssertLessThanOrEqual(t.y + t.lineHeight, Double(h) + 0.01, "\(w)x\(h): \(t.text)")
                    XCTAssertLessThanOrEqual(TextMetrics.width(t.text, size: t.size, bold: t.bold), t.width + 0.01, "\(w)x\(h): \(t.text)")
                    if t.text.hasSuffix("…") { cut = true }
                }
                // (A 3840-px wide strip has room for all of it at the smallest legible size.)
                if w != 3840 || h != 360 { XCTAssertTrue(cut, "\(w)x\(h): text this long is cut with an ellipsis") }
            }
        }
    }

    func testASiteWithoutProjectsStillLoopsItsTitleAndAnnouncements() throws {
        let tree = TempTree()
        tree.file("content/site.yaml", "title: 新站点\nunit: 某某科协\nled: {width: 640, height: 320}\n")
        tree.file("content/led/hello.md", "---\ntitle: 欢迎\n---\n\n你好\n")
        let r = try renderLED(content: tree.content, now: "2024-01-01", cache: tree.cache)
        XCTAssertEqual(r.count, 2)
        XCTAssertTrue(r.text("led/01.html").contains("某某科协"))
        XCTAssertEqual(refreshTarget(r.text("led/02.html"))?.url, "01.html")
        XCTAssertEqual(r.text("led/strip.txt"), "某某科协 新站点\r\n")
        XCTAssertFalse(r.text("led/01.html").contains("示例数据"), "the mark only on example sites")
    }

    // MARK: Strip

    func testStripInGB18030DecodesBackToTheSameText() throws {
        let tree = TempTree()
        smallSite(tree)
        let r = try renderLED(content: tree.content, now: "2023-09-20", cache: tree.cache)
        let utf8 = r.text("led/strip.txt")
        let gb = r.bytes("led/strip.gb18030.txt")
        XCTAssertEqual(try Transcode.fromGB18030(gb), utf8)
        // 测 = B2 E2, 试 = CA D4 in GB2312/GBK/GB18030; ASCII stays one byte.
        XCTAssertEqual(Array(gb.prefix(4)), [0xB2, 0xE2, 0xCA, 0xD4])
        XCTAssertEqual(Array(gb.suffix(2)), [0x0D, 0x0A])
        XCTAssertNotEqual(gb, Array(utf8.utf8))
        XCTAssertEqual(try Transcode.gb18030("¥"), [0x81, 0x30, 0x84, 0x36], "four-byte GB18030 for what GBK lacks")

        let strip = r.text("led/strip.html")
        XCTAssertTrue(strip.contains("width:256px;height:32px"))
        XCTAssertTrue(strip.contains("@keyframes kepu-strip"))
        XCTAssertFalse(strip.lowercased().contains("<script"))
    }
}

let sidewaysJPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAAIABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD4vr5Door+qP2Zf/NV/wDcj/7uH9qftDP+aZ/7nf8A3UP/2Q=="
