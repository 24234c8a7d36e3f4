"""The workload controllers' behaviour over time, as real kubectl watches it, on simulated nodes:

- a Deployment's rolling update (and `rollout undo`) keeps within maxSurge and maxUnavailable at every step of the
  pod watch stream;
- a DaemonSet follows nodes: a node that joins (a `skiff sim` process) gets a daemon pod, a deleted node's pod goes;
- an OrderedReady StatefulSet creates its pods in ordinal order, each after the one before is Ready, scales down
  from the highest ordinal, and rolls a template change from the highest ordinal down.

The assertions replay the ADDED / MODIFIED / DELETED events of `kubectl get pods -w --output-watch-events -o json`
started before the action, so every intermediate state the API server went through is checked, not samples.

One server per module with three simulated nodes inside it (as in test_nodes.py)."""

import json
import signal
import subprocess
import threading
import time

import pytest

from conftest import SkiffServer, running_pods, unique, wait_for

OLD_IMAGE = "registry.k8s.io/pause:3.9"
NEW_IMAGE = "registry.k8s.io/pause:3.10"


# -- the pod watch ------------------------------------------------------------------------------------


def terminating(pod):
    return "deletionTimestamp" in pod["metadata"]


def is_ready(pod):
    """Running, Ready and not being deleted: what counts as available (minReadySeconds is 0 here)."""
    if terminating(pod) or pod.get("status", {}).get("phase") != "Running":
        return False
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", []))


def image_of(pod):
    return pod["spec"]["containers"][0]["image"]


class PodWatch:
    """`kubectl get pods -w --output-watch-events -o json` in the background; `events` is the stream in order as
    (type, pod) pairs, the first ones being the initial list (ADDED)."""

    def __init__(self, kc, ns, selector):
        # -v=6 makes kubectl log its requests to stderr: the watch request's "200 OK" says the watch is open.
        self.proc = kc.popen("get", "pods", "-n", ns, "-l", selector, "-w", "--output-watch-events", "-o", "json",
                             "-v=6")
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.watching = threading.Event()
        self.log: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        self.log_thread = threading.Thread(target=self._read_log, daemon=True)
        self.log_thread.start()

    def _read(self):
        decoder = json.JSONDecoder()
        buffer = ""
        for line in self.proc.stdout:
            # One event a line (with --output-watch-events kubectl prints them compact); tolerate an indented one.
            buffer = (buffer + line).lstrip()
            try:
                event, end = decoder.raw_decode(buffer)
            except ValueError:
                continue
            buffer = buffer[end:]
            with self.lock:
                self.events.append((event["type"], event["object"]))

    def _read_log(self):
        for line in self.proc.stderr:
            self.log.append(line)
            if "watch=true" in line and "200 OK" in line:
                self.watching.set()

    def wait_started(self, timeout=20.0):
        """Waits until kubectl's watch request is answered (after its initial list)."""
        assert self.watching.wait(timeout), f"kubectl's watch did not start:\n{''.join(self.log[-20:])}"

    def snapshot(self) -> list[tuple[str, dict]]:
        with self.lock:
            return list(self.events)

    def mark(self) -> int:
        """The number of events seen so far (to look at what happens after this point)."""
        with self.lock:
            return len(self.events)

    def state(self) -> dict[str, dict]:
        """The pods as the stream says they are now, by uid."""
        return replay(self.snapshot())[-1][1] if self.events else {}

    def wait(self, predicate, timeout=30.0, what="the watched pods"):
        def check():
            assert self.proc.poll() is None, f"kubectl's watch ended (exit {self.proc.returncode})"
            return predicate(list(self.state().values()))
        try:
            wait_for(check, timeout=timeout, interval=0.05, what=what)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.timeline()}") from None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.thread.join(timeout=5)
        self.log_thread.join(timeout=5)

    def timeline(self, start=0) -> str:
        """One line an event, for failure messages."""
        lines = []
        for index, (kind, pod) in enumerate(self.snapshot()[start:], start):
            flags = [pod.get("status", {}).get("phase", "-"), "Ready" if is_ready(pod) else "notReady"]
            if terminating(pod):
                flags.append("terminating")
            lines.append(f"{index:4} {kind:8} {pod['metadata']['name']:28} {image_of(pod):28} {' '.join(flags)}")
        return "pod watch events:\n" + "\n".join(lines)


