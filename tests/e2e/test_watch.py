"""Watch: kubectl get -w, --output-watch-events, raw watches resumed from a resourceVersion,
selectors, timeoutSeconds, and what happens to watch streams when clients or the server go away."""

import http.client
import json
import queue
import signal
import socket
import ssl
import subprocess
import threading
import time

import pytest

from conftest import pod_manifest, wait_for


class LineReader:
    """Collects lines from a text stream on a thread; `expect` waits (with a deadline) for a matching line."""

    def __init__(self, stream):
        self.q: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        self.closed = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self.thread.start()

    def _run(self, stream):
        try:
            for line in stream:
                if isinstance(line, bytes):
                    line = line.decode()
                self.q.put(line.rstrip("\n"))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            self.closed.set()
            self.q.put(None)

    def expect(self, predicate, timeout=10.0, what="line"):
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; lines so far: {self.seen}")
            try:
                line = self.q.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self.q.put(None)
                raise AssertionError(f"stream ended while waiting for {what} (error {self.error!r}); lines: {self.seen}")
            self.seen.append(line)
            if predicate(line):
                return line

    def drain(self):
        out = []
        while True:
            try:
                line = self.q.get_nowait()
            except queue.Empty:
                return out
            if line is None:
                self.q.put(None)
                return out
            self.seen.append(line)
            out.append(line)


def words(line):
    return line.split()


# --------------------------------------------------------------------------------------------
# kubectl -w
# --------------------------------------------------------------------------------------------


