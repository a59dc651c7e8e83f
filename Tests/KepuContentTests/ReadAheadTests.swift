import Foundation
import KepuCore
@testable import KepuContent
import XCTest

/// Files not in memory (the first build after the machine started) are read as they are from memory, and the
/// loader reads ahead of its decoders only once files come from the disk.
final class ReadAheadTests: XCTestCase {
    var site: TestSite!

    override func setUp() { site = TestSite.standard() }
    override func tearDown() { site.remove() }

    /// Written to the disk, then let go from memory, as after a restart.
    func dropFromMemory(_ path: String) {
        let fd = open(path, O_RDONLY)
        precondition(fd >= 0)
        fsync(fd)
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        close(fd)
    }

    /// Whether every page of the file is in memory (mincore: asking does not read it in).
    func inMemory(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        precondition(fd >= 0)
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        guard st.st_size > 0 else { return true }
        guard let map = mmap(nil, Int(st.st_size), PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return false }
        defer { munmap(map, Int(st.st_size)) }
        let pages = (Int(st.st_size) + 4095) / 4096
        var vector = [UInt8](repeating: 0, count: pages)
        guard mincore(map, Int(st.st_size), &vector) == 0 else { return false }
        return vector.allSatisfy { $0 & 1 == 1 }
    }

    /// Skips where the temporary folder keeps every file in memory (tmpfs): there is no disk to wait for.
    func requireDisk(_ path: String) throws {
        dropFromMemory(path)
        if inMemory(path) { throw XCTSkip("\(NSTemporaryDirectory()) keeps files in memory") }
    }

    func testTheBytesAreTheSameFromTheDiskAsFromMemory() throws {
        try requireDisk(site.content + "/site.yaml")
        for size in [0, 1, 4095, 4096, 70_000, 300_001] {
            let bytes = (0 ..< size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            site.writeBytes("f\(size).bin", bytes)
            let path = site.content + "/f\(size).bin"
            dropFromMemory(path)
            var fromDisk = false
            XCTAssertEqual(try FileSystem.readBytes(path, fromDisk: &fromDisk), bytes, "\(size) bytes from the disk")
            XCTAssertEqual(fromDisk, size > 0, "\(size) bytes: the read says it waited for the disk")
            XCTAssertEqual(try FileSystem.readBytes(path, fromDisk: &fromDisk), bytes, "\(size) bytes from memory")
            XCTAssertFalse(fromDisk, "\(size) bytes: read again, from memory")
        }
    }

    func testTheReadingThreadsStartAfterReadsFromTheDiskAndReadAhead() throws {
        let files = (0 ..< 200).map { "reports/2023/05/r\($0).md" }
        for f in files { site.write(f, String(repeating: "科普", count: 900)) }
        try requireDisk(site.content + "/" + files[0])
        for f in files { dropFromMemory(site.content + "/" + f) }
        XCTAssertFalse(files.contains { inMemory(site.content + "/" + $0) })

        let ahead = ReadAhead(root: site.content, files: files)
        for i in 0 ..< ReadAhead.waitsToStart - 1 { ahead.reading(i); ahead.waitedForDisk(at: i) }
        XCTAssertFalse(ahead.started, "a few files from the disk start nothing")
        ahead.waitedForDisk(at: ReadAhead.waitsToStart - 1)
        XCTAssertTrue(ahead.started)
        // The files after the decoders' place come into memory without anyone reading them here.
        let after = files[ReadAhead.waitsToStart...].map { site.content + "/" + $0 }
        let deadline = Date().addingTimeInterval(20)
        while after.contains(where: { !inMemory($0) }) && Date() < deadline { usleep(10_000) }
        ahead.stop()
        XCTAssertEqual(after.filter { !inMemory($0) }, [], "files the reading threads did not read ahead")
    }

    func testNothingStartsWhileTheFilesAreInMemory() {
        let ahead = ReadAhead(root: site.content, files: ["site.yaml"])
        for i in 0 ..< 1000 { ahead.reading(i) }
        XCTAssertFalse(ahead.started)
        ahead.stop()
    }

    /// Files let go here and there (one in ten, one in nine) start nothing; one in seven does.
    func testOnlyFilesFromTheDiskCloseTogetherStartIt() {
        let ahead = ReadAhead(root: site.content, files: ["site.yaml"])
        for i in stride(from: 0, to: 10_000, by: 10) { ahead.reading(i); ahead.waitedForDisk(at: i) }
        for i in stride(from: 10_000, to: 20_000, by: 9) { ahead.reading(i); ahead.waitedForDisk(at: i) }
        XCTAssertFalse(ahead.started)
        for i in stride(from: 20_000, to: 20_000 + 7 * ReadAhead.waitsToStart, by: 7) { ahead.waitedForDisk(at: i) }
        XCTAssertTrue(ahead.started)
        ahead.stop()
    }

    /// A load from the disk is the load from memory: the same reports, the same diagnostics.
    func testALoadFromTheDiskEqualsOneFromMemory() throws {
        for i in 0 ..< 120 {
            let day = String(format: "%02d", i % 28 + 1)
            // Every tenth with a mistake, so the diagnostics are compared too.
            site.write("reports/2023/05/2023-05-\(day)-r\(i).md", report([
                "title: 活动\(i)", "date: 2023-05-\(day)", "kind: 科普日", "audience: \(i % 10 == 0 ? "很多" : String(i * 7))",
            ]))
        }
        let warm = site.load()
        let files = FileSystem.listFiles(under: site.content)
        try requireDisk(site.content + "/" + files[0])
        for f in files { dropFromMemory(site.content + "/" + f) }
        let cold = site.load()
        XCTAssertEqual(cold.content?.reports.count, 120)
        XCTAssertEqual(cold.content?.reports.map(\.title), warm.content?.reports.map(\.title))
        XCTAssertEqual(cold.content?.reports.map(\.audience), warm.content?.reports.map(\.audience))
        XCTAssertEqual(cold.diagnostics, warm.diagnostics)
        XCTAssertEqual(cold.errors.count, 12)
    }
}