def replay(events):
    """[(event, {uid: pod} after it)] for the stream, in order."""
    pods, states = {}, []
    for kind, pod in events:
        uid = pod["metadata"]["uid"]
        if kind == "DELETED":
            pods.pop(uid, None)
        else:
            pods[uid] = pod
        states.append(((kind, pod), dict(pods)))
    return states


@pytest.fixture
def watches():
    """Start PodWatches with watches(kc, ns, selector); all are stopped at teardown."""
    started = []

    def start(kc, ns, selector):
        watch = PodWatch(kc, ns, selector)
        started.append(watch)
        return watch

    yield start
    for watch in started:
        watch.stop()


# -- Deployments: rolling update bounds ------------------------------------------------------------------


DEPLOYMENT = f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: roll}}
spec:
  replicas: 6
  selector: {{matchLabels: {{app: roll}}}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 1, maxUnavailable: 1}}
  template:
    metadata: {{labels: {{app: roll}}}}
    spec:
      containers: [{{name: app, image: "{OLD_IMAGE}"}}]
"""


def rollout_bounds(events, start):
    """The most pods not being deleted and the fewest Ready ones at any point of the stream from `start` on."""
    states = replay(events)
    totals = [sum(1 for p in pods.values() if not terminating(p)) for _, pods in states[start - 1:]]
    ready = [sum(1 for p in pods.values() if is_ready(p)) for _, pods in states[start - 1:]]
    return max(totals), min(ready)


def test_deployment_rolling_update_keeps_surge_and_availability(kc, space, watches):
    replicas, surge, unavailable = 6, 1, 1
    kc("apply", "-n", space, "-f", "-", input=DEPLOYMENT)
    kc("rollout", "status", "deployment/roll", "-n", space, "--timeout=60s")
    watch = watches(kc, space, "app=roll")
    watch.wait_started()
    watch.wait(lambda pods: sum(is_ready(p) for p in pods) == replicas, what="the watch listing 6 Ready pods")

    def rolled_to(image):
        return lambda pods: (len(pods) == replicas and all(image_of(p) == image and is_ready(p) for p in pods))

    for image, action in ((NEW_IMAGE, ("set", "image", "deployment/roll", f"app={NEW_IMAGE}")),
                          (OLD_IMAGE, ("rollout", "undo", "deployment/roll"))):
        start = watch.mark()
        kc(*action, "-n", space)
        r = kc("rollout", "status", "deployment/roll", "-n", space, "--timeout=60s")
        assert 'deployment "roll" successfully rolled out' in r.stdout, r
        # Rolled out: only the new pods left, the old ones deleted (not merely terminating).
        watch.wait(rolled_to(image), what=f"six Ready pods of {image} and no others")
        events = watch.snapshot()
        assert start > 0
        most, fewest = rollout_bounds(events, start)
        assert most <= replicas + surge and fewest >= replicas - unavailable, (
            f"rolling to {image}: up to {most} pods (limit {replicas + surge}), down to {fewest} Ready "
            f"(limit {replicas - unavailable})\n{watch.timeline(start)}")
        # Its first step either adds a new pod before an old one goes (7 pods) or takes an old one first (5 Ready):
        # the stream must reach one of the bounds, so they were measured where they bind.
        assert most == replicas + surge or fewest == replicas - unavailable, (most, fewest, watch.timeline(start))
        # The rollout happened in this stretch of the stream: six pods created and six deleted.
        after = events[start:]
        assert sum(1 for kind, p in after if kind == "ADDED" and image_of(p) == image) == replicas, watch.timeline(start)
        assert sum(1 for kind, p in after if kind == "DELETED" and image_of(p) != image) == replicas, watch.timeline(start)

    deployment = json.loads(kc("get", "deployment", "roll", "-n", space, "-o", "json").stdout)
    assert image_of(deployment["spec"]["template"]) == OLD_IMAGE
    assert deployment["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    status = deployment["status"]
    assert (status["replicas"], status["updatedReplicas"], status["availableReplicas"]) == (6, 6, 6), status


# -- DaemonSets: nodes joining and leaving -------------------------------------------------------------


DAEMONSET = f"""
apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: agent}}
spec:
  selector: {{matchLabels: {{app: agent}}}}
  template:
    metadata: {{labels: {{app: agent}}}}
    spec:
      containers: [{{name: agent, image: "{OLD_IMAGE}"}}]
