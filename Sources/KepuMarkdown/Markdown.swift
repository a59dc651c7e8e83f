import CArena
import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A report or project body, rendered once at load time and reused by every page that shows it.
public struct RenderedMarkdown: Sendable, Equatable {
    /// The body as HTML, in UTF-8 as cmark wrote it: a report page and the search index read these bytes, and
    /// making a String of them checked every byte again (2 % of a 100k build's CPU).
    public var htmlBytes: [UInt8]
    /// The body as HTML.
    public var html: String { String(decoding: htmlBytes, as: UTF8.self) }
    /// The first paragraph as plain text, for lists and descriptions when no summary is given.
    public var firstParagraph: String
    /// The body's links (not images), with the line and column in the body where each stands, for the
    /// build's check that a link to a page of the site leads somewhere.
    public var links: [Link] = []

    public struct Link: Sendable, Equatable {
        public var url: String
        /// 1-based, counted in the body (not the file).
        public var line: Int
        public var column: Int
    }

    public init(html: String, firstParagraph: String, links: [Link] = []) {
        self.init(htmlBytes: Array(html.utf8), firstParagraph: firstParagraph, links: links)
    }

    /// `htmlBytes` must be well-formed UTF-8, as cmark writes from well-formed input.
    public init(htmlBytes: [UInt8], firstParagraph: String, links: [Link] = []) {
        self.htmlBytes = htmlBytes
        self.firstParagraph = firstParagraph
        self.links = links
    }
}

/// The only code that touches cmark's C pointers. Every allocation is from the thread's arena, dropped in a `defer`
/// beside the parse.
public enum Markdown {
    /// Renders CommonMark to HTML. Raw HTML and unsafe links (`javascript:` and the like) are left out
    /// unless `allowHTML` (site.yaml `html: true`).
    public static func render(_ text: String, allowHTML: Bool = false) -> RenderedMarkdown {
        // CMARK_OPT_SAFE is cmark's default since 0.29; it is named so an older libcmark stays safe too.
        // No CMARK_OPT_VALIDATE_UTF8: a Swift String is well-formed UTF-8 already (the loader checked the
        // file's bytes), and cmark's own check read every body again.
        let options = allowHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_SAFE
        var source = text
        return source.withUTF8 { buffer -> RenderedMarkdown in
            // The parse tree, cmark's buffers and the HTML come from this thread's arena, dropped at once
            // when the body is done: no node-by-node cmark_node_free.
            defer { kepu_arena_reset() }
            guard let parser = cmark_parser_new_with_mem(options, Markdown.arena) else {
                return RenderedMarkdown(html: "", firstParagraph: "")
            }
            if let base = buffer.baseAddress {
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
            }
            let finished = cmark_parser_finish(parser)
            cmark_parser_free(parser)
            guard let document = finished else { return RenderedMarkdown(html: "", firstParagraph: "") }

            // Bytes, not a String: the input was a well-formed String, and cmark writes well-formed UTF-8 from it
            // (a character reference to no character becomes U+FFFD) with one exception, repaired below.
            var html: [UInt8] = []
            if let rendered = cmark_render_html(document, options) {
                let count = strlen(rendered)
                rendered.withMemoryRebound(to: UInt8.self, capacity: count) { html = Array(UnsafeBufferPointer(start: $0, count: count)) }
                // cmark 0.30 renders with the document's allocator; older versions with malloc.
                if kepu_arena_owns(rendered) == 0 { free(rendered) }
            }
            // cmark writes U+FFFE and U+FFFF (`&#xFFFE;`) as the single bytes FE and FF, which UTF-8 never has;
            // each becomes U+FFFD, as String(decoding:) repairs them. MarkdownTests renders a reference to every
            // code point and holds the result to well-formed UTF-8.
            if Markdown.hasByteFEOrFF(html) { html = Array(String(decoding: html, as: UTF8.self).utf8) }
            return RenderedMarkdown(htmlBytes: html, firstParagraph: firstParagraph(of: document, options: options),
                                    links: links(of: document))
        }
    }

    static func hasByteFEOrFF(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return false }
            return memchr(base, 0xFE, b.count) != nil || memchr(base, 0xFF, b.count) != nil
        }
    }

    /// cmark's allocator for every body: the thread's arena (CArena). It must outlive every document, so it
    /// is made once and never freed.
    nonisolated(unsafe) private static let arena: UnsafeMutablePointer<cmark_mem> = {
        let mem = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
        mem.initialize(to: cmark_mem(calloc: kepu_arena_calloc, realloc: kepu_arena_realloc, free: kepu_arena_free))
        return mem
    }()

    /// Every link node's destination and where it starts. cmark gives inline nodes no position of their own in
    /// every version, so a link without one takes its block's.
    private static func links(of document: OpaquePointer) -> [RenderedMarkdown.Link] {
        guard let iterator = cmark_iter_new(document) else { return [] }
        defer { cmark_iter_free(iterator) }
        var out: [RenderedMarkdown.Link] = []
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                  cmark_node_get_type(node) == CMARK_NODE_LINK, let url = cmark_node_get_url(node) else { continue }
            var at: OpaquePointer? = node
            while let n = at, cmark_node_get_start_line(n) <= 0 { at = cmark_node_parent(n) }
            let line = at.map { Int(cmark_node_get_start_line($0)) } ?? 1
            let column = at.map { Int(cmark_node_get_start_column($0)) } ?? 1
            out.append(.init(url: String(cString: url), line: max(1, line), column: max(1, column)))
        }
        return out
    }

    /// The plain text of the first top-level paragraph, on one line (cmark 0.30 has no plain-text renderer).
    private static func firstParagraph(of document: OpaquePointer, options: Int32) -> String {
        var child = cmark_node_first_child(document)
        while let node = child {
            if cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH {
                // A paragraph of photos only (`![现场](a.jpg)`) says nothing; the summary is the next one.
                let text = collapseWhitespace(plainText(of: node))
                if !text.isEmpty { return text }
            }
            child = cmark_node_next(node)
        }
        return ""
    }

    /// The paragraph's text as UTF-8 bytes; literals are copied straight from cmark's buffers.
    private static func plainText(of node: OpaquePointer) -> [UInt8] {
        var text: [UInt8] = []
        guard let iterator = cmark_iter_new(node) else { return [] }
        defer { cmark_iter_free(iterator) }
        var inImage = 0
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let current = cmark_iter_get_node(iterator) else { continue }
            // An image's alt text is not prose.
            if cmark_node_get_type(current) == CMARK_NODE_IMAGE {
                inImage += event == CMARK_EVENT_ENTER ? 1 : -1
                continue
            }
            guard event == CMARK_EVENT_ENTER, inImage == 0 else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(current) {
                    literal.withMemoryRebound(to: UInt8.self, capacity: strlen(literal)) {
                        text.append(contentsOf: UnsafeBufferPointer(start: $0, count: strlen(literal)))
                    }
                }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text.append(0x0A)
            default:
                break
            }
        }
        return text
    }

    /// One line: runs of white space become one space between Latin text and nothing between
    /// Chinese characters (Chinese prose wraps lines without spaces). Works on bytes: it runs for every report.
    static func collapseWhitespace(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for b in bytes {
            if b == 0x0A || b == 0x0D || b == 0x20 || b == 0x09 {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                // The last byte of the previous character, or the lead byte of this one, is ASCII: Latin text.
                if out[out.count - 1] < 0x80 || b < 0x80 { out.append(0x20) }
                pendingSpace = false
            }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
