/// Everything Kepu can tell a user about their content, each with a message and a hint in every
/// supported language. Tests compare problems (Equatable) and the exact text.
public enum Problem: Equatable, Sendable {
    // Encoding and file structure
    case notUTF8
    case utf16
    case nulByte
    case emptyFile
    case unreadable(reason: String)
    case missingFrontMatter
    case unterminatedFrontMatter
    case frontMatterNotMapping
    // YAML syntax
    case yamlTab
    case yamlUnquotedColon
    case yamlSyntax(detail: String)
    case yamlDuplicateKey(key: String)
    case yamlAlias
    case yamlTooDeep
    case frontMatterTooLarge
    // Fields
    case missingField(key: String)
    case unknownField(key: String, suggestion: String?)
    case expectedText(key: String)
    case expectedList(key: String)
    case expectedMapping(key: String)
    case expectedWholeNumber(key: String, found: String)
    case numberTooLarge(key: String, found: String)
    case expectedNumber(key: String, found: String)
    case expectedBool(key: String, found: String)
    case invalidAmount(key: String, found: String)
    case negativeAmount(key: String, found: String)
    case amountTooManyDecimals(key: String, found: String)
    case amountTooLarge(key: String, found: String)
    case malformedDate(key: String, found: String)
    case impossibleDate(key: String, found: String)
    case invalidChoice(key: String, found: String, choices: [String])
    case percentOutOfRange(key: String, found: String)
    case emptyText(key: String)
    // Cross-field and cross-file rules
    case kindNotListed(kind: String, project: String, kinds: [String])
    case satisfiedExceedsSurveyed(satisfied: Int, surveyed: Int)
    case duplicateSlug(slug: String, otherPath: String)
    case photoMissing(path: String)
    case photoOutsideContent(path: String)
    case unknownProject(id: String, known: [String])
    case noProjectForDate(date: String)
    case ambiguousProject(date: String, ids: [String])
    case missingSiteFile
    case missingContentFolder(path: String)
    case scoringWeightsInvalid
    case dateOutsideWindow(from: String, until: String)
    // Output
    case outputNotKepu(path: String)
    case outputIsFile(path: String)
    case writeFailed(path: String, reason: String)
    // Added last and without payloads, so code compiled against the earlier cases still reads them right.
    /// `title：…`: a full-width colon after a field name, as a Chinese input method types it.
    case yamlFullWidthColon
    /// `venue 广场`: a line without the colon between field and value.
    case yamlMissingColon
    /// A symbolic link under content/ that points outside it: never read, never published.
    case linkOutsideContent(path: String)
    /// A Markdown file below a bundle's folder (a folder with index.md) is not read as a report.
    case insideBundle(bundle: String)
    /// A photo the report lists that exists but cannot be read or decoded as an image (#8 §4).
    case photoUnusable(path: String, fault: PhotoFault)
    /// `base_url` that is neither a path (`/kepu/`) nor an http(s) address.
    case invalidBaseURL(found: String)
    /// The target table, the project's money and the 自评表 (see FormProblem).
    case form(FormProblem)
    /// An announcement's `days` entry that is not 一 … 日.
    case invalidWeekday(key: String, found: String)
    /// An announcement's `hours` that is not `HH:MM-HH:MM` with the end after the start.
    case invalidHours(key: String, found: String)
    /// `led.module` that Kepu has no size for.
    case ledModuleUnknown(found: String, known: [String])
    /// `led.modules` that is not two whole numbers [columns, rows], or a module count without a module.
    case ledModulesInvalid(found: String)
    /// `led.width`/`height` that disagree with `led.module` × `led.modules`.
    case ledSizeConflict(width: Int, height: Int, moduleWidth: Int, moduleHeight: Int)
    /// A character of the LED text strip that a GB2312 font-chip card cannot show (a warning: no figure changes).
    case stripCharacterNotGB2312(field: String, character: String)
    /// `--led-video` asked for the MP4 and ffmpeg is not installed.
    case ledVideoNoFFmpeg
    /// ffmpeg ran and failed.
    case ledVideoFailed(reason: String)
    /// A misspelt field that feeds a figure (`audiance: 100`): an error, since the figure would read 0.
    case misspelledField(key: String, suggestion: String)
    /// `{item: 展板, amount: 1,800元}`: inside braces the comma cut the number in two.
    case commaSplitNumber(key: String, found: String)
    /// A line indented with a full-width space (U+3000), as a Chinese input method types it.
    case fullWidthSpaceIndent
    /// A value that cannot be below zero (a target's points).
    case negativeNumber(key: String, found: String)
    /// `![现场](现场 照片.jpg)` or `！[图]（a.jpg）`: an image in the body Markdown cannot read.
    case bodyImageBroken(found: String)
    /// `![图](a.jpg)` where a.jpg is not among the report's photos: it would show as a caption only.
    case bodyImageNotListed(path: String)
    /// A report still as `kepu new report` wrote it: no body text.
    case reportUnwritten
    /// Two projects with one budget year: reports cannot be told apart by their date.
    case projectYearShared(year: Int, others: [String])
    /// The theme folder does not exist.
    case themeMissing(path: String)
    /// Corrections, links and the other rules of the public site over the years (see SiteProblem).
    case site(SiteProblem)
    /// The theme's templates, stylesheet and UI words (see ThemeProblem).
    case theme(ThemeProblem)

