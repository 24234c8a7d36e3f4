import Testing
import APIModel
import FieldManagement

@Suite struct ApplySchemaTests {
    let schema = ApplySchema()

    @Test func readsListAndMapTypes() {
        let podSpec = ValueSchema.structure("io.k8s.api.core.v1.PodSpec")
        let container = ValueSchema.structure("io.k8s.api.core.v1.Container")
        #expect(schema.schema(of: schema.patchSchema.field("containers", in: .definition("io.k8s.api.core.v1.PodSpec")))
                == .associativeList(keys: ["name"], item: container))
        let containerFields: (String) -> ValueSchema = {
            schema.schema(of: schema.patchSchema.field($0, in: .definition("io.k8s.api.core.v1.Container")))
        }
        #expect(containerFields("ports") == .associativeList(keys: ["containerPort", "protocol"], item: .structure("io.k8s.api.core.v1.ContainerPort")))
        #expect(containerFields("env") == .associativeList(keys: ["name"], item: .structure("io.k8s.api.core.v1.EnvVar")))
        #expect(containerFields("args") == .atomic)
        #expect(containerFields("resizePolicy") == .atomic)
        #expect(containerFields("image") == .unknown)
        let meta = PatchSchema.Node.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
        #expect(schema.schema(of: schema.patchSchema.field("finalizers", in: meta)) == .set)
        #expect(schema.schema(of: schema.patchSchema.field("labels", in: meta)) == .map(.unknown))
        #expect(schema.schema(of: schema.patchSchema.field("creationTimestamp", in: meta)) == .atomic)
        #expect(schema.schema(of: schema.patchSchema.field("replicas", in: .definition("io.k8s.api.apps.v1.DeploymentSpec"))) == .unknown)
        #expect(schema.schema(of: schema.patchSchema.field("nodeSelector", in: .definition("io.k8s.api.core.v1.PodSpec"))) == .atomic)
        #expect(schema.schema(of: schema.patchSchema.field("selector", in: .definition("io.k8s.api.apps.v1.DeploymentSpec"))) == .atomic)
        #expect(schema.schema(of: schema.patchSchema.field("addresses", in: .definition("io.k8s.api.discovery.v1.Endpoint"))) == .set)
        #expect(schema.schema(ofDefinition: "io.k8s.api.core.v1.PodSpec") == podSpec)
        #expect(schema.schema(ofDefinition: "no.such.Definition") == .unknown)
    }

    @Test func patchSchemaKeepsItsExistingAnswers() {
        let patch = PatchSchema.shared
        #expect(patch.kind(ofDefinition: "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector") == .atomicObject)
        #expect(patch.kind(ofDefinition: "io.k8s.apimachinery.pkg.api.resource.Quantity") == .scalar)
        #expect(patch.kind(ofDefinition: "io.k8s.apimachinery.pkg.runtime.RawExtension") == .freeform)
        #expect(patch.kind(ofDefinition: "io.k8s.api.core.v1.Pod") == .object)
        let containers = patch.field("containers", in: .definition("io.k8s.api.core.v1.PodSpec"))
        #expect(containers.isRequired && containers.listType == nil && containers.mergeKey == "name")
        let ports = patch.field("ports", in: .definition("io.k8s.api.core.v1.ServiceSpec"))
        #expect(ports.listType == "map" && ports.listMapKeys == ["port", "protocol"])
    }
}

@Suite struct ObjectFieldSetTests {
    let schema = ApplySchema()

    @Test func deploymentFieldSet() throws {
        let config = try json(#"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                             "spec":{"containers":[{"name":"web","image":"nginx:1.25","args":["-g","daemon off;"],
                                                    "ports":[{"containerPort":80,"protocol":"TCP"}],
                                                    "env":[{"name":"MODE","value":"prod"}],
                                                    "resources":{"limits":{"cpu":"500m"}}}],
                                     "nodeSelector":{"disk":"ssd"}}}}}
        """#)
        let set = schema.fieldSet(of: config, definition: deploymentDefinition)
        let expected = try json(#"""
        {"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:app":{}},"f:name":{}},
         "f:spec":{"f:replicas":{},"f:selector":{},
                   "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                                 "f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:args":{},
                                     "f:env":{"k:{\"name\":\"MODE\"}":{".":{},"f:name":{},"f:value":{}}},
                                     "f:image":{},"f:name":{},
                                     "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},
                                     "f:resources":{"f:limits":{"f:cpu":{}}}}},
                                           "f:nodeSelector":{}}}}}
        """#)
        #expect(set.fieldsV1 == expected)
    }

    @Test func podFieldSetWithSetsEmptyObjectsAndNulls() throws {
        let pod = try json(#"""
        {"metadata":{"name":"p","finalizers":["example.com/a","example.com/b"],"annotations":{"note":"x"},
                     "creationTimestamp":null},
         "spec":{"volumes":[{"name":"scratch","emptyDir":{}}],"containers":[{"name":"c","image":"busybox","command":["sleep","1d"],
                 "volumeMounts":[{"name":"scratch","mountPath":"/scratch"}]}],"tolerations":[{"key":"k","operator":"Exists"}]},
         "status":{"phase":"Pending","conditions":[{"type":"Ready","status":"False"}]}}
        """#)
        let set = schema.fieldSet(of: pod, definition: podDefinition)
        let expected = try json(#"""
        {"f:metadata":{"f:annotations":{"f:note":{}},"f:creationTimestamp":{},
                       "f:finalizers":{"v:\"example.com/a\"":{},"v:\"example.com/b\"":{}},"f:name":{}},
         "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:command":{},"f:image":{},"f:name":{},
                                   "f:volumeMounts":{"k:{\"mountPath\":\"/scratch\"}":{".":{},"f:mountPath":{},"f:name":{}}}}},
                   "f:tolerations":{},
                   "f:volumes":{"k:{\"name\":\"scratch\"}":{".":{},"f:emptyDir":{},"f:name":{}}}},
         "f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:status":{},"f:type":{}}},"f:phase":{}}}
        """#)
        #expect(set.fieldsV1 == expected)
    }

    @Test func unknownValuesAreGranularMapsAndAtomicLists() {
        let value = JSONValue.object(["a": .object(["b": .int(1), "c": .array([.int(1), .int(2)])])])
        let set = schema.fieldSet(of: value, schema: .unknown)
        // Entries of maps are members themselves, as list items are.
        #expect(set == FieldSet([path("a"), path("a", "b"), path("a", "c")]))
        #expect(set.fieldsV1.serializedString() == #"{"f:a":{".":{},"f:b":{},"f:c":{}}}"#)
    }
}
