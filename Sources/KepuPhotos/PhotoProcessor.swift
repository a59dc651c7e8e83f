import KepuCore

/// Resizes report photos to web sizes with libvips, cached by content. Contract with KepuBuild.
public struct PhotoProcessor: Sendable {
    public init(cacheDirectory: String) {}
}
