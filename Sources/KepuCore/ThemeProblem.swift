/// What is wrong with the theme (templates, stylesheet, UI words): part of the one catalogue (see Problem).
/// The diagnostic's path, line and column name the file; these say what is wrong there, in the user's language.
public enum ThemeProblem: Equatable, Sendable {
    /// A file every site needs is not in the theme (a page template, site.css, search.js, i18n/zh-CN.yaml).
    case fileMissing
    case notUTF8
    /// A Mustache tag the parser could not read.
    case syntax(TemplateSyntax)
    /// `{{> name}}` or a parent that no template file provides.
    case noTemplateNamed(String)
    /// `{{name}}` that no page gives a value: it would show as nothing.
    case noPageProvides(String)
    /// The UI words file holds something other than `key: text` lines.
    case wordsNotKeyText
    /// The UI words file is not YAML the parser reads (its own words in `detail`).
    case wordsUnreadable(detail: String)

    public func text(_ language: Language) -> (message: String, hint: String?) {
        language == .en ? english : chinese
    }

    private var chinese: (message: String, hint: String?) {
        switch self {
        case .fileMissing: return ("主题缺少这个文件", "请从 Kepu 自带的 theme 文件夹中复制它，或用 --theme 指明主题文件夹。")
        case .notUTF8: return ("模板文件读不出来（须为 UTF-8 编码）", "用编辑器把它另存为 UTF-8。")
        case let .syntax(kind): return ("模板标签有误：\(kind.chinese)", "请对照 Mustache 的写法检查这一处的 {{ }}。")
        case let .noTemplateNamed(name): return ("没有名为“\(name)”的模板", "请检查模板名，或在 templates 中加上 \(name).mustache。")
        case let .noPageProvides(name): return ("没有页面提供“\(name)”这个值，它会显示为空", "请检查名字是否写错（见 theme/README）。")
        case .wordsNotKeyText: return ("界面文字文件的每一行应是“键: 文字”", "请对照 zh-CN.yaml 检查这一行。")
        case let .wordsUnreadable(detail): return ("界面文字文件不是有效的 YAML（\(detail)）", "请检查这一行的引号和冒号。")
        }
    }

    private var english: (message: String, hint: String?) {
        switch self {
        case .fileMissing: return ("the theme lacks this file", "copy it from Kepu's own theme folder, or name the theme with --theme")
        case .notUTF8: return ("the template cannot be read (it must be UTF-8)", "save it as UTF-8")
        case let .syntax(kind): return ("a Mustache tag is wrong: \(kind.english)", "check the {{ }} at this place")
        case let .noTemplateNamed(name): return ("no template is named \"\(name)\"", "check the name, or add \(name).mustache to templates")
        case let .noPageProvides(name): return ("no page provides \"\(name)\": it would show as nothing", "check the name (see theme/README)")
        case .wordsNotKeyText: return ("each line of the UI words must be `key: text`", "compare the line with zh-CN.yaml")
        case let .wordsUnreadable(detail): return ("the UI words are not valid YAML (\(detail))", "check the quotes and colons on this line")
        }
    }
}

/// The Mustache parser's complaints, named here so they read in the user's language.
public enum TemplateSyntax: Equatable, Sendable {
    case closingNameDiffers
    case unfinishedTag
    case sectionNotClosed
    case badDelimiter
    case inheritance
    case pragma
    case other(String)

    var chinese: String {
        switch self {
        case .closingNameDiffers: return "结束标签 {{/…}} 的名字与开始标签不一致"
        case .unfinishedTag: return "标签没有写完（缺少 }}）"
        case .sectionNotClosed: return "{{#…}} 或 {{^…}} 没有对应的 {{/…}}"
        case .badDelimiter: return "更换分隔符的标签 {{=… …=}} 写法不对"
        case .inheritance: return "继承（{{<…}} {{$…}}）的写法不对"
        case .pragma: return "{{% … }} 设置写法不对"
        case let .other(detail): return "（\(detail)）"
        }
    }

    var english: String {
        switch self {
        case .closingNameDiffers: return "the closing {{/…}} names another section"
        case .unfinishedTag: return "a tag is not finished (no }})"
        case .sectionNotClosed: return "a {{#…}} or {{^…}} has no {{/…}}"
        case .badDelimiter: return "a {{=… …=}} delimiter change is malformed"
        case .inheritance: return "an inheritance tag ({{<…}} {{$…}}) is malformed"
        case .pragma: return "a {{% … }} setting is malformed"
        case let .other(detail): return "(\(detail))"
        }
    }
}
