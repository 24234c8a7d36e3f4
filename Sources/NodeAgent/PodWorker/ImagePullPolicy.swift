import APIModel

/// A container's `imagePullPolicy`, defaulted as the API server does when unset: `Always` for an image
/// without a tag or tagged `latest` (and no digest), else `IfNotPresent`.
enum ImagePullPolicy: Sendable, Equatable {
    case always, ifNotPresent, never

    init(_ container: Container) {
        switch container.imagePullPolicy {
        case "Always": self = .always
        case "Never": self = .never
        case "IfNotPresent": self = .ifNotPresent
        default: self = Self.defaulted(image: container.image ?? "")
        }
    }

    static func defaulted(image: String) -> ImagePullPolicy {
        if image.contains("@") { return .ifNotPresent }
        let lastComponent = image.split(separator: "/").last ?? ""
        guard let colon = lastComponent.lastIndex(of: ":") else { return .always }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? .always : .ifNotPresent
    }
}
