import Foundation
import KepuTemplate
import KepuTestSupport
import XCTest

/// The official Mustache spec (mustache/spec, in ../shared/mustache-spec beside the repository, MIT
/// licence there) through the engine the theme uses: TemplateLibrary, compiled where it can be, else
/// swift-mustache. Every case must come out right; the cases that fall back and the few that come out
/// wrong are listed here by name, so a change in either list fails the test.
final class MustacheSpecTests: XCTestCase {
    static let specFolder = URL(fileURLWithPath: repositoryRoot + "/../shared/mustache-spec").standardized

    /// The required files and the optional inheritance module, which the theme's layout relies on.
    static let files = ["comments", "delimiters", "interpolation", "inverted", "partials", "sections", "~inheritance"]

    /// Rendered by swift-mustache (a library with one such template renders wholly through it): none
    /// of the required cases or ~inheritance since set delimiters are compiled. Dynamic partials
    /// (`{{>*x}}`), transforms and pragmas are what the compiler leaves out; the spec's required files
    /// do not use them.
    static let fallbacks: Set<String> = []

    /// Wrong in swift-mustache 2.1 itself, and the compiled path renders as swift-mustache does (it is
    /// ported rule for rule, and the differential check below holds it to that): the spec's 2023 rule that
    /// a standalone block tag's override is indented like the parent's default content. swift-mustache
    /// indents it by the block tag's own indentation. The theme puts no indented text in block defaults.
    static let knownFailures: [String: String] = [
        "~inheritance: Intrinsic indentation": "swift-mustache: block override not re-indented",
        "~inheritance: Nested block reindentation": "swift-mustache: block override not re-indented",
    ]

    /// Where the spec renders nothing and Kepu stops the build instead, on purpose: a partial that names
    /// no template is a theme author's typo, reported with file and line.
    static let errorsInstead: Set<String> = ["partials: Failed Lookup"]

    enum JSON: Decodable {
        case null, bool(Bool), number(String), string(String), array([JSON]), object([String: JSON])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let i = try? c.decode(Int.self) { self = .number(String(i)) }
            // A decimal's shortest form, as swift-mustache prints a Double: 1.210 → "1.21".
            else if let d = try? c.decode(Double.self) { self = .number("\(d)") }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let a = try? c.decode([JSON].self) { self = .array(a) }
            else { self = .object(try c.decode([String: JSON].self)) }
        }

        /// The engine's typed input: numbers are text (the page builders format every figure), a null is
        /// an absent key (as in swift-mustache); nil for what has no template form (a lambda).
        var value: TemplateValue? {
            switch self {
            case .null: return nil
            case .bool(let b): return .flag(b)
            case .number(let s), .string(let s): return .text(s)
            case .array(let a):
                var out: [TemplateValue] = []
                for v in a { guard let t = v.value else { return nil }; out.append(t) }
                return .list(out)
            case .object(let o):
                if case .string("code")? = o["__tag__"] { return nil }
                var out: [TemplateKey: TemplateValue] = [:]
                for (k, v) in o {
                    if case .null = v { continue }
                    guard let t = v.value else { return nil }
                    out[TemplateKey(k)] = t
                }
                return .map(out)
            }
        }
    }

    struct Spec: Decodable {
        struct Test: Decodable {
            let name: String
            let data: JSON
            let template: String
            let expected: String
            let partials: [String: String]?
        }
        let tests: [Test]
    }

    struct Outcome {
        var right: [String] = []
        var fellBack: Set<String> = []
        var wrong: [String: String] = [:]
        /// Compiled output unlike swift-mustache's: swift-mustache's text.
        var differs: [String: String] = [:]
        var refused: Set<String> = []
    }

    func run(_ file: String) throws -> (Outcome, Int) {
        let url = Self.specFolder.appendingPathComponent(file + ".json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("the Mustache spec is not at \(Self.specFolder.path): clone mustache/spec's JSON files there to run it")
        }
        let spec = try JSONDecoder().decode(Spec.self, from: Data(contentsOf: url))
        var outcome = Outcome()
        for test in spec.tests {
            let id = "\(file): \(test.name)"
            guard let data = test.data.value else { XCTFail("\(id): data has no template form"); continue }
            var texts = test.partials ?? [:]
            texts["test"] = test.template
            let library: TemplateLibrary
            do { library = try TemplateLibrary(texts: texts) } catch {
                if Self.errorsInstead.contains(id) { outcome.refused.insert(id) } else { outcome.wrong[id] = "not loaded: \(error)" }
                continue
            }
            if !library.isCompiled { outcome.fellBack.insert(id) }
            let out: String = library.render("test", data)
            var reference = library
            reference.useReferenceEngine()
            let referenceOut: String = reference.render("test", data)
            if out != referenceOut { outcome.differs[id] = referenceOut }
            if out == test.expected { outcome.right.append(id) } else { outcome.wrong[id] = out }
        }
        return (outcome, spec.tests.count)
    }

    func testSpec() throws {
        var all = Outcome()
        var total = 0
        for file in Self.files {
            let (o, n) = try run(file)
            all.right += o.right
            all.fellBack.formUnion(o.fellBack)
            all.refused.formUnion(o.refused)
            all.wrong.merge(o.wrong) { a, _ in a }
            all.differs.merge(o.differs) { a, _ in a }
            total += n
        }
        XCTAssertEqual(total, 163, "the spec's required files and ~inheritance")
        XCTAssertEqual(all.refused, Self.errorsInstead)
        for (id, out) in all.wrong.sorted(by: { $0.key < $1.key }) where Self.knownFailures[id] == nil {
            XCTFail("\(id)\(all.fellBack.contains(id) ? " (swift-mustache)" : " (compiled)"): wrong output \(out.debugDescription)")
        }
        for id in Self.knownFailures.keys.sorted() where all.wrong[id] == nil {
            XCTFail("\(id) is listed as failing but now comes out right: take it off the list")
        }
        XCTAssertEqual(all.fellBack.subtracting(Self.fallbacks).sorted(), [], "cases that fall back but are not listed")
        XCTAssertEqual(Self.fallbacks.subtracting(all.fellBack).sorted(), [], "listed fallbacks that now compile")
        for (id, ref) in all.differs.sorted(by: { $0.key < $1.key }) { XCTFail("\(id): compiled output differs from swift-mustache's \(ref.debugDescription)") }
        print("Mustache spec: \(all.right.count) of \(total) right, \(all.fellBack.count) through swift-mustache")
    }
}
