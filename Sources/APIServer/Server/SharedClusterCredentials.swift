import Foundation
import PKI
import Storage

/// The cluster credentials (`ClusterSecrets`) kept in a datastore that several servers share, sealed with the
/// cluster token, under one store key no API resource reaches.
///
/// Contract of `load`: the first server on a datastore loads (or creates) its PKI and publishes its shared
/// files; every later server — and a server that lost the race to publish — opens the published files with
/// its token and writes them into its PKI directory before loading it, so every server has the same CA and
/// admin credentials. A wrong token fails with `ClusterSecretsError.wrongToken` and changes no file.
public enum SharedClusterCredentials {
    public static let storeKey = "/registry/skiff/bootstrap/cluster-secrets"

    /// The PKI of this server, made to share the datastore's cluster credentials (see the type's contract).
    /// `loadPKI` loads the PKI from `layout`'s directory, creating what is missing (`ClusterPKI.loadOrCreate`).
    public static func load(store: any KeyValueStore, token: String, layout: PKIFileLayout,
                            loadPKI: () throws -> ClusterPKI) async throws -> ClusterPKI {
        if let published = try await store.get(storeKey) {
            try ClusterSecrets.open(published.value, token: token).write(to: layout)
            return try loadPKI()
        }
        let pki = try loadPKI()
        let sealed = try ClusterSecrets.read(from: layout).sealed(token: token)
        do {
            try await store.create(storeKey, value: sealed)
            return pki
        } catch StoreError.alreadyExists {
            // Another server published first: take its credentials instead of ours.
            guard let published = try await store.get(storeKey) else { throw StoreError.notFound(key: storeKey) }
            try ClusterSecrets.open(published.value, token: token).write(to: layout)
            return try loadPKI()
        }
    }
}
