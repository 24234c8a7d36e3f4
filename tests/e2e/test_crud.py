"""CRUD through kubectl: create -f, get (table, wide, yaml, json, -A, -l, --show-labels), label,
describe, delete, apply, scale — for namespaces, pods, services, configmaps, secrets and deployments."""

import base64
import json
import re
import textwrap

import pytest
import yaml

from conftest import columns, unique, wait_for


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def table(result):
    """Parse kubectl's table output into (header columns, rows as lists of cells)."""
    lines = result.lines()
    assert lines, result
    header = lines[0]
    cols = columns(header)
    starts = []
    pos = 0
    for c in cols:
        pos = header.index(c, pos)
        starts.append(pos)
        pos += len(c)
    rows = []
    for line in lines[1:]:
        cells = []
        for i, s in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else None
            cells.append(line[s:end].strip())
        rows.append(cells)
    return cols, rows


def row_for(rows, cols, name, name_col="NAME"):
    idx = cols.index(name_col)
    for r in rows:
        if r[idx] == name:
            return dict(zip(cols, r))
    raise AssertionError(f"no row named {name} in {rows}")


AGE = re.compile(r"^(\d+s|\d+m\d*s?|<unknown>)$")


POD = """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: {name}
      labels: {{app: {app}, tier: fe}}
    spec:
      containers:
      - name: main
        image: nginx:1.25
        ports: [{{containerPort: 80}}]
    """

