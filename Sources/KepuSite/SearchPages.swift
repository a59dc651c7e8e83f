import Foundation
import KepuContent
import KepuCore
import KepuTemplate

/// The search page, its index and the browse lists it falls back to without JavaScript.
///
/// Chinese has no spaces to split words at, so the index is of character pairs (bigrams): a query is found
/// where every pair of it is, and 科普 finds 科普日 and 全国科普日 alike, with no word list to go stale.
/// The index is split into small script files that register themselves (`KepuSearch.terms(…)`): a page
/// opened from disk (file://) may load scripts but not fetch() JSON, and a query loads only the files of
/// its own pairs plus the few files of the reports it shows. Files sit in a folder named by the index's
/// hash, so a cache can keep them for long: a new build writes a new folder.
extension SiteBuild {
    static let searchPath = "search/index.html"
    /// Reports per file of titles and links.
    static let searchDocsPerFile = 100
    /// How much of a body is indexed: reports are short; this bounds the index of a long one.
    static let searchBodyLimit = 4000

    /// Masks saying where a pair occurs, in the postings: the ranking weighs a title above a venue above the body.
    struct SearchField {
        static let body: UInt8 = 1, meta: UInt8 = 2, title: UInt8 = 4
    }

    /// How many files the pairs are spread over: about 40 reports' worth of pairs per file.
    static func searchTermFiles(_ reports: Int) -> Int {
        var n = 1
        while n < 512 && n * 40 < reports { n *= 2 }
        return n
    }

    /// A pair's file: the same arithmetic as search.js's `shardOf`.
    static func searchShard(_ a: UInt32, _ b: UInt32, files: Int) -> Int { Int((UInt64(a) &* 31 &+ UInt64(b)) % UInt64(files)) }

    /// Letters and digits are indexed; anything else separates runs. ASCII is lower-cased (search.js does the same).
    @inline(__always)
    static func searchChar(_ s: Unicode.Scalar) -> UInt32? {
        let v = s.value
        if v < 0x80 {
            if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 { return v }
            if v >= 0x41 && v <= 0x5A { return v + 0x20 }
            return nil
        }
        if v >= 0x4E00 && v <= 0x9FFF { return v }
        return s.properties.isAlphabetic || s.properties.numericType != nil ? v : nil
    }

    /// Every pair of neighbouring letters in `text`, into `into` with the field's mask.
    static func searchPairs(_ text: String, _ mask: UInt8, limit: Int = .max, into: inout [UInt64: UInt8]) {
        var previous: UInt32? = nil
        var n = 0
        for s in text.unicodeScalars {
            n += 1
            if n > limit { break }
            guard let c = searchChar(s) else { previous = nil; continue }
            if let p = previous { into[UInt64(p) << 21 | UInt64(c), default: 0] |= mask }
            previous = c
        }
    }

    /// The pairs of a body's text, read straight from its HTML: the same pairs as `searchPairs(plainText(html))`
    /// in one pass, without building the text (through Foundation's search that was a sixth of a 10,000-report
    /// build). A tag reads as a space; the five entities cmark writes as their character, none of them a letter.
    /// Read from the body's bytes as cmark wrote them: making a String of every body first validated and copied
    /// it again (0.9 % of a 100k build). A malformed sequence reads as U+FFFD, as a String made of them has it.
    static func searchPairs(htmlBytes: [UInt8], _ mask: UInt8, limit: Int, into: inout [UInt64: UInt8]) {
        var previous: UInt32? = nil
        var n = 0
        var inTag = false
        var entity: [Unicode.Scalar] = []
        var inEntity = false
        func take(_ s: Unicode.Scalar) {
            guard let c = searchChar(s) else { previous = nil; return }
            if let p = previous { into[UInt64(p) << 21 | UInt64(c), default: 0] |= mask }
            previous = c
        }
        var bytes = htmlBytes.makeIterator()
        var utf8 = UTF8()
        decoding: while n < limit {
            let s: Unicode.Scalar
            switch utf8.decode(&bytes) {
            case .scalarValue(let v): s = v
            case .emptyInput: break decoding
            case .error: s = "\u{FFFD}"
            }
            if inTag {
                if s == ">" { inTag = false; n += 1; previous = nil }
                continue
            }
            if inEntity {
                entity.append(s)
                let word = String(String.UnicodeScalarView(entity))
                if s == ";" && entities.contains(word) {
                    inEntity = false; n += 1; previous = nil
                } else if !entities.contains(where: { $0.hasPrefix(word) }) {
                    // Not one of cmark's entities: the text as written ("&" and what follows).
                    inEntity = false; n += 1; previous = nil
                    for e in entity where n < limit {
                        if e == "<" { inTag = true; break }
                        n += 1
                        take(e)
                    }
                }
                continue
            }
            if s == "<" { inTag = true; continue }
            if s == "&" { inEntity = true; entity.removeAll(keepingCapacity: true); continue }
            n += 1
            take(s)
        }
    }

