import APIModel

extension TablePrinter where T == Pod {
    /// `NAME READY STATUS RESTARTS AGE`, and with `-o wide` `IP NODE NOMINATED NODE READINESS GATES`; see
    /// ``PodStatusSummary`` for how ready, status and restarts are worked out.
    static var pods: TablePrinter<Pod> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn("Status", description: "The aggregate status of the containers in this pod."),
            TableColumn("Restarts", description: """
                The number of times the containers in this pod have been restarted and when the last container \
                in this pod has restarted.
                """),
            .objectAge,
            TableColumn("IP", description: FieldDocs.podStatusPodIP, priority: 1),
            TableColumn("Node", description: FieldDocs.podSpecNodeName, priority: 1),
            TableColumn("Nominated Node", description: FieldDocs.podStatusNominatedNodeName, priority: 1),
            TableColumn("Readiness Gates", description: FieldDocs.podSpecReadinessGates, priority: 1),
        ]) { pod, now in
            let summary = PodStatusSummary(pod)
            return [
                CommonCells.name(pod),
                .string(summary.readyText),
                .string(summary.reason),
                .string(summary.restartsText(now: now)),
                CommonCells.age(pod, now: now),
                CommonCells.text(pod.status?.podIPs?.first?.ip, orIfEmpty: "<none>"),
                CommonCells.text(pod.spec?.nodeName, orIfEmpty: "<none>"),
                CommonCells.text(pod.status?.nominatedNodeName, orIfEmpty: "<none>"),
                .string(readinessGates(of: pod)),
            ]
        }
    }

    /// `true/total` of the pod's readiness gates, judged by the first condition of each gate's type;
    /// `<none>` without gates.
    private static func readinessGates(of pod: Pod) -> String {
        let gates = pod.spec?.readinessGates ?? []
        guard !gates.isEmpty else { return "<none>" }
        let conditions = pod.status?.conditions ?? []
        let satisfied = gates.filter { gate in
            conditions.first { ($0.type ?? "") == (gate.conditionType ?? "") }?.status == "True"
        }
        return "\(satisfied.count)/\(gates.count)"
    }
}
