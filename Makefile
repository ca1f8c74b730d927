# Quick start: `make demo` builds Warden and checks the sample events; `make test` runs the tests.
# Both install the system packages they need (libpcre2-dev, zlib1g-dev, libsqlite3-dev, libhiredis-dev, pkg-config;
# redis-server for the tests; chromium, chromium-driver, a CJK font and selenium for the playground's browser test)
# when missing.

SWIFT ?= swift
WARDEN = .build/debug/warden

.PHONY: deps test-deps browser-deps build demo test lint bench invites clean

deps:
	@if ! pkg-config --exists libpcre2-8 zlib sqlite3 hiredis 2>/dev/null; then \
		echo "installing libpcre2-dev, zlib1g-dev, libsqlite3-dev, libhiredis-dev and pkg-config"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpcre2-dev zlib1g-dev libsqlite3-dev libhiredis-dev pkg-config >/dev/null; \
	fi

# The Redis tests start their own redis-server on a loopback port.
test-deps: deps
	@if [ ! -x /usr/bin/redis-server ]; then \
		echo "installing redis-server"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server >/dev/null; \
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

test: test-deps browser-deps
	$(SWIFT) build
	$(SWIFT) test
	python3 Tests/Browser/playground.py
	bash Tests/API/schemathesis.sh 30

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

clean:
	rm -rf .build
