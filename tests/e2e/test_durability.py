"""Durability of the SQLite store: clean restarts, kill -9 during writes, and PKI reuse across restarts.
Each test runs its own server on its own data dir (skiff_factory)."""

import json
import threading

import requests
import yaml

from conftest import Api, close_session, pod_manifest, wait_for


def seed(api: Api, ns: str) -> dict:
    """Create one object of each kind; return {path: stored object}."""
    bodies = {
        # A scheduler name nobody serves: no component writes to the pod, so it must come back byte for byte.
        f"/api/v1/namespaces/{ns}/pods": {**pod_manifest("p1", labels={"app": "web"}),
                                          "spec": {**pod_manifest("p1")["spec"], "schedulerName": "nobody"}},
        f"/api/v1/namespaces/{ns}/configmaps": {"metadata": {"name": "c1"}, "data": {"k": "v"}},
        f"/api/v1/namespaces/{ns}/secrets": {"metadata": {"name": "s1"}, "data": {"k": "dg=="}},
        f"/api/v1/namespaces/{ns}/services": {"metadata": {"name": "svc1"},
                                              "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
        f"/apis/apps/v1/namespaces/{ns}/deployments": {
            "metadata": {"name": "d1"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}}},
        f"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases": {"metadata": {"name": "l1"},
                                                                 "spec": {"holderIdentity": "me"}},
    }
    stored = {}
    r = api.post("/api/v1/namespaces", {"metadata": {"name": ns}})
    assert r.status_code == 201, r.text
    stored[f"/api/v1/namespaces/{ns}"] = r.json()
    for collection, body in bodies.items():
        r = api.post(collection, body)
        assert r.status_code == 201, f"{collection}: {r.status_code} {r.text}"
        stored[f"{collection}/{body['metadata']['name']}"] = r.json()
    # One update and one delete, so the log holds more than creations.
    r = api.patch(f"/api/v1/namespaces/{ns}/configmaps/c1", {"data": {"k": "v2"}})
    assert r.status_code == 200
    stored[f"/api/v1/namespaces/{ns}/configmaps/c1"] = r.json()
    r = api.post(f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "gone"}})
    assert r.status_code == 201
    assert api.delete(f"/api/v1/namespaces/{ns}/configmaps/gone").status_code == 200
    return stored


def assert_all_present(api: Api, stored: dict):
    for path, obj in stored.items():
        r = api.get(path)
        assert r.status_code == 200, f"{path} missing after restart: {r.status_code} {r.text}"
        if "/deployments/" in path:
            # Its controller writes annotations and status meanwhile: what the client wrote must be intact.
            got = r.json()
            assert got["spec"] == obj["spec"], f"{path} spec changed across the restart"
            for field in ("name", "uid", "creationTimestamp", "generation"):
                assert got["metadata"].get(field) == obj["metadata"].get(field), f"{path} metadata.{field} changed"
            continue
        assert r.json() == obj, f"{path} changed across the restart"


def test_restart_keeps_every_object(skiff_factory):
    server = skiff_factory("restart").start()
    api = server.api()
    stored = seed(api, "durable")
    before_rv = int(api.get("/api/v1/namespaces/durable/configmaps").json()["metadata"]["resourceVersion"])
    api.close()

    server.restart()
    api = server.api()
    assert_all_present(api, stored)
    assert api.get("/api/v1/namespaces/durable/configmaps/gone").status_code == 404
    lst = api.get("/api/v1/namespaces/durable/configmaps").json()
    assert sorted(i["metadata"]["name"] for i in lst["items"] if i["metadata"]["name"] != "kube-root-ca.crt") == ["c1"]
    assert int(lst["metadata"]["resourceVersion"]) >= before_rv

    # Writes continue with larger resourceVersions; the restarted server can be restarted again.
    r = api.post("/api/v1/namespaces/durable/configmaps", {"metadata": {"name": "after"}})
    assert r.status_code == 201
    assert int(r.json()["metadata"]["resourceVersion"]) > before_rv
    stored["/api/v1/namespaces/durable/configmaps/after"] = r.json()
    api.close()

    server.restart()
    api = server.api()
    assert_all_present(api, stored)
    api.close()


