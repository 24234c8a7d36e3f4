#!/usr/bin/env python3
"""Registry helpers for the ContainerImages pull tests. Loopback only: every URL must be http://127.0.0.1:PORT.

  registry-fixture.py push ARCHIVE REGISTRY REPO TAG [--docker] [--index] [--no-media-type]
      Pushes the image of an oci-archive (scripts/build-test-image.sh) to REGISTRY (host:port on 127.0.0.1)
      with the distribution upload flow (HEAD blob, POST uploads/, PUT <location>&digest=), then the
      manifest under TAG. --docker rewrites it to Docker schema 2 media types; --no-media-type drops the
      manifest's mediaType field (as umoci writes it); --index also pushes an index (this platform plus a
      foreign one) and tags the index instead. Waits up to 20 s for the registry to answer GET /v2/.
      Prints {"manifest": digest, "index": digest-or-null, "config": digest, "layers": [digest…]}.

  registry-fixture.py serve --port-file F --log F [--auth none|basic|bearer] [--user U --password P]
                            [--tamper DIGEST] [--lie-digest] [--redirect-blobs]
      A small in-memory registry on 127.0.0.1 (port chosen by the kernel, written to F) that accepts the
      pushes above and serves pulls. Every request is logged to --log as `METHOD PATH` (and the token
      server's query). --auth protects GET requests under /v2/: basic wants U:P; bearer answers 401 with
      `WWW-Authenticate: Bearer realm=http://127.0.0.1:PORT/token,service=fixture,scope=repository:NAME:pull`
      and /token hands out a token for Basic U:P (or anonymously when no user is set). --tamper serves the
      blob or manifest DIGEST with one byte changed (the Docker-Content-Digest header stays honest for
      manifests); --lie-digest sends a wrong Docker-Content-Digest for every manifest; --redirect-blobs answers
      blob GETs with 307 to /storage/DIGEST (served without auth), as registries on object storage do.
"""
import base64, hashlib, http.client, http.server, json, platform, sys, tarfile, threading, time, urllib.parse, uuid

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def compact(document):
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


# ---------------------------------------------------------------------------------------------------- push

def request(connection, method, path, body=None, headers=None):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    return response, data


def push(archive, registry, repository, tag, docker, index, no_media_type):
    host, port = registry.rsplit(":", 1)
    if host != "127.0.0.1":
        sys.exit("push: only 127.0.0.1 registries")
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    layout_index = json.loads(members["index.json"])
    manifest = json.loads(members["blobs/sha256/" + layout_index["manifests"][0]["digest"].split(":")[1]])
    config = members["blobs/sha256/" + manifest["config"]["digest"].split(":")[1]]
    layers = [members["blobs/sha256/" + layer["digest"].split(":")[1]] for layer in manifest["layers"]]
    manifest_type = OCI_MANIFEST
    if docker:
        manifest_type = DOCKER_MANIFEST
        manifest["mediaType"] = DOCKER_MANIFEST
        manifest["config"]["mediaType"] = DOCKER_CONFIG
        for layer in manifest["layers"]:
            layer["mediaType"] = DOCKER_LAYER
    if no_media_type:
        manifest.pop("mediaType", None)

    deadline = time.time() + 20
    while True:
        try:
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            response, _ = request(connection, "GET", "/v2/")
            if response.status in (200, 401):
                break
        except OSError:
            pass
        if time.time() > deadline:
            sys.exit("push: the registry at %s did not answer GET /v2/ within 20 s" % registry)
        time.sleep(0.1)

    for blob in [config] + layers:
        digest = sha256(blob)
        response, _ = request(connection, "HEAD", "/v2/%s/blobs/%s" % (repository, digest))
        if response.status == 200:
            continue
        response, _ = request(connection, "POST", "/v2/%s/blobs/uploads/" % repository)
        if response.status != 202:
            sys.exit("push: POST uploads answered %d" % response.status)
        location = urllib.parse.urlsplit(response.getheader("Location"))
        path = location.path + "?" + (location.query + "&" if location.query else "") + "digest=" + digest
        response, data = request(connection, "PUT", path, body=blob,
                                 headers={"Content-Type": "application/octet-stream", "Content-Length": str(len(blob))})
        if response.status != 201:
            sys.exit("push: PUT blob answered %d: %s" % (response.status, data[:500]))

    def put_manifest(reference, body, media_type):
        response, data = request(connection, "PUT", "/v2/%s/manifests/%s" % (repository, reference), body=body,
                                 headers={"Content-Type": media_type, "Content-Length": str(len(body))})
        if response.status != 201:
            sys.exit("push: PUT manifest answered %d: %s" % (response.status, data[:500]))

    manifest_bytes = compact(manifest)
    index_digest = None
    if index:
        put_manifest(sha256(manifest_bytes), manifest_bytes, manifest_type)
        architecture = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
        foreign = "s390x" if architecture != "s390x" else "ppc64le"
        index_bytes = compact({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
            # The foreign entry names the same manifest: a wrong choice would show only as indexDigest/platform.
            {"mediaType": manifest_type, "digest": sha256(manifest_bytes), "size": len(manifest_bytes),
             "platform": {"os": "linux", "architecture": foreign}},
            {"mediaType": manifest_type, "digest": sha256(manifest_bytes), "size": len(manifest_bytes),
             "platform": {"os": "linux", "architecture": architecture}},
        ]})
        put_manifest(tag, index_bytes, OCI_INDEX)
        index_digest = sha256(index_bytes)
    else:
        put_manifest(tag, manifest_bytes, manifest_type)
    print(json.dumps({"manifest": sha256(manifest_bytes), "index": index_digest, "config": sha256(config),
                      "layers": [sha256(layer) for layer in layers]}))


