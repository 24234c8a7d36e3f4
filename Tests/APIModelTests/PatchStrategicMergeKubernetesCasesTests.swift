import Testing
import APIModel

// Cases from the behaviour apimachinery's strategicpatch tests pin down (its `MergeItem` test type,
// described here as an OpenAPI schema), written out by hand.

private let mergeItemSchema = PatchSchema(componentSchemasJSON: #"""
    {"mergeItem":{"type":"object","properties":{
       "name":{"type":"string"},"value":{"type":"string"},"other":{"type":"string"},
       "mergingList":{"type":"array","items":{"$ref":"#/components/schemas/mergeItem"},
                      "x-kubernetes-patch-strategy":"merge","x-kubernetes-patch-merge-key":"name"},
       "nonMergingList":{"type":"array","items":{"$ref":"#/components/schemas/mergeItem"}},
       "mergingIntList":{"type":"array","items":{"type":"integer"},"x-kubernetes-patch-strategy":"merge"},
       "nonMergingIntList":{"type":"array","items":{"type":"integer"}},
       "simpleMap":{"type":"object","additionalProperties":{"type":"string"}},
       "replacingItem":{"type":"object","x-kubernetes-patch-strategy":"replace"},
       "retainKeysMap":{"allOf":[{"$ref":"#/components/schemas/retainKeysMergeItem"}],"x-kubernetes-patch-strategy":"retainKeys"},
       "retainKeysMergingList":{"type":"array","items":{"$ref":"#/components/schemas/mergeItem"},
                      "x-kubernetes-patch-strategy":"merge,retainKeys","x-kubernetes-patch-merge-key":"name"}}},
     "retainKeysMergeItem":{"type":"object","properties":{
       "name":{"type":"string"},"value":{"type":"string"},"other":{"type":"string"},
       "simpleMap":{"type":"object","additionalProperties":{"type":"string"}},
       "mergingIntList":{"type":"array","items":{"type":"integer"},"x-kubernetes-patch-strategy":"merge"},
       "mergingList":{"type":"array","items":{"$ref":"#/components/schemas/mergeItem"},
                      "x-kubernetes-patch-strategy":"merge","x-kubernetes-patch-merge-key":"name"}}}}
    """#)

private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

private func apply(_ patch: String, to original: String) throws -> JSONValue {
    try StrategicMergePatch.apply(try json(patch), to: try json(original), definition: "mergeItem", schema: mergeItemSchema)
}

private func failure(_ patch: String, on original: String) throws -> PatchError? {
    let patchValue = try json(patch)
    let originalValue = try json(original)
    do {
        _ = try StrategicMergePatch.apply(patchValue, to: originalValue, definition: "mergeItem", schema: mergeItemSchema)
        return nil
    } catch {
        return error
    }
}

@Suite struct StrategicMergeKubernetesCasesTests {
    @Test(arguments: [
        // unique scalars when merging lists
        (#"{"mergingIntList":[1,2]}"#, #"{"mergingIntList":[2,3]}"#, #"{"mergingIntList":[1,2,3]}"#),
        // delete all items from merging list
        (#"{"mergingList":[{"name":"1"},{"name":"2"}]}"#, #"{"mergingList":[{"$patch":"replace"}]}"#, #"{"mergingList":[]}"#),
        // merge empty merging lists
        (#"{"mergingList":[]}"#, #"{"mergingList":[]}"#, #"{"mergingList":[]}"#),
        // delete all keys from map
        (#"{"name":"1","value":"1"}"#, #"{"$patch":"replace"}"#, #"{}"#),
        // add key and delete all keys from map
        (#"{"name":"1","value":"1"}"#, #"{"other":"a","$patch":"replace"}"#, #"{"other":"a"}"#),
        // delete all duplicate entries in a merging list
        (#"{"mergingList":[{"name":"1"},{"name":"1"},{"name":"2","value":"a"},{"name":"3"},{"name":"3"}]}"#,
         #"{"mergingList":[{"name":"1","$patch":"delete"},{"name":"3","$patch":"delete"}]}"#,
         #"{"mergingList":[{"name":"2","value":"a"}]}"#),
        // delete map from nested map
        (#"{"simpleMap":{"key1":"1","key2":"1"}}"#, #"{"simpleMap":{"$patch":"delete"}}"#, #"{"simpleMap":{}}"#),
        // retainKeys map can add a field when no retainKeys directive present
        (#"{"retainKeysMap":{"name":"foo"}}"#, #"{"retainKeysMap":{"value":"bar"}}"#, #"{"retainKeysMap":{"name":"foo","value":"bar"}}"#),
        // retainKeys map merge an empty map
        (#"{"retainKeysMap":{"name":"foo","value":"a"}}"#, #"{"retainKeysMap":{}}"#, #"{"retainKeysMap":{"name":"foo","value":"a"}}"#),
        // retainKeys map with the directive drops unlisted keys
        (#"{"retainKeysMap":{"name":"foo","value":"a","other":"b"}}"#,
         #"{"retainKeysMap":{"$retainKeys":["name","value"],"value":"c"}}"#,
         #"{"retainKeysMap":{"name":"foo","value":"c"}}"#),
        // retainKeys in an element of a merging list
        (#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a","other":"x"}]}"#,
         #"{"retainKeysMergingList":[{"name":"foo","$retainKeys":["name","other"],"other":"y"}]}"#,
         #"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","other":"y"}]}"#),
        // preserve the order from the patch in a merging list
        (#"{"mergingList":[{"name":"1"},{"name":"2","value":"b"},{"name":"3"}]}"#,
         #"{"mergingList":[{"name":"3","value":"c"},{"name":"1","value":"a"},{"name":"2","other":"x"}]}"#,
         #"{"mergingList":[{"name":"3","value":"c"},{"name":"1","value":"a"},{"name":"2","value":"b","other":"x"}]}"#),
        // preserve the order from the patch in a merging list 2
        (#"{"mergingList":[{"name":"1"},{"name":"2","value":"b"},{"name":"3"}]}"#,
         #"{"mergingList":[{"name":"3","value":"c"},{"name":"1","value":"a"}]}"#,
         #"{"mergingList":[{"name":"2","value":"b"},{"name":"3","value":"c"},{"name":"1","value":"a"}]}"#),
        // preserve the order from the patch in a merging int list
        (#"{"mergingIntList":[1,2,3]}"#, #"{"mergingIntList":[3,1,2]}"#, #"{"mergingIntList":[3,1,2]}"#),
        (#"{"mergingIntList":[1,2,3]}"#, #"{"mergingIntList":[3,1]}"#, #"{"mergingIntList":[2,3,1]}"#),
        // $setElementOrder contains item that is not present in the list to be merged
        (#"{"mergingList":[{"name":"1"},{"name":"3"}]}"#,
         #"{"$setElementOrder/mergingList":[{"name":"3"},{"name":"2"},{"name":"1"}],"mergingList":[{"name":"3","value":"3"},{"name":"1","value":"1"}]}"#,
         #"{"mergingList":[{"name":"3","value":"3"},{"name":"1","value":"1"}]}"#),
        // $setElementOrder contains item that is not present in the int list to be merged
        (#"{"mergingIntList":[1,3]}"#, #"{"$setElementOrder/mergingIntList":[3,2,1]}"#, #"{"mergingIntList":[3,1]}"#),
        // lists without merge strategy are replaced, maps with strategy replace too
        (#"{"nonMergingIntList":[1,2]}"#, #"{"nonMergingIntList":[2,3]}"#, #"{"nonMergingIntList":[2,3]}"#),
        (#"{"replacingItem":{"a":1,"b":{"c":1}}}"#, #"{"replacingItem":{"b":{"d":2}}}"#, #"{"replacingItem":{"b":{"d":2}}}"#),
        // delete field from map in merging list
        (#"{"mergingList":[{"name":"1","value":"1"},{"name":"2","value":"2"}]}"#,
         #"{"mergingList":[{"name":"1","value":null}]}"#,
         #"{"mergingList":[{"name":"1"},{"name":"2","value":"2"}]}"#),
        // add map and delete map from merging list
        (#"{"mergingList":[{"name":"1"},{"name":"2","other":"b"},{"name":"4","other":"c"}]}"#,
         #"{"mergingList":[{"name":"1","$patch":"delete"},{"name":"3"}]}"#,
         #"{"mergingList":[{"name":"3"},{"name":"2","other":"b"},{"name":"4","other":"c"}]}"#),
    ])
    func appliesLikeKubernetes(original: String, patch: String, expected: String) throws {
        #expect(try apply(patch, to: original) == (try json(expected)))
    }

    @Test func orderListMustMatchThePatchList() throws {
        let maps = try failure(
            #"{"$setElementOrder/mergingList":[{"name":"1"},{"name":"2"},{"name":"3"}],"mergingList":[{"name":"3","value":"3"},{"name":"1","value":"1"}]}"#,
            on: #"{"mergingList":[{"name":"1"},{"name":"3"},{"name":"2"}]}"#)
        #expect(maps?.message.contains("doesn't match") == true)
        let ints = try failure(#"{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]}"#, on: #"{"mergingIntList":[1,3,2]}"#)
        #expect(ints?.message.contains("doesn't match") == true)
    }

    @Test func missingMergeKeyFails() throws {
        let error = try failure(#"{"mergingList":[{"value":"b"}]}"#, on: #"{"mergingList":[{"name":"1","value":"a"}]}"#)
        #expect(error?.message.contains("does not contain declared merge key") == true)
    }
}
