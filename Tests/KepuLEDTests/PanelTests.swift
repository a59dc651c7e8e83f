import Foundation
import KepuContent
import KepuCore
import KepuLedger
import XCTest
@testable import KepuLED

/// The panels people own: P10 door-head signs, one- and two-colour boards, video players, font-chip cards.
final class PanelTests: XCTestCase {
    func render(_ tree: TempTree, width: Int, height: Int, colors: LEDColors = .full, now: String = "2023-09-20",
                renderer: LEDRenderer = LEDRenderer(), diagnostics: UnsafeMutablePointer<[Diagnostic]>? = nil) throws -> Rendered {
        try renderLED(content: tree.content, now: now, cache: tree.cache, renderer: renderer, diagnostics: diagnostics) { c in
            c.site.led.width = width
            c.site.led.height = height
            c.site.led.colors = colors
        }
    }

    func pages(_ r: Rendered) -> [String] { (1...r.count).map { r.text(String(format: "led/%02d.html", $0)) } }

    func testSmallPanelsShowWholeLinesAtNativeFontSizesAndCutNothing() throws {
        let tree = TempTree()
        smallSite(tree, announcements: ["---\ntitle: 停水通知\n---\n\n明天上午八点到十二点，幸福社区停水，请提前储水。\n"])
        for (w, h) in [(64, 32), (128, 32), (160, 64), (352, 80)] {
            let r = try render(tree, width: w, height: h)
            let slides = Slides.build(r.input, words: testWords)
            var shownText = ""
            let frame = Design.Frame(width: w, height: h, example: true, words: testWords)
            for slide in slides {
                for page in SmallDesign.pages(slide, frame: frame) {
                    XCTAssertTrue(page.crisp)
                    for case let .text(t) in page.elements {
                        XCTAssertTrue([16.0, 24.0, 32.0].contains(t.size), "\(w)x\(h): \(t.text) at \(t.size) px")
                        XCTAssertEqual(t.y, t.y.rounded(), "whole pixel rows")
                        XCTAssertGreaterThanOrEqual(t.y, 0)
                        XCTAssertLessThanOrEqual(t.y + t.lineHeight, Double(h), "\(w)x\(h): \(t.text) below the panel")
                        XCTAssertLessThanOrEqual(TextMetrics.width(t.text, size: t.size, bold: t.bold), Double(w), "\(w)x\(h): \(t.text) too wide")
                        XCTAssertFalse(t.text.contains("…"), "\(w)x\(h): \(t.text) was cut")
                        shownText += t.text
                    }
                }
            }
            // Everything the small design says is there, across its pages: the notice whole, the figures.
            for words in ["明天上午八点到十二点，幸福社区停水，请提前储水。", "服务群众", "开展科普活动", "示例数据"] {
                XCTAssertTrue(shownText.contains(words), "\(w)x\(h) lacks \(words)")
            }
            // Pages of a slide share its seconds, at least 3 s each; the playlist lists every page.
            let playlist = r.text("led/playlist.json")
            XCTAssertEqual(playlist.components(separatedBy: "\"html\"").count - 1, r.count)
            XCTAssertTrue(r.text("led/01.html").contains("text-rendering:optimizeSpeed"))
            let png = try Rasterizer.pixels(png: r.bytes("led/png/01.png"))
            XCTAssertEqual(png.width, w)
            XCTAssertEqual(png.height, h)
        }
        // 64×32 holds two 16 px lines a page; 352×80 (11×5 P10 modules) five.
        let tiny = try render(tree, width: 64, height: 32)
        let wide = try render(tree, width: 352, height: 80)
        XCTAssertGreaterThan(tiny.count, wide.count)
        for page in pages(tiny) { XCTAssertLessThanOrEqual(page.components(separatedBy: "class=\"t").count - 1, 2) }
    }

