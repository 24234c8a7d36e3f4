import Testing
import APIModel
import FieldManagement

/// The upgrade from `kubectl apply` (client-side, annotation-based) to `kubectl apply --server-side`.
@Suite struct FieldManagerClientSideApplyTests {
    let manager = FieldManager()
    let status = IgnoredFields(fields: "status")
    let annotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// The configuration of a Deployment applied client-side.
    func configuration(replicas: Int64) -> JSONValue {
        .object([
            "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
            "metadata": .object(["name": .string("nginx"), "annotations": .object([:])]),
            "spec": .object([
                "replicas": .int(replicas),
                "selector": .object(["matchLabels": .object(["app": .string("nginx")])]),
                "template": .object([
                    "metadata": .object(["labels": .object(["app": .string("nginx")])]),
                    "spec": .object(["containers": .array([.object(["name": .string("nginx"), "image": .string("nginx")])])]),
                ]),
            ]),
        ])
    }

    /// The object `kubectl apply` (client-side) creates: the configuration plus its annotation, written
    /// by the Update manager `kubectl-client-side-apply`.
    func clientSideApplied() throws -> JSONValue {
        let applied = configuration(replicas: 1)
        let new = try set(applied, ["metadata", "annotations", annotation], .string(applied.serializedString() + "\n"))
        return manager.update(live: nil, new: new, definition: deploymentDefinition, manager: "kubectl-client-side-apply",
                              apiVersion: "apps/v1", time: testTime(), ignoring: status)
    }

    @Test func anotherApplierConflictsWithTheClientSideApplier() throws {
        let live = try clientSideApplied()
        let error = #expect(throws: ApplyConflicts.self) {
            try manager.apply(live: live, config: configuration(replicas: 3), definition: deploymentDefinition, manager: "other",
                              apiVersion: "apps/v1", force: false, time: testTime(60), ignoring: status)
        }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#)
    }

    @Test func kubectlTakesOverWhatItAppliedClientSide() throws {
        let live = try clientSideApplied()
        let object = try manager.apply(live: live, config: configuration(replicas: 3), definition: deploymentDefinition,
                                       manager: "kubectl", apiVersion: "apps/v1", force: false, time: testTime(60), ignoring: status)
        #expect(object["spec"]?["replicas"] == .int(3))
        #expect(try fields(of: "kubectl", "Apply", in: object)?.contains(path("spec", "replicas")) == true)
        #expect(try fields(of: "kubectl-client-side-apply", "Update", in: object)?.contains(path("spec", "replicas")) == false)
        // The annotation follows the applied configuration.
        let text = try #require(object["metadata"]?["annotations"]?[annotation]?.stringValue)
        #expect(text.hasSuffix("\n"))
        #expect(try json(text) == configuration(replicas: 3))
    }

    @Test func fieldsChangedSinceTheClientSideApplyStillConflict() throws {
        let live = try clientSideApplied()
        let scaled = manager.update(live: live, new: try set(live, ["spec", "replicas"], .int(5)), definition: deploymentDefinition,
                                    manager: "hpa", apiVersion: "apps/v1", time: testTime(30), ignoring: status)
        let error = #expect(throws: ApplyConflicts.self) {
            try manager.apply(live: scaled, config: configuration(replicas: 3), definition: deploymentDefinition, manager: "kubectl",
                              apiVersion: "apps/v1", force: false, time: testTime(60), ignoring: status)
        }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas"#)
    }

    @Test func goEncoderEscapesLikeGo() throws {
        let live = try clientSideApplied()
        var config = configuration(replicas: 1)
        config = try set(config, ["metadata", "annotations", "note"], .string("a<b>&c"))
        let object = try manager.apply(live: live, config: config, definition: deploymentDefinition, manager: "kubectl",
                                       apiVersion: "apps/v1", force: false, time: testTime(60), ignoring: status)
        let text = try #require(object["metadata"]?["annotations"]?[annotation]?.stringValue)
        #expect(text.contains(#""note":"a\u003cb\u003e\u0026c""#))
        #expect(!text.contains(annotation))
    }
}
