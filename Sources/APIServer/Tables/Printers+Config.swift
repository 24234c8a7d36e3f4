import APIModel

// Kubernetes declares the count columns below as strings but fills them with integers; so do we.

extension TablePrinter where T == ConfigMap {
    /// `NAME DATA AGE`, data counting the keys of `data` and `binaryData`.
    static var configMaps: TablePrinter<ConfigMap> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Data", description: FieldDocs.configMapData),
            .objectAge,
        ]) { configMap, now in
            [
                CommonCells.name(configMap),
                .int(Int64((configMap.data?.count ?? 0) + (configMap.binaryData?.count ?? 0))),
                CommonCells.age(configMap, now: now),
            ]
        }
    }
}

extension TablePrinter where T == Secret {
    /// `NAME TYPE DATA AGE`, data counting the keys of `data` and `stringData` together (Kubernetes merges
    /// `stringData` into `data` when it reads a secret, so keys of both count once).
    static var secrets: TablePrinter<Secret> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Type", description: FieldDocs.secretType),
            TableColumn("Data", description: FieldDocs.secretData),
            .objectAge,
        ]) { secret, now in
            [
                CommonCells.name(secret),
                .string(secret.type ?? ""),
                .int(Int64(Set((secret.data ?? [:]).keys).union((secret.stringData ?? [:]).keys).count)),
                CommonCells.age(secret, now: now),
            ]
        }
    }
}

extension TablePrinter where T == ServiceAccount {
    /// `NAME SECRETS AGE`, secrets counting the entries of `secrets`.
    static var serviceAccounts: TablePrinter<ServiceAccount> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Secrets", description: FieldDocs.serviceAccountSecrets),
            .objectAge,
        ]) { account, now in
            [
                CommonCells.name(account),
                .int(Int64(account.secrets?.count ?? 0)),
                CommonCells.age(account, now: now),
            ]
        }
    }
}
