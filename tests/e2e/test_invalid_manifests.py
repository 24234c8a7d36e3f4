"""A table of invalid manifests, sent through the real kubectl and the raw API: each is answered with the right
4xx and Kubernetes' message, and afterwards nothing is stored (or the stored object is unchanged)."""

import json
from dataclasses import dataclass, field

import pytest
import yaml


# --------------------------------------------------------------------------------------------
# Manifests
# --------------------------------------------------------------------------------------------


def pod(name="p", **spec):
    body = {"containers": [{"name": "main", "image": "nginx:1.25"}]}
    body.update(spec)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": body}


def pod_with(container=None, name="p", **spec):
    c = {"name": "main", "image": "nginx:1.25"}
    c.update(container or {})
    return pod(name, containers=[c], **spec)


def deployment(name="web", labels=None, selector=None, template_spec=None, **spec):
    labels = labels if labels is not None else {"app": name}
    body = {"replicas": 1,
            "template": {"metadata": {"labels": labels},
                         "spec": template_spec or {"containers": [{"name": "main", "image": "nginx:1.25"}]}}}
    if selector is not False:
        body["selector"] = {"matchLabels": selector if selector is not None else labels}
    body.update(spec)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": body}


def workload(kind, name, labels=None, **spec):
    d = deployment(name, labels=labels, **spec)
    d["kind"] = kind
    del d["spec"]["replicas"]
    return d


def service(name="svc", **spec):
    body = {"selector": {"app": "web"}, "ports": [{"port": 80}]}
    body.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def configmap(name="cm", **fields):
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}
    body.update(fields)
    return body


def secret(name="s", **fields):
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "stringData": {"k": "v"}}
    body.update(fields)
    return body


def write(tmp_path, manifest, name="m.yaml"):
    path = tmp_path / name
    path.write_text(manifest if isinstance(manifest, str) else yaml.safe_dump(manifest))
    return str(path)


LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
             "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")


# --------------------------------------------------------------------------------------------
# kubectl create: refused, and nothing stored
# --------------------------------------------------------------------------------------------


DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: main, image: "nginx:1.25"}}]}}
"""


@dataclass
class Create:
    id: str
    resource: str  # for `kubectl get`
    name: str
    manifest: object  # dict, or YAML text for wrong types
    message: str  # a fragment of kubectl's error line
    reason: str = "Invalid"  # Invalid (422) or BadRequest (400)


CREATE_CASES = [
    Create("pod-bad-name", "pod", "Bad_Name", pod("Bad_Name"),
           'The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain'),
    Create("service-name-starting-with-a-digit", "service", "1web", service("1web"),
           'The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of'),
    Create("namespace-name-with-a-dot", "namespace", "team.a",
           {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team.a"}},
           'The Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots'),
    Create("configmap-upper-case-name", "configmap", "Settings", configmap("Settings"),
           'The ConfigMap "Settings" is invalid: metadata.name: Invalid value: "Settings"'),
    Create("replicas-as-a-word", "deployment", "three",
           DEPLOYMENT_YAML.format(name="three", replicas='"three"'),
           'Deployment in version "v1" cannot be handled as a Deployment', "BadRequest"),
    Create("container-port-as-a-word", "pod", "p", pod_with({"ports": [{"containerPort": "eighty"}]}),
           'Pod in version "v1" cannot be handled as a Pod', "BadRequest"),
    Create("containers-as-a-string", "pod", "p", pod("p", containers="main"),
           'Pod in version "v1" cannot be handled as a Pod', "BadRequest"),
    Create("pod-without-containers", "pod", "p", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}},
           'The Pod "p" is invalid: spec.containers: Required value'),
    Create("container-without-image", "pod", "p", pod("p", containers=[{"name": "main"}]),
           'The Pod "p" is invalid: spec.containers[0].image: Required value'),
    Create("container-with-a-bad-name", "pod", "p", pod("p", containers=[{"name": "Main", "image": "nginx"}]),
           'spec.containers[0].name: Invalid value: "Main": ' + LABEL_MSG),
    Create("duplicate-container-names", "pod", "p",
           pod("p", containers=[{"name": "main", "image": "a"}], initContainers=[{"name": "main", "image": "b"}]),
           'spec.initContainers[0].name: Duplicate value: "main"'),
    Create("container-port-out-of-range", "pod", "p", pod_with({"ports": [{"containerPort": 70000}]}),
           "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"),
    Create("env-name-with-equals", "pod", "p", pod_with({"env": [{"name": "A=B", "value": "1"}]}),
           'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist '
           "only of printable ASCII characters other than '='"),
    Create("mount-of-a-missing-volume", "pod", "p", pod_with({"volumeMounts": [{"name": "data", "mountPath": "/d"}]}),
           'spec.containers[0].volumeMounts[0].name: Not found: "data"'),
    Create("volume-with-two-sources", "pod", "p",
           pod("p", volumes=[{"name": "v", "emptyDir": {}, "secret": {"secretName": "s"}}]),
           "spec.volumes[0].secret: Forbidden: may not specify more than 1 volume type"),
    Create("request-above-limit", "pod", "p",
           pod_with({"resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}),
           'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'),
    Create("unknown-restart-policy", "pod", "p", pod("p", restartPolicy="Sometimes"),
           'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'),
    Create("toleration-exists-with-value", "pod", "p",
           pod("p", tolerations=[{"key": "k", "operator": "Exists", "value": "v"}]),
           "value must be empty when `operator` is 'Exists'"),
    Create("deployment-without-selector", "deployment", "web", deployment("web", selector=False),
           # kubectl lists several causes one a line.
           'The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: '
           'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`\n'),
    Create("deployment-selector-not-matching", "deployment", "web", deployment("web", selector={"app": "api"}),
           'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
           "template `labels`"),
    Create("deployment-pods-never-restart", "deployment", "web",
           deployment("web", template_spec={"restartPolicy": "Never", "containers": [{"name": "m", "image": "x"}]}),
           'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'),
    Create("deployment-negative-replicas", "deployment", "web", deployment("web", replicas=-1),
           "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
    Create("deployment-no-surge-no-unavailable", "deployment", "web",
           deployment("web", strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}),
           "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, "
           'StrVal:""}: may not be 0 when `maxSurge` is 0'),
    Create("deployment-recreate-with-rolling-update", "deployment", "web",
           deployment("web", strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}),
           "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"),
    Create("replicaset-without-selector", "replicaset", "rs", workload("ReplicaSet", "rs", selector=False),
           "spec.selector: Required value"),
    Create("daemonset-empty-selector", "daemonset", "ds", workload("DaemonSet", "ds", selector={}),
           "empty selector is invalid for daemonset"),
    Create("statefulset-unknown-pod-policy", "statefulset", "db",
           workload("StatefulSet", "db", serviceName="db", podManagementPolicy="AllAtOnce"),
           "spec.podManagementPolicy: Invalid value: \"AllAtOnce\": must be 'OrderedReady' or 'Parallel'"),
    Create("replicationcontroller-pods-restart-on-failure", "replicationcontroller", "rc",
           {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
            "spec": {"template": {"metadata": {"labels": {"app": "rc"}},
                                  "spec": {"restartPolicy": "OnFailure", "containers": [{"name": "m", "image": "x"}]}}}},
           'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'),
    Create("service-without-ports", "service", "svc", service("svc", ports=[]),
           'The Service "svc" is invalid: spec.ports: Required value'),
    Create("service-two-unnamed-ports", "service", "svc", service("svc", ports=[{"port": 80}, {"port": 443}]),
           "\n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value\n"),
    Create("service-port-out-of-range", "service", "svc", service("svc", ports=[{"port": 0, "targetPort": 80}]),
           "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
    Create("service-node-port-on-cluster-ip", "service", "svc", service("svc", ports=[{"port": 80, "nodePort": 30080}]),
           "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
    Create("service-unknown-type", "service", "svc", service("svc", type="Public"),
           'spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", '
           '"NodePort"'),
    Create("service-unknown-session-affinity", "service", "svc", service("svc", sessionAffinity="Sticky"),
           'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'),
    Create("configmap-bad-key", "configmap", "cm", configmap("cm", data={"a b": "1"}),
           'data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, \'-\', '
           "'_' or '.'"),
    Create("secret-bad-key", "secret", "s", secret("s", stringData={"a/b": "1"}),
           'data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters'),
    Create("tls-secret-without-key", "secret", "s",
           secret("s", type="kubernetes.io/tls", stringData={"tls.crt": "x"}),
           "data[tls.key]: Required value"),
    Create("namespace-unknown-finalizer", "namespace", "fin-x",
           {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fin-x"}, "spec": {"finalizers": ["cleanup"]}},
           'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully '
           "qualified"),
]



def kubectl_stored(kubectl, resource, name, ns):
    r = kubectl("get", resource, name, "-n", ns, "-o", "json", check=False)
    return json.loads(r.stdout) if r.returncode == 0 else None


@pytest.mark.parametrize("case", CREATE_CASES, ids=lambda c: c.id)
def test_kubectl_create_is_refused(case, kubectl, make_ns, tmp_path):
    ns = make_ns("inv")
    f = write(tmp_path, case.manifest)
    r = kubectl("create", "-f", f, "-n", ns, check=False)
    assert r.returncode == 1, r
    assert case.message in r.stderr, r
    if case.reason == "BadRequest":
        assert r.stderr.startswith(f'Error from server (BadRequest): error when creating "{f}": '), r
    else:
        assert r.stderr.startswith("The "), r
    assert kubectl_stored(kubectl, case.resource, case.name, ns) is None


# --------------------------------------------------------------------------------------------
# Raw API: status code, reason, message, nothing stored
# --------------------------------------------------------------------------------------------


@dataclass
class Raw:
    id: str
    collection: str  # under /api/v1/namespaces/{ns}/ or /apis/apps/v1/namespaces/{ns}/
    body: object
    code: int
    reason: str
    message: str
    name: str = ""
    query: str = ""
    causes: list = field(default_factory=list)  # [(field, reason)]


def _path(ns, collection):
    group = "/apis/apps/v1" if collection in ("deployments", "replicasets", "daemonsets", "statefulsets") else "/api/v1"
    return f"{group}/namespaces/{ns}/{collection}"


RAW_CASES = [
    Raw("unknown-field-strict", "deployments", {**deployment("web"), "spec": {**deployment("web")["spec"], "replicaz": 3}},
        400, "BadRequest", 'strict decoding error: unknown field "spec.replicaz"', name="web",
        query="?fieldValidation=Strict"),
    Raw("unknown-nested-field-strict", "pods", pod_with({"imagez": "x"}), 400, "BadRequest",
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field '
        '"spec.containers[0].imagez"', name="p", query="?fieldValidation=Strict"),
    Raw("replicas-as-a-word", "deployments", deployment("web", replicas="three"), 400, "BadRequest",
        'Deployment in version "v1" cannot be handled as a Deployment', name="web"),
    Raw("no-name", "configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}, 422, "Invalid",
        'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
        causes=[("metadata.name", "FieldValueRequired")]),
    Raw("pod-without-containers", "pods", {"metadata": {"name": "p"}, "spec": {}}, 422, "Invalid",
        'Pod "p" is invalid: spec.containers: Required value', name="p",
        causes=[("spec.containers", "FieldValueRequired")]),
    Raw("deployment-without-selector", "deployments", deployment("web", selector=False), 422, "Invalid",
        'Deployment.apps "web" is invalid: [spec.selector: Required value, ', name="web",
        causes=[("spec.selector", "FieldValueRequired"), ("spec.template.metadata.labels", "FieldValueInvalid")]),
    Raw("service-duplicate-port-names", "services",
        service("svc", ports=[{"name": "web", "port": 80}, {"name": "web", "port": 81}]), 422, "Invalid",
        'Service "svc" is invalid: spec.ports[1].name: Duplicate value: "web"', name="svc",
        causes=[("spec.ports[1].name", "FieldValueDuplicate")]),
    Raw("configmap-over-1-mib", "configmaps", configmap("big", data={"k": "x" * (1024 * 1024 + 1)}), 422, "Invalid",
        'ConfigMap "big" is invalid: : Too long: may not be more than 1048576 bytes', name="big",
        causes=[("", "FieldValueTooLong")]),
    Raw("body-over-3-mib", "configmaps", configmap("huge", data={"k": "x" * (3 * 1024 * 1024 + 1024)}), 413,
        "RequestEntityTooLarge", "the server has received a request that is too large", name="huge"),
]


@pytest.mark.parametrize("case", RAW_CASES, ids=lambda c: c.id)
def test_raw_api_refuses(case, api, make_ns):
    ns = make_ns("raw")
    r = api.post(_path(ns, case.collection) + case.query, case.body)
    assert r.status_code == case.code, r.text
    status = r.json()
    assert status["kind"] == "Status" and status["status"] == "Failure", status
    assert status["reason"] == case.reason, status
    assert case.message in status["message"], status
    if case.causes:
        found = [(c.get("field", ""), c["reason"]) for c in status["details"]["causes"]]
        assert found == case.causes, status
    if case.name:
        assert api.get(_path(ns, case.collection) + "/" + case.name).status_code == 404
    assert api.get(_path(ns, case.collection)).json()["items"] == []


def test_unknown_field_is_a_warning_by_default_and_ignored_when_asked(api, make_ns):
    ns = make_ns("warn")
    body = pod_with({"imagez": "x"})
    r = api.post(_path(ns, "pods"), body)
    assert r.status_code == 201, r.text
    assert r.headers.get("Warning") == '299 - "unknown field \\"spec.containers[0].imagez\\""', r.headers
    body["metadata"]["name"] = "q"
    r = api.post(_path(ns, "pods") + "?fieldValidation=Ignore", body)
    assert r.status_code == 201, r.text
    assert "Warning" not in r.headers


def test_strict_put_of_an_unknown_field_changes_nothing(api, make_ns):
    ns = make_ns("put")
    created = api.post(_path(ns, "configmaps"), configmap("cm")).json()
    changed = {**created, "data": {"k": "w"}, "datta": {"x": "y"}}
    r = api.put(_path(ns, "configmaps") + "/cm?fieldValidation=Strict", changed)
    assert r.status_code == 400, r.text
    assert 'strict decoding error: unknown field "datta"' in r.json()["message"]
    assert api.get(_path(ns, "configmaps") + "/cm").json() == created


def test_kubectl_apply_validate_strict_refuses_unknown_fields(kubectl, make_ns, tmp_path):
    ns = make_ns("strict")
    manifest = deployment("web")
    manifest["spec"]["template"]["spec"]["containers"][0]["imagePolicy"] = "Always"
    f = write(tmp_path, manifest)
    r = kubectl("apply", "--validate=strict", "-f", f, "-n", ns, check=False)
    assert r.returncode == 1, r
    assert 'unknown field "spec.template.spec.containers[0].imagePolicy"' in r.stderr, r
    assert kubectl_stored(kubectl, "deployment", "web", ns) is None


# --------------------------------------------------------------------------------------------
# Immutable changes: refused, and the stored object unchanged
# --------------------------------------------------------------------------------------------


@dataclass
class Change:
    id: str
    resource: str
    name: str
    before: dict
    after: dict
    message: str


def _changed(obj, **spec):
    out = json.loads(json.dumps(obj))
    out["spec"].update(spec)
    return out


CHANGE_CASES = [
    Change("deployment-selector", "deployment", "web", deployment("web"),
           deployment("web", labels={"app": "web2"}),
           'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
           'map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'),
    Change("replicaset-selector", "replicaset", "rs", workload("ReplicaSet", "rs"),
           workload("ReplicaSet", "rs", labels={"app": "rs", "v": "2"}),
           "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"rs\", \"v\":\"2\"}"),
    Change("daemonset-selector", "daemonset", "ds", workload("DaemonSet", "ds"),
           workload("DaemonSet", "ds", labels={"app": "other"}), "field is immutable"),
    Change("statefulset-service-name", "statefulset", "db", workload("StatefulSet", "db", serviceName="db"),
           workload("StatefulSet", "db", serviceName="db2"),
           "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
           "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"),
    Change("pod-spec", "pod", "p", pod_with(), pod_with({"env": [{"name": "A", "value": "1"}]}),
           'The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than '
           "`spec.containers[*].image`"),
    Change("pod-containers", "pod", "p", pod_with(),
           pod("p", containers=[{"name": "main", "image": "nginx:1.25"}, {"name": "side", "image": "busybox"}]),
           "spec.containers: Forbidden: pod updates may not add or remove containers"),
    Change("service-cluster-ip", "service", "svc", service("svc", clusterIP="10.43.200.10"),
           service("svc", clusterIP="10.43.200.11"),
           'The Service "svc" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.43.200.11"}: '
           "may not change once set"),
    Change("immutable-configmap-data", "configmap", "cm", configmap("cm", immutable=True),
           configmap("cm", immutable=True, data={"k": "changed"}),
           'The ConfigMap "cm" is invalid: data: Forbidden: field is immutable when `immutable` is set'),
    Change("secret-type", "secret", "s", secret("s"),
           secret("s", type="kubernetes.io/basic-auth", stringData={"username": "u"}),
           'The Secret "s" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable'),
]


@pytest.mark.parametrize("case", CHANGE_CASES, ids=lambda c: c.id)
def test_immutable_change_is_refused(case, kubectl, make_ns, tmp_path):
    ns = make_ns("imm")
    kubectl("apply", "-f", write(tmp_path, case.before, "before.yaml"), "-n", ns)
    stored = kubectl_stored(kubectl, case.resource, case.name, ns)
    r = kubectl("apply", "-f", write(tmp_path, case.after, "after.yaml"), "-n", ns, check=False)
    assert r.returncode == 1, r
    assert case.message in r.stderr, r
    # Controllers may write statuses meanwhile; what the user wrote must be as it was.
    after = kubectl_stored(kubectl, case.resource, case.name, ns)
    for part in ("spec", "data", "type", "immutable"):
        assert after.get(part) == stored.get(part), part
