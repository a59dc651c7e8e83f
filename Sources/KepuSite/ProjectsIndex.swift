import KepuLedger

/// projects/index.html: every year's project with its budget, spend, score and grade, newest first, so a
/// visitor on any page is one click from any year.
extension SiteBuild {
    func writeProjectsIndex() throws {
        guard !ledger.projects.isEmpty else { return }
        let path = "projects/index.html"
        var c = page(path, title: t("projects_title"),
                     description: t("projects_description", ["count": format.count(ledger.projects.count)]), section: "projects")
        c["years"] = yearsContext(from: path)
        try write(path, template: "projects", context: c)
    }
}
