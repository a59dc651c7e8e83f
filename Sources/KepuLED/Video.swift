import Foundation
import KepuCore

/// led/loop.mp4 for video-only players (NovaStar Taurus, Colorlight): H.264, yuv420p, the panel's size
/// (one black column or row added on the right or bottom when a side is odd: 4:2:0 needs even sides),
/// each slide for its seconds. ffmpeg runs as a child process; the result is cached by the PNGs' bytes and
/// seconds, so an unchanged loop is never encoded again.
public enum LEDVideo: Sendable, Equatable {
    /// Not made (tests, the dev server).
    case off
    /// Made when ffmpeg is installed; a failure is a warning, the rest of the site is published.
    case auto
    /// Asked for (`--led-video`): no ffmpeg, or a failure, is an error.
    case required

    /// The ffmpeg a build would run, or nil (what `.auto` decides by).
    public static func ffmpeg() -> String? { Video.ffmpeg() }
}

enum Video {
    static let fps = 25
    /// Part of the cache key: other settings give other bytes.
    static let settings = "kepu-led-video-2 x264 veryfast stillimage crf20 fps25 threads1 bitexact bt709"

    struct Failure: Error { var reason: String }

    /// The ffmpeg on PATH, or nil.
    static func ffmpeg() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/ffmpeg"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Even sides for 4:2:0, and how much was added.
    static func padded(width: Int, height: Int) -> (width: Int, height: Int, right: Int, bottom: Int) {
        (width + width % 2, height + height % 2, width % 2, height % 2)
    }

    static func mp4(ffmpeg: String, pngs: [[UInt8]], seconds: [Int], width: Int, height: Int, cacheDirectory: String) throws(Failure) -> [UInt8] {
        var keyText = "\(settings)\n\(ffmpeg)\n\(width)x\(height)\n"
        for (png, s) in zip(pngs, seconds) { keyText += ContentHash.hex128(png) + " \(s)\n" }
        let key = ContentHash.hex128(Array(keyText.utf8))
        let folder = cacheDirectory.isEmpty ? "" : cacheDirectory + "/led"
        let cached = folder + "/loop-" + key + ".mp4"
        if !folder.isEmpty, let data = FileManager.default.contents(atPath: cached), data.count > 8 { return [UInt8](data) }

        let work = NSTemporaryDirectory() + "kepu-video-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        do { try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true) } catch {
            throw Failure(reason: "\(error)")
        }
        var arguments = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
        for (i, png) in pngs.enumerated() {
            let file = work + "/\(i).png"
            guard FileManager.default.createFile(atPath: file, contents: Data(png)) else { throw Failure(reason: "cannot write \(file)") }
            // Each still read at one frame a second (decoding and colour conversion once a second, not 25 times:
            // half the time of a 1080p loop), made 25 frames a second only after conversion. The loop's length
            // is exactly the sum of the slides' seconds.
            arguments += ["-loop", "1", "-framerate", "1", "-t", "\(seconds[i])", "-i", file]
        }
        let pad = padded(width: width, height: height)
        let inputs = (0..<pngs.count).map { "[\($0):v]" }.joined()
        let filter = "\(inputs)concat=n=\(pngs.count):v=1:a=0,pad=\(pad.width):\(pad.height):0:0:black,"
            + "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,fps=\(fps)[v]"
        let output = work + "/loop.mp4"
        // One thread everywhere and -bitexact: the same slides give the same bytes on every run.
        arguments += ["-filter_threads", "1", "-filter_complex_threads", "1", "-filter_complex", filter, "-map", "[v]",
                      "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20", "-threads", "1",
                      // A keyframe at least every 10 s, so players can seek and restart the loop quickly.
                      "-g", "\(fps * 10)", "-pix_fmt", "yuv420p",
                      "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
                      "-map_metadata", "-1", "-bitexact", "-flags:v", "+bitexact", "-fflags", "+bitexact",
                      "-movflags", "+faststart", output]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(reason: "\(error)") }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output) else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(reason: "ffmpeg \(process.terminationStatus): " + String(text.suffix(300)))
        }
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let temporary = folder + "/.loop-" + UUID().uuidString + ".tmp"
            if FileManager.default.createFile(atPath: temporary, contents: data), rename(temporary, cached) != 0 {
                try? FileManager.default.removeItem(atPath: temporary)
            }
        }
        return [UInt8](data)
    }
}