    static let entities = ["lt;", "gt;", "quot;", "#39;", "amp;"]

    /// A body's text without its HTML, for the index and nothing else (never shown as HTML).
    static func plainText(_ html: String) -> String {
        var out = String.UnicodeScalarView()
        var inTag = false
        for s in html.unicodeScalars {
            if inTag { if s == ">" { inTag = false; out.append(" ") }; continue }
            if s == "<" { inTag = true; continue }
            out.append(s)
        }
        let text = String(out)
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }


    /// Writes the index files; returns the folder (under search/) they went to. The index is a function of
    /// what every report's list entry and body say: when none of that changed since the last build (the
    /// cache remembers a hash of it), the files come from the cache instead of being made again — most of a
    /// warm 10,000-report build's time went into making them. Under `kepu serve` the memo keeps each report's
    /// pairs, so a saved report costs its own pairs, not every report's again.
    func writeSearchIndex() throws -> (folder: String, termFiles: Int) {
        let files = SiteBuild.searchTermFiles(infos.count)
        // Per report, a hash of what its pairs are made from and one of what its docs entry shows: the memo's
        // keys. The whole index's key is made of them.
        var key: UInt64 = ContentHash.xxh64("kepu-search-2 \(infos.count) \(files) \(SiteBuild.searchDocsPerFile) \(SiteBuild.searchBodyLimit)")
        var pairKeys: [UInt64] = [], docKeys: [UInt64] = []
        pairKeys.reserveCapacity(infos.count)
        docKeys.reserveCapacity(infos.count)
        for info in infos {
            var h: UInt64 = 0, d: UInt64 = 0
            for field in [info.title, info.date, info.isoDate, info.kind, info.venue ?? "\u{1}"] {
                h = ContentHash.xxh64(field, seed: h &+ UInt64(field.utf8.count))
            }
            let body = reports[info.index].body.htmlBytes
            h = ContentHash.xxh64(body, seed: h &+ UInt64(body.count))
            for field in [info.path, info.title, info.date, info.kind, info.venue ?? "\u{1}", info.summary] {
                d = ContentHash.xxh64(field, seed: d &+ UInt64(field.utf8.count))
            }
            pairKeys.append(h)
            docKeys.append(d)
            key = (key &* 31 &+ h) &* 31 &+ d
        }
        if let kept = memo?.searchIndex(key) {
            try writeAll(kept.files)
            return (kept.folder, files)
        }
        let cacheFolder = input.cacheDirectory + "/search"
        let cacheFile = cacheFolder + "/" + String(key, radix: 16) + ".idx"
        if let cached = SearchIndexCache.read(cacheFile) {
            memo?.keepSearchIndex(key, cached)
            try writeAll(cached.files)
            return (cached.folder, files)
        }
        let made = makeSearchIndex(files: files, pairKeys: pairKeys, docKeys: docKeys)
        memo?.keepSearchIndex(key, made)
        // Kept in the cache beside the writes: the next build with the same reports reads it back.
        try writeAll(made.files) { SearchIndexCache.write(made.files, folder: made.folder, to: cacheFile, in: cacheFolder) }
        return (made.folder, files)
    }

    /// Writes the files on every core (and runs `beside` as one more task); the first failure in file order is thrown.
    func writeAll(_ files: [(String, [UInt8])], beside: (@Sendable () -> Void)? = nil) throws {
        let failures = PageLog()
        DispatchQueue.concurrentPerform(iterations: files.count + (beside == nil ? 0 : 1)) { i in
            if i == files.count { beside?(); return }
            do { try sink.write(files[i].0, files[i].1) } catch { failures.fail(error, order: i) }
        }
        if let error = failures.error { throw error }
    }

