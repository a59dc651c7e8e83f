import KepuCore

/// Text for HTML: every value the desk puts in a page goes through here (the escaping every page of Kepu uses).
func esc(_ s: String) -> String { XMLText.escape(s) }

/// Chinese or English, chosen once per desk (LANG, or the site's language).
struct Words: Sendable {
    let language: Language
    func callAsFunction(_ zh: String, _ en: String) -> String { language == .en ? en : zh }
}

/// The pages' frame and style: no JavaScript, one column on a phone (375 px), wider on a desk (1280 px).
enum Layout {
    static let css = """
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.6 "Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;color:#1b1b1b;background:#f4f5f7}
    header{background:#0b4f8a;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
    header a{color:#fff}
    header .who{margin-left:auto}
    header form{display:inline}
    main{max-width:1100px;margin:0 auto;padding:1rem}
    h1{font-size:1.4rem;margin:.2rem 0 1rem}
    h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
    .card{background:#fff;border:1px solid #d7dbe0;border-radius:6px;padding:1rem;margin:0 0 1rem}
    .grid{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem}
    .grid>*{min-width:0}
    @media (min-width:800px){.grid{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}.wide{grid-column:1/-1}}
    fieldset{min-width:0;border:1px solid #d7dbe0;border-radius:4px;padding:.5rem .8rem}
    input[type=file]{max-width:100%}
    label{display:block;font-weight:600;margin:.2rem 0}
    input[type=text],input[type=password],input[type=date],input[type=number],select,textarea{width:100%;padding:.55rem;font:inherit;border:1px solid #8a94a3;border-radius:4px;background:#fff}
    textarea{min-height:12rem}
    .field{margin:0 0 1rem}
    .note{color:#4a5361;font-size:.9rem;margin:.2rem 0}
    .error{color:#a1160a;background:#fdecea;border-left:4px solid #a1160a;padding:.4rem .6rem;margin:.3rem 0}
    .field.bad input,.field.bad select,.field.bad textarea{border-color:#a1160a;border-width:2px}
    .ok{color:#0b5d1e;background:#e6f4ea;border-left:4px solid #0b5d1e;padding:.4rem .6rem}
    button,.button{display:inline-block;padding:.6rem 1.1rem;font:inherit;border-radius:4px;border:1px solid #0b4f8a;background:#0b4f8a;color:#fff;text-decoration:none;cursor:pointer;min-height:44px}
    button.plain,.button.plain{background:#fff;color:#0b4f8a}
    table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
    .rows td input{min-width:5rem}
    .table{overflow-x:auto}
    .met{color:#0b5d1e}.short{color:#a1160a}
    pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f9;border:1px solid #ddd;padding:.6rem;font-size:.85rem;max-height:30rem;overflow:auto}
    .photos{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
    .photos li{background:#eef1f4;padding:.3rem .5rem;border-radius:4px;font-size:.85rem;max-width:100%;overflow-wrap:anywhere}
    .photos img{height:auto;max-width:96px;display:inline-block}
    .big{font-size:1.25rem;font-weight:700}
    .default-save{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
    """

    static func page(_ title: String, _ w: Words, session: Session?, _ body: String) -> String {
        var nav = ""
        if let session {
            nav = """
            <a href="/">\(w("首页", "Dashboard"))</a> <a href="/reports">\(w("全部报告", "Reports"))</a> \
            <a href="/reports/new">\(w("记录活动", "New report"))</a>
            <span class="who">\(esc(session.user))（\(esc(w(session.role.rawValue, session.role == .reviewer ? "reviewer" : "reporter")))）
            <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(esc(session.csrf))">\
            <button class="plain" type="submit">\(w("退出", "Log out"))</button></form></span>
            """
        }
        return """
        <!DOCTYPE html>
        <html lang="\(w("zh-CN", "en"))"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title)) · \(w("科普工作台", "Kepu desk"))</title>
        <style>\(css)</style></head>
        <body><header><strong>\(w("科普工作台", "Kepu desk"))</strong> \(nav)</header>
        <main>\(body)</main></body></html>
        """
    }
}
