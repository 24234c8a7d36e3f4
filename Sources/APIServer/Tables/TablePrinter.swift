import APIModel
import Foundation

/// A column of a server-side `Table`, as `meta.k8s.io/v1 TableColumnDefinition`.
public struct TableColumn: Codable, Sendable, Hashable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    /// 0 for columns always shown; 1 for `-o wide` only.
    public var priority: Int32

    public init(_ name: String, type: String = "string", format: String = "", description: String = "",
                priority: Int32 = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    /// The `Name` column every table starts with.
    public static let name = TableColumn("Name", format: "name", description: "Name must be unique within a namespace.")
    /// The `Age` column.
    public static let age = TableColumn("Age", description: "CreationTimestamp is a timestamp representing the server time when this object was created.")
}

/// Renders objects of one kind as table rows: the column definitions and, per object, one cell per column.
/// Cells are JSON values (strings, integers), formatted as `kubectl` prints them.
public struct TablePrinter<T: KubernetesObject>: Sendable {
    public var columns: [TableColumn]
    public var cells: @Sendable (_ object: T, _ now: Time) -> [JSONValue]

    public init(columns: [TableColumn], cells: @escaping @Sendable (_ object: T, _ now: Time) -> [JSONValue]) {
        self.columns = columns
        self.cells = cells
    }

    /// `NAME AGE`, for kinds without columns of their own.
    public static var nameAndAge: TablePrinter<T> {
        TablePrinter(columns: [.name, .age]) { object, now in
            [.string(object.metadata?.name ?? ""), .string(HumanDuration.age(of: object.metadata?.creationTimestamp, now: now))]
        }
    }
}

/// Kubernetes' short human durations (`5s`, `3m2s`, `4h`, `2d3h`, `3y`), as `kubectl get` shows ages.
public enum HumanDuration {
    /// The age of an object created at `created`, or `<unknown>`.
    public static func age(of created: Time?, now: Time) -> String {
        guard let created else { return "<unknown>" }
        return format(seconds: now.secondsSinceEpoch - created.secondsSinceEpoch)
    }

    /// Formats a duration as `duration.HumanDuration` does.
    public static func format(seconds: Int64) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let dy = (hours / 24) % 365
            return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
