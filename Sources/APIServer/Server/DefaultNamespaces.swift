import APIModel
import Foundation
import Storage

/// The namespaces every cluster has from the start.
enum DefaultNamespaces {
    static let names = ["default", "kube-system", "kube-public", "kube-node-lease"]

    /// Creates the missing ones. Safe to run at every start and from several servers at once.
    static func ensure(in store: any KeyValueStore, registry: ResourceRegistry) async throws {
        guard let namespaces = registry.resource(group: "", version: "v1", plural: "namespaces") else { return }
        for name in names where try await store.get(NamespaceKeys.key(name)) == nil {
            let body = Data(#"{"metadata":{"name":"\#(name)"}}"#.utf8)
            let prepared = try namespaces.prepareCreate(body, context: WriteContext(namespace: nil, name: nil, fieldValidation: .strict))
            do {
                try await store.create(NamespaceKeys.key(name), value: prepared.data)
            } catch StoreError.alreadyExists {
                continue
            }
        }
    }
}
