import KepuCore

/// What the server adds to HTML responses (only when serving; the built files never contain it):
/// the live-reload script and, while the last rebuild failed, an overlay listing its problems.
enum LiveOverlay {
    static let scriptPath = "/__kepu/live.js"
    static let stylePath = "/__kepu/live.css"
    static let eventsPath = "/__kepu/events"

    /// Inserts the snippet before the last `</body>`, or at the end when there is none.
    static func inject(into html: [UInt8], generation: Int, problems: Problems?) -> [UInt8] {
        let snippet = Array(self.snippet(generation: generation, problems: problems).utf8)
        guard let at = lastIndex(of: Array("</body".utf8), in: html) else { return html + snippet }
        return Array(html[..<at]) + snippet + Array(html[at...])
    }

    /// Case-insensitive search from the end (`needle` in lower case).
    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).reversed().first { matches(needle, haystack, at: $0) }
    }

    /// Case-insensitive search from the start (`needle` in lower case).
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { matches(needle, haystack, at: $0) }
    }

    /// `haystack` at `i` holds `needle`, ASCII letters compared without case.
    private static func matches(_ needle: [UInt8], _ haystack: [UInt8], at i: Int) -> Bool {
        for k in 0..<needle.count {
            var b = haystack[i + k]
            if b >= 0x41 && b <= 0x5A { b += 0x20 }
            if b != needle[k] { return false }
        }
        return true
    }

    /// The diagnostics of a failed rebuild, kept until a rebuild succeeds.
    struct Problems: Sendable {
        var diagnostics: [Diagnostic]
        var language: Language
        var hasGoodSite: Bool
    }

    static func snippet(generation: Int, problems: Problems?) -> String {
        var out = "\n<!-- kepu serve: live reload (not part of the built site) -->\n"
        if let problems { out += overlay(problems) }
        out += "<script src=\"\(scriptPath)\" data-generation=\"\(generation)\"></script>\n"
        return out
    }

    static func overlay(_ p: Problems) -> String {
        let errors = p.diagnostics.filter { $0.severity == .error }.count
        let zh = p.language == .zhCN
        let heading: String
        if zh {
            heading = "构建失败：\(errors) 个错误" + (p.hasGoodSite ? "。下面的网页是上一次构建成功的版本。" : "。")
        } else {
            heading = "Build failed: \(errors) errors." + (p.hasGoodSite ? " This page is from the last good build." : "")
        }
        let footer = zh ? "改好文件并保存后，页面会自动刷新。" : "Fix the file and save it: the page reloads by itself."
        var lines = ""
        for d in p.diagnostics {
            lines += "<li class=\"kepu-\(d.severity.rawValue)\">" + escape(d.formatted(p.language)) + "</li>\n"
        }
        return """
            <link rel="stylesheet" href="\(stylePath)">
            <aside id="kepu-overlay" role="alert" lang="\(p.language.rawValue)">
            <section class="kepu-overlay-box">
            <p class="kepu-overlay-heading">\(escape(heading))</p>
            <ul class="kepu-overlay-list">
            \(lines)</ul>
            <p class="kepu-overlay-footer">\(escape(footer))</p>
            </section>
            </aside>

            """
    }

    /// A page for when no build has succeeded yet: just the overlay.
    static func errorPage(generation: Int, problems: Problems) -> String {
        let title = problems.language == .zhCN ? "构建失败" : "Build failed"
        return """
            <!DOCTYPE html>
            <html lang="\(problems.language.rawValue)">
            <head><meta charset="utf-8"><title>\(title)</title></head>
            <body>
            </body>
            </html>

            """
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }

    static let script = """
        // kepu serve: reload the page when the site is rebuilt. Not part of the built site.
        (function () {
          if (!window.EventSource) return;
          var me = document.currentScript;
          var generation = me ? me.getAttribute("data-generation") : null;
          var lost = false;
          function here() {
            var p = location.pathname;
            return p.charAt(p.length - 1) === "/" ? p + "index.html" : p;
          }
          // The page this tab shows: a rebuild writes it ahead of the rest of the site.
          var source = new EventSource("\(eventsPath)?page=" + encodeURIComponent(here()));
          function reload() { source.close(); location.reload(); }
          function remembered(value) {
            try {
              var was = sessionStorage.getItem("kepu-early");
              if (value === undefined) sessionStorage.removeItem("kepu-early"); else sessionStorage.setItem("kepu-early", value);
              return was;
            } catch (x) { return null; }
          }
          source.addEventListener("hello", function (e) {
            // A rebuild finished between loading this page and connecting: reload now. Unless this very page was
            // reloaded for that rebuild's early write (it was served before the rebuild ended, so it names the
            // generation before): it shows that rebuild's page already.
            if (generation === null || e.data === generation) return;
            if (remembered() === e.data + " " + here()) return;
            reload();
          });
          // The page of a report just saved, written before the rest of the site: reload it now, and remember
          // not to reload again when that rebuild ends (first line: the generation it will end with).
          source.addEventListener("pages", function (e) {
            var lines = e.data.split("\\n");
            if (lines.slice(1).indexOf(here()) < 0) return;
            remembered(lines[0] + " " + here());
            reload();
          });
          source.addEventListener("reload", function (e) {
            if (remembered() === e.data + " " + here()) return;
            reload();
          });
          source.onerror = function () { lost = true; };
          // The server went away and is back (kepu serve restarted): show what it serves now.
          source.onopen = function () { if (lost) reload(); };
        })();

        """

    static let style = """
        /* kepu serve: the build-problem overlay. Not part of the built site. */
        #kepu-overlay { display: block; position: fixed; inset: 0; width: auto; height: auto; z-index: 2147483647; background: rgba(20, 20, 20, 0.82);
          overflow: auto; padding: 4vh 4vw; box-sizing: border-box; font-size: 16px; line-height: 1.6; }
        #kepu-overlay .kepu-overlay-box { position: relative; overflow: visible; max-width: 72em; margin: 0 auto; background: #fff; color: #1a1a1a;
          border-top: 6px solid #c62828; border-radius: 4px; padding: 1.2em 1.6em; }
        #kepu-overlay .kepu-overlay-heading { margin: 0 0 0.8em; font-weight: bold; color: #c62828; font-size: 1.15em; }
        #kepu-overlay .kepu-overlay-list { margin: 0; padding: 0; list-style: none; }
        #kepu-overlay .kepu-overlay-list li { white-space: pre-wrap; word-break: break-all; margin: 0 0 0.8em;
          font-family: ui-monospace, "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace; }
        #kepu-overlay .kepu-warning { color: #8a5a00; }
        #kepu-overlay .kepu-overlay-footer { margin: 1em 0 0; color: #555; }

        """
}
