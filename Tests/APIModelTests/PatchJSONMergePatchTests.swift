import Testing
import APIModel

private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

@Suite struct JSONMergePatchTests {
    /// RFC 7386, Appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfcAppendixA(original: String, patch: String, expected: String) throws {
        #expect(JSONMergePatch.apply(try json(patch), to: try json(original)) == (try json(expected)))
    }

    /// RFC 7386, section 3.
    @Test func rfcExample() throws {
        let target = try json(#"""
            {"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},
             "tags":["example","sample"],"content":"This will be unchanged"}
            """#)
        let patch = try json(#"""
            {"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}
            """#)
        let expected = try json(#"""
            {"title":"Hello!","author":{"givenName":"John"},"tags":["example"],
             "content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}
            """#)
        #expect(JSONMergePatch.apply(patch, to: target) == expected)
    }

    @Test func labelsMergeAndNullDeletes() throws {
        let pod = try json(#"{"metadata":{"name":"p","labels":{"app":"web","tier":"front"}},"spec":{"x":1}}"#)
        let patch = try json(#"{"metadata":{"labels":{"tier":null,"env":"prod"}}}"#)
        #expect(JSONMergePatch.apply(patch, to: pod) == (try json(#"{"metadata":{"name":"p","labels":{"app":"web","env":"prod"}},"spec":{"x":1}}"#)))
    }

    @Test func kubernetesRejectsScalarPatches() throws {
        #expect(throws: Never.self) { try JSONMergePatch.validate(try json(#"{"a":1}"#)) }
        #expect(throws: Never.self) { try JSONMergePatch.validate(try json("[1]")) }
        for text in ["null", "\"x\"", "1", "true"] {
            #expect(throws: PatchError(.malformedPatch, "Invalid JSON Patch")) { try JSONMergePatch.validate(try json(text)) }
        }
    }

    @Test func diffProducesAPatchThatRoundTrips() throws {
        let original = try json(#"{"a":1,"b":{"c":"x","d":[1,2]},"gone":true,"same":{"k":"v"}}"#)
        let modified = try json(#"{"a":2,"b":{"c":"x","d":[1,2,3],"e":{"f":null}},"same":{"k":"v"},"new":[null]}"#)
        let patch = JSONMergePatch.diff(from: original, to: modified)
        #expect(patch == (try json(#"{"a":2,"b":{"d":[1,2,3],"e":{"f":null}},"gone":null,"new":[null]}"#)))
        // Merge patch cannot carry a null member: it is dropped on application (RFC 7386's design).
        #expect(JSONMergePatch.apply(patch, to: original) == (try json(#"{"a":2,"b":{"c":"x","d":[1,2,3],"e":{}},"same":{"k":"v"},"new":[null]}"#)))
        #expect(JSONMergePatch.diff(from: original, to: original) == .object([:]))
        #expect(JSONMergePatch.diff(from: .int(1), to: .string("x")) == .string("x"))
    }
}
