/// Facts about container image references.
enum ImageReference {
    /// True when the reference has no tag or the tag `latest` (and no digest): Kubernetes then pulls always.
    static func usesLatestTag(_ image: String) -> Bool {
        if image.contains("@") { return false }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return true }
        return lastComponent[lastComponent.index(after: colon)...] == "latest"
    }
}
