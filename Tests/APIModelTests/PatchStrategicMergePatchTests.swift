import Testing
import APIModel

private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

private let deployment = "io.k8s.api.apps.v1.Deployment"
private let pod = "io.k8s.api.core.v1.Pod"

private func patched(_ original: String, _ patch: String, definition: String = pod) throws -> JSONValue {
    try StrategicMergePatch.apply(try json(patch), to: try json(original), definition: definition)
}

private func failure(_ original: String, _ patch: String, definition: String = pod) throws -> PatchError? {
    let patchValue = try json(patch)
    let originalValue = try json(original)
    do {
        _ = try StrategicMergePatch.apply(patchValue, to: originalValue, definition: definition)
        return nil
    } catch {
        return error
    }
}

@Suite struct PatchSchemaTests {
    @Test func readsStrategiesAndMergeKeys() {
        let schema = PatchSchema.shared
        let podSpec = PatchSchema.Node.definition("io.k8s.api.core.v1.PodSpec")
        let containers = schema.field("containers", in: podSpec)
        #expect(containers.patchStrategy == "merge")
        #expect(containers.mergeKey == "name")
        #expect(containers.elementNode == .definition("io.k8s.api.core.v1.Container"))
        let volumes = schema.field("volumes", in: podSpec)
        #expect(volumes.patchStrategy == "merge" && volumes.retainKeys && volumes.mergeKey == "name")
        let strategy = schema.field("strategy", in: .definition("io.k8s.api.apps.v1.DeploymentSpec"))
        #expect(strategy.retainKeys && strategy.patchStrategy == nil)
        #expect(strategy.objectNode == .definition("io.k8s.api.apps.v1.DeploymentStrategy"))
        let finalizers = schema.field("finalizers", in: .definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        #expect(finalizers.patchStrategy == "merge" && finalizers.mergeKey == nil)
        let labels = schema.field("labels", in: .definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        #expect(labels.node == .map(.opaque))
        #expect(schema.field("nope", in: podSpec) == .unknown)
        #expect(schema.node(forDefinition: "example.com.v1.Nothing") == .opaque)
    }
}

@Suite struct StrategicMergePatchListTests {
    private let original = #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web","tier":"front"}},
         "spec":{"containers":[
            {"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}],
             "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
             "volumeMounts":[{"mountPath":"/data","name":"data"},{"mountPath":"/cache","name":"cache","readOnly":true}]},
            {"name":"sidecar","image":"busybox"}]}}
        """#

    @Test func containersMergeByNameKeepingPorts() throws {
        let result = try patched(original, #"{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}"#)
        let containers = result["spec"]?["containers"]?.arrayValue ?? []
        #expect(containers.count == 2)
        #expect(containers[0]["image"] == .string("nginx:1.27"))
        #expect(containers[0]["ports"] == (try json(#"[{"containerPort":80,"name":"http"},{"containerPort":443}]"#)))
        #expect(containers[0]["env"]?.arrayValue?.count == 2)
        #expect(containers[1] == (try json(#"{"name":"sidecar","image":"busybox"}"#)))
        #expect(result["metadata"] == (try json(original))["metadata"])
    }

    @Test func envMergesByName() throws {
        let result = try patched(original, #"""
            {"spec":{"containers":[{"name":"nginx","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}
            """#)
        #expect(result["spec"]?["containers"]?.arrayValue?[0]["env"]
                == (try json(#"[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]"#)))
    }

    @Test func portsMergeByContainerPort() throws {
        let result = try patched(original, #"""
            {"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}
            """#)
        #expect(result["spec"]?["containers"]?.arrayValue?[0]["ports"]
                == (try json(#"[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":443}]"#)))
    }

    @Test func volumeMountsMergeByMountPath() throws {
        let result = try patched(original, #"""
            {"spec":{"containers":[{"name":"nginx","volumeMounts":[{"mountPath":"/cache","readOnly":null,"subPath":"x"}]}]}}
            """#)
        #expect(result["spec"]?["containers"]?.arrayValue?[0]["volumeMounts"]
                == (try json(#"[{"mountPath":"/data","name":"data"},{"mountPath":"/cache","name":"cache","subPath":"x"}]"#)))
    }

    @Test func conditionsMergeByType() throws {
        let status = #"""
            {"status":{"phase":"Pending","conditions":[
              {"type":"PodScheduled","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"},
              {"type":"Ready","status":"False","reason":"ContainersNotReady","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}
            """#
        let result = try patched(status, #"""
            {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","reason":null,"lastTransitionTime":"2024-01-01T00:01:00Z"}]}}
            """#)
        #expect(result == (try json(#"""
            {"status":{"phase":"Running","conditions":[
              {"type":"PodScheduled","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"},
              {"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:01:00Z"}]}}
            """#)))
    }

    @Test func newElementsComeFirstAsInKubernetes() throws {
        // kubectl patch's documented behaviour: the patched-in container is listed before the existing ones.
        let result = try patched(original, #"{"spec":{"containers":[{"name":"redis","image":"redis","args":null}]}}"#)
        let names = result["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["redis", "nginx", "sidecar"])
        // Null members of new elements are dropped.
        #expect(result["spec"]?["containers"]?.arrayValue?[0] == (try json(#"{"name":"redis","image":"redis"}"#)))
    }

    @Test func deleteDirectiveRemovesAContainer() throws {
        let result = try patched(original, #"{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}"#)
        let names = result["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["nginx"])
    }

    @Test func replaceDirectiveInAList() throws {
        let result = try patched(original, #"{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}"#)
        #expect(result["spec"]?["containers"] == (try json(#"[{"name":"only","image":"x"}]"#)))
    }

    @Test func setElementOrderReorders() throws {
        let result = try patched(original, #"{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"nginx"}]}}"#)
        let names = result["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["sidecar", "nginx"])
        #expect(result["spec"]?["containers"]?.arrayValue?[1]["ports"]?.arrayValue?.count == 2)
    }

    @Test func setElementOrderKeepsServerOnlyElementsInPlace() throws {
        let three = #"{"spec":{"containers":[{"name":"a"},{"name":"x"},{"name":"b"}]}}"#
        let result = try patched(three, #"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}"#)
        let names = result["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["x", "b", "a"])
    }

    @Test func setElementOrderWithNewElement() throws {
        let result = try patched(original, #"""
            {"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"log"},{"name":"sidecar"}],
                     "containers":[{"name":"log","image":"fluentd"}]}}
            """#)
        let names = result["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["nginx", "log", "sidecar"])
    }

    @Test func primitiveMergeListsAreUnioned() throws {
        let meta = #"{"metadata":{"finalizers":["a","b"]}}"#
        #expect(try patched(meta, #"{"metadata":{"finalizers":["b","c"]}}"#) == (try json(#"{"metadata":{"finalizers":["a","b","c"]}}"#)))
        // A value new to the list comes first, as in Kubernetes.
        #expect(try patched(meta, #"{"metadata":{"finalizers":["z"]}}"#) == (try json(#"{"metadata":{"finalizers":["z","a","b"]}}"#)))
    }

    @Test func deleteFromPrimitiveList() throws {
        let meta = #"{"metadata":{"finalizers":["a","b","c"]}}"#
        #expect(try patched(meta, #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b","zz"]}}"#)
                == (try json(#"{"metadata":{"finalizers":["a","c"]}}"#)))
        // What kubectl apply sends when a finalizer leaves the configuration.
        #expect(try patched(meta, #"{"metadata":{"$setElementOrder/finalizers":["c","a"],"$deleteFromPrimitiveList/finalizers":["b"]}}"#)
                == (try json(#"{"metadata":{"finalizers":["c","a"]}}"#)))
        // Nothing to delete from: nothing happens.
        #expect(try patched("{\"metadata\":{}}", #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}"#)
                == (try json(#"{"metadata":{}}"#)))
    }

    @Test func listsWithoutMergeStrategyAreReplaced() throws {
        let result = try patched(#"{"spec":{"containers":[{"name":"c","args":["a","b"]}]}}"#,
                                 #"{"spec":{"containers":[{"name":"c","args":["x"]}]}}"#)
        #expect(result == (try json(#"{"spec":{"containers":[{"name":"c","args":["x"]}]}}"#)))
    }
}

@Suite struct StrategicMergePatchMapTests {
    @Test func labelsMergeAndNullDeletes() throws {
        let result = try patched(#"{"metadata":{"name":"p","labels":{"app":"web","tier":"front"}}}"#,
                                 #"{"metadata":{"labels":{"tier":null,"env":"prod"}}}"#)
        #expect(result == (try json(#"{"metadata":{"name":"p","labels":{"app":"web","env":"prod"}}}"#)))
    }

    @Test func replaceDirectiveOnAMap() throws {
        let result = try patched(#"{"metadata":{"labels":{"app":"web","tier":"front"}}}"#,
                                 #"{"metadata":{"labels":{"$patch":"replace","only":"this"}}}"#)
        #expect(result == (try json(#"{"metadata":{"labels":{"only":"this"}}}"#)))
    }

    @Test func deleteDirectiveOnAMap() throws {
        let result = try patched(#"{"metadata":{"name":"p","labels":{"app":"web"}}}"#,
                                 #"{"metadata":{"labels":{"$patch":"delete"}}}"#)
        // Kubernetes empties the map rather than removing the member.
        #expect(result == (try json(#"{"metadata":{"name":"p","labels":{}}}"#)))
        #expect(try patched(#"{"a":1}"#, #"{"$patch":"delete"}"#) == .object([:]))
    }

    @Test func mergeDirectiveIsTheDefault() throws {
        let result = try patched(#"{"metadata":{"labels":{"app":"web"}}}"#, #"{"metadata":{"labels":{"$patch":"merge","x":"y"}}}"#)
        #expect(result == (try json(#"{"metadata":{"labels":{"app":"web","x":"y"}}}"#)))
    }

    @Test func retainKeysSwitchesDeploymentStrategyToRecreate() throws {
        let original = #"""
            {"spec":{"replicas":1,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}
            """#
        // Exactly what kubectl apply sends when the configuration switches to Recreate.
        let result = try patched(original, #"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}"#,
                                 definition: deployment)
        #expect(result == (try json(#"{"spec":{"replicas":1,"strategy":{"type":"Recreate"}}}"#)))
        // Without rollingUpdate: null, retainKeys alone clears it.
        #expect(try patched(original, #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#, definition: deployment)
                == (try json(#"{"spec":{"replicas":1,"strategy":{"type":"Recreate"}}}"#)))
    }

    @Test func retainKeysMustListThePatchMembers() throws {
        let error = try failure(#"{"spec":{"strategy":{"type":"RollingUpdate"}}}"#,
                                #"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}"#, definition: deployment)
        #expect(error == PatchError(.malformedPatch, "invalid patch format of retainKeys"))
        #expect(error?.httpStatus == 400)
        #expect(try failure("{}", #"{"$retainKeys":"type"}"#)?.kind == .malformedPatch)
    }

    @Test func kubectlApplyPatch() throws {
        let original = #"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
                     "template":{"metadata":{"labels":{"app":"nginx"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}]}]}}}}
            """#
        let patch = #"""
            {"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.27","name":"nginx"}]}}}}
            """#
        let result = try patched(original, patch, definition: deployment)
        let expected = #"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},
                     "template":{"metadata":{"labels":{"app":"nginx"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}}
            """#
        #expect(result == (try json(expected)))
    }

    @Test func newValuesLoseNullsAndDirectives() throws {
        let result = try patched(#"{"metadata":{"name":"p"}}"#, #"""
            {"metadata":{"labels":{"a":"b","c":null}},
             "spec":{"containers":[{"name":"x","env":null,"$setElementOrder/env":[]}],"volumes":[{"name":"gone","$patch":"delete"}]}}
            """#)
        #expect(result == (try json(#"{"metadata":{"name":"p","labels":{"a":"b"}},"spec":{"containers":[{"name":"x"}],"volumes":[]}}"#)))
    }

    @Test func unknownDefinitionsPatchLikeMergePatch() throws {
        let result = try StrategicMergePatch.apply(
            try json(#"{"spec":{"items":[{"name":"b"}],"m":{"x":null,"y":2}}}"#),
            to: try json(#"{"spec":{"items":[{"name":"a"}],"m":{"x":1}}}"#),
            definition: "example.com.v1.Widget")
        #expect(result == (try json(#"{"spec":{"items":[{"name":"b"}],"m":{"y":2}}}"#)))
    }

    @Test func nullPatchChangesNothing() throws {
        #expect(try patched(#"{"a":1}"#, "null") == (try json(#"{"a":1}"#)))
    }
}

@Suite struct StrategicMergePatchErrorTests {
    @Test func patchMustBeAnObject() throws {
        let error = try failure("{}", "[1]")
        #expect(error == PatchError(.malformedPatch, "json: cannot unmarshal array into Go value of type map[string]interface {}"))
        #expect(error?.httpStatus == 400)
    }

    @Test func missingMergeKey() throws {
        let error = try failure(#"{"spec":{"containers":[{"name":"a"}]}}"#, #"{"spec":{"containers":[{"image":"x"}]}}"#)
        #expect(error == PatchError(.mergeFailed, "map: map[image:x] does not contain declared merge key: name"))
        #expect(error?.httpStatus == 500)
        #expect(error?.statusMessage == "map: map[image:x] does not contain declared merge key: name")
    }

    @Test func unknownPatchDirective() throws {
        let error = try failure(#"{"metadata":{"labels":{"a":"b"}}}"#, #"{"metadata":{"labels":{"$patch":"explode"}}}"#)
        #expect(error == PatchError(.mergeFailed, "unknown patch type: explode in map: map[$patch:explode]"))
    }

    @Test func malformedDirectiveKeys() throws {
        #expect(try failure(#"{"spec":{"containers":[]}}"#, #"{"spec":{"$setElementOrder":[]}}"#)
                == PatchError(.malformedPatch, "invalid patch format of setElementOrder list"))
        #expect(try failure(#"{"metadata":{}}"#, #"{"metadata":{"$deleteFromPrimitiveListX/finalizers":["a"]}}"#)
                == PatchError(.malformedPatch, "invalid patch format of primitive list"))
    }

    @Test func listsOfLists() throws {
        let error = try failure(#"{"metadata":{"finalizers":[["a"]]}}"#, #"{"metadata":{"finalizers":[["b"]]}}"#)
        #expect(error == PatchError(.listOfLists, "lists of lists are not supported"))
        #expect(error?.httpStatus == 422)
    }

    @Test func mixedElementTypes() throws {
        #expect(try failure(#"{"metadata":{"finalizers":["a"]}}"#, #"{"metadata":{"finalizers":[1]}}"#)?.kind == .mergeFailed)
    }

    @Test func orderListMustCoverThePatchList() throws {
        let error = try failure(#"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
                                #"{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","image":"x"}]}}"#)
        #expect(error?.kind == .mergeFailed)
        #expect(error?.message.hasPrefix("The order in patch list:") == true)
    }
}
