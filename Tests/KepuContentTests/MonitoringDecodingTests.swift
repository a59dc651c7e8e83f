import KepuCore
@testable import KepuContent
import XCTest

final class MonitoringDecodingTests: SiteTestCase {
    static let head = """
        ---
        name: 项目
        unit: 科协
        year: 2023
        budget: 2万元
        targets:
          - {name: 活动次数, level1: 产出指标, level2: 数量指标, metric: activities, op: ">=", value: 10, unit: 次}
          - {name: 满意度, level1: 满意度指标, level2: 服务对象满意度指标, metric: satisfaction, op: ">=", value: 90, unit: "%"}

        """

    func testMonitoringEntriesByTargetName() throws {
        let site = makeSite()
        site.write("projects/p2023.md", Self.head + """
            monitoring:
              as_of: 2023-07-31
              targets:
                - {target: 满意度, forecast: 不低于90%, cause: 人员保障, likelihood: 有可能, measure: 增加问卷, remark: 备注}
            ---

            """)
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let m = try XCTUnwrap(result.content?.projects.first?.monitoring)
        XCTAssertEqual(m.asOf, Day(year: 2023, month: 7, day: 31))
        XCTAssertEqual(m.entries, [1: MonitoringEntry(forecast: "不低于90%", cause: .staff, likelihood: .possible,
                                                      measure: "增加问卷", remark: "备注")])
    }

    func testBadMonitoringEntriesAreErrorsAtTheirLine() {
        let site = makeSite()
        site.write("projects/p2023.md", Self.head + """
            monitoring:
              as_of: 2022-06-30
              targets:
                - {target: 活动数, forecast: 12次}
                - {target: 活动次数, likelihood: 很可能}
                - {target: 满意度, cause: 天气}
                - {target: 满意度}
            ---

            """)
        XCTAssertEqual(site.load().printed, [
            "content/projects/p2023.md:10:10: 错误: 监控截止日期 2022-06-30 不在项目年度 2023 年内\n    请写本年度内的日期，例如 2023-06-30。",
            "content/projects/p2023.md:12:16: 错误: 监控表中的“活动数”不是本项目绩效目标表中的指标\n    target 须与 targets 中某一行的 name 完全一致，可选：活动次数；满意度。",
            "content/projects/p2023.md:13:34: 错误: 完成目标可能性“很可能”不在监控表规定的选项中\n    只能写：确定能、有可能、完全不可能。",
            "content/projects/p2023.md:14:28: 错误: 偏差原因“天气”不在监控表规定的选项中\n    只能写：经费保障、制度保障、人员保障、硬件条件保障、其他；具体情况写在 remark 中。",
            "content/projects/p2023.md:15:16: 错误: 监控表中指标“满意度”写了两次\n    每个指标只写一项，请合并。",
        ])
    }
}
