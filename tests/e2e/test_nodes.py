"""Nodes with real kubectl on simulated nodes: registration and heartbeats, pods run and deleted gracefully,
restart policies, cordon / uncordon / drain (the eviction subresource), and a node whose heartbeat stops
(a `skiff sim` process killed) going NotReady with its pods evicted.

One server per module, with three simulated nodes inside it and a short node-monitor grace period."""

import json
import os
import signal
import subprocess
import time

import pytest

from conftest import SKIFF_BIN, SkiffServer, pod_json, ready_replicas, running_pods, unique, wait_for

from conftest import SIM_GRACE as GRACE


def node_status(kc, name):
    """The STATUS column of `kubectl get node`."""
    r = kc("get", "node", name, "--no-headers", check=False)
    return r.stdout.split()[1] if r.returncode == 0 and r.stdout.split() else None


def run_pod(kc, ns, name, node, extra=None, annotations=None):
    spec = {"nodeName": node, **(extra or {})}
    overrides = {"spec": spec}
    if annotations:
        overrides["metadata"] = {"annotations": annotations}
    kc("run", name, "-n", ns, "--image=busybox:1.36", "--restart=" + spec.pop("restart", "Always"),
       f"--overrides={json.dumps(overrides)}")


def test_simulated_nodes_register_and_heartbeat(kc):
    nodes = json.loads(kc("get", "nodes", "-l", "node.skiff.dev/simulated", "-o", "json").stdout)["items"]
    assert sorted(n["metadata"]["name"] for n in nodes) == ["sim-node-0", "sim-node-1", "sim-node-2"]
    for node in nodes:
        ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
        assert ready["status"] == "True"
        assert node["status"]["allocatable"]["pods"] == "110"
    assert node_status(kc, "sim-node-0") == "Ready"
    leases = json.loads(kc("get", "leases", "-n", "kube-node-lease", "-o", "json").stdout)["items"]
    first = {l["metadata"]["name"]: l["spec"]["renewTime"] for l in leases}
    assert set(first) >= {"sim-node-0", "sim-node-1", "sim-node-2"}
    wait_for(lambda: json.loads(kc("get", "lease", "sim-node-0", "-n", "kube-node-lease", "-o", "json").stdout)
             ["spec"]["renewTime"] != first["sim-node-0"], timeout=10, what="a lease renewal")
    assert "RenewTime" in kc("describe", "node", "sim-node-1").stdout


def test_pod_runs_and_is_deleted_gracefully(kc, space):
    run_pod(kc, space, "web", "sim-node-1")
    wait_for(lambda: pod_json(kc, "web", space)["status"].get("phase") == "Running", what="pod Running")
    pod = pod_json(kc, "web", space)
    assert pod["status"]["podIP"].startswith("10.128.1.")
    status = pod["status"]["containerStatuses"][0]
    assert status["ready"] and "startedAt" in status["state"]["running"]
    cols = kc("get", "pod", "web", "-n", space, "-o", "wide").stdout
    assert "Running" in cols and "sim-node-1" in cols
    # kubectl delete waits for the node to finish the graceful deletion.
    started = time.monotonic()
    assert kc("delete", "pod", "web", "-n", space).stdout.strip() == 'pod "web" deleted'
    assert time.monotonic() - started < 10
    assert kc("get", "pod", "web", "-n", space, check=False).returncode != 0


def test_failing_containers_follow_restart_policy(kc, space):
    run_pod(kc, space, "once", "sim-node-0", {"restart": "Never"},
            annotations={"sim.skiff.dev/exit-code": "2", "sim.skiff.dev/run-seconds": "0"})
    run_pod(kc, space, "loop", "sim-node-0", annotations={"sim.skiff.dev/exit-code": "1", "sim.skiff.dev/run-seconds": "0"})
    wait_for(lambda: pod_json(kc, "once", space)["status"].get("phase") == "Failed", what="pod Failed")
    terminated = pod_json(kc, "once", space)["status"]["containerStatuses"][0]["state"]["terminated"]
    assert terminated["exitCode"] == 2 and terminated["reason"] == "Error"
    wait_for(lambda: "CrashLoopBackOff" in kc("get", "pod", "loop", "-n", space).stdout, what="CrashLoopBackOff")
    status = pod_json(kc, "loop", space)["status"]["containerStatuses"][0]
    assert status["restartCount"] == 1 and status["lastState"]["terminated"]["exitCode"] == 1