    /// One report's pairs, each `pair << 3 | mask`, in no particular order: each file's postings are sorted whole.
    func reportPairs(_ info: ReportInfo) -> [UInt64] {
        var pairs: [UInt64: UInt8] = [:]
        SiteBuild.searchPairs(info.title, SearchField.title, into: &pairs)
        SiteBuild.searchPairs(info.kind, SearchField.meta, into: &pairs)
        if let v = info.venue { SiteBuild.searchPairs(v, SearchField.meta, into: &pairs) }
        SiteBuild.searchPairs(info.date, SearchField.meta, into: &pairs)
        SiteBuild.searchPairs(info.isoDate, SearchField.meta, into: &pairs)
        SiteBuild.searchPairs(htmlBytes: reports[info.index].body.htmlBytes, SearchField.body, limit: SiteBuild.searchBodyLimit, into: &pairs)
        return pairs.map { $0.key << 3 | UInt64($0.value) }
    }

    /// The index files, by path. `pairKeys`, `docKeys`: each report's hashes of what its pairs and its docs entry
    /// are made from (the memo's keys).
    func makeSearchIndex(files: Int, pairKeys: [UInt64], docKeys: [UInt64]) -> (folder: String, files: [(String, [UInt8])]) {
        let count = infos.count
        // Pairs per report on all cores (from the memo where a report is unchanged), then each file's postings
        // sorted and written on all cores.
        let chunks = max(1, min(count, ProcessInfo.processInfo.activeProcessorCount * 4))
        final class Buckets: @unchecked Sendable {
            let lock = Lock()
            var pairs: [[UInt64]]
            init(_ count: Int) { pairs = Array(repeating: [], count: count) }
        }
        let buckets = Buckets(memo == nil ? 0 : count)
        // Each chunk's postings per file, at `chunk * files + file`: exactly sized, and each taken (freed) as
        // its file is made. Peak memory at 100,000 reports is this index's.
        let byChunk = ConcurrentSlots<[UInt64]>(count: chunks * files)
        let kept = memo?.searchPairs ?? [:]
        DispatchQueue.concurrentPerform(iterations: count == 0 ? 0 : chunks) { c in
            var local: [[UInt64]] = Array(repeating: [], count: files)
            var made: [(Int, [UInt64])] = []
            for i in count * c / chunks ..< count * (c + 1) / chunks {
                let pairs = kept[pairKeys[i]] ?? reportPairs(infos[i])
                if memo != nil { made.append((i, pairs)) }
                for p in pairs {
                    // Pair (42 bits) and report (19 bits) and mask (3 bits) in one word: sorting it sorts by pair, then report.
                    let pair = p >> 3
                    let shard = SiteBuild.searchShard(UInt32(pair >> 21), UInt32(pair & 0x1F_FFFF), files: files)
                    local[shard].append(pair << 22 | UInt64(i) << 3 | (p & 7))
                }
            }
            for f in 0..<files { byChunk.set(c * files + f, local[f].compacted()) }
            if !made.isEmpty { buckets.lock.withLock { for (i, pairs) in made { buckets.pairs[i] = pairs } } }
        }
        if let memo {
            var next: [UInt64: [UInt64]] = [:]
            next.reserveCapacity(count)
            for i in 0..<count { next[pairKeys[i]] = buckets.pairs[i] }
            memo.searchPairs = next
        }
        // More reports than 19 bits hold would need a wider word; far beyond any district's site.
        precondition(count < 1 << 19, "search index: too many reports")
        // Term files and docs files in one pool: docs files from the memo where their reports' entries are unchanged.
        let docFiles = max(1, (count + SiteBuild.searchDocsPerFile - 1) / SiteBuild.searchDocsPerFile)
        let docFileKeys = (0..<docFiles).map { d in
            docKeys[min(count, d * SiteBuild.searchDocsPerFile) ..< min(count, (d + 1) * SiteBuild.searchDocsPerFile)]
                .reduce(UInt64(d) &+ 1) { $0 &* 31 &+ $1 }
        }
        let keptDocs = memo?.searchDocs ?? [:]
        final class Texts: @unchecked Sendable { let lock = Lock(); var t: [[UInt8]]; init(_ n: Int) { t = Array(repeating: [], count: n) } }
        let out = Texts(files + docFiles)
        DispatchQueue.concurrentPerform(iterations: files + docFiles) { f in
            let text: [UInt8]
            if f < files {
                var parts = (0..<chunks).map { c in byChunk.take(c * files + f) ?? [] }
                var all: [UInt64] = []
                all.reserveCapacity(parts.reduce(0) { $0 + $1.count })
                for part in parts { all += part }
                parts = []
                all.sort()
                text = SiteBuild.termFile(f, all).compacted()
            } else {
                let d = f - files
                text = keptDocs[docFileKeys[d]] ?? docsFile(d).compacted()
            }
            out.lock.withLock { out.t[f] = text }
        }
        let texts = out.t
        if let memo {
            var next: [UInt64: [UInt8]] = [:]
            for d in 0..<docFiles { next[docFileKeys[d]] = texts[files + d] }
            memo.searchDocs = next
        }
        var hash: UInt64 = 0
        for t in texts { hash = ContentHash.xxh64(t, seed: hash) }
        let h = String(hash, radix: 16)
        let folder = "idx-" + String(repeating: "0", count: 16 - h.count) + h
        var made: [(String, [UInt8])] = []
        for (f, t) in texts.enumerated() {
            made.append((f < files ? "search/\(folder)/t/\(f).js" : "search/\(folder)/d/\(f - files).js", t))
        }
        return (folder, made)
    }

