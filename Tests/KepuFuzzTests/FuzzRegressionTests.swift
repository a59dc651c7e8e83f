import Foundation
import KepuFuzzHarness
import XCTest

/// Every seed and every input the fuzzer ever crashed on runs again on each test run.
final class FuzzRegressionTests: XCTestCase {
    func inputs(_ folder: String) -> [String] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/" + folder
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted().map { dir + "/" + $0 }
    }

    func testSeedsAndCrashersRunClean() {
        let seeds = inputs("seeds")
        XCTAssertGreaterThan(seeds.count, 20)
        for path in seeds + inputs("crashers") {
            FuzzHarness.run(Array(FileManager.default.contents(atPath: path)!))
        }
    }
}