# --------------------------------------------------------------------------------------------------- serve

class Registry:
    def __init__(self, options):
        self.options = options
        self.blobs = {}
        self.manifests = {}  # digest -> (bytes, media type)
        self.tags = {}       # (repository, tag) -> digest
        self.uploads = set()
        self.tokens = set()
        self.lock = threading.Lock()
        self.log = open(options["log"], "a", buffering=1)


def make_handler(registry):
    options = registry.options

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", headers=None):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def error(self, status, code, message, headers=None):
            self.reply(status, compact({"errors": [{"code": code, "message": message}]}),
                       dict({"Content-Type": "application/json"}, **(headers or {})))

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def basic_ok(self):
            expected = "Basic " + base64.b64encode(("%s:%s" % (options["user"], options["password"])).encode()).decode()
            return self.headers.get("Authorization") == expected

        def authorized(self, repository):
            auth = options["auth"]
            if auth == "none" or self.command != "GET":
                return True
            if auth == "basic":
                if self.basic_ok():
                    return True
                self.error(401, "UNAUTHORIZED", "authentication required",
                           {"WWW-Authenticate": 'Basic realm="fixture"'})
                return False
            header = self.headers.get("Authorization", "")
            if header.startswith("Bearer ") and header[len("Bearer "):] in registry.tokens:
                return True
            port = self.server.server_address[1]
            challenge = 'Bearer realm="http://127.0.0.1:%d/token",service="fixture"' % port
            if repository:
                challenge += ',scope="repository:%s:pull"' % repository
            self.error(401, "UNAUTHORIZED", "token required", {"WWW-Authenticate": challenge})
            return False

        def token(self):
            query = urllib.parse.urlsplit(self.path).query
            registry.log.write("TOKEN %s %s\n" % (query, "basic" if self.headers.get("Authorization") else "anonymous"))
            if options["user"] and not self.basic_ok():
                return self.error(401, "UNAUTHORIZED", "bad credentials")
            token = "tok-" + uuid.uuid4().hex
            registry.tokens.add(token)
            self.reply(200, compact({"token": token}), {"Content-Type": "application/json"})

        def tampered(self, digest, data):
            if options["tamper"] == digest and data:
                return data[:-1] + bytes([data[-1] ^ 0x01])
            return data

        def route(self):
            registry.log.write("%s %s\n" % (self.command, urllib.parse.urlsplit(self.path).path))
            path = urllib.parse.urlsplit(self.path).path
            if path == "/token":
                return self.token()
            if path.startswith("/storage/"):
                digest = path[len("/storage/"):]
                if digest not in registry.blobs:
                    return self.error(404, "BLOB_UNKNOWN", "blob unknown to storage")
                return self.reply(200, self.tampered(digest, registry.blobs[digest]),
                                  {"Content-Type": "application/octet-stream"})
            if not path.startswith("/v2/"):
                return self.error(404, "NOT_FOUND", "not a registry path")
            rest = path[len("/v2/"):]
            for kind in ("/manifests/", "/blobs/uploads/", "/blobs/"):
                if kind in rest:
                    repository, reference = rest.split(kind, 1)
                    break
            else:
                repository, kind, reference = "", "", rest
            if not self.authorized(repository):
                return
            if kind == "":
                return self.reply(200, b"{}", {"Content-Type": "application/json",
                                               "Docker-Distribution-Api-Version": "registry/2.0"})
            with registry.lock:
                if kind == "/blobs/uploads/":
                    if self.command == "POST":
                        session = uuid.uuid4().hex
                        registry.uploads.add(session)
                        return self.reply(202, headers={"Location": "/v2/%s/blobs/uploads/%s" % (repository, session)})
                    data = self.body()
                    digest = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["digest"][0]
                    if reference not in registry.uploads or sha256(data) != digest:
                        return self.error(400, "DIGEST_INVALID", "bad upload")
                    registry.blobs[digest] = data
                    return self.reply(201, headers={"Docker-Content-Digest": digest})
                if kind == "/blobs/":
                    if reference not in registry.blobs:
                        return self.error(404, "BLOB_UNKNOWN", "blob unknown to registry")
                    if options["redirect_blobs"]:
                        return self.reply(307, headers={"Location": "/storage/" + reference})
                    data = self.tampered(reference, registry.blobs[reference])
                    return self.reply(200, data, {"Content-Type": "application/octet-stream",
                                                  "Docker-Content-Digest": reference})
                if self.command == "PUT":
                    data = self.body()
                    digest = sha256(data)
                    registry.manifests[digest] = (data, self.headers.get("Content-Type"))
                    if not reference.startswith("sha256:"):
                        registry.tags[(repository, reference)] = digest
                    return self.reply(201, headers={"Docker-Content-Digest": digest})
                digest = reference if reference.startswith("sha256:") else registry.tags.get((repository, reference))
                if digest not in registry.manifests:
                    return self.error(404, "MANIFEST_UNKNOWN", "manifest unknown")
                data, media_type = registry.manifests[digest]
                data = self.tampered(digest, data)
                header = sha256(data)
                if options["lie_digest"]:
                    header = sha256(data + b" ")
                return self.reply(200, data, {"Content-Type": media_type, "Docker-Content-Digest": header})

        do_GET = do_HEAD = do_POST = do_PUT = route

    return Handler


def serve(options):
    registry = Registry(options)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(registry))
    server.daemon_threads = True
    with open(options["port_file"] + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    import os
    os.replace(options["port_file"] + ".tmp", options["port_file"])
    server.serve_forever()


def main(argv):
    if len(argv) >= 5 and argv[0] == "push":
        flags = set(argv[5:])
        return push(argv[1], argv[2], argv[3], argv[4], "--docker" in flags, "--index" in flags,
                    "--no-media-type" in flags)
    if argv and argv[0] == "serve":
        options = {"auth": "none", "user": None, "password": None, "tamper": None, "lie_digest": False,
                   "redirect_blobs": False, "port_file": None, "log": None}
        args = iter(argv[1:])
        for arg in args:
            if arg in ("--lie-digest", "--redirect-blobs"):
                options[arg[2:].replace("-", "_")] = True
            else:
                options[arg[2:].replace("-", "_")] = next(args)
        return serve(options)
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