"""


def daemon_pods(kc, ns):
    """nodeName -> pods (Running or not, terminating or not) of the DaemonSet."""
    items = json.loads(kc("get", "pods", "-n", ns, "-l", "app=agent", "-o", "json").stdout)["items"]
    placed = {}
    for pod in items:
        placed.setdefault(pod["spec"].get("nodeName") or "", []).append(pod)
    return placed


def running_daemon_nodes(kc, ns):
    return sorted(node for node, pods in daemon_pods(kc, ns).items()
                  if any(is_ready(p) for p in pods))


def test_daemonset_follows_nodes_joining_and_leaving(cluster, kc, space, skiff_binary):
    nodes = ["sim-node-0", "sim-node-1", "sim-node-2"]
    kc("apply", "-n", space, "-f", "-", input=DAEMONSET)
    wait_for(lambda: running_daemon_nodes(kc, space) == nodes, timeout=30, what=f"a daemon pod on each of {nodes}")

    node = unique("extra") + "-"
    joined = node + "0"
    sim = subprocess.Popen([str(skiff_binary), "sim", "--kubeconfig", str(cluster.kubeconfig), "--nodes", "1",
                            "--name-prefix", node, "--lease-interval", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: running_daemon_nodes(kc, space) == sorted(nodes + [joined]), timeout=30,
                 what=f"a daemon pod Running on the new node {joined}")
        pods = daemon_pods(kc, space)
        assert all(len(pods[n]) == 1 for n in nodes + [joined]), pods
        owner = pods[joined][0]["metadata"]["ownerReferences"][0]
        assert owner["kind"] == "DaemonSet" and owner["name"] == "agent", owner
        wait_for(lambda: json.loads(kc("get", "ds", "agent", "-n", space, "-o", "json").stdout)["status"]
                 .get("numberReady") == 4, what="the DaemonSet counting 4 ready")
        # Stop the node's process first, so that it cannot register the node again, then remove the node.
        sim.send_signal(signal.SIGTERM)
        sim.wait(timeout=15)
        kc("delete", "node", joined)
        wait_for(lambda: joined not in daemon_pods(kc, space), timeout=30,
                 what=f"the daemon pod of the deleted node {joined} gone")
        assert running_daemon_nodes(kc, space) == nodes
        wait_for(lambda: json.loads(kc("get", "ds", "agent", "-n", space, "-o", "json").stdout)["status"]
                 .get("desiredNumberScheduled") == 3, what="the DaemonSet desiring 3 pods again")
        status = json.loads(kc("get", "ds", "agent", "-n", space, "-o", "json").stdout)["status"]
        assert (status["currentNumberScheduled"], status["numberReady"]) == (3, 3), status
    finally:
        if sim.poll() is None:
            sim.send_signal(signal.SIGTERM)
            try:
                sim.wait(timeout=15)
            except subprocess.TimeoutExpired:
                sim.kill()
                sim.wait()
        kc("delete", "node", joined, check=False)


# -- StatefulSets: ordinal order in the watch stream -----------------------------------------------------


STATEFULSET = f"""
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web}}
spec:
  serviceName: web
  replicas: 3
  podManagementPolicy: OrderedReady
  updateStrategy: {{type: RollingUpdate}}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: app, image: "{OLD_IMAGE}"}}]
