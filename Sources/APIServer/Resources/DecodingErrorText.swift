import Foundation

/// Short, field-naming messages for body decoding failures (`spec.replicas: expected Int32, got a string`).
enum DecodingErrorText {
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required field missing"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "invalid JSON: \((context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription)"
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out.isEmpty ? "body" : out
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "an array" }
        switch name {
        case "String": return "a string"
        case "Int32", "Int64", "Int": return "an integer"
        case "Bool": return "a boolean"
        case "Double": return "a number"
        default: return "an object (\(name))"
        }
    }
}
