import APIModel

extension TablePrinter where T == Service {
    /// `NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE`, and with `-o wide` `SELECTOR`. The cluster IP is the
    /// first of `clusterIPs` (`None` for headless services), `<none>` without one; see ``ServiceCells``.
    static var services: TablePrinter<Service> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Type", description: FieldDocs.serviceSpecType),
            TableColumn("Cluster-IP", description: FieldDocs.serviceSpecClusterIP),
            TableColumn("External-IP", description: FieldDocs.serviceSpecExternalIPs),
            TableColumn("Port(s)", description: FieldDocs.serviceSpecPorts),
            .objectAge,
            TableColumn("Selector", description: FieldDocs.serviceSpecSelector, priority: 1),
        ]) { service, now in
            [
                CommonCells.name(service),
                .string(service.spec?.type ?? ""),
                .string(service.spec?.clusterIPs?.first ?? "<none>"),
                .string(ServiceCells.externalIP(of: service)),
                .string(ServiceCells.ports(of: service)),
                CommonCells.age(service, now: now),
                .string(SelectorText.labels(service.spec?.selector)),
            ]
        }
    }
}

extension TablePrinter where T == Endpoints {
    /// `NAME ENDPOINTS AGE`; see ``EndpointCells/endpoints(_:)``.
    static var endpoints: TablePrinter<Endpoints> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Endpoints", description: FieldDocs.endpointsSubsets),
            .objectAge,
        ]) { endpoints, now in
            [
                CommonCells.name(endpoints),
                .string(EndpointCells.endpoints(endpoints.subsets)),
                CommonCells.age(endpoints, now: now),
            ]
        }
    }
}

extension TablePrinter where T == EndpointSlice {
    /// `NAME ADDRESSTYPE PORTS ENDPOINTS AGE`; see ``EndpointCells``.
    static var endpointSlices: TablePrinter<EndpointSlice> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("AddressType", description: FieldDocs.endpointSliceAddressType),
            TableColumn("Ports", description: FieldDocs.endpointSlicePorts),
            TableColumn("Endpoints", description: FieldDocs.endpointSliceEndpoints),
            .objectAge,
        ]) { slice, now in
            [
                CommonCells.name(slice),
                .string(slice.addressType ?? ""),
                .string(EndpointCells.slicePorts(slice.ports)),
                .string(EndpointCells.sliceEndpoints(slice.endpoints)),
                CommonCells.age(slice, now: now),
            ]
        }
    }
}
