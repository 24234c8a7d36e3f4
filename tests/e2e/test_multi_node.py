"""Many machines: etcd, two `skiff server`s sharing it and two `skiff agent`s, each in a network namespace of its
own on a test bridge (issue 8).

Network safety: every process runs inside a namespace this module creates (`skiff-mn-<pid>-*`); the namespaces
are wired only to one another through a bridge in a namespace of their own (`172.31.250.0/24`), with no route
out. Images come from a file (the offline busybox test image). Only processes this module started are stopped,
by PID. Needs root, runc, the CNI plugins and etcd; without them the test fails (CI installs them).
"""
import contextlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, kubectl_binary, unique, wait_for
from test_real_pods import IMAGE, busybox, cleanup_runtime, run

LAN = "172.31.250"
PREFIX = f"skiff-mn-{os.getpid()}"


class Machine:
    """A network namespace with `eth0` on the test bridge at `LAN.<index>`."""

    def __init__(self, name: str, index: int, lan: str):
        self.name = f"{PREFIX}-{name}"
        self.ip = f"{LAN}.{index}"
        self.wrapper = ("nsenter", f"--net=/var/run/netns/{self.name}", "--")
        run("ip", "netns", "add", self.name)
        run("ip", "-n", self.name, "link", "set", "lo", "up")
        port = f"v-{name}"
        run("ip", "-n", lan, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", self.name)
        run("ip", "-n", lan, "link", "set", port, "master", "lan0", "up")
        run("ip", "-n", self.name, "addr", "add", f"{self.ip}/24", "dev", "eth0")
        run("ip", "-n", self.name, "link", "set", "eth0", "up")

    def delete(self) -> None:
        run("ip", "netns", "delete", self.name, check=False)


class Processes:
    """Processes this test started, each with its log; stopped by PID."""

    def __init__(self, root: Path):
        self.root = root
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log_path = self.root / f"{name}-{int(time.time() * 1000)}.log"
        self.logs[name] = log_path
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.procs[name] = proc
        return proc

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.kill()
        proc.wait(timeout=20)

    def stop(self, name: str, timeout: float = 20) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def log(self, name: str) -> str:
        path = self.logs.get(name)
        return path.read_text(errors="replace")[-3000:] if path and path.exists() else ""

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)


@contextlib.contextmanager
def cluster_network():
    """The bridge's namespace (with `LAN.1` for kubectl), removed afterwards with every machine."""
    if os.getuid() != 0:
        pytest.fail("multi-node tests need root (CI runs them as root)", pytrace=False)
    for tool in ("runc", "nsenter", "curl", "etcd"):
        if shutil.which(tool) is None:
            pytest.fail(f"multi-node tests need {tool} (CI installs it)", pytrace=False)
    lan = f"{PREFIX}-lan"
    run("ip", "netns", "add", lan)
    machines: list[Machine] = []
    try:
        run("ip", "-n", lan, "link", "set", "lo", "up")
        run("ip", "-n", lan, "link", "add", "lan0", "type", "bridge")
        run("ip", "-n", lan, "addr", "add", f"{LAN}.1/24", "dev", "lan0")
        run("ip", "-n", lan, "link", "set", "lan0", "up")

        def machine(name: str, index: int) -> Machine:
            m = Machine(name, index, lan)
            machines.append(m)
            return m
        yield lan, machine
    finally:
        for m in machines:
            m.delete()
        run("ip", "netns", "delete", lan, check=False)


