extension DiscoveryDocuments {
    /// The exact `Content-Type` of an aggregated discovery response, e.g.
    /// `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`. Clients compare it as a
    /// string: an aggregated body under any other Content-Type makes kubectl treat it as legacy discovery
    /// and find no resources.
    public static func contentType(_ version: AggregatedDiscoveryVersion) -> String {
        "application/json;g=\(AggregatedDiscoveryVersion.group);v=\(version.rawValue);as=\(AggregatedDiscoveryVersion.listKind)"
    }

    /// Picks the aggregated discovery version from an `Accept` header by walking its media ranges in order
    /// (ranges with a higher `q` first, ties in written order; `q=0` ranges are ignored).
    ///
    /// The first range that is an aggregated `application/json;g=apidiscovery.k8s.io;v=…;as=APIGroupDiscoveryList`
    /// of a known version wins. A plain JSON range (`application/json`, `application/*`, `*/*`, no `as=`)
    /// met before any aggregated one means the client prefers legacy discovery: nil. Ranges Skiff cannot
    /// produce (protobuf, unknown versions, other `as=` kinds) are skipped. No header, or nothing
    /// acceptable, also gives nil: the caller answers with the legacy JSON document.
    public static func negotiate(accept: String) -> AggregatedDiscoveryVersion? {
        for range in MediaRange.parseList(accept) {
            if range.parameters["as"] == AggregatedDiscoveryVersion.listKind {
                guard range.mediaType == "application/json",
                      range.parameters["g"] == AggregatedDiscoveryVersion.group,
                      let version = range.parameters["v"].flatMap(AggregatedDiscoveryVersion.init(rawValue:))
                else { continue }
                return version
            }
            if range.parameters["as"] == nil, range.acceptsPlainJSON { return nil }
        }
        return nil
    }
}

extension DiscoveryDocuments {
    /// One media range of an `Accept` header: `type/subtype;name=value;…`.
    struct MediaRange: Equatable {
        /// `type/subtype`, lower-cased.
        var mediaType: String
        /// Parameters other than `q`; names lower-cased, values unquoted and kept as written.
        var parameters: [String: String]
        /// The `q` weight, 1 when absent.
        var quality: Double

        /// Whether a plain JSON document satisfies this range.
        var acceptsPlainJSON: Bool {
            mediaType == "application/json" || mediaType == "application/*" || mediaType == "*/*"
        }

        /// The ranges of an `Accept` header with `q > 0`, highest `q` first, ties kept in written order.
        static func parseList(_ header: String) -> [MediaRange] {
            let ranges = header.split(separator: ",").compactMap { MediaRange(String($0)) }
            return ranges.enumerated()
                .filter { $0.element.quality > 0 }
                .sorted { $0.element.quality != $1.element.quality ? $0.element.quality > $1.element.quality : $0.offset < $1.offset }
                .map(\.element)
        }

        /// Parses one range; nil when it has no `type/subtype`.
        init?(_ text: String) {
            let pieces = text.split(separator: ";", omittingEmptySubsequences: false)
            let mediaType = pieces.first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
            guard mediaType.contains("/") else { return nil }
            self.mediaType = mediaType
            self.parameters = [:]
            self.quality = 1
            for piece in pieces.dropFirst() {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = piece[..<equals].trimmingASCIIWhitespace().lowercased()
                var value = piece[piece.index(after: equals)...].trimmingASCIIWhitespace()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                if name == "q" {
                    quality = Double(value) ?? 1
                } else {
                    parameters[name] = value
                }
            }
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
