import KepuContent

/// The loop for vendor software and the staff's instructions.
enum Playlist {
    struct Entry: Sendable, Equatable {
        var html: String
        var png: String
        var seconds: Int
        var title: String
    }

    static func json(_ entries: [Entry], width: Int, height: Int) -> String {
        var out = "{\n  \"width\": \(width),\n  \"height\": \(height),\n  \"start\": \"index.html\",\n  \"slides\": [\n"
        out += entries.map { e in
            "    {\"html\": \(Markup.json(e.html)), \"png\": \(Markup.json(e.png)), \"seconds\": \(e.seconds), \"title\": \(Markup.json(e.title))}"
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    /// An extended M3U of the PNGs; `#EXTVLCOPT:image-duration` makes VLC show each for its seconds.
    static func m3u(_ entries: [Entry]) -> String {
        var out = "#EXTM3U\n"
        for e in entries {
            let title = e.title.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            out += "#EXTINF:\(e.seconds),\(title)\n#EXTVLCOPT:image-duration=\(e.seconds)\n\(e.png)\n"
        }
        return out
    }

    static func readme(site: SiteConfig, frame: Design.Frame, count: Int, hasPhotos: Bool) -> String {
        var text = """
        \(site.title) —— LED 大屏播放文件
        ================================

        本文件夹由 Kepu 自动生成，共 \(count) 张幻灯片，尺寸 \(frame.width)×\(frame.height) 像素（与屏幕像素一一对应）。
        \(site.example ? "注意：本站为示例数据，每张幻灯片都标有“示例数据”。\n" : "")
        一、拷贝到 U 盘
        1. 把整个 led 文件夹（连同里面的 png 文件夹）复制到 U 盘根目录。
        \(hasPhotos ? "2. 幻灯片里有活动照片：还要把与 led 同级的 photos 文件夹一起复制，放在 led 旁边，\n   否则网页幻灯片中的照片不显示（PNG 图片中已含照片，不受影响）。\n3" : "2"). 不要改文件名，不要只复制其中几个文件。

        二、用电脑或播放盒的浏览器播放（推荐）
        1. 用浏览器打开 led 文件夹里的 index.html。
        2. 按 F11 全屏；浏览器窗口大小应与屏幕一致（\(frame.width)×\(frame.height)）。
        3. 幻灯片会按设定的秒数自动翻页，最后一张之后回到第一张，一直循环，不需要联网。

        三、只能导入图片的控制卡或播放软件
        1. 导入 png 文件夹里的图片：01.png、02.png …… 按文件名顺序播放。
        2. 每张图片的播放秒数见 playlist.json 中的 seconds；支持播放列表的软件可直接导入 playlist.m3u。

        四、文字条屏（单色、双色屏）

        """
        if let strip = site.led.strip {
            text += "1. 条屏网页：strip.html（\(strip.width)×\(strip.height) 像素），用浏览器打开后文字自动滚动。\n"
        } else {
            text += "1. 站点设置 site.yaml 中没有设置 led.strip，未生成条屏网页 strip.html。\n"
        }
        text += """
        2. 控制卡软件要求导入文字时：strip.gb18030.txt 是 GB18030（兼容 GBK/GB2312）编码，适合大多数国产条屏软件；
           strip.txt 是 UTF-8 编码。打开后复制整行文字即可。

        五、内容更新
        活动报告、公告修改后重新生成网站，再把新的 led 文件夹复制到 U 盘，覆盖旧文件夹。
        屏幕上的公告只在设定的起止日期内出现，按生成网站那天的日期判断，不看播放设备的时钟：
        公告到期后，要重新生成网站并拷贝新的 led 文件夹，屏幕上才会去掉它。

        """
        return text
    }
}