class Cluster:
    def __init__(self, tmp: Path, lan: str, machine, binary: Path):
        self.tmp = tmp
        self.lan_wrapper = ("nsenter", f"--net=/var/run/netns/{lan}", "--")
        self.binary = str(binary)
        self.procs = Processes(tmp)
        self.etcd = machine("etcd", 10)
        self.servers = {"s1": machine("s1", 11), "s2": machine("s2", 12)}
        self.agents = {"node-a": machine("a", 21), "node-b": machine("b", 22)}
        self.token = "multi-node-test-token-" + os.urandom(8).hex()

    # -- etcd ----------------------------------------------------------------------------

    def start_etcd(self) -> None:
        url = f"http://{self.etcd.ip}:2379"
        self.procs.start("etcd", [*self.etcd.wrapper, "etcd", "--name", "default", "--data-dir", str(self.tmp / "etcd"),
                                  "--listen-client-urls", url, "--advertise-client-urls", url,
                                  "--listen-peer-urls", "http://127.0.0.1:2380",
                                  "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                                  "--initial-cluster", "default=http://127.0.0.1:2380"])

        def healthy():
            out = run(*self.lan_wrapper, "curl", "-s", "--max-time", "1", f"{url}/health", check=False).stdout
            return '"health":"true"' in out
        wait_for(healthy, timeout=30, interval=0.2, what=f"etcd healthy\n{self.procs.log('etcd')}")

    # -- servers -------------------------------------------------------------------------

    def server_dir(self, name: str) -> Path:
        return self.tmp / name

    def start_server(self, name: str, token: str | None = None) -> None:
        machine = self.servers[name]
        data = self.server_dir(name)
        data.mkdir(exist_ok=True)
        (data / "kubeconfig.yaml").unlink(missing_ok=True)
        command = [*machine.wrapper, self.binary, "server", "--data-dir", str(data),
                   "--datastore-endpoint", f"etcd://{self.etcd.ip}:2379", "--bind-address", machine.ip,
                   "--https-listen-port", "6443", "--disable-agent", "--node-monitor-grace-period", "8",
                   "--log-level", "info"]
        if token:
            command += ["--token", token]
        self.procs.start(name, command)
        wait_for(lambda: (data / "kubeconfig.yaml").exists()
                 and self.kubectl(name, "get", "--raw", "/readyz", check=False).returncode == 0,
                 timeout=60, interval=0.3, what=f"server {name} ready\n{self.procs.log(name)}")

    def identity(self, name: str) -> str:
        server_id = (self.server_dir(name) / "server-id").read_text().strip()
        return f"{os.uname().nodename}_{server_id}"

    def kubectl(self, server: str, *args: str, check: bool = True, input: str | None = None,
                kubeconfig: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        env = dict(os.environ, KUBECACHEDIR=str(self.tmp / f"kubectl-cache-{server}"))
        config = kubeconfig or self.server_dir(server) / "kubeconfig.yaml"
        proc = subprocess.run([*self.lan_wrapper, kubectl_binary(None), "--kubeconfig", str(config),
                               "--request-timeout=10s", *args],
                              capture_output=True, text=True, input=input, timeout=timeout, env=env)
        if check and proc.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} via {server} failed: {proc.stderr}{proc.stdout}")
        return proc

    def json(self, server: str, *args: str) -> dict:
        return json.loads(self.kubectl(server, *args, "-o", "json").stdout)

    # -- agents --------------------------------------------------------------------------

    def agent_dir(self, name: str) -> Path:
        return self.tmp / name

    def start_agent(self, name: str, image: Path, server: str) -> None:
        machine = self.agents[name]
        data = self.agent_dir(name)
        data.mkdir(exist_ok=True)
        run(self.binary, "images", "import", "--data-dir", str(data), str(image))
        self.procs.start(name, [*machine.wrapper, self.binary, "agent", "--server",
                                f"https://{self.servers[server].ip}:6443", "--token", self.token,
                                "--node-name", name, "--node-ip", machine.ip, "--data-dir", str(data),
                                "--log-level", "info"])

    def node_ready(self, server: str, node: str) -> str | None:
        out = self.kubectl(server, "get", "node", node, "-o", "json", check=False)
        if out.returncode != 0:
            return None
        conditions = json.loads(out.stdout)["status"].get("conditions", [])
        return next((c["status"] for c in conditions if c["type"] == "Ready"), None)

    def running_pods(self, server: str, ns: str, selector: str) -> list[dict]:
        pods = self.json(server, "get", "pods", "-n", ns, "-l", selector)["items"]
        return [p for p in pods if p["status"].get("phase") == "Running" and not p["metadata"].get("deletionTimestamp")
                and all(s.get("ready") for s in p["status"].get("containerStatuses", [{}]))]

    def exec(self, server: str, ns: str, pod: str, script: str) -> str:
        return self.kubectl(server, "exec", pod, "-n", ns, "--", "sh", "-c", script).stdout

    def tear_down(self) -> None:
        for name in self.agents:
            self.procs.stop(name)
        self.procs.stop_all()
        for name in self.agents:
            cleanup_runtime(self.agent_dir(name))


@pytest.fixture(scope="module")
def test_image(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("image")
    run(str(REPO / "scripts" / "build-test-image.sh"), str(out), IMAGE)
    return out / "busybox-oci.tar"


def web_deployment(ns: str, replicas: int) -> dict:
    """httpd pods answering their own name on :8080, spread one per node at most one apart, leaving a dead node
    two seconds after it is found unreachable."""
    labels = {"app": "web"}
    tolerations = [{"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 2}
                   for key in ("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready")]
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": ns},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": {
            "metadata": {"labels": labels},
            "spec": {"terminationGracePeriodSeconds": 2, "tolerations": tolerations,
                     "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
                                                    "whenUnsatisfiable": "DoNotSchedule",
                                                    "nodeTaintsPolicy": "Honor",
                                                    "labelSelector": {"matchLabels": labels}}],
                     "containers": [busybox("web", "mkdir -p /www; hostname > /www/index.html; "
                                                   "exec httpd -f -p 8080 -h /www")]}}}}