@pytest.mark.parametrize("version", [None, "1.32", "1.33"])
def test_cordon_uncordon_drain(kc, space, version):
    node = "sim-node-2"
    assert kc("cordon", node, version=version).stdout.strip() == f"node/{node} cordoned"
    assert "SchedulingDisabled" in kc("get", "node", node).stdout
    wait_for(lambda: any(t["key"] == "node.kubernetes.io/unschedulable" for t in
                         json.loads(kc("get", "node", node, "-o", "json").stdout)["spec"].get("taints", [])),
             what="the unschedulable taint")
    assert kc("uncordon", node, version=version).stdout.strip() == f"node/{node} uncordoned"
    run_pod(kc, space, "victim", node)
    wait_for(lambda: pod_json(kc, "victim", space)["status"].get("phase") == "Running", what="pod Running")
    r = kc("drain", node, "--force", "--timeout=30s", version=version)
    assert "pod/victim evicted" in r.stdout and f"node/{node} drained" in r.stdout, r
    assert kc("get", "pod", "victim", "-n", space, check=False).returncode != 0
    assert "SchedulingDisabled" in kc("get", "node", node).stdout
    kc("uncordon", node)


def test_node_whose_heartbeat_stops_goes_not_ready_and_is_drained(cluster, kc, space):
    sim = subprocess.Popen([str(SKIFF_BIN), "sim", "--kubeconfig", str(cluster.kubeconfig), "--nodes", "1",
                            "--name-prefix", "lost-", "--lease-interval", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: node_status(kc, "lost-0") == "Ready", what="the external node Ready")
        toleration = [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                       "tolerationSeconds": 1}]
        run_pod(kc, space, "short", "lost-0", {"tolerations": toleration})
        run_pod(kc, space, "forever", "lost-0", {"tolerations": [{"operator": "Exists"}]})
        wait_for(lambda: pod_json(kc, "short", space)["status"].get("phase") == "Running", what="pod Running")
    finally:
        sim.send_signal(signal.SIGKILL)
        sim.wait(timeout=10)
    wait_for(lambda: node_status(kc, "lost-0") == "NotReady", timeout=GRACE + 15, what="the node NotReady")
    node = json.loads(kc("get", "node", "lost-0", "-o", "json").stdout)
    assert {(t["key"], t["effect"]) for t in node["spec"]["taints"]} >= {
        ("node.kubernetes.io/unreachable", "NoExecute"), ("node.kubernetes.io/unreachable", "NoSchedule")}
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "Unknown" and ready["reason"] == "NodeStatusUnknown"
    # The pod tolerating the taint for 1 s is marked for deletion (it stays Terminating: its node is gone).
    wait_for(lambda: pod_json(kc, "short", space)["metadata"].get("deletionTimestamp"), timeout=15, what="eviction")
    assert "Terminating" in kc("get", "pod", "short", "-n", space).stdout
    assert "deletionTimestamp" not in pod_json(kc, "forever", space)["metadata"]
    events = kc("get", "events", "-A", "--field-selector", "reason=NodeNotReady,involvedObject.name=lost-0").stdout
    assert "Node lost-0 status is now: NodeNotReady" in events
    assert "TaintManagerEviction" in kc("get", "events", "-n", space).stdout
    # Deleting the node takes its pods with it.
    kc("delete", "node", "lost-0")
    wait_for(lambda: kc("get", "pods", "-n", space, "-o", "name").stdout.strip() == "", timeout=15,
             what="the lost node's pods gone")


# -- the scheduler ------------------------------------------------------------------------------------


def make_pod(kc, ns, name, cpu="100m", node_selector=None, tolerations=None, affinity=None):
    spec = {"containers": [{"name": "app", "image": "busybox:1.36", "resources": {"requests": {"cpu": cpu}}}]}
    if node_selector:
        spec["nodeSelector"] = node_selector
    if tolerations:
        spec["tolerations"] = tolerations
    if affinity:
        spec["affinity"] = affinity
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}, "spec": spec}
    kc("create", "-f", "-", input=json.dumps(body))


