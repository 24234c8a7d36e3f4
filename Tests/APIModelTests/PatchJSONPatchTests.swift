import Testing
import APIModel

private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

private func applied(_ patch: String, to document: String) throws -> JSONValue {
    try JSONPatch.apply(try json(patch), to: try json(document))
}

private func failure(_ patch: String, on document: String) throws -> PatchError? {
    let operations = try json(patch)
    let target = try json(document)
    do {
        _ = try JSONPatch.apply(operations, to: target)
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONPatchRFCExampleTests {
    /// RFC 6902, Appendix A (A.13, a document with a repeated `op`, is a parsing matter: the last wins).
    @Test(arguments: [
        // A.1 Adding an Object Member
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"baz":"qux","foo":"bar"}"#),
        // A.2 Adding an Array Element
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        // A.3 Removing an Object Member
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        // A.4 Removing an Array Element
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        // A.5 Replacing a Value
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"boo","foo":"bar"}"#),
        // A.6 Moving a Value
        (#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
         #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
         #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        // A.7 Moving an Array Element
        (#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
         #"{"foo":["all","cows","eat","grass"]}"#),
        // A.8 Testing a Value: Success
        (#"{"baz":"qux","foo":["a",2,"c"]}"#,
         #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
         #"{"baz":"qux","foo":["a",2,"c"]}"#),
        // A.10 Adding a Nested Member Object
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
         #"{"foo":"bar","child":{"grandchild":{}}}"#),
        // A.11 Ignoring Unrecognized Elements
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, #"{"foo":"bar","baz":"qux"}"#),
        // A.14 ~ Escape Ordering
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#, #"{"/":9,"~1":10}"#),
        // A.16 Adding an Array Value
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, #"{"foo":["bar",["abc","def"]]}"#),
    ])
    func appendixA(document: String, patch: String, expected: String) throws {
        #expect(try applied(patch, to: document) == (try json(expected)))
    }

    @Test func a9TestingAValueError() throws {
        let error = try failure(#"[{"op":"test","path":"/baz","value":"bar"}]"#, on: #"{"baz":"qux","foo":["a",2,"c"]}"#)
        #expect(error == PatchError(.testFailed, "testing value /baz failed: test failed"))
        #expect(error?.httpStatus == 422)
        #expect(error?.statusReason == "Invalid")
        #expect(error?.statusMessage == "the server rejected our request due to an error in our request")
    }

    @Test func a12AddingToANonexistentTarget() throws {
        let error = try failure(#"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, on: #"{"foo":"bar"}"#)
        #expect(error == PatchError(.operationFailed, #"add operation does not apply: doc is missing path: "/baz/bat": missing value"#))
        #expect(error?.httpStatus == 422)
    }

    @Test func a15ComparingStringsAndNumbers() throws {
        let error = try failure(#"[{"op":"test","path":"/~01","value":"10"}]"#, on: #"{"/":9,"~1":10}"#)
        #expect(error?.kind == .testFailed)
    }
}

@Suite struct JSONPatchTests {
    @Test func operationsApplyInSequence() throws {
        let result = try applied(#"""
            [{"op":"add","path":"/spec/replicas","value":3},
             {"op":"replace","path":"/metadata/labels/app","value":"api"},
             {"op":"copy","from":"/metadata/labels","path":"/spec/selector"},
             {"op":"remove","path":"/metadata/labels/old"},
             {"op":"test","path":"/spec/selector/old","value":"x"}]
            """#, to: #"{"metadata":{"labels":{"app":"web","old":"x"}},"spec":{}}"#)
        #expect(result == (try json(#"{"metadata":{"labels":{"app":"api"}},"spec":{"replicas":3,"selector":{"app":"api","old":"x"}}}"#)))
    }

    @Test func wholeDocumentPointer() throws {
        #expect(try applied(#"[{"op":"replace","path":"","value":{"a":1}}]"#, to: #"{"b":2}"#) == (try json(#"{"a":1}"#)))
        #expect(try applied(#"[{"op":"test","path":"","value":{"b":2.0}}]"#, to: #"{"b":2}"#) == (try json(#"{"b":2}"#)))
    }

    @Test func escapedPointerTokens() throws {
        let result = try applied(#"[{"op":"add","path":"/metadata/annotations/example.com~1a~0b","value":"v"}]"#,
                                 to: #"{"metadata":{"annotations":{}}}"#)
        #expect(result == (try json(#"{"metadata":{"annotations":{"example.com/a~b":"v"}}}"#)))
        #expect(try JSONPointer("/a~1b/~0/c").tokens == ["a/b", "~", "c"])
        #expect(JSONPointer(tokens: ["a/b", "~"]).description == "/a~1b/~0")
        #expect(throws: PatchError.self) { try JSONPointer("/a~2") }
        #expect(throws: PatchError.self) { try JSONPointer("a") }
    }

    @Test func arrayIndices() throws {
        #expect(try applied(#"[{"op":"add","path":"/a/2","value":9}]"#, to: #"{"a":[1,2]}"#) == (try json(#"{"a":[1,2,9]}"#)))
        #expect(try applied(#"[{"op":"add","path":"/a/0","value":9}]"#, to: #"{"a":[1,2]}"#) == (try json(#"{"a":[9,1,2]}"#)))
        // Negative indices count from the end, as evanphx/json-patch allows.
        #expect(try applied(#"[{"op":"remove","path":"/a/-1"}]"#, to: #"{"a":[1,2,3]}"#) == (try json(#"{"a":[1,2]}"#)))
        #expect(try applied(#"[{"op":"add","path":"/a/-1","value":9}]"#, to: #"{"a":[1,2]}"#) == (try json(#"{"a":[1,2,9]}"#)))
        #expect(try applied(#"[{"op":"replace","path":"/a/1","value":9}]"#, to: #"{"a":[1,2]}"#) == (try json(#"{"a":[1,9]}"#)))

        let outOfRange = try failure(#"[{"op":"add","path":"/a/5","value":9}]"#, on: #"{"a":[1,2]}"#)
        #expect(outOfRange == PatchError(.operationFailed, "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced"))
        #expect(try failure(#"[{"op":"remove","path":"/a/2"}]"#, on: #"{"a":[1,2]}"#)?.kind == .operationFailed)
        #expect(try failure(#"[{"op":"replace","path":"/a/2","value":0}]"#, on: #"{"a":[1,2]}"#)?.kind == .operationFailed)
        #expect(try failure(#"[{"op":"add","path":"/a/x","value":0}]"#, on: #"{"a":[1,2]}"#)?.kind == .operationFailed)
    }

    @Test func failuresNameTheOperation() throws {
        #expect(try failure(#"[{"op":"remove","path":"/x"}]"#, on: "{}")
                == PatchError(.operationFailed, "error in remove for path: '/x': Unable to remove nonexistent key: x: missing value"))
        #expect(try failure(#"[{"op":"replace","path":"/x","value":1}]"#, on: "{}")
                == PatchError(.operationFailed, "replace operation does not apply: doc is missing key: /x: missing value"))
        #expect(try failure(#"[{"op":"move","from":"/x","path":"/y"}]"#, on: "{}")
                == PatchError(.operationFailed, "move operation does not apply: doc is missing from path: /x: missing value"))
        #expect(try failure(#"[{"op":"copy","from":"/x","path":"/y"}]"#, on: "{}")
                == PatchError(.operationFailed, "copy operation does not apply: doc is missing from path: /x: missing value"))
        #expect(try failure(#"[{"op":"frobnicate","path":"/x"}]"#, on: "{}")
                == PatchError(.operationFailed, "Unexpected kind: frobnicate"))
        #expect(try failure(#"[{"path":"/x"}]"#, on: "{}") == PatchError(.operationFailed, "Unexpected kind: unknown"))
        #expect(try failure(#"[{"op":"add","value":1}]"#, on: "{}")
                == PatchError(.operationFailed, "add operation failed to decode path: missing value"))
        #expect(try failure(#"[{"op":"add","path":"/x"}]"#, on: "{}")?.kind == .operationFailed)
        #expect(try failure(#"[{"op":"move","from":"/a","path":"/a/b"}]"#, on: #"{"a":{}}"#)?.kind == .operationFailed)
        #expect(try failure(#"[{"op":"test","path":"/a/b","value":1}]"#, on: #"{}"#)?.kind == .operationFailed)
        #expect(try failure(#"[{"op":"test","path":"/a","value":0}]"#, on: #"{}"#)?.kind == .testFailed)
        // As in evanphx/json-patch, testing a missing member for null passes.
        #expect(try applied(#"[{"op":"test","path":"/a","value":null}]"#, to: #"{}"#) == .object([:]))
    }

    @Test func aFailingPatchChangesNothing() throws {
        let document = try json(#"{"a":1}"#)
        let patch = try json(#"[{"op":"replace","path":"/a","value":2},{"op":"test","path":"/a","value":1}]"#)
        #expect(throws: PatchError.self) { try JSONPatch.apply(patch, to: document) }
        #expect(document == (try json(#"{"a":1}"#)))
    }

    @Test func moveWithinItselfIsANoOp() throws {
        #expect(try applied(#"[{"op":"move","from":"/a","path":"/a"}]"#, to: #"{"a":1}"#) == (try json(#"{"a":1}"#)))
    }

    @Test func testComparesNumbersByValue() throws {
        #expect(try applied(#"[{"op":"test","path":"/a","value":1.0},{"op":"test","path":"/b","value":{"y":[1,2],"x":null}}]"#,
                            to: #"{"a":1,"b":{"x":null,"y":[1,2]}}"#) == (try json(#"{"a":1,"b":{"x":null,"y":[1,2]}}"#)))
        #expect(try failure(#"[{"op":"test","path":"/a","value":[2,1]}]"#, on: #"{"a":[1,2]}"#)?.kind == .testFailed)
    }

    @Test func malformedPatchesAreBadRequests() throws {
        let notAList = try failure(#"{"op":"add"}"#, on: "{}")
        #expect(notAList == PatchError(.malformedPatch, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"))
        #expect(notAList?.httpStatus == 400)
        #expect(notAList?.statusReason == "BadRequest")
        #expect(notAList?.statusMessage == "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        #expect(try failure(#"["add"]"#, on: "{}")
                == PatchError(.malformedPatch, "json: cannot unmarshal string into Go value of type jsonpatch.Operation"))
        #expect(try applied("null", to: #"{"a":1}"#) == (try json(#"{"a":1}"#)))
    }

    @Test func tooManyOperations() throws {
        let operation = JSONValue.object(["op": .string("test"), "path": .string(""), "value": .object([:])])
        let patch = JSONValue.array(Array(repeating: operation, count: JSONPatch.maximumOperations + 1))
        #expect(throws: PatchError(.tooManyOperations, "The allowed maximum operations in a JSON patch is 10000, got 10001")) {
            try JSONPatch.apply(patch, to: .object([:]))
        }
        let error = PatchError(.tooManyOperations, "The allowed maximum operations in a JSON patch is 10000, got 10001")
        #expect(error.httpStatus == 413)
        #expect(error.statusReason == "RequestEntityTooLarge")
        #expect(error.statusMessage == "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001")
    }
}
