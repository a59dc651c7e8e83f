import KepuContent

/// The loop for vendor software and the staff's instructions.
enum Playlist {
    struct Entry: Sendable, Equatable {
        var html: String
        var png: String
        var seconds: Int
        var title: String
        var schedule: Schedule? = nil
    }

    /// led/loop.mp4 as written: its padding (a black column/row where a side is odd) and length.
    struct VideoInfo: Sendable, Equatable {
        var file: String
        var right: Int
        var bottom: Int
        var seconds: Int
    }

    /// The window as JSON fields: dates, weekdays (1 = Monday … 7 = Sunday), hours, urgent.
    static func scheduleJSON(_ s: Schedule) -> String {
        var fields: [String] = []
        if let from = s.from { fields.append("\"from\": \"\(from)\"") }
        if let until = s.until { fields.append("\"until\": \"\(until)\"") }
        if let days = s.days { fields.append("\"days\": [\(days.map(String.init).joined(separator: ", "))]") }
        if let hours = s.hours { fields.append("\"hours\": \(Markup.json(hours.text))") }
        if s.urgent { fields.append("\"urgent\": true") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func json(_ entries: [Entry], width: Int, height: Int, colors: LEDColors = .full, video: VideoInfo? = nil) -> String {
        var out = "{\n  \"width\": \(width),\n  \"height\": \(height),\n  \"colors\": \(Markup.json(colors.rawValue)),\n"
            + "  \"start\": \"index.html\",\n"
        if let video {
            let pad = Video.padded(width: width, height: height)
            out += "  \"video\": {\"file\": \(Markup.json(video.file)), \"width\": \(pad.width), \"height\": \(pad.height), "
                + "\"padding\": {\"right\": \(video.right), \"bottom\": \(video.bottom)}, \"seconds\": \(video.seconds), "
                + "\"codec\": \"h264\", \"pixel_format\": \"yuv420p\", \"fps\": \(Video.fps)},\n"
        }
        out += "  \"slides\": [\n"
        out += entries.map { e in
            "    {\"html\": \(Markup.json(e.html)), \"png\": \(Markup.json(e.png)), \"seconds\": \(e.seconds), \"title\": \(Markup.json(e.title))"
                + (e.schedule.map { ", \"schedule\": " + scheduleJSON($0) } ?? "") + "}"
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    /// An extended M3U of the PNGs; `#EXTVLCOPT:image-duration` makes VLC show each for its seconds.
    /// A scheduled slide carries its window on a `#KEPU-SCHEDULE:` line (players skip unknown `#` lines).
    static func m3u(_ entries: [Entry]) -> String {
        var out = "#EXTM3U\n"
        for e in entries {
            let title = e.title.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            out += "#EXTINF:\(e.seconds),\(title)\n"
            if let s = e.schedule { out += "#KEPU-SCHEDULE:" + scheduleJSON(s) + "\n" }
            out += "#EXTVLCOPT:image-duration=\(e.seconds)\n\(e.png)\n"
        }
        return out
    }

    static func readme(site: SiteConfig, frame: Design.Frame, count: Int, hasPhotos: Bool, video: VideoInfo? = nil,
                       gb2312: Bool = true, scheduled: [Entry] = []) -> String {
        let colorName: String
        switch site.led.colors {
        case .full: colorName = "全彩"
        case .single: colorName = "单色（红）"
        case .dual: colorName = "双色（红、绿，两者同亮为黄）"
        }
        var text = """
        \(site.title) —— LED 大屏播放文件
        ================================

        本文件夹由 Kepu 自动生成，共 \(count) 张幻灯片，尺寸 \(frame.width)×\(frame.height) 像素（与屏幕像素一一对应），\(colorName)。
        \(site.example ? "注意：本站为示例数据，每张幻灯片都标有“示例数据”。\n" : "")
        一、拷贝到 U 盘
        1. 只需把整个 led 文件夹复制到 U 盘，幻灯片用到的文件\(hasPhotos ? "（包括活动照片，在 photos 文件夹里）" : "")都在里面。
        2. 不要改文件名，不要只复制其中几个文件。

        二、按控制器选文件
        | 控制器或播放方式                               | 用哪个文件 |
        | 电脑、播放盒、带浏览器的安卓盒子               | index.html（网页循环播放） |
        | 只能导入图片的控制卡或软件                     | png 文件夹（图片序列） |
        | 诺瓦（NovaStar，ViPlex/VNNOX）、卡莱特（Colorlight，LEDVISION/VSN）等视频播放盒 | loop.mp4（视频） |
        | 只能导入文字的条屏控制卡（灵信、仰邦等）       | strip.gb2312.txt / strip.gb18030.txt（文字） |

        三、用浏览器播放（index.html）
        1. 用浏览器打开 led 文件夹里的 index.html。
        2. 按 F11 全屏；浏览器窗口大小应与屏幕一致（\(frame.width)×\(frame.height)）。
        3. 幻灯片按设定的秒数自动翻页，最后一张之后回到第一张，一直循环，不需要联网。

        四、图片序列（png 文件夹）
        1. 导入 png 文件夹里的图片：01.png、02.png …… 按文件名顺序播放。
        2. 每张图片的播放秒数见 playlist.json 中的 seconds；支持播放列表的软件可直接导入 playlist.m3u。

        五、视频（loop.mp4）

        """
        if let video {
            text += "1. loop.mp4 是 H.264 编码、yuv420p、每秒 \(Video.fps) 帧的 MP4 视频，总长 \(video.seconds) 秒，每张幻灯片按设定秒数播放，\n"
                + "   首尾相接，设为“循环播放”即可。诺瓦、卡莱特的软件和云平台可直接导入，不会再转码。\n"
            if video.right > 0 || video.bottom > 0 {
                let pad = Video.padded(width: frame.width, height: frame.height)
                text += "2. 视频编码要求宽高为偶数，所以视频是 \(pad.width)×\(pad.height)：在\(video.right > 0 ? "右边" : "")\(video.right > 0 && video.bottom > 0 ? "和" : "")\(video.bottom > 0 ? "下边" : "")"
                    + "各加了 1 像素黑边。在播放软件里把视频放在屏幕左上角（0, 0），多出的黑边在屏幕外，不影响显示。\n"
            } else {
                text += "2. 视频尺寸与屏幕完全一致（\(frame.width)×\(frame.height)），没有加边。\n"
            }
        } else {
            text += "1. 生成网站的电脑上没有安装 ffmpeg，这次没有生成 loop.mp4。安装 ffmpeg 后重新生成（或加 --led-video），就会有视频文件。\n"
        }
        text += """

        六、文字条屏（单色、双色屏）

        """
        if let strip = site.led.strip {
            text += "1. 条屏网页：strip.html（\(strip.width)×\(strip.height) 像素），用浏览器打开后文字自动滚动。\n"
        } else {
            text += "1. 站点设置 site.yaml 中没有设置 led.strip，未生成条屏网页 strip.html。\n"
        }
        text += """
        2. 控制卡软件要求导入文字时，按控制卡支持的编码选文件，打开后复制整行文字即可：
           strip.gb2312.txt 是 GB2312 编码，只有国标一、二级汉字的老式字库卡（多数单色、双色条屏卡）用它；

        """
        if !gb2312 {
            text += "   （这次没有生成 strip.gb2312.txt：文字里有 GB2312 没有的字，生成网站时的提示写明了是哪个字、在哪个文件。）\n"
        }
        text += """
           strip.gb18030.txt 是 GB18030 编码（兼容 GBK），字库较全的控制卡用它；
           strip.txt 是 UTF-8 编码，电脑软件和新式控制卡用它。

        七、定时和紧急通知

        """
        if scheduled.isEmpty {
            text += "1. 目前没有设定播放时段的通知。\n"
        } else {
            text += "1. 以下通知只在设定的时段播放（playlist.json 的 schedule、playlist.m3u 的 #KEPU-SCHEDULE 行也写明了，\n"
                + "   能按时段排播的播放软件可照此设置）：\n"
            for e in scheduled {
                text += "   \(e.png)  \(e.title)：\(e.schedule?.text ?? "")\n"
            }
            text += "2. 用浏览器播放时，网页会按播放设备的时钟跳过不在时段内的通知；图片、视频和不运行脚本的浏览器则按生成网站那天的日期播放。\n"
        }
        text += """
        3. 紧急通知（urgent）有效期间，屏幕上只播放紧急通知。

        八、内容更新
        活动报告、公告修改后重新生成网站，再把新的 led 文件夹复制到 U 盘，覆盖旧文件夹。
        公告是否出现按生成网站那天的日期判断：公告到期后，要重新生成网站并拷贝新的 led 文件夹，
        图片和视频里才会去掉它。

        """
        return text
    }
}
