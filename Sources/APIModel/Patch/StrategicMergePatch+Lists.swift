/// List merging and ordering for strategic merge patch.
extension StrategicMerger {
    /// Merges the patch list into the original list of a field with patch strategy `merge` (or applies a
    /// `$deleteFromPrimitiveList` list when `isDeleteList`).
    func mergeList(
        _ original: [JSONValue], _ patch: [JSONValue], field: PatchSchema.Field, isDeleteList: Bool
    ) throws(PatchError) -> [JSONValue] {
        if original.isEmpty && patch.isEmpty { return original }
        let kind = try Self.sharedElementKind(original, patch)

        guard kind == .object else {
            if isDeleteList {
                let doomed = Set(patch)
                return original.filter { !doomed.contains($0) }
            }
            // Union, each value once.
            var seen = Set<JSONValue>()
            var merged: [JSONValue] = []
            for value in original + patch where seen.insert(value).inserted {
                merged.append(value)
            }
            let inPatch = Set(patch)
            return try Self.normalizeOrder(
                patchItems: merged.filter { inPatch.contains($0) },
                serverOnly: merged.filter { !inPatch.contains($0) },
                patchOrder: patch, serverOrder: original, mergeKey: nil)
        }

        guard let mergeKey = field.mergeKey else {
            throw PatchError(.mergeFailed, "cannot merge lists without merge key for \(Self.describe(field.elementNode))")
        }

        // Directive elements first: deletions by merge key, and replacement of the whole list.
        var server = original
        var plain: [JSONValue] = []
        var replace = false
        for element in patch {
            let members = element.objectValue ?? [:]
            guard let directive = members[PatchDirective.marker] else {
                plain.append(element)
                continue
            }
            switch directive {
            case PatchDirective.delete:
                guard let value = members[mergeKey] else { throw PatchError.noMergeKey(members, mergeKey) }
                server.removeAll { $0.objectValue?[mergeKey] == value }
            case PatchDirective.replace:
                replace = true
            case PatchDirective.merge:
                continue
            default:
                throw PatchError.badPatchType(directive, members)
            }
        }
        if replace {
            server = plain.compactMap { clean($0) }
            plain = []
        }

        // Merge each patch element into the element with the same key, or add it.
        var merged = server
        var positions: [JSONValue: Int] = [:]
        for (index, element) in merged.enumerated() {
            if let value = element.objectValue?[mergeKey], positions[value] == nil { positions[value] = index }
        }
        for element in plain {
            let members = element.objectValue ?? [:]
            guard let value = members[mergeKey] else { throw PatchError.noMergeKey(members, mergeKey) }
            if let index = positions[value] {
                let current = merged[index].objectValue ?? [:]
                merged[index] = .null
                merged[index] = .object(try mergeMap(current, members, node: field.elementNode))
            } else if let fresh = clean(element) {
                positions[value] = merged.count
                merged.append(fresh)
            }
        }

        // Order: patch elements in patch order, original ones in original order, interleaved.
        let patchKeys = Set(plain.compactMap { $0.objectValue?[mergeKey] })
        var patchItems: [JSONValue] = []
        var serverOnly: [JSONValue] = []
        for element in merged {
            guard let members = element.objectValue else {
                throw PatchError.badArgType(expected: "map[string]interface {}", actual: element)
            }
            guard let value = members[mergeKey] else { throw PatchError.noMergeKey(members, mergeKey) }
            if patchKeys.contains(value) {
                patchItems.append(element)
            } else {
                serverOnly.append(element)
            }
        }
        return try Self.normalizeOrder(
            patchItems: patchItems, serverOnly: serverOnly, patchOrder: plain, serverOrder: server, mergeKey: mergeKey)
    }

