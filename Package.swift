// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: Core ← Content ← Ledger ← Site/LED ← Build ← kepu; the template engine
// (Core ← Template ← Site) knows nothing of pages.
// Each C library is reached from one module only: cmark from KepuMarkdown, libvips from KepuPhotos,
// librsvg from KepuLED, libxlsxwriter from KepuForms, zlib from KepuBuild.
// Where Debian puts the libvips, librsvg and cairo headers (and what they include of glib), for
// CNativeTests; `pkg-config --cflags vips librsvg-2.0` lists the same folders, plus -pthread.
#if arch(arm64)
let multiarch = "aarch64-linux-gnu"
#else
let multiarch = "x86_64-linux-gnu"
#endif
let systemHeaders = ["/usr/include/glib-2.0", "/usr/lib/\(multiarch)/glib-2.0/include", "/usr/include/librsvg-2.0",
                     "/usr/include/gdk-pixbuf-2.0", "/usr/include/cairo"]

// Release builds of Kepu's own modules let their callers inline across modules (KepuCore's escaping and hashing
// into the template renderer and the page builders, say): 2–3 % less CPU for a 10k-report build. Only these
// modules: for every dependency too, a clean release build took 7¼ min instead of about 5, for no more gain.
let fast: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

// jemalloc (Debian libjemalloc-dev) in place of glibc's malloc, for the two programs that build sites: linked ahead
// of libc, its malloc and free are the ones every module calls. A build makes and frees millions of small values
// on two threads; glibc's allocator spent 8 % of a 100k build's samples in malloc, free and consolidating its
// free lists. 100k reports: CPU 11.5 → 10.1 s, peak 679 → 622 MiB; 10k: CPU −5 %. The tests keep glibc's.
// Its options (huge pages) are compiled in by the CMallocConf target.
let allocator: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "Kepu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kepu", targets: ["kepu"]),
        .library(name: "KepuBuild", targets: ["KepuBuild"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
        // The staff desk (KepuDesk): Hummingbird for HTTP, hummingbird-auth for bcrypt, swift-crypto for tokens.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        // zlib, for `kepu build --gzip`: reached from KepuBuild only (Gzip.swift).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // No pkgConfig for these two: glib's flags carry -pthread, which SwiftPM drops with a warning
        // on every build. Only CNativeTests reads their headers (systemHeaders, below).
        .systemLibrary(name: "CVips", providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CRsvg", providers: [.apt(["librsvg2-dev"])]),
        // libxlsxwriter for the finance bureau's workbooks; its pkg-config flags are plain (-lxlsxwriter -lz).
        .systemLibrary(name: "CXlsx", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // xxHash, the official C source (BSD 2-Clause, LICENSE beside it): every hash Kepu keeps.
        .target(name: "CXXHash", exclude: ["LICENSE"]),
        .target(name: "KepuCore", dependencies: ["CXXHash"], swiftSettings: fast),
        // A bump allocator for cmark's many small allocations (see its header).
        .target(name: "CArena"),
        // jemalloc's options, compiled into the two executables linked with it (see malloc_conf.c).
        .target(name: "CMallocConf"),
        .target(name: "KepuMarkdown", dependencies: ["CCmark", "CArena"], swiftSettings: fast),
        // preadv2 without waiting for the disk, which Swift cannot call (see its header): the loader reads ahead
        // only when the content is not in memory.
        .target(name: "CReadNoWait"),
        .target(
            name: "KepuContent",
            dependencies: ["KepuCore", "KepuMarkdown", "CReadNoWait", .product(name: "Yams", package: "Yams")], swiftSettings: fast
        ),
        .target(name: "KepuLedger", dependencies: ["KepuCore", "KepuContent"], swiftSettings: fast),
        // Mustache templates: swift-mustache parses (and names errors), the compiled renderer renders.
        .target(name: "KepuTemplate", dependencies: ["KepuCore", .product(name: "Mustache", package: "swift-mustache")], swiftSettings: fast),
        // Presentation: how figures read and the UI words, one set for every output (site, LED, data, forms).
        .target(
            name: "KepuPresentation",
            dependencies: ["KepuCore", "KepuContent", "KepuLedger", .product(name: "Yams", package: "Yams")], swiftSettings: fast
        ),
        .target(
            name: "KepuSite",
            dependencies: ["KepuCore", "KepuContent", "KepuLedger", "KepuPresentation", "KepuTemplate"],
            swiftSettings: fast
        ),
        // libvips' operations are variadic and VIPS_INIT is a macro: CNative wraps them, and librsvg with
        // cairo, in plain C functions. It opens the libraries on first use (dlopen) rather than linking
        // them: they bring ~100 shared libraries, most of the start-up time of every kepu command.
        // CVips and CRsvg stay for their headers, which the tests hold CNative's constants to.
        .target(name: "CNative", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "KepuPhotos", dependencies: ["KepuCore", "CNative"]),
        .target(
            name: "KepuLED",
            dependencies: ["KepuCore", "KepuContent", "KepuLedger", "KepuPresentation", "KepuTemplate", "CNative"]
        ),
        // The 自评表 and 监控表 as .xlsx, laid out like the paper forms, from KepuPresentation's form models.
        .target(name: "KepuForms", dependencies: ["KepuCore", "KepuContent", "KepuLedger", "KepuPresentation", "CXlsx"]),
        .target(
            name: "KepuBuild",
            dependencies: ["KepuCore", "KepuContent", "KepuLedger", "KepuPresentation", "KepuSite", "KepuPhotos", "KepuLED",
                           "KepuForms", "CNative", "CZlib"],
            swiftSettings: fast
        ),
        // Authoring: `kepu new` (needs only the content model) and `kepu serve` (the dev server, live reload).
        .target(name: "KepuAuthoring", dependencies: ["KepuCore", "KepuContent"]),
        .target(
            name: "KepuServe",
            dependencies: ["KepuCore", "KepuContent", "KepuBuild", .product(name: "FlyingFox", package: "FlyingFox")]
        ),
        // The staff desk (`kepu desk`): accounts, the report form, history, publish, dashboard.
        .target(
            name: "KepuDesk",
            dependencies: ["KepuCore", "KepuContent", "KepuLedger", "KepuPresentation", "KepuBuild", "KepuAuthoring", "KepuPhotos",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "HTTPTypes", package: "swift-http-types")]
        ),
        .target(name: "KepuFuzzHarness", dependencies: ["KepuCore", "KepuContent"]),
        // libFuzzer entry point when built by scripts/fuzz; a replayer of saved inputs otherwise.
        .executableTarget(name: "kepu-fuzz", dependencies: ["KepuFuzzHarness"]),
        // scripts/bench.py's one-report rebuild timer: apart from `kepu`, which staff use.
        .executableTarget(
            name: "kepu-bench",
            dependencies: ["KepuBuild", "KepuContent", "KepuCore", "KepuMarkdown", "CMallocConf", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            linkerSettings: allocator
        ),
        .executableTarget(
            name: "kepu",
            dependencies: ["KepuBuild", "KepuAuthoring", "KepuServe", "KepuDesk", "CMallocConf", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            linkerSettings: allocator
        ),
        // Helpers several test targets share (the repository's folders, a sink that writes files).
        .target(name: "KepuTestSupport", dependencies: ["KepuCore"], path: "Tests/KepuTestSupport"),
        .testTarget(name: "KepuCoreTests", dependencies: ["KepuCore"]),
        // CCmark too: the arena's output is held to cmark's own allocator's.
        .testTarget(name: "KepuMarkdownTests", dependencies: ["KepuMarkdown", "CCmark"]),
        .testTarget(name: "KepuContentTests", dependencies: ["KepuTestSupport", "KepuContent"]),
        .testTarget(name: "KepuLedgerTests", dependencies: ["KepuTestSupport", "KepuLedger", "KepuContent"]),
        .testTarget(name: "KepuTemplateTests", dependencies: ["KepuTestSupport", "KepuTemplate", "KepuCore"]),
        .testTarget(name: "KepuSiteTests", dependencies: ["KepuTestSupport", "KepuSite", "KepuTemplate", "KepuContent", "KepuLedger", "KepuPresentation"]),
        .testTarget(name: "KepuPhotosTests", dependencies: ["KepuTestSupport", "KepuPhotos", "KepuCore"], exclude: ["Fixtures"]),
        .testTarget(name: "KepuLEDTests", dependencies: ["KepuTestSupport", "KepuLED", "KepuContent", "KepuLedger", "KepuPresentation"]),
        // The headers' own values for the constants CNative writes out (it opens the libraries itself).
        .testTarget(name: "CNativeTests", dependencies: ["CNative", "CVips", "CRsvg"],
                    swiftSettings: [.unsafeFlags(systemHeaders.flatMap { ["-Xcc", "-I" + $0] })]),
        .testTarget(name: "KepuFormsTests", dependencies: ["KepuTestSupport", "KepuForms", "KepuPresentation", "KepuLedger", "KepuContent", "KepuCore"]),
        .testTarget(name: "KepuBuildTests", dependencies: ["KepuTestSupport", "KepuBuild", "KepuPresentation", "KepuLedger"]),
        .testTarget(name: "KepuFuzzTests", dependencies: ["KepuFuzzHarness"], exclude: ["seeds", "crashers"]),
        .testTarget(name: "KepuAuthoringTests", dependencies: ["KepuTestSupport", "KepuAuthoring", "KepuContent", "KepuCore"]),
        .testTarget(name: "KepuServeTests", dependencies: ["KepuTestSupport", "KepuServe", "KepuBuild", "KepuCore"], exclude: ["browser_live_reload.py"]),
        .testTarget(name: "KepuDeskTests", dependencies: ["KepuTestSupport", "KepuDesk", "KepuContent", "KepuCore",
                                                          .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                          .product(name: "HTTPTypes", package: "swift-http-types")],
                    exclude: ["browser_desk.py"]),
    ],
    swiftLanguageModes: [.v6]
)
