"""Fixtures for Skiff's end-to-end tests.

A real `skiff server` runs on a free port in a temporary directory; tests drive it with the real
kubectl, the Python `kubernetes` client and raw HTTPS requests authenticated by the admin client
certificate from the kubeconfig it writes.

Fixtures:
  skiff      one server shared by the whole session (tests isolate themselves by namespace)
  kubectl    kubectl(*args, check=True, input=None, version=None) against `skiff`
  api        a tiny HTTPS client (requests) with the admin client certificate, against `skiff`
  make_ns    make_ns(prefix) -> a fresh namespace name, created through the API (deleted at teardown)
  tmp_path   pytest's per-test directory, for YAML files
  skiff_factory  start extra servers (own data dirs; used by the durability tests)
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import re
import subprocess
import time
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml

REPO = Path(__file__).resolve().parents[2]
SKIFF_BIN = Path(os.environ.get("SKIFF_BIN", REPO / ".build" / "debug" / "skiff"))
KUBECTL_DIR = Path(os.environ.get("SKIFF_KUBECTL_DIR", "/usr/lib/google-cloud-sdk/bin"))
START_TIMEOUT = float(os.environ.get("SKIFF_START_TIMEOUT", "60"))
LOG_LEVEL = os.environ.get("SKIFF_LOG_LEVEL", "info")


def wait_for(predicate, timeout=10.0, interval=0.05, what="condition"):
    """Poll `predicate` until it returns a truthy value; return that value or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - polling: remember, retry
            last_exc = exc
        if time.monotonic() >= deadline:
            extra = f" (last error: {last_exc!r})" if last_exc else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {what}{extra}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------


def check_binary() -> None:
    if not SKIFF_BIN.is_file() or not os.access(SKIFF_BIN, os.X_OK):
        pytest.fail(
            f"skiff binary not found or not executable at {SKIFF_BIN}; "
            f"run `swift build` in {REPO} or set SKIFF_BIN=/path/to/skiff",
            pytrace=False,
        )


# The binary the servers run: a private copy of SKIFF_BIN made once per session (see `skiff_binary`), so that
# a concurrent `swift build` relinking .build/debug/skiff cannot change or break it in the middle of a run.
_RUN_BIN: Path | None = None


def snapshot_binary(dest_dir: Path, timeout: float = 120) -> Path:
    """Copy SKIFF_BIN to dest_dir and check that the copy runs (retrying while a build is relinking it)."""
    check_binary()
    dest = dest_dir / "skiff"
    deadline = time.monotonic() + timeout
    while True:
        try:
            shutil.copy2(SKIFF_BIN, dest)
            probe = subprocess.run([str(dest), "--version"], capture_output=True, text=True, timeout=30)
            if probe.returncode == 0:
                return dest
            problem = f"exit {probe.returncode}: {probe.stderr[-500:]}"
        except (OSError, subprocess.TimeoutExpired) as exc:
            problem = repr(exc)
        if time.monotonic() > deadline:
            pytest.fail(f"{SKIFF_BIN} does not run ({problem})", pytrace=False)
        time.sleep(0.5)


