import KepuContent
import KepuCore

/// What the fuzzer exercises, shared by the libFuzzer entry point (`kepu-fuzz` built with
/// `-sanitize=fuzzer`) and the regression tests that replay every crasher it ever found.
/// The first byte picks the target; the rest is its input.
public enum FuzzHarness {
    public static func run(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let input = Array(data.dropFirst())
        switch selector % 4 {
        case 0:
            _ = try? Money.parse(String(decoding: input, as: UTF8.self))
        case 1:
            _ = try? Day.parse(String(decoding: input, as: UTF8.self))
        case 2:
            let (report, diagnostics) = ContentLoader.decodeReport(input, path: "content/reports/fuzz.md", slug: "fuzz", allowHTML: false)
            // Every problem must point into the file: a position of 0 or below is a bug.
            for d in diagnostics where d.line < 1 || d.column < 1 { fatalError("position \(d.line):\(d.column)") }
            if report == nil && !diagnostics.contains(where: { $0.severity == .error }) {
                fatalError("a report was rejected without an error")
            }
        default:
            // The fast YAML path must agree with Yams wherever it answers.
            let text = String(decoding: input, as: UTF8.self)
            guard let fast = FastYAML.parse(text, lineOffset: 1) else { return }
            let document = SourceDocument(path: "fuzz.md", frontMatter: text, frontMatterLine: 2, body: "", bodyLine: 2)
            switch FrontMatterParser.parseWithYams(document, offset: 1) {
            case let .success(slow):
                if !same(fast, slow) { fatalError("FastYAML and Yams disagree on:\n\(text)") }
            case let .failure(d):
                // A list at the top is parsed by both and refused as front matter by FrontMatterParser.
                if d.problem == .frontMatterNotMapping, case .list = fast { return }
                // Yams refusing what FastYAML accepted is a disagreement too.
                fatalError("FastYAML accepted what Yams rejects (\(d.problem)):\n\(text)")
            }
        }
    }

    /// Same structure, text, quoting and positions (an empty scalar's position excepted).
    public static func same(_ a: YAMLValue, _ b: YAMLValue) -> Bool {
        switch (a, b) {
        case let (.scalar(t1, q1, p1), .scalar(t2, q2, p2)):
            return t1 == t2 && q1 == q2 && (a.isNull || p1 == p2)
        case let (.list(i1, p1), .list(i2, p2)):
            return p1 == p2 && i1.count == i2.count && zip(i1, i2).allSatisfy { same($0, $1) }
        case let (.map(m1, p1), .map(m2, p2)):
            return p1 == p2 && m1.count == m2.count && zip(m1, m2).allSatisfy {
                $0.key == $1.key && $0.keyPosition == $1.keyPosition && same($0.value, $1.value)
            }
        default:
            return false
        }
    }
}
