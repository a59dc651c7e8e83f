import Foundation
@testable import KepuContent
import KepuCore
import KepuTestSupport
import XCTest

/// FastYAML must give exactly what Yams gives wherever it answers at all.
final class FastYAMLTests: XCTestCase {
    /// Structure, text, quoting and positions; an empty scalar's position is libyaml's own affair.
    func assertSame(_ a: YAMLValue, _ b: YAMLValue, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        switch (a, b) {
        case let (.scalar(t1, q1, p1), .scalar(t2, q2, p2)):
            XCTAssertEqual(t1, t2, context, file: file, line: line)
            XCTAssertEqual(q1, q2, "\(context): quoted \(t1)", file: file, line: line)
            if !a.isNull { XCTAssertEqual(p1, p2, "\(context): position of \(t1)", file: file, line: line) }
        case let (.list(i1, p1), .list(i2, p2)):
            XCTAssertEqual(p1, p2, "\(context): list position", file: file, line: line)
            XCTAssertEqual(i1.count, i2.count, context, file: file, line: line)
            for (x, y) in zip(i1, i2) { assertSame(x, y, context, file: file, line: line) }
        case let (.map(m1, p1), .map(m2, p2)):
            XCTAssertEqual(p1, p2, "\(context): map position", file: file, line: line)
            XCTAssertEqual(m1.map(\.key), m2.map(\.key), context, file: file, line: line)
            for (x, y) in zip(m1, m2) {
                XCTAssertEqual(x.keyPosition, y.keyPosition, "\(context): key \(x.key)", file: file, line: line)
                assertSame(x.value, y.value, "\(context).\(x.key)", file: file, line: line)
            }
        default:
            XCTFail("\(context): \(a) vs \(b)", file: file, line: line)
        }
    }

    func compare(_ yaml: String, expectFast: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
        let doc = SourceDocument(path: "t.md", frontMatter: yaml, frontMatterLine: 2, body: "", bodyLine: 10)
        let fast = FastYAML.parse(yaml, lineOffset: 1)
        if expectFast { XCTAssertNotNil(fast, "fast path gave up on:\n\(yaml)", file: file, line: line) }
        guard let fast else { return }
        switch FrontMatterParser.parseWithYams(doc, offset: 1) {
        case let .success(slow): assertSame(fast, slow, "root", file: file, line: line)
        case let .failure(d): XCTFail("Yams failed where the fast path answered: \(d.formatted(.en))\n\(yaml)", file: file, line: line)
        }
    }

    func testAgreesWithYamsOnEveryFileOfTheSampleSite() throws {
        let root = repositoryRoot + "/content"
        let files = FileSystem.listFiles(under: root).filter { $0.hasSuffix(".md") }
        XCTAssertGreaterThan(files.count, 10)
        for f in files {
            guard case let .success(doc) = SourceSplitter.split(try FileSystem.readBytes(root + "/" + f), path: f) else { continue }
            compare(doc.frontMatter)
        }
        let site = try String(contentsOfFile: root + "/site.yaml", encoding: .utf8)
        compare(site)
    }

    func testAgreesWithYamsOnShapesStaffWrite() {
        compare("title: 科普日：主题活动\ndate: 2023-05-20\nkind: 科普日\n")
        compare("title: \"科普日: 主题\"\nvenue: '社区''活动''中心'\n")
        compare("spend:\n  - item: 展板\n    amount: \"1,800.50\"\n  - {item: 横幅, amount: 600}\n")
        compare("spend:\n- item: 展板\n  amount: 100\n")
        compare("tags: [科普, \"防灾, 减灾\", 反邪教]\nphotos: []\n")
        compare("satisfaction: {surveyed: 300, satisfied: 281}  # 问卷\n")
        compare("plan:\n  科技周: 1\n  科普日: 1\n")
        compare("schedule:\n  - {by: 2023-03-31, share: 25}\n  - by: 2023-06-30\n    share: 50\n")
        compare("# comment\ntitle: a # trailing\n\nempty:\ndraft: true\n")
        compare("targets:\n  -\n    name: x\n    level1: 产出指标\n")
        compare("title: -5\naudience: -3\n")
        compare("rule: {deduct: 3, per: 1, text: \"是否达到10次: 少一次扣3分\"}\n")
    }

    func testGivesUpOnWhatItDoesNotKnow() {
        for yaml in ["title: a: b\n", "title: |\n  多行\n", "a: &x 1\nb: *x\n", "title: 第一行\n  第二行\n",
                     "a: 1\na: 2\n", "\"quoted key\": 1\n", "tags: [a,\n  b]\n", "title: \"\\x41\"\n", "a: !tag x\n"] {
            XCTAssertNil(FastYAML.parse(yaml, lineOffset: 1), yaml)
        }
    }

    /// Keys are kept in a list up to 16, then hashed: a key given twice is found on both sides of that limit,
    /// and a long mapping is still read whole, in order.
    func testKeysGivenTwiceAtAnyLength() {
        for count in [2, 16, 17, 40] {
            let keys = (0..<count).map { "key\($0)" }
            let yaml = keys.map { "\($0): 1\n" }.joined()
            compare(yaml)
            XCTAssertNil(FastYAML.parse(yaml + "key\(count - 1): 2\n", lineOffset: 1), "\(count) keys, the last twice")
            XCTAssertNil(FastYAML.parse(yaml + "key0: 2\n", lineOffset: 1), "\(count) keys, the first twice")
            XCTAssertNil(FastYAML.parse("m: {" + keys.map { "\($0): 1" }.joined(separator: ", ") + ", key0: 2}\n", lineOffset: 1))
            var map = SmallKeyMap<Int>()
            for (i, k) in keys.enumerated() { XCTAssertTrue(map.addIfAbsent(k, i)) }
            XCTAssertFalse(map.addIfAbsent("key0", -1), "the first value stays")
            for (i, k) in keys.enumerated() { XCTAssertEqual(map[k], i, k) }
            XCTAssertNil(map["key\(count)"])
        }
    }

    func testAgreesWithYamsOnAGeneratedCorpus() throws {
        let script = repositoryRoot + "/../shared/bench/make_corpus.py"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: script))
        let out = NSTemporaryDirectory() + "kepu-fast-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "--reports", "200", "--seed", "3", "--out", out]
        try p.run()
        p.waitUntilExit()
        for f in FileSystem.listFiles(under: out + "/content").filter({ $0.hasSuffix(".md") }) {
            guard case let .success(doc) = SourceSplitter.split(try FileSystem.readBytes(out + "/content/" + f), path: f) else { continue }
            compare(doc.frontMatter)
        }
    }
}
