import Testing
import APIModel
import FieldManagement

@Suite struct FieldManagerApplyTests {
    let manager = FieldManager()
    let status = IgnoredFields(fields: "status")

    /// An applied configuration of the nginx Deployment with the given replicas and extra labels.
    func config(replicas: Int64? = nil, labels: [String: String] = ["app": "nginx"], env: [String] = []) -> JSONValue {
        var spec: [String: JSONValue] = [
            "selector": .object(["matchLabels": .object(["app": .string("nginx")])]),
            "template": .object([
                "metadata": .object(["labels": .object(["app": .string("nginx")])]),
                "spec": .object(["containers": .array([.object([
                    "name": .string("nginx"), "image": .string("nginx"),
                    "env": .array(env.map { .object(["name": .string($0), "value": .string("1")]) }),
                ].filter { $0.key != "env" || !env.isEmpty })])]),
            ]),
        ]
        if let replicas { spec["replicas"] = .int(replicas) }
        return .object([
            "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
            "metadata": .object(["name": .string("nginx"), "labels": .object(labels.mapValues(JSONValue.string))]),
            "spec": .object(spec),
        ])
    }

    func apply(_ live: JSONValue?, _ config: JSONValue, by name: String = "kubectl", force: Bool = false, at offset: Int64 = 60) throws(ApplyConflicts) -> JSONValue {
        try manager.apply(live: live, config: config, definition: deploymentDefinition, manager: name, apiVersion: "apps/v1",
                          force: force, time: testTime(offset), ignoring: status)
    }

    func created() throws -> JSONValue {
        manager.update(live: nil, new: try json(createdDeploymentJSON), definition: deploymentDefinition, manager: "kubectl-create",
                       apiVersion: "apps/v1", time: testTime(), ignoring: status)
    }

    @Test func createByApplyOwnsExactlyTheConfiguration() throws {
        let applied = config(replicas: 2)
        let object = try apply(nil, applied)
        let list = entries(object)
        #expect(list.count == 1)
        #expect(list[0]["operation"]?.stringValue == "Apply" && list[0]["manager"]?.stringValue == "kubectl")
        #expect(list[0]["time"]?.stringValue == "2024-05-01T10:01:00Z" && list[0]["fieldsType"]?.stringValue == "FieldsV1")
        let owned = try #require(try fields(of: "kubectl", "Apply", in: object))
        let expected = ApplySchema().fieldSet(of: applied, definition: deploymentDefinition)
            .subtracting(FieldSet([path("apiVersion"), path("kind"), path("metadata", "name")]))
        #expect(owned == expected)
        #expect(try set(object, ["metadata", "managedFields"], nil) == applied)
    }

