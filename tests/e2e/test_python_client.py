"""The official Python client (`pip install kubernetes`): typed APIs, watch, create_from_yaml, dynamic client."""

import threading
import time

import pytest

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config, dynamic, utils, watch  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402


@pytest.fixture
def k8s(skiff):
    """An ApiClient configured from Skiff's kubeconfig via load_kube_config."""
    cfg = client.Configuration()
    config.load_kube_config(config_file=str(skiff.kubeconfig), client_configuration=cfg)
    # The environment may point REQUESTS_CA_BUNDLE/SSL_CERT_FILE elsewhere; the kubeconfig's CA must win.
    assert cfg.ssl_ca_cert and cfg.cert_file and cfg.key_file
    api_client = client.ApiClient(configuration=cfg)
    yield api_client
    # urllib3 2.8's PoolManager.clear() (called by close()) does not close pooled connections; close them.
    pools = api_client.rest_client.pool_manager.pools
    for key in list(pools.keys()):
        pool = pools.get(key)
        if pool is not None:
            pool.close()
    api_client.close()


def test_load_kube_config_default_configuration(skiff):
    # The documented form: load_kube_config sets the default configuration used by bare API objects.
    config.load_kube_config(config_file=str(skiff.kubeconfig))
    info = client.VersionApi().get_code()
    assert info.major == "1" and info.minor == "32"
    assert info.git_version.startswith("v1.32.")
    names = [n.metadata.name for n in client.CoreV1Api().list_namespace().items]
    assert "default" in names and "kube-system" in names


def test_version(k8s):
    info = client.VersionApi(k8s).get_code()
    assert (info.major, info.minor) == ("1", "32")
    assert info.git_version.startswith("v1.32.")
    assert info.platform


def pod_body(name, labels=None):
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels=labels or {}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="main", image="nginx:1.25")]),
    )


def test_pod_create_list_read_patch_delete(k8s, ns):
    core = client.CoreV1Api(k8s)
    created = core.create_namespaced_pod(ns, pod_body("py-1", {"app": "py"}))
    assert isinstance(created, client.V1Pod)
    assert created.metadata.name == "py-1" and created.metadata.namespace == ns
    assert created.metadata.uid and created.metadata.resource_version
    assert created.spec.containers[0].image_pull_policy == "IfNotPresent"
    assert created.status.phase == "Pending"

    # A body as a plain dict without apiVersion/kind works too.
    core.create_namespaced_pod(ns, {"metadata": {"name": "py-2"},
                                    "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]}})

    pods = core.list_namespaced_pod(ns)
    assert sorted(p.metadata.name for p in pods.items) == ["py-1", "py-2"]
    assert pods.metadata.resource_version
    selected = core.list_namespaced_pod(ns, label_selector="app=py")
    assert [p.metadata.name for p in selected.items] == ["py-1"]
    everywhere = core.list_pod_for_all_namespaces(field_selector=f"metadata.namespace={ns}")
    assert sorted(p.metadata.name for p in everywhere.items) == ["py-1", "py-2"]

    pod = core.read_namespaced_pod("py-1", ns)
    assert pod.metadata.uid == created.metadata.uid

    # A dict body goes as a strategic merge patch: containers merge by name.
    patched = core.patch_namespaced_pod("py-1", ns, {
        "metadata": {"labels": {"stage": "patched"}},
        "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]},
    })
    assert patched.metadata.labels == {"app": "py", "stage": "patched"}
    assert [(c.name, c.image) for c in patched.spec.containers] == [("main", "nginx:1.27")]
    assert int(patched.metadata.resource_version) > int(created.metadata.resource_version)

    # A list body goes as a JSON patch.
    patched = core.patch_namespaced_pod("py-1", ns, [{"op": "add", "path": "/metadata/annotations", "value": {"k": "v"}}])
    assert patched.metadata.annotations == {"k": "v"}

    # An explicit merge patch replaces lists (here: the labels map merges, annotations are dropped by null).
    patched = core.patch_namespaced_pod("py-1", ns, {"metadata": {"annotations": None, "labels": {"m": "1"}}},
                                        _content_type="application/merge-patch+json")
    assert patched.metadata.annotations is None and patched.metadata.labels["m"] == "1"

    # Server-side apply: the body goes as YAML-compatible JSON with a field manager.
    applied = core.patch_namespaced_pod("py-1", ns, {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "py-1", "labels": {"applied": "yes"}},
    }, field_manager="py-applier", _content_type="application/apply-patch+yaml")
    assert applied.metadata.labels["applied"] == "yes"
    assert any(e.manager == "py-applier" and e.operation == "Apply" for e in applied.metadata.managed_fields)

    deleted = core.delete_namespaced_pod("py-1", ns)
    assert isinstance(deleted, client.V1Pod), type(deleted)
    assert deleted.metadata.name == "py-1"
    with pytest.raises(ApiException) as exc:
        core.read_namespaced_pod("py-1", ns)
    assert exc.value.status == 404
    assert '"reason":"NotFound"' in exc.value.body.replace(" ", "")


def test_errors_are_api_exceptions(k8s, ns):
    core = client.CoreV1Api(k8s)
    core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="dup")))
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="dup")))
    assert exc.value.status == 409
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_pod(ns, pod_body("Bad_Name"))
    assert exc.value.status == 422


