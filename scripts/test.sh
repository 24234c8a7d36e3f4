#!/usr/bin/env bash
# Runs every test Skiff has: Swift unit, store-conformance and in-process API tests, a smoke run of the
# benchmark, then the end-to-end suite that drives a real `skiff server` with real kubectl and the Python client.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v kubectl >/dev/null || { echo "kubectl is required for the e2e tests" >&2; exit 1; }
python3 -c 'import kubernetes, pytest' 2>/dev/null || { echo "pip install kubernetes pytest" >&2; exit 1; }

echo "== swift build"
swift build --build-tests
echo "== swift test"
swift test --skip-build
echo "== bench smoke run (keeps skiff bench working; figures from a debug build mean nothing)"
log=$(mktemp)
./.build/debug/skiff bench --creates 300 --gets 300 --lists 1 --watchers 20 --watch-events 5 --time-limit 120 > "$log" 2>&1 \
    || { cat "$log"; exit 1; }
echo "bench smoke run completed (see make bench for real figures)"
rm -f "$log"
echo "== e2e (pytest)"
SKIFF_BIN="$PWD/.build/debug/skiff" python3 -m pytest tests/e2e -q
