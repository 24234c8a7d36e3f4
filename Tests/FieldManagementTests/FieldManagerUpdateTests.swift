import Testing
import APIModel
import FieldManagement

@Suite struct FieldManagerUpdateTests {
    let manager = FieldManager()
    let status = IgnoredFields(fields: "status")

    func created() throws -> JSONValue {
        manager.update(live: nil, new: try json(createdDeploymentJSON), definition: deploymentDefinition, manager: "kubectl-create",
                       apiVersion: "apps/v1", time: testTime(), ignoring: status)
    }

    @Test func createGivesOneUpdateEntry() throws {
        let object = try created()
        let expectedFields = try json(#"""
        {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
         "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},
                   "f:strategy":{"f:rollingUpdate":{"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},
                   "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                                 "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},
                                               "f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
                                           "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},
                                           "f:terminationGracePeriodSeconds":{}}}}}
        """#)
        #expect(entries(object) == [.object([
            "manager": .string("kubectl-create"), "operation": .string("Update"), "apiVersion": .string("apps/v1"),
            "time": .string("2024-05-01T10:00:00Z"), "fieldsType": .string("FieldsV1"), "fieldsV1": expectedFields,
        ])])
        // The object itself is the one given, with the entries added.
        var withoutEntries = object
        if case .object(var members) = object, case .object(var metadata)? = members["metadata"] {
            metadata["managedFields"] = nil
            members["metadata"] = .object(metadata)
            withoutEntries = .object(members)
        }
        #expect(withoutEntries == (try json(createdDeploymentJSON)))
    }

    @Test func updateMovesChangedFieldsAndKeepsTimesOfUntouchedEntries() throws {
        let live = try created()
        var new = live
        new = try set(new, ["spec", "replicas"], .int(5))
        let scaled = manager.update(live: live, new: new, definition: deploymentDefinition, manager: "kube-controller-manager",
                                    apiVersion: "apps/v1", time: testTime(60), ignoring: status)
        let list = entries(scaled)
        #expect(list.count == 2)
        // Sorted by time: the older entry first.
        #expect(list.map { $0["manager"]?.stringValue } == ["kubectl-create", "kube-controller-manager"])
        #expect(list[0]["time"]?.stringValue == "2024-05-01T10:00:00Z")
        #expect(list[1]["time"]?.stringValue == "2024-05-01T10:01:00Z")
        #expect(try fields(of: "kube-controller-manager", "Update", in: scaled) == FieldSet([path("spec", "replicas")]))
        #expect(try fields(of: "kubectl-create", "Update", in: scaled)?.contains(path("spec", "replicas")) == false)
        #expect(try fields(of: "kubectl-create", "Update", in: scaled)?.contains(path("spec", "paused")) == false)

        // Writing the same object again changes nothing, not even the time.
        let again = manager.update(live: scaled, new: scaled, definition: deploymentDefinition, manager: "kube-controller-manager",
                                   apiVersion: "apps/v1", time: testTime(120), ignoring: status)
        #expect(entries(again) == list)
    }

    @Test func removedFieldsLeaveEveryEntry() throws {
        let live = try created()
        let new = try set(live, ["spec", "progressDeadlineSeconds"], nil)
        let result = manager.update(live: live, new: new, definition: deploymentDefinition, manager: "someone",
                                    apiVersion: "apps/v1", time: testTime(60), ignoring: status)
        #expect(entries(result).count == 1)
        #expect(try fields(of: "kubectl-create", "Update", in: result)?.contains(path("spec", "progressDeadlineSeconds")) == false)
        // kubectl-create's entry changed, but only the writer's time moves; the writer gained nothing.
        #expect(entries(result)[0]["time"]?.stringValue == "2024-05-01T10:00:00Z")
    }

    @Test func statusIsIgnoredOnTheMainResourceAndTrackedOnItsSubresource() throws {
        let live = try created()
        var new = try set(live, ["status", "replicas"], .int(1))
        new = try set(new, ["spec", "paused"], .bool(true))
        let main = manager.update(live: live, new: new, definition: deploymentDefinition, manager: "m", apiVersion: "apps/v1",
                                  time: testTime(60), ignoring: status)
        #expect(try fields(of: "m", "Update", in: main) == FieldSet([path("spec", "paused")]))

        let viaStatus = manager.update(live: live, new: new, definition: deploymentDefinition, manager: "kube-controller-manager",
                                       apiVersion: "apps/v1", subresource: "status", time: testTime(60),
                                       ignoring: .allFields(except: ["status"]))
        let entry = try #require(entries(viaStatus).first { $0["manager"]?.stringValue == "kube-controller-manager" })
        #expect(entry["subresource"]?.stringValue == "status")
        #expect(try FieldSet(fieldsV1: try #require(entry["fieldsV1"])) == FieldSet([path("status", "replicas")]))
    }

    @Test func requestManagedFieldsReplaceResetOrFallBack() throws {
        let live = try created()
        let changed = try set(live, ["spec", "paused"], .bool(true))

        // A client that sends no managedFields keeps the live ones.
        let absent = try set(changed, ["metadata", "managedFields"], nil)
        let kept = manager.update(live: live, new: absent, definition: deploymentDefinition, manager: "m", apiVersion: "apps/v1",
                                  time: testTime(60), ignoring: status)
        #expect(Set(entries(kept).compactMap { $0["manager"]?.stringValue }) == ["kubectl-create", "m"])

        // An empty list resets them: only the writer's entry remains.
        let reset = try set(changed, ["metadata", "managedFields"], .array([]))
        let afterReset = manager.update(live: live, new: reset, definition: deploymentDefinition, manager: "m", apiVersion: "apps/v1",
                                        time: testTime(60), ignoring: status)
        #expect(entries(afterReset).compactMap { $0["manager"]?.stringValue } == ["m"])

        // Valid entries of the request replace the live ones.
        let own = try json(#"[{"manager":"custom","operation":"Update","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]"#)
        let replaced = manager.update(live: live, new: try set(changed, ["metadata", "managedFields"], own), definition: deploymentDefinition,
                                      manager: "m", apiVersion: "apps/v1", time: testTime(60), ignoring: status)
        #expect(entries(replaced).compactMap { $0["manager"]?.stringValue } == ["custom", "m"])

        // Invalid ones fall back to the live entries.
        let invalid = try json(#"[{"manager":"custom","operation":"Sideways","apiVersion":"apps/v1","fieldsType":"FieldsV1"}]"#)
        let fellBack = manager.update(live: live, new: try set(changed, ["metadata", "managedFields"], invalid), definition: deploymentDefinition,
                                      manager: "m", apiVersion: "apps/v1", time: testTime(60), ignoring: status)
        #expect(Set(entries(fellBack).compactMap { $0["manager"]?.stringValue }) == ["kubectl-create", "m"])
    }

    @Test func malformedLiveManagedFieldsAreReset() throws {
        for malformed in [#""nope""#, #"[{"manager":"x"}]"#, #"[{"manager":"x","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"x:y":{}}}]"#,
                          #"[{"manager":"x","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","time":"yesterday"}]"#] {
            let live = try set(try json(createdDeploymentJSON), ["metadata", "managedFields"], try json(malformed))
            let new = try set(try set(live, ["metadata", "managedFields"], nil), ["spec", "paused"], .bool(true))
            let result = manager.update(live: live, new: new, definition: deploymentDefinition, manager: "m", apiVersion: "apps/v1",
                                        time: testTime(), ignoring: status)
            #expect(entries(result).compactMap { $0["manager"]?.stringValue } == ["m"])
        }
    }

    @Test func updateEntriesAreKeyedByVersionAndSubresource() throws {
        let live = try created()
        let v1 = manager.update(live: live, new: try set(live, ["spec", "paused"], .bool(true)), definition: deploymentDefinition,
                                manager: "kubectl-create", apiVersion: "apps/v1beta2", time: testTime(60), ignoring: status)
        #expect(entries(v1).map { $0["apiVersion"]?.stringValue } == ["apps/v1", "apps/v1beta2"])
    }

    @Test func moreThanTenUpdatersAreMergedIntoAncientChanges() throws {
        var object = try created()
        for index in 0..<11 {
            let new = try set(object, ["metadata", "annotations"], .object(
                (object["metadata"]?["annotations"]?.objectValue ?? [:]).merging(["a\(index)": .string("x")]) { $1 }))
            object = manager.update(live: object, new: new, definition: deploymentDefinition, manager: "writer-\(index)",
                                    apiVersion: "apps/v1", time: testTime(Int64(index + 1) * 60), ignoring: status)
        }
        let managers = entries(object).compactMap { $0["manager"]?.stringValue }
        #expect(managers.count == 10)
        #expect(managers.contains("ancient-changes"))
        #expect(!managers.contains("kubectl-create") && !managers.contains("writer-0"))
        let ancient = try #require(try fields(of: "ancient-changes", "Update", in: object))
        #expect(ancient.contains(path("spec", "replicas")) && ancient.contains(path("metadata", "annotations", "a0")))
    }
}

/// `object` with the value at `path` (a list of member names) replaced, or removed when `value` is nil.
func set(_ object: JSONValue, _ path: [String], _ value: JSONValue?) throws -> JSONValue {
    guard let first = path.first else { return value ?? .null }
    guard case .object(var members) = object else { throw SetError.notAnObject }
    if path.count == 1 {
        members[first] = value
    } else {
        members[first] = try set(members[first] ?? .object([:]), Array(path.dropFirst()), value)
    }
    return .object(members)
}

enum SetError: Error { case notAnObject }
