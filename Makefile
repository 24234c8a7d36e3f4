# Skiff: the two commands a new machine needs.
#   make run    build (release) and run a server with the embedded store, ready for kubectl
#   make test   build and run every test: Swift unit/conformance/API tests, then the e2e suite
SWIFT ?= swift
DATA_DIR ?= $(HOME)/.skiff

.PHONY: run test build release unit e2e bench

build:
	$(SWIFT) build

# A release binary with the Swift runtime linked in: it runs without /opt/swift and uses less memory.
release:
	$(SWIFT) build -c release --product skiff --static-swift-stdlib --scratch-path .build-static

# As root the server runs this machine's node agent (real containers; it changes the host's network: bridge,
# nftables guard); otherwise it runs without it.
run: release
	.build-static/release/skiff server --data-dir $(DATA_DIR) $(if $(filter 0,$(shell id -u)),,--disable-agent)

unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

e2e: build
	python3 -m pytest tests/e2e -q

test:
	./scripts/test.sh

bench: release
	.build-static/release/skiff bench
