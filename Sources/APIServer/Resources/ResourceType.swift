import APIModel
import Foundation

/// The generic object handling of one Codable kind: decoding with unknown-field detection, server-set
/// metadata, defaulting, validation, the status split and generation tracking. Kind-specific parts come from
/// its `KindRules`.
public struct ResourceType<T: KubernetesObject>: ServedResource {
    public let rules: KindRules<T>
    /// The kind decoded from `{}`, used to clear statuses.
    private let empty: T

    public init(_ rules: KindRules<T>) {
        self.rules = rules
        // Every generated kind decodes from an empty object: all its fields are optional.
        self.empty = try! JSONDecoder().decode(T.self, from: Data("{}".utf8))
    }

    public var info: ResourceInfo { rules.info }

    // MARK: Coding

    /// Decodes a request body, collecting unknown fields unless validation is `Ignore`.
    func decodeBody(_ body: Data, validation: FieldValidation) throws(APIError) -> (T, [String]) {
        let decoder = JSONDecoder()
        let collector = UnknownFieldCollector()
        if validation != .ignore { decoder.userInfo[.unknownFieldCollector] = collector }
        let object: T
        do {
            object = try ModelJSON.decode(T.self, from: body, decoder: decoder)
        } catch let error as DecodingError {
            throw APIError.badRequest("\(cannotHandle): \(DecodingErrorText.describe(error))")
        } catch {
            throw APIError.badRequest("\(cannotHandle): \(error)")
        }
        if let kind = object.kind, !kind.isEmpty, kind != info.kind {
            throw APIError.badRequest("\(cannotHandle): the kind of the object (\(kind)) does not match the expected kind (\(info.kind))")
        }
        if let apiVersion = object.apiVersion, !apiVersion.isEmpty, apiVersion != info.groupVersion {
            throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(info.groupVersion))")
        }
        let unknown = collector.unknownFields
        if unknown.isEmpty { return (object, []) }
        let quoted = unknown.map { "unknown field \"\($0)\"" }
        if validation == .strict {
            throw APIError.badRequest("\(cannotHandle): strict decoding error: " + quoted.joined(separator: ", "))
        }
        return (object, quoted)
    }

    private var cannotHandle: String { "\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind)" }

    /// Decodes a stored object.
    func decodeStored(_ data: Data) throws -> T {
        try ModelJSON.decode(T.self, from: data)
    }

    /// Decodes a stored object for reading only, without its managedFields (summaries and table rows).
    func decodeForReading(_ data: Data) throws -> T {
        try ModelJSON.decode(T.self, from: data, decoder: .skippingManagedFields())
    }

    func encode(_ object: T) throws(APIError) -> Data {
        do {
            return try StoredEncoding.encode(object)
        } catch {
            throw APIError.internalError("encoding \(info.kind): \(error)")
        }
    }

    // MARK: Writes

    public func prepareCreate(_ body: Data, context: WriteContext) throws(APIError) -> PreparedObject {
        var (object, warnings) = try decodeBody(body, validation: context.fieldValidation)
        object.setTypeMeta()
        var meta = object.metadata ?? ObjectMeta()
        try assignNamespace(&meta, context: context)
        if (meta.name ?? "").isEmpty, let prefix = meta.generateName, !prefix.isEmpty {
            meta.name = prefix + GeneratedName.suffix()
        }
        meta.uid = UUID().uuidString.lowercased()
        meta.creationTimestamp = context.now
        meta.resourceVersion = nil
        meta.generation = info.tracksGeneration ? 1 : nil
        meta.deletionTimestamp = nil
        meta.deletionGracePeriodSeconds = nil
        meta.selfLink = nil
        object.metadata = meta
        if !rules.createKeepsStatus { rules.copyStatus?(&object, empty) }
        rules.defaults(&object)
        let name = meta.name ?? ""
        let causes = MetadataValidation.validate(meta, info: info, isCreate: true) + rules.validate(object, nil)
        if !causes.isEmpty { throw APIError.invalid(info, name: name, causes: causes) }
        warnings += rules.warnings(object)
        return PreparedObject(data: try encode(object), metadata: meta, warnings: warnings, unchanged: false)
    }

    public func prepareUpdate(_ body: Data, existing: Data, context: WriteContext) throws(APIError) -> PreparedObject {
        var (object, warnings) = try decodeBody(body, validation: context.fieldValidation)
        var old: T
        do { old = try decodeStored(existing) } catch { throw APIError.internalError("decoding stored \(info.kind): \(error)") }
        // Kubernetes defaults what it reads from storage, so an object stored before a default existed
        // compares as if it had it (otherwise immutability checks would refuse every update of it).
        rules.defaults(&old)
        let oldMeta = old.metadata ?? ObjectMeta()
        var meta = object.metadata ?? ObjectMeta()
        if (meta.name ?? "").isEmpty { meta.name = context.name }
        if let urlName = context.name, meta.name != urlName {
            throw APIError.badRequest("the name of the object (\(meta.name ?? "")) does not match the name on the URL (\(urlName))")
        }
        try assignNamespace(&meta, context: context)
        if let uid = meta.uid, !uid.isEmpty, uid != oldMeta.uid {
            throw APIError.conflict(info, name: meta.name ?? "",
                                    why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(oldMeta.uid ?? "")")
        }
        meta.uid = oldMeta.uid
        meta.creationTimestamp = oldMeta.creationTimestamp
        meta.deletionTimestamp = oldMeta.deletionTimestamp
        meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds
        meta.generation = oldMeta.generation
        meta.resourceVersion = nil
        meta.selfLink = nil
        meta.generateName = meta.generateName ?? oldMeta.generateName
        // A body without managedFields keeps the stored ones (field management then brings them up to date).
        meta.managedFields = meta.managedFields ?? oldMeta.managedFields

        if context.subresource == .status {
            // A status write changes the status only.
            var result = old
            rules.copyStatus?(&result, object)
            var kept = oldMeta
            kept.resourceVersion = nil
            result.metadata = kept
            object = result
        } else {
            object.metadata = meta
            if let copyStatus = rules.copyStatus { copyStatus(&object, old) }
            rules.defaults(&object)
            rules.prepareUpdate(&object, old)
            if info.tracksGeneration, specChanged(object, old) {
                object.metadata?.generation = (oldMeta.generation ?? 0) + 1
            }
        }
        object.setTypeMeta()
        let finalMeta = object.metadata ?? ObjectMeta()
        var causes = MetadataValidation.validate(finalMeta, info: info, isCreate: false)
        if context.subresource != .status { causes += rules.validate(object, old) }
        if !causes.isEmpty { throw APIError.invalid(info, name: finalMeta.name ?? "", causes: causes) }
        if context.subresource != .status { warnings += rules.warnings(object) }
        var unchangedOld = old
        unchangedOld.metadata?.resourceVersion = nil
        unchangedOld.setTypeMeta()
        return PreparedObject(data: try encode(object), metadata: finalMeta, warnings: warnings,
                              unchanged: object == unchangedOld)
    }

    /// Whether anything outside metadata and status differs.
    private func specChanged(_ a: T, _ b: T) -> Bool {
        var x = a
        var y = b
        x.metadata = nil
        y.metadata = nil
        if let copyStatus = rules.copyStatus {
            copyStatus(&x, empty)
            copyStatus(&y, empty)
        }
        return x != y
    }

    private func assignNamespace(_ meta: inout ObjectMeta, context: WriteContext) throws(APIError) {
        guard info.namespaced else {
            meta.namespace = nil
            return
        }
        if let given = meta.namespace, !given.isEmpty, let url = context.namespace, given != url {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        meta.namespace = context.namespace ?? meta.namespace
    }

    public func markDeleting(_ data: Data, now: Time, gracePeriodSeconds: Int64, addingFinalizer: String?) throws -> PreparedObject {
        var object = try decodeStored(data)
        var meta = object.metadata ?? ObjectMeta()
        var changed = false
        if let finalizer = addingFinalizer, !(meta.finalizers ?? []).contains(finalizer) {
            meta.finalizers = (meta.finalizers ?? []) + [finalizer]
            changed = true
        }
        let deadline = Time(secondsSinceEpoch: now.secondsSinceEpoch + max(0, gracePeriodSeconds))
        if meta.deletionTimestamp == nil || deadline < meta.deletionTimestamp! {
            meta.deletionTimestamp = deadline
            meta.deletionGracePeriodSeconds = max(0, gracePeriodSeconds)
            changed = true
        } else if let period = meta.deletionGracePeriodSeconds, gracePeriodSeconds < period {
            // Asked again within the same second for a shorter period.
            meta.deletionGracePeriodSeconds = max(0, gracePeriodSeconds)
            changed = true
        }
        meta.resourceVersion = nil
        object.metadata = meta
        return PreparedObject(data: try encode(object), metadata: meta, warnings: [], unchanged: !changed)
    }

    public func deletionGrace(_ data: Data, requested: Int64?) throws -> DeletionGrace {
        guard let rule = rules.deletionGrace else { return .immediate }
        return rule(try decodeStored(data), requested)
    }

    // MARK: Reads

    public func summarize(_ data: Data) throws -> ObjectSummary {
        let object = try decodeForReading(data)
        let meta = object.metadata ?? ObjectMeta()
        var fields = rules.selectableFields(object)
        fields["metadata.name"] = meta.name ?? ""
        if info.namespaced { fields["metadata.namespace"] = meta.namespace ?? "" }
        return ObjectSummary(name: meta.name ?? "", namespace: meta.namespace, labels: meta.labels ?? [:], fields: fields,
                             uid: meta.uid ?? "", owners: meta.ownerReferences ?? [], finalizers: meta.finalizers ?? [],
                             isDeleting: meta.deletionTimestamp != nil)
    }

    public var tableColumns: [TableColumn] { rules.table.columns }

    public func tableRow(_ data: Data, now: Time) throws -> (cells: [JSONValue], metadata: ObjectMeta) {
        let object = try decodeForReading(data)
        return (rules.table.cells(object, now), object.metadata ?? ObjectMeta())
    }

    public var selectableFieldNames: Set<String> {
        var names = Set(rules.selectableFields(empty).keys)
        names.insert("metadata.name")
        if info.namespaced { names.insert("metadata.namespace") }
        return names
    }

    public func scale(of data: Data) throws -> Scale? {
        guard let access = rules.scale else { return nil }
        let object = try decodeStored(data)
        let meta = object.metadata ?? ObjectMeta()
        return Scale(metadata: ObjectMeta(creationTimestamp: meta.creationTimestamp, name: meta.name,
                                          namespace: meta.namespace, resourceVersion: meta.resourceVersion,
                                          uid: meta.uid),
                     spec: ScaleSpec(replicas: access.specReplicas(object)),
                     status: ScaleStatus(replicas: access.statusReplicas(object), selector: access.selector(object)))
    }

    public func settingReplicas(_ replicas: Int32, in existing: Data) throws -> Data {
        guard let access = rules.scale else { throw APIError.pathNotFound }
        var object = try decodeStored(existing)
        access.setSpecReplicas(&object, replicas)
        return try encode(object)
    }
}

/// Random suffixes for `metadata.generateName`, from Kubernetes' alphabet (no vowels, no look-alikes).
enum GeneratedName {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func suffix(length: Int = 5) -> String {
        String((0..<length).map { _ in alphabet.randomElement()! })
    }
}