    /// The message and the hint (how to fix it), in the site's language.
    public func text(_ language: Language) -> (message: String, hint: String?) {
        language == .en ? english : chinese
    }

    private var chinese: (message: String, hint: String?) {
        switch self {
        case let .form(p):
            return p.text(.zhCN)
        case let .site(p):
            return p.text(.zhCN)
        case let .theme(p):
            return p.text(.zhCN)
        case .notUTF8:
            return ("文件不是 UTF-8 编码（看起来是 GBK/GB18030 等旧编码），读出来会是乱码",
                    "用记事本打开此文件，选“另存为”，把“编码”改为 UTF-8 后保存。")
        case .utf16:
            return ("文件是 UTF-16（Unicode）编码，Kepu 只读 UTF-8",
                    "用记事本打开此文件，选“另存为”，把“编码”改为 UTF-8 后保存。")
        case .nulByte:
            return ("文件中有空字符（NUL），不是纯文本文件", "请确认这是用文本编辑器保存的 .md 文件，而不是 Word 等文档改了扩展名。")
        case .emptyFile:
            return ("文件是空的", "请写上前置信息（以 --- 开头和结尾）和正文，或删除此文件。")
        case let .unreadable(reason):
            return ("无法读取文件：\(reason)", "请检查文件是否存在、是否有读取权限。")
        case .missingFrontMatter:
            return ("文件开头缺少前置信息：第一行应为 ---",
                    "在第一行写 ---，接着逐行写 title、date 等字段，再用单独一行 --- 结束。")
        case .unterminatedFrontMatter:
            return ("前置信息没有结束：找不到结束的 --- 行",
                    "在最后一个字段之后加单独一行 ---，正文写在它下面。")
        case .frontMatterNotMapping:
            return ("前置信息应是一行一个“字段: 值”", "例如 title: 科普日活动；不要以 - 开头写成列表。")
        case .yamlTab:
            return ("前置信息中不能用 Tab 键缩进", "把这一行开头的 Tab 换成空格（两个空格为一级）。")
        case .yamlUnquotedColon:
            return ("这一行的值里有英文冒号“: ”，YAML 会把它当成新的字段",
                    "把值用英文双引号括起来，例如 title: \"科普日: 主题活动\"，或改用中文冒号“：”。")
        case .yamlFullWidthColon:
            return ("字段名后面用了中文冒号“：”", "改成英文冒号加一个空格，例如 title: 科普日活动。")
        case let .linkOutsideContent(path):
            return ("\(path) 是指向 content 文件夹以外的链接，为安全起见没有读取", "把文件本身复制到 content 文件夹里，不要用快捷方式或链接。")
        case let .insideBundle(bundle):
            return ("这个文件在带照片的报告文件夹 \(bundle) 里，不会作为报告读取", "报告文件夹里只放 index.md 和照片；其他报告请移到外面。")
        case let .photoUnusable(path, fault):
            return ("照片 \(path)：\(fault.text(.zhCN))。本次没有发布，网站保持原样", "请换成 JPEG、PNG、WebP 或 TIFF 格式的照片，或从 photos 中去掉它。")
        case let .invalidBaseURL(found):
            return ("base_url 应是网址或路径，这里写的是“\(found)”", "例如 base_url: \"/\"、\"/kepu/\" 或 \"https://kx.example.gov.cn/kepu/\"，不要有空格和引号。")
        case let .invalidWeekday(key, found):
            return ("\(key) 中的“\(found)”不是星期几", "写一、二、三、四、五、六、日中的字，例如 days: [一, 二, 三, 四, 五]。")
        case let .invalidHours(key, found):
            return ("\(key) 应是“开始-结束”的时刻，这里写的是“\(found)”", "用 24 小时制，结束晚于开始，例如 hours: \"08:30-17:30\"。")
        case let .ledModuleUnknown(found, known):
            return ("不认识的单元板型号“\(found)”", "可选：\(known.joined(separator: "、"))；或不写 module，直接用 width、height 写屏幕像素。")
        case let .ledModulesInvalid(found):
            return ("led.modules 应是两个整数 [横向块数, 纵向块数]，并且要同时写 module，这里写的是“\(found)”", "例如 led: {module: p10, modules: [11, 5]} 表示横向 11 块、纵向 5 块 P10 单元板。")
        case let .ledSizeConflict(width, height, moduleWidth, moduleHeight):
            return ("led 的 width、height（\(width)×\(height)）与单元板算出的尺寸（\(moduleWidth)×\(moduleHeight)）不一致", "只写 module 和 modules，或只写 width 和 height。")
        case let .stripCharacterNotGB2312(field, character):
            return ("\(field) 中的“\(character)”不在 GB2312 字库里，只认 GB2312 的条屏控制卡会显示成空白或乱码；没有生成 strip.gb2312.txt", "能换成常用字就换掉；否则条屏请用 strip.gb18030.txt，并确认控制卡支持 GBK/GB18030。")
        case .ledVideoNoFFmpeg:
            return ("要求生成大屏视频（--led-video），但本机没有安装 ffmpeg", "在 Debian 上运行 apt-get install ffmpeg（或 scripts/setup --test），或去掉 --led-video。")
        case let .ledVideoFailed(reason):
            return ("生成大屏视频 loop.mp4 失败：\(reason)", "检查 ffmpeg 是否完整安装（ffmpeg -version），或去掉 --led-video 先发布其他文件。")
        case .yamlMissingColon:
            return ("这一行缺少英文冒号，应写成“字段: 值”", "在字段名后加英文冒号和一个空格，例如 venue: 广场。")
        case let .misspelledField(key, suggestion):
            return ("字段名 \(Problem.zhKey(key)) 写错了；它会影响统计数字，不能忽略", "是不是想写 \(Problem.leafKey(suggestion))？")
        case let .commaSplitNumber(key, found):
            return ("\(Problem.zhKey(key))“\(found)”被逗号断开了：在 { } 或 [ ] 里，英文逗号用来分隔各项",
                    "给它加英文双引号，例如 \(Problem.leafKey(key)): \"\(found)\"；或去掉千位分隔的逗号。")
        case .fullWidthSpaceIndent:
            return ("这一行用全角空格（中文空格）缩进，字段认不出来", "把行首的全角空格删掉，改用英文输入法下的空格（半角）缩进。")
        case let .negativeNumber(key, found):
            return ("\(Problem.zhKey(key)) 不能是负数：“\(found)”", "请核对数值。")
        case let .bodyImageBroken(found):
            return ("正文中的图片写法有误：\(found)",
                    "图片写成 ![说明](文件名.jpg)，全部用英文输入法的括号，文件名中不要有空格（可改用 - 或 _）。")
        case let .bodyImageNotListed(path):
            return ("正文中的图片 \(path) 不在 photos 列表里，不会发布，只会显示说明文字", "在前置信息的 photos 中加上 \(path)。")
        case .reportUnwritten:
            return ("这篇报告还没有写正文（仍是 kepu new report 生成的样子），不能发布和计入统计",
                    "在第二个 --- 下面写活动经过；暂时不写，就把 draft 改为 true，或删掉这个文件。")
        case let .projectYearShared(year, others):
            return ("这个项目的 year 是 \(year)，与 \(others.joined(separator: "、")) 相同：报告无法按日期分到项目",
                    "如果这是复制来的新年度项目，请把 year 改成新的年度；两个项目确实同一年度时，每篇报告用 project: 指明所属项目。")
        case let .themeMissing(path):
            return ("找不到主题文件夹 \(path)", "请在网站文件夹中运行，或用 --theme 指明主题文件夹（里面有 templates）。")
        case let .yamlSyntax(detail):
            // libyaml's English never reaches staff: each known problem said in Chinese, anything else generally.
            return ("前置信息格式有误：" + Problem.zhYAML(detail), "检查这一行和上一行的缩进、冒号和引号是否成对。")
        case let .yamlDuplicateKey(key):
            return ("字段 \(Problem.zhKey(key)) 写了两次", "删掉其中一个。")
        case .yamlAlias:
            return ("前置信息中不支持 YAML 锚点和别名（& 与 *）", "把引用的内容直接写出来。")
        case .yamlTooDeep:
            return ("前置信息嵌套层数过多", "前置信息最多只需要三层缩进，请检查括号和缩进。")
        case .frontMatterTooLarge:
            return ("前置信息过长（超过 64 KB）", "前置信息只放字段，长文字请写在第二个 --- 之后的正文里。")
        case let .missingField(key):
            return ("缺少必填字段 \(Problem.zhKey(key))", "在前置信息中加一行 \(Problem.leafKey(key)): …")
        case let .unknownField(key, suggestion):
            if let suggestion { return ("不认识的字段 \(Problem.zhKey(key))，已忽略", "是不是想写 \(Problem.leafKey(suggestion))？") }
            return ("不认识的字段 \(Problem.zhKey(key))，已忽略", "请对照内容格式说明检查字段名。")
        case let .expectedText(key):
            return ("\(Problem.zhKey(key)) 应是一段文字", "直接写文字即可，例如 \(Problem.leafKey(key)): 科普日活动。")
        case .expectedList("spend"):
            return ("spend 应是一个列表", "每笔支出一行，写成 - {item: 展板, amount: 600}；只有一笔时也可以写 spend: 600。")
        case let .expectedList(key):
            return ("\(Problem.zhKey(key)) 应是一个列表", "写成 \(Problem.leafKey(key)): [甲, 乙]，或每项一行、以“- ”开头。")
        case let .expectedMapping(key):
            return ("\(Problem.zhKey(key)) 应是若干“字段: 值”", "在 \(Problem.leafKey(key)): 下面缩进两个空格，逐行写字段。")
        case let .expectedWholeNumber(key, found) where Problem.hasChinesePunctuation(found):
            return ("\(Problem.zhKey(key)) 应是不小于 0 的整数，这里写的是“\(found)”", Problem.halfWidthHint)
        case let .expectedWholeNumber(key, found):
            return ("\(Problem.zhKey(key)) 应是不小于 0 的整数，这里写的是“\(found)”", "请用阿拉伯数字，例如 \(Problem.leafKey(key)): 120。")
        case let .numberTooLarge(key, found):
            return ("\(Problem.zhKey(key)) 的数值“\(found)”太大，不像是真实数据", "请核对数字是否多写了位数。")
        case let .expectedNumber(key, found) where Problem.hasChinesePunctuation(found):
            return ("\(Problem.zhKey(key)) 应是一个数，这里写的是“\(found)”", Problem.halfWidthHint)
        case let .expectedNumber(key, found):
            return ("\(Problem.zhKey(key)) 应是一个数，这里写的是“\(found)”", "请用阿拉伯数字，例如 \(Problem.leafKey(key)): 90。")
        case let .expectedBool(key, found):
            return ("\(Problem.zhKey(key)) 只能是 true 或 false，这里写的是“\(found)”", "是写 true，否写 false。")
        case let .invalidAmount(key, found) where Problem.hasChinesePunctuation(found):
            return ("\(Problem.zhKey(key)) 不是金额：“\(found)”", Problem.halfWidthHint)
        case let .invalidAmount(key, found):
            return ("\(Problem.zhKey(key)) 不是金额：“\(found)”", "金额可写成 1800、1800.50、\"1,800.50\"、\"¥1,800.50\"、\"1800元\" 或 \"0.18万\"。")
        case let .negativeAmount(key, found):
            return ("\(Problem.zhKey(key)) 不能是负数：“\(found)”", "退款或冲销请在说明中写明，金额写实际支出。")
        case let .amountTooManyDecimals(key, found):
            return ("\(Problem.zhKey(key)) 精确到分即可，“\(found)”的小数位太多", "金额最多两位小数（到分），例如 1800.50。")
        case let .amountTooLarge(key, found):
            return ("\(Problem.zhKey(key)) 的金额“\(found)”太大", "请核对是否多写了位数。")
        case let .malformedDate(key, found):
            return ("\(Problem.zhKey(key)) 不是日期：“\(found)”", "日期写成 年-月-日，年份四位，例如 2023-05-20。")
        case let .impossibleDate(key, found):
            // `date 的日期…`, but 第 1 个支出进度节点的日期 is already a date: no second 的日期.
            let name = Problem.zhKey(key)
            return (name + (name.hasSuffix("日期") ? "" : " 的日期") + "“\(found)”不存在", "请核对月份和日期，例如二月没有 30 日。")
        case let .invalidChoice(key, found, choices):
            return ("\(Problem.zhKey(key)) 不能是“\(found)”", "可选：\(choices.joined(separator: "、"))。")
        case let .percentOutOfRange(key, found):
            return ("\(Problem.zhKey(key)) 应是 0 到 100 之间的百分数，这里是“\(found)”", "例如 \(Problem.leafKey(key)): 50 表示 50%。")
        case let .emptyText(key):
            return ("\(Problem.zhKey(key)) 不能为空", "请填写内容。")
        case let .kindNotListed(kind, project, kinds):
            let trimmed = kind.trimmingSpaces
            if trimmed != kind && kinds.contains(trimmed) {
                return ("活动类型“\(kind)”前后有多余的空格", "改为 kind: \(trimmed)。")
            }
            return ("活动类型“\(kind)”不在项目 \(project) 的 kinds 列表中",
                    "可用的类型：\(kinds.joined(separator: "、"))；或在项目文件的 kinds 中加上它。")
        case let .satisfiedExceedsSurveyed(satisfied, surveyed):
            return ("满意人数（\(satisfied)）多于调查人数（\(surveyed)）", "satisfied 不能大于 surveyed，请核对问卷统计。")
        case let .duplicateSlug(slug, otherPath):
            return ("报告名“\(slug)”与 \(otherPath) 重复，网页地址会冲突", "请给其中一个文件（或文件夹）改名。")
        case let .photoMissing(path):
            return ("找不到照片 \(path)", "照片路径相对于这篇报告所在的文件夹；请检查文件名和扩展名的大小写。")
        case let .photoOutsideContent(path):
            return ("照片 \(path) 不在 content 文件夹内", "把照片放到报告旁边（同一文件夹），用文件名引用。")
        case let .unknownProject(id, known):
            let list = known.isEmpty ? "（还没有项目）" : known.joined(separator: "、")
            return ("没有编号为“\(id)”的项目", "project 应是 projects 文件夹中某个文件的名字（不含 .md）：\(list)。")
        case let .noProjectForDate(date):
            return ("日期 \(date) 不属于任何项目的年度", "请核对日期，或用 project: 指明所属项目。")
        case let .ambiguousProject(date, ids):
            return ("日期 \(date) 同时属于多个项目：\(ids.joined(separator: "、"))", "请用 project: 指明所属项目。")
        case .missingSiteFile:
            return ("缺少网站设置文件 site.yaml", "在 content 文件夹中新建 site.yaml，至少写 title 和 unit。")
        case let .missingContentFolder(path):
            return ("找不到内容文件夹 \(path)", "用 --content 指定内容文件夹，默认是当前目录下的 content。")
        case .scoringWeightsInvalid:
            return ("scoring 的各项分值之和必须大于 0", "默认为 execution: 10, output: 50, effect: 30, satisfaction: 10。")
        case let .dateOutsideWindow(from, until):
            return ("开始日期 \(from) 晚于结束日期 \(until)", "from 应不晚于 until。")
        case let .outputNotKepu(path):
            return ("输出文件夹 \(path) 不是空的，也不是 Kepu 生成的，为免误删，没有覆盖它",
                    "请换一个输出文件夹（--output），或确认无用后自行清空它。")
        case let .outputIsFile(path):
            return ("输出位置 \(path) 是一个文件，不是文件夹", "请换一个输出位置（--output）。")
        case let .writeFailed(path, reason):
            return ("无法写入 \(path)：\(reason)，原有网站保持不变", "请检查磁盘空间和写入权限。")
        }
    }