"""


def ordinal(pod):
    return int(pod["metadata"]["name"].rsplit("-", 1)[1])


def names_ready(*ordinals):
    wanted = sorted(f"web-{i}" for i in ordinals)
    return lambda pods: sorted(p["metadata"]["name"] for p in pods) == wanted and all(is_ready(p) for p in pods)


def created_in_order(watch, start, ordinals):
    """Asserts that the stream from `start` on adds pods of exactly `ordinals`, in that order, each one new (not yet
    Ready: created, not listed) and added when every lower ordinal's pod was Ready (none missing or terminating)."""
    states = replay(watch.snapshot())
    added = [(index, pod) for index, ((kind, pod), _) in enumerate(states) if index >= start and kind == "ADDED"]
    assert [ordinal(p) for _, p in added] == list(ordinals), watch.timeline(start)
    for index, pod in added:
        assert not is_ready(pod), f"{pod['metadata']['name']} was listed, not seen created\n{watch.timeline(start)}"
        before = states[index - 1][1] if index > 0 else {}
        ready = {ordinal(p) for p in before.values() if is_ready(p)}
        missing = set(range(ordinal(pod))) - ready
        assert not missing, (f"{pod['metadata']['name']} created while {sorted(missing)} were not Ready\n"
                             f"{watch.timeline(start)}")


def deletion_order(watch, start):
    """The ordinals whose pods were marked for deletion (or deleted outright) from `start` on, in order, each with
    the index of that event and of its DELETED event."""
    marked, gone = {}, {}
    for index, (kind, pod) in enumerate(watch.snapshot()[start:], start):
        uid = pod["metadata"]["uid"]
        if (terminating(pod) or kind == "DELETED") and uid not in marked:
            marked[uid] = (index, ordinal(pod))
        if kind == "DELETED":
            gone[uid] = index
    return [(n, index, gone.get(uid)) for uid, (index, n) in sorted(marked.items(), key=lambda item: item[1][0])]


def test_statefulset_order_in_the_watch_stream(kc, space, watches):
    watch = watches(kc, space, "app=web")
    watch.wait_started()
    kc("apply", "-n", space, "-f", "-", input=STATEFULSET)
    watch.wait(names_ready(0, 1, 2), what="web-0..2 Ready")
    created_in_order(watch, 0, [0, 1, 2])

    # Scale up: web-3 then web-4, each after the lower ones are Ready.
    start = watch.mark()
    kc("scale", "sts", "web", "--replicas=5", "-n", space)
    watch.wait(names_ready(0, 1, 2, 3, 4), what="web-0..4 Ready")
    created_in_order(watch, start, [3, 4])

    # Scale down: from the highest ordinal, each deletion waiting for the one before to be gone.
    start = watch.mark()
    kc("scale", "sts", "web", "--replicas=2", "-n", space)
    watch.wait(names_ready(0, 1), what="only web-0 and web-1 left")
    deletions = deletion_order(watch, start)
    assert [n for n, _, _ in deletions] == [4, 3, 2], (deletions, watch.timeline(start))
    for (_, _, gone), (n, marked, _) in zip(deletions, deletions[1:]):
        assert gone is not None and gone < marked, (f"web-{n} marked for deletion before the previous one was gone",
                                                    deletions, watch.timeline(start))
    assert not [kind for kind, _ in watch.snapshot()[start:] if kind == "ADDED"], watch.timeline(start)

    # Back to 3, then a template change: rolled from the highest ordinal down, one pod at a time.
    kc("scale", "sts", "web", "--replicas=3", "-n", space)
    watch.wait(names_ready(0, 1, 2), what="web-0..2 Ready again")
    start = watch.mark()
    kc("set", "image", "sts/web", f"app={NEW_IMAGE}", "-n", space)
    r = kc("rollout", "status", "sts/web", "-n", space, "--timeout=60s")
    assert "partitioned roll out complete" in r.stdout or "rolling update complete" in r.stdout, r
    watch.wait(lambda pods: names_ready(0, 1, 2)(pods) and all(image_of(p) == NEW_IMAGE for p in pods),
               what="web-0..2 Ready at the new image")
    deletions = deletion_order(watch, start)
    assert [n for n, _, _ in deletions] == [2, 1, 0], (deletions, watch.timeline(start))
    assert all(image_of(p) == OLD_IMAGE for kind, p in watch.snapshot()[start:] if terminating(p) or kind == "DELETED")
    # Each old pod is replaced (same name, new image) and Ready before the next lower one goes.
    created_in_order(watch, start, [2, 1, 0])
    events = watch.snapshot()
    for (n, _, _), (_, marked_next, _) in zip(deletions, deletions[1:]):
        replaced_ready = next((i for i, (kind, p) in enumerate(events[start:], start)
                               if ordinal(p) == n and image_of(p) == NEW_IMAGE and is_ready(p)), None)
        assert replaced_ready is not None and replaced_ready < marked_next, (
            f"the pod below web-{n} went before the new web-{n} was Ready", watch.timeline(start))
    status = json.loads(kc("get", "sts", "web", "-n", space, "-o", "json").stdout)["status"]
    assert status["currentRevision"] == status["updateRevision"] and status["updatedReplicas"] == 3, status