    @Test func applyingOverAnUpdatersValueConflicts() throws {
        let live = try created()
        let error = #expect(throws: ApplyConflicts.self) { try apply(live, config(replicas: 3)) }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas"#)
        #expect(error?.causes == [StatusCause(field: ".spec.replicas", message: #"conflict with "kubectl-create" using apps/v1"#,
                                              reason: "FieldManagerConflict")])
        #expect(error?.conflicts.first?.apiVersion == "apps/v1")
    }

    @Test func forceTakesTheFieldsAndSharesEqualOnes() throws {
        let live = try created()
        let object = try apply(live, config(replicas: 3), force: true)
        #expect(object["spec"]?["replicas"] == .int(3))
        #expect(entries(object).map { $0["operation"]?.stringValue } == ["Apply", "Update"])
        let kubectl = try #require(try fields(of: "kubectl", "Apply", in: object))
        let create = try #require(try fields(of: "kubectl-create", "Update", in: object))
        #expect(kubectl.contains(path("spec", "replicas")) && !create.contains(path("spec", "replicas")))
        // Equal values are shared, not taken.
        #expect(kubectl.contains(path("metadata", "labels", "app")) && create.contains(path("metadata", "labels", "app")))
        #expect(create.contains(path("spec", "progressDeadlineSeconds")))
        // Everything the creator set and the applier did not mention stays.
        #expect(object["spec"]?["revisionHistoryLimit"] == .int(10))
    }

    @Test func applyingEqualValuesIsNoConflict() throws {
        let live = try created()
        let object = try apply(live, config(replicas: 1))
        #expect(try fields(of: "kubectl", "Apply", in: object)?.contains(path("spec", "replicas")) == true)
        #expect(try fields(of: "kubectl-create", "Update", in: object)?.contains(path("spec", "replicas")) == true)
        // The object did not change: the entries are new but the object is the live one.
        #expect(try set(object, ["metadata", "managedFields"], nil) == (try set(live, ["metadata", "managedFields"], nil)))
    }

    @Test func fieldsNoLongerAppliedAreRemoved() throws {
        let first = try apply(nil, config(replicas: 2, labels: ["app": "nginx", "tier": "web"], env: ["A", "B"]))
        let second = try apply(first, config(labels: ["app": "nginx"], env: ["A"]), at: 120)
        #expect(second["metadata"]?["labels"] == .object(["app": .string("nginx")]))
        #expect(second["spec"]?["replicas"] == nil)
        let container = second["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first
        #expect(container?["env"] == .array([.object(["name": .string("A"), "value": .string("1")])]))
        let owned = try #require(try fields(of: "kubectl", "Apply", in: second))
        #expect(!owned.contains(path("metadata", "labels", "tier")) && !owned.contains(path("spec", "replicas")))
        #expect(entries(second).first?["time"]?.stringValue == "2024-05-01T10:02:00Z")

        // Dropping the whole list removes it.
        let third = try apply(second, config(labels: ["app": "nginx"]), at: 180)
        #expect(third["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["env"] == nil)
    }

    @Test func fieldsStillOwnedByAnotherManagerStay() throws {
        // Shared with another applier.
        let first = try apply(nil, config(labels: ["app": "nginx", "tier": "web"]))
        let shared = try apply(first, .object(["apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
                                                "metadata": .object(["name": .string("nginx"), "labels": .object(["tier": .string("web")])])]),
                               by: "other")
        let dropped = try apply(shared, config(labels: ["app": "nginx"]), at: 120)
        #expect(dropped["metadata"]?["labels"]?["tier"] == .string("web"))
        #expect(try fields(of: "other", "Apply", in: dropped)?.contains(path("metadata", "labels", "tier")) == true)
        #expect(try fields(of: "kubectl", "Apply", in: dropped)?.contains(path("metadata", "labels", "tier")) == false)

        // Shared with an updater.
        let live = try created()
        let withReplicas = try apply(live, config(replicas: 1))
        let withoutReplicas = try apply(withReplicas, config(), at: 120)
        #expect(withoutReplicas["spec"]?["replicas"] == .int(1))
        #expect(try fields(of: "kubectl-create", "Update", in: withoutReplicas)?.contains(path("spec", "replicas")) == true)
    }

    @Test func twoAppliersShareEqualValuesAndConflictOnDifferentOnes() throws {
        let first = try apply(nil, config(replicas: 2), by: "alice")
        let second = try apply(first, config(replicas: 2), by: "bob")
        #expect(try fields(of: "alice", "Apply", in: second)?.contains(path("spec", "replicas")) == true)
        #expect(try fields(of: "bob", "Apply", in: second)?.contains(path("spec", "replicas")) == true)
        #expect(entries(second).map { $0["manager"]?.stringValue } == ["alice", "bob"])

        let error = #expect(throws: ApplyConflicts.self) { try apply(second, config(replicas: 5), by: "carol") }
        #expect(error?.message == """
            Apply failed with 2 conflicts: conflicts with "alice":
            - .spec.replicas
            conflicts with "bob":
            - .spec.replicas
            """)
        #expect(error?.causes.map(\.message) == [#"conflict with "alice""#, #"conflict with "bob""#])
    }

    @Test func severalConflictsOfOneManagerAreListed() throws {
        let live = try created()
        var changed = config(replicas: 4)
        changed = try set(changed, ["spec", "revisionHistoryLimit"], .int(3))
        changed = try set(changed, ["spec", "progressDeadlineSeconds"], .int(60))
        let error = #expect(throws: ApplyConflicts.self) { try apply(live, changed) }
        #expect(error?.message == """
            Apply failed with 3 conflicts: conflicts with "kubectl-create" using apps/v1:
            - .spec.progressDeadlineSeconds
            - .spec.replicas
            - .spec.revisionHistoryLimit
            """)
        #expect(error?.causes.count == 3)
    }

    @Test func conflictsOnListItemsNameTheKey() throws {
        let live = try created()
        var changed = config()
        changed = try set(changed, ["spec", "template", "spec", "containers"], .array([.object(["name": .string("nginx"), "image": .string("nginx:1.25")])]))
        let error = #expect(throws: ApplyConflicts.self) { try apply(live, changed) }
        #expect(error?.conflicts.map(\.path.description) == [#".spec.template.spec.containers[name="nginx"].image"#])
    }

    @Test func anUpdateTakesTheFieldFromTheApplier() throws {
        let applied = try apply(nil, config(replicas: 2))
        let scaled = manager.update(live: applied, new: try set(applied, ["spec", "replicas"], .int(5)), definition: deploymentDefinition,
                                    manager: "hpa", apiVersion: "apps/v1", time: testTime(120), ignoring: status)
        #expect(try fields(of: "kubectl", "Apply", in: scaled)?.contains(path("spec", "replicas")) == false)
        #expect(try fields(of: "hpa", "Update", in: scaled) == FieldSet([path("spec", "replicas")]))
        // Applying the old value again now conflicts with the updater.
        let error = #expect(throws: ApplyConflicts.self) { try apply(scaled, config(replicas: 2), at: 180) }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas"#)
        // Leaving replicas out of the configuration keeps the updater's value.
        let without = try apply(scaled, config(), at: 180)
        #expect(without["spec"]?["replicas"] == .int(5))
    }

    @Test func reapplyingTheSameConfigurationKeepsTheTime() throws {
        let first = try apply(nil, config(replicas: 2))
        let second = try apply(first, config(replicas: 2), at: 600)
        #expect(entries(second) == entries(first))
    }

    @Test func statusIsNeitherOwnedNorConflictedOnTheMainResource() throws {
        let live = try created()
        var withStatus = config()
        withStatus = try set(withStatus, ["status"], .object(["replicas": .int(9)]))
        let object = try apply(live, withStatus)
        #expect(try fields(of: "kubectl", "Apply", in: object)?.contains(path("status", "replicas")) == false)
    }

    @Test func malformedLiveManagedFieldsAreReset() throws {
        let live = try set(try json(createdDeploymentJSON), ["metadata", "managedFields"], try json(#"[{"manager":"x","operation":"Update"}]"#))
        let object = try apply(live, config(replicas: 3))
        #expect(entries(object).compactMap { $0["manager"]?.stringValue } == ["kubectl"])
        #expect(object["spec"]?["replicas"] == .int(3))
    }

    @Test func servicePortsAreKeyedByPortAndProtocol() throws {
        let service = try json(#"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
         "spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}
        """#)
        let created = try manager.apply(live: nil, config: service, definition: serviceDefinition, manager: "alice",
                                        apiVersion: "v1", force: false, time: testTime(), ignoring: status)
        // The stored object is defaulted by the API layer: the port gains its protocol.
        let defaulted = try set(created, ["spec", "ports"], try json(#"[{"port":80,"targetPort":8080,"protocol":"TCP"}]"#))
        let changed = try set(service, ["spec", "ports"], try json(#"[{"port":80,"targetPort":9090},{"port":443,"protocol":"TCP"}]"#))
        let error = #expect(throws: ApplyConflicts.self) {
            try manager.apply(live: defaulted, config: changed, definition: serviceDefinition, manager: "bob",
                              apiVersion: "v1", force: false, time: testTime(60), ignoring: status)
        }
        // The equal selector is shared; the port omitting its protocol is the defaulted TCP one.
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "alice": .spec.ports[port=80,protocol="TCP"].targetPort"#)
        let forced = try manager.apply(live: defaulted, config: changed, definition: serviceDefinition, manager: "bob",
                                       apiVersion: "v1", force: true, time: testTime(60), ignoring: status)
        #expect(forced["spec"]?["ports"] == (try json(#"[{"port":80,"targetPort":9090,"protocol":"TCP"},{"port":443,"protocol":"TCP"}]"#)))
    }

    @Test func appliersThroughASubresourceAreNamedSo() throws {
        let first = try manager.apply(live: nil, config: config(replicas: 2), definition: deploymentDefinition, manager: "scaler",
                                      apiVersion: "apps/v1", subresource: "scale", force: false, time: testTime(), ignoring: status)
        #expect(entries(first).first?["subresource"]?.stringValue == "scale")
        let error = #expect(throws: ApplyConflicts.self) { try apply(first, config(replicas: 4)) }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "scaler" with subresource "scale": .spec.replicas"#)
    }
}
