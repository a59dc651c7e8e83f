import KepuCore
import KepuLedger

/// Renders the public transparency site (pages, feed, sitemap) into the output.
/// Contract with KepuBuild; the implementation is in progress.
public struct SiteRenderer: Sendable {
    public init() {}
    /// Returns the number of HTML pages written.
    public func render(_ input: RenderInput, into sink: OutputSink) throws -> Int { 0 }
}