def node_of(kc, ns, name):
    return pod_json(kc, name, ns)["spec"].get("nodeName")


def test_pods_are_scheduled_and_run(kc, space):
    for i in range(6):
        make_pod(kc, space, f"s{i}", cpu="1")
    wait_for(lambda: all(pod_json(kc, f"s{i}", space)["status"].get("phase") == "Running" for i in range(6)),
             timeout=20, what="six pods Running")
    placed = {node_of(kc, space, f"s{i}") for i in range(6)}
    assert len(placed) >= 2, placed
    describe = kc("describe", "pod", "s0", "-n", space).stdout
    assert "Scheduled" in describe and f"Successfully assigned {space}/s0 to" in describe, describe


def test_unschedulable_pod_waits_for_a_fitting_node(cluster, kc, space):
    make_pod(kc, space, "huge", cpu="48")
    wait_for(lambda: any(c.get("reason") == "Unschedulable" for c in
                         pod_json(kc, "huge", space)["status"].get("conditions", [])), timeout=15, what="Unschedulable")
    condition = next(c for c in pod_json(kc, "huge", space)["status"]["conditions"] if c["type"] == "PodScheduled")
    assert condition["status"] == "False"
    assert "nodes are available:" in condition["message"] and "Insufficient cpu." in condition["message"], condition
    assert "Pending" in kc("get", "pod", "huge", "-n", space).stdout
    wait_for(lambda: "FailedScheduling" in kc("describe", "pod", "huge", "-n", space).stdout, what="the event in describe")
    sim = subprocess.Popen([str(SKIFF_BIN), "sim", "--kubeconfig", str(cluster.kubeconfig), "--nodes", "1",
                            "--name-prefix", "big-", "--cpu", "64", "--lease-interval", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: node_of(kc, space, "huge") == "big-0", timeout=30, what="the pod on the big node")
        wait_for(lambda: pod_json(kc, "huge", space)["status"].get("phase") == "Running", what="the pod Running")
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait(timeout=15)
        kc("delete", "node", "big-0", check=False)


def test_selectors_affinity_taints_and_tolerations(kc, space):
    kc("label", "node", "sim-node-1", "disk=ssd", "--overwrite")
    kc("taint", "node", "sim-node-0", "dedicated=team-a:NoSchedule", "--overwrite")
    try:
        make_pod(kc, space, "ssd", node_selector={"disk": "ssd"})
        make_pod(kc, space, "not-ssd", affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "DoesNotExist"}]}]}}})
        make_pod(kc, space, "team-a", node_selector={"kubernetes.io/hostname": "sim-node-0"},
                 tolerations=[{"key": "dedicated", "operator": "Equal", "value": "team-a", "effect": "NoSchedule"}])
        make_pod(kc, space, "intruder", node_selector={"kubernetes.io/hostname": "sim-node-0"})
        wait_for(lambda: node_of(kc, space, "ssd") == "sim-node-1", what="the ssd pod on sim-node-1")
        wait_for(lambda: node_of(kc, space, "team-a") == "sim-node-0", what="the tolerating pod on sim-node-0")
        wait_for(lambda: node_of(kc, space, "not-ssd") is not None, what="the not-ssd pod bound")
        # Neither sim-node-1 (ssd) nor the tainted sim-node-0 is a place for it.
        assert node_of(kc, space, "not-ssd") not in ("sim-node-1", "sim-node-0")
        wait_for(lambda: "untolerated taint {dedicated: team-a}" in
                 next((c.get("message", "") for c in pod_json(kc, "intruder", space)["status"].get("conditions", [])
                       if c["type"] == "PodScheduled"), ""), what="the intruder refused")
        assert node_of(kc, space, "intruder") is None
    finally:
        kc("label", "node", "sim-node-1", "disk-", check=False)
        kc("taint", "node", "sim-node-0", "dedicated-", check=False)


def test_cordoned_node_gets_no_new_pods(kc, space):
    kc("cordon", "sim-node-2")
    try:
        for i in range(4):
            make_pod(kc, space, f"c{i}")
        wait_for(lambda: all(node_of(kc, space, f"c{i}") for i in range(4)), what="pods bound")
        assert all(node_of(kc, space, f"c{i}") != "sim-node-2" for i in range(4))
    finally:
        kc("uncordon", "sim-node-2")