    /// `$setElementOrder/<field>`: merges the patch's `<field>` list (if any) into the original's and puts
    /// the result in the given order; original elements absent from the order list keep their place
    /// relative to the others.
    func applyElementOrder(
        _ order: JSONValue, field: String, node: PatchSchema.Node,
        result: inout [String: JSONValue], patch: inout [String: JSONValue]
    ) throws(PatchError) {
        guard case .array(let orderList) = order else {
            throw PatchError.badArgType(expected: "[]interface {}", actual: order)
        }
        var originalList: [JSONValue]?
        if let value = result[field] {
            guard case .array(let elements) = value else {
                throw PatchError.badArgType(expected: "[]interface {}", actual: value)
            }
            originalList = elements
        }
        var patchList: [JSONValue]?
        if let value = patch[field] {
            guard case .array(let elements) = value else {
                throw PatchError.badArgType(expected: "[]interface {}", actual: value)
            }
            patchList = elements
        }
        let meta = schema.field(field, in: node)
        try Self.validate(patchList ?? [], against: orderList, mergeKey: meta.mergeKey)

        let merged: [JSONValue]
        switch (originalList, patchList) {
        case (let original?, nil):
            merged = original
        case (nil, let added?):
            merged = added.compactMap { clean($0) }
        case (let original?, let added?):
            if meta.patchStrategy == "merge" {
                merged = try mergeList(original, added, field: meta, isDeleteList: false)
            } else {
                merged = added.compactMap { clean($0) }
            }
        case (nil, nil):
            return
        }
        patch.removeValue(forKey: field)

        let inputs = (originalList ?? []) + (patchList ?? [])
        guard !inputs.isEmpty else {
            // Kubernetes fails here ("no elements in any of the given slices"); an empty list stays empty.
            result[field] = .array(merged)
            return
        }
        let kind = try Self.sharedElementKind(originalList ?? [], patchList ?? [])
        let mergeKey = kind == .object ? meta.mergeKey : nil

        var patchItems: [JSONValue] = []
        var serverOnly: [JSONValue] = []
        if let mergeKey {
            var orderKeys = Set<JSONValue>()
            for (index, entry) in orderList.enumerated() {
                guard let members = entry.objectValue else {
                    throw PatchError(.mergeFailed, "value for key \(index) is not a map.")
                }
                if let value = members[mergeKey] { orderKeys.insert(value) }
            }
            for element in merged {
                guard let members = element.objectValue else {
                    throw PatchError.badArgType(expected: "map[string]interface {}", actual: element)
                }
                guard let value = members[mergeKey] else { throw PatchError.noMergeKey(members, mergeKey) }
                if orderKeys.contains(value) { patchItems.append(element) } else { serverOnly.append(element) }
            }
        } else {
            let ordered = Set(orderList)
            for element in merged {
                if ordered.contains(element) { patchItems.append(element) } else { serverOnly.append(element) }
            }
        }
        result[field] = .array(try Self.normalizeOrder(
            patchItems: patchItems, serverOnly: serverOnly,
            patchOrder: orderList, serverOrder: originalList ?? [], mergeKey: mergeKey))
    }

    // MARK: - Helpers

    /// The one element kind all the lists' elements share. Lists of lists are `.listOfLists`; mixed kinds
    /// (including integers mixed with non-integers, as Go's decoder types them) are `.mergeFailed`.
    static func sharedElementKind(_ lists: [JSONValue]...) throws(PatchError) -> JSONValue.ElementKind {
        var kind: JSONValue.ElementKind?
        for list in lists {
            for element in list {
                let elementKind = element.elementKind
                guard let known = kind else {
                    if elementKind == .array { throw PatchError.listOfLists }
                    kind = elementKind
                    continue
                }
                if known != elementKind {
                    let description = "[" + lists.map { JSONValue.array($0).goDescription }.joined(separator: " ") + "]"
                    throw PatchError(.mergeFailed, "list element types are not identical: \(description)")
                }
            }
        }
        guard let kind else {
            throw PatchError(.mergeFailed, "no elements in any of the given slices")
        }
        return kind
    }

