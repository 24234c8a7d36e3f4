import Testing
import APIModel
import FieldManagement

@Suite struct MergeTests {
    let schema = ApplySchema()
    let podSpec = ValueSchema.structure("io.k8s.api.core.v1.PodSpec")

    func merged(_ live: String, _ config: String, _ schema: ValueSchema? = nil) throws -> JSONValue? {
        self.schema.merge(try json(live), try json(config), schema: schema ?? podSpec)
    }

    @Test func containersMergeByNameKeepingLiveOrder() throws {
        let result = try merged(
            #"{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1","args":["x"]}]}"#,
            #"{"containers":[{"name":"c","image":"c:1"},{"name":"b","image":"b:2"}]}"#)
        #expect(result == (try json(#"{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:2","args":["x"]},{"name":"c","image":"c:1"}]}"#)))
    }

    @Test func portsMergeByContainerPortAndProtocol() throws {
        let result = try merged(
            #"{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":53,"protocol":"UDP"}]}]}"#,
            #"{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP","hostPort":8080},{"containerPort":53,"protocol":"TCP"}]}]}"#)
        #expect(result == (try json(#"""
        {"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP","name":"http","hostPort":8080},
                                            {"containerPort":53,"protocol":"UDP"},{"containerPort":53,"protocol":"TCP"}]}]}
        """#)))
    }

    @Test func portsWithoutProtocolMatchTheDefaultedOnes() throws {
        let result = try merged(
            #"{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP"}]}]}"#,
            #"{"containers":[{"name":"a","ports":[{"containerPort":80,"name":"http"}]}]}"#)
        #expect(result == (try json(#"{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP","name":"http"}]}]}"#)))
        let set = schema.fieldSet(of: try json(#"{"containers":[{"name":"a","ports":[{"containerPort":80}]}]}"#), schema: podSpec)
        #expect(set.fieldsV1.serializedString()
                == #"{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}"#)
    }

    @Test func envMergesByNameAndArgsCommandAreAtomic() throws {
        let result = try merged(
            #"{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"args":["1","2"],"command":["sh"]}]}"#,
            #"{"containers":[{"name":"a","env":[{"name":"B","value":"3"}],"args":["3"],"command":["bash","-c"]}]}"#)
        #expect(result == (try json(#"{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}],"args":["3"],"command":["bash","-c"]}]}"#)))
    }

    @Test func finalizersAreASet() throws {
        let result = schema.merge(try json(#"{"metadata":{"finalizers":["b","a"]}}"#),
                                  try json(#"{"metadata":{"finalizers":["c","a"]}}"#),
                                  schema: schema.schema(ofDefinition: podDefinition))
        #expect(result == (try json(#"{"metadata":{"finalizers":["b","a","c"]}}"#)))
    }

    @Test func atomicMapsAreReplacedAndGranularMapsMerge() throws {
        let result = schema.merge(
            try json(#"{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"selector":{"matchLabels":{"a":"1"},"matchExpressions":[]},"template":{"spec":{"nodeSelector":{"x":"1"}}}}}"#),
            try json(#"{"metadata":{"labels":{"b":"3"}},"spec":{"selector":{"matchLabels":{"c":"1"}},"template":{"spec":{"nodeSelector":{"y":"1"}}}}}"#),
            schema: schema.schema(ofDefinition: deploymentDefinition))
        #expect(result == (try json(#"{"metadata":{"labels":{"a":"1","b":"3"}},"spec":{"selector":{"matchLabels":{"c":"1"}},"template":{"spec":{"nodeSelector":{"y":"1"}}}}}"#)))
    }

    @Test func emptyConfigValuesReplaceOnlyEmptyOrAbsentOnes() throws {
        #expect(try merged(#"{"securityContext":{"runAsUser":1}}"#, #"{"securityContext":{}}"#) == (try json(#"{"securityContext":{"runAsUser":1}}"#)))
        #expect(try merged(#"{"hostname":"a"}"#, #"{"hostname":null}"#) == (try json(#"{"hostname":null}"#)))
    }
}

@Suite struct CompareTests {
    let schema = ApplySchema()

    @Test func reportsAddedModifiedRemoved() throws {
        let old = try json(#"{"metadata":{"labels":{"a":"1"}},"spec":{"replicas":1,"paused":true,"template":{"spec":{"containers":[{"name":"a","image":"a:1"}]}}}}"#)
        let new = try json(#"{"metadata":{"labels":{"a":"2","b":"1"}},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}}}"#)
        let comparison = schema.compare(old, new, definition: deploymentDefinition)
        let containers: [PathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers")]
        let b = PathElement.key(["name": .string("b")])
        #expect(comparison.modified == FieldSet([path("metadata", "labels", "a"), path("spec", "replicas")]))
        #expect(comparison.added == FieldSet([path("metadata", "labels", "b"), FieldPath(containers + [b]),
                                              FieldPath(containers + [b, .field("name")]), FieldPath(containers + [b, .field("image")])]))
        #expect(comparison.removed == FieldSet([path("spec", "paused")]))
        #expect(schema.compare(old, old, definition: deploymentDefinition).isEmpty)
    }

    @Test func appearingMapsAndListsAreOwnedButStructsAndRequiredListsAreNot() throws {
        let new = try json(#"{"metadata":{"labels":{"a":"1"}},"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}},"template":{"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"}]}]}}}}"#)
        let added = schema.compare(.object([:]), new, definition: deploymentDefinition).added
        let containers: [PathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers")]
        let a = PathElement.key(["name": .string("a")])
        #expect(added.contains(path("metadata", "labels")))
        #expect(!added.contains(path("metadata")))
        #expect(!added.contains(path("spec", "strategy", "rollingUpdate")))
        #expect(!added.contains(FieldPath(containers)))
        #expect(added.contains(FieldPath(containers + [a])))
        #expect(added.contains(FieldPath(containers + [a, .field("env")])))
    }
}

@Suite struct RemoveTests {
    let schema = ApplySchema()

    @Test func removesMembersItemsAndEmptiedContainers() throws {
        let value = try json(#"{"metadata":{"labels":{"a":"1"},"finalizers":["x","y"]},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a","image":"a"},{"name":"b","image":"b"}]}}}}"#)
        let containers: [PathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers")]
        let fields = FieldSet([path("metadata", "labels", "a"), FieldPath([.field("metadata"), .field("finalizers"), .value(.string("x"))]),
                               FieldPath(containers + [.key(["name": .string("a")])]), path("spec", "replicas")])
        let result = schema.removing(fields, from: value, schema: schema.schema(ofDefinition: deploymentDefinition))
        #expect(result == (try json(#"{"metadata":{"finalizers":["y"]},"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b"}]}}}}"#)))
    }
}