    func testOneAndTwoColourPanelsUseExactlyTheirColours() throws {
        let tree = TempTree()
        smallSite(tree)
        for (w, h) in [(160, 64), (768, 384)] {
            var union: Set<UInt32> = []
            let single = try render(tree, width: w, height: h, colors: .single)
            for i in 1...single.count {
                union.formUnion(try Rasterizer.pixels(png: single.bytes(String(format: "led/png/%02d.png", i))).pixels)
            }
            XCTAssertEqual(union, [0x000000, 0xFF0000], "\(w)x\(h) single: red on black only")
            union = []
            let dual = try render(tree, width: w, height: h, colors: .dual)
            for i in 1...dual.count {
                union.formUnion(try Rasterizer.pixels(png: dual.bytes(String(format: "led/png/%02d.png", i))).pixels)
            }
            XCTAssertTrue(union.isSubset(of: [0x000000, 0xFF0000, 0x00FF00, 0xFFFF00]), "\(w)x\(h) dual: \(union.map { String($0, radix: 16) })")
            XCTAssertTrue(union.isSuperset(of: [0x000000, 0x00FF00, 0xFFFF00]), "labels green, figures yellow")
            XCTAssertTrue(dual.text("led/playlist.json").contains("\"colors\": \"dual\""))
            // Legible: a good share of lit pixels on every slide, not a few stray dots.
            let first = try Rasterizer.pixels(png: single.bytes("led/png/02.png")).pixels
            XCTAssertGreaterThan(first.filter { $0 == 0xFF0000 }.count, w * h / 50)
        }
    }

