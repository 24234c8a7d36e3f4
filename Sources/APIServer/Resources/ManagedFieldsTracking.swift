import APIModel
import FieldManagement
import Foundation

/// How the API keeps `metadata.managedFields`: which manager a write is recorded under, which fields a write
/// through the main resource or a subresource may own, and the bookkeeping of non-apply writes.
enum ManagedFieldsTracking {
    static let fieldManager = FieldManager()

    /// Kubernetes' limit on field manager names.
    static let maxManagerLength = 128

    /// The manager of a write: the `fieldManager` parameter, else the User-Agent up to its first `/` (as
    /// kube-apiserver: `kubectl/v1.32.0 (linux/amd64) …` is `kubectl`).
    static func manager(_ request: ResourceRequest) throws(APIError) -> String {
        if let given = request.query["fieldManager"], !given.isEmpty {
            try validate(given)
            return given
        }
        let agent = request.userAgent ?? ""
        let prefix = agent.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return String(prefix.prefix(maxManagerLength))
    }

    static func validate(_ manager: String) throws(APIError) {
        if manager.count > maxManagerLength {
            throw APIError.badRequest("fieldManager: Too long: may not be more than \(maxManagerLength) bytes")
        }
        if manager.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw APIError.badRequest("fieldManager: Invalid value: \"\(manager)\": must consist of printable characters")
        }
    }

    /// The fields a write may own: a status write only the status; a main-resource write of a kind with a
    /// status subresource everything but the status.
    static func ignored(_ info: ResourceInfo, subresource: ResourceInfo.Subresource?) -> IgnoredFields {
        if subresource == .status { return .allFields(except: ["status"]) }
        return info.hasStatus ? IgnoredFields(fields: "status") : .none
    }

    /// `new` (an encoded object about to be stored) with its managedFields brought up to date for a create
    /// (`live` nil), update or non-apply patch by the request's manager.
    static func recordUpdate(live: Data?, new: Data, _ request: ResourceRequest,
                             subresource: ResourceInfo.Subresource?) throws(APIError) -> Data {
        let manager = try manager(request)
        do {
            let newValue = try JSONValue(parsing: new)
            let liveValue = try live.map { try JSONValue(parsing: $0) }
            let entries = fieldManager.updatedManagedFields(
                live: liveValue, new: newValue, definition: request.info.definition, manager: manager,
                apiVersion: request.info.groupVersion, subresource: subresource?.rawValue, time: .now(),
                ignoring: ignored(request.info, subresource: subresource))
            // Only the managedFields change: set them in the encoding rather than re-encoding the object.
            let encodedEntries = entries.map { Array($0.serialized()) }
            if let spliced = JSONSplice.settingMember(["metadata", "managedFields"], to: encodedEntries, in: new) {
                return spliced
            }
            return FieldManager.replacingManagedFields(of: FieldManager.withoutManagedFields(newValue), with: entries).serialized()
        } catch {
            throw APIError.internalError("tracking managed fields: \(error)")
        }
    }
}
