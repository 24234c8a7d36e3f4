import APIModel

extension ApplySchema {
    /// Merges an applied configuration into a live value (smd's typed `Merge`): objects merge member by
    /// member, associative lists and sets item by item (live items keep their order and merge with the
    /// configured item of the same identity; configured items the live list lacks are appended in
    /// configuration order), and everything else (scalars, atomic lists and maps) is replaced by the
    /// configuration's value.
    public func merge(_ live: JSONValue?, _ config: JSONValue?, schema: ValueSchema) -> JSONValue? {
        guard let config else { return live }
        guard let live else { return config }
        switch ValueShape(live, config, schema: schema) {
        case .leaf:
            return config
        case .object:
            guard case .object(var result) = live, case .object(let configured) = config else { return config }
            for (key, value) in configured {
                result[key] = merge(result[key], value, schema: member(key, of: schema).schema)
            }
            return .object(result)
        case .list(let identity):
            guard case .array(let liveItems) = live, case .array(let configItems) = config else { return config }
            let itemSchema = schema.itemSchema
            let (configElements, configPositions) = identity.index(configItems)
            var result: [JSONValue] = []
            result.reserveCapacity(liveItems.count + configItems.count)
            var seen = Set<PathElement>()
            seen.reserveCapacity(liveItems.count)
            for (position, item) in liveItems.enumerated() {
                let element = identity.element(of: item, at: position)
                if seen.insert(element).inserted, let configPosition = configPositions[element] {
                    result.append(merge(item, configItems[configPosition], schema: itemSchema) ?? item)
                } else {
                    result.append(item)
                }
            }
            for (position, element) in configElements.enumerated()
            where configPositions[element] == position && !seen.contains(element) {
                result.append(configItems[position])
            }
            return .array(result)
        }
    }
}
