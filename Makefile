# Quick start: `make demo` builds Warden and checks the sample events; `make test` runs the tests.
# Both install the system packages they need (libpcre2-dev, zlib1g-dev, libsqlite3-dev, pkg-config) when missing.

SWIFT ?= swift
WARDEN = .build/debug/warden

.PHONY: deps build demo test lint bench clean

deps:
	@if ! pkg-config --exists libpcre2-8 zlib sqlite3 2>/dev/null; then \
		echo "installing libpcre2-dev, zlib1g-dev, libsqlite3-dev and pkg-config"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpcre2-dev zlib1g-dev libsqlite3-dev pkg-config >/dev/null; \
	fi

build: deps
	$(SWIFT) build

demo: build
	$(WARDEN) lint --rules rules
	$(WARDEN) check --rules rules < samples/events.jsonl

test: deps
	$(SWIFT) build
	$(SWIFT) test

lint: build
	$(WARDEN) lint --rules rules

bench: deps
	bash Benchmarks/run.sh

clean:
	rm -rf .build
