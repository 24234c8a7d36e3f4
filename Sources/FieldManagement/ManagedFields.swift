import APIModel

/// The decoded `metadata.managedFields` of an object: for each writer, the fields it owns, the API
/// version it wrote with, and when its entry last changed.
struct ManagedFields {
    struct Entry {
        var apiVersion: String
        var fields: FieldSet
        var time: Time?
        /// The entry's `fieldsV1` as read, reused when `fields` did not change (no re-encoding).
        var encodedFields: JSONValue?
    }

    var entries: [ManagerIdentity: Entry] = [:]

    init() {}

    /// Decodes `metadata.managedFields` as kube-apiserver's `DecodeManagedFields` does: every entry needs
    /// operation `Apply` or `Update`, a non-empty apiVersion, fieldsType `FieldsV1` and a valid `fieldsV1`
    /// (absent means no fields); one invalid entry makes the whole list invalid. A later entry with the
    /// identity of an earlier one replaces it.
    init(decoding list: [JSONValue]) throws(FieldsV1DecodingError) {
        for (index, item) in list.enumerated() {
            guard case .object(let entry) = item else { throw FieldsV1DecodingError("managed fields entry \(index) is not an object") }
            guard let operation = entry["operation"]?.stringValue.flatMap(ManagerIdentity.Operation.init(rawValue:)) else {
                throw FieldsV1DecodingError("operation must be `Apply` or `Update`")
            }
            guard let apiVersion = entry["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
                throw FieldsV1DecodingError("apiVersion must not be empty")
            }
            guard entry["fieldsType"]?.stringValue == "FieldsV1" else {
                throw FieldsV1DecodingError("invalid fieldsType in managed fields entry \(index)")
            }
            let manager: String
            switch entry["manager"] {
            case nil, .null?: manager = ""
            case .string(let name)?: manager = name
            default: throw FieldsV1DecodingError("invalid manager in managed fields entry \(index)")
            }
            let subresource: String
            switch entry["subresource"] {
            case nil, .null?: subresource = ""
            case .string(let name)?: subresource = name
            default: throw FieldsV1DecodingError("invalid subresource in managed fields entry \(index)")
            }
            var time: Time?
            switch entry["time"] {
            case nil, .null?: time = nil
            case .string(let text)?:
                guard let parsed = Time(rfc3339: text) else { throw FieldsV1DecodingError("invalid time in managed fields entry \(index)") }
                time = parsed
            default: throw FieldsV1DecodingError("invalid time in managed fields entry \(index)")
            }
            let encoded = entry["fieldsV1"].flatMap { $0 == .null ? nil : $0 }
            let fields = try encoded.map { value throws(FieldsV1DecodingError) in try FieldSet(fieldsV1: value) } ?? FieldSet()
            let identity = ManagerIdentity(manager: manager, operation: operation, apiVersion: apiVersion, subresource: subresource)
            entries[identity] = Entry(apiVersion: apiVersion, fields: fields, time: time, encodedFields: encoded)
        }
    }

    /// Decodes a managedFields value, or gives nil when it is invalid (not a list, or an invalid entry).
    static func decoded(_ value: JSONValue?) -> ManagedFields? {
        switch value {
        case nil, .null?: return ManagedFields()
        case .array(let list)?: return try? ManagedFields(decoding: list)
        default: return nil
        }
    }

    /// Replaces the fields of `identity`, dropping the entry when `fields` is empty. The time is kept.
    mutating func setFields(_ fields: FieldSet, of identity: ManagerIdentity) {
        guard !fields.isEmpty else {
            entries[identity] = nil
            return
        }
        guard var entry = entries[identity] else { return }
        if entry.fields != fields {
            entry.fields = fields
            entry.encodedFields = nil
        }
        entries[identity] = entry
    }

    /// The entries as kube-apiserver writes them (`encodeManagedFields`): sorted by operation (`Apply`
    /// first), then time (entries without one first), manager, apiVersion and subresource; each with
    /// `fieldsType: FieldsV1` and the time in RFC 3339 seconds. Nil when there are none (the list is
    /// then omitted).
    func encoded() -> JSONValue? {
        guard !entries.isEmpty else { return nil }
        let sorted = entries.sorted { p, q in
            if p.key.operation != q.key.operation { return p.key.operation < q.key.operation }
            let (ps, qs) = (p.value.time?.secondsSinceEpoch ?? 0, q.value.time?.secondsSinceEpoch ?? 0)
            if ps != qs { return ps < qs }
            if p.key.manager != q.key.manager { return p.key.manager < q.key.manager }
            if p.value.apiVersion != q.value.apiVersion { return p.value.apiVersion < q.value.apiVersion }
            return p.key.subresource < q.key.subresource
        }
        return .array(sorted.map { identity, entry in
            var object: [String: JSONValue] = [
                "apiVersion": .string(entry.apiVersion),
                "fieldsType": .string("FieldsV1"),
                "fieldsV1": entry.encodedFields ?? entry.fields.fieldsV1,
                "operation": .string(identity.operation.rawValue),
            ]
            if !identity.manager.isEmpty { object["manager"] = .string(identity.manager) }
            if let time = entry.time { object["time"] = .string(time.description) }
            if !identity.subresource.isEmpty { object["subresource"] = .string(identity.subresource) }
            return .object(object)
        })
    }

    /// The number of `Update` entries kube-apiserver keeps (`DefaultMaxUpdateManagers`).
    static let maximumUpdateEntries = 10

    /// Merges the oldest `Update` entries into `ancient-changes` entries (one per API version) until at
    /// most `maximumUpdateEntries` remain, as kube-apiserver's `capManagersManager` does.
    mutating func capUpdateEntries() {
        var updaters = entries.keys.filter { $0.operation == .update }
        guard updaters.count > ManagedFields.maximumUpdateEntries else { return }
        updaters.sort { a, b in
            let (ta, tb) = (entries[a]!.time?.secondsSinceEpoch ?? 0, entries[b]!.time?.secondsSinceEpoch ?? 0)
            return ta != tb ? ta < tb : a < b
        }
        var remaining = updaters.count
        var firstOfVersion: [String: ManagerIdentity] = [:]
        for identity in updaters where remaining > ManagedFields.maximumUpdateEntries {
            guard let entry = entries[identity] else { continue }
            let bucket = ManagerIdentity(manager: "ancient-changes", operation: .update, apiVersion: entry.apiVersion, subresource: nil)
            guard let first = firstOfVersion[entry.apiVersion] else {
                firstOfVersion[entry.apiVersion] = identity
                continue
            }
            if entries[bucket] == nil, let firstEntry = entries.removeValue(forKey: first) {
                entries[bucket] = firstEntry
            }
            let merged = entries[bucket].map { $0.fields.union(entry.fields) } ?? entry.fields
            entries[identity] = nil
            entries[bucket] = Entry(apiVersion: entry.apiVersion, fields: merged, time: entry.time, encodedFields: nil)
            remaining -= 1
        }
    }
}