# -- ReplicaSets and ReplicationControllers on simulated nodes ---------------------------------------


RS = """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: busybox:1.36}]
"""

RC = """
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 2
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: app, image: busybox:1.36}]
"""


def test_replicaset_keeps_its_pods(kc, space):
    kc("apply", "-n", space, "-f", "-", input=RS)
    wait_for(lambda: ready_replicas(kc, "rs", "web", space) == 3, timeout=20, what="3 ready replicas")
    pods = running_pods(kc, space, "app=web")
    assert len(pods) == 3 and all(p.startswith("web-") for p in pods), pods
    owner = pod_json(kc, pods[0], space)["metadata"]["ownerReferences"][0]
    assert owner["kind"] == "ReplicaSet" and owner["name"] == "web" and owner["controller"] is True
    assert "SuccessfulCreate" in kc("describe", "rs", "web", "-n", space).stdout

    assert kc("scale", "rs", "web", "--replicas=5", "-n", space).stdout.strip() == "replicaset.apps/web scaled"
    wait_for(lambda: ready_replicas(kc, "rs", "web", space) == 5, timeout=20, what="5 ready replicas")
    cols = kc("get", "rs", "web", "-n", space).stdout.split("\n")[1].split()
    assert cols[1:4] == ["5", "5", "5"], cols

    kc("delete", "pod", pods[0], "-n", space)
    wait_for(lambda: len(running_pods(kc, space, "app=web")) == 5 and pods[0] not in running_pods(kc, space, "app=web"),
             timeout=20, what="the deleted pod replaced")

    kc("scale", "rs", "web", "--replicas=1", "-n", space)
    wait_for(lambda: len(running_pods(kc, space, "app=web")) == 1, timeout=20, what="scaled down to 1")
    kc("delete", "rs", "web", "-n", space)
    wait_for(lambda: kc("get", "pods", "-n", space, "-l", "app=web", "-o", "name").stdout.strip() == "", timeout=20,
             what="the ReplicaSet's pods gone")


def test_replication_controller(kc, space):
    kc("apply", "-n", space, "-f", "-", input=RC)
    wait_for(lambda: ready_replicas(kc, "rc", "legacy", space) == 2, timeout=20, what="2 ready replicas")
    kc("scale", "rc", "legacy", "--replicas=3", "-n", space)
    wait_for(lambda: ready_replicas(kc, "rc", "legacy", space) == 3, timeout=20, what="3 ready replicas")
    kc("delete", "rc", "legacy", "-n", space)
    wait_for(lambda: kc("get", "pods", "-n", space, "-l", "app=legacy", "-o", "name").stdout.strip() == "", timeout=20,
             what="the controller's pods gone")


