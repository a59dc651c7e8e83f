/// What the staff desk (`kepu desk`) says when an account or an uploaded photo cannot be taken: part of the
/// one catalogue (see Problem and CommandProblem). A report's own problems are the loader's, beside each field.
public enum DeskProblem: Error, Equatable, Sendable {
    // Accounts (`kepu desk user …` and the users file)
    case invalidName(String)
    case exists(String)
    case unknown(String)
    case weakPassword
    case insideContent(String)
    case unreadable(String)
    // Uploaded photos
    case notAnImage(String)
    case tooLarge(String, limit: Int)
    case writeFailed(String)
    /// The bytes start like a photo but libvips cannot read them (cut off, or HEIC without a decoder).
    case undecodable(String, reason: String)

    public func message(_ language: Language) -> String {
        language == .en ? english : chinese
    }

    private var chinese: String {
        switch self {
        case let .invalidName(n): return "用户名“\(n)”不能用：只能用汉字、字母、数字、点、下划线和连字符，1 到 32 个字"
        case let .exists(n): return "用户“\(n)”已经存在"
        case let .unknown(n): return "没有用户“\(n)”"
        case .weakPassword: return "密码至少 8 个字符"
        case let .insideContent(p):
            return "用户文件 \(p) 不能放在 content 文件夹或网站输出文件夹里（会被发布或提交）；请用 --users 指定别的位置"
        case let .unreadable(r): return "用户文件读不出：\(r)"
        case let .notAnImage(n): return "“\(n)”不是 JPEG、PNG 或 HEIC 照片，没有保存。请选手机或相机拍的照片。"
        case let .tooLarge(n, limit): return "照片“\(n)”太大：每张不能超过 \(limit / 1024 / 1024) MB。请在手机上选较小的尺寸再上传。"
        case let .writeFailed(r): return "照片保存失败：\(r)"
        case let .undecodable(n, reason): return "照片“\(n)”打不开（\(reason)），没有保存。请换一张照片，或在手机上另存为 JPEG 再上传。"
        }
    }

    private var english: String {
        switch self {
        case let .invalidName(n):
            return "the user name \"\(n)\" is not allowed: letters, digits, Chinese characters, dot, underscore, hyphen; 1 to 32"
        case let .exists(n): return "the user \"\(n)\" exists already"
        case let .unknown(n): return "there is no user \"\(n)\""
        case .weakPassword: return "the password must have at least 8 characters"
        case let .insideContent(p): return "the users file \(p) must not be inside the content or output folder; choose another with --users"
        case let .unreadable(r): return "cannot read the users file: \(r)"
        case let .notAnImage(n): return "\"\(n)\" is not a JPEG, PNG or HEIC photo; it was not saved."
        case let .tooLarge(n, limit): return "The photo \"\(n)\" is too large: at most \(limit / 1024 / 1024) MB each."
        case let .writeFailed(r): return "Could not store the photo: \(r)"
        case let .undecodable(n, reason): return "The photo \"\(n)\" cannot be read (\(reason)); it was not saved."
        }
    }
}
