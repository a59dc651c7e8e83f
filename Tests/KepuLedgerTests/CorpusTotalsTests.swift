import Foundation
import KepuContent
import KepuCore
@testable import KepuLedger
import XCTest

final class CorpusTotalsTests: XCTestCase {
    /// Corpora from ../shared/bench/make_corpus.py with several seeds: totals equal expected.json to the fen.
    func testGeneratedCorporaMatchExpectedTotals() throws {
        let script = repositoryRoot + "/../shared/bench/make_corpus.py"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: script), "shared/bench is not beside the repository")
        for seed in [1, 7, 42] {
            let out = NSTemporaryDirectory() + "kepu-corpus-\(seed)-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: out) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, "--reports", "300", "--seed", "\(seed)", "--out", out, "--expect"]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            let loaded = ContentLoader.load(contentDirectory: out + "/content")
            XCTAssertEqual(loaded.errors.count, 0, "\(loaded.errors.first.map { $0.formatted(.en) } ?? "")")
            let ledger = Ledger.aggregate(loaded.content!, now: day("2026-01-01"))
            let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/expected.json"))) as! [String: Any]
            var kinds: [String: Int] = [:]
            for p in ledger.projects {
                let e = try XCTUnwrap(expected[p.project.id] as? [String: Any], p.project.id)
                XCTAssertEqual(p.totals.reports, e["reports"] as? Int)
                XCTAssertEqual(p.totals.activities, e["activities"] as? Int)
                XCTAssertEqual(p.totals.audience, e["audience"] as? Int)
                XCTAssertEqual(p.totals.spend, try Money.parse(e["spend"] as! String), "seed \(seed) \(p.project.id)")
                XCTAssertEqual(p.totals.surveyed, e["surveyed"] as? Int)
                XCTAssertEqual(p.totals.satisfied, e["satisfied"] as? Int)
                for g in p.byKind { kinds[g.key, default: 0] += g.totals.reports }
            }
            XCTAssertEqual(kinds, expected["kinds"] as? [String: Int])
        }
    }
}
