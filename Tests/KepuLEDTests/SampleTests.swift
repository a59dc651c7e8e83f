import Foundation
import KepuContent
import KepuCore
import KepuLedger
import XCTest
@testable import KepuLED

final class SampleTests: XCTestCase {
    /// Renders the sample site at the sizes the browser check looks at, into
    /// $KEPU_LED_OUT (default /tmp/kepu-led-sample)/<width>x<height>/led.
    func testSampleVariantsForBrowserCheck() throws {
        let out = ProcessInfo.processInfo.environment["KEPU_LED_OUT"] ?? NSTemporaryDirectory() + "kepu-led-sample"
        let cache = out + "/cache"
        for (w, h) in [(1920, 1080), (768, 384), (256, 128), (960, 576), (1280, 704), (3840, 2160), (512, 512), (3840, 540)] {
            let folder = out + "/\(w)x\(h)"
            try? FileManager.default.removeItem(atPath: folder)
            let start = Date()
            let r = try renderLED(content: sampleContent, now: "2023-09-20", cache: cache) { c in
                c.site.led.width = w
                c.site.led.height = h
            }
            // The sample's own text is short enough to show whole at every size.
            for slide in Slides.build(r.input, words: testWords) {
                for case let .text(t) in Design.canvas(slide, frame: Design.Frame(width: w, height: h, example: true, words: testWords)).elements {
                    XCTAssertFalse(t.text.hasSuffix("…"), "\(w)x\(h) \(slide.title): \(t.text)")
                }
            }
            let sink = FolderSink(root: folder)
            for (path, bytes) in r.sink.files { try sink.write(path, bytes) }
            print("\(w)x\(h): \(r.count) slides in \(Int(Date().timeIntervalSince(start) * 1000)) ms")
        }
    }

    /// How long librsvg takes per slide, and a build of the sample without and with the PNG cache.
    func testDrawingTimes() throws {
        let tree = TempTree()
        let cold = Date()
        let r = try renderLED(content: sampleContent, now: "2023-09-20", cache: tree.cache)
        let coldMS = Int(Date().timeIntervalSince(cold) * 1000)
        let warm = Date()
        let again = try renderLED(content: sampleContent, now: "2023-09-20", cache: tree.cache)
        let warmMS = Int(Date().timeIntervalSince(warm) * 1000)
        XCTAssertEqual(again.sink.files, r.sink.files)
        let slides = Slides.build(r.input, words: testWords)
        for (w, h) in [(1920, 1080), (1280, 160), (3840, 2160)] {
            let svg = SVGWriter.svg(Design.canvas(slides[2], frame: Design.Frame(width: w, height: h, example: true, words: testWords)), photoData: { _ in nil })
            let start = Date()
            for _ in 0..<3 { _ = try Rasterizer.png(svg: svg, width: w, height: h) }
            print("librsvg draws a \(w)x\(h) figure slide in \(Int(Date().timeIntervalSince(start) * 1000 / 3)) ms")
        }
        print("sample, \(r.count) slides at 1920x1080: \(coldMS) ms without cache, \(warmMS) ms with it")
    }
}