class SkiffServer:
    """One `skiff server` process (possibly restarted several times on the same data dir)."""

    def __init__(self, root: Path, datastore: str = "sqlite", extra_args: tuple[str, ...] = (),
                 netns: str | None = None):
        """Without `netns` the server runs with --disable-agent: servers run as root here, and an embedded
        agent would change the host's network. With `netns` (the name of a namespace of the test's own, with
        no route out) the server, its embedded agent and kubectl run inside it, through
        `nsenter --net=/var/run/netns/NAME` (not `ip netns exec`, which remounts /sys and hides the cgroup
        mounts the OCI runtime needs)."""
        self.binary = _RUN_BIN or SKIFF_BIN
        self.netns = netns
        self.extra_args = tuple(extra_args) + (() if netns else ("--disable-agent",))
        self.wrapper = ("nsenter", f"--net=/var/run/netns/{netns}", "--") if netns else ()
        if _RUN_BIN is None:
            check_binary()
        self.root = root
        self.data_dir = root / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.datastore = datastore
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.starts = 0
        self.log_path: Path | None = None
        self.log_paths: list[Path] = []
        self._certs_dir = root / "client-certs"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self, port: int | None = None) -> "SkiffServer":
        """Start the server (on `port`, or a free one) and wait until /readyz answers."""
        assert self.proc is None or self.proc.poll() is not None, "server already running"
        attempts = 1 if port else 5
        for _ in range(attempts):
            chosen = port or free_port()
            if self._start_once(chosen):
                return self
            # Port taken between free_port() and bind(): try another one.
        raise AssertionError(f"skiff could not bind a port after {attempts} attempts\n{self.log_tail()}")

    def _start_once(self, port: int) -> bool:
        self.starts += 1
        self.log_path = self.root / f"server-{self.starts}.log"
        self.log_paths.append(self.log_path)
        kubeconfig = self.data_dir / "kubeconfig.yaml"
        # Remove a kubeconfig left by a previous run so that "kubeconfig exists" means "this run listens".
        kubeconfig.unlink(missing_ok=True)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [*self.wrapper, str(self.binary), "server",
                 "--data-dir", str(self.data_dir),
                 "--https-listen-port", str(port),
                 "--bind-address", "127.0.0.1",
                 "--datastore", self.datastore,
                 "--log-level", LOG_LEVEL, *self.extra_args],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        self.port = port
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                rc, text = self.proc.returncode, self.log_since(0)
                self.proc = None
                if "Address already in use" in text:
                    return False
                raise AssertionError(f"skiff exited with status {rc} during start-up:\n{text[-4000:]}")
            if kubeconfig.is_file() and self._ready():
                return True
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"skiff did not become ready within {START_TIMEOUT}s\n{self.log_tail()}")

    def _ready(self) -> bool:
        if self.netns:
            return self._ready_in_netns()
        try:
            self._load_credentials()
            ctx = ssl.create_default_context(cafile=str(self.ca_file))
            ctx.load_cert_chain(*self.client_cert)
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=2)
            try:
                conn.request("GET", "/readyz", headers={"Connection": "close"})
                resp = conn.getresponse()
                resp.read()
                return resp.status == 200
            finally:
                conn.close()
        except (OSError, ValueError, KeyError, yaml.YAMLError, http.client.HTTPException):
            return False

    def _ready_in_netns(self) -> bool:
        """/readyz through curl inside the server's network namespace (its 127.0.0.1 is not ours)."""
        try:
            self._load_credentials()
        except (OSError, ValueError, KeyError, yaml.YAMLError):
            return False
        certs = self._certs_dir
        proc = subprocess.run(
            [*self.wrapper, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2",
             "--cacert", str(certs / "ca.crt"), "--cert", str(certs / "client.crt"), "--key", str(certs / "client.key"),
             f"https://127.0.0.1:{self.port}/readyz"], capture_output=True, text=True)
        return proc.stdout.strip() == "200"

    def _load_credentials(self):
        """Write the kubeconfig's CA, client certificate and key to PEM files for `requests`."""
        cfg = yaml.safe_load(self.kubeconfig.read_text())
        cluster = cfg["clusters"][0]["cluster"]
        user = cfg["users"][0]["user"]
        self.server_url = cluster["server"]
        self._certs_dir.mkdir(exist_ok=True)
        files = {
            "ca.crt": cluster["certificate-authority-data"],
            "client.crt": user["client-certificate-data"],
            "client.key": user["client-key-data"],
        }
        for name, data in files.items():
            (self._certs_dir / name).write_bytes(base64.b64decode(data))

    def stop(self, timeout: float = 20.0, strict: bool = True) -> int | None:
        """SIGTERM the server we started and wait for it; SIGKILL if it does not stop in time
        (then raise, or with strict=False only warn and return None)."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                return proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                message = f"skiff (pid {proc.pid}) did not exit within {timeout}s of SIGTERM; sent SIGKILL"
                if strict:
                    raise AssertionError(message)
                warnings.warn(message)
                return None
        return proc.returncode

    def kill(self) -> None:
        """SIGKILL (kill -9) the server we started."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.kill()
        proc.wait()

    def restart(self) -> "SkiffServer":
        """SIGTERM then start again on the same data dir and port."""
        port = self.port
        self.stop()
        return self.start(port=port)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- addresses and credentials ---------------------------------------------------------

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def kubeconfig(self) -> Path:
        return self.data_dir / "kubeconfig.yaml"

    @property
    def ca_file(self) -> Path:
        return self._certs_dir / "ca.crt"

    @property
    def client_cert(self) -> tuple[str, str]:
        return (str(self._certs_dir / "client.crt"), str(self._certs_dir / "client.key"))

    # -- logs ------------------------------------------------------------------------------

    def log_text(self) -> str:
        parts = []
        for p in self.log_paths:
            if p.is_file():
                parts.append(f"----- {p.name} -----\n" + p.read_text(errors="replace"))
        return "\n".join(parts)

    def log_tail(self, chars: int = 6000) -> str:
        return self.log_text()[-chars:]

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path and self.log_path.is_file() else 0

    def log_since(self, offset: int) -> str:
        if not self.log_path or not self.log_path.is_file():
            return ""
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    # -- clients ---------------------------------------------------------------------------

    def api(self) -> "Api":
        return Api(self)

    def kubectl_runner(self, cache_root: Path, kubeconfig: Path | None = None) -> "Kubectl":
        return Kubectl(self, cache_root, kubeconfig)