    /// One file of titles and links: `KepuSearch.docs(d,[[path,title,date,kind,venue,summary],…]);`.
    func docsFile(_ d: Int) -> [UInt8] {
        var s = Array("KepuSearch.docs(\(d),[".utf8)
        let first = d * SiteBuild.searchDocsPerFile
        for i in first ..< min(infos.count, first + SiteBuild.searchDocsPerFile) {
            let info = infos[i]
            if i > first { s.append(UInt8(ascii: ",")) }
            s.append(UInt8(ascii: "["))
            for (k, field) in [info.path, info.title, info.date, info.kind, info.venue ?? "", SiteBuild.clip(info.summary, 80)].enumerated() {
                if k > 0 { s.append(UInt8(ascii: ",")) }
                JSON.escape(field, into: &s)
            }
            s.append(UInt8(ascii: "]"))
        }
        s.append(contentsOf: "]);\n".utf8)
        return s
    }

    /// One file of pairs: `KepuSearch.terms(f,{"科普":"postings",…});` where postings are, per report in
    /// ascending order, the gap to the previous one shifted left 3 bits with the mask, in base 36. Written
    /// as bytes: with a String per posting this was a tenth of a 10,000-report build.
    static func termFile(_ f: Int, _ sorted: [UInt64]) -> [UInt8] {
        var s: [UInt8] = Array("KepuSearch.terms(\(f),{".utf8)
        s.reserveCapacity(sorted.count * 4 + 32)
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        var i = 0
        while i < sorted.count {
            let key = sorted[i] >> 22
            if i > 0 { s.append(comma) }
            // The pair's two letters as a string literal: letters and digits only (searchChar), so nothing to escape.
            s.append(quote)
            for v in [UInt32(key >> 21), UInt32(key & 0x1F_FFFF)] { s.append(contentsOf: String(Unicode.Scalar(v)!).utf8) }
            s.append(quote)
            s.append(UInt8(ascii: ":"))
            s.append(quote)
            var last = -1
            var firstPosting = true
            while i < sorted.count && sorted[i] >> 22 == key {
                let doc = Int((sorted[i] >> 3) & 0x7_FFFF), mask = Int(sorted[i] & 7)
                if !firstPosting { s.append(comma) }
                appendBase36((doc - last) << 3 | mask, to: &s)
                firstPosting = false
                last = doc
                i += 1
            }
            s.append(quote)
        }
        s.append(contentsOf: "});\n".utf8)
        return s
    }

