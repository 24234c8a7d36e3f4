import Testing
import APIModel
import FieldManagement

@Suite struct FieldSetTests {
    let item = PathElement.key(["name": .string("nginx")])

    var sample: FieldSet {
        FieldSet([path("spec", "replicas"), path("spec", "paused"), path("metadata", "labels", "app"),
                  FieldPath([.field("spec"), .field("containers"), item]),
                  FieldPath([.field("spec"), .field("containers"), item, .field("image")])])
    }

    @Test func unionIntersectionDifference() {
        let other = FieldSet([path("spec", "replicas"), path("spec", "minReadySeconds"),
                              FieldPath([.field("spec"), .field("containers"), item, .field("image")])])
        let union = sample.union(other)
        #expect(union.count == 6)
        #expect(union.contains(path("spec", "minReadySeconds")))
        let common = sample.intersection(other)
        #expect(common == FieldSet([path("spec", "replicas"), FieldPath([.field("spec"), .field("containers"), item, .field("image")])]))
        let rest = sample.subtracting(other)
        #expect(rest == FieldSet([path("spec", "paused"), path("metadata", "labels", "app"),
                                  FieldPath([.field("spec"), .field("containers"), item])]))
        #expect(sample.subtracting(sample).isEmpty)
        #expect(sample.intersection(FieldSet()).isEmpty)
    }

    @Test func differenceKeepsPathsBelowAMember() {
        // Removing the item itself leaves its fields; removing recursively takes them too.
        let itemOnly = FieldSet([FieldPath([.field("spec"), .field("containers"), item])])
        #expect(sample.subtracting(itemOnly).contains(FieldPath([.field("spec"), .field("containers"), item, .field("image")])))
        let recursive = sample.subtractingRecursively(itemOnly)
        #expect(!recursive.contains(FieldPath([.field("spec"), .field("containers"), item, .field("image")])))
        #expect(recursive.count == 3)
        #expect(sample.subtractingRecursively(FieldSet([path("spec")])) == FieldSet([path("metadata", "labels", "app")]))
    }

    @Test func iteratesMembersBeforeChildrenInElementOrder() {
        #expect(sample.paths.map(\.description) == [
            ".metadata.labels.app",
            ".spec.paused",
            ".spec.replicas",
            #".spec.containers[name="nginx"]"#,
            #".spec.containers[name="nginx"].image"#,
        ])
    }

    @Test func ignoredFieldsRemoveSubtrees() {
        let set = FieldSet([path("spec", "replicas"), path("status", "replicas"), path("status", "conditions")])
        #expect(IgnoredFields(fields: "status").removing(from: set) == FieldSet([path("spec", "replicas")]))
        #expect(IgnoredFields.allFields(except: ["status"]).removing(from: set)
                == FieldSet([path("status", "replicas"), path("status", "conditions")]))
        #expect(IgnoredFields.none.removing(from: set) == set)
    }
}