    /// Checks that the patch list's elements (bar deletions and other directives) appear in the
    /// `$setElementOrder` list, in the same relative order.
    static func validate(_ patchList: [JSONValue], against orderList: [JSONValue], mergeKey: String?) throws(PatchError) {
        guard !patchList.isEmpty, !orderList.isEmpty else { return }
        var remaining: [JSONValue] = []
        if mergeKey != nil {
            for element in patchList {
                guard let members = element.objectValue else {
                    throw PatchError.badArgType(expected: "map[string]interface {}", actual: element)
                }
                if members[PatchDirective.marker] == PatchDirective.delete { continue }
                remaining.append(element)
            }
        } else {
            remaining = patchList
        }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < remaining.count && orderIndex < orderList.count {
            if remaining[patchIndex].objectValue?[PatchDirective.marker] != nil {
                patchIndex += 1
                continue
            }
            if try keysEqual(remaining[patchIndex], orderList[orderIndex], mergeKey: mergeKey) {
                patchIndex += 1
            }
            orderIndex += 1
        }
        if patchIndex < remaining.count && orderIndex >= orderList.count {
            throw PatchError(.mergeFailed, "The order in patch list:\n\(JSONValue.array(patchList).goDescription)\n doesn't match \(PatchDirective.setElementOrderPrefix) list:\n\(JSONValue.array(orderList).goDescription)\n")
        }
    }

    private static func keysEqual(_ left: JSONValue, _ right: JSONValue, mergeKey: String?) throws(PatchError) -> Bool {
        guard let mergeKey else { return left == right }
        guard let leftMembers = left.objectValue else {
            throw PatchError.badArgType(expected: "map[string]interface {}", actual: left)
        }
        guard let rightMembers = right.objectValue else {
            throw PatchError.badArgType(expected: "map[string]interface {}", actual: right)
        }
        guard let leftValue = leftMembers[mergeKey] else { throw PatchError.noMergeKey(leftMembers, mergeKey) }
        guard let rightValue = rightMembers[mergeKey] else { throw PatchError.noMergeKey(rightMembers, mergeKey) }
        return leftValue == rightValue
    }

    /// Sorts `patchItems` by their position in `patchOrder` and `serverOnly` by theirs in `serverOrder`, then
    /// interleaves them: a server-only element goes before the next patch element when both are in
    /// `serverOrder` and it comes first there; otherwise the patch element goes first.
    static func normalizeOrder(
        patchItems: [JSONValue], serverOnly: [JSONValue],
        patchOrder: [JSONValue], serverOrder: [JSONValue], mergeKey: String?
    ) throws(PatchError) -> [JSONValue] {
        if let mergeKey {
            for list in [patchItems, patchOrder, serverOnly, serverOrder] {
                for element in list {
                    guard let members = element.objectValue else {
                        throw PatchError.badArgType(expected: "map[string]interface {}", actual: element)
                    }
                    if members[mergeKey] == nil { throw PatchError.noMergeKey(members, mergeKey) }
                }
            }
        }
        func key(_ element: JSONValue) -> JSONValue? {
            guard let mergeKey else { return element }
            return element.objectValue?[mergeKey]
        }
        func positions(_ list: [JSONValue]) -> [JSONValue: Int] {
            var result: [JSONValue: Int] = [:]
            for (index, element) in list.enumerated() {
                if let k = key(element), result[k] == nil { result[k] = index }
            }
            return result
        }
        func sorted(_ items: [JSONValue], by order: [JSONValue: Int]) -> [JSONValue] {
            items.enumerated()
                .map { (rank: key($0.element).flatMap { order[$0] } ?? Int.max, offset: $0.offset, element: $0.element) }
                .sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }
                .map(\.element)
        }
        let serverPositions = positions(serverOrder)
        let left = sorted(serverOnly, by: serverPositions)
        let right = sorted(patchItems, by: positions(patchOrder))

        var result: [JSONValue] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            if let l = key(left[i]).flatMap({ serverPositions[$0] }),
               let r = key(right[j]).flatMap({ serverPositions[$0] }), l < r {
                result.append(left[i])
                i += 1
            } else {
                result.append(right[j])
                j += 1
            }
        }
        result.append(contentsOf: left[i...])
        result.append(contentsOf: right[j...])
        return result
    }

    static func describe(_ node: PatchSchema.Node) -> String {
        switch node {
        case .definition(let name): return name
        case .map: return "map"
        case .list: return "list"
        case .opaque: return "unknown type"
        }
    }
}