# -- Deployments --------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [None, "1.33"])
def test_deployment_rolls_out_and_back(kc, space, version):
    kc("create", "deployment", "web", "--image=busybox:1.36", "--replicas=3", "-n", space, version=version)
    r = kc("rollout", "status", "deployment/web", "-n", space, "--timeout=60s", version=version)
    assert 'deployment "web" successfully rolled out' in r.stdout, r
    cols = kc("get", "deploy", "web", "-n", space).stdout.split("\n")[1].split()
    assert cols[1:4] == ["3/3", "3", "3"], cols
    first = json.loads(kc("get", "rs", "-n", space, "-l", "app=web", "-o", "json").stdout)["items"]
    assert len(first) == 1 and first[0]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"

    kc("set", "image", "deployment/web", "busybox=busybox:1.37", "-n", space, version=version)
    r = kc("rollout", "status", "deployment/web", "-n", space, "--timeout=60s", version=version)
    assert "successfully rolled out" in r.stdout, r
    sets = json.loads(kc("get", "rs", "-n", space, "-l", "app=web", "-o", "json").stdout)["items"]
    by_revision = {s["metadata"]["annotations"]["deployment.kubernetes.io/revision"]: s for s in sets}
    assert by_revision["2"]["spec"]["replicas"] == 3 and by_revision["1"]["spec"]["replicas"] == 0
    images = {c["image"] for p in json.loads(kc("get", "pods", "-n", space, "-l", "app=web", "-o", "json").stdout)["items"]
              if "deletionTimestamp" not in p["metadata"] for c in p["spec"]["containers"]}
    assert images == {"busybox:1.37"}, images
    history = kc("rollout", "history", "deployment/web", "-n", space, version=version).stdout
    assert "1 " in history and "2 " in history, history

    kc("rollout", "undo", "deployment/web", "-n", space, version=version)
    kc("rollout", "status", "deployment/web", "-n", space, "--timeout=60s", version=version)
    dep = json.loads(kc("get", "deploy", "web", "-n", space, "-o", "json").stdout)
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == "busybox:1.36"
    assert dep["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    available = next(c for c in dep["status"]["conditions"] if c["type"] == "Available")
    assert available["status"] == "True"

    kc("scale", "deployment", "web", "--replicas=1", "-n", space)
    wait_for(lambda: len(running_pods(kc, space, "app=web")) == 1, timeout=20, what="scaled down to 1")
    kc("delete", "deployment", "web", "-n", space)
    wait_for(lambda: kc("get", "rs,pods", "-n", space, "-l", "app=web", "-o", "name").stdout.strip() == "", timeout=20,
             what="the deployment's ReplicaSets and pods gone")


# -- DaemonSets ---------------------------------------------------------------------------------------


DS = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox:1.36}]
"""


def test_daemonset_runs_one_pod_per_node(kc, space):
    kc("apply", "-n", space, "-f", "-", input=DS)
    nodes = sorted(n.split("/")[1] for n in kc("get", "nodes", "-o", "name").stdout.split())

    def placed():
        items = json.loads(kc("get", "pods", "-n", space, "-l", "app=agent", "-o", "json").stdout)["items"]
        return sorted(p["spec"].get("nodeName") or "" for p in items
                      if p["status"].get("phase") == "Running" and "deletionTimestamp" not in p["metadata"])

    wait_for(lambda: placed() == nodes, timeout=30, what=f"one daemon pod on each of {nodes}")
    status = json.loads(kc("get", "ds", "agent", "-n", space, "-o", "json").stdout)["status"]
    assert status["desiredNumberScheduled"] == len(nodes) and status["numberReady"] == len(nodes), status
    cols = kc("get", "ds", "agent", "-n", space).stdout.split("\n")[1].split()
    assert cols[1:4] == [str(len(nodes))] * 3, cols
    kc("delete", "ds", "agent", "-n", space)
    wait_for(lambda: kc("get", "pods", "-n", space, "-l", "app=agent", "-o", "name").stdout.strip() == "", timeout=20,
             what="the daemon pods gone")


# -- StatefulSets -------------------------------------------------------------------------------------


STS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: busybox:1.36}]
"""


def test_statefulset_ordered_identity(kc, space):
    kc("apply", "-n", space, "-f", "-", input=STS)
    wait_for(lambda: sorted(running_pods(kc, space, "app=db")) == ["db-0", "db-1", "db-2"], timeout=30,
             what="db-0..2 Running")
    pods = {p["metadata"]["name"]: p for p in
            json.loads(kc("get", "pods", "-n", space, "-l", "app=db", "-o", "json").stdout)["items"]}
    created = sorted(pods, key=lambda n: (pods[n]["metadata"]["creationTimestamp"], n))
    assert created == ["db-0", "db-1", "db-2"], created
    assert pods["db-1"]["spec"]["hostname"] == "db-1" and pods["db-1"]["spec"]["subdomain"] == "db"
    uid = pods["db-1"]["metadata"]["uid"]
    # --wait=false: the simulated node finishes the deletion and the controller recreates db-1 within
    # milliseconds, faster than kubectl's wait can tell the old pod from the new one of the same name.
    kc("delete", "pod", "db-1", "-n", space, "--wait=false")
    wait_for(lambda: "db-1" in running_pods(kc, space, "app=db") and pod_json(kc, "db-1", space)["metadata"]["uid"] != uid,
             timeout=30, what="db-1 back under its name")
    kc("scale", "sts", "db", "--replicas=1", "-n", space)
    wait_for(lambda: running_pods(kc, space, "app=db") == ["db-0"], timeout=30, what="scaled down to db-0")
    status = json.loads(kc("get", "sts", "db", "-n", space, "-o", "json").stdout)["status"]
    assert status["currentRevision"].startswith("db-") and status["replicas"] == 1, status
