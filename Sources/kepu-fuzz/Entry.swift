import KepuFuzzHarness

#if FUZZING
/// libFuzzer's entry point; built by scripts/fuzz with `-sanitize=fuzzer -DFUZZING`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import Foundation

/// Without libFuzzer: replays the inputs named on the command line (a crasher, a corpus file).
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            FuzzHarness.run(Array(data))
        }
    }
}
#endif