    private var english: (message: String, hint: String?) {
        switch self {
        case let .form(p):
            return p.text(.en)
        case let .site(p):
            return p.text(.en)
        case let .theme(p):
            return p.text(.en)
        case .notUTF8:
            return ("the file is not UTF-8 (it looks like GBK/GB18030 or another legacy encoding)",
                    "open it in your editor and save it again with the encoding set to UTF-8")
        case .utf16:
            return ("the file is UTF-16; Kepu reads UTF-8 only", "save it again with the encoding set to UTF-8")
        case .nulByte:
            return ("the file contains NUL bytes and is not plain text", "make sure this is a text file, not a renamed document")
        case .emptyFile:
            return ("the file is empty", "write front matter between --- lines and a body, or delete the file")
        case let .unreadable(reason):
            return ("cannot read the file: \(reason)", "check that it exists and is readable")
        case .missingFrontMatter:
            return ("the file does not start with front matter: the first line must be ---",
                    "start with a --- line, the fields (title, date, …), then a closing --- line")
        case .unterminatedFrontMatter:
            return ("the front matter is not closed: no closing --- line", "add a --- line after the last field")
        case .frontMatterNotMapping:
            return ("the front matter must be `key: value` lines", "for example `title: Science Day`")
        case .yamlTab:
            return ("tabs cannot indent front matter", "replace the tab at the start of this line with spaces")
        case .yamlUnquotedColon:
            return ("this value contains `: `, which YAML reads as a new key",
                    "put the value in double quotes: title: \"Science Day: open house\"")
        case .yamlFullWidthColon:
            return ("a field name is followed by a full-width colon \"：\"", "use an ASCII colon and a space: `title: Science Day`")
        case let .linkOutsideContent(path):
            return ("\(path) is a link to a file outside the content folder; it was not read", "copy the file itself into the content folder")
        case let .insideBundle(bundle):
            return ("this file is inside the report bundle \(bundle) and is not read as a report", "a bundle holds its index.md and photos; move other reports out")
        case let .photoUnusable(path, fault):
            return ("photo \(path): \(fault.text(.en)); nothing was published, the site is unchanged", "use a JPEG, PNG, WebP or TIFF photo, or remove it from photos")
        case let .invalidBaseURL(found):
            return ("base_url should be a web address or a path, not \"\(found)\"", "e.g. base_url: \"/\", \"/kepu/\" or \"https://kx.example.gov.cn/kepu/\", without spaces or quotes")
        case let .invalidWeekday(key, found):
            return ("\"\(found)\" in \(key) is not a day of the week", "write 一 (Monday) … 日 (Sunday), e.g. days: [一, 二, 三, 四, 五]")
        case let .invalidHours(key, found):
            return ("\(key) should be start-end times, not \"\(found)\"", "use 24-hour times with the end after the start, e.g. hours: \"08:30-17:30\"")
        case let .ledModuleUnknown(found, known):
            return ("unknown LED module \"\(found)\"", "one of \(known.joined(separator: ", ")); or give width and height in pixels instead")
        case let .ledModulesInvalid(found):
            return ("led.modules should be two whole numbers [columns, rows], with a module, not \"\(found)\"", "e.g. led: {module: p10, modules: [11, 5]}")
        case let .ledSizeConflict(width, height, moduleWidth, moduleHeight):
            return ("led width and height (\(width)x\(height)) disagree with the modules (\(moduleWidth)x\(moduleHeight))", "give either module and modules, or width and height")
        case let .stripCharacterNotGB2312(field, character):
            return ("\"\(character)\" in \(field) is not in GB2312: font-chip cards that read GB2312 cannot show it; strip.gb2312.txt was not written", "use a common character if you can; otherwise feed the card strip.gb18030.txt if it reads GBK/GB18030")
        case .ledVideoNoFFmpeg:
            return ("--led-video asks for the LED video, but ffmpeg is not installed", "install it (apt-get install ffmpeg, or scripts/setup --test), or leave out --led-video")
        case let .ledVideoFailed(reason):
            return ("making the LED video loop.mp4 failed: \(reason)", "check the ffmpeg installation (ffmpeg -version), or leave out --led-video")
        case .yamlMissingColon:
            return ("this line has no colon: write `key: value`", "put a colon and a space after the field name, e.g. `venue: Town hall`")
        case let .misspelledField(key, suggestion):
            return ("the field name \(key) is misspelt; it feeds a figure and cannot be ignored", "did you mean \(suggestion)?")
        case let .commaSplitNumber(key, found):
            return ("\(key) \"\(found)\" was cut at the comma: inside { } or [ ] a comma separates entries",
                    "put it in double quotes, e.g. \"\(found)\", or drop the thousands comma")
        case .fullWidthSpaceIndent:
            return ("this line is indented with a full-width space", "indent with ASCII spaces")
        case let .negativeNumber(key, found):
            return ("\(key) cannot be negative: \"\(found)\"", nil)
        case let .bodyImageBroken(found):
            return ("this image in the body cannot be read: \(found)", "write ![caption](file.jpg) with ASCII brackets and no space in the file name")
        case let .bodyImageNotListed(path):
            return ("the image \(path) in the body is not among photos; it would not be published", "add \(path) to photos")
        case .reportUnwritten:
            return ("this report has no body yet (as kepu new report wrote it); it cannot be published or counted",
                    "write what happened below the second ---, or set draft: true, or delete the file")
        case let .projectYearShared(year, others):
            return ("this project's year \(year) is also the year of \(others.joined(separator: ", ")): reports cannot be told apart by date",
                    "if this project was copied for a new year, change year; otherwise name the project in each report")
        case let .themeMissing(path):
            return ("the theme folder \(path) does not exist", "run in the site's folder or name it with --theme")
        case let .yamlSyntax(detail):
            return ("the front matter is not valid YAML (\(detail))", "check indentation, colons and quotes on this line and the one above")
        case let .yamlDuplicateKey(key):
            return ("\(key) is given twice", "remove one of them")
        case .yamlAlias:
            return ("YAML anchors and aliases (& and *) are not supported", "write the value out in full")
        case .yamlTooDeep:
            return ("the front matter is nested too deeply", "front matter needs at most three levels")
        case .frontMatterTooLarge:
            return ("the front matter is larger than 64 KB", "keep long text in the body, after the closing ---")
        case let .missingField(key):
            return ("missing required field \(key)", "add a line `\(key): …` to the front matter")
        case let .unknownField(key, suggestion):
            if let suggestion { return ("unknown field \(key), ignored", "did you mean \(suggestion)?") }
            return ("unknown field \(key), ignored", "check the field name against the content format")
        case let .expectedText(key):
            return ("\(key) must be text", nil)
        case let .expectedList(key):
            return ("\(key) must be a list", "write `\(key): [a, b]` or one `- item` per line")
        case let .expectedMapping(key):
            return ("\(key) must be a set of `key: value` fields", "indent the fields under \(key):")
        case let .expectedWholeNumber(key, found):
            return ("\(key) must be a whole number of at least 0, not \"\(found)\"", "use digits, for example `\(key): 120`")
        case let .numberTooLarge(key, found):
            return ("\(key) is implausibly large: \"\(found)\"", "check the number of digits")
        case let .expectedNumber(key, found):
            return ("\(key) must be a number, not \"\(found)\"", "use digits, for example `\(key): 90`")
        case let .expectedBool(key, found):
            return ("\(key) must be true or false, not \"\(found)\"", nil)
        case let .invalidAmount(key, found):
            return ("\(key) is not an amount: \"\(found)\"", "write 1800, 1800.50, \"1,800.50\", \"¥1,800.50\", \"1800元\" or \"0.18万\"")
        case let .negativeAmount(key, found):
            return ("\(key) cannot be negative: \"\(found)\"", nil)
        case let .amountTooManyDecimals(key, found):
            return ("\(key) has more than two decimals (fen): \"\(found)\"", "amounts are exact to the fen, e.g. 1800.50")
        case let .amountTooLarge(key, found):
            return ("\(key) is implausibly large: \"\(found)\"", "check the number of digits")
        case let .malformedDate(key, found):
            return ("\(key) is not a date: \"\(found)\"", "write dates as YYYY-MM-DD, e.g. 2023-05-20")
        case let .impossibleDate(key, found):
            return ("\(key) is not a day of the calendar: \"\(found)\"", "check the month and the day")
        case let .invalidChoice(key, found, choices):
            return ("\(key) cannot be \"\(found)\"", "choose one of: \(choices.joined(separator: ", "))")
        case let .percentOutOfRange(key, found):
            return ("\(key) must be a percentage from 0 to 100, not \"\(found)\"", nil)
        case let .emptyText(key):
            return ("\(key) cannot be empty", nil)
        case let .kindNotListed(kind, project, kinds):
            let trimmed = kind.trimmingSpaces
            if trimmed != kind && kinds.contains(trimmed) {
                return ("the kind \"\(kind)\" has extra spaces", "write kind: \(trimmed)")
            }
            return ("the kind \"\(kind)\" is not in the kinds of project \(project)",
                    "use one of: \(kinds.joined(separator: ", ")), or add it to the project's kinds")
        case let .satisfiedExceedsSurveyed(satisfied, surveyed):
            return ("satisfied (\(satisfied)) is more than surveyed (\(surveyed))", "check the survey counts")
        case let .duplicateSlug(slug, otherPath):
            return ("the report name \"\(slug)\" is also used by \(otherPath); their pages would collide", "rename one of the files or folders")
        case let .photoMissing(path):
            return ("photo not found: \(path)", "photo paths are relative to the report's folder; check the spelling and case")
        case let .photoOutsideContent(path):
            return ("the photo \(path) is outside the content folder", "put the photo beside the report and name it by its file name")
        case let .unknownProject(id, known):
            return ("there is no project \"\(id)\"", "projects: \(known.joined(separator: ", "))")
        case let .noProjectForDate(date):
            return ("no project's year holds the date \(date)", "check the date, or name the project with project:")
        case let .ambiguousProject(date, ids):
            return ("the date \(date) falls in several projects' year: \(ids.joined(separator: ", "))", "name the project with project:")
        case .missingSiteFile:
            return ("site.yaml is missing", "create content/site.yaml with at least title and unit")
        case let .missingContentFolder(path):
            return ("the content folder \(path) does not exist", "name it with --content")
        case .scoringWeightsInvalid:
            return ("the scoring weights must add up to more than 0", nil)
        case let .dateOutsideWindow(from, until):
            return ("from (\(from)) is after until (\(until))", nil)
        case let .outputNotKepu(path):
            return ("the output folder \(path) is not empty and was not made by Kepu; it was left alone",
                    "choose another --output, or empty it yourself")
        case let .outputIsFile(path):
            return ("the output \(path) is a file, not a folder", "choose another --output")
        case let .writeFailed(path, reason):
            return ("cannot write \(path): \(reason); the previous site is unchanged", "check free disk space and permissions")
        }
    }
}

