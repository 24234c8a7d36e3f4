"""Real pods: a `skiff server` with its embedded node agent runs containers (runc) with CNI networking.

Network safety: the server, its agent, every pod and kubectl run inside a network namespace of this module's
own (`skiff-test-agent-<pid>`, only `lo` up, no route out); it is deleted at the end. The image is the offline
busybox test image (scripts/build-test-image.sh), imported from a file. Needs root, runc and the CNI plugins;
without them the tests fail (CI runs them as root), they do not skip.
"""
import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, SkiffServer, unique, wait_for

IMAGE = "skiff.test/busybox:1.0"


def run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr}{proc.stdout}")
    return proc


@contextlib.contextmanager
def network_namespace(suffix: str = ""):
    """A network namespace of our own with only `lo` up (no route out): a node's network. Deleted after."""
    if os.getuid() != 0:
        pytest.fail("real-pod tests need root (CI runs them as root)", pytrace=False)
    for tool in ("runc", "nsenter", "curl"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            pytest.fail(f"real-pod tests need {tool}", pytrace=False)
    name = f"skiff-test-agent-{os.getpid()}{suffix}"
    run("ip", "netns", "add", name)
    try:
        run("ip", "-n", name, "link", "set", "lo", "up")
        yield name
    finally:
        run("ip", "netns", "delete", name, check=False)


@pytest.fixture(scope="module")
def node_netns():
    with network_namespace() as name:
        yield name


@pytest.fixture(scope="module")
def test_image(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("image")
    run(str(REPO / "scripts" / "build-test-image.sh"), str(out), IMAGE)
    return out / "busybox-oci.tar"


@contextlib.contextmanager
def running_node(root: Path, netns: str, image: Path, extra_args: tuple[str, ...] = ()):
    """A server with its embedded agent in `netns`, `image` imported into its store; at the end every pod is
    deleted, the server stopped and whatever containers and mounts remain removed."""
    server = SkiffServer(root, netns=netns, extra_args=extra_args)
    run(str(server.binary), "images", "import", "--data-dir", str(server.data_dir), str(image))
    server.start()
    try:
        yield server
    finally:
        if server.running:
            kc = server.kubectl_runner(server.root / "kubectl-cache")
            kc("delete", "pods", "--all", "--all-namespaces", "--wait=true", "--timeout=60s", check=False, timeout=90)
            server.stop(timeout=20, strict=False)
        cleanup_runtime(server.data_dir)


@pytest.fixture(scope="module")
def node(tmp_path_factory, node_netns, test_image, skiff_binary):
    with running_node(tmp_path_factory.mktemp("real-pods"), node_netns, test_image) as server:
        yield server


def cleanup_runtime(data_dir: Path) -> None:
    """Whatever a failed test left below `data_dir`: containers (our runtime root only), then overlay and
    network-namespace mounts."""
    root = data_dir / "agent" / "run" / "runtime"
    if root.exists():
        listed = run("runc", "--root", str(root), "list", "--format", "json", check=False).stdout.strip()
        for container in json.loads(listed or "null") or []:
            run("runc", "--root", str(root), "delete", "--force", container["id"], check=False)
    prefix = str(data_dir.resolve()) + "/"
    for line in Path("/proc/self/mounts").read_text().splitlines():
        target = line.split(" ")[1]
        if target.startswith(prefix):
            run("umount", "-l", target, check=False)


@pytest.fixture(scope="module")
def kc(node):
    return node.kubectl_runner(node.root / "kubectl-cache")


@pytest.fixture
def ns(kc):
    name = unique("pods")
    kc("create", "namespace", name)
    yield name
    kc("delete", "pods", "--all", "-n", name, "--wait=true", "--timeout=60s", check=False, timeout=90)


def pod(kc, name: str, ns: str) -> dict:
    return json.loads(kc("get", "pod", name, "-n", ns, "-o", "json").stdout)


def container_status(p: dict, name: str) -> dict:
    return next(s for s in p["status"].get("containerStatuses", []) if s["name"] == name)


def apply(kc, manifest: dict) -> None:
    kc("apply", "-f", "-", input=json.dumps(manifest))


def busybox(name: str, script: str, **extra) -> dict:
    return {"name": name, "image": IMAGE, "imagePullPolicy": "IfNotPresent", "command": ["sh", "-c", script], **extra}


def pod_manifest(name: str, ns: str, containers: list[dict], **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"terminationGracePeriodSeconds": 2, "containers": containers, **spec}}


def wait_running(kc, name: str, ns: str, timeout: float = 60) -> dict:
    def running():
        p = pod(kc, name, ns)
        statuses = p["status"].get("containerStatuses", [])
        if p["status"].get("phase") == "Running" and statuses and all(s.get("ready") for s in statuses):
            return p
        return None
    return wait_for(running, timeout=timeout, interval=0.5, what=f"pod {ns}/{name} Running and ready")


def in_node(node: SkiffServer, *cmd: str) -> subprocess.CompletedProcess:
    return run(*node.wrapper, *cmd, check=False)


def web_pod(name: str, ns: str) -> dict:
    """Two containers: `server` serves the shared emptyDir on :8080; `client` fetches it over localhost into
    the emptyDir every second (so /fetched on the server proves localhost, the shared volume and the pod IP)."""
    return pod_manifest(name, ns, [
        busybox("server", "echo hello-from-server > /shared/index.html; exec httpd -f -p 8080 -h /shared",
                volumeMounts=[{"name": "shared", "mountPath": "/shared"}]),
        busybox("client", "while true; do wget -qO /shared/fetched.tmp http://127.0.0.1:8080/index.html "
                          "&& mv /shared/fetched.tmp /shared/fetched; sleep 1; done",
                volumeMounts=[{"name": "shared", "mountPath": "/shared"}]),
    ], volumes=[{"name": "shared", "emptyDir": {}}])


def test_node_registers_with_real_capacity(kc):
    nodes = json.loads(kc("get", "nodes", "-o", "json").stdout)["items"]
    assert len(nodes) == 1
    node = nodes[0]
    status = node["status"]
    assert next(c for c in status["conditions"] if c["type"] == "Ready")["status"] == "True"
    assert int(status["capacity"]["cpu"]) == os.cpu_count()
    assert status["capacity"]["pods"] == "110"
    assert status["daemonEndpoints"]["kubeletEndpoint"]["Port"] == 10250
    assert status["nodeInfo"]["kernelVersion"] == os.uname().release
    assert status["nodeInfo"]["containerRuntimeVersion"].startswith(("runc://", "crun://"))
    assert {a["type"] for a in status["addresses"]} == {"InternalIP", "Hostname"}
    assert node["spec"]["podCIDR"] == "10.42.0.0/24"
    lease = json.loads(kc("get", "lease", node["metadata"]["name"], "-n", "kube-node-lease", "-o", "json").stdout)
    assert lease["spec"]["holderIdentity"] == node["metadata"]["name"]


def test_two_containers_share_ip_localhost_and_emptydir(node, kc, ns):
    apply(kc, web_pod("web", ns))
    p = wait_running(kc, "web", ns)
    ip = p["status"]["podIP"]
    assert re.fullmatch(r"10\.42\.0\.\d+", ip), ip
    wide = kc("get", "pod", "web", "-n", ns, "-o", "wide").stdout
    header, row = wide.splitlines()[:2]
    assert "IP" in header and ip in row and p["spec"]["nodeName"] in row and "2/2" in row and "Running" in row
    for name in ("server", "client"):
        s = container_status(p, name)
        assert s["state"].get("running") and s["restartCount"] == 0
        assert re.fullmatch(r"(runc|crun)://[0-9a-f]{64}", s["containerID"])

    def fetched():
        out = in_node(node, "curl", "-s", "--max-time", "2", f"http://{ip}:8080/fetched").stdout
        return out if "hello-from-server" in out else None
    wait_for(fetched, timeout=30, interval=0.5, what="the client's fetch over localhost in the shared emptyDir")


def test_delete_finishes_and_recreate_gets_new_ip(node, kc, ns):
    apply(kc, web_pod("again", ns))
    first = wait_running(kc, "again", ns)["status"]["podIP"]
    started = time.monotonic()
    kc("delete", "pod", "again", "-n", ns, "--wait=true", "--timeout=60s", timeout=90)
    assert time.monotonic() - started < 30
    assert kc("get", "pod", "again", "-n", ns, check=False).returncode != 0
    apply(kc, web_pod("again", ns))
    second = wait_running(kc, "again", ns)["status"]["podIP"]
    assert second != first


def test_crash_loop_back_off_grows_with_exit_code(kc, ns):
    apply(kc, pod_manifest("crash", ns, [busybox("main", "echo crashing; exit 3")]))
    seen: set[str] = set()

    def backed_off_twice():
        s = container_status(pod(kc, "crash", ns), "main")
        waiting = s["state"].get("waiting") or {}
        if waiting.get("reason") == "CrashLoopBackOff":
            seen.update(re.findall(r"back-off (\d+s)", waiting.get("message", "")))
            assert s["lastState"]["terminated"]["exitCode"] == 3
            assert s["lastState"]["terminated"]["reason"] == "Error"
        return s if {"10s", "20s"} <= seen else None
    s = wait_for(backed_off_twice, timeout=90, interval=0.5, what="CrashLoopBackOff with back-off 10s then 20s")
    assert s["restartCount"] >= 2
    kubectl_row = kc("get", "pod", "crash", "-n", ns).stdout.splitlines()[1]
    assert "CrashLoopBackOff" in kubectl_row


def test_over_limit_container_is_oom_killed(kc, ns):
    apply(kc, pod_manifest("oom", ns, [busybox("main", "x=a; while true; do x=$x$x; done",
                                                resources={"limits": {"memory": "16Mi"}})], restartPolicy="Never"))

    def terminated():
        s = container_status(pod(kc, "oom", ns), "main")
        return s["state"].get("terminated")
    t = wait_for(terminated, timeout=60, interval=0.5, what="the container to be OOM-killed")
    assert t["reason"] == "OOMKilled" and t["exitCode"] == 137
    assert pod(kc, "oom", ns)["status"]["phase"] == "Failed"


def test_killed_agent_adopts_running_containers(node, kc, ns):
    """kill -9 of the server (and its agent): the restarted agent adopts the containers (same IDs, no
    restart), and their output keeps reaching the log (the log shims outlive the agent)."""
    manifest = web_pod("adopted", ns)
    manifest["spec"]["containers"].append(
        busybox("talker", "i=0; while true; echo tick $i; do i=$((i+1)); sleep 0.3; done"))
    apply(kc, manifest)
    before = wait_running(kc, "adopted", ns)
    ids = {s["name"]: (s["containerID"], s["restartCount"]) for s in before["status"]["containerStatuses"]}
    uid = before["metadata"]["uid"]
    log = node.data_dir / "agent" / "logs" / f"{ns}_adopted_{uid}" / "talker" / "0.log"
    wait_for(lambda: log.exists() and "tick 1" in log.read_text(), timeout=20, what="the talker's log")
    port = node.port
    node.kill()  # kill -9 the server and its embedded agent; the containers keep running
    lines_at_kill = len(log.read_text().splitlines())
    node.start(port=port)

    def adopted():
        p = pod(kc, "adopted", ns)
        now = {s["name"]: (s["containerID"], s["restartCount"]) for s in p["status"]["containerStatuses"]}
        return p if "reconciled at start: adopted" in node.log_since(0) and now == ids else None
    wait_for(adopted, timeout=60, interval=0.5, what="the restarted agent to adopt the pod's containers")
    time.sleep(3)  # nothing restarts afterwards either, and the talker keeps talking
    p = wait_running(kc, "adopted", ns)
    assert {s["name"]: (s["containerID"], s["restartCount"]) for s in p["status"]["containerStatuses"]} == ids
    assert p["status"]["podIP"] == before["status"]["podIP"]
    assert len(log.read_text().splitlines()) > lines_at_kill + 5
    kc("delete", "pod", "adopted", "-n", ns, "--wait=true", "--timeout=60s", timeout=90)


def test_server_as_non_root_says_to_pass_disable_agent(tmp_path, skiff_binary):
    """Without root the embedded agent cannot run: the server refuses to start and says what to do."""
    if os.getuid() != 0:
        pytest.fail("this test drops root itself and needs to start as root", pytrace=False)
    data = tmp_path / "data"
    data.mkdir(mode=0o777)
    binary = tmp_path / "skiff"
    shutil.copy(skiff_binary, binary)
    binary.chmod(0o755)
    tmp_path.chmod(0o755)
    proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", str(binary), "server",
                           "--data-dir", str(data), "--https-listen-port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "must run as root" in proc.stderr and "--disable-agent" in proc.stderr, proc.stderr


def test_agent_joins_a_server_with_the_cluster_token(tmp_path, test_image, skiff_binary):
    """`skiff agent --server URL --token T` registers a node of its own and runs a pod (server without an
    embedded agent and the agent in a namespace of this test's own); killed, then restarted after its pod
    was force-deleted, it removes the pod's containers, namespace, IP lease, mounts and directories."""
    with network_namespace("-join") as netns:
        join_and_run_a_pod(tmp_path, netns, test_image)


def join_and_run_a_pod(tmp_path: Path, netns: str, test_image: Path) -> None:
    server = SkiffServer(tmp_path / "server", netns=netns, extra_args=("--disable-agent",))
    server.start()
    agent_data = tmp_path / "agent"
    run(str(server.binary), "images", "import", "--data-dir", str(agent_data), str(test_image))
    token = (server.data_dir / "token").read_text().strip()
    assert oct((server.data_dir / "token").stat().st_mode & 0o777) == "0o600"
    # No CA file and no pod network: the agent checks the server's CA with the token and the server assigns
    # the network (the server runs no agent, so the joined node is the first one).
    command = [*server.wrapper, str(server.binary), "agent", "--server", server.url, "--token", token,
               "--data-dir", str(agent_data), "--node-name", "joined"]
    wrong = subprocess.run([*command[:command.index("--token") + 1], "not-the-token", *command[command.index("--token") + 2:]],
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0
    assert "does not prove that it knows the token" in wrong.stderr + wrong.stdout
    logs = [open(tmp_path / f"agent-{i}.log", "wb") for i in range(2)]
    agent = subprocess.Popen(command, stdout=logs[0], stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    kc = server.kubectl_runner(tmp_path / "kubectl-cache")
    try:
        def joined():
            out = kc("get", "node", "joined", "-o", "json", check=False)
            node = json.loads(out.stdout) if out.returncode == 0 else None
            return node if node and node["spec"].get("podCIDR") else None
        node = wait_for(joined, timeout=30, interval=0.5, what="the agent's node with its pod network")
        assert node["spec"]["podCIDR"] == "10.42.0.0/24"
        ns = unique("joined")
        kc("create", "namespace", ns)
        apply(kc, pod_manifest("solo", ns, [busybox("main", "exec sleep 3600")], nodeName="joined"))
        p = wait_running(kc, "solo", ns)
        assert p["status"]["podIP"].startswith("10.42.0.")
        # The joined node serves kubectl logs and exec with the credentials the server issued it.
        assert kc("exec", "solo", "-n", ns, "--", "sh", "-c", "echo joined-exec").stdout.strip() == "joined-exec"
        uid = p["metadata"]["uid"]

        # Crash safety: the agent dies, the pod is force-deleted meanwhile; the next agent removes what is left.
        agent.kill()
        agent.wait(timeout=20)
        kc("delete", "pod", "solo", "-n", ns, "--force", "--grace-period=0")
        runtime_root = agent_data / "agent" / "run" / "runtime"
        assert run("runc", "--root", str(runtime_root), "list", "-q").stdout.split()
        agent = subprocess.Popen(command, stdout=logs[1], stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def cleaned():
            return (not run("runc", "--root", str(runtime_root), "list", "-q").stdout.split()
                    and not list((agent_data / "agent" / "run" / "netns").iterdir())
                    and not [f for f in (agent_data / "agent" / "cni" / "networks" / "skiff").iterdir()
                             if f.name.startswith("10.")]
                    and not (agent_data / "agent" / "pods" / uid).exists()
                    and not list((agent_data / "agent" / "containers").iterdir())
                    and str(agent_data.resolve()) + "/" not in Path("/proc/self/mounts").read_text())
        wait_for(cleaned, timeout=30, interval=0.5, what="the restarted agent to remove the deleted pod's leftovers")
    finally:
        agent.terminate()
        try:
            agent.wait(timeout=20)
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait(timeout=20)
        for log in logs:
            log.close()
        server.stop(timeout=20, strict=False)
        cleanup_runtime(agent_data)


@pytest.fixture
def registry(node, tmp_path, test_image):
    """scripts/registry-fixture.py inside the node's namespace (127.0.0.1 there), with Basic auth u:p, holding
    the test image as team/app:1.0. Yields its host:port."""
    port_file, log = tmp_path / "registry.port", tmp_path / "registry.log"
    script = str(REPO / "scripts" / "registry-fixture.py")
    proc = subprocess.Popen([*node.wrapper, "python3", script, "serve", "--port-file", str(port_file),
                             "--log", str(log), "--auth", "basic", "--user", "u", "--password", "p"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: port_file.exists() and port_file.read_text().strip(), timeout=20, what="the registry's port")
        host = f"127.0.0.1:{port_file.read_text().strip()}"
        run(*node.wrapper, "python3", script, "push", str(test_image), host, "team/app", "1.0")
        yield host
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_image_pull_with_pull_secret(kc, ns, registry):
    auth = base64.b64encode(b"u:p").decode()
    config = json.dumps({"auths": {registry: {"auth": auth}}})
    kc("create", "secret", "generic", "regcred", "-n", ns, "--type=kubernetes.io/dockerconfigjson",
       f"--from-literal=.dockerconfigjson={config}")
    image = f"{registry}/team/app:1.0"
    apply(kc, pod_manifest("pulled", ns, [{"name": "main", "image": image, "imagePullPolicy": "Always",
                                           "command": ["sleep", "3600"]}],
                           imagePullSecrets=[{"name": "regcred"}]))
    wait_running(kc, "pulled", ns)
    events = kc("get", "events", "-n", ns, "--field-selector", "involvedObject.name=pulled").stdout
    assert "Pulling" in events and "Successfully pulled image" in events

    apply(kc, pod_manifest("denied", ns, [{"name": "main", "image": image, "imagePullPolicy": "Always",
                                           "command": ["sleep", "3600"]}]))

    def backing_off():
        waiting = container_status(pod(kc, "denied", ns), "main")["state"].get("waiting") or {}
        return waiting if waiting.get("reason") in ("ErrImagePull", "ImagePullBackOff") else None
    wait_for(backing_off, timeout=30, interval=0.5, what="ErrImagePull without credentials")


def test_host_network_pod_uses_the_nodes_address(node, kc, ns):
    """hostNetwork: no pod network; the pod's IP is the node's and its port is open in the node's namespace
    (here: the test's namespace)."""
    apply(kc, pod_manifest("hostnet", ns, [busybox("main", "echo on-the-node > /tmp/index.html; "
                                                           "exec httpd -f -p 18080 -h /tmp")], hostNetwork=True))
    p = wait_running(kc, "hostnet", ns)
    node_ip = next(a["address"] for a in json.loads(kc("get", "nodes", "-o", "json").stdout)["items"][0]["status"]["addresses"]
                   if a["type"] == "InternalIP")
    assert p["status"]["podIP"] == node_ip

    def served():
        return "on-the-node" in in_node(node, "curl", "-s", "--max-time", "2", "http://127.0.0.1:18080/").stdout
    wait_for(served, timeout=20, interval=0.5, what="the hostNetwork pod's port in the node's namespace")
    assert container_status(p, "main")["imageID"].startswith("skiff.test/busybox@sha256:")
    # port-forward to a hostNetwork pod connects to the node's loopback.
    forward = kc.popen("port-forward", "pod/hostnet", "-n", ns, ":18080")
    try:
        local = forwarded_port(forward)
        fetched = in_node(node, "curl", "-sS", "--max-time", "10", f"http://127.0.0.1:{local}/index.html")
        assert fetched.stdout.strip() == "on-the-node", fetched
    finally:
        stop(forward)


def test_dead_sandbox_is_recreated_and_containers_restart(node, kc, ns):
    """The pause process dies: the pod gets a new sandbox (a new IP) and its container restarts in it."""
    apply(kc, pod_manifest("phoenix", ns, [busybox("main", "exec sleep 3600")]))
    before = wait_running(kc, "phoenix", ns)
    uid = before["metadata"]["uid"]
    bundles = node.data_dir / "agent" / "run" / "bundles"
    pause_pid = None
    for bundle in bundles.iterdir():
        labels = json.loads((bundle / "skiff-container.json").read_text())
        if labels["podUID"] == uid and labels["kind"] == "sandbox":
            pause_pid = int((bundle / "init.pid").read_text())
    assert pause_pid
    os.kill(pause_pid, 9)

    def restarted():
        p = pod(kc, "phoenix", ns)
        s = container_status(p, "main")
        ready = p["status"].get("phase") == "Running" and s.get("ready")
        return p if ready and s["restartCount"] >= 1 and p["status"]["podIP"] != before["status"]["podIP"] else None
    wait_for(restarted, timeout=60, interval=0.5, what="a new sandbox and the container restarted in it")


def test_exec_probes_gate_readiness_and_restart_on_liveness_failure(kc, ns):
    """Exec probes run in the container (runc exec): readiness follows a file, a failing liveness probe
    restarts the container."""
    probe = lambda path, **extra: {"exec": {"command": ["cat", path]}, "periodSeconds": 1, **extra}  # noqa: E731
    apply(kc, pod_manifest("probed", ns, [
        busybox("ready-later", "sleep 3; touch /tmp/ready; exec sleep 3600", readinessProbe=probe("/tmp/ready")),
        busybox("unhealthy", "exec sleep 3600", livenessProbe=probe("/tmp/never", failureThreshold=2)),
    ]))
    first = pod(kc, "probed", ns)
    wait_for(lambda: container_status(pod(kc, "probed", ns), "ready-later").get("ready"), timeout=30, interval=0.5,
             what="readiness after the file appears")
    statuses = first["status"].get("containerStatuses") or []
    assert not any(s["name"] == "ready-later" and s.get("ready") for s in statuses)
    wait_for(lambda: container_status(pod(kc, "probed", ns), "unhealthy")["restartCount"] >= 1, timeout=30,
             interval=0.5, what="a restart after the liveness probe failed")
    events = kc("get", "events", "-n", ns, "--field-selector", "involvedObject.name=probed").stdout
    assert "Unhealthy" in events and "failed liveness probe, will be restarted" in events


def test_http_and_tcp_probes_reach_the_pod(kc, ns):
    """httpGet and tcpSocket probes connect from the node to the pod IP: readiness follows a file served by
    httpd (404 once it is gone), a tcpSocket liveness probe on the same port keeps the container alive."""
    apply(kc, pod_manifest("web-probed", ns, [
        busybox("web", "mkdir -p /www; echo ok > /www/ready; exec httpd -f -p 8080 -h /www",
                ports=[{"name": "http", "containerPort": 8080}],
                readinessProbe={"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 1},
                livenessProbe={"tcpSocket": {"port": 8080}, "periodSeconds": 1}),
    ]))
    wait_running(kc, "web-probed", ns)
    kc("exec", "web-probed", "-n", ns, "--", "sh", "-c", "rm /www/ready")  # (the image links few applets; sh runs all)
    wait_for(lambda: not container_status(pod(kc, "web-probed", ns), "web").get("ready"), timeout=20, interval=0.5,
             what="not ready once /ready answers 404")
    events = kc("get", "events", "-n", ns, "--field-selector", "involvedObject.name=web-probed").stdout
    assert "Readiness probe failed: HTTP probe failed with statuscode: 404" in events, events
    assert container_status(pod(kc, "web-probed", ns), "web")["restartCount"] == 0


def test_logs_follow_tail_previous_and_containers(kc, ns):
    apply(kc, pod_manifest("talker", ns, [
        busybox("counter", "i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.2; done"),
        busybox("crasher", "echo run-$(cat /proc/uptime); sleep 1; exit 1"),
    ]))
    wait_for(lambda: container_status(pod(kc, "talker", ns), "crasher")["restartCount"] >= 1, timeout=60,
             interval=0.5, what="the crasher restarted once")
    # kubectl picks the first container itself and says so.
    defaulted = kc("logs", "talker", "-n", ns, "--tail=1")
    assert 'Defaulted container "counter" out of: counter, crasher' in defaulted.stderr, defaulted

    tail = kc("logs", "talker", "-c", "counter", "-n", ns, "--tail=2").lines()
    assert len(tail) == 2 and all(re.fullmatch(r"line-\d+", line) for line in tail), tail
    stamped = kc("logs", "talker", "-c", "counter", "-n", ns, "--tail=1", "--timestamps").lines()
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line-\d+$", stamped[0]), stamped

    follow = subprocess.Popen(kc.command("logs", "-f", "talker", "-c", "counter", "-n", ns, "--since=1s"),
                              stdout=subprocess.PIPE, text=True, env=kc.env())
    try:
        seen = [follow.stdout.readline().strip() for _ in range(8)]
    finally:
        follow.kill()
        follow.wait()
    numbers = [int(line.split("-")[1]) for line in seen]
    assert numbers == sorted(numbers) and numbers[-1] - numbers[0] == 7, seen

    previous = kc("logs", "talker", "-c", "crasher", "-n", ns, "--previous").lines()
    current = kc("logs", "talker", "-c", "crasher", "-n", ns).lines()
    assert previous and previous[0].startswith("run-") and current != previous, (previous, current)
    missing = kc("logs", "talker", "-c", "counter", "-n", ns, "--previous", check=False)
    assert 'previous terminated container "counter" in pod "talker" not found' in missing.stderr, missing


def test_exec_runs_in_the_container_with_exit_codes_and_stdin(kc, ns):
    apply(kc, pod_manifest("shell", ns, [busybox("main", "echo $HOSTNAME > /tmp/name; exec sleep 3600")]))
    wait_running(kc, "shell", ns)
    assert kc("exec", "shell", "-n", ns, "--", "cat", "/tmp/name").stdout.strip() == "shell"
    failed = kc("exec", "shell", "-n", ns, "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=False)
    assert failed.returncode == 3 and failed.stdout.strip() == "out" and "err" in failed.stderr, failed
    assert "command terminated with exit code 3" in failed.stderr
    piped = kc("exec", "-i", "shell", "-n", ns, "--", "sh", "-c", "tr a-z A-Z", input="hello stdin\n")
    assert piped.stdout.strip() == "HELLO STDIN"
    wrong = kc("exec", "shell", "-c", "nope", "-n", ns, "--", "true", check=False)
    assert wrong.returncode != 0 and "container nope is not valid for pod shell" in wrong.stderr, wrong
    # kubectl 1.27 speaks SPDY only (Upgrade: SPDY/3.1, v4.channel.k8s.io).
    old = kc("exec", "-i", "shell", "-n", ns, "--", "sh", "-c", "tr a-z A-Z; exit 4", input="spdy stdin\n",
             version="1.27", check=False)
    assert old.returncode == 4 and old.stdout.strip() == "SPDY STDIN", old
    assert "command terminated with exit code 4" in old.stderr, old


def forwarded_port(forward: subprocess.Popen) -> str:
    """The local port of a running `kubectl port-forward` (from its `Forwarding from 127.0.0.1:PORT -> …`)."""
    for line in forward.stdout:
        found = re.search(r"Forwarding from 127\.0\.0\.1:(\d+) ->", line)
        if found:
            return found.group(1)
    raise AssertionError(f"kubectl port-forward ended: {forward.stderr.read()}")


def stop(forward: subprocess.Popen) -> str:
    """Ends a background kubectl (our own process) and returns what it wrote on stderr."""
    forward.kill()
    _, stderr = forward.communicate(timeout=10)
    return stderr


def test_portforward_reaches_the_pod_over_websocket_and_spdy_and_reports_refusals(node, kc, ns):
    apply(kc, pod_manifest("web", ns, [busybox(
        "main", "mkdir -p /www && echo hello-through-port-forward > /www/index.html && exec httpd -f -p 80 -h /www")]))
    wait_running(kc, "web", ns)
    # kubectl 1.30+ tunnels SPDY in a WebSocket; 1.27 upgrades to SPDY/3.1 directly. Two connections each.
    for version in (None, "1.27"):
        forward = kc.popen("port-forward", "pod/web", "-n", ns, ":80", version=version)
        try:
            local = forwarded_port(forward)
            for _ in range(2):
                fetched = in_node(node, "curl", "-sS", "--max-time", "10", f"http://127.0.0.1:{local}/index.html")
                assert fetched.stdout.strip() == "hello-through-port-forward", (version, fetched)
        finally:
            stop(forward)
    # Nothing listens on 81: the connection fails and kubectl reports the kubelet's message.
    forward = kc.popen("port-forward", "pod/web", "-n", ns, ":81")
    try:
        local = forwarded_port(forward)
        refused = in_node(node, "curl", "-sS", "--max-time", "10", f"http://127.0.0.1:{local}/")
        assert refused.returncode != 0, refused
    finally:
        stderr = stop(forward)
    assert "error forwarding port 81 to pod web, uid " in stderr and "connection refused" in stderr, stderr


def test_services_reach_pods_by_cluster_ip_dns_name_and_node_port(node, kc, ns):
    """A Deployment of 3 httpd pods answering with their hostname, exposed (`kubectl expose`) as a NodePort Service: from another pod
    the DNS name (full and short) and the cluster IP reach all 3; from the node the cluster IP and the node port
    on 127.0.0.1 and the node's address do; scaling to 1 leaves one answer."""
    manifest = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "hello", "namespace": ns},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "hello"}},
                 "template": {"metadata": {"labels": {"app": "hello"}}, "spec": {
                     "terminationGracePeriodSeconds": 1,
                     "containers": [busybox("web", "mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 8080 -h /www",
                                            ports=[{"name": "http", "containerPort": 8080}],
                                            readinessProbe={"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 1})]}}},
    }
    apply(kc, manifest)
    kc("expose", "deployment", "hello", "-n", ns, "--type=NodePort", "--port=80", "--target-port=http")
    apply(kc, pod_manifest("client", ns, [busybox("main", "exec sleep 3600")]))
    wait_running(kc, "client", ns)

    def endpoints():
        subsets = json.loads(kc("get", "endpoints", "hello", "-n", ns, "-o", "json").stdout).get("subsets") or []
        return sorted(a["targetRef"]["name"] for s in subsets for a in s.get("addresses", []))
    pods = wait_for(lambda: e if len(e := endpoints()) == 3 else None, timeout=60, interval=0.5, what="3 endpoints")
    service = json.loads(kc("get", "service", "hello", "-n", ns, "-o", "json").stdout)
    cluster_ip, node_port = service["spec"]["clusterIP"], service["spec"]["ports"][0]["nodePort"]

    def from_client(url: str) -> set[str]:
        script = f"for i in $(seq 24); do wget -qO- {url}; done"
        return set(kc("exec", "client", "-n", ns, "--", "sh", "-c", script, timeout=90).lines())

    def from_node(url: str) -> set[str]:
        return {in_node(node, "curl", "-s", "--max-time", "2", url).stdout.strip() for _ in range(24)}

    assert from_client(f"http://hello.{ns}.svc.cluster.local/") == set(pods)
    assert from_client("http://hello/") == set(pods), "the short name through the search domains"
    assert from_client(f"http://{cluster_ip}/") == set(pods)
    assert from_node(f"http://{cluster_ip}/") == set(pods)
    assert from_node(f"http://127.0.0.1:{node_port}/") == set(pods)
    node_ip = next(a["address"] for a in json.loads(kc("get", "nodes", "-o", "json").stdout)["items"][0]["status"]["addresses"]
                   if a["type"] == "InternalIP")
    assert from_node(f"http://{node_ip}:{node_port}/") == set(pods)
    answer = in_node(node, "busybox", "nslookup", f"hello.{ns}.svc.cluster.local", "10.43.0.10").stdout
    assert cluster_ip in answer, answer

    kc("scale", "deployment", "hello", "-n", ns, "--replicas=1")
    wait_for(lambda: len(endpoints()) == 1, timeout=30, interval=0.5, what="1 endpoint after scaling down")
    assert len(from_node(f"http://{cluster_ip}/")) == 1


def hostname_server(**extra) -> dict:
    """busybox httpd on :8080 answering with the pod's hostname, ready while /www/index.html exists."""
    return busybox("web", "mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 8080 -h /www",
                   ports=[{"name": "http", "containerPort": 8080}],
                   readinessProbe={"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 1}, **extra)


def test_pods_reach_the_api_through_the_kubernetes_service(kc, ns):
    apply(kc, pod_manifest("api-client", ns, [busybox("main", "exec sleep 3600")]))
    wait_running(kc, "api-client", ns)
    out = kc("exec", "api-client", "-n", ns, "--", "sh", "-c",
             "echo | timeout -s KILL 5 nc 10.43.0.1 443 >/dev/null; echo rc=$?").stdout
    assert out.strip() == "rc=0", out


def test_headless_service_and_statefulset_pods_resolve_per_pod(node, kc, ns):
    apply(kc, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": ns},
               "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"name": "http", "port": 8080}]}})
    apply(kc, {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": ns},
               "spec": {"serviceName": "db", "replicas": 2, "selector": {"matchLabels": {"app": "db"}},
                        "template": {"metadata": {"labels": {"app": "db"}},
                                     "spec": {"terminationGracePeriodSeconds": 1, "containers": [hostname_server()]}}}})
    apply(kc, pod_manifest("client", ns, [busybox("main", "exec sleep 3600")]))
    wait_running(kc, "client", ns)
    ips = {name: wait_running(kc, name, ns)["status"]["podIP"] for name in ("db-0", "db-1")}

    def ask(*script: str) -> str:
        return kc("exec", "client", "-n", ns, "--", "sh", "-c", " ".join(script), check=False, timeout=60).stdout

    wait_for(lambda: ips["db-0"] in ask("nslookup", f"db-0.db.{ns}.svc.cluster.local"), timeout=20, interval=0.5,
             what="db-0's own name")
    both = ask("nslookup", f"db.{ns}.svc.cluster.local")
    assert ips["db-0"] in both and ips["db-1"] in both, both
    assert ask("wget", "-qO-", "http://db-1.db:8080/").strip() == "db-1", "per-pod name through the search domains"
    srv = ask("nslookup", "-type=SRV", f"_http._tcp.db.{ns}.svc.cluster.local")
    assert f"db-0.db.{ns}.svc.cluster.local" in srv and "8080" in srv, srv


def test_failing_readiness_and_deleted_pods_leave_the_service_rules(node, kc, ns):
    apply(kc, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "flip", "namespace": ns},
               "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "flip"}},
                        "template": {"metadata": {"labels": {"app": "flip"}},
                                     "spec": {"terminationGracePeriodSeconds": 1, "containers": [hostname_server()]}}}})
    apply(kc, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "flip", "namespace": ns},
               "spec": {"selector": {"app": "flip"}, "ports": [{"port": 80, "targetPort": "http"}]}})
    cluster_ip = json.loads(kc("get", "service", "flip", "-n", ns, "-o", "json").stdout)["spec"]["clusterIP"]

    def answers() -> set[str]:
        return {in_node(node, "curl", "-s", "--max-time", "2", f"http://{cluster_ip}/").stdout.strip() for _ in range(16)}
    names = wait_for(lambda: a if len(a := answers()) == 2 else None, timeout=60, interval=0.5, what="both pods answer")
    first, second = sorted(names)
    kc("exec", first, "-n", ns, "--", "sh", "-c", "rm /www/index.html")
    wait_for(lambda: answers() == {second}, timeout=10, interval=0.2, what="the unready pod out of the rules")
    kc("delete", "pod", second, "-n", ns, "--wait=false")
    wait_for(lambda: second not in answers(), timeout=10, interval=0.2, what="the deleted pod out of the rules")


UDP_LISTENER = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9000))
with open(sys.argv[1], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(100) + b"\\n")
"""

UDP_CLIENT = """
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 41000))
while True:
    s.sendto(b"ping", (sys.argv[1], 9000))
    time.sleep(0.2)
"""


def test_udp_client_moves_to_the_new_endpoint_when_the_old_one_goes(node, kc, ns, tmp_path):
    """A UDP client sending from one port keeps its tracked NAT; when its endpoint goes, the proxy deletes the
    stale flows (as kube-proxy does) so the next datagram reaches the endpoint that replaced it. (The test image
    has no UDP tools: the listeners and the client are Python processes of this test's, each inside a pod's
    network namespace.)"""
    def udp_pod(name: str, labels: dict) -> Path:
        manifest = pod_manifest(name, ns, [busybox("main", "exec sleep 3600")])
        manifest["metadata"]["labels"] = labels
        apply(kc, manifest)
        uid = wait_running(kc, name, ns)["metadata"]["uid"]
        return node.data_dir / "agent" / "run" / "netns" / uid

    processes = []
    def start_in(netns: Path, script: str, *args: str) -> None:
        processes.append(subprocess.Popen(["nsenter", f"--net={netns}", "--", "python3", "-c", script, *args],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        apply(kc, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "udp", "namespace": ns},
                   "spec": {"selector": {"app": "udp"}, "ports": [{"port": 9000, "protocol": "UDP"}]}})
        cluster_ip = json.loads(kc("get", "service", "udp", "-n", ns, "-o", "json").stdout)["spec"]["clusterIP"]
        first, second = tmp_path / "a.log", tmp_path / "b.log"
        start_in(udp_pod("udp-a", {"app": "udp"}), UDP_LISTENER, str(first))
        start_in(udp_pod("udp-client", {"app": "client"}), UDP_CLIENT, cluster_ip)
        wait_for(lambda: first.exists() and b"ping" in first.read_bytes(), timeout=30, interval=0.3,
                 what="the first endpoint receiving the client's datagrams")
        kc("delete", "pod", "udp-a", "-n", ns, "--grace-period=0", "--force")
        start_in(udp_pod("udp-b", {"app": "udp"}), UDP_LISTENER, str(second))
        wait_for(lambda: second.exists() and b"ping" in second.read_bytes(), timeout=20, interval=0.3,
                 what="the client's datagrams reaching the new endpoint (stale UDP flows deleted)")
    finally:
        for process in processes:
            process.kill()
            process.wait()
