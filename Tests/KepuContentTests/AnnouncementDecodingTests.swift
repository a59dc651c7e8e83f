import KepuCore
@testable import KepuContent
import XCTest

final class AnnouncementDecodingTests: SiteTestCase {
    func testEveryAnnouncementField() throws {
        let site = makeSite()
        site.write("led/b-notice.md", "---\ntitle: 科普日通知\nseconds: 20\norder: 2\nfrom: 2023-09-01\nuntil: 2023-9-16\n---\n9月16日**科普日**活动。\n")
        site.write("led/a-plain.md", "---\ntitle: 防诈骗\n---\n")
        site.write("led/c-first.md", "---\ntitle: 首条\norder: 1\n---\n")
        let result = site.load()
        XCTAssertEqual(result.printed, [])
        let list = try XCTUnwrap(result.content?.announcements)
        XCTAssertEqual(list.map(\.slug), ["a-plain", "c-first", "b-notice"])  // by order, then slug
        let a = list[2]
        XCTAssertEqual(a.path, "content/led/b-notice.md")
        XCTAssertEqual(a.title, "科普日通知")
        XCTAssertEqual(a.seconds, 20)
        XCTAssertEqual(a.order, 2)
        XCTAssertEqual(a.from, Day(year: 2023, month: 9, day: 1))
        XCTAssertEqual(a.until, Day(year: 2023, month: 9, day: 16))
        XCTAssertEqual(a.body.html, "<p>9月16日<strong>科普日</strong>活动。</p>\n")
        XCTAssertTrue(a.isShown(on: Day(year: 2023, month: 9, day: 1)!))
        XCTAssertTrue(a.isShown(on: Day(year: 2023, month: 9, day: 16)!))
        XCTAssertFalse(a.isShown(on: Day(year: 2023, month: 8, day: 31)!))
        XCTAssertFalse(a.isShown(on: Day(year: 2023, month: 9, day: 17)!))
        let plain = list[0]
        XCTAssertNil(plain.seconds)  // the site's seconds apply
        XCTAssertEqual(plain.order, 0)
        XCTAssertNil(plain.from)
        XCTAssertNil(plain.until)
        XCTAssertTrue(plain.isShown(on: Day(year: 1999, month: 1, day: 1)!))
    }

    func testUntilBeforeFrom() {
        let site = makeSite()
        site.write("led/x.md", "---\ntitle: 通知\nfrom: 2023-09-16\nuntil: 2023-09-01\nsecond: 5\n---\n")
        XCTAssertEqual(site.load().printed, [
            "content/led/x.md:4:8: 错误: 开始日期 2023-09-16 晚于结束日期 2023-09-01\n    from 应不晚于 until。",
            "content/led/x.md:5:1: 警告: 不认识的字段 second，已忽略\n    是不是想写 seconds？",
        ])
    }
}
