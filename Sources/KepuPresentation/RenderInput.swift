import KepuContent
import KepuCore
import KepuLedger

/// What the render phase gets: the validated content, its aggregation, and the build's settings.
/// The public site (KepuSite) and the LED screen (KepuLED) each render from this alone.
public struct RenderInput: Sendable {
    public let content: Content
    public var ledger: SiteLedger
    /// The build date (`--now`): decides forecasts and which announcements show.
    public var now: Day
    public let includeDrafts: Bool
    /// `base_url` from site.yaml or `--base-url`, always ending in `/`.
    public var baseURL: String
    /// The theme folder: templates, CSS, UI strings.
    public var themeDirectory: String
    /// A folder kept between builds for caches (photos, slide PNGs); never inside the output.
    public var cacheDirectory: String
    /// Published photos by their path relative to the content folder (`Photo.contentPath`).
    public var photos: [String: PublishedPhoto]
    /// Slugs of the reports whose own pages must be rendered; nil renders all. A rebuild after one
    /// report changed renders that report's page and its neighbours' (their previous/next links) and
    /// asks the sink to keep the other report pages as they are (`OutputSink.keep`).
    public var reportPages: Set<String>?

    public init(content: Content, ledger: SiteLedger, now: Day, includeDrafts: Bool, baseURL: String,
                themeDirectory: String, cacheDirectory: String, photos: [String: PublishedPhoto] = [:]) {
        self.content = content
        self.ledger = ledger
        self.now = now
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
        self.themeDirectory = themeDirectory
        self.cacheDirectory = cacheDirectory
        self.photos = photos
        self.reportPages = nil
        self.publishedReports = includeDrafts ? content.reports : content.reports.filter { !$0.draft }
    }

    /// The reports that appear anywhere: drafts only when asked.
    /// Worked out once: at 100,000 reports every renderer asks for it.
    public let publishedReports: [Report]
}