DEPLOYMENT = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {name}
      labels: {{app: {name}}}
    spec:
      replicas: {replicas}
      selector:
        matchLabels: {{app: {name}}}
      template:
        metadata:
          labels: {{app: {name}}}
        spec:
          containers:
          - name: nginx
            image: {image}
            ports: [{{containerPort: 80}}]
    """


# --------------------------------------------------------------------------------------------
# Namespaces
# --------------------------------------------------------------------------------------------


def test_namespace_create_get_label_describe_delete(kubectl, tmp_path):
    name = unique("t-ns")
    f = write(tmp_path, "ns.yaml", f"""\
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {name}
          labels: {{team: blue}}
        """)
    assert kubectl("create", "-f", f).stdout.strip() == f"namespace/{name} created"

    cols, rows = table(kubectl("get", "ns"))
    assert cols == ["NAME", "STATUS", "AGE"]
    row = row_for(rows, cols, name)
    assert row["STATUS"] == "Active" and AGE.match(row["AGE"]), row
    for builtin in ("default", "kube-system", "kube-public", "kube-node-lease"):
        row_for(rows, cols, builtin)

    assert kubectl("label", "ns", name, "env=dev").stdout.strip() == f"namespace/{name} labeled"
    cols, rows = table(kubectl("get", "ns", name, "--show-labels"))
    labels = row_for(rows, cols, name)["LABELS"].split(",")
    assert {"team=blue", "env=dev", f"kubernetes.io/metadata.name={name}"} <= set(labels), labels

    cols, rows = table(kubectl("get", "ns", "-l", "team=blue"))
    assert [r[0] for r in rows] == [name]

    obj = yaml.safe_load(kubectl("get", "ns", name, "-o", "yaml").stdout)
    assert obj["kind"] == "Namespace" and obj["metadata"]["name"] == name
    assert obj["status"]["phase"] == "Active"
    assert "kubernetes" in obj["spec"]["finalizers"]

    d = kubectl("describe", "ns", name).stdout
    assert re.search(rf"^Name:\s+{name}$", d, re.M), d
    assert re.search(r"^Status:\s+Active$", d, re.M), d

    assert kubectl("delete", "ns", name).stdout.strip() == f'namespace "{name}" deleted'
    r = kubectl("get", "ns", name, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == f'Error from server (NotFound): namespaces "{name}" not found'


GENERATORS = {
    # kubectl create <generator> ... -> what it prints
    "namespace": (["namespace", "{name}"], "namespace/{name} created"),
    "configmap": (["configmap", "{name}", "--from-literal=k=v", "-n", "{ns}"], "configmap/{name} created"),
    "secret": (["secret", "generic", "{name}", "--from-literal=k=v", "-n", "{ns}"], "secret/{name} created"),
    "deployment": (["deployment", "{name}", "--image=nginx:1.25", "-n", "{ns}"], "deployment.apps/{name} created"),
    "service": (["service", "clusterip", "{name}", "--tcp=80:8080", "-n", "{ns}"], "service/{name} created"),
}


def check_generated(kubectl, generator, name, ns):
    """The object a generator created holds what the command line said (protobuf or JSON decoded right)."""
    if generator == "namespace":
        obj = json.loads(kubectl("get", "ns", name, "-o", "json").stdout)
        assert obj["status"]["phase"] == "Active"
        return
    kind = {"configmap": "cm", "secret": "secret", "deployment": "deploy", "service": "svc"}[generator]
    obj = json.loads(kubectl("get", kind, name, "-n", ns, "-o", "json").stdout)
    assert obj["metadata"]["name"] == name and obj["metadata"]["namespace"] == ns
    if generator == "configmap":
        assert obj["data"] == {"k": "v"}
    elif generator == "secret":
        assert obj["type"] == "Opaque" and base64.b64decode(obj["data"]["k"]) == b"v"
    elif generator == "deployment":
        assert obj["spec"]["replicas"] == 1
        assert obj["spec"]["selector"] == {"matchLabels": {"app": name}}
        c = obj["spec"]["template"]["spec"]["containers"]
        assert [(x["name"], x["image"]) for x in c] == [("nginx", "nginx:1.25")]
    elif generator == "service":
        assert obj["spec"]["type"] == "ClusterIP"
        assert obj["spec"]["selector"] == {"app": name}
        p = obj["spec"]["ports"][0]
        assert (p["port"], p["targetPort"], p["protocol"]) == (80, 8080, "TCP")


@pytest.mark.parametrize("version", ["1.31", None, "1.33"], ids=["1.31-json", "1.32-protobuf", "1.33-protobuf"])
@pytest.mark.parametrize("generator", list(GENERATORS))
def test_create_generators(kubectl, ns, generator, version):
    # kubectl <= 1.31 sends the typed-client bodies of `create <generator>` as JSON, 1.32+ as protobuf.
    args, expected = GENERATORS[generator]
    name = unique("gen")
    r = kubectl("create", *[a.format(name=name, ns=ns) for a in args], version=version, check=False)
    assert r.returncode == 0, r
    assert r.stdout.strip() == expected.format(name=name)
    check_generated(kubectl, generator, name, ns)
    if generator == "namespace":
        kubectl("delete", "ns", name, "--wait=false")


# --------------------------------------------------------------------------------------------
# Pods
# --------------------------------------------------------------------------------------------


def test_pod_create_and_get_table(kubectl, ns, tmp_path):
    f = write(tmp_path, "pod.yaml", POD.format(name="p1", app="web"))
    assert kubectl("create", "-f", f, "-n", ns).stdout.strip() == "pod/p1 created"

    cols, rows = table(kubectl("get", "pods", "-n", ns))
    assert cols == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    row = row_for(rows, cols, "p1")
    assert row["READY"] == "0/1"
    assert row["STATUS"] == "Pending"
    assert row["RESTARTS"] == "0"
    assert AGE.match(row["AGE"]), row

    cols, rows = table(kubectl("get", "pods", "-n", ns, "-o", "wide"))
    assert cols == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
    row = row_for(rows, cols, "p1")
    assert row["IP"] == "<none>" and row["NODE"] == "<none>", row

    # Singular name and short name resolve to the same thing.
    cols, rows = table(kubectl("get", "pod", "p1", "-n", ns))
    assert [r[0] for r in rows] == ["p1"]
    cols, rows = table(kubectl("get", "po", "-n", ns))
    assert [r[0] for r in rows] == ["p1"]


def test_pod_get_yaml_and_json(kubectl, ns, tmp_path):
    f = write(tmp_path, "pod.yaml", POD.format(name="p1", app="web"))
    kubectl("create", "-f", f, "-n", ns)

    obj = yaml.safe_load(kubectl("get", "pod", "p1", "-n", ns, "-o", "yaml").stdout)
    assert obj["apiVersion"] == "v1" and obj["kind"] == "Pod"
    meta = obj["metadata"]
    assert meta["name"] == "p1" and meta["namespace"] == ns
    assert meta["labels"] == {"app": "web", "tier": "fe"}
    assert re.fullmatch(r"[0-9a-f-]{36}", meta["uid"])
    assert meta["resourceVersion"].isdigit()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["creationTimestamp"])
    # API defaulting
    spec = obj["spec"]
    c = spec["containers"][0]
    assert c["imagePullPolicy"] == "IfNotPresent"
    assert c["terminationMessagePath"] == "/dev/termination-log"
    assert c["ports"][0] == {"containerPort": 80, "protocol": "TCP"}
    assert spec["restartPolicy"] == "Always"
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["schedulerName"] == "default-scheduler"
    assert obj["status"]["phase"] == "Pending"

    lst = json.loads(kubectl("get", "pods", "-n", ns, "-o", "json").stdout)
    assert lst["kind"] == "List" and lst["apiVersion"] == "v1"
    assert [i["metadata"]["name"] for i in lst["items"]] == ["p1"]
    assert lst["items"][0]["kind"] == "Pod"

    single = json.loads(kubectl("get", "pod", "p1", "-n", ns, "-o", "json").stdout)
    assert single["metadata"]["uid"] == meta["uid"]

    assert kubectl("get", "pods", "-n", ns, "-o", "name").stdout.strip() == "pod/p1"
    assert kubectl("get", "pod", "p1", "-n", ns, "-o", "jsonpath={.spec.containers[0].image}").stdout == "nginx:1.25"


def test_pod_all_namespaces_and_selectors(kubectl, make_ns, tmp_path):
    ns1, ns2 = make_ns("t-a"), make_ns("t-b")
    kubectl("create", "-f", write(tmp_path, "p1.yaml", POD.format(name="p1", app="web")), "-n", ns1)
    kubectl("create", "-f", write(tmp_path, "p2.yaml", POD.format(name="p2", app="db")), "-n", ns2)

    cols, rows = table(kubectl("get", "pods", "-A"))
    assert cols == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    pairs = {(r[0], r[1]) for r in rows}
    assert {(ns1, "p1"), (ns2, "p2")} <= pairs, rows

    cols, rows = table(kubectl("get", "pods", "-A", "-o", "wide"))
    assert cols[:2] == ["NAMESPACE", "NAME"] and "IP" in cols and "NODE" in cols

    cols, rows = table(kubectl("get", "pods", "-A", "-l", "app=db"))
    assert (ns2, "p2") in {(r[0], r[1]) for r in rows}
    assert (ns1, "p1") not in {(r[0], r[1]) for r in rows}

    # Set-based selectors and the --show-labels column.
    cols, rows = table(kubectl("get", "pods", "-n", ns1, "-l", "app in (web,api),tier!=be", "--show-labels"))
    assert cols == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]
    assert rows[0][0] == "p1" and rows[0][-1] == "app=web,tier=fe", rows

    r = kubectl("get", "pods", "-n", ns1, "-l", "app=nothing")
    assert r.stdout == "" and r.stderr.strip() == f"No resources found in {ns1} namespace."

    # -L adds a column per label key.
    cols, rows = table(kubectl("get", "pods", "-n", ns1, "-L", "app,tier"))
    assert cols[-2:] == ["APP", "TIER"] and rows[0][-2:] == ["web", "fe"]

    # Field selector on metadata.name.
    cols, rows = table(kubectl("get", "pods", "-A", "--field-selector", f"metadata.namespace={ns2}"))
    assert [(r[0], r[1]) for r in rows] == [(ns2, "p2")]


def test_pod_label_describe_delete(kubectl, ns, tmp_path):
    kubectl("create", "-f", write(tmp_path, "pod.yaml", POD.format(name="p1", app="web")), "-n", ns)

    assert kubectl("label", "pod", "p1", "env=prod", "-n", ns).stdout.strip() == "pod/p1 labeled"
    cols, rows = table(kubectl("get", "pods", "-n", ns, "-l", "env=prod"))
    assert [r[0] for r in rows] == ["p1"]

    r = kubectl("label", "pod", "p1", "app=api", "-n", ns, check=False)
    assert r.returncode == 1
    assert "'app' already has a value (web), and --overwrite is false" in r.stderr
    kubectl("label", "pod", "p1", "app=api", "--overwrite", "-n", ns)
    kubectl("label", "pod", "p1", "tier-", "-n", ns)
    labels = json.loads(kubectl("get", "pod", "p1", "-n", ns, "-o", "json").stdout)["metadata"]["labels"]
    assert labels == {"app": "api", "env": "prod"}

    kubectl("annotate", "pod", "p1", "note=hello", "-n", ns)
    d = kubectl("describe", "pod", "p1", "-n", ns).stdout
    assert re.search(r"^Name:\s+p1$", d, re.M), d
    assert re.search(rf"^Namespace:\s+{ns}$", d, re.M), d
    assert re.search(r"^Status:\s+Pending$", d, re.M), d
    assert re.search(r"^Labels:\s+app=api$", d, re.M), d
    assert re.search(r"^Annotations:\s+note: hello$", d, re.M), d
    assert re.search(r"^Containers:\n\s+main:\n\s+Image:\s+nginx:1.25", d, re.M), d
    assert re.search(r"^\s+Port:\s+80/TCP$", d, re.M), d
    # The shared server has no nodes: the scheduler says so, and describe shows its event.
    d = wait_for(lambda: (lambda out: out if "FailedScheduling" in out else None)(
        kubectl("describe", "pod", "p1", "-n", ns).stdout), what="the scheduler's event")
    # (A retry within the event's lifetime shows as "1s (x2 over 2s)".)
    assert re.search(r"^\s+Warning\s+FailedScheduling\s+\S+(?: \(x\d+ over \S+\))?\s+default-scheduler\s+"
                     r"no nodes available to schedule pods$",
                     d, re.M), d

    assert kubectl("delete", "pod", "p1", "-n", ns).stdout.strip() == 'pod "p1" deleted'
    r = kubectl("get", "pod", "p1", "-n", ns, check=False)
    assert r.returncode == 1 and 'pods "p1" not found' in r.stderr


def test_delete_by_file_and_by_label(kubectl, ns, tmp_path):
    f1 = write(tmp_path, "p1.yaml", POD.format(name="p1", app="web"))
    kubectl("create", "-f", f1, "-n", ns)
    kubectl("create", "-f", write(tmp_path, "p2.yaml", POD.format(name="p2", app="web")), "-n", ns)
    kubectl("create", "-f", write(tmp_path, "p3.yaml", POD.format(name="p3", app="db")), "-n", ns)

    assert kubectl("delete", "-f", f1, "-n", ns).stdout.strip() == 'pod "p1" deleted'
    assert kubectl("delete", "pods", "-l", "app=web", "-n", ns).stdout.strip() == 'pod "p2" deleted'
    kubectl("create", "configmap", "a1", "-n", ns)
    kubectl("create", "configmap", "a2", "-n", ns)
    deleted = kubectl("delete", "configmaps", "--all", "-n", ns).lines()
    assert {'configmap "a1" deleted', 'configmap "a2" deleted'} <= set(deleted), deleted
    assert "a1" not in kubectl("get", "configmaps", "-n", ns, "-o", "name").stdout
    cols, rows = table(kubectl("get", "pods", "-n", ns))
    assert [r[0] for r in rows] == ["p3"]


# --------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------

SERVICE = """\
    apiVersion: v1
    kind: Service
    metadata:
      name: {name}
      labels: {{app: web}}
    spec:
      selector: {{app: web}}
      ports:
      - name: http
        port: 80
        targetPort: 8080
    """


def test_service_crud(kubectl, ns, tmp_path):
    f = write(tmp_path, "svc.yaml", SERVICE.format(name="s1"))
    assert kubectl("create", "-f", f, "-n", ns).stdout.strip() == "service/s1 created"

    cols, rows = table(kubectl("get", "svc", "-n", ns))
    assert cols == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    row = row_for(rows, cols, "s1")
    assert row["TYPE"] == "ClusterIP"
    assert row["EXTERNAL-IP"] == "<none>"
    assert row["PORT(S)"] == "80/TCP"

    cols, rows = table(kubectl("get", "services", "-n", ns, "-o", "wide"))
    assert cols == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
    assert row_for(rows, cols, "s1")["SELECTOR"] == "app=web"

    obj = yaml.safe_load(kubectl("get", "svc", "s1", "-n", ns, "-o", "yaml").stdout)
    port = obj["spec"]["ports"][0]
    assert port == {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}
    assert obj["spec"]["type"] == "ClusterIP"
    assert obj["spec"]["sessionAffinity"] == "None"

    assert kubectl("label", "svc", "s1", "env=dev", "-n", ns).stdout.strip() == "service/s1 labeled"
    d = kubectl("describe", "svc", "s1", "-n", ns).stdout
    assert re.search(r"^Name:\s+s1$", d, re.M), d
    assert re.search(r"^Selector:\s+app=web$", d, re.M), d
    assert re.search(r"^Type:\s+ClusterIP$", d, re.M), d
    assert re.search(r"^Port:\s+http\s+80/TCP$", d, re.M), d
    assert re.search(r"^TargetPort:\s+8080/TCP$", d, re.M), d

    cols, rows = table(kubectl("get", "svc", "-A", "-l", "env=dev"))
    assert (ns, "s1") in {(r[0], r[1]) for r in rows}

    assert kubectl("delete", "svc", "s1", "-n", ns).stdout.strip() == 'service "s1" deleted'
    assert kubectl("get", "svc", "s1", "-n", ns, check=False).returncode == 1


def test_service_gets_cluster_ip(kubectl, ns, tmp_path):
    kubectl("create", "-f", write(tmp_path, "svc.yaml", SERVICE.format(name="s1")), "-n", ns)
    obj = json.loads(kubectl("get", "svc", "s1", "-n", ns, "-o", "json").stdout)
    ip = obj["spec"].get("clusterIP")
    assert ip and re.fullmatch(r"\d+\.\d+\.\d+\.\d+", ip), obj["spec"]
    assert obj["spec"]["clusterIPs"] == [ip]
    cols, rows = table(kubectl("get", "svc", "-n", ns))
    assert row_for(rows, cols, "s1")["CLUSTER-IP"] == ip
    assert ip.startswith("10.43."), ip


def test_node_ports_are_allocated_once_and_released_on_delete(kubectl, ns):
    kubectl("create", "service", "nodeport", "np1", "--tcp=80:8080", "--node-port=30999", "-n", ns)
    again = kubectl("create", "service", "nodeport", "np2", "--tcp=80:8080", "--node-port=30999", "-n", ns, check=False)
    assert again.returncode == 1
    assert "spec.ports[0].nodePort: Invalid value: 30999: provided port is already allocated" in again.stderr
    low = kubectl("create", "service", "nodeport", "np2", "--tcp=80:8080", "--node-port=80", "-n", ns, check=False)
    assert "The range of valid ports is 30000-32767" in low.stderr
    auto = json.loads(kubectl("create", "service", "nodeport", "np3", "--tcp=80:8080", "-n", ns, "-o", "json").stdout)
    assert 30000 <= auto["spec"]["ports"][0]["nodePort"] <= 32767
    kubectl("delete", "svc", "np1", "-n", ns)
    kubectl("create", "service", "nodeport", "np2", "--tcp=80:8080", "--node-port=30999", "-n", ns)


def test_headless_service(kubectl, ns, tmp_path):
    f = write(tmp_path, "svc.yaml", """\
        apiVersion: v1
        kind: Service
        metadata: {name: hl}
        spec:
          clusterIP: None
          selector: {app: web}
          ports: [{port: 5432}]
        """)
    kubectl("create", "-f", f, "-n", ns)
    obj = json.loads(kubectl("get", "svc", "hl", "-n", ns, "-o", "json").stdout)
    assert obj["spec"]["clusterIP"] == "None"
    assert obj["spec"].get("clusterIPs") == ["None"], obj["spec"]
    cols, rows = table(kubectl("get", "svc", "hl", "-n", ns))
    row = row_for(rows, cols, "hl")
    assert row["CLUSTER-IP"] == "None" and row["PORT(S)"] == "5432/TCP", row


# --------------------------------------------------------------------------------------------
# ConfigMaps and Secrets
# --------------------------------------------------------------------------------------------


def test_configmap_crud(kubectl, ns, tmp_path):
    f = write(tmp_path, "cm.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c1
          labels: {app: web}
        data:
          a: "1"
          b: two
        """)
    assert kubectl("create", "-f", f, "-n", ns).stdout.strip() == "configmap/c1 created"

    cols, rows = table(kubectl("get", "cm", "-n", ns))
    assert cols == ["NAME", "DATA", "AGE"]
    assert row_for(rows, cols, "c1")["DATA"] == "2"

    obj = yaml.safe_load(kubectl("get", "configmap", "c1", "-n", ns, "-o", "yaml").stdout)
    assert obj["data"] == {"a": "1", "b": "two"}

    kubectl("label", "cm", "c1", "env=dev", "-n", ns)
    cols, rows = table(kubectl("get", "cm", "-n", ns, "-l", "env=dev", "--show-labels"))
    assert row_for(rows, cols, "c1")["LABELS"] == "app=web,env=dev"

    d = kubectl("describe", "cm", "c1", "-n", ns).stdout
    assert re.search(r"^Name:\s+c1$", d, re.M), d
    assert re.search(r"^a:\n----\n1$", d, re.M), d

    assert kubectl("delete", "cm", "c1", "-n", ns).stdout.strip() == 'configmap "c1" deleted'