# --------------------------------------------------------------------------------------------
# kubectl
# --------------------------------------------------------------------------------------------


@dataclass
class KubectlResult:
    args: list[str]
    stdout: str
    stderr: str
    returncode: int

    @property
    def exit_code(self) -> int:
        return self.returncode

    @property
    def out(self) -> str:
        return self.stdout

    @property
    def err(self) -> str:
        return self.stderr

    def lines(self) -> list[str]:
        return [l for l in self.stdout.splitlines() if l.strip()]

    def __str__(self) -> str:
        return (f"$ {' '.join(self.args)}\n[exit {self.returncode}]\n"
                f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}")


def kubectl_binary(version: str | None) -> str:
    if version is None:
        found = shutil.which("kubectl")
        if not found:
            pytest.fail("kubectl not found on PATH", pytrace=False)
        return found
    path = KUBECTL_DIR / f"kubectl.{version}"
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    return str(path)


class Kubectl:
    """Runs kubectl against one server with its own --kubeconfig and --cache-dir."""

    def __init__(self, server: SkiffServer, cache_root: Path, kubeconfig: Path | None = None):
        self.server = server
        self.cache_root = cache_root
        self.kubeconfig = kubeconfig  # None: the server's current kubeconfig

    def command(self, *args: str, version: str | None = None, cache_dir: str | Path | None = None) -> list[str]:
        cache = Path(cache_dir) if cache_dir else self.cache_root / (version or "default")
        return [*self.server.wrapper, kubectl_binary(version), "--kubeconfig", str(self.kubeconfig or self.server.kubeconfig),
                "--cache-dir", str(cache), *map(str, args)]

    def env(self) -> dict:
        env = dict(os.environ)
        env.pop("KUBECONFIG", None)
        env["HOME"] = str(self.cache_root)  # never touch the real ~/.kube
        return env

    def __call__(self, *args: str, check: bool = True, input: str | None = None, version: str | None = None,
                 timeout: float = 60, cache_dir: str | Path | None = None) -> KubectlResult:
        cmd = self.command(*args, version=version, cache_dir=cache_dir)
        proc = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout, env=self.env())
        result = KubectlResult(cmd, proc.stdout, proc.stderr, proc.returncode)
        if check and proc.returncode != 0:
            raise AssertionError(f"kubectl failed:\n{result}")
        return result

    def popen(self, *args: str, version: str | None = None) -> subprocess.Popen:
        """Start kubectl in the background (for -w); stdout is a line-buffered text pipe."""
        return subprocess.Popen(self.command(*args, version=version), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, bufsize=1, env=self.env())


