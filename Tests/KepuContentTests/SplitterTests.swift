import KepuCore
@testable import KepuContent
import XCTest

/// The splitter and the YAML conversion on their own: line numbers of the parts, positions of values.
final class SplitterTests: XCTestCase {
    private func split(_ bytes: [UInt8]) -> SourceDocument? {
        switch SourceSplitter.split(bytes, path: "content/reports/a.md") {
        case let .success(doc): return doc
        case let .failure(d):
            XCTFail(d.formatted(.zhCN))
            return nil
        }
    }

    private func failure(_ bytes: [UInt8]) -> String? {
        switch SourceSplitter.split(bytes, path: "content/reports/a.md") {
        case .success: XCTFail("accepted"); return nil
        case let .failure(d): return "\(d.line):\(d.column) \(d.problem)"
        }
    }

    func testPartsAndTheirLines() throws {
        let doc = try XCTUnwrap(split(Array("---\ntitle: 甲\ndate: 2023-05-20\n---\n\n正文\n".utf8)))
        XCTAssertEqual(doc.path, "content/reports/a.md")
        XCTAssertEqual(doc.frontMatter, "title: 甲\ndate: 2023-05-20\n")
        XCTAssertEqual(doc.frontMatterLine, 2)
        XCTAssertEqual(doc.body, "\n正文\n")
        XCTAssertEqual(doc.bodyLine, 5)
    }

    func testBOMAndCRLFAreRemovedAndLinesKept() throws {
        let doc = try XCTUnwrap(split([0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: 甲\r\n---\r\n正文\r\n第二行\r\n".utf8)))
        XCTAssertEqual(doc.frontMatter, "title: 甲\n")
        XCTAssertEqual(doc.body, "正文\n第二行\n")
        XCTAssertEqual(doc.bodyLine, 4)
        XCTAssertFalse(doc.frontMatter.unicodeScalars.contains("\u{FEFF}"))
    }

    func testEmptyFrontMatterAndNoBody() throws {
        let doc = try XCTUnwrap(split(Array("---\n---".utf8)))
        XCTAssertEqual(doc.frontMatter, "")
        XCTAssertEqual(doc.body, "")
        XCTAssertEqual(doc.bodyLine, 3)
    }

    func testFailures() {
        XCTAssertEqual(failure([]), "1:1 emptyFile")
        XCTAssertEqual(failure(Array("x\n---\n".utf8)), "1:1 missingFrontMatter")
        XCTAssertEqual(failure(Array("---\nx: 1\n".utf8)), "1:1 unterminatedFrontMatter")
        XCTAssertEqual(failure([0xFE, 0xFF, 0, 0x2D]), "1:1 utf16")
        // CRLF before the bad byte: the CR is not a column.
        XCTAssertEqual(failure(Array("---\r\nx: 1\r\ny: 科".utf8) + [0xC6, 0xD5]), "3:5 notUTF8")
        // Overlong encodings, surrogates and truncated sequences are not UTF-8 either.
        XCTAssertEqual(failure(Array("---\nx: ".utf8) + [0xC0, 0xAF]), "2:4 notUTF8")
        XCTAssertEqual(failure(Array("---\nx: ".utf8) + [0xED, 0xA0, 0x80]), "2:4 notUTF8")
        XCTAssertEqual(failure(Array("---\nx: ab".utf8) + [0xE4, 0xB8]), "2:6 notUTF8")
        XCTAssertEqual(failure(Array("---\nx: ".utf8) + [0xF4, 0x90, 0x80, 0x80]), "2:4 notUTF8")
    }

    func testFourByteCharactersAreOneColumn() throws {
        XCTAssertEqual(failure(Array("---\nx: 😀𠀀".utf8) + [0xFF]), "2:6 notUTF8")
    }

    func testYAMLValuesKeepTextAndPositions() throws {
        let doc = try XCTUnwrap(split(Array("---\ntitle: 1.50\nspend:\n  - {item: 展板, amount: \"1,800.50\"}\ntags: [a, b]\n---\n".utf8)))
        guard case let .success(value) = FrontMatterParser.parse(doc), case let .map(pairs, p) = value else {
            return XCTFail("not a map")
        }
        XCTAssertEqual(p, Position(line: 2, column: 1))
        XCTAssertEqual(pairs.map(\.key), ["title", "spend", "tags"])
        XCTAssertEqual(pairs.map(\.keyPosition), [Position(line: 2, column: 1), Position(line: 3, column: 1), Position(line: 5, column: 1)])
        guard case let .scalar(title, quoted, tp) = pairs[0].value else { return XCTFail("title") }
        XCTAssertEqual(title, "1.50")
        XCTAssertFalse(quoted)
        XCTAssertEqual(tp, Position(line: 2, column: 8))
        guard case let .list(items, lp) = pairs[1].value, case let .map(item, ip) = items.first else { return XCTFail("spend") }
        XCTAssertEqual(lp, Position(line: 4, column: 3))
        XCTAssertEqual(ip, Position(line: 4, column: 5))
        guard case let .scalar(amount, amountQuoted, ap) = item[1].value else { return XCTFail("amount") }
        XCTAssertEqual(amount, "1,800.50")
        XCTAssertTrue(amountQuoted)
        XCTAssertEqual(ap, Position(line: 4, column: 24))
        guard case let .list(tags, _) = pairs[2].value else { return XCTFail("tags") }
        XCTAssertEqual(tags.map(\.position), [Position(line: 5, column: 8), Position(line: 5, column: 11)])
    }

    func testNullsAreNotGiven() throws {
        let doc = try XCTUnwrap(split(Array("---\na:\nb: ~\nc: null\nd: \"\"\n---\n".utf8)))
        guard case let .success(.map(pairs, _)) = FrontMatterParser.parse(doc) else { return XCTFail("not a map") }
        XCTAssertEqual(pairs.map(\.value.isNull), [true, true, true, false])
    }

    /// YAML's null spellings, and only those: a value of the same length in other letters, in Chinese or quoted
    /// is given.
    func testOnlyYAMLsNullSpellingsAreNull() {
        let p = Position(line: 1, column: 1)
        for text in ["", "~", "null", "Null", "NULL"] {
            XCTAssertTrue(YAMLValue.scalar(text, quoted: false, p).isNull, text)
            XCTAssertFalse(YAMLValue.scalar(text, quoted: true, p).isNull, "quoted " + text)
        }
        for text in ["nul", "nulls", "nULL", "none", "~~", "-", "空", "科普日", "ｎｕｌｌ", "null ", " ~", "0", "false"] {
            XCTAssertFalse(YAMLValue.scalar(text, quoted: false, p).isNull, text)
        }
    }
}
