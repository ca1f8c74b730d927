# Quick start: `make demo` builds Warden and checks the sample events; `make test` runs the tests.
# Both install the system packages they need (libpcre2-dev, zlib1g-dev, libsqlite3-dev, libhiredis-dev, pkg-config;
# redis-server for the tests; chromium, chromium-driver, a CJK font and selenium for the playground's browser test)
# when missing.

SWIFT ?= swift
WARDEN = .build/debug/warden

.PHONY: deps test-deps browser-deps build demo test lint format format-check bench invites release release-debug package clean

deps:
	@if ! pkg-config --exists libpcre2-8 zlib sqlite3 hiredis 2>/dev/null; then \
		echo "installing libpcre2-dev, zlib1g-dev, libsqlite3-dev, libhiredis-dev and pkg-config"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpcre2-dev zlib1g-dev libsqlite3-dev libhiredis-dev pkg-config >/dev/null; \
	fi

# The Redis tests start their own redis-server on a loopback port.
# The release test verifies the systemd unit with systemd-analyze.
test-deps: deps
	@if [ ! -x /usr/bin/redis-server ] || ! command -v systemd-analyze >/dev/null; then \
		echo "installing redis-server and systemd (for systemd-analyze)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server systemd >/dev/null; \
	fi

# The playground's browser test: headless Chromium and its driver, a CJK font, selenium (PyPI);
# the API test: schemathesis (PyPI).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v pip3 >/dev/null || [ ! -d /usr/share/fonts/truetype/wqy ]; then \
		echo "installing chromium, chromium-driver, fonts-wqy-microhei and python3-pip"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei python3-pip >/dev/null; \
	fi
	@python3 -c 'import selenium' 2>/dev/null || pip3 install --quiet --break-system-packages selenium 2>/dev/null || pip3 install --quiet selenium
	@command -v schemathesis >/dev/null || pip3 install --quiet --break-system-packages schemathesis 2>/dev/null || pip3 install --quiet schemathesis

build: deps
	$(SWIFT) build

demo: build
	$(WARDEN) lint --rules rules
	$(WARDEN) check --rules rules < samples/events.jsonl

# The pages (headless Chromium) and the API checks run beside the Swift tests: they mostly wait
# on a browser or a server, and on 2 cores running them after the tests cost three minutes. Their
# output is printed once both are done; either failing fails the target.
PAGES = python3 Tests/Browser/playground.py && python3 Tests/Browser/console.py && python3 Tests/Browser/report.py \
	&& bash Tests/API/schemathesis.sh 30 && bash Tests/API/promtool.sh

test: test-deps browser-deps format-check
	$(SWIFT) build --build-tests
	@mkdir -p .build; ( $(PAGES) ) > .build/pages.log 2>&1 & pages=$$!; \
		$(SWIFT) test --skip-build; tests=$$?; \
		wait $$pages; checks=$$?; echo "== pages and API checks"; cat .build/pages.log; \
		[ $$tests = 0 ] && [ $$checks = 0 ] || { echo "swift test: exit $$tests; pages and API checks: exit $$checks"; exit 1; }
	bash Tests/Package/consumer.sh
	@# The static debug build in a scratch of its own: relinking the dynamic build's objects with
	@# the static runtime (release-debug) fails in a fresh clone (Foundation's static archive needs
	@# CoreFoundation and ICU symbols the dynamic link list leaves out).
	$(MAKE) --no-print-directory release CONFIG=debug
	bash Tests/Release/release.sh dist/$(RELEASE).tar.gz

# swift format (in the toolchain) with .swift-format: `make format` rewrites, `make format-check`
# (part of make test) fails on any file that is not formatted.
FORMATTED = Sources Tests Fuzz Package.swift

format:
	$(SWIFT) format format --in-place --recursive $(FORMATTED)

format-check:
	$(SWIFT) format lint --strict --recursive $(FORMATTED)

lint: build
	$(WARDEN) lint --rules rules

# A generated 3-day invite log (honest trees, farm chains and stars): the audit with its report
# (invite trees included, bench-data/invites-report.html) and the rules' detection figures.
invites: build
	mkdir -p bench-data
	python3 scripts/make-invites.py --seed 2 --out bench-data/invites.jsonl --labels bench-data/invites.labels
	$(WARDEN) audit --rules rules bench-data/invites.jsonl --report bench-data/invites-report.html
	$(WARDEN) check --rules rules bench-data/invites.jsonl > bench-data/invites-decisions.jsonl
	python3 scripts/eval-invites.py bench-data/invites-decisions.jsonl bench-data/invites.labels

bench: deps
	bash Benchmarks/run.sh

# A tarball an operator installs on a machine without the Swift toolchain: the binary with the
# Swift runtime and Foundation linked in (--static-swift-stdlib), stripped; the rules, the docs,
# the licences and packaging/ (systemd unit, environment file). It still links Debian's
# libpcre2-8-0, libsqlite3-0, libhiredis0.14 and zlib1g (docs/deploying.md).
VERSION = $(shell sed -n 's/.*version = "\(.*\)".*/\1/p' Sources/WardenEngine/Support/WardenInfo.swift)
RELEASE = warden-$(VERSION)-linux-$(shell uname -m)

# CONFIG=debug packs a debug build instead. A build folder of its own: objects built for a
# static runtime do not link into a dynamic one.
CONFIG ?= release
RELEASE_SCRATCH = .build-static-$(CONFIG)

release: deps
	$(SWIFT) build -c $(CONFIG) --product warden --static-swift-stdlib --scratch-path $(RELEASE_SCRATCH)
	$(MAKE) --no-print-directory package BINARY=$(RELEASE_SCRATCH)/$(CONFIG)/warden

# The debug build just made, linked again with the static runtime, in a copy of .build at the
# same path (a relink, under a minute, not a second build of everything: five minutes on 2 cores);
# the dynamic .build is put back after, even when the build fails. It fails in a fresh clone (see
# the test target), so make test does not use it; it can save the five minutes on a machine
# where it links.
release-debug: deps
	rm -rf .build-dynamic && mv .build .build-dynamic && cp -a .build-dynamic .build
	status=0; $(SWIFT) build --product warden --static-swift-stdlib && \
		$(MAKE) --no-print-directory package BINARY=.build/debug/warden || status=$$?; \
		rm -rf .build && mv .build-dynamic .build; exit $$status

package:
	rm -rf dist/$(RELEASE) && mkdir -p dist/$(RELEASE)/bin
	strip -o dist/$(RELEASE)/bin/warden $(BINARY)
	cp -r rules docs packaging LICENSE NOTICE README.md CHANGELOG.md SECURITY.md dist/$(RELEASE)/
	tar -C dist -czf dist/$(RELEASE).tar.gz $(RELEASE)
	@ls -l dist/$(RELEASE)/bin/warden dist/$(RELEASE).tar.gz

clean:
	rm -rf .build .build-static-* .build-dynamic dist