extension Problem {
    /// A field path as staff read it: `audience` stays `audience` (they wrote it), `spend[2].amount` reads
    /// 第 2 笔支出的金额, `targets[3].rule.per` 第 3 个指标的扣分标准的每差单位. One place for every message.
    public static func zhKey(_ key: String) -> String {
        guard key.contains(".") || key.contains("[") else { return key }
        var out: [String] = []
        for part in key.split(separator: ".") {
            if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
                let name = String(part[..<open])
                let n = part[part.index(after: open)..<part.index(before: part.endIndex)]
                switch name {
                case "spend": out.append("第 \(n) 笔支出")
                case "targets": out.append("第 \(n) 个指标")
                case "schedule": out.append("第 \(n) 个支出进度节点")
                case "measures": out.append("第 \(n) 项考核内容")
                case "sources": out.append("第 \(n) 项资金来源")
                case "photos": out.append("第 \(n) 张照片")
                default: out.append("\(name) 的第 \(n) 项")
                }
            } else {
                out.append(zhNames[String(part)] ?? String(part))
            }
        }
        return out.joined(separator: "的")
    }

    /// The field name as written in the file, for hints that show a line to type: `spend[2].amount` → `amount`.
    public static func leafKey(_ key: String) -> String {
        guard let last = key.split(separator: ".").last else { return key }
        if let open = last.firstIndex(of: "[") { return String(last[..<open]) }
        return String(last)
    }

    /// libyaml's problem texts, in Chinese.
    static func zhYAML(_ detail: String) -> String {
        let known: [(String, String)] = [
            ("did not find expected ',' or ']'", "方括号 [ ] 里缺少英文逗号，或缺少配对的 ]"),
            ("did not find expected ',' or '}'", "花括号 { } 里缺少英文逗号，或缺少配对的 }"),
            ("did not find expected ','", "括号里缺少英文逗号，或括号没有配对"),
            ("could not find expected ':'", "缺少英文冒号"),
            ("found unexpected end of stream", "引号或括号没有结束"),
            ("found unexpected ':'", "这里多了一个英文冒号"),
            ("did not find expected key", "缩进不对，或这一行不是“字段: 值”"),
            ("did not find expected node content", "缺少值"),
            ("did not find expected '-' indicator", "列表项应以“- ”开头，并与上一项对齐"),
            ("found character that cannot start any token", "值以 YAML 的特殊符号开头（如 @ 或 `），请给值加英文双引号"),
            ("mapping values are not allowed", "这里不能再写“字段: 值”，请检查冒号和缩进"),
            ("block sequence entries are not allowed", "这里不能以“- ”开头，请检查缩进"),
            ("found undefined tag handle", "以 ! 开头的值要加英文双引号"),
            ("did not find expected alphabetic or numeric character", "& 或 * 后面缺少名字，请给值加英文双引号"),
            ("found unknown escape character", "英文双引号里的反斜杠 \\ 用法不对，可改用单引号"),
            ("control characters are not allowed", "有看不见的控制字符，请删掉重打这一行"),
            ("found a tab character", "用了 Tab 键缩进，请改用空格"),
            ("found duplicate", "同一个字段写了两次"),
            ("unexpected end", "内容没有结束：引号或括号没有配对"),
            ("invalid leading UTF-8 octet", "有无法识别的字符"),
        ]
        for (english, chinese) in known where detail.contains(english) { return chinese }
        return "缩进、冒号、引号或括号有误"
    }

    static let halfWidthHint = "数字、小数点和逗号请切换到英文输入法（半角）输入，例如 1800.50 或 \"1,800.50\"；不要用句号“。”、顿号“、”作小数点或分隔。"

    /// Punctuation a Chinese input method types where a number wanted ASCII (全角/中文标点).
    static func hasChinesePunctuation(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            (0x3001...0x3002).contains(s.value) || (0xFF01...0xFF5E).contains(s.value) || s.value == 0x2018 || s.value == 0x2019
                || s.value == 0x201C || s.value == 0x201D
        }
    }

    static let zhNames: [String: String] = [
        "amount": "金额", "item": "支出项目", "source": "资金来源", "paid": "支付日期", "satisfaction": "满意度调查",
        "surveyed": "调查人数", "satisfied": "满意人数", "by": "日期", "share": "支出比例", "rule": "扣分标准",
        "deduct": "扣分", "per": "每差单位", "of": "满分", "value": "指标值", "points": "分值", "actual": "实际值",
        "percent": "得分比例", "name": "名称", "level1": "一级指标", "level2": "二级指标", "unit": "单位",
        "op": "指标性质", "metric": "计算方式", "kinds": "活动类型", "outcomes": "各档得分比例", "text": "原文",
        "evidence": "依据", "reason": "偏差原因", "plan": "活动计划", "scoring": "自评权重", "led": "大屏设置",
        "strip": "条屏", "width": "宽度", "height": "高度", "seconds": "秒数", "period": "总体期间", "from": "起",
        "to": "止", "goal": "目标", "execution": "预算执行率", "output": "产出指标", "effect": "效益指标",
        "direction": "评判方向", "nature": "指标属性", "content": "指标内容", "colors": "颜色", "module": "单元板型号",
        "modules": "单元板数量", "conclusion": "评价结论", "problems": "存在问题", "measures": "考核内容",
        "leader": "单位负责人", "finance": "财务负责人", "filled_by": "填表人", "phone": "联系电话", "date": "日期",
    ]
}

extension String {
    /// Trims ASCII and ideographic spaces; Foundation-free.
    public var trimmingSpaces: String {
        // Most text has nothing to trim: decided from the first and last bytes (a space, a tab, or the
        // first or last byte of U+3000), without walking Characters.
        if let first = utf8.first, let last = utf8.last,
           first != 0x20 && first != 0x09 && first != 0xE3 && last != 0x20 && last != 0x09 && last != 0x80 {
            return self
        }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{3000}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{3000}" { s.removeLast() }
        return String(s)
    }
}