def test_secret_crud(kubectl, ns, tmp_path):
    f = write(tmp_path, "secret.yaml", f"""\
        apiVersion: v1
        kind: Secret
        metadata:
          name: s1
        type: Opaque
        data:
          password: {base64.b64encode(b"hunter2").decode()}
          user: {base64.b64encode(b"admin").decode()}
        """)
    assert kubectl("create", "-f", f, "-n", ns).stdout.strip() == "secret/s1 created"

    cols, rows = table(kubectl("get", "secrets", "-n", ns))
    assert cols == ["NAME", "TYPE", "DATA", "AGE"]
    row = row_for(rows, cols, "s1")
    assert row["TYPE"] == "Opaque" and row["DATA"] == "2", row

    obj = json.loads(kubectl("get", "secret", "s1", "-n", ns, "-o", "json").stdout)
    assert base64.b64decode(obj["data"]["password"]) == b"hunter2"
    assert base64.b64decode(obj["data"]["user"]) == b"admin"

    d = kubectl("describe", "secret", "s1", "-n", ns).stdout
    assert re.search(r"^Type:\s+Opaque$", d, re.M), d
    assert re.search(r"^password:\s+7 bytes$", d, re.M), d

    kubectl("label", "secret", "s1", "env=dev", "-n", ns)
    cols, rows = table(kubectl("get", "secret", "-n", ns, "-l", "env=dev"))
    assert [r[0] for r in rows] == ["s1"]
    assert kubectl("delete", "secret", "s1", "-n", ns).stdout.strip() == 'secret "s1" deleted'


