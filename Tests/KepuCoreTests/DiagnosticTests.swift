import XCTest
@testable import KepuCore

final class DiagnosticTests: XCTestCase {
    func testFormattedInChineseAndEnglish() {
        let d = Diagnostic(.error, path: "content/reports/a.md", line: 4, column: 11,
                           .impossibleDate(key: "date", found: "2023-02-30"))
        XCTAssertEqual(d.formatted(.zhCN),
                       "content/reports/a.md:4:11: 错误: date 的日期“2023-02-30”不存在\n    请核对月份和日期，例如二月没有 30 日。")
        XCTAssertEqual(d.formatted(.en),
                       "content/reports/a.md:4:11: error: date is not a day of the calendar: \"2023-02-30\"\n    check the month and the day")
        XCTAssertEqual(d.message(.zhCN), "date 的日期“2023-02-30”不存在")
        XCTAssertEqual(d.hint(.en), "check the month and the day")
    }

    func testWarningLabelAndMissingHint() {
        let w = Diagnostic(.warning, path: "content/site.yaml", line: 3, column: 1,
                           .unknownField(key: "titel", suggestion: "title"))
        XCTAssertEqual(w.formatted(.zhCN), "content/site.yaml:3:1: 警告: 不认识的字段 titel，已忽略\n    是不是想写 title？")
        XCTAssertEqual(w.formatted(.en), "content/site.yaml:3:1: warning: unknown field titel, ignored\n    did you mean title?")
        let noHint = Diagnostic(path: "content/reports/b.md", line: 2, column: 8, .expectedText(key: "title"))
        XCTAssertEqual(noHint.formatted(.en), "content/reports/b.md:2:8: error: title must be text")
        XCTAssertNil(noHint.hint(.en))
    }

    func testPositionsAreNeverZero() {
        let d = Diagnostic(path: "content/x.md", line: 0, column: -3, .emptyFile)
        XCTAssertEqual(d.line, 1)
        XCTAssertEqual(d.column, 1)
        XCTAssertTrue(d.formatted(.zhCN).hasPrefix("content/x.md:1:1: 错误: 文件是空的"))
    }

    func testSortedByPathThenLineThenColumnErrorsFirst() {
        func d(_ path: String, _ line: Int, _ column: Int, _ severity: Severity = .error) -> Diagnostic {
            Diagnostic(severity, path: path, line: line, column: column, .emptyFile)
        }
        let list = [d("content/reports/b.md", 2, 1), d("content/reports/a.md", 10, 1), d("content/reports/a.md", 9, 5),
                    d("content/reports/a.md", 9, 3, .warning), d("content/reports/a.md", 9, 3), d("content/projects/p.md", 30, 1),
                    d("content/reports/a.md", 2, 1)]
        let sorted = Diagnostic.sorted(list).map { "\($0.path):\($0.line):\($0.column):\($0.severity)" }
        XCTAssertEqual(sorted, [
            "content/projects/p.md:30:1:error",
            "content/reports/a.md:2:1:error",
            "content/reports/a.md:9:3:error",
            "content/reports/a.md:9:3:warning",
            "content/reports/a.md:9:5:error",
            "content/reports/a.md:10:1:error",
            "content/reports/b.md:2:1:error",
        ])
    }

    func testSinkCollects() {
        var sink = DiagnosticSink(path: "content/reports/a.md")
        XCTAssertFalse(sink.hasErrors)
        sink.warning(3, 1, .unknownField(key: "x", suggestion: nil))
        XCTAssertFalse(sink.hasErrors)
        sink.error(4, 2, .emptyText(key: "title"))
        XCTAssertTrue(sink.hasErrors)
        XCTAssertEqual(sink.items.map(\.path), ["content/reports/a.md", "content/reports/a.md"])
        XCTAssertEqual(sink.items.map(\.severity), [.warning, .error])
    }