def test_restart_with_kubectl(skiff_factory, tmp_path):
    server = skiff_factory("kubectl").start()
    kubectl = server.kubectl_runner(tmp_path / "kc")
    manifest = tmp_path / "all.yaml"
    manifest.write_text("""\
apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: app}
data: {mode: fast}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.25"}]
""")
    kubectl("apply", "-f", str(manifest))
    server.restart()
    # The same kubeconfig and discovery cache keep working; apply sees nothing to change.
    r = kubectl("apply", "-f", str(manifest))
    assert r.lines() == ["namespace/app unchanged", "configmap/settings unchanged", "deployment.apps/web unchanged"]
    assert kubectl("get", "deploy", "web", "-n", "app", "-o", "jsonpath={.spec.replicas}").stdout == "3"


class Writer(threading.Thread):
    """Creates configmaps as fast as it can; remembers which creations were acknowledged (201)."""

    def __init__(self, server, ns, prefix):
        super().__init__(daemon=True)
        self.server, self.ns, self.prefix = server, ns, prefix
        self.acked: list[str] = []
        self.attempted: list[str] = []
        self.unexpected: list[str] = []
        self.stop_flag = threading.Event()

    def run(self):
        s = requests.Session()
        s.trust_env = False
        s.cert = self.server.client_cert
        s.verify = str(self.server.ca_file)
        url = f"{self.server.url}/api/v1/namespaces/{self.ns}/configmaps"
        i = 0
        while not self.stop_flag.is_set():
            name = f"{self.prefix}-{i}"
            i += 1
            self.attempted.append(name)
            try:
                r = s.post(url, json={"metadata": {"name": name}, "data": {"n": str(i)}}, timeout=10)
            except requests.RequestException:
                break  # the server is gone
            if r.status_code == 201:
                self.acked.append(name)
            else:
                self.unexpected.append(f"{name}: {r.status_code} {r.text[:200]}")
        close_session(s)


class Updater(threading.Thread):
    """Patches one configmap's counter upwards; remembers the last acknowledged (200) and last attempted value."""

    def __init__(self, server, ns, name):
        super().__init__(daemon=True)
        self.server, self.ns, self.name = server, ns, name
        self.last_acked = 0
        self.last_attempted = 0
        self.unexpected: list[str] = []
        self.stop_flag = threading.Event()

    def run(self):
        s = requests.Session()
        s.trust_env = False
        s.cert = self.server.client_cert
        s.verify = str(self.server.ca_file)
        url = f"{self.server.url}/api/v1/namespaces/{self.ns}/configmaps/{self.name}"
        while not self.stop_flag.is_set():
            value = self.last_attempted + 1
            self.last_attempted = value
            try:
                r = s.patch(url, data=json.dumps({"data": {"n": str(value)}}),
                            headers={"Content-Type": "application/merge-patch+json"}, timeout=10)
            except requests.RequestException:
                break
            if r.status_code == 200:
                self.last_acked = value
            else:
                self.unexpected.append(f"{value}: {r.status_code} {r.text[:200]}")
        close_session(s)


def test_kill_9_keeps_every_acknowledged_write(skiff_factory):
    server = skiff_factory("kill9").start()
    api = server.api()
    assert api.post("/api/v1/namespaces", {"metadata": {"name": "stream"}}).status_code == 201
    assert api.post("/api/v1/namespaces/stream/configmaps",
                    {"metadata": {"name": "counter"}, "data": {"n": "0"}}).status_code == 201
    api.close()
    acked: set[str] = set()
    attempted: set[str] = set()
    counter_acked = 0

    for round_ in range(3):
        writers = [Writer(server, "stream", f"r{round_}w{i}") for i in range(4)]
        updater = Updater(server, "stream", "counter")
        updater.last_attempted = updater.last_acked = counter_acked
        for t in writers + [updater]:
            t.start()
        # Let a few hundred writes be acknowledged, then pull the plug in the middle of the stream.
        wait_for(lambda: sum(len(w.acked) for w in writers) >= 200 and updater.last_acked >= counter_acked + 20,
                 timeout=60, what="acknowledged writes")
        server.kill()
        for t in writers + [updater]:
            t.stop_flag.set()
            t.join(timeout=15)
            assert not t.is_alive()
        unexpected = [u for w in writers for u in w.unexpected] + updater.unexpected
        assert not unexpected, unexpected
        acked |= {n for w in writers for n in w.acked}
        attempted |= {n for w in writers for n in w.attempted}

        server.start(port=server.port)
        api = server.api()
        items = api.get("/api/v1/namespaces/stream/configmaps").json()["items"]
        by_name = {i["metadata"]["name"]: i for i in items}
        missing = acked - set(by_name)
        assert not missing, (f"round {round_}: {len(missing)} acknowledged configmaps lost after kill -9: "
                             f"{sorted(missing)[:20]}")
        # Nothing appears that was never sent; each surviving object is whole.
        assert set(by_name) - {"kube-root-ca.crt", "counter"} <= attempted
        for name, obj in by_name.items():
            if name in attempted and not name.startswith("after-crash"):
                assert obj["data"]["n"] == str(int(name.split("-")[1]) + 1), obj
        # The counter holds the last acknowledged update or the one in flight, never less.
        n = int(by_name["counter"]["data"]["n"])
        assert updater.last_acked <= n <= updater.last_attempted, (updater.last_acked, n, updater.last_attempted)
        counter_acked = n
        # The store accepts new writes, with a larger resourceVersion than anything recovered.
        r = api.post("/api/v1/namespaces/stream/configmaps", {"metadata": {"name": f"after-crash-{round_}"}})
        assert r.status_code == 201, r.text
        max_rv = max(int(i["metadata"]["resourceVersion"]) for i in items)
        assert int(r.json()["metadata"]["resourceVersion"]) > max_rv
        attempted.add(f"after-crash-{round_}")
        acked.add(f"after-crash-{round_}")
        api.close()


