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
