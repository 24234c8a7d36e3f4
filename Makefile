# Skiff: the two commands a new machine needs.
#   make run    build (release) and run a server with the embedded store, ready for kubectl
#   make test   build and run every test: Swift unit/conformance/API tests, then the e2e suite
SWIFT ?= swift
DATA_DIR ?= $(HOME)/.skiff

.PHONY: run test build release unit e2e bench

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

run: release
	.build/release/skiff server --data-dir $(DATA_DIR)

unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

e2e: build
	python3 -m pytest tests/e2e -q

test:
	./scripts/test.sh

bench: release
	.build/release/skiff bench