def test_kill_9_then_clean_restart(skiff_factory):
    """After a crash and recovery, a second clean restart still finds everything."""
    server = skiff_factory("crash-restart").start()
    api = server.api()
    stored = seed(api, "twice")
    api.close()
    server.kill()
    server.start(port=server.port)
    api = server.api()
    assert_all_present(api, stored)
    api.close()
    server.restart()
    api = server.api()
    assert_all_present(api, stored)
    api.close()


def read_pki(server):
    cfg = yaml.safe_load(server.kubeconfig.read_text())
    tls = server.data_dir / "tls"
    return {
        "kubeconfig-ca": cfg["clusters"][0]["cluster"]["certificate-authority-data"],
        "kubeconfig-client-cert": cfg["users"][0]["user"]["client-certificate-data"],
        "ca.crt": (tls / "ca.crt").read_bytes(),
        "ca.key": (tls / "ca.key").read_bytes(),
        "serving.crt": (tls / "serving.crt").read_bytes(),
    }


def test_certificates_reused_across_restarts(skiff_factory, tmp_path):
    server = skiff_factory("pki").start()
    first = read_pki(server)
    # Keep copies of the first run's kubeconfig and PEM files: they must keep working after restarts.
    old = tmp_path / "old"
    old.mkdir()
    (old / "kubeconfig.yaml").write_text(server.kubeconfig.read_text())
    for f in ("ca.crt", "client.crt", "client.key"):
        (old / f).write_bytes((server.ca_file.parent / f).read_bytes())
    api = server.api()
    assert api.post("/api/v1/namespaces", {"metadata": {"name": "pki"}}).status_code == 201
    api.close()

    def old_credentials_work():
        s = requests.Session()
        s.trust_env = False
        try:
            r = s.get(f"{server.url}/api/v1/namespaces/pki", cert=(str(old / "client.crt"), str(old / "client.key")),
                      verify=str(old / "ca.crt"), timeout=10)
            assert r.status_code == 200, r.text
        finally:
            close_session(s)

    server.restart()
    assert read_pki(server) == first, "the CA, serving certificate or admin credentials changed across a restart"
    old_credentials_work()

    server.kill()
    server.start(port=server.port)
    assert read_pki(server) == first, "the CA, serving certificate or admin credentials changed after kill -9"
    old_credentials_work()
    kubectl = server.kubectl_runner(tmp_path / "kc", kubeconfig=old / "kubeconfig.yaml")
    assert kubectl("get", "ns", "pki", "-o", "name").stdout.strip() == "namespace/pki"


def test_memory_datastore_serves_and_forgets(skiff_factory):
    server = skiff_factory("memory", datastore="memory").start()
    api = server.api()
    assert api.post("/api/v1/namespaces/default/configmaps", {"metadata": {"name": "m"}}).status_code == 201
    assert api.get("/api/v1/namespaces/default/configmaps/m").status_code == 200
    api.close()
    server.restart()
    api = server.api()
    assert api.get("/api/v1/namespaces/default/configmaps/m").status_code == 404
    assert api.get("/api/v1/namespaces/default").status_code == 200
    api.close()
