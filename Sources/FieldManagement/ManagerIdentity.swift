import APIModel

/// Which writer a `managedFields` entry belongs to, as kube-apiserver keys entries
/// (`BuildManagerIdentifier`): the manager name, the operation, the subresource, and for updates the
/// API version (so an updater gets one entry per version it wrote with, while an applier keeps a single
/// entry whose version follows its latest apply).
public struct ManagerIdentity: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `Apply` or `Update`, as in `managedFields[].operation`.
    public enum Operation: String, Hashable, Sendable, Comparable {
        case apply = "Apply"
        case update = "Update"

        public static func < (lhs: Operation, rhs: Operation) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var manager: String
    public var operation: Operation
    /// The API version of an `Update` entry; nil for `Apply` entries.
    public var updateAPIVersion: String?
    /// The subresource written through, `""` for the main resource.
    public var subresource: String

    public init(manager: String, operation: Operation, apiVersion: String, subresource: String?) {
        self.manager = manager
        self.operation = operation
        self.updateAPIVersion = operation == .update ? apiVersion : nil
        self.subresource = subresource ?? ""
    }

    /// The writer as Kubernetes names it in conflicts (`printManager`): `"kubectl"` for an applier,
    /// `"kube-controller-manager" using apps/v1` for an updater, with ` with subresource "status"` after the
    /// name when written through a subresource.
    public var description: String {
        var text = "\"\(GoQuoting.quote(manager))\""
        if !subresource.isEmpty { text += " with subresource \"\(GoQuoting.quote(subresource))\"" }
        if operation == .update, let version = updateAPIVersion { text += " using \(version)" }
        return text
    }

    /// The order of kube-apiserver's identifier strings (JSON of manager, operation, apiVersion,
    /// subresource), which it sorts conflicts by.
    public static func < (lhs: ManagerIdentity, rhs: ManagerIdentity) -> Bool {
        if lhs.manager != rhs.manager { return lhs.manager < rhs.manager }
        if lhs.operation != rhs.operation { return lhs.operation < rhs.operation }
        if lhs.updateAPIVersion != rhs.updateAPIVersion { return (lhs.updateAPIVersion ?? "") < (rhs.updateAPIVersion ?? "") }
        return lhs.subresource < rhs.subresource
    }
}

/// Go's `%q` escaping of the characters a manager name can plausibly hold.
enum GoQuoting {
    static func quote(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