    private static let base36Digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// `String(n, radix: 36)` for n ≥ 0, appended as bytes.
    static func appendBase36(_ n: Int, to s: inout [UInt8]) {
        if n < 36 { s.append(base36Digits[n]); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[count] = base36Digits[v % 36]; v /= 36; count += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { s.append(d[k]) }
        }
    }

    /// search/index.html, its index and script (the venue pages its browse lists lead to: `venueJobs`).
    func writeSearch() throws {
        let index = try writeSearchIndex()
        try sink.write("assets/search.js", theme.searchScript)
        let path = SiteBuild.searchPath
        var c = page(path, title: t("search_title"), description: t("search_description", ["count": format.count(reports.count)]),
                     section: "search")
        c["indexFolder"] = index.folder
        c["termFiles"] = String(index.termFiles)
        c["docsPerFile"] = String(SiteBuild.searchDocsPerFile)
        c["count"] = String(reports.count)
        var byKind: [String: Int] = [:]
        var byMonth: [Int: [Int: Int]] = [:]
        for r in reports {
            byKind[r.kind, default: 0] += 1
            byMonth[r.date.year, default: [:]][r.date.month, default: 0] += 1
        }
        c["kinds"] = kinds.map { k -> Context in
            ["kind": k, "count": format.count(byKind[k]!), "href": href("reports/kind/\(kindFolders[k]!)/index.html", from: path)]
        }
        c["years"] = byMonth.keys.sorted(by: >).map { y -> Context in
            ["year": String(y), "months": byMonth[y]!.keys.sorted().map { m -> Context in
                ["label": format.shortMonth(m), "count": format.count(byMonth[y]![m]!),
                 "href": href("reports/\(y)/\(SiteBuild.monthFolder(m))/index.html", from: path)]
            }]
        }
        c["venues"] = venues.map { v -> Context in
            ["venue": v.name, "count": format.count(v.reports.count), "href": href(v.folder + "index.html", from: path)]
        }
        c["hasVenues"] = !venues.isEmpty
        try write(path, template: "search", context: c)
    }

    /// The venue pages, in a few jobs of about equal size: beside the search index, not after it (the longest job).
    func venueJobs() -> [@Sendable () throws -> Void] {
        let total = venues.reduce(0) { $0 + $1.reports.count }
        let parts = max(1, min(venues.count, 4))
        var groups: [[VenueGroup]] = Array(repeating: [], count: parts)
        var filled = 0
        for v in venues {
            groups[min(parts - 1, filled * parts / max(total, 1))].append(v)
            filled += v.reports.count
        }
        return groups.filter { !$0.isEmpty }.map { group in { for v in group { try writeVenue(v) } } }
    }

    struct VenueGroup { var name: String; var folder: String; var reports: [Int] }

    /// Venues in the order of their names, each with its reports newest first (made once, in `init`).
    static func venueGroups(_ infos: [ReportInfo]) -> [VenueGroup] {
        var by: [String: [Int]] = [:]
        for info in infos { if let v = info.venue { by[v, default: []].append(info.index) } }
        var used: Set<String> = []
        return by.keys.sorted { $0.precedesInBytes($1) }.map { v in
            var name = Escape.fileName(v)
            var n = 2
            while used.contains(name) { name = Escape.fileName(v) + "-\(n)"; n += 1 }
            used.insert(name)
            return VenueGroup(name: v, folder: "reports/venue/\(name)/", reports: by[v]!.reversed())
        }
    }

    func writeVenue(_ v: VenueGroup) throws {
        let pages = max(1, (v.reports.count + SiteBuild.pageSize - 1) / SiteBuild.pageSize)
        func pagePath(_ n: Int) -> String { v.folder + (n == 1 ? "index.html" : "\(n).html") }
        for n in 1...pages {
            let path = pagePath(n)
            var c = page(path, title: t("reports_venue_title", ["venue": v.name]) + (n > 1 ? " (\(n)/\(pages))" : ""),
                         description: t("reports_venue_description", ["venue": v.name, "count": format.count(v.reports.count)]),
                         section: "reports")
            c["venue"] = v.name
            c["count"] = format.count(v.reports.count)
            c["searchHref"] = href(SiteBuild.searchPath, from: path)
            let slice = v.reports[((n - 1) * SiteBuild.pageSize)..<min(v.reports.count, n * SiteBuild.pageSize)]
            c["reports"] = slice.map { reportItem(infos[$0], from: path) }
            if pages > 1 { c["pageOf"] = t("page_of", ["n": String(n), "count": String(pages)]) }
            if n > 1 { c["newer"] = ["href": href(pagePath(n - 1), from: path)] as Context }
            if n < pages { c["older"] = ["href": href(pagePath(n + 1), from: path)] as Context }
            try write(path, template: "report-venue", context: c)
        }
    }
}

