import Foundation
import KepuBuild
import KepuContent
import KepuCore
import XCTest

/// libvips and librsvg (about 100 shared libraries with their dependencies) are opened only when a photo
/// or a slide must be drawn: a build with warm caches, or `kepu check`, never maps them.
final class LazyLibraryTests: RobustnessTestCase {
    func loaded(_ arguments: String) -> (Int32, String) {
        shell("LD_DEBUG=files \(sq(kepuBinary)) \(arguments) 2>&1 >/dev/null | grep -oE 'file=lib(vips|rsvg-2)[^ ]*' | sort -u", timeout: 300)
    }

    func testPhotoAndSlideLibrariesLoadOnlyWhenNeeded() throws {
        guard FileManager.default.isExecutableFile(atPath: kepuBinary) else { throw XCTSkip("no kepu binary beside the tests at \(kepuBinary)") }
        let build = "build --content \(sq(repositoryRoot + "/content")) --theme \(sq(repositoryRoot + "/theme")) --output \(sq(work + "/public")) --cache \(sq(work + "/cache")) --now 2024-01-15"
        // Cold caches: photos to resize, slides to draw.
        let (_, cold) = loaded(build)
        XCTAssertTrue(cold.contains("file=libvips.so.42"), cold)
        XCTAssertTrue(cold.contains("file=librsvg-2.so.2"), cold)
        // Warm caches: nothing to draw, nothing loaded.
        let (_, warm) = loaded(build)
        XCTAssertEqual(warm.trimmingCharacters(in: .whitespacesAndNewlines), "", "a cached build loads neither library")
        let (_, check) = loaded("check --content \(sq(repositoryRoot + "/content"))")
        XCTAssertEqual(check.trimmingCharacters(in: .whitespacesAndNewlines), "")
    }
}

/// `kepu` is linked with jemalloc ahead of libc (Package.swift, `allocator`): every module's malloc and free,
/// and libc's own, are jemalloc's. Were the library dropped or put after libc, glibc's would quietly win again.
final class AllocatorTests: RobustnessTestCase {
    func testMallocAndFreeAreJemallocs() throws {
        #if os(Linux)
        guard FileManager.default.isExecutableFile(atPath: kepuBinary) else { throw XCTSkip("no kepu binary beside the tests at \(kepuBinary)") }
        let (_, out) = shell("LD_DEBUG=bindings \(sq(kepuBinary)) --version 2>&1 >/dev/null | grep -E \"symbol \\`(malloc|free)'\"", timeout: 60)
        let lines = out.split(separator: "\n")
        let fromKepu = lines.filter { $0.contains("binding file \(kepuBinary) ") }
        XCTAssertFalse(fromKepu.isEmpty, "no malloc or free bound for kepu itself:\n\(out)")
        for line in lines {
            XCTAssertTrue(line.contains("libjemalloc.so"), "bound elsewhere: \(line)")
        }
        #else
        throw XCTSkip("jemalloc is linked on Linux only")
        #endif
    }

    /// The options compiled in (Sources/CMallocConf) reach jemalloc: nothing references the symbol, so a link that
    /// dropped its object, or a misspelt option, would lose the huge pages silently.
    func testJemallocReadsTheCompiledInOptions() throws {
        #if os(Linux)
        guard FileManager.default.isExecutableFile(atPath: kepuBinary) else { throw XCTSkip("no kepu binary beside the tests at \(kepuBinary)") }
        let (_, out) = shell("MALLOC_CONF=confirm_conf:true \(sq(kepuBinary)) --help 2>&1 >/dev/null | grep '^<jemalloc>'", timeout: 60)
        XCTAssertTrue(out.contains("global variable malloc_conf): \"thp:always\""), "jemalloc did not see kepu's malloc_conf:\n\(out)")
        XCTAssertTrue(out.contains("Set conf value: thp:always"), "jemalloc did not take thp:always:\n\(out)")
        XCTAssertFalse(out.contains("Invalid conf"), out)
        #else
        throw XCTSkip("jemalloc is linked on Linux only")
        #endif
    }
}
