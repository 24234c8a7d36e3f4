import Foundation

/// Edits one member of an encoded object in place of its bytes, without decoding or re-encoding the rest:
/// for writes that change a small part of a large object (the API server setting `metadata.managedFields`).
public enum JSONSplice {
    /// `data` with the member at `path` (object keys from the top) set to the encoded JSON `value`, or removed
    /// when `value` is nil. `data` is one JSON object whose members are in sorted order at every level on the
    /// path (as `ModelJSON.encode` and `JSONValue.serialized()` write them), so a new member goes where sorted
    /// order puts it and the result is what encoding the changed object would give. Nil when `data` is not
    /// such a document or an object on the way to the member is missing.
    public static func settingMember(_ path: [String], to value: [UInt8]?, in data: Data) -> Data? {
        guard !path.isEmpty else { return nil }
        return data.withUnsafeBytes { raw -> Data? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var reader = JSONReader(bytes: bytes)
            guard let edit = try? reader.findEdit(path: path[...], name: path.last!, value: value) else { return nil }
            var out = Data(capacity: bytes.count + (value?.count ?? 0) + path.last!.utf8.count + 4)
            out.append(UnsafeBufferPointer(rebasing: bytes[0..<edit.range.lowerBound]))
            out.append(contentsOf: edit.replacement)
            out.append(UnsafeBufferPointer(rebasing: bytes[edit.range.upperBound...]))
            return out
        }
    }
}

extension JSONReader {
    /// Which bytes to replace, and with what, to set (or remove) the member `name` at the end of `path`.
    struct Edit {
        var range: Range<Int>
        var replacement: [UInt8]
    }

    mutating func findEdit(path: ArraySlice<String>, name: String, value: [UInt8]?) throws(JSONParsingError) -> Edit? {
        try beginObject()
        let openEnd = position  // just after `{`
        var first = true
        var previousEnd: Int?  // end of the previous member's value
        while true {
            skipWhitespace()
            let memberStart = position + (first ? 0 : 1)  // past the `,` of a following member
            guard let key = try nextKey(first: &first) else {
                // The member is absent and sorts after every existing one.
                guard path.count == 1, let value else { return path.count == 1 ? Edit(range: position..<position, replacement: []) : nil }
                let closing = position - 1
                var text = previousEnd == nil ? [] : [UInt8(ascii: ",")]
                text += Self.member(name, value)
                return Edit(range: closing..<closing, replacement: text)
            }
            let keyText = key.string
            if keyText == path.first! {
                skipWhitespace()
                if path.count > 1 { return try findEdit(path: path.dropFirst(), name: name, value: value) }
                let valueStart = position
                try skipValue()
                let valueEnd = position
                if let value { return Edit(range: valueStart..<valueEnd, replacement: value) }
                // Removal: the member with the comma before it, or after it when it is the first.
                if let previousEnd { return Edit(range: previousEnd..<valueEnd, replacement: []) }
                skipWhitespace()
                let end = position < bytes.count && bytes[position] == UInt8(ascii: ",") ? position + 1 : valueEnd
                return Edit(range: openEnd..<end, replacement: [])
            }
            if path.count == 1, JSONValue.keyPrecedes(path.first!, keyText) {
                // The member is absent and sorts before this one.
                guard let value else { return Edit(range: memberStart..<memberStart, replacement: []) }
                return Edit(range: memberStart..<memberStart, replacement: Self.member(name, value) + [UInt8(ascii: ",")])
            }
            try skipValue()
            previousEnd = position
        }
    }

    private static func member(_ name: String, _ value: [UInt8]) -> [UInt8] {
        var writer = JSONWriter(capacity: name.utf8.count + value.count + 4)
        writer.key(name)
        return writer.bytes + value
    }
}