def test_kubectl_get_pods_watch(kubectl, api, ns):
    api.post(f"/api/v1/namespaces/{ns}/pods", pod_manifest("before"))
    proc = kubectl.popen("get", "pods", "-w", "--show-labels", "-n", ns)
    try:
        out = LineReader(proc.stdout)
        header = out.expect(lambda l: l.startswith("NAME"), what="header")
        assert words(header) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]
        out.expect(lambda l: words(l)[0] == "before", what="existing pod")

        r = api.post(f"/api/v1/namespaces/{ns}/pods", pod_manifest("after", labels={"app": "w"}))
        assert r.status_code == 201
        line = out.expect(lambda l: words(l)[0] == "after", what="new pod row")
        assert words(line)[1:3] == ["0/1", "Pending"] and words(line)[-1] == "app=w", line

        r = api.patch(f"/api/v1/namespaces/{ns}/pods/after", {"metadata": {"labels": {"stage": "two"}}})
        assert r.status_code == 200
        line = out.expect(lambda l: words(l)[0] == "after" and "stage=two" in l, what="label change")
        assert words(line)[-1] == "app=w,stage=two"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kubectl_get_pod_watch_output_watch_events(kubectl, api, ns):
    api.post(f"/api/v1/namespaces/{ns}/pods", pod_manifest("x1"))
    api.post(f"/api/v1/namespaces/{ns}/pods", pod_manifest("other"))
    proc = kubectl.popen("get", "pod", "x1", "-w", "--output-watch-events", "-n", ns)
    try:
        out = LineReader(proc.stdout)
        header = out.expect(lambda l: l.startswith("EVENT"), what="header")
        assert words(header) == ["EVENT", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        first = out.expect(lambda l: "x1" in l, what="initial row")
        assert words(first)[:2] == ["ADDED", "x1"]

        api.patch(f"/api/v1/namespaces/{ns}/pods/other", {"metadata": {"labels": {"ignored": "yes"}}})
        api.patch(f"/api/v1/namespaces/{ns}/pods/x1", {"metadata": {"labels": {"a": "b"}}})
        line = out.expect(lambda l: words(l)[0] != "ADDED", what="MODIFIED")
        assert words(line)[:2] == ["MODIFIED", "x1"], line

        r = api.delete(f"/api/v1/namespaces/{ns}/pods/x1")
        assert r.status_code == 200
        line = out.expect(lambda l: words(l)[0] not in ("ADDED", "MODIFIED"), what="DELETED")
        assert words(line)[:2] == ["DELETED", "x1"], line
        assert all("other" not in l for l in out.seen), out.seen
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kubectl_watch_json_events(kubectl, api, ns):
    proc = kubectl.popen("get", "configmaps", "-w", "-o", "json", "--output-watch-events", "--watch-only", "-n", ns)
    try:
        # --watch-only still lists first to learn the resourceVersion; give it until the list is done by
        # creating objects until one shows up.
        decoder = json.JSONDecoder()
        out = LineReader(proc.stdout)
        buf = ""

        def next_event(timeout=10):
            nonlocal buf
            deadline = time.monotonic() + timeout
            while True:
                try:
                    ev, end = decoder.raw_decode(buf.lstrip())
                    buf = buf.lstrip()[end:]
                    return ev
                except json.JSONDecodeError:
                    pass
                line = out.expect(lambda l: l.strip() != "", timeout=max(0.01, deadline - time.monotonic()), what="json")
                buf += line + "\n"

        def created(i):
            return api.post(f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": f"c{i}"}, "data": {"i": str(i)}})

        i = 0
        created(i)
        ev = None
        deadline = time.monotonic() + 15
        while ev is None:
            try:
                ev = next_event(timeout=0.5)
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                i += 1
                created(i)
        assert ev["type"] == "ADDED" and ev["object"]["kind"] == "ConfigMap", ev
        first = int(ev["object"]["metadata"]["name"][1:])
        # Every later creation arrives in order.
        for j in range(first + 1, i + 1):
            ev = next_event()
            assert (ev["type"], ev["object"]["metadata"]["name"]) == ("ADDED", f"c{j}")
        api.delete(f"/api/v1/namespaces/{ns}/configmaps/c{first}")
        ev = next_event()
        assert (ev["type"], ev["object"]["metadata"]["name"]) == ("DELETED", f"c{first}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --------------------------------------------------------------------------------------------
# Raw watches
# --------------------------------------------------------------------------------------------


class RawWatch:
    """A watch over its own TLS connection (http.client), closable from the test thread at any time."""

    def __init__(self, server, path, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        ctx = ssl.create_default_context(cafile=str(server.ca_file))
        ctx.load_cert_chain(*server.client_cert)
        self.conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=30)
        self.conn.request("GET", f"{path}?watch=true&{query}")
        self.sock = self.conn.sock
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.read()
        assert self.resp.getheader("Content-Type", "").startswith("application/json")
        self.lines = LineReader(iter(self.resp.readline, b""))

    def next(self, what="event", timeout=10.0):
        return event(self.lines.expect(lambda l: l.strip() != "", timeout=timeout, what=what))

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.conn.close()
        self.lines.closed.wait(5)


def open_watch(api, path, **params):
    w = RawWatch(api.server, path, **params)
    return w, w.lines


def event(line):
    ev = json.loads(line)
    return ev["type"], ev["object"]["metadata"].get("name"), ev


def test_raw_watch_resumes_after_list_resource_version(api, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    for name in ("a", "b"):
        assert api.post(base, {"metadata": {"name": name}, "data": {"v": "1"}}).status_code == 201
    listing = api.get(base).json()
    rv = listing["metadata"]["resourceVersion"]
    assert sorted(i["metadata"]["name"] for i in listing["items"]) == ["a", "b"]

    # Changes after the list...
    assert api.post(base, {"metadata": {"name": "c"}}).status_code == 201
    assert api.patch(f"{base}/a", {"data": {"v": "2"}}).status_code == 200
    assert api.delete(f"{base}/b").status_code == 200

    r, lines = open_watch(api, base, resourceVersion=rv, timeoutSeconds=5)
    try:
        got = [event(lines.expect(lambda l: l.strip() != "", what=f"event {i}"))[:2] for i in range(3)]
        assert got == [("ADDED", "c"), ("MODIFIED", "a"), ("DELETED", "b")]
        # ...and then nothing else until something changes.
        assert api.post(base, {"metadata": {"name": "d"}}).status_code == 201
        assert event(lines.expect(lambda l: l.strip() != "", what="live event"))[:2] == ("ADDED", "d")
    finally:
        r.close()


def test_raw_watch_resumes_from_object_resource_version(api, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    rvs = []
    for name in ("one", "two", "three"):
        r = api.post(base, {"metadata": {"name": name}})
        rvs.append(r.json()["metadata"]["resourceVersion"])
    r, lines = open_watch(api, base, resourceVersion=rvs[0], timeoutSeconds=5)
    try:
        events = [event(lines.expect(lambda l: l.strip() != "", what="event")) for _ in range(2)]
        assert [e[:2] for e in events] == [("ADDED", "two"), ("ADDED", "three")]
        assert [e[2]["object"]["metadata"]["resourceVersion"] for e in events] == rvs[1:]
    finally:
        r.close()


def test_raw_watch_without_resource_version_sends_current_state(api, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    for name in ("p", "q"):
        api.post(base, {"metadata": {"name": name}})
    for rv_param in ({}, {"resourceVersion": "0"}):
        r, lines = open_watch(api, base, timeoutSeconds=5, **rv_param)
        try:
            got = sorted(event(lines.expect(lambda l: l.strip() != "", what="initial ADDED"))[:2] for _ in range(2))
            assert got == [("ADDED", "p"), ("ADDED", "q")]
        finally:
            r.close()


def test_raw_watch_selectors(api, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    api.post(base, {"metadata": {"name": "plain"}})
    rv = api.get(base).json()["metadata"]["resourceVersion"]
    r, lines = open_watch(api, base, resourceVersion=rv, labelSelector="app%3Dweb", timeoutSeconds=5)
    r2, by_name = open_watch(api, base, resourceVersion=rv, fieldSelector="metadata.name%3Dplain", timeoutSeconds=5)
    try:
        api.post(base, {"metadata": {"name": "nolabel"}})
        api.post(base, {"metadata": {"name": "web", "labels": {"app": "web"}}})
        assert event(lines.expect(lambda l: l.strip() != ""))[:2] == ("ADDED", "web")
        # An object that starts matching is ADDED; one that stops matching is DELETED.
        api.patch(f"{base}/plain", {"metadata": {"labels": {"app": "web"}}})
        assert event(lines.expect(lambda l: l.strip() != ""))[:2] == ("ADDED", "plain")
        api.patch(f"{base}/web", {"metadata": {"labels": {"app": "db"}}})
        assert event(lines.expect(lambda l: l.strip() != ""))[:2] == ("DELETED", "web")
        assert event(by_name.expect(lambda l: l.strip() != ""))[:2] == ("MODIFIED", "plain")
    finally:
        r.close()
        r2.close()


def test_raw_watch_timeout_seconds_closes_cleanly(api, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    api.post(base, {"metadata": {"name": "one"}})
    rv = api.get(base).json()["metadata"]["resourceVersion"]
    started = time.monotonic()
    r = api.get(f"{base}?watch=true&resourceVersion={rv}&timeoutSeconds=1", stream=True, timeout=(10, 15))
    assert r.status_code == 200
    # Reading to the end raises if the chunked stream is cut short (no terminating chunk).
    body = b"".join(r.iter_content(chunk_size=None))
    elapsed = time.monotonic() - started
    assert body.strip() == b"", body
    assert 0.8 <= elapsed < 5, elapsed
    # The connection is reusable afterwards (keep-alive) and the server is fine.
    assert api.get(base).status_code == 200


def test_raw_watch_all_namespaces(api, make_ns):
    """A cluster-wide watch (/api/v1/configmaps) sees objects in every namespace."""
    ns1 = make_ns("t-w")
    rv = api.get("/api/v1/configmaps").json()["metadata"]["resourceVersion"]
    r, lines = open_watch(api, "/api/v1/configmaps", resourceVersion=rv, timeoutSeconds=5)
    try:
        ns2 = make_ns("t-w")
        api.post(f"/api/v1/namespaces/{ns1}/configmaps", {"metadata": {"name": "one"}})
        api.post(f"/api/v1/namespaces/{ns2}/configmaps", {"metadata": {"name": "two"}})
        seen = set()
        while len(seen) < 2:
            t, name, ev = event(lines.expect(lambda l: l.strip() != ""))
            if ev["object"]["metadata"]["namespace"] in (ns1, ns2):
                seen.add((t, ev["object"]["metadata"]["namespace"], name))
        assert seen == {("ADDED", ns1, "one"), ("ADDED", ns2, "two")}
    finally:
        r.close()


# --------------------------------------------------------------------------------------------
# Watch streams and connection lifetime
# --------------------------------------------------------------------------------------------


def raw_tls_watch(server, path):
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    ctx.load_cert_chain(*server.client_cert)
    sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", server.port), timeout=10),
                           server_hostname="127.0.0.1")
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200"), head
    return sock


def close_wait_count(port: int) -> int:
    """Sockets of the server's listening port in CLOSE_WAIT (peer closed, server has not)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            local_port = int(parts[1].rsplit(":", 1)[1], 16)
            if local_port == port and parts[3] == "08":
                count += 1
    return count


def test_abandoned_watch_is_released(skiff_factory):
    server = skiff_factory("abandon").start()
    try:
        sock = raw_tls_watch(server, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=300")
        sock.close()
        wait_for(lambda: close_wait_count(server.port) == 0, timeout=5, what="the server to close the abandoned watch")
    finally:
        server.kill()


def test_sigterm_with_open_watch_exits(skiff_factory):
    server = skiff_factory("sigterm").start()
    sock = raw_tls_watch(server, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=300")
    try:
        proc = server.proc
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            rc = None
        assert rc == 0, "skiff did not exit within 10s of SIGTERM with a watch open"
        # The watch stream was ended properly: the last chunk of the chunked body arrived before the close.
        rest = b""
        sock.settimeout(5)
        while True:
            try:
                data = sock.recv(4096)
            except (ssl.SSLError, OSError):
                break
            if not data:
                break
            rest += data
        assert rest.endswith(b"0\r\n\r\n"), rest[-200:]
    finally:
        sock.close()
        if server.proc is not None and server.proc.poll() is None:
            server.kill()
        server.proc = None


def test_sigterm_when_idle_exits_promptly(skiff_factory):
    server = skiff_factory("idle").start()
    api = server.api()
    assert api.get("/api/v1/namespaces").status_code == 200
    api.close()
    started = time.monotonic()
    assert server.stop(timeout=15) == 0
    assert time.monotonic() - started < 10
    assert "Skiff stopped" in server.log_text()
