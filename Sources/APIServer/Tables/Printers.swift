import APIModel

/// The table printers of the served kinds, one per kind, with the columns real Kubernetes (1.32) prints.
///
/// The server always renders the wide form, as Kubernetes does: every row has a cell for every column, and
/// `kubectl` hides the priority-1 columns unless asked for `-o wide`. The printers themselves live in the
/// `Printers+<group>.swift` files.
public enum Printers {
    public static var namespace: TablePrinter<Namespace> { .namespaces }
    public static var pod: TablePrinter<Pod> { .pods }
    public static var node: TablePrinter<Node> { .nodes }
    public static var service: TablePrinter<Service> { .services }
    public static var endpoints: TablePrinter<Endpoints> { .endpoints }
    public static var event: TablePrinter<Event> { .events }
    public static var configMap: TablePrinter<ConfigMap> { .configMaps }
    public static var secret: TablePrinter<Secret> { .secrets }
    public static var serviceAccount: TablePrinter<ServiceAccount> { .serviceAccounts }
    public static var replicationController: TablePrinter<ReplicationController> { .replicationControllers }
    public static var deployment: TablePrinter<Deployment> { .deployments }
    public static var replicaSet: TablePrinter<ReplicaSet> { .replicaSets }
    public static var daemonSet: TablePrinter<DaemonSet> { .daemonSets }
    public static var statefulSet: TablePrinter<StatefulSet> { .statefulSets }
    public static var controllerRevision: TablePrinter<ControllerRevision> { .controllerRevisions }
    public static var lease: TablePrinter<Lease> { .leases }
    public static var endpointSlice: TablePrinter<EndpointSlice> { .endpointSlices }
}