/// The last search index made, kept in the cache folder under a hash of everything it was made from.
enum SearchIndexCache {
    /// `folder`, then each file as its path, its length and its bytes, one record a line. Read in pieces, each
    /// file's bytes straight into its own array: reading the whole cache first held it twice (77 MB each at
    /// 100,000 reports), at the build's peak.
    static func read(_ file: String) -> (folder: String, files: [(String, [UInt8])])? {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var reader = Reader(fd: fd)
        guard let folder = reader.line() else { return nil }
        var files: [(String, [UInt8])] = []
        while !reader.atEnd {
            guard let path = reader.line(), let countText = reader.line(), let count = Int(countText), count >= 0,
                  let bytes = reader.bytes(count) else { return nil }
            files.append((path, bytes))
        }
        return (folder, files)
    }

    /// Lines through a small buffer; long runs of bytes read past it, into their own array.
    struct Reader {
        let fd: Int32
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var start = 0, end = 0
        var failed = false

        init(fd: Int32) { self.fd = fd }

        /// Reads more after what is left; false at the end of the file (or on an error).
        mutating func fill() -> Bool {
            if start > 0 {
                buffer.withUnsafeMutableBytes { b in _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start) }
                end -= start
                start = 0
            }
            if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let n = buffer.withUnsafeMutableBytes { b in Glibc.read(fd, b.baseAddress! + end, b.count - end) }
            if n < 0 { failed = true }
            if n <= 0 { return false }
            end += n
            return true
        }

        var atEnd: Bool {
            mutating get { start == end && !fill() }
        }

        mutating func line() -> String? {
            var from = start
            while true {
                if let newline = buffer[from..<end].firstIndex(of: 10) {
                    let text = String(decoding: buffer[start..<newline], as: UTF8.self)
                    start = newline + 1
                    return text
                }
                let scanned = end - start
                guard fill() else { return nil }
                from = start + scanned
            }
        }

        mutating func bytes(_ count: Int) -> [UInt8]? {
            if count == 0 { return [] }
            let buffered = min(count, end - start)
            var ok = true
            let out = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                buffer.withUnsafeBytes { b in
                    _ = memcpy(out.baseAddress!, b.baseAddress! + start, buffered)
                }
                var got = buffered
                while got < count {
                    let n = Glibc.read(fd, out.baseAddress! + got, count - got)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { ok = false; break }
                    got += n
                }
                initialized = ok ? count : 0
            }
            start += buffered
            return ok ? out : nil
        }
    }

    /// Replaces any earlier index in the cache folder (a cache is Kepu's own: only its `.idx` files go).
    static func write(_ files: [(String, [UInt8])], folder: String, to file: String, in cacheFolder: String) {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: cacheFolder, withIntermediateDirectories: true)
        for old in (try? fm.contentsOfDirectory(atPath: cacheFolder)) ?? [] where old.hasSuffix(".idx") {
            try? fm.removeItem(atPath: cacheFolder + "/" + old)
        }
        // Written whole, then renamed: a build stopped half-way never leaves half an index to be read back.
        // Each file straight from its array, not gathered into one copy of the whole index first.
        let temporary = file + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var ok = FileSystem.writeAll(fd, Array((folder + "\n").utf8)) == nil
        for (path, bytes) in files where ok {
            ok = FileSystem.writeAll(fd, Array("\(path)\n\(bytes.count)\n".utf8)) == nil && FileSystem.writeAll(fd, bytes) == nil
        }
        close(fd)
        guard ok, rename(temporary, file) == 0 else {
            unlink(temporary)
            return
        }
    }
}
