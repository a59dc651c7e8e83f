import KepuCore
import KepuLedger

/// Renders the LED screen's slides into `led/` of the output. Contract with KepuBuild.
public struct LEDRenderer: Sendable {
    public init() {}
    /// Returns the number of slides written.
    public func render(_ input: RenderInput, into sink: OutputSink) throws -> Int { 0 }
}
