/// Values left for the process's exit to reclaim. `kepu build` exits as soon as its build ends, and freeing a
/// build's reports, entries and pages one by one was 2–3 % of a 10k build's CPU, on one core at its very end
/// (clang's `-disable-free`, for the same reason). Off unless the executable turns it on: the server, the desk
/// and the tests run many builds in one process and must free each.
public enum ProcessLifetime {
    private static let lock = Lock()
    nonisolated(unsafe) private static var on = false
    nonisolated(unsafe) private static var kept: [Any] = []

    /// Called once by `kepu build`, before the build starts.
    public static func exitsAfterThisWork() { lock.withLock { on = true } }

    /// Keeps `value` (and all it holds) until the process exits, if the process said it would; else nothing.
    public static func keepUntilExit(_ value: Any) {
        lock.withLock { if on { kept.append(value) } }
    }
}
