import CXlsx
import Foundation
import KepuCore
import KepuLedger
import KepuPresentation

/// The only code that touches libxlsxwriter: a workbook written to a private temporary file, read back as
/// bytes and removed, so the build's sink decides where it lands (a failed build leaves nothing behind).
final class Workbook {
    /// A cell's look; formats are made once per distinct style (libxlsxwriter keeps them until close).
    struct Style: Hashable {
        var bold = false
        var size: Double = 10
        var border = true
        var align: Align = .left
        var wrap = true
        var numberFormat: String? = nil
        var shaded = false
        enum Align: Hashable { case left, center, right }
    }

    private let book: UnsafeMutablePointer<lxw_workbook>
    private let path: String
    private var formats: [Style: UnsafeMutablePointer<lxw_format>] = [:]
    private var closed = false

    /// `created`: the build date, written into docProps/core.xml instead of the clock, so the same content
    /// and date give the same bytes.
    init(title: String, author: String, created: Day) throws {
        var template = Array((NSTemporaryDirectory() + "/kepu-xlsx-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw CommandProblem.writeFailed(path: NSTemporaryDirectory(), reason: String(cString: strerror(errno))) }
        close(fd)
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let book = workbook_new(path) else {
            unlink(path)
            throw CommandProblem.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        self.book = book
        title.withCString { t in
            author.withCString { a in
                var props = lxw_doc_properties()
                props.title = UnsafeMutablePointer(mutating: t)
                props.author = UnsafeMutablePointer(mutating: a)
                props.company = UnsafeMutablePointer(mutating: a)
                props.created = time_t(created.ordinal) * 86_400
                _ = workbook_set_properties(book, &props)
            }
        }
    }

    deinit {
        if !closed {
            _ = workbook_close(book)
            unlink(path)
        }
    }

    /// A worksheet named `name` as Excel allows it: at most 31 characters and none of `[]:*?/\` (libxlsxwriter
    /// refuses any other name, and an English theme's title is longer).
    func sheet(_ name: String) -> Sheet {
        var safe = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        if safe.trimmingCharacters(in: .whitespaces).isEmpty { safe = "Sheet1" }
        return Sheet(self, workbook_add_worksheet(book, safe)!)
    }

    func format(_ s: Style) -> UnsafeMutablePointer<lxw_format> {
        if let f = formats[s] { return f }
        let f = workbook_add_format(book)!
        format_set_font_name(f, "SimSun")
        format_set_font_size(f, s.size)
        if s.bold { format_set_bold(f) }
        if s.border { format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        switch s.align {
        case .left: format_set_align(f, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center: format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right: format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue))
        }
        format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        if s.wrap { format_set_text_wrap(f) }
        if let n = s.numberFormat { format_set_num_format(f, n) }
        if s.shaded {
            format_set_pattern(f, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(f, 0xF2F2F2)
        }
        formats[s] = f
        return f
    }

    /// Closes the workbook and returns the file's bytes.
    func bytes() throws -> [UInt8] {
        closed = true
        defer { unlink(path) }
        let error = workbook_close(book)
        guard error == LXW_NO_ERROR else { throw CommandProblem.writeFailed(path: path, reason: "libxlsxwriter: " + String(cString: lxw_strerror(error))) }
        guard let data = FileManager().contents(atPath: path) else { throw CommandProblem.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        return Array(data)
    }

    final class Sheet {
        unowned let book: Workbook
        let ws: UnsafeMutablePointer<lxw_worksheet>

        init(_ book: Workbook, _ ws: UnsafeMutablePointer<lxw_worksheet>) {
            self.book = book
            self.ws = ws
        }

        /// A4, one page wide (as many tall as it takes), centred, the title rows repeated on every page.
        func printSetup(landscape: Bool, repeatRows: ClosedRange<Int>) {
            worksheet_set_paper(ws, 9)  // 9 = A4 in the Excel paper table.
            if landscape { worksheet_set_landscape(ws) } else { worksheet_set_portrait(ws) }
            worksheet_fit_to_pages(ws, 1, 0)
            worksheet_center_horizontally(ws)
            worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5)
            _ = worksheet_repeat_rows(ws, lxw_row_t(repeatRows.lowerBound), lxw_row_t(repeatRows.upperBound))
        }

        func widths(_ w: [Double]) {
            for (i, x) in w.enumerated() { _ = worksheet_set_column(ws, lxw_col_t(i), lxw_col_t(i), x, nil) }
        }

        func height(_ row: Int, _ h: Double) { _ = worksheet_set_row(ws, lxw_row_t(row), h, nil) }

        /// A row tall enough for its wrapped texts: libxlsxwriter cannot measure text, and a spreadsheet
        /// does not grow a row with merged or preset height by itself. A CJK character is about two width units.
        func fit(_ row: Int, _ cells: [(text: String, width: Double)], minimum: Double = 30) {
            var lines = 1
            for c in cells {
                let units = c.text.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 2.0 : 1.1) }
                lines = max(lines, Int((units / max(1, c.width - 1)).rounded(.up)))
            }
            height(row, max(minimum, Double(lines) * 13.5 + 4))
        }

        /// Text, always stored as a string (never read as a formula, whatever staff typed).
        func text(_ row: Int, _ col: Int, _ s: String, _ style: Style = Style(), to last: (row: Int, col: Int)? = nil) {
            let f = book.format(style)
            if let last, last != (row, col) {
                _ = worksheet_merge_range(ws, lxw_row_t(row), lxw_col_t(col), lxw_row_t(last.row), lxw_col_t(last.col), s, f)
            } else {
                _ = worksheet_write_string(ws, lxw_row_t(row), lxw_col_t(col), s, f)
            }
        }

        /// A figure: a number with its display format where it has one, else its words.
        func figure(_ row: Int, _ col: Int, _ x: FormFigure?, unit: String = "", _ style: Style = Style(),
                    to last: (row: Int, col: Int)? = nil) {
            guard let x, let value = x.value else {
                text(row, col, x?.text ?? FormText.dash, Style(bold: style.bold, size: style.size, align: .center, shaded: style.shaded), to: last)
                return
            }
            var s = style
            s.align = .right
            s.numberFormat = Workbook.numberFormat(x, unit: unit)
            let f = book.format(s)
            // The double nearest the digits the page prints: parsed from them, since Foundation's Decimal-to-Double
            // conversion on Linux is not correctly rounded (12345.67 could land one step off).
            let number = Double(value.description) ?? 0
            if let last, last != (row, col) {
                // A merged range holds a number in its first cell; the rest are blank with the same format.
                _ = worksheet_merge_range(ws, lxw_row_t(row), lxw_col_t(col), lxw_row_t(last.row), lxw_col_t(last.col), "", f)
            }
            _ = worksheet_write_number(ws, lxw_row_t(row), lxw_col_t(col), number, f)
        }
    }

    /// Two decimals for money, rates and scores; whole quantities without; the unit shown, not stored.
    static func numberFormat(_ x: FormFigure, unit: String) -> String {
        let clean = unit.filter { $0 != "\"" && $0 != "\\" }
        switch x.kind {
        case .money: return "#,##0.00"
        case .percent: return "0.00\"%\""
        case .score: return "0.00"
        case .quantity:
            if clean == "%" || clean == "％" { return "0.00\"%\"" }
            let integral = x.value.map { $0 == $0.rounded(0) } ?? true
            return (integral ? "#,##0" : "#,##0.00") + (clean.isEmpty ? "" : "\"" + clean + "\"")
        }
    }
}