def test_configmap_replace_and_conflict(k8s, ns):
    core = client.CoreV1Api(k8s)
    cm = core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="c"), data={"a": "1"}))
    cm.data["a"] = "2"
    updated = core.replace_namespaced_config_map("c", ns, cm)
    assert updated.data == {"a": "2"}
    cm.data["a"] = "3"  # still carries the old resourceVersion
    with pytest.raises(ApiException) as exc:
        core.replace_namespaced_config_map("c", ns, cm)
    assert exc.value.status == 409
    assert core.read_namespaced_config_map("c", ns).data == {"a": "2"}


def test_watch_stream(k8s, ns):
    core = client.CoreV1Api(k8s)
    core.create_namespaced_pod(ns, pod_body("existing"))
    events = []
    errors = []
    done = threading.Event()

    def run():
        w = watch.Watch()
        try:
            for ev in w.stream(core.list_namespaced_pod, namespace=ns, timeout_seconds=10):
                events.append((ev["type"], ev["object"].metadata.name))
                if (ev["type"], ev["object"].metadata.name) == ("DELETED", "later"):
                    w.stop()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    while ("ADDED", "existing") not in events:
        assert time.monotonic() < deadline and not done.is_set(), (events, errors)
        time.sleep(0.02)
    core.create_namespaced_pod(ns, pod_body("later"))
    while ("ADDED", "later") not in events:
        assert time.monotonic() < deadline and not done.is_set(), (events, errors)
        time.sleep(0.02)
    core.delete_namespaced_pod("later", ns)
    assert done.wait(10), events
    assert not errors, errors
    # The scheduler's status writes (no nodes here) show up as MODIFIED events in between.
    assert [e for e in events if e[0] != "MODIFIED"] == [("ADDED", "existing"), ("ADDED", "later"), ("DELETED", "later")]


def test_watch_stream_ends_at_timeout(k8s, ns):
    core = client.CoreV1Api(k8s)
    started = time.monotonic()
    events = list(watch.Watch().stream(core.list_namespaced_config_map, namespace=ns, timeout_seconds=1))
    assert events == []
    assert time.monotonic() - started < 5


def test_create_from_yaml_deployment(k8s, ns, tmp_path):
    f = tmp_path / "deploy.yaml"
    f.write_text("""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: from-yaml
  labels: {app: from-yaml}
spec:
  replicas: 2
  selector:
    matchLabels: {app: from-yaml}
  template:
    metadata:
      labels: {app: from-yaml}
    spec:
      containers:
      - name: web
        image: nginx:1.25
""")
    created = utils.create_from_yaml(k8s, str(f), namespace=ns)
    flat = [o for group in created for o in (group if isinstance(group, list) else [group])]
    assert [o.metadata.name for o in flat] == ["from-yaml"]
    apps = client.AppsV1Api(k8s)
    d = apps.read_namespaced_deployment("from-yaml", ns)
    assert d.spec.replicas == 2
    assert d.spec.template.spec.containers[0].image == "nginx:1.25"
    scale = apps.patch_namespaced_deployment_scale("from-yaml", ns, {"spec": {"replicas": 4}})
    assert scale.spec.replicas == 4
    assert apps.read_namespaced_deployment_scale("from-yaml", ns).spec.replicas == 4
    result = apps.delete_namespaced_deployment("from-yaml", ns)
    assert result is not None
    with pytest.raises(ApiException) as exc:
        apps.read_namespaced_deployment("from-yaml", ns)
    assert exc.value.status == 404


def test_dynamic_client(k8s, ns):
    dyn = dynamic.DynamicClient(k8s)
    deployments = dyn.resources.get(api_version="apps/v1", kind="Deployment")
    assert deployments.namespaced and deployments.name == "deployments"
    body = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "dyn", "labels": {"via": "dynamic"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "dyn"}},
                 "template": {"metadata": {"labels": {"app": "dyn"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}},
    }
    created = deployments.create(body=body, namespace=ns)
    assert created.metadata.name == "dyn"

    listing = deployments.get(namespace=ns)
    assert listing.kind == "DeploymentList"
    assert [i.metadata.name for i in listing.items] == ["dyn"]
    one = deployments.get(name="dyn", namespace=ns)
    assert one.spec.replicas == 1 and one.metadata.labels.via == "dynamic"
    selected = deployments.get(namespace=ns, label_selector="via=dynamic")
    assert [i.metadata.name for i in selected.items] == ["dyn"]

    patched = deployments.patch(name="dyn", namespace=ns, body={"spec": {"replicas": 3}},
                                content_type="application/merge-patch+json")
    assert patched.spec.replicas == 3

    pods = dyn.resources.get(api_version="v1", kind="Pod")
    # The only pods are the Deployment's own (its controller creates them; no node runs them here).
    assert all(p.metadata.name.startswith("dyn-") for p in pods.get(namespace=ns).items)
    deployments.delete(name="dyn", namespace=ns)
    assert deployments.get(namespace=ns).items == []


def test_list_pagination(k8s, ns):
    core = client.CoreV1Api(k8s)
    names = [f"page-{i}" for i in range(7)]
    for name in names:
        core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name)))
    seen, token, pages = [], None, 0
    while True:
        page = core.list_namespaced_config_map(ns, limit=3, _continue=token)
        pages += 1
        assert len(page.items) <= 3
        seen += [i.metadata.name for i in page.items]
        token = page.metadata._continue
        if not token:
            break
        assert page.metadata.remaining_item_count in (None, 7 - len(seen))
    assert sorted(n for n in seen if n.startswith("page-")) == names
    assert pages == 3