    func testLanguageTags() {
        XCTAssertEqual(Language(tag: "zh-CN"), .zhCN)
        XCTAssertEqual(Language(tag: "en"), .en)
        XCTAssertEqual(Language(tag: "en-GB"), .en)
        XCTAssertEqual(Language(tag: "EN"), .en)
        XCTAssertEqual(Language(tag: "fr"), .zhCN)
    }

    func testEveryProblemHasTextInBothLanguages() {
        let problems: [Problem] = [
            .notUTF8, .utf16, .nulByte, .emptyFile, .unreadable(reason: "r"), .missingFrontMatter, .unterminatedFrontMatter,
            .frontMatterNotMapping, .yamlTab, .yamlUnquotedColon, .yamlSyntax(detail: "d"), .yamlDuplicateKey(key: "k"),
            .yamlAlias, .yamlTooDeep, .frontMatterTooLarge, .missingField(key: "k"), .unknownField(key: "k", suggestion: nil),
            .expectedText(key: "k"), .expectedList(key: "k"), .expectedMapping(key: "k"),
            .expectedWholeNumber(key: "k", found: "f"), .numberTooLarge(key: "k", found: "f"),
            .expectedNumber(key: "k", found: "f"), .expectedBool(key: "k", found: "f"), .invalidAmount(key: "k", found: "f"),
            .negativeAmount(key: "k", found: "f"), .amountTooManyDecimals(key: "k", found: "f"),
            .amountTooLarge(key: "k", found: "f"), .malformedDate(key: "k", found: "f"), .impossibleDate(key: "k", found: "f"),
            .invalidChoice(key: "k", found: "f", choices: ["a"]), .percentOutOfRange(key: "k", found: "f"),
            .emptyText(key: "k"), .kindNotListed(kind: "k", project: "p", kinds: ["a"]),
            .satisfiedExceedsSurveyed(satisfied: 2, surveyed: 1), .duplicateSlug(slug: "s", otherPath: "o"),
            .photoMissing(path: "p"), .photoOutsideContent(path: "p"), .unknownProject(id: "i", known: []),
            .noProjectForDate(date: "d"), .ambiguousProject(date: "d", ids: ["a", "b"]),
            .missingSiteFile, .missingContentFolder(path: "p"), .scoringWeightsInvalid,
            .dateOutsideWindow(from: "a", until: "b"), .outputNotKepu(path: "p"), .outputIsFile(path: "p"),
            .writeFailed(path: "p", reason: "r"), .theme(.syntax(.unfinishedTag)), .theme(.fileMissing), .theme(.noPageProvides("x")), .yamlFullWidthColon, .yamlMissingColon,
            .linkOutsideContent(path: "p"), .insideBundle(bundle: "b"), .photoUnusable(path: "p", fault: .undecodable(detail: "r")),
            .invalidBaseURL(found: "f"),
            .invalidWeekday(key: "k", found: "f"), .invalidHours(key: "k", found: "f"),
            .ledModuleUnknown(found: "f", known: ["p10"]), .ledModulesInvalid(found: "f"),
            .ledSizeConflict(width: 1, height: 2, moduleWidth: 3, moduleHeight: 4),
            .stripCharacterNotGB2312(field: "f", character: "c"), .ledVideoNoFFmpeg, .ledVideoFailed(reason: "r"),
            .misspelledField(key: "k", suggestion: "s"), .commaSplitNumber(key: "k", found: "1,2"),
            .fullWidthSpaceIndent, .negativeNumber(key: "k", found: "-1"), .bodyImageBroken(found: "![a](b c)"),
            .bodyImageNotListed(path: "p"), .reportUnwritten, .projectYearShared(year: 2023, others: ["o"]),
            .themeMissing(path: "p"),
        ]
        for p in problems {
            let zh = p.text(.zhCN).message
            let en = p.text(.en).message
            XCTAssertFalse(zh.isEmpty, "\(p)")
            XCTAssertFalse(en.isEmpty, "\(p)")
            XCTAssertNotEqual(zh, en, "\(p)")
            // Chinese messages contain Chinese; English ones do not, except quoted outcomes.
            XCTAssertTrue(zh.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(p): \(zh)")
        }
    }

    /// The commands' problems: every case speaks both languages, Chinese with Chinese words and English without.
    func testEveryCommandProblemHasBothLanguages() {
        let faults: [PhotoFault] = [.missing, .folder, .empty, .unreadable(detail: "d"), .undecodable(detail: "d"), .cacheFailed(detail: "d")]
        let problems: [CommandProblem] = [
            .missingContentFolder("p"), .writeFailed(path: "p", reason: "r"), .emptyTitle, .invalidSlug("s"),
            .unknownProject(id: "i", known: []), .unknownProject(id: "i", known: ["a", "b"]),
            .noProjectForDate(date: "2023-01-01", brokenProjects: ["b"]), .ambiguousProject(date: "d", ids: ["a", "b"]),
            .kindNotListed(kind: "k", project: "p", kinds: ["a"]), .reportExists(path: "p"), .slugTaken(slug: "s", path: "p"),
            .unreadableTemplate(path: "p"), .unknownProjectToCopy(id: "i", known: []), .unreadableProject(path: "p"),
            .sameYear(year: 2023), .invalidYear("y"), .invalidBudget("b"), .invalidID("i"), .projectExists(path: "p"),
            .badHost("h"), .cannotListen(host: "h", port: 1, reason: "r"), .temporaryFolder(reason: "r"),
            .watchFailed(reason: "r"),
        ] + faults.map { .photo(source: "p", fault: $0) }
        let han = { (text: String) in text.unicodeScalars.contains { $0.value >= 0x3000 && $0.value <= 0x9FFF || $0.value >= 0xFF00 && $0.value <= 0xFFEF } }
        for p in problems {
            let zh = p.message(.zhCN), en = p.message(.en)
            XCTAssertTrue(han(zh), "\(p): \(zh)")
            // (--budget's example 2万元 is what is typed, in any language.)
            if case .invalidBudget = p { continue }
            XCTAssertFalse(han(en), "\(p): \(en)")
        }
        let desk: [DeskProblem] = [.invalidName("n"), .exists("n"), .unknown("n"), .weakPassword, .insideContent("p"),
                                   .unreadable("r"), .notAnImage("a.txt"), .tooLarge("a.jpg", limit: 20 << 20),
                                   .writeFailed("r"), .undecodable("a.heic", reason: "r")]
        for p in desk {
            XCTAssertTrue(han(p.message(.zhCN)), "\(p)")
            if case .invalidName = p { continue }  // names the Chinese characters a name may hold
            XCTAssertFalse(han(p.message(.en)), "\(p): \(p.message(.en))")
        }
        XCTAssertTrue(DeskProblem.tooLarge("a.jpg", limit: 20 << 20).message(.zhCN).contains("20 MB"))
        // The project list's empty case reads as words, not an empty list.
        XCTAssertTrue(CommandProblem.unknownProject(id: "i", known: []).message(.zhCN).hasSuffix("（还没有项目）"))
    }

    func testKindWithStraySpacesIsNamedAsSuch() {
        let p = Problem.kindNotListed(kind: "科普日 ", project: "kepu-2023", kinds: ["科普日", "科技周"])
        XCTAssertEqual(p.text(.zhCN).message, "活动类型“科普日 ”前后有多余的空格")
        XCTAssertEqual(p.text(.zhCN).hint, "改为 kind: 科普日。")
        XCTAssertEqual("\u{3000} 科普 \t".trimmingSpaces, "科普")
        XCTAssertEqual("科普日".trimmingSpaces, "科普日", "nothing to trim")
        XCTAssertEqual("。科普、".trimmingSpaces, "。科普、", "full-width punctuation shares U+3000's bytes but is kept")
        XCTAssertEqual("a \u{301}".trimmingSpaces, "a \u{301}", "a space carrying a combining mark is a character, kept")
        XCTAssertEqual("".trimmingSpaces, "")
    }
}