def test_secret_string_data_merged_into_data(kubectl, ns, tmp_path):
    f = write(tmp_path, "secret.yaml", f"""\
        apiVersion: v1
        kind: Secret
        metadata:
          name: s2
        data:
          password: {base64.b64encode(b"hunter2").decode()}
        stringData:
          user: admin
        """)
    kubectl("create", "-f", f, "-n", ns)
    obj = json.loads(kubectl("get", "secret", "s2", "-n", ns, "-o", "json").stdout)
    assert "stringData" not in obj, obj
    assert base64.b64decode(obj["data"]["user"]) == b"admin"
    assert base64.b64decode(obj["data"]["password"]) == b"hunter2"
    assert obj["type"] == "Opaque"


# --------------------------------------------------------------------------------------------
# Deployments, apply, scale
# --------------------------------------------------------------------------------------------


def test_deployment_crud(kubectl, ns, tmp_path):
    f = write(tmp_path, "deploy.yaml", DEPLOYMENT.format(name="web", replicas=2, image="nginx:1.25"))
    assert kubectl("create", "-f", f, "-n", ns).stdout.strip() == "deployment.apps/web created"

    cols, rows = table(kubectl("get", "deployments", "-n", ns))
    assert cols == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    row = row_for(rows, cols, "web")
    assert row["READY"].endswith("/2"), row

    cols, rows = table(kubectl("get", "deploy", "-n", ns, "-o", "wide"))
    assert cols == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
    row = row_for(rows, cols, "web")
    assert (row["CONTAINERS"], row["IMAGES"], row["SELECTOR"]) == ("nginx", "nginx:1.25", "app=web")

    cols, rows = table(kubectl("get", "deploy", "-A", "-l", "app=web"))
    assert (ns, "web") in {(r[0], r[1]) for r in rows}

    obj = yaml.safe_load(kubectl("get", "deploy", "web", "-n", ns, "-o", "yaml").stdout)
    assert obj["apiVersion"] == "apps/v1" and obj["kind"] == "Deployment"
    assert obj["metadata"]["generation"] == 1
    spec = obj["spec"]
    assert spec["replicas"] == 2
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    assert spec["revisionHistoryLimit"] == 10
    assert spec["progressDeadlineSeconds"] == 600

    kubectl("label", "deploy", "web", "env=dev", "-n", ns)
    d = kubectl("describe", "deployment", "web", "-n", ns).stdout
    assert re.search(r"^Name:\s+web$", d, re.M), d
    assert re.search(r"^Selector:\s+app=web$", d, re.M), d
    assert re.search(r"^Replicas:\s+2 desired", d, re.M), d
    assert re.search(r"^StrategyType:\s+RollingUpdate$", d, re.M), d
    assert re.search(r"^Labels:\s+app=web\n\s+env=dev$", d, re.M), d

    assert kubectl("delete", "deploy", "web", "-n", ns).stdout.strip() == 'deployment.apps "web" deleted'
    assert kubectl("get", "deploy", "web", "-n", ns, check=False).returncode == 1