# -- rollout pause, resume, restart, undo --to-revision --------------------------------------------------


def deployment_revision(kc, ns, name):
    dep = json.loads(kc("get", "deploy", name, "-n", ns, "-o", "json").stdout)
    return dep["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision")


def replica_set_revisions(kc, ns, selector):
    sets = json.loads(kc("get", "rs", "-n", ns, "-l", selector, "-o", "json").stdout)["items"]
    return sorted(int(s["metadata"]["annotations"]["deployment.kubernetes.io/revision"]) for s in sets)


def test_rollout_pause_resume_restart_and_undo_to_revision(kc, space):
    kc("create", "deployment", "api", f"--image={OLD_IMAGE}", "--replicas=2", "-n", space)
    kc("rollout", "status", "deployment/api", "-n", space, "--timeout=60s")
    assert replica_set_revisions(kc, space, "app=api") == [1]

    # Paused: template changes make no new ReplicaSet and the old pods stay.
    assert "paused" in kc("rollout", "pause", "deployment/api", "-n", space).stdout
    kc("set", "image", "deployment/api", f"pause={NEW_IMAGE}", "-n", space)
    time.sleep(1.5)  # give a (wrong) rollout the time to start
    assert replica_set_revisions(kc, space, "app=api") == [1]
    dep = json.loads(kc("get", "deploy", "api", "-n", space, "-o", "json").stdout)
    assert dep["spec"]["paused"] is True
    progressing = next(c for c in dep["status"]["conditions"] if c["type"] == "Progressing")
    assert progressing["reason"] == "DeploymentPaused", progressing

    # Resumed: the change rolls out as revision 2.
    assert "resumed" in kc("rollout", "resume", "deployment/api", "-n", space).stdout
    kc("rollout", "status", "deployment/api", "-n", space, "--timeout=60s")
    assert replica_set_revisions(kc, space, "app=api") == [1, 2]

    # Restart: a new ReplicaSet (revision 3) with the restartedAt annotation, every pod replaced.
    before = set(running_pods(kc, space, "app=api"))
    assert "restarted" in kc("rollout", "restart", "deployment/api", "-n", space).stdout
    kc("rollout", "status", "deployment/api", "-n", space, "--timeout=60s")
    dep = json.loads(kc("get", "deploy", "api", "-n", space, "-o", "json").stdout)
    assert "kubectl.kubernetes.io/restartedAt" in dep["spec"]["template"]["metadata"]["annotations"]
    assert replica_set_revisions(kc, space, "app=api") == [1, 2, 3]
    wait_for(lambda: set(running_pods(kc, space, "app=api")).isdisjoint(before) and
             len(running_pods(kc, space, "app=api")) == 2, timeout=30, what="every pod replaced")

    # History lists the three revisions; undo to revision 1 brings its template back as revision 4.
    history = kc("rollout", "history", "deployment/api", "-n", space).stdout
    assert all(f"{n} " in history for n in (1, 2, 3)), history
    kc("rollout", "undo", "deployment/api", "--to-revision=1", "-n", space)
    kc("rollout", "status", "deployment/api", "-n", space, "--timeout=60s")
    dep = json.loads(kc("get", "deploy", "api", "-n", space, "-o", "json").stdout)
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == OLD_IMAGE
    assert deployment_revision(kc, space, "api") == "4"
    assert replica_set_revisions(kc, space, "app=api") == [2, 3, 4]
