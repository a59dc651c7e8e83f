import KepuContent
import KepuCore
import XCTest

/// led: module/modules/colors in site.yaml, and an announcement's days/hours/urgent.
final class LEDSettingsTests: SiteTestCase {
    func testModulesGiveThePanelsPixelsAndColoursAreRead() throws {
        let site = makeSite(siteYAML: TestSite.siteYAML + "led: {module: P10, modules: [11, 5], colors: dual}\n")
        let led = try XCTUnwrap(site.load().content?.site.led)
        XCTAssertEqual([led.width, led.height], [352, 80], "11×5 P10 modules of 32×16")
        XCTAssertEqual(led.colors, .dual)
    }

    func testBadLEDSettingsAreErrorsAtTheirPositions() {
        func printed(_ led: String) -> [String] {
            makeSite(siteYAML: TestSite.siteYAML + led).load().printed.filter { $0.contains("site.yaml") }
        }
        let unknown = printed("led: {module: p7, modules: [2, 2]}\n")
        XCTAssertEqual(unknown.count, 1, "\(unknown)")
        XCTAssertTrue(unknown[0].contains("site.yaml:3:15: 错误: 不认识的单元板型号“p7”"), unknown[0])
        let counts = printed("led:\n  module: p10\n  modules: [11, x]\n")
        XCTAssertEqual(counts.count, 1, "\(counts)")
        XCTAssertTrue(counts[0].contains("site.yaml:5:12: 错误: led.modules 应是两个整数"), counts[0])
        let conflict = printed("led: {width: 320, module: p10, modules: [11, 5]}\n")
        XCTAssertTrue(conflict.first?.contains("（320×1080）与单元板算出的尺寸（352×80）不一致") == true, "\(conflict)")
        let colors = printed("led: {colors: 三色}\n")
        XCTAssertTrue(colors.first?.contains("site.yaml:3:15: 错误: 大屏设置的颜色 不能是“三色”") == true, "\(colors)")
    }

    func testScheduleKeysAreReadAndBadValuesAreErrorsAtTheirPositions() throws {
        let site = makeSite()
        site.write("led/a.md", "---\ntitle: 通知\ndays: [一, 星期三, 日]\nhours: \"8:30-17:30\"\nurgent: true\n---\n\n正文\n")
        let a = try XCTUnwrap(site.load().content?.announcements.first)
        XCTAssertEqual(a.days, [1, 3, 7])
        XCTAssertEqual(a.hours, DailyHours(start: 510, end: 1050))
        XCTAssertTrue(a.urgent)
        // 2023-09-20 was a Wednesday, 09-21 a Thursday.
        XCTAssertTrue(a.isShown(on: try Day.parse("2023-09-20")))
        XCTAssertFalse(a.isShown(on: try Day.parse("2023-09-21")))

        let bad = makeSite()
        bad.write("led/b.md", "---\ntitle: 通知\ndays: [一, 八]\nhours: \"17:30-08:30\"\nurgent: 马上\n---\n\n正文\n")
        let printed = bad.load().printed.filter { $0.contains("led/b.md") }
        XCTAssertEqual(printed.count, 3, "\(printed)")
        XCTAssertTrue(printed[0].contains("led/b.md:3:11: 错误: days 中的“八”不是星期几"), printed[0])
        XCTAssertTrue(printed[1].contains("led/b.md:4:8: 错误: hours 应是“开始-结束”的时刻，这里写的是“17:30-08:30”"), printed[1])
        XCTAssertTrue(printed[2].contains("led/b.md:5:9: 错误: urgent 只能是 true 或 false"), printed[2])
    }
}