# --------------------------------------------------------------------------------------------
# Raw HTTPS
# --------------------------------------------------------------------------------------------


def close_session(session: requests.Session) -> None:
    """Close a requests.Session and really close its pooled connections: urllib3 2.8's PoolManager.clear()
    drops its pools without closing them, and an idle keep-alive connection delays Skiff's SIGTERM exit."""
    for adapter in session.adapters.values():
        pools = getattr(getattr(adapter, "poolmanager", None), "pools", None)
        if pools is not None:
            for key in list(pools.keys()):
                pool = pools.get(key)
                if pool is not None:
                    pool.close()
    session.close()


class Api:
    """requests.Session with the admin client certificate and the cluster CA."""

    def __init__(self, server: SkiffServer):
        self.server = server
        self.session = requests.Session()
        # Ignore REQUESTS_CA_BUNDLE/proxies from the environment: they would override `verify`.
        self.session.trust_env = False
        self.session.cert = server.client_cert
        self.session.verify = str(server.ca_file)

    def request(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 30)
        r = self.session.request(method, self.server.url + path, **kw)
        if not kw.get("stream"):
            # The body is read; drop the response's reference to the socket so that close() really closes
            # it (an idle keep-alive connection delays the server's SIGTERM shutdown by ~5s).
            r.raw.close()
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        if body is not None and "data" not in kw:
            kw["json"] = body
        return self.request("POST", path, **kw)

    def put(self, path, body=None, **kw):
        if body is not None and "data" not in kw:
            kw["json"] = body
        return self.request("PUT", path, **kw)

    def patch(self, path, body, content_type="application/merge-patch+json", **kw):
        headers = {"Content-Type": content_type, **kw.pop("headers", {})}
        return self.request("PATCH", path, data=json.dumps(body), headers=headers, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def close(self):
        close_session(self.session)


# --------------------------------------------------------------------------------------------
# Helpers used by several test files
# --------------------------------------------------------------------------------------------


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def create_namespace(api: Api, name: str) -> None:
    r = api.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    assert r.status_code == 201, f"creating namespace {name}: {r.status_code} {r.text}"


def pod_manifest(name: str, namespace: str | None = None, image: str = "nginx:1.25", labels: dict | None = None) -> dict:
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [{"name": "main", "image": image}]}}


# kubectl-based helpers: `kc` is a Kubectl (or any callable taking kubectl's arguments and returning a KubectlResult).


def pod_json(kc, name: str, ns: str) -> dict:
    return json.loads(kc("get", "pod", name, "-n", ns, "-o", "json").stdout)


def ready_replicas(kc, kind: str, name: str, ns: str) -> int:
    status = json.loads(kc("get", kind, name, "-n", ns, "-o", "json").stdout).get("status", {})
    return status.get("readyReplicas", 0)


def running_pods(kc, ns: str, selector: str) -> list[str]:
    """Names of the Running pods matching `selector` that are not being deleted."""
    items = json.loads(kc("get", "pods", "-n", ns, "-l", selector, "-o", "json").stdout)["items"]
    return [p["metadata"]["name"] for p in items
            if p["status"].get("phase") == "Running" and "deletionTimestamp" not in p["metadata"]]


def columns(header_line: str) -> list[str]:
    """Split a kubectl table header into column names (names may contain one space, e.g. NOMINATED NODE)."""
    return [c for c in re.split(r"\s{2,}", header_line.strip()) if c]


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def skiff_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("skiff")