def test_two_servers_on_etcd_and_two_joined_nodes(tmp_path, test_image, skiff_binary):
    with cluster_network() as (lan, machine):
        cluster = Cluster(tmp_path, lan, machine, skiff_binary)
        try:
            run_scenario(cluster, test_image)
        except BaseException:
            for name in ["etcd", "s1", "s2", "node-a", "node-b"]:
                print(f"----- {name} -----\n{cluster.procs.log(name)}")
            raise
        finally:
            cluster.tear_down()


def run_scenario(cluster: Cluster, image: Path) -> None:
    cluster.start_etcd()
    # The first server creates the cluster (token, CA) and takes both leases; the second joins with the token.
    cluster.start_server("s1", token=cluster.token)
    wait_for(lambda: all(cluster.kubectl("s1", "get", "lease", "-n", "kube-system", lease, "-o",
                                         "jsonpath={.spec.holderIdentity}", check=False).stdout == cluster.identity("s1")
                         for lease in ("kube-scheduler", "kube-controller-manager")),
             timeout=30, interval=0.3, what="s1 holding both leases")
    cluster.start_server("s2", token=cluster.token)
    # A server with another token cannot open the cluster's credentials, and says so.
    wrong = subprocess.run([*cluster.lan_wrapper, cluster.binary, "server", "--data-dir", str(cluster.tmp / "wrong"),
                            "--datastore-endpoint", f"etcd://{cluster.etcd.ip}:2379", "--bind-address", f"{LAN}.1",
                            "--https-listen-port", "6444", "--disable-agent", "--token", "not-the-token"],
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0 and "does not open the cluster credentials" in wrong.stderr + wrong.stdout, wrong

    # Both servers serve the same objects, and s1's kubeconfig works against s2 (one CA, one admin identity).
    ns = unique("multi")
    cluster.kubectl("s1", "create", "namespace", ns)
    cluster.kubectl("s1", "create", "configmap", "from-s1", "-n", ns, "--from-literal=k=v")
    wait_for(lambda: cluster.kubectl("s2", "get", "configmap", "from-s1", "-n", ns, check=False).returncode == 0,
             timeout=10, what="s2 to see s1's write")
    shared = cluster.tmp / "s1-against-s2.yaml"
    shared.write_text((cluster.server_dir("s1") / "kubeconfig.yaml").read_text()
                      .replace(f"https://{cluster.servers['s1'].ip}:6443", f"https://{cluster.servers['s2'].ip}:6443"))
    assert "from-s1" in cluster.kubectl("s2", "get", "configmaps", "-n", ns, kubeconfig=shared).stdout
    endpoints = cluster.json("s2", "get", "endpoints", "kubernetes", "-n", "default")
    wait_for(lambda: sorted(a["ip"] for a in cluster.json("s2", "get", "endpoints", "kubernetes", "-n", "default")
                            ["subsets"][0]["addresses"]) == [cluster.servers["s1"].ip, cluster.servers["s2"].ip],
             timeout=40, interval=1, what=f"both servers behind the kubernetes Service ({endpoints})")

    # Two nodes join through s2 (which stays up); each gets a pod network of its own.
    for name in cluster.agents:
        cluster.start_agent(name, image, server="s2")
    for name in cluster.agents:
        wait_for(lambda: cluster.node_ready("s1", name) == "True", timeout=60, interval=0.5,
                 what=f"{name} Ready\n{cluster.procs.log(name)}")
    cidrs = {name: cluster.json("s1", "get", "node", name)["spec"]["podCIDR"] for name in cluster.agents}
    assert sorted(cidrs.values()) == ["10.42.0.0/24", "10.42.1.0/24"], cidrs

    # A Deployment spreads over both nodes.
    cluster.kubectl("s1", "apply", "-f", "-", input=json.dumps(web_deployment(ns, 4)))
    pods = wait_for(lambda: (lambda ps: ps if len(ps) == 4 else None)(cluster.running_pods("s2", ns, "app=web")),
                    timeout=90, interval=0.5, what="4 web pods Running")
    by_node: dict[str, list[dict]] = {}
    for p in pods:
        by_node.setdefault(p["spec"]["nodeName"], []).append(p)
    assert sorted(by_node) == ["node-a", "node-b"] and all(len(v) == 2 for v in by_node.values()), by_node
    for p in pods:
        assert p["status"]["podIP"].startswith(cidrs[p["spec"]["nodeName"]].rsplit(".", 2)[0] + ".")

    # A pod on node A reaches a pod on node B by its IP, and a Service reaches the pods of both nodes.
    client, target = by_node["node-a"][0]["metadata"]["name"], by_node["node-b"][0]
    fetched = cluster.exec("s2", ns, client, f"timeout -s KILL 5 wget -qO- http://{target['status']['podIP']}:8080/")
    assert fetched.strip() == target["metadata"]["name"]
    cluster.kubectl("s2", "expose", "deployment", "web", "-n", ns, "--port", "80", "--target-port", "8080")
    cluster_ip = cluster.json("s2", "get", "service", "web", "-n", ns)["spec"]["clusterIP"]
    answers = cluster.exec("s2", ns, client, "for i in $(seq 1 40); do timeout -s KILL 3 wget -qO- "
                                             f"http://{cluster_ip}/ || echo failed; done")
    names = set(answers.split())
    assert "failed" not in names, answers
    assert {p["spec"]["nodeName"] for p in pods if p["metadata"]["name"] in names} == {"node-a", "node-b"}, names

    # Pods reach the API servers through the kubernetes Service. (The servers are not nodes: the test's network
    # routes each node's pod network to that node, as a router would.)
    for server in cluster.servers.values():
        for name, machine in cluster.agents.items():
            run("ip", "-n", server.name, "route", "add", cidrs[name], "via", machine.ip)
    reached = cluster.exec("s2", ns, client, "for i in 1 2 3 4 5 6; do echo | timeout -s KILL 5 nc 10.43.0.1 443 "
                                             ">/dev/null; echo rc=$?; done")
    assert reached.split() == ["rc=0"] * 6, reached

    # etcd restarts: a watch through s2 sees every change before and after, once each.
    watch = subprocess.Popen([*cluster.lan_wrapper, kubectl_binary(None), "--kubeconfig",
                              str(cluster.server_dir("s2") / "kubeconfig.yaml"), "get", "configmaps", "-n", ns,
                              "-w", "-o", "name"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, KUBECACHEDIR=str(cluster.tmp / "kubectl-cache-watch")))
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(line.strip() for line in watch.stdout), daemon=True)
    reader.start()
    try:
        cluster.kubectl("s2", "create", "configmap", "before-restart", "-n", ns)
        wait_for(lambda: any("before-restart" in line for line in seen), timeout=10, what="the watch's first event")
        cluster.procs.stop("etcd")
        cluster.start_etcd()
        restarted = time.monotonic()
        wait_for(lambda: cluster.kubectl("s2", "create", "configmap", "after-restart", "-n", ns,
                                         check=False).returncode == 0, timeout=30, interval=0.2,
                 what="a write after the etcd restart")
        wait_for(lambda: any("after-restart" in line for line in seen), timeout=10,
                 what=f"the watch to resume after the etcd restart: {seen}")
        print(f"watch resumed {time.monotonic() - restarted:.2f}s after etcd answered again")
    finally:
        watch.terminate()
        watch.wait(timeout=10)
    # (`-o name` prints one line per event, without its type.)
    for name in ("from-s1", "before-restart", "after-restart"):
        assert seen.count(f"configmap/{name}") == 1, seen

    # The leading server dies: the other takes both leases within 15 s, and no acknowledged write is lost.
    acknowledged: list[str] = []
    stop_writing = threading.Event()

    def writer():
        i = 0
        while not stop_writing.is_set():
            name = f"w-{i}"
            if cluster.kubectl("s2", "create", "configmap", name, "-n", ns, check=False).returncode == 0:
                acknowledged.append(name)
            i += 1
    writing = threading.Thread(target=writer, daemon=True)
    writing.start()
    time.sleep(1)
    cluster.kubectl("s1", "create", "configmap", "last-through-s1", "-n", ns)
    killed = time.monotonic()
    cluster.procs.kill("s1")
    wait_for(lambda: all(cluster.kubectl("s2", "get", "lease", "-n", "kube-system", lease, "-o",
                                         "jsonpath={.spec.holderIdentity}", check=False).stdout == cluster.identity("s2")
                         for lease in ("kube-scheduler", "kube-controller-manager")),
             timeout=30, interval=0.2, what="s2 to take over both leases")
    takeover = time.monotonic() - killed
    print(f"s2 took both leases {takeover:.1f}s after s1 was killed")
    time.sleep(1)
    stop_writing.set()
    writing.join(timeout=30)
    assert takeover < 15, f"takeover took {takeover:.1f}s"
    stored = set(cluster.kubectl("s2", "get", "configmaps", "-n", ns, "-o", "name").stdout.split())
    missing = [n for n in acknowledged + ["last-through-s1", "from-s1"] if f"configmap/{n}" not in stored]
    assert not missing and len(acknowledged) > 3, (missing, len(acknowledged))
    # The new leader's controllers and scheduler work: one more replica comes up.
    cluster.kubectl("s2", "scale", "deployment", "web", "-n", ns, "--replicas", "5")
    wait_for(lambda: len(cluster.running_pods("s2", ns, "app=web")) == 5, timeout=60, interval=0.5,
             what="a fifth web pod Running after the takeover")

    # A node dies: it goes NotReady and its pods are replaced on the other node.
    cluster.procs.kill("node-a")
    wait_for(lambda: cluster.node_ready("s2", "node-a") == "Unknown", timeout=40, interval=0.5,
             what="node-a NotReady (Unknown)")

    def all_on_b():
        running = cluster.running_pods("s2", ns, "app=web")
        return running if len(running) == 5 and {p["spec"]["nodeName"] for p in running} == {"node-b"} else None
    wait_for(all_on_b, timeout=90, interval=0.5, what="the web pods replaced on node-b")