def test_apply_created_unchanged_configured(kubectl, ns, tmp_path):
    f = write(tmp_path, "deploy.yaml", DEPLOYMENT.format(name="web", replicas=2, image="nginx:1.25"))
    assert kubectl("apply", "-f", f, "-n", ns).stdout.strip() == "deployment.apps/web created"
    assert kubectl("apply", "-f", f, "-n", ns).stdout.strip() == "deployment.apps/web unchanged"

    f2 = write(tmp_path, "deploy2.yaml", DEPLOYMENT.format(name="web", replicas=2, image="nginx:1.27"))
    assert kubectl("apply", "-f", f2, "-n", ns).stdout.strip() == "deployment.apps/web configured"
    assert kubectl("apply", "-f", f2, "-n", ns).stdout.strip() == "deployment.apps/web unchanged"

    obj = json.loads(kubectl("get", "deploy", "web", "-n", ns, "-o", "json").stdout)
    c = obj["spec"]["template"]["spec"]["containers"]
    # Strategic merge patch kept the ports of the container merged by name.
    assert c == [{**c[0], "name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]
    assert obj["metadata"]["generation"] == 2
    last = json.loads(obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_apply_multi_document(kubectl, ns, tmp_path):
    f = write(tmp_path, "all.yaml", f"""\
        apiVersion: v1
        kind: ConfigMap
        metadata: {{name: cfg, namespace: {ns}}}
        data: {{k: v}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {{name: web, namespace: {ns}}}
        spec:
          selector: {{app: web}}
          ports: [{{port: 80}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {{name: solo, namespace: {ns}, labels: {{app: web}}}}
        spec:
          containers: [{{name: main, image: busybox:1.36}}]
        """)
    assert kubectl("apply", "-f", f).lines() == ["configmap/cfg created", "service/web created", "pod/solo created"]
    assert kubectl("apply", "-f", f).lines() == ["configmap/cfg unchanged", "service/web unchanged", "pod/solo unchanged"]
    assert kubectl("delete", "-f", f).lines() == ['configmap "cfg" deleted', 'service "web" deleted', 'pod "solo" deleted']


def test_apply_server_side(kubectl, ns, tmp_path):
    f = write(tmp_path, "deploy.yaml", DEPLOYMENT.format(name="ssa", replicas=1, image="nginx:1.25"))
    assert kubectl("apply", "--server-side", "-f", f, "-n", ns).stdout.strip() == "deployment.apps/ssa serverside-applied"
    f2 = write(tmp_path, "deploy2.yaml", DEPLOYMENT.format(name="ssa", replicas=3, image="nginx:1.25"))
    assert kubectl("apply", "--server-side", "-f", f2, "-n", ns).stdout.strip() == "deployment.apps/ssa serverside-applied"
    assert kubectl("get", "deploy", "ssa", "-n", ns, "-o", "jsonpath={.spec.replicas}").stdout == "3"


def test_scale_deployment(kubectl, ns, tmp_path):
    kubectl("create", "-f", write(tmp_path, "d.yaml", DEPLOYMENT.format(name="web", replicas=1, image="nginx:1.25")), "-n", ns)
    assert kubectl("scale", "deployment", "web", "--replicas=5", "-n", ns).stdout.strip() == "deployment.apps/web scaled"
    assert kubectl("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").stdout == "5"
    cols, rows = table(kubectl("get", "deploy", "web", "-n", ns))
    assert row_for(rows, cols, "web")["READY"].endswith("/5")
    # --current-replicas is a precondition checked against the scale subresource.
    r = kubectl("scale", "deployment", "web", "--current-replicas=2", "--replicas=3", "-n", ns, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == "error: Expected replicas to be 2, was 5", r
    assert kubectl("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").stdout == "5"


def test_patch_and_replace(kubectl, ns, tmp_path):
    kubectl("create", "-f", write(tmp_path, "d.yaml", DEPLOYMENT.format(name="web", replicas=1, image="nginx:1.25")), "-n", ns)
    r = kubectl("patch", "deploy", "web", "-n", ns, "-p",
                '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}')
    assert r.stdout.strip() == "deployment.apps/web patched"
    r = kubectl("patch", "deploy", "web", "-n", ns, "--type=json", "-p",
                '[{"op":"replace","path":"/spec/replicas","value":4}]')
    assert r.stdout.strip() == "deployment.apps/web patched"
    r = kubectl("patch", "deploy", "web", "-n", ns, "--type=merge", "-p", '{"metadata":{"annotations":{"x":"y"}}}')
    assert r.stdout.strip() == "deployment.apps/web patched"
    obj = json.loads(kubectl("get", "deploy", "web", "-n", ns, "-o", "json").stdout)
    assert obj["spec"]["replicas"] == 4
    c = obj["spec"]["template"]["spec"]["containers"][0]
    assert c["image"] == "nginx:1.26" and c["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert obj["metadata"]["annotations"]["x"] == "y"

    # replace -f with the current object
    current = kubectl("get", "deploy", "web", "-n", ns, "-o", "yaml").stdout
    doc = yaml.safe_load(current)
    doc["spec"]["replicas"] = 2
    f = tmp_path / "replace.json"
    f.write_text(json.dumps(doc))
    assert kubectl("replace", "-f", str(f)).stdout.strip() == "deployment.apps/web replaced"
    assert kubectl("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").stdout == "2"


def test_get_all_and_multiple_kinds(kubectl, ns, tmp_path):
    kubectl("create", "-f", write(tmp_path, "d.yaml", DEPLOYMENT.format(name="web", replicas=1, image="nginx:1.25")), "-n", ns)
    kubectl("create", "-f", write(tmp_path, "p.yaml", POD.format(name="p1", app="web")), "-n", ns)
    kubectl("create", "-f", write(tmp_path, "s.yaml", SERVICE.format(name="s1")), "-n", ns)
    out = kubectl("get", "all", "-n", ns).stdout
    assert re.search(r"^pod/p1\s", out, re.M), out
    assert re.search(r"^service/s1\s", out, re.M), out
    assert re.search(r"^deployment.apps/web\s", out, re.M), out
    out = kubectl("get", "pods,deploy", "-n", ns, "-o", "name").stdout.split()
    # The Deployment's own pod (named web-<hash>-<suffix>) may already be there.
    assert [o for o in out if not o.startswith("pod/web-")] == ["pod/p1", "deployment.apps/web"], out


def test_run_and_expose_style_json_writes(kubectl, ns):
    # `kubectl run` sends a JSON body (not a typed protobuf client).
    assert kubectl("run", "r1", "--image=nginx:1.25", "-n", ns, "--labels=run=r1").stdout.strip() == "pod/r1 created"
    obj = json.loads(kubectl("get", "pod", "r1", "-n", ns, "-o", "json").stdout)
    assert obj["spec"]["containers"][0]["name"] == "r1"
    assert obj["metadata"]["labels"] == {"run": "r1"}


def test_noop_patch_keeps_resource_version(kubectl, ns, tmp_path):
    kubectl("create", "-f", write(tmp_path, "cm.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c1, annotations: {x: "y"}}
        data: {a: "1"}
        """), "-n", ns)
    before = kubectl("get", "cm", "c1", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}").stdout
    r = kubectl("patch", "cm", "c1", "-n", ns, "--type=merge", "-p", '{"metadata":{"annotations":{"x":"y"}}}')
    after = kubectl("get", "cm", "c1", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}").stdout
    assert after == before
    assert r.stdout.strip() == "configmap/c1 patched (no change)"