@pytest.fixture(scope="session", autouse=True)
def skiff_binary(skiff_root) -> Path:
    """Run a private copy of the binary (SKIFF_E2E_COPY_BINARY=0 runs SKIFF_BIN in place)."""
    global _RUN_BIN
    if os.environ.get("SKIFF_E2E_COPY_BINARY", "1") == "0":
        check_binary()
        yield SKIFF_BIN
        return
    bin_dir = skiff_root / "bin"
    bin_dir.mkdir(exist_ok=True)
    _RUN_BIN = snapshot_binary(bin_dir)
    yield _RUN_BIN
    _RUN_BIN = None
    (bin_dir / "skiff").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def skiff(skiff_root):
    server = SkiffServer(skiff_root / "shared")
    server.start()
    yield server
    # An idle keep-alive connection (e.g. one a client library left in a pool) holds Skiff's exit for ~5s.
    started = time.monotonic()
    rc = server.stop(timeout=20, strict=False)
    if os.environ.get("SKIFF_E2E_VERBOSE"):
        print(f"\nshared skiff stopped in {time.monotonic() - started:.2f}s with status {rc}")
    if rc not in (0, None):
        print(f"\nskiff exited with status {rc} after SIGTERM; log:\n{server.log_tail()}")


@pytest.fixture
def skiff_factory(tmp_path):
    """Start servers with their own data dirs; every one is stopped at teardown."""
    servers: list[SkiffServer] = []

    def make(name: str = "own", datastore: str = "sqlite", extra_args: tuple[str, ...] = ()) -> SkiffServer:
        server = SkiffServer(tmp_path / f"server-{name}", datastore=datastore, extra_args=extra_args)
        servers.append(server)
        return server

    yield make
    for server in servers:
        if server.running:
            server.stop(timeout=10, strict=False)


@pytest.fixture(scope="session")
def kubectl(skiff, skiff_root) -> Kubectl:
    return skiff.kubectl_runner(skiff_root / "kubectl-cache")


@pytest.fixture
def api(skiff):
    client = skiff.api()
    yield client
    client.close()


@pytest.fixture
def make_ns(api):
    created = []

    def make(prefix: str = "t") -> str:
        name = unique(prefix)
        create_namespace(api, name)
        created.append(name)
        return name

    yield make
    for name in created:
        api.delete(f"/api/v1/namespaces/{name}")


@pytest.fixture
def ns(make_ns) -> str:
    return make_ns("t")


# -- server logs on failure -------------------------------------------------------------------

_SERVERS_KEY = pytest.StashKey[list]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    # Remember where the shared server's log was when the test body started.
    server = None
    if "skiff" in item.fixturenames:
        server = item.funcargs.get("skiff")
    offset = server.log_size() if server else 0
    item.stash[_SERVERS_KEY] = [(server, offset)] if server else []
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for server, offset in item.stash.get(_SERVERS_KEY, []):
        text = server.log_since(offset)
        report.sections.append((f"skiff server log during this test ({server.log_path})", text[-8000:] or "(empty)"))
    # Servers made by skiff_factory keep their logs under the test's tmp_path.
    tmp = item.funcargs.get("tmp_path")
    if tmp is not None:
        for log in sorted(Path(tmp).glob("server-*/server-*.log")):
            report.sections.append((f"skiff log {log.parent.name}/{log.name}", log.read_text(errors="replace")[-8000:]))


# --------------------------------------------------------------------------------------------
# A cluster of simulated nodes, one per test module that asks for it
# --------------------------------------------------------------------------------------------

SIM_GRACE = 4  # --node-monitor-grace-period of the simulated cluster, in seconds


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A server of its own with three simulated nodes and a short node-monitor grace period."""
    server = SkiffServer(tmp_path_factory.mktemp("sim"), datastore="memory",
                         extra_args=("--simulated-nodes", "3", "--node-monitor-grace-period", str(SIM_GRACE)))
    server.start()
    yield server
    server.stop(timeout=20, strict=False)


@pytest.fixture(scope="module")
def kc(cluster, tmp_path_factory):
    """kubectl against `cluster`."""
    return cluster.kubectl_runner(tmp_path_factory.mktemp("kc"))


@pytest.fixture
def space(kc):
    """A fresh namespace in `cluster`."""
    name = unique("n")
    kc("create", "namespace", name)
    yield name
    kc("delete", "namespace", name, "--wait=false", check=False)