    func testAStripCharacterOutsideGB2312IsAWarningAtItsFieldAndNoGB2312File() throws {
        let tree = TempTree()
        smallSite(tree)
        var diagnostics: [Diagnostic] = []
        let clean = try render(tree, width: 320, height: 160, diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics, [])
        let gb = try Transcode.convert(clean.bytes("led/strip.gb2312.txt"), from: "GB2312", to: "UTF-8")
        XCTAssertEqual(String(decoding: gb, as: UTF8.self), clean.text("led/strip.txt"))

        // 喆 is in GBK/GB18030 but not in GB2312.
        tree.file("content/site.yaml", "title: 测试\nunit: 测试区喆科协\nled: {width: 320, height: 160}\n")
        let rare = try render(tree, width: 320, height: 160, diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertTrue(diagnostics.first?.formatted(.zhCN).contains("site.yaml:2:7: 警告: unit 中的“喆”不在 GB2312 字库里") == true,
                      diagnostics.first?.formatted(.zhCN) ?? "")
        XCTAssertEqual(diagnostics.first?.severity, .warning)
        XCTAssertEqual(diagnostics.first?.problem, .stripCharacterNotGB2312(field: "unit", character: "喆"))
        XCTAssertEqual(diagnostics.first?.line, 2)
        XCTAssertNil(rare.sink.files["led/strip.gb2312.txt"])
        XCTAssertNotNil(rare.sink.files["led/strip.gb18030.txt"])
        XCTAssertTrue(GB2312.contains("科") && GB2312.contains("A") && !GB2312.contains("喆") && !GB2312.contains("€"))
    }

    func testSchedulesReachThePlaylistAndAnUrgentNoticeIsTheOnlySlide() throws {
        let tree = TempTree()
        // 2023-09-20 is a Wednesday (三).
        smallSite(tree, announcements: [
            "---\ntitle: 工作日通知\ndays: [一, 二, 三, 四, 五]\nhours: \"08:30-17:30\"\n---\n\n上班时间播放。\n",
            "---\ntitle: 周末通知\ndays: [六, 日]\n---\n\n周末播放。\n",
        ])
        let r = try render(tree, width: 320, height: 160)
        let all = pages(r).joined()
        XCTAssertTrue(all.contains("工作日通知"))
        XCTAssertFalse(all.contains("周末通知"), "not shown on a Wednesday build")
        let page = try XCTUnwrap(pages(r).first { $0.contains("工作日通知") })
        XCTAssertTrue(page.contains("data-days=\"1,2,3,4,5\" data-hours=\"510-1050\""), page)
        XCTAssertTrue(page.contains("<script src=\"schedule.js\"></script>"))
        XCTAssertTrue(r.text("led/schedule.js").contains("location.replace"))
        XCTAssertTrue(r.text("led/playlist.json").contains("\"schedule\": {\"days\": [1, 2, 3, 4, 5], \"hours\": \"08:30-17:30\"}"))
        XCTAssertTrue(r.text("led/playlist.m3u").contains("#KEPU-SCHEDULE:{\"days\": [1, 2, 3, 4, 5], \"hours\": \"08:30-17:30\"}"))
        XCTAssertTrue(r.text("led/README.txt").contains("每周一、二、三、四、五，08:30-17:30"))
        // Slides without a window load no script: the loop needs none.
        XCTAssertFalse(r.text("led/01.html").contains("<script"))

        tree.file("content/led/z.md", "---\ntitle: 暴雨红色预警\nurgent: true\nuntil: 2023-09-21\n---\n\n请勿外出。\n")
        let urgent = try render(tree, width: 320, height: 160)
        XCTAssertEqual(urgent.count, 1)
        XCTAssertTrue(urgent.text("led/01.html").contains("暴雨红色预警"))
        XCTAssertTrue(urgent.text("led/playlist.json").contains("\"urgent\": true"))
        // After it ends, the loop is back.
        let after = try render(tree, width: 320, height: 160, now: "2023-09-22")
        XCTAssertGreaterThan(after.count, 3)
        XCTAssertFalse(pages(after).joined().contains("暴雨红色预警"))
    }

    func testLoopVideoIsH264OfThePanelSizePaddedToEvenAndDeterministic() throws {
        guard Video.ffmpeg() != nil else { throw XCTSkip("ffmpeg is not installed (scripts/setup --test installs it)") }
        let tree = TempTree()
        smallSite(tree)
        let a = try render(tree, width: 64, height: 31, renderer: LEDRenderer(video: .required))
        let mp4 = a.bytes("led/loop.mp4")
        XCTAssertGreaterThan(mp4.count, 1000)
        XCTAssertEqual(Array(mp4[4..<8]), Array("ftyp".utf8))
        let playlist = a.text("led/playlist.json")
        XCTAssertTrue(playlist.contains("\"width\": 64, \"height\": 32, \"padding\": {\"right\": 0, \"bottom\": 1}"), playlist)
        XCTAssertTrue(a.text("led/README.txt").contains("下边各加了 1 像素黑边"))
        // A second encode in a fresh cache gives the same bytes.
        let other = TempTree()
        smallSite(other)
        let b = try render(other, width: 64, height: 31, renderer: LEDRenderer(video: .required))
        XCTAssertEqual(b.bytes("led/loop.mp4"), mp4, "ffmpeg with -threads 1 and -bitexact is deterministic")

        // ffprobe: codec, pixel format, size and the sum of the seconds.
        let file = tree.root + "/loop.mp4"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(mp4)))
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,pix_fmt,width,height:format=duration",
                           "-of", "default=noprint_wrappers=1", file]
        let out = Pipe()
        probe.standardOutput = out
        try probe.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        probe.waitUntilExit()
        let total = playlist.components(separatedBy: "\"seconds\": ").dropFirst(2).compactMap { Int($0.prefix { $0.isNumber }) }.reduce(0, +)
        XCTAssertTrue(text.contains("codec_name=h264") && text.contains("pix_fmt=yuv420p"), text)
        XCTAssertTrue(text.contains("width=64") && text.contains("height=32"), text)
        XCTAssertTrue(text.contains("duration=\(total).000000"), "\(text) vs \(total) s")
    }

    func testAskingForTheVideoWithoutFFmpegIsAChineseError() throws {
        let tree = TempTree()
        smallSite(tree)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        setenv("PATH", "/nonexistent", 1)
        defer { setenv("PATH", path, 1) }
        XCTAssertThrowsError(try render(tree, width: 64, height: 32, renderer: LEDRenderer(video: .required))) { error in
            XCTAssertEqual((error as? Diagnostic)?.problem, .ledVideoNoFFmpeg)
            XCTAssertTrue((error as? Diagnostic)?.formatted(.zhCN).contains("没有安装 ffmpeg") == true)
        }
        // Not asked for: the build goes on without it.
        let r = try render(tree, width: 64, height: 32, renderer: LEDRenderer(video: .auto))
        XCTAssertNil(r.sink.files["led/loop.mp4"])
        XCTAssertTrue(r.text("led/README.txt").contains("没有安装 ffmpeg"))
    }
}
