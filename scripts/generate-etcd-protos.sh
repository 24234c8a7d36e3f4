#!/usr/bin/env bash
# Regenerates Sources/StorageEtcd/Generated from schema/etcd (our subset of etcd's v3 API protos).
# Run by hand after changing a .proto; CI never generates. Needs protoc and the two Swift plugins, built
# from the same package versions as Package.swift names (swift-protobuf, grpc-swift-protobuf), e.g.:
#     mkdir /tmp/protoc-plugins && cd /tmp/protoc-plugins   # a package depending on both, then
#     swift build -c release --product protoc-gen-swift
#     swift build -c release --product protoc-gen-grpc-swift-2
# and pass their folder as PLUGINS (default /tmp/protoc-plugins/.build/release).
set -euo pipefail
cd "$(dirname "$0")/.."
PLUGINS="${PLUGINS:-/tmp/protoc-plugins/.build/release}"
OUT=Sources/StorageEtcd/Generated
for plugin in protoc-gen-swift protoc-gen-grpc-swift-2; do
    [ -x "$PLUGINS/$plugin" ] || { echo "missing $PLUGINS/$plugin (see the comment at the top)" >&2; exit 1; }
done
rm -rf "$OUT"
mkdir -p "$OUT"
# Messages of both files; client stubs for the services (only rpc.proto has any).
protoc --proto_path=schema/etcd --plugin=protoc-gen-swift="$PLUGINS/protoc-gen-swift" \
    --swift_out="$OUT" --swift_opt=Visibility=Internal,FileNaming=PathToUnderscores \
    mvccpb/kv.proto etcdserverpb/rpc.proto
protoc --proto_path=schema/etcd --plugin=protoc-gen-grpc-swift-2="$PLUGINS/protoc-gen-grpc-swift-2" \
    --grpc-swift-2_out="$OUT" --grpc-swift-2_opt=Visibility=Internal,Server=false,Client=true,FileNaming=PathToUnderscores \
    etcdserverpb/rpc.proto
echo "generated: $(ls "$OUT" | tr '\n' ' ')"
