import KepuCore
@testable import KepuContent
import XCTest

final class SiteDecodingTests: SiteTestCase {
    func testDefaultsApplied() throws {
        let site = makeSite()
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let s = try XCTUnwrap(result.content?.site)
        XCTAssertEqual(s.title, "测试站点")
        XCTAssertEqual(s.unit, "测试区科协")
        XCTAssertEqual(s.languageTag, "zh-CN")
        XCTAssertEqual(s.language, .zhCN)
        XCTAssertEqual(result.language, .zhCN)
        XCTAssertEqual(s.baseURL, "/")
        XCTAssertNil(s.description)
        XCTAssertFalse(s.example)
        XCTAssertFalse(s.allowHTML)
        XCTAssertEqual(s.scoring, ScoringWeights(execution: Exact(10), output: Exact(50), effect: Exact(30), satisfaction: Exact(10)))
        XCTAssertEqual(s.led, LEDConfig(width: 1920, height: 1080, seconds: 10, strip: nil))
        XCTAssertNil(s.period)
    }

    func testEveryField() throws {
        let site = makeSite(siteYAML: """
            title: "呈贡区科协: 科普经费公开"
            unit: 昆明市呈贡区科学技术协会
            language: en
            base_url: https://kx.example.gov.cn/kepu
            description: 科普经费使用情况
            example: true
            html: true
            scoring:
              execution: 20
              output: 40.5
              effect: 29.5
              satisfaction: 10
            led:
              width: 3840
              height: 2160
              seconds: 15
              strip:
                width: 1280
                height: 160
            period:
              from: 2023
              to: 2025
              goal: 三年目标
            """)
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let s = try XCTUnwrap(result.content?.site)
        XCTAssertEqual(s.title, "呈贡区科协: 科普经费公开")
        XCTAssertEqual(s.unit, "昆明市呈贡区科学技术协会")
        XCTAssertEqual(s.languageTag, "en")
        XCTAssertEqual(s.language, .en)
        XCTAssertEqual(result.language, .en)
        XCTAssertEqual(s.baseURL, "https://kx.example.gov.cn/kepu/")
        XCTAssertEqual(s.description, "科普经费使用情况")
        XCTAssertTrue(s.example)
        XCTAssertTrue(s.allowHTML)
        XCTAssertEqual(s.scoring, ScoringWeights(execution: Exact(20), output: Exact(units: 405, scale: 1),
                                                 effect: Exact(units: 295, scale: 1), satisfaction: Exact(10)))
        XCTAssertEqual(s.led, LEDConfig(width: 3840, height: 2160, seconds: 15, strip: StripConfig(width: 1280, height: 160)))
        XCTAssertEqual(s.period, Period(from: 2023, to: 2025, goal: "三年目标"))
    }

    func testPartialScoringKeepsOtherDefaults() throws {
        let site = makeSite(siteYAML: TestSite.siteYAML + "scoring:\n  execution: 20\n  output: 40\nled:\n  seconds: 8\n")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let s = try XCTUnwrap(result.content?.site)
        XCTAssertEqual(s.scoring, ScoringWeights(execution: Exact(20), output: Exact(40), effect: Exact(30), satisfaction: Exact(10)))
        XCTAssertEqual(s.led, LEDConfig(width: 1920, height: 1080, seconds: 8, strip: nil))
    }

    func testSiteErrors() {
        let site = makeSite(siteYAML: "title: 站点\nexample: 是的\nscoring:\n  execution: 0\n  output: 0\n  effect: 0\n  satisfaction: 0\n")
        XCTAssertEqual(site.load().printed, [
            "content/site.yaml:1:1: 错误: 缺少必填字段 unit\n    在前置信息中加一行 unit: …",
            "content/site.yaml:2:10: 错误: example 只能是 true 或 false，这里写的是“是的”\n    是写 true，否写 false。",
            "content/site.yaml:4:3: 错误: scoring 的各项分值之和必须大于 0\n    默认为 execution: 10, output: 50, effect: 30, satisfaction: 10。",
        ])
    }

    func testMissingSiteFileAndMissingFolder() {
        let site = emptySite()
        XCTAssertEqual(site.load().printed, ["content/site.yaml:1:1: 错误: 缺少网站设置文件 site.yaml\n    在 content 文件夹中新建 site.yaml，至少写 title 和 unit。"])
        let missing = ContentLoader.load(contentDirectory: site.base + "/nowhere/content")
        XCTAssertEqual(missing.printed, ["content:1:1: 错误: 找不到内容文件夹 \(site.base)/nowhere/content\n    用 --content 指定内容文件夹，默认是当前目录下的 content。"])
        XCTAssertNil(missing.content)
    }
}
