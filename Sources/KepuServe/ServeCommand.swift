import Dispatch
import Foundation
import KepuCore

#if canImport(Glibc)
import Glibc
#endif

/// What `kepu serve` runs: start, print the address, wait for Ctrl-C (SIGINT) or SIGTERM, stop cleanly.
public enum ServeCommand {
    /// Blocks until the server stops; returns the exit code.
    public static func run(options: ServeOptions, builder: any SiteBuilding) -> Int32 {
        let log: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let server = DevServer(options: options, builder: builder, log: log)
        let en = options.language == .en
        let done = DispatchSemaphore(value: 0)
        let code = Locked<Int32>(0)

        // Signals arrive on a dispatch queue, not in a handler: stopping needs async work.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let queue = DispatchQueue(label: "kepu.signals")
        let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
        let stopping = Locked(false)
        for source in sources {
            source.setEventHandler {
                let first = stopping.withLock { s -> Bool in defer { s = true }; return !s }
                guard first else { return }
                log(en ? "\nstopping the preview…" : "\n正在停止预览服务……")
                Task {
                    await server.stop()
                    log(en ? "stopped; the temporary folder is removed." : "已停止，临时文件夹已删除。")
                    done.signal()
                }
            }
            source.resume()
        }

        Task {
            do {
                try await server.start()
                let exposed = options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1"
                var lines = en ? [
                    "preview: \(server.url)",
                    "the LED slides are under it too; save a file in \(options.contentDirectory)/ or \(options.themeDirectory)/ and open pages reload.",
                    "press Ctrl-C to stop.",
                ] : [
                    "预览地址：\(server.url)",
                    "大屏幻灯片也在这个地址下；改动 \(options.contentDirectory)/ 或 \(options.themeDirectory)/ 中的文件并保存，打开的页面会自动刷新。",
                    "按 Ctrl-C 停止。",
                ]
                if exposed {
                    lines.insert(en ? "note: --host \(options.host) lets other computers on the network open this preview (drafts included)."
                                    : "注意：--host \(options.host) 让局域网内的其他电脑也能打开这个预览（包括草稿）。", at: 1)
                }
                // The address goes to stdout (scripts may read it); the rest is terminal chatter.
                FileHandle.standardOutput.write(Data((server.url + "\n").utf8))
                for line in lines { log(line) }
            } catch {
                let text = (error as? CommandProblem)?.message(options.language) ?? "\(error)"
                log((en ? "error: " : "错误: ") + text)
                code.withLock { $0 = 1 }
                done.signal()
            }
        }
        done.wait()
        for source in sources { source.cancel() }
        return code.withLock { $0 }
    }
}
